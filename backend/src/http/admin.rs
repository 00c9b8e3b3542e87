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
        .route("/admin/waves", get(waves))
        .route("/admin/rounds/{survey}/status", get(status))
        .route("/admin/rounds/{survey}/status.csv", get(status_csv))
}

/// `GET /api/admin/waves`: every wave with its delivery progress, newest first.
#[utoipa::path(get, path = "/api/admin/waves", tag = "admin", responses((status = 200, body = [crate::db::outreach::WaveProgress]), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn waves(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<crate::db::outreach::WaveProgress>>, ApiError> {
    CurrentUser::require(&state, &session, Role::Admin).await?;
    Ok(Json(crate::db::outreach::waves(&state.db).await?))
}

/// `GET /api/admin/rounds/{survey}/status`: the response-rate dashboard.
#[utoipa::path(get, path = "/api/admin/rounds/{survey}/status", tag = "admin", params(("survey" = String, Path)), responses((status = 200, body = crate::db::outreach::RoundStatus), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn status(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Path(survey): axum::extract::Path<String>,
) -> Result<Json<crate::db::outreach::RoundStatus>, ApiError> {
    CurrentUser::require(&state, &session, Role::Admin).await?;
    Ok(Json(
        crate::db::outreach::round_status(&state.db, &survey).await?,
    ))
}

/// `GET /api/admin/rounds/{survey}/status.csv`: the status list for Excel (`;`, UTF-8 with BOM).
#[utoipa::path(get, path = "/api/admin/rounds/{survey}/status.csv", tag = "admin", params(("survey" = String, Path)), responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn status_csv(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Path(survey): axum::extract::Path<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let user = CurrentUser::require(&state, &session, Role::Admin).await?;
    let s = crate::db::outreach::round_status(&state.db, &survey).await?;
    let csv = crate::db::outreach::status_csv(&s)?;
    accounts::audit(
        &state.db,
        &user.user.email,
        "export",
        &format!("status list {survey}"),
    )
    .await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"status.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
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
