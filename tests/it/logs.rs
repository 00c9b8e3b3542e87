//! Personal links' tokens never reach the log, at any level: the real
//! binary runs at `RUST_LOG=debug` while a respondent opens a link and
//! saves, and its log is searched for the token.

use std::process::{Command, Stdio};

use crate::durability::{invite, omfang_binary, wait_until_up};
use crate::helpers::{Db, fresh_database};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_never_reach_the_log_even_at_debug_level() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _guard) = fresh_database(Db::Sqlite, dir.path()).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = dir.path().join("omfang.log");
    let mut child = Command::new(omfang_binary())
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    wait_until_up(port).await;
    let client = reqwest::Client::new();
    let token = invite(&url);
    let _ = client
        .get(format!("{base}/svar/{token}"))
        .send()
        .await
        .unwrap();
    let _ = client
        .get(format!("{base}/api/r/{token}"))
        .send()
        .await
        .unwrap();
    let created: serde_json::Value = client
        .post(format!("{base}/api/r/{token}/responses"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let saved = client
        .put(format!("{base}/api/r/{token}/responses/{id}"))
        .json(&serde_json::json!({"version": 1, "values": {"gate": 3}}))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status().as_u16(), 200);
    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("/api/r/***/responses"),
        "requests are logged, with the token blanked"
    );
    assert!(!text.contains(&token), "the token reached the log");
}
