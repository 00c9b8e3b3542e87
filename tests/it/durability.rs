//! Durability: SIGKILL the server process in the middle of autosave load,
//! restart it on the same database, and check that every save the server
//! acknowledged is there — on both databases.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{fresh_database, on_both_databases};

/// The `omfang` binary cargo built next to this test executable.
pub(crate) fn omfang_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe
        .parent()
        .and_then(|p| p.parent())
        .expect("target/<profile>/deps/<test>");
    let bin = dir.join("omfang");
    assert!(
        bin.is_file(),
        "{} not built (run the tests through cargo, which builds it)",
        bin.display()
    );
    bin
}

/// A server process; killed when dropped.
pub(crate) struct Server(pub(crate) Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `omfang serve` as a process of its own and waits until it answers.
pub(crate) async fn start(url: &str, port: u16, static_dir: &str) -> Server {
    let child = Command::new(omfang_binary())
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--static-dir",
            static_dir,
        ])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting omfang");
    wait_until_up(port).await;
    Server(child)
}

/// Waits until an `omfang serve` on `port` answers (at most 30 s).
pub(crate) async fn wait_until_up(port: u16) {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while client
        .get(format!("http://127.0.0.1:{port}/api/health"))
        .send()
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "omfang did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Creates an invitation with the CLI and returns its token.
pub(crate) fn invite(url: &str) -> String {
    let out = Command::new(omfang_binary())
        .args([
            "invite",
            "create",
            "--round",
            "korus-2025",
            "--municipality",
            "0301",
            "--email",
            "last@oslo.kommune.no",
        ])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("omfang invite create");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = String::from_utf8(out.stdout).unwrap();
    link.trim().rsplit('/').next().unwrap().to_owned()
}

on_both_databases! {
    async fn acknowledged_saves_survive_sigkill(kind: Db) {
        let dir = tempfile::tempdir().unwrap();
        let (url, _admin) = fresh_database(kind, dir.path()).await;
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let mut server = start(&url, port, "/nonexistent").await;
        let token = invite(&url);
        let client = reqwest::Client::new();
        let mut ids = Vec::new();
        for _ in 0..16 {
            let r: Value = client.post(format!("{base}/api/r/{token}/responses")).send().await.unwrap().json().await.unwrap();
            ids.push(r["id"].as_i64().unwrap());
        }
        let stop = Arc::new(AtomicBool::new(false));
        let mut writers = tokio::task::JoinSet::new();
        for id in ids.clone() {
            let (client, base, token, stop) = (client.clone(), base.clone(), token.clone(), stop.clone());
            writers.spawn(async move {
                let (mut version, mut acked) = (1i64, 0i64);
                let mut n = 0i64;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let body = json!({"version": version, "values": {"gate": 1, "1.10": n}});
                    let sent = client.put(format!("{base}/api/r/{token}/responses/{id}")).json(&body).timeout(Duration::from_secs(5)).send().await;
                    match sent {
                        Ok(resp) if resp.status().as_u16() == 200 => {
                            let st: Value = resp.json().await.unwrap_or_default();
                            if let Some(v) = st["version"].as_i64() {
                                version = v;
                                acked = n;
                            }
                        }
                        _ => break,
                    }
                }
                (id, acked, version)
            });
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        // SIGKILL: no shutdown, no flush, mid-write.
        server.0.kill().unwrap();
        server.0.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        let results: Vec<(i64, i64, i64)> = writers.join_all().await;
        let total: i64 = results.iter().map(|r| r.1).sum();
        assert!(total > 50, "the load acknowledged only {total} saves before the kill");

        let _server = start(&url, port, "/nonexistent").await;
        for (id, acked, version) in results {
            let st: Value = client.get(format!("{base}/api/r/{token}/responses/{id}")).send().await.unwrap().json().await.unwrap();
            let stored = st["answers"]["values"]["1.10"].as_i64().unwrap_or(0);
            assert!(stored >= acked, "response {id}: acknowledged save {acked} lost (stored {stored})");
            assert!(st["version"].as_i64().unwrap() >= version, "response {id}: version went back");
        }
    }
}
