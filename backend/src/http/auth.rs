//! Accounts over HTTP: log in, log out, who am I, change password; the
//! server-side session store; role checks; and the CSRF guard.
//!
//! Sessions are tower-sessions sessions kept in the database (the session
//! id only as SHA-256) behind a cookie that is HttpOnly, SameSite=Strict,
//! and Secure when omfang is served over TLS (`--secure-cookies`).
//! Cross-site request forgery is stopped three times over: the cookie is
//! not sent cross-site (SameSite=Strict); state-changing requests need a
//! JSON body, which a cross-site form cannot send without a CORS preflight
//! that omfang never grants; and an `Origin` header, when present, must be
//! omfang's own. Login attempts are rate-limited per (e-mail, client
//! address) and per client address with governor, so a guesser elsewhere
//! cannot lock the owner out; repeated refusals make one audit row a
//! minute; a password change ends the account's other sessions.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use async_trait::async_trait;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{TimeZone, Utc};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, sea_query::OnConflict};
use sha2::{Digest, Sha256};
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions::{Expiry, Session, SessionManagerLayer};

use super::error::ApiJson;
use super::{ApiError, AppState};
use crate::db::accounts::{self, Role, app_user, session};
pub use api::account::{LoginRequest, Me, PasswordRequest};

const USER_KEY: &str = "user_id";

/// Routes under `/api/auth`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
        .route("/auth/password", post(password))
}

/// Sessions in the database; ids are stored only as SHA-256.
#[derive(Debug, Clone)]
pub struct DbSessionStore(pub DatabaseConnection);

fn id_hash(id: &Id) -> String {
    hex::encode(Sha256::digest(id.to_string().as_bytes()))
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data).map_err(backend)?;
        let expires = Utc
            .timestamp_opt(record.expiry_date.unix_timestamp(), 0)
            .single()
            .unwrap_or_else(Utc::now);
        session::Entity::insert(session::ActiveModel {
            id_sha256: Set(id_hash(&record.id)),
            data: Set(data),
            expires_at: Set(expires),
        })
        .on_conflict(
            OnConflict::column(session::Column::IdSha256)
                .update_columns([session::Column::Data, session::Column::ExpiresAt])
                .to_owned(),
        )
        .exec(&self.0)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(row) = session::Entity::find_by_id(id_hash(id))
            .one(&self.0)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        if row.expires_at <= Utc::now() {
            return Ok(None);
        }
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&row.data).map_err(backend)?,
            expiry_date: OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
                .map_err(backend)?,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(id_hash(id))
            .exec(&self.0)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// The session layer: cookie `omfang_session`, 8 hours of inactivity.
pub fn session_layer(db: DatabaseConnection, secure: bool) -> SessionManagerLayer<DbSessionStore> {
    SessionManagerLayer::new(DbSessionStore(db))
        .with_name("omfang_session")
        .with_http_only(true)
        .with_same_site(tower_sessions::cookie::SameSite::Strict)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::hours(8),
        ))
}

/// Login attempts allowed: 5 a minute per e-mail, 30 a minute per client
/// address (an office behind one address has several people).
pub struct LoginLimiter {
    /// Per (e-mail, client): a guesser elsewhere cannot lock the owner out.
    by_email_and_client: DefaultKeyedRateLimiter<String>,
    by_client: DefaultKeyedRateLimiter<String>,
    /// Password changes per account.
    password_changes: DefaultKeyedRateLimiter<i32>,
    /// When a refusal was last written to the audit trail, per key: repeated
    /// refusals make one audit row a minute, not one each.
    audited: std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        let per_minute = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        LoginLimiter {
            by_email_and_client: RateLimiter::keyed(per_minute(5)),
            by_client: RateLimiter::keyed(per_minute(30)),
            password_changes: RateLimiter::keyed(per_minute(5)),
            audited: Default::default(),
        }
    }
}

