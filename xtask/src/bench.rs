//! `cargo xtask bench`: autosave throughput and latency.
//!
//! The release `omfang` runs as its own process on a fresh database; this
//! process is the load generator. Each virtual respondent owns a response
//! and saves a realistic answer set (about 25 answers) again and again,
//! sending the version it got back, as the browser does.
//!
//! On a machine of a few cores the generator and the server compete for
//! them, and threads woken across cores dominate the server's time (a
//! profile showed half of it in the kernel's task switching). So when
//! `taskset` is there and the machine has two cores or more, the generator
//! runs on the last core and the server on the others, as a server would
//! run alone on its own machine; `OMFANG_BENCH_PIN=0` turns that off.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::{cargo, ensure_packages, ensure_postgres, step, target_dir};

/// Run before the measured time, not counted.
const WARM_UP: Duration = Duration::from_secs(1);

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Row {
    database: &'static str,
    concurrency: usize,
    /// Saves per second offered (open loop), or `None`: every respondent
    /// saves again as soon as the last save returned (closed loop).
    offered: Option<f64>,
    saves: usize,
    errors: usize,
    seconds: f64,
    p50: Duration,
    p99: Duration,
}

/// Runs the benchmark and prints the table.
pub fn run(seconds: u64, only: Option<&str>) -> Result<()> {
    use crate::run as sh;
    ensure_packages(&[("postgresql", "/usr/bin/pg_ctlcluster")])?;
    let pg_admin = ensure_postgres()?;
    step("building omfang (release)");
    sh(cargo().args(["build", "--release", "-p", "omfang"]))?;
    let bin = target_dir().join("release").join("omfang");
    let scratch = std::env::temp_dir().join(format!("omfang-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let pinning = pin_generator();
    match &pinning {
        Some(p) => println!(
            "pinning: load generator on CPU {}, server on CPUs {}",
            p.generator, p.server
        ),
        None => println!("pinning: off (generator and server share every core)"),
    }
    let mut rows = Vec::new();
    for database in ["SQLite", "PostgreSQL"] {
        if only.is_some_and(|o| !o.eq_ignore_ascii_case(database)) {
            continue;
        }
        // Closed loop at 50 and 200 respondents (throughput), then 200
        // respondents offering 3 000 saves/s together (latency at the goal's rate).
        for (concurrency, offered) in [(50, None), (200, None), (200, Some(3000.0))] {
            let name = format!(
                "omfang_bench_{}_{concurrency}_{}",
                std::process::id(),
                offered.is_some()
            );
            let url = match database {
                "SQLite" => format!(
                    "sqlite://{}?mode=rwc",
                    scratch.join(format!("{name}.db")).display()
                ),
                _ => {
                    sh(Command::new("psql").args([
                        pg_admin.as_str(),
                        "-qc",
                        &format!("CREATE DATABASE {name}"),
                    ]))?;
                    format!(
                        "{}/{name}",
                        pg_admin.rsplit_once('/').map_or(pg_admin.as_str(), |p| p.0)
                    )
                }
            };
            step(&format!(
                "{database}, {concurrency} concurrent respondents{}, {seconds} s",
                offered.map_or(String::new(), |r| format!(" offering {r:.0} saves/s"))
            ));
            let port = std::net::TcpListener::bind("127.0.0.1:0")?
                .local_addr()?
                .port();
            let server = start(&bin, &url, port, pinning.as_ref())?;
            let token = invite(&bin, &url)?;
            let row = runtime.block_on(load(
                database,
                port,
                &token,
                concurrency,
                offered,
                Duration::from_secs(seconds),
            ))?;
            drop(server);
            if database == "PostgreSQL" {
                let _ = sh(Command::new("psql").args([
                    pg_admin.as_str(),
                    "-qc",
                    &format!("DROP DATABASE IF EXISTS {name}"),
                ]));
            }
            rows.push(row);
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    println!(
        "\n| database | concurrent respondents | load | saves | saves/s | p50 | p99 | errors |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {:.0} | {:.1} ms | {:.1} ms | {} |",
            r.database,
            r.concurrency,
            r.offered
                .map_or("as fast as they can".to_owned(), |o| format!(
                    "{o:.0} saves/s offered"
                )),
            r.saves,
            r.saves as f64 / r.seconds,
            r.p50.as_secs_f64() * 1e3,
            r.p99.as_secs_f64() * 1e3,
            r.errors
        );
    }
    println!(
        "\nGoal: ≥ 3 000 saves/s on SQLite with p99 < 25 ms. Machine: {cores} cores. \
         Open-loop latency is measured from when each save was due, so a late start counts."
    );
    Ok(())
}

/// Which CPUs the generator and the server run on.
struct Pinning {
    generator: String,
    server: String,
}

/// Pins this process (the generator, all its threads) to the last CPU and
/// returns the CPU list for the server; `None` when not pinning.
fn pin_generator() -> Option<Pinning> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 || std::env::var("OMFANG_BENCH_PIN").is_ok_and(|v| v == "0") {
        return None;
    }
    let pinning = Pinning {
        generator: (cores - 1).to_string(),
        server: if cores == 2 {
            "0".into()
        } else {
            format!("0-{}", cores - 2)
        },
    };
    let pinned = Command::new("taskset")
        .args([
            "-a",
            "-p",
            "-c",
            &pinning.generator,
            &std::process::id().to_string(),
        ])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    pinned.then_some(pinning)
}

fn start(bin: &PathBuf, url: &str, port: u16, pinning: Option<&Pinning>) -> Result<Server> {
    let mut command = match pinning {
        Some(p) => {
            let mut c = Command::new("taskset");
            c.args(["-c", &p.server]).arg(bin);
            c
        }
        None => Command::new(bin),
    };
    let child = command
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--static-dir",
            "/nonexistent",
        ])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .context("starting omfang")?;
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("omfang did not start");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(server)
}

