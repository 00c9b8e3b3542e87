//! The respondent's API, reached through the personal link's token. A token
//! sees only its own invitation's responses.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use survey_definitions::{SurveyDefinition, ValidationReport};

use super::error::ApiJson;
use super::{ApiError, AppState};
use crate::db::journey::{self, ResponseState, SaveRequest};
use crate::db::{places, round};
use crate::registry::Registry;

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
}

/// What a personal link opens.
#[derive(Debug, Serialize, Deserialize)]
pub struct InvitationView {
    /// Survey id of the round.
    pub survey_id: String,
    /// Title of the round.
    pub title: String,
    /// Municipality number.
    pub municipality: String,
    /// Municipality name.
    pub municipality_name: String,
    /// District or agency number.
    pub district: Option<String>,
    /// The responses (services) started from this link.
    pub responses: Vec<ResponseSummary>,
}

/// One response in the list.
#[derive(Debug, Serialize, Deserialize)]
pub struct ResponseSummary {
    /// Response id.
    pub id: i32,
    /// `draft` or `submitted`.
    pub status: String,
    /// Gate answer.
    pub branch: Option<i32>,
    /// Current version.
    pub version: i64,
    /// Last change (RFC 3339).
    pub updated_at: String,
}

/// The version a submit or reopen is based on.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionRequest {
    /// The version the client saw.
    pub version: i64,
}

/// A submitted response with the engine's final report (warnings included).
#[derive(Debug, Serialize, Deserialize)]
pub struct Submitted {
    /// The response.
    pub state: ResponseState,
    /// The report it passed.
    pub report: ValidationReport,
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
    let inv = journey::find_invitation(&state.db, token).await?;
    let def = state.definition(inv.round_id).await?;
    Ok((inv, def))
}

#[tracing::instrument(skip_all)]
async fn open(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<InvitationView>, ApiError> {
    let inv = journey::find_invitation(&state.db, &token).await?;
    let r = round::by_id(&state.db, inv.round_id).await?;
    let reg = places::load(&state.db, r.registry_year).await?;
    let municipality_name = reg
        .municipalities
        .iter()
        .find(|m| m.number == inv.municipality_number)
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let responses = journey::responses(&state.db, &inv)
        .await?
        .into_iter()
        .map(|r| ResponseSummary {
            id: r.id,
            status: r.status,
            branch: r.branch,
            version: r.version,
            updated_at: r.updated_at.to_rfc3339(),
        })
        .collect();
    Ok(Json(InvitationView {
        survey_id: r.survey_id,
        title: r.title,
        municipality: inv.municipality_number,
        municipality_name,
        district: inv.district_number,
        responses,
    }))
}

#[tracing::instrument(skip_all)]
async fn definition(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<SurveyDefinition>, ApiError> {
    let (_, def) = context(&state, &token).await?;
    Ok(Json((*def).clone()))
}

#[tracing::instrument(skip_all)]
async fn registry(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<Registry>, ApiError> {
    let inv = journey::find_invitation(&state.db, &token).await?;
    let r = round::by_id(&state.db, inv.round_id).await?;
    Ok(Json(places::load(&state.db, r.registry_year).await?))
}

#[tracing::instrument(skip_all)]
async fn start(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<(StatusCode, Json<ResponseState>), ApiError> {
    let inv = journey::find_invitation(&state.db, &token).await?;
    Ok((
        StatusCode::CREATED,
        Json(journey::start(&state.db, &inv).await?),
    ))
}

#[tracing::instrument(skip_all, fields(id))]
async fn load(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, i32)>,
) -> Result<Json<ResponseState>, ApiError> {
    let inv = journey::find_invitation(&state.db, &token).await?;
    Ok(Json(journey::load(&state.db, &inv, id).await?))
}

#[tracing::instrument(skip_all, fields(id))]
async fn save(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, i32)>,
    ApiJson(req): ApiJson<SaveRequest>,
) -> Result<Json<ResponseState>, ApiError> {
    let (inv, def) = context(&state, &token).await?;
    Ok(Json(journey::save(&state.db, &def, &inv, id, &req).await?))
}

#[tracing::instrument(skip_all, fields(id))]
async fn submit(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, i32)>,
    ApiJson(req): ApiJson<VersionRequest>,
) -> Result<Json<Submitted>, ApiError> {
    let (inv, def) = context(&state, &token).await?;
    let (state, report) = journey::submit(&state.db, &def, &inv, id, req.version).await?;
    Ok(Json(Submitted { state, report }))
}

#[tracing::instrument(skip_all, fields(id))]
async fn reopen(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, i32)>,
    ApiJson(req): ApiJson<VersionRequest>,
) -> Result<Json<ResponseState>, ApiError> {
    let inv = journey::find_invitation(&state.db, &token).await?;
    Ok(Json(
        journey::reopen(&state.db, &inv, id, req.version).await?,
    ))
}
