//! The respondent's API, reached through the personal link's token. A token
//! sees only its own invitation's responses.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use survey_definitions::SurveyDefinition;

use super::error::ApiJson;
use super::{ApiError, AppState};
use crate::db::journey::{self, ResponseState, SaveRequest};
use crate::db::{places, round};
use crate::registry::Registry;
pub use api::respondent::{InvitationView, ResponseSummary, Submitted, VersionRequest};

/// The personal link of a request, checked from its path before any body
/// is read: an unknown token gets 404 whatever the body.
pub struct Link;

impl axum::extract::FromRequestParts<AppState> for Link {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let params = axum::extract::RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound("invitation not found".into()))?;
        let token = params
            .iter()
            .find(|(name, _)| *name == "token")
            .map(|(_, value)| value.to_owned())
            .ok_or_else(|| ApiError::NotFound("invitation not found".into()))?;
        state.invitation(&token).await?;
        Ok(Link)
    }
}

/// Routes under `/api`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/r/{token}", get(open))
        .route("/r/{token}/definition", get(definition))
        .route("/r/{token}/registry", get(registry))
        .route("/r/{token}/responses", post(start))
        .route("/r/{token}/responses/{id}", get(load).put(save))
        .route("/r/{token}/responses/{id}/submit", post(submit))
        .route("/r/{token}/responses/{id}/reopen", post(reopen))
        .route("/r/{token}/responses/{id}/discard", post(discard))
}

async fn context(
    state: &AppState,
    token: &str,
) -> Result<
    (
        crate::db::entity::invitation::Model,
        std::sync::Arc<SurveyDefinition>,
    ),
    ApiError,
> {
    let inv = state.invitation(token).await?;
    let def = state.definition(inv.round_id).await?;
    Ok((inv, def))
}

#[utoipa::path(get, path = "/api/r/{token}", tag = "respondent", params(("token" = String, Path, description = "The personal link's token")), responses((status = 200, body = InvitationView), (status = 404, description = "Unknown link", body = crate::http::openapi::ErrorResponse)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn open(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<InvitationView>, ApiError> {
    let (inv, def) = context(&state, &token).await?;
    let r = round::by_id(&state.db, inv.round_id).await?;
    let reg = places::load(&state.db, r.registry_year).await?;
    let municipality_name = reg
        .municipalities
        .iter()
        .find(|m| m.number == inv.municipality_number)
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let responses = journey::summaries(&state.db, &def, &inv)
        .await?
        .into_iter()
        .map(|s| ResponseSummary {
            id: s.response.id,
            status: s.response.status,
            branch: s.response.branch,
            version: s.response.version,
            updated_at: s.response.updated_at.to_rfc3339(),
            submitted_at: s.response.submitted_at.map(|t| t.to_rfc3339()),
            label: s.label,
            deletable: s.deletable,
        })
        .collect::<Vec<_>>();
    let mut closed = round::window_check(r.opens_at, r.closes_at, chrono::Utc::now()).err();
    // Once per unit: a link whose unit has answered through another link
    // says so before the respondent starts, not after typing.
    if def.survey.responses_per_link == Some(1)
        && responses.is_empty()
        && closed.is_none()
        && let Err(crate::Error::Invalid { message, .. }) =
            journey::once_per_unit(&state.db, &inv, 0).await
    {
        closed = Some(message);
    }
    Ok(Json(InvitationView {
        survey_id: r.survey_id,
        title: r.title,
        municipality: inv.municipality_number,
        municipality_name,
        district: inv.district_number,
        responses,
        opens_at: r.opens_at.map(|t| t.to_rfc3339()),
        closes_at: r.closes_at.map(|t| t.to_rfc3339()),
        closed,
        window: round::window_text(r.opens_at, r.closes_at),
        retention_until: r.retention_until.map(|t| t.to_rfc3339()),
    }))
}

#[utoipa::path(get, path = "/api/r/{token}/definition", tag = "respondent", params(("token" = String, Path)), responses((status = 200, description = "The parsed survey definition", body = Object), (status = 404, description = "Unknown link", body = crate::http::openapi::ErrorResponse)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn definition(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<SurveyDefinition>, ApiError> {
    let (_, def) = context(&state, &token).await?;
    Ok(Json((*def).clone()))
}

#[utoipa::path(get, path = "/api/r/{token}/registry", tag = "respondent", params(("token" = String, Path)), responses((status = 200, body = crate::registry::Registry), (status = 404, description = "Unknown link", body = crate::http::openapi::ErrorResponse)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn registry(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<Registry>, ApiError> {
    let inv = state.invitation(&token).await?;
    let r = round::by_id(&state.db, inv.round_id).await?;
    Ok(Json(places::load(&state.db, r.registry_year).await?))
}