fn invite(bin: &PathBuf, url: &str) -> Result<String> {
    let out = Command::new(bin)
        .args([
            "invite",
            "create",
            "--round",
            "korus-2025",
            "--municipality",
            "1103",
            "--email",
            "bench@example.no",
        ])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "error")
        .output()?;
    if !out.status.success() {
        bail!(
            "invite create failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8(out.stdout)?
        .trim()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned())
}

/// The `"version"` of a save's reply (the rest is not read).
fn version_of(body: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(body).ok()?;
    let at = text.find("\"version\":")? + "\"version\":".len();
    let digits: String = text[at..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// A realistic answer set of the shipped survey the benchmark loads (its
/// first branch), kept as data beside xtask: `{n}` in it marks the text
/// that changes with `n`.
const ANSWERS: &str = include_str!("../bench-answers.json");

/// The benchmark's answer set, with draft number `n`.
fn answers(n: u64) -> Value {
    serde_json::from_str(&ANSWERS.replace("{n}", &n.to_string())).unwrap_or(Value::Null)
}

async fn load(
    database: &'static str,
    port: u16,
    token: &str,
    concurrency: usize,
    offered: Option<f64>,
    duration: Duration,
) -> Result<Row> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let base = format!("http://127.0.0.1:{port}/api/r/{token}");
    let mut ids = Vec::new();
    for _ in 0..concurrency {
        let r: Value = client
            .post(format!("{base}/responses"))
            .send()
            .await?
            .json()
            .await?;
        ids.push(r["id"].as_i64().context("response id")?);
    }
    // The first second (connections opening, the server's caches filling)
    // is run but not counted.
    let started = Instant::now();
    let counted_from = started + WARM_UP;
    let mut tasks = tokio::task::JoinSet::new();
    for (index, id) in ids.into_iter().enumerate() {
        let (client, url) = (client.clone(), format!("{base}/responses/{id}"));
        tasks.spawn(async move {
            // The load generator shares the machine's cores with the server:
            // it builds each body from a pre-serialised answer set and reads
            // only the version back, so its own cost stays small.
            let values = answers(0).to_string();
            let (head, tail) = values.split_once("(utkast 0)").unwrap_or((&values, ""));
            let mut version = 1i64;
            let (mut latencies, mut errors) = (Vec::new(), 0usize);
            let mut n = 0u64;
            // Open loop: this respondent's saves fall due every `interval`,
            // the respondents' first saves spread evenly over one interval,
            // so they do not arrive in step.
            let interval = offered.map(|o| Duration::from_secs_f64(concurrency as f64 / o));
            let mut due = started
                + interval.map_or(Duration::ZERO, |i| {
                    i.mul_f64(index as f64 / concurrency as f64)
                });
            while started.elapsed() < WARM_UP + duration {
                n += 1;
                let body = format!("{{\"version\":{version},\"values\":{head}(utkast {n}){tail}}}");
                let t = match interval {
                    Some(i) => {
                        tokio::time::sleep_until(due.into()).await;
                        let t = due;
                        due += i;
                        t
                    }
                    None => Instant::now(),
                };
                let sent = client
                    .put(&url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await;
                match sent {
                    Ok(resp) if resp.status().is_success() => {
                        let saved = match resp.bytes().await {
                            Ok(b) => version_of(&b),
                            Err(_) => None,
                        };
                        match saved {
                            Some(v) => {
                                version = v;
                                if t >= counted_from {
                                    latencies.push(t.elapsed());
                                }
                            }
                            None => errors += 1,
                        }
                    }
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        });
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for (l, e) in tasks.join_all().await {
        all.extend(l);
        errors += e;
    }
    let seconds = counted_from.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Ok(Row {
        database,
        concurrency,
        offered,
        saves: all.len(),
        errors,
        seconds,
        p50: pct(0.50),
        p99: pct(0.99),
    })
}
