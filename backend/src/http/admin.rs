//! The administrators' API: accounts and the audit trail.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use tower_sessions::Session;

use super::auth::CurrentUser;
use super::{ApiError, AppState};
use crate::db::accounts::{self, Role};

/// Routes under `/api/admin`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users))
        .route("/admin/audit", get(audit))
}

/// An account as administrators see it (never its hash).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserView {
    /// E-mail.
    pub email: String,
    /// `admin` or `researcher`.
    pub role: String,
    /// Can log in.
    pub active: bool,
    /// Created (RFC 3339).
    pub created_at: String,
}

/// `GET /api/admin/users`.
#[utoipa::path(get, path = "/api/admin/users", tag = "admin", responses((status = 200, body = [UserView]), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn users(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<UserView>>, ApiError> {
    CurrentUser::require(&state, &session, Role::Admin).await?;
    Ok(Json(
        accounts::users(&state.db)
            .await?
            .into_iter()
            .map(|u| UserView {
                email: u.email,
                role: u.role,
                active: u.active,
                created_at: u.created_at.to_rfc3339(),
            })
            .collect(),
    ))
}

/// One audit event.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEvent {
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// Details.
    pub detail: String,
}

/// `GET /api/admin/audit`: the newest 1 000 events, newest first.
#[utoipa::path(get, path = "/api/admin/audit", tag = "admin", responses((status = 200, body = [AuditEvent]), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn audit(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<AuditEvent>>, ApiError> {
    CurrentUser::require(&state, &session, Role::Admin).await?;
    Ok(Json(
        accounts::audit_trail(&state.db, 1000)
            .await?
            .into_iter()
            .map(|e| AuditEvent {
                at: e.at.to_rfc3339(),
                actor: e.actor,
                action: e.action,
                detail: e.detail,
            })
            .collect(),
    ))
}