#[utoipa::path(post, path = "/api/r/{token}/responses", tag = "respondent", params(("token" = String, Path)), responses((status = 201, description = "A new response for another service", body = ResponseState), (status = 404, description = "Unknown link", body = crate::http::openapi::ErrorResponse)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn start(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<(StatusCode, Json<ResponseState>), ApiError> {
    let (inv, def) = context(&state, &token).await?;
    state.accepting(inv.round_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(journey::start(&state.db, &def, &inv).await?),
    ))
}

#[utoipa::path(get, path = "/api/r/{token}/responses/{id}", tag = "respondent", params(("token" = String, Path), ("id" = i32, Path)), responses((status = 200, body = ResponseState), (status = 404, description = "Unknown link", body = crate::http::openapi::ErrorResponse)))]
#[tracing::instrument(skip_all, fields(id))]
pub(crate) async fn load(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, i32)>,
) -> Result<Json<ResponseState>, ApiError> {
    let inv = state.invitation(&token).await?;
    Ok(Json(journey::load(&state.db, &inv, id).await?))
}

#[utoipa::path(put, path = "/api/r/{token}/responses/{id}", tag = "respondent", params(("token" = String, Path), ("id" = i32, Path)), request_body = SaveRequest, responses((status = 200, body = ResponseState), (status = 400, description = "Malformed JSON", body = crate::http::openapi::ErrorResponse), (status = 409, description = "Stale version or already submitted; `current` holds the server state", body = crate::http::openapi::ErrorResponse), (status = 413, description = "Body over 256 KB"), (status = 422, description = "Unknown items or invalid answers; `report` holds per-item Norwegian messages; nothing was saved", body = crate::http::openapi::ErrorResponse), (status = 404, description = "Unknown link", body = crate::http::openapi::ErrorResponse)))]
#[tracing::instrument(skip_all, fields(id))]
pub(crate) async fn save(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, i32)>,
    _link: Link,
    ApiJson(req): ApiJson<SaveRequest>,
) -> Result<Json<ResponseState>, ApiError> {
    let (inv, def) = context(&state, &token).await?;
    state.accepting(inv.round_id).await?;
    Ok(Json(
        journey::save(&state.db, &state.snapshots, &def, &inv, id, &req).await?,
    ))
}

#[utoipa::path(post, path = "/api/r/{token}/responses/{id}/submit", tag = "respondent", params(("token" = String, Path), ("id" = i32, Path)), request_body = VersionRequest, responses((status = 200, body = Submitted), (status = 409, body = crate::http::openapi::ErrorResponse), (status = 422, description = "Missing or invalid answers", body = crate::http::openapi::ErrorResponse), (status = 404, description = "Unknown link", body = crate::http::openapi::ErrorResponse)))]
#[tracing::instrument(skip_all, fields(id))]
pub(crate) async fn submit(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, i32)>,
    _link: Link,
    ApiJson(req): ApiJson<VersionRequest>,
) -> Result<Json<Submitted>, ApiError> {
    let (inv, def) = context(&state, &token).await?;
    state.accepting(inv.round_id).await?;
    state.snapshots.forget(id);
    let (state, report) = journey::submit(&state.db, &def, &inv, id, req.version).await?;
    Ok(Json(Submitted { state, report }))
}

#[utoipa::path(post, path = "/api/r/{token}/responses/{id}/reopen", tag = "respondent", params(("token" = String, Path), ("id" = i32, Path)), request_body = VersionRequest, responses((status = 200, body = ResponseState), (status = 409, body = crate::http::openapi::ErrorResponse), (status = 404, description = "Unknown link", body = crate::http::openapi::ErrorResponse)))]
#[tracing::instrument(skip_all, fields(id))]
pub(crate) async fn reopen(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, i32)>,
    _link: Link,
    ApiJson(req): ApiJson<VersionRequest>,
) -> Result<Json<ResponseState>, ApiError> {
    let inv = state.invitation(&token).await?;
    state.accepting(inv.round_id).await?;
    state.snapshots.forget(id);
    Ok(Json(
        journey::reopen(&state.db, &inv, id, req.version).await?,
    ))
}

#[utoipa::path(post, path = "/api/r/{token}/responses/{id}/discard", tag = "respondent", params(("token" = String, Path), ("id" = i32, Path)), request_body = VersionRequest, responses((status = 204, description = "The draft is deleted (kept in storage as discarded, out of every list and analysis)"), (status = 409, description = "Sent in at some time, or a stale version", body = crate::http::openapi::ErrorResponse), (status = 404, description = "Unknown link", body = crate::http::openapi::ErrorResponse)))]
#[tracing::instrument(skip_all, fields(id))]
pub(crate) async fn discard(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, i32)>,
    _link: Link,
    ApiJson(req): ApiJson<VersionRequest>,
) -> Result<StatusCode, ApiError> {
    let (inv, def) = context(&state, &token).await?;
    state.snapshots.forget(id);
    journey::discard(&state.db, &def, &inv, id, req.version).await?;
    Ok(StatusCode::NO_CONTENT)
}
