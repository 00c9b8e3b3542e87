//! `cargo xtask bench`: autosave throughput and latency.
//!
//! The release `omfang` runs as its own process on a fresh database; this
//! process is the load generator. Each virtual respondent owns a response
//! and saves a realistic answer set (about 25 answers) again and again,
//! sending the version it got back, as the browser does.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::{cargo, ensure_packages, ensure_postgres, step, target_dir};

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
    let mut rows = Vec::new();
    for database in ["SQLite", "PostgreSQL"] {
        if only.is_some_and(|o| !o.eq_ignore_ascii_case(database)) {
            continue;
        }
        for concurrency in [50, 200] {
            let name = format!("omfang_bench_{}_{concurrency}", std::process::id());
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
                "{database}, {concurrency} concurrent respondents, {seconds} s"
            ));
            let port = std::net::TcpListener::bind("127.0.0.1:0")?
                .local_addr()?
                .port();
            let server = start(&bin, &url, port)?;
            let token = invite(&bin, &url)?;
            let row = runtime.block_on(load(
                database,
                port,
                &token,
                concurrency,
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
    println!("\n| database | concurrent respondents | saves | saves/s | p50 | p99 | errors |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {:.0} | {:.1} ms | {:.1} ms | {} |",
            r.database,
            r.concurrency,
            r.saves,
            r.saves as f64 / r.seconds,
            r.p50.as_secs_f64() * 1e3,
            r.p99.as_secs_f64() * 1e3,
            r.errors
        );
    }
    println!(
        "\nGoal: ≥ 3 000 saves/s on SQLite with p99 < 25 ms. Machine: {} cores.",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    Ok(())
}

fn start(bin: &PathBuf, url: &str, port: u16) -> Result<Server> {
    let child = Command::new(bin)
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

/// A realistic branch-1 answer set that changes with `n`.
fn answers(n: u64) -> Value {
    json!({
        "fylke": "11", "kommune": "1103", "navn": "Kari Nordmann", "stilling": "Leder", "gate": 1,
        "1.1": "Uteseksjonen", "1.2": 0, "1.3": 1, "1.4": 1, "1.5": 2, "1.6": 1, "1.6:1": "Ungdomsråd",
        "1.7": {"lower": 12, "upper": 25}, "1.8": {"lower": 14, "upper": 18}, "1.9": [0, 2, 3],
        "1.10": 8, "1.10.1": "7,5", "1.10.2": 6, "1.10.3": 2,
        "1.11": {"2": 3, "4": 2, "6": 2, "13": 1},
        "1.13": [0, 1, 2, 6, 11], "1.14": 60, "1.15": [2, 3, 5], "1.16": 1, "1.16.1": [1, 3, 4],
        "1.19": format!("Faste møtepunkter og god kjennskap til hverandre (utkast {n})."),
    })
}

async fn load(
    database: &'static str,
    port: u16,
    token: &str,
    concurrency: usize,
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
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for id in ids {
        let (client, url) = (client.clone(), format!("{base}/responses/{id}"));
        tasks.spawn(async move {
            let mut version = 1i64;
            let (mut latencies, mut errors) = (Vec::new(), 0usize);
            let mut n = 0u64;
            while started.elapsed() < duration {
                n += 1;
                let t = Instant::now();
                let sent = client
                    .put(&url)
                    .json(&json!({"version": version, "values": answers(n)}))
                    .send()
                    .await;
                match sent {
                    Ok(resp) if resp.status().is_success() => {
                        let body: Value = resp.json().await.unwrap_or_default();
                        version = body["version"].as_i64().unwrap_or(version);
                        latencies.push(t.elapsed());
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
    let seconds = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Ok(Row {
        database,
        concurrency,
        saves: all.len(),
        errors,
        seconds,
        p50: pct(0.50),
        p99: pct(0.99),
    })
}
