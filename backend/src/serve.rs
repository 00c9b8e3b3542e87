//! The HTTP server loop: each connection gets a header-read timeout (a
//! client that trickles its headers is closed), their number is bounded,
//! replies go out without Nagle's delay, and shutdown waits for requests
//! under way.
//!
//! Written out rather than `axum::serve`, which sets no header timeout and
//! no connection limit; hyper-util's connection builder and graceful
//! shutdown do the work.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::Error;
use crate::config::TransportSettings;

/// Serves `router` on `listener` until `stop` completes.
pub async fn run(
    listener: TcpListener,
    router: Router,
    limits: &TransportSettings,
    stop: impl Future<Output = ()>,
) -> Result<(), Error> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(limits.header_timeout));
    let builder = Arc::new(builder);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    tokio::pin!(stop);
    loop {
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(error = %e, "accepting a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!(%remote, "connection limit reached; closing a new connection");
            continue;
        };
        // Replies go out whole: with Nagle's algorithm a reply written in two
        // parts waits for the client's delayed ACK (up to 40 ms on Linux).
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
        // The client's address, for the login limits (what axum's
        // `into_make_service_with_connect_info` would add).
        let service = TowerToHyperService::new(tower::ServiceExt::map_request(
            router.clone(),
            move |mut req: axum::http::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(remote));
                req
            },
        ));
        // hyper's header timeout starts with the first byte: a connection
        // that sends nothing at all is closed after the same time.
        let first_byte = Duration::from_secs(limits.header_timeout);
        let builder = builder.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let mut probe = [0u8; 1];
            if !matches!(tokio::time::timeout(first_byte, tcp.peek(&mut probe)).await, Ok(Ok(n)) if n > 0)
            {
                drop(slot);
                return;
            }
            let connection = builder.serve_connection_with_upgrades(TokioIo::new(tcp), service);
            if let Err(e) = watcher.watch(connection).await {
                tracing::debug!(error = %e, %remote, "connection ended");
            }
            drop(slot);
        });
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(Duration::from_secs(30)) => {
            tracing::warn!("requests still under way after 30 s; stopping anyway");
        }
    }
    Ok(())
}
