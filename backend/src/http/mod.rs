//! The HTTP surface: `/api` first, then the browser app for every other path.

mod admin;
pub mod auth;
mod error;
pub mod openapi;
mod outreach;
mod report_jobs;
mod research;
mod research_coding;
mod research_files;
mod respondent;
mod rounds;
mod static_files;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use sea_orm::DatabaseConnection;
use survey_definitions::SurveyDefinition;
use tokio::sync::RwLock;

pub use error::ApiError;
pub use respondent::{InvitationView, Submitted, VersionRequest};

/// Largest request body accepted (an answer set is a few KB).
pub const BODY_LIMIT: usize = 256 * 1024;

/// Round id → (SHA-256 of the text, parsed definition, when the hash was
/// last checked, the round's answering window).
type DefinitionCache = HashMap<i32, (String, Arc<SurveyDefinition>, std::time::Instant, Window)>;

/// When a round accepts answers (opens, closes).
type Window = (
    Option<chrono::DateTime<chrono::Utc>>,
    Option<chrono::DateTime<chrono::Utc>>,
);

/// How long a parsed definition is used before its stored hash is checked
/// again (a definition changes only when `omfang serve`/`migrate` loads one).
const DEFINITION_RECHECK: std::time::Duration = std::time::Duration::from_secs(1);

/// Shared state of all handlers.
#[derive(Clone)]
pub struct AppState {
    /// The database pool (on SQLite: the one writer connection).
    pub db: DatabaseConnection,
    /// Parsed definitions by round id, with the hash they were parsed from.
    definitions: Arc<RwLock<DefinitionCache>>,
    /// Invitations by token hash. Invitations never change once created;
    /// whatever deletes one later must evict it here.
    invitations: Arc<RwLock<HashMap<String, crate::db::entity::invitation::Model>>>,
    /// The last saved state per response, for autosave (see `journey::SnapshotCache`).
    pub snapshots: Arc<crate::db::journey::SnapshotCache>,
    /// Login attempts per e-mail and client address.
    pub login_limiter: auth::SharedLimiter,
    /// Wakes the server's wave sender (`crate::mail::spawn_sender`).
    pub sender: Arc<tokio::sync::Notify>,
    /// The server's secret (wave links, opt-out signatures).
    pub secret: crate::secret::ServerSecret,
    /// Reports being built for researchers, with their progress.
    pub report_jobs: Arc<report_jobs::ReportJobs>,
}

impl AppState {
    /// State over a database pool; `sender` wakes the wave sender.
    pub fn new(
        db: DatabaseConnection,
        sender: Arc<tokio::sync::Notify>,
        secret: crate::secret::ServerSecret,
    ) -> Self {
        AppState {
            sender,
            secret,
            db,
            definitions: Arc::default(),
            invitations: Arc::default(),
            snapshots: Arc::default(),
            login_limiter: Arc::default(),
            report_jobs: Arc::default(),
        }
    }

    /// The invitation behind a personal link's token (404 for unknown tokens).
    pub async fn invitation(
        &self,
        token: &str,
    ) -> Result<crate::db::entity::invitation::Model, ApiError> {
        let hash = crate::domain::InvitationToken::parse(token)?.hash();
        if let Some(inv) = self.invitations.read().await.get(&hash) {
            return Ok(inv.clone());
        }
        let inv = crate::db::journey::find_invitation(&self.db, token).await?;
        self.invitations.write().await.insert(hash, inv.clone());
        Ok(inv)
    }

    /// The parsed definition of a round, parsed once per definition text.
    pub async fn definition(&self, round_id: i32) -> Result<Arc<SurveyDefinition>, ApiError> {
        Ok(self.round(round_id).await?.0)
    }

