//! The HTTP surface: `/api` first, then the browser app for every other path.

mod error;
mod rounds;
mod static_files;

use std::path::Path;

use axum::Router;
use sea_orm::DatabaseConnection;

pub use error::ApiError;

/// Shared state of all handlers.
#[derive(Clone)]
pub struct AppState {
    /// The database pool.
    pub db: DatabaseConnection,
}

/// The whole application router.
pub fn router(state: AppState, static_dir: &Path) -> Router {
    let api = Router::new()
        .merge(rounds::router())
        .fallback(error::api_not_found);
    Router::new()
        .nest("/api", api)
        .with_state(state)
        .fallback_service(static_files::service(static_dir))
        .layer(tower_http::trace::TraceLayer::new_for_http())
}