impl LoginLimiter {
    /// Whether a refusal for `key` should be audited now (once a minute).
    fn first_refusal(&self, key: &str) -> bool {
        let Ok(mut seen) = self.audited.lock() else {
            return true;
        };
        let now = std::time::Instant::now();
        if seen.len() > 10_000 {
            seen.retain(|_, t| now.duration_since(*t).as_secs() < 60);
        }
        match seen.get(key) {
            Some(t) if now.duration_since(*t).as_secs() < 60 => false,
            _ => {
                seen.insert(key.to_owned(), now);
                true
            }
        }
    }
}

/// Longest e-mail address a login may name (RFC 5321's path limit).
const MAX_EMAIL: usize = 254;
/// Session key: when this session logged in (ms since the epoch); a
/// password changed later ends it.
const LOGIN_AT_KEY: &str = "login_at";

impl std::fmt::Debug for LoginLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoginLimiter")
    }
}

/// The logged-in account.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The account.
    pub user: app_user::Model,
    /// Its role.
    pub role: Role,
}

impl CurrentUser {
    /// The logged-in account, or 401.
    pub async fn from_session(
        state: &AppState,
        session: &Session,
    ) -> Result<CurrentUser, ApiError> {
        let id: Option<i32> = session
            .get(USER_KEY)
            .await
            .map_err(|_| ApiError::Unauthorized)?;
        let Some(id) = id else {
            return Err(ApiError::Unauthorized);
        };
        let user = accounts::user(&state.db, id)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        // Sessions from before the last password change are over.
        let login_at: i64 = session.get(LOGIN_AT_KEY).await.ok().flatten().unwrap_or(0);
        if login_at < user.password_changed_at.timestamp_millis() {
            return Err(ApiError::Unauthorized);
        }
        let role = Role::parse(&user.role)?;
        Ok(CurrentUser { user, role })
    }

    /// The logged-in account if its role is at least `role`: 401 when not
    /// logged in, 403 when the role is lower.
    pub async fn require(
        state: &AppState,
        session: &Session,
        role: Role,
    ) -> Result<CurrentUser, ApiError> {
        let user = Self::from_session(state, session).await?;
        if user.role < role {
            return Err(ApiError::Forbidden);
        }
        Ok(user)
    }
}

/// The logged-in account with at least role `R`, taken from the request's
/// parts: as an extractor it runs before any body is read, so an anonymous
/// request gets 401 (and too low a role 403) whatever its body.
pub struct Authorized<const R: u8>(pub CurrentUser);

/// An administrator ([`Authorized`]).
pub type Admin = Authorized<{ Role::Admin as u8 }>;
/// A researcher or administrator ([`Authorized`]).
pub type Researcher = Authorized<{ Role::Researcher as u8 }>;

impl<const R: u8> axum::extract::FromRequestParts<AppState> for Authorized<R> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::Unauthorized)?;
        let role = if R == Role::Admin as u8 {
            Role::Admin
        } else {
            Role::Researcher
        };
        Ok(Authorized(
            CurrentUser::require(state, &session, role).await?,
        ))
    }
}

/// Refuses state-changing requests whose `Origin` is not omfang's own.
pub async fn same_origin(request: Request, next: Next) -> Result<Response, ApiError> {
    if !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) && let Some(origin) = request.headers().get(header::ORIGIN)
    {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default();
        let origin = origin.to_str().unwrap_or_default();
        let own = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .is_some_and(|rest| rest == host);
        if !own {
            return Err(ApiError::Forbidden);
        }
    }
    Ok(next.run(request).await)
}

/// The client's address, when the server was started with connect info
/// (`Application::run` does); empty otherwise.
fn client(extensions: &axum::http::Extensions) -> String {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip().to_string())
        .unwrap_or_default()
}