    /// The parsed definition and answering window of a round, rechecked
    /// against the database at most once a second.
    async fn round(&self, round_id: i32) -> Result<(Arc<SurveyDefinition>, Window), ApiError> {
        if let Some((_, def, checked, window)) = self.definitions.read().await.get(&round_id)
            && checked.elapsed() < DEFINITION_RECHECK
        {
            return Ok((def.clone(), *window));
        }
        let (current, opens, closes) = crate::db::round::hash_of(&self.db, round_id).await?;
        let cached = self.definitions.read().await.get(&round_id).cloned();
        let def = match cached {
            Some((hash, def, _, _)) if hash == current => def,
            _ => Arc::new(
                crate::db::round::by_id(&self.db, round_id)
                    .await?
                    .parsed()?,
            ),
        };
        self.definitions.write().await.insert(
            round_id,
            (
                current,
                def.clone(),
                std::time::Instant::now(),
                (opens, closes),
            ),
        );
        Ok((def, (opens, closes)))
    }

    /// Ok if the round accepts answers now; else 403 with a Norwegian message.
    pub async fn accepting(&self, round_id: i32) -> Result<(), ApiError> {
        let (_, (opens, closes)) = self.round(round_id).await?;
        crate::db::round::window_check(opens, closes, chrono::Utc::now()).map_err(ApiError::Closed)
    }
}

/// The whole application router. `secure_cookies` marks the session cookie
/// Secure (set it when omfang is reached over TLS).
pub fn router(state: AppState, static_dir: &Path, secure_cookies: bool) -> Router {
    let accounts = Router::new()
        .merge(auth::router())
        .merge(research::router())
        .merge(admin::router())
        .layer(axum::middleware::from_fn(auth::same_origin))
        .layer(auth::session_layer(state.db.clone(), secure_cookies));
    let api = Router::new()
        .route("/openapi.json", axum::routing::get(openapi::document))
        .merge(rounds::router())
        .merge(respondent::router())
        .merge(outreach::router())
        .merge(accounts)
        .fallback(error::api_not_found)
        .layer(axum::middleware::map_response(error::json_errors));
    let router = Router::new()
        .nest("/api", api)
        .merge(outreach::pages())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
        .fallback_service(static_files::service(static_dir));
    // Request spans name the path with personal links' tokens and opt-out
    // signatures blanked, at every log level.
    let trace = tower_http::trace::TraceLayer::new_for_http().make_span_with(
        |req: &axum::http::Request<axum::body::Body>| {
            tracing::debug_span!("request", method = %req.method(), path = %redacted(req.uri().path()))
        },
    );
    security_headers(router).layer(trace)
}

/// A request path with secrets blanked: the token of `/svar/{token}…` and
/// `/api/r/{token}…`, and the signature of the opt-out addresses.
pub fn redacted(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    let secret_at = match parts.as_slice() {
        ["", "svar", ..] => Some(2),
        ["", "api", "r", ..] => Some(3),
        ["", "avmelding", _, _, ..] => Some(3),
        ["", "api", "optout", _, _, ..] => Some(4),
        _ => None,
    };
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if Some(i) == secret_at && !p.is_empty() {
                "***"
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The content security policy: scripts, styles and requests from omfang
/// itself only (`wasm-unsafe-eval` lets the browser compile the app's
/// WebAssembly), no framing, no plugins.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
form-action 'self'; frame-ancestors 'none'";

/// Security headers on every response, the app's and the API's. No
/// referrer is sent: a respondent's address holds the personal link's
/// token, and the privacy notice links to other sites.
fn security_headers(router: Router) -> Router {
    use axum::http::{HeaderName, HeaderValue, header};
    use tower_http::set_header::SetResponseHeaderLayer;
    let headers: [(HeaderName, &'static str); 4] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    headers.into_iter().fold(router, |r, (name, value)| {
        r.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn secrets_never_reach_the_log() {
        assert_eq!(
            redacted("/svar/abcDEF123/1/side/b1_om"),
            "/svar/***/1/side/b1_om"
        );
        assert_eq!(
            redacted("/api/r/abcDEF123/responses/4"),
            "/api/r/***/responses/4"
        );
        assert_eq!(redacted("/avmelding/12/deadbeef"), "/avmelding/12/***");
        assert_eq!(redacted("/api/optout/12/deadbeef"), "/api/optout/12/***");
        assert_eq!(redacted("/api/health"), "/api/health");
        assert_eq!(redacted("/admin"), "/admin");
    }
}
