//! Serves the built browser app; client routes fall back to `index.html`.

use std::convert::Infallible;
use std::path::Path;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::routing::{MethodRouter, get_service};
use tower_http::services::{ServeDir, ServeFile};

const NOT_BUILT: &str = "<!doctype html><html lang=\"nb\"><meta charset=\"utf-8\"><title>omfang</title>\
<p>Nettleserappen er ikke bygget. Kjør <code>cargo xtask serve</code>.</p></html>";

/// The static-file service for `dir`, or a page saying the app is not built.
pub fn service(dir: &Path) -> MethodRouter {
    let index = dir.join("index.html");
    if index.is_file() {
        get_service(
            ServeDir::new(dir)
                .precompressed_gzip()
                .fallback(ServeFile::new(index)),
        )
    } else {
        tracing::warn!(dir = %dir.display(), "browser app not built; serving a notice");
        get_service(tower::service_fn(|_req| async {
            Ok::<_, Infallible>((StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)).into_response())
        }))
    }
}