/// `POST /api/auth/login`.
#[utoipa::path(post, path = "/api/auth/login", tag = "accounts", request_body = LoginRequest, responses((status = 200, body = Me), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 429, body = crate::http::openapi::ErrorResponse)))]
pub async fn login(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    session: Session,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<Me>, ApiError> {
    let email = req.email.trim().to_lowercase();
    if email.len() > MAX_EMAIL {
        // Refused before anything is written: no one fills the audit trail.
        return Err(ApiError::BadRequest(format!(
            "an e-mail address has at most {MAX_EMAIL} characters"
        )));
    }
    let from = client(&extensions);
    let limiter = &state.login_limiter;
    let pair = format!("{email} {from}");
    if limiter.by_email_and_client.check_key(&pair).is_err()
        || limiter.by_client.check_key(&from).is_err()
    {
        if limiter.first_refusal(&pair) {
            accounts::audit(
                &state.db,
                &email,
                "login_limited",
                &format!("from {from} (further refusals this minute not recorded)"),
            )
            .await?;
        }
        return Err(ApiError::TooManyRequests(
            "too many login attempts; wait a minute and try again".into(),
        ));
    }
    let Some(user) = accounts::authenticate(&state.db, &email, &req.password).await? else {
        accounts::audit(&state.db, &email, "login_failed", &format!("from {from}")).await?;
        return Err(ApiError::Unauthorized);
    };
    // A fresh session id at login (no fixation).
    session
        .cycle_id()
        .await
        .map_err(|e| ApiError::Internal(crate::Error::Config(e.to_string())))?;
    session
        .insert(USER_KEY, user.id)
        .await
        .map_err(|e| ApiError::Internal(crate::Error::Config(e.to_string())))?;
    mark_login(&session).await?;
    accounts::audit(&state.db, &user.email, "login", &format!("from {from}")).await?;
    Ok(Json(Me {
        email: user.email,
        role: user.role,
    }))
}

/// `POST /api/auth/logout`.
#[utoipa::path(post, path = "/api/auth/logout", tag = "accounts", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    session: Session,
) -> Result<axum::http::StatusCode, ApiError> {
    if let Ok(user) = CurrentUser::from_session(&state, &session).await {
        accounts::audit(&state.db, &user.user.email, "logout", "").await?;
    }
    session
        .flush()
        .await
        .map_err(|e| ApiError::Internal(crate::Error::Config(e.to_string())))?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// `GET /api/auth/me`.
#[utoipa::path(get, path = "/api/auth/me", tag = "accounts", responses((status = 200, body = Me), (status = 401, body = crate::http::openapi::ErrorResponse)))]
pub async fn me(State(state): State<AppState>, session: Session) -> Result<Json<Me>, ApiError> {
    let user = CurrentUser::from_session(&state, &session).await?;
    Ok(Json(Me {
        email: user.user.email,
        role: user.user.role,
    }))
}

/// `POST /api/auth/password`.
#[utoipa::path(post, path = "/api/auth/password", tag = "accounts", request_body = PasswordRequest, responses((status = 204), (status = 400, body = crate::http::openapi::ErrorResponse), (status = 401, body = crate::http::openapi::ErrorResponse)))]
pub async fn password(
    State(state): State<AppState>,
    Authorized(user): Researcher,
    session: Session,
    ApiJson(req): ApiJson<PasswordRequest>,
) -> Result<axum::http::StatusCode, ApiError> {
    if state
        .login_limiter
        .password_changes
        .check_key(&user.user.id)
        .is_err()
    {
        return Err(ApiError::TooManyRequests(
            "too many password changes; wait a minute and try again".into(),
        ));
    }
    accounts::change_password(&state.db, &user.user, &req.current, &req.new).await?;
    // Every other session of the account ends; this one goes on.
    mark_login(&session).await?;
    accounts::audit(&state.db, &user.user.email, "password_changed", "").await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Records in the session when it logged in (or changed the password).
async fn mark_login(session: &Session) -> Result<(), ApiError> {
    session
        .insert(LOGIN_AT_KEY, chrono::Utc::now().timestamp_millis())
        .await
        .map_err(|e| ApiError::Internal(crate::Error::Config(e.to_string())))
}

/// Shared limiter type for [`AppState`].
pub type SharedLimiter = Arc<LoginLimiter>;
