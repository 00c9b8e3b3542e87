//! Slow and idle clients cannot hold the server: a request whose headers
//! trickle in is closed after the header timeout, connections beyond the
//! limit are closed at once, and the server answers again afterwards.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{Db, spawn_app_configured};

/// Reads until the server closes the connection; how long that took.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Duration {
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(limit, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return started.elapsed(),
            Ok(Ok(_)) => continue,
            Err(_) => panic!("the connection was still open after {limit:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_headers_are_cut_off_and_connections_are_bounded() {
    let app = spawn_app_configured(Db::Sqlite, None, |s| {
        s.transport.header_timeout = 2;
        s.transport.max_connections = 3;
    })
    .await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    // Headers trickling in, one line a second: closed after about 2 s.
    let mut slow = TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /api/health HTTP/1.1\r\n")
        .await
        .unwrap();
    let trickle = async {
        for i in 0..10 {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if slow
                .write_all(format!("X-Slow-{i}: 1\r\n").as_bytes())
                .await
                .is_err()
            {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(6), trickle)
        .await
        .ok();
    let took = closed_within(&mut slow, Duration::from_secs(6)).await;
    assert!(
        took < Duration::from_secs(6),
        "slow headers held the connection"
    );

    // Three idle connections fill the limit; a fourth is closed at once.
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(TcpStream::connect(&addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut fourth = TcpStream::connect(&addr).await.unwrap();
    let _ = fourth
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let took = closed_within(&mut fourth, Duration::from_secs(1)).await;
    assert!(took < Duration::from_secs(1));
    // The idle ones are cut off by the header timeout; then the server answers again.
    for s in &mut idle {
        closed_within(s, Duration::from_secs(5)).await;
    }
    let (status, _) = app.get("/api/health").await;
    assert_eq!(status, 200);
}
