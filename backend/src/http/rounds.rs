//! Survey rounds and their definitions, read-only (the questionnaire preview uses these).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use survey_definitions::{Codebook, SurveyDefinition};

use super::{ApiError, AppState};
use crate::db::round;
use api::rounds::{Health, RoundSummary};

/// Routes under `/api`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/rounds", get(list))
        .route("/rounds/{survey_id}/definition", get(definition))
        .route("/rounds/{survey_id}/definition.toml", get(definition_text))
        .route("/rounds/{survey_id}/codebook", get(codebook))
        .route("/registry", get(registry))
}

#[utoipa::path(get, path = "/api/registry", tag = "rounds", responses((status = 200, body = crate::registry::Registry)))]
/// The municipality registry of the shipped population year (counties,
/// municipalities, Oslo's districts and agencies), as stored.
pub(crate) async fn registry(
    State(state): State<AppState>,
) -> Result<Json<crate::registry::Registry>, ApiError> {
    Ok(Json(
        crate::db::places::load(&state.db, crate::registry::POPULATION_YEAR).await?,
    ))
}

#[utoipa::path(get, path = "/api/health", tag = "rounds", responses((status = 200, body = Health)))]
pub(crate) async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

#[utoipa::path(get, path = "/api/rounds", tag = "rounds", responses((status = 200, body = Vec<RoundSummary>)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn list(
    State(state): State<AppState>,
) -> Result<Json<Vec<RoundSummary>>, ApiError> {
    let rounds = round::list(&state.db).await?;
    Ok(Json(
        rounds
            .into_iter()
            .map(|r| RoundSummary {
                survey_id: r.survey_id,
                round_year: r.round_year,
                title: r.title,
                definition_sha256: r.definition_sha256,
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/rounds/{survey_id}/definition", tag = "rounds", params(("survey_id" = String, Path)), responses((status = 200, description = "The parsed definition", body = Object), (status = 404, body = crate::http::openapi::ErrorResponse)))]
/// The parsed definition as JSON: what the browser app's engine reads.
#[tracing::instrument(skip(state))]
pub(crate) async fn definition(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
) -> Result<Json<SurveyDefinition>, ApiError> {
    Ok(Json(round::find(&state.db, &survey_id).await?.parsed()?))
}

#[utoipa::path(get, path = "/api/rounds/{survey_id}/definition.toml", tag = "rounds", params(("survey_id" = String, Path)), responses((status = 200, description = "The definition text as stored", content_type = "application/toml"), (status = 404, body = crate::http::openapi::ErrorResponse)))]
/// The definition text exactly as stored.
#[tracing::instrument(skip(state))]
pub(crate) async fn definition_text(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let r = round::find(&state.db, &survey_id).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/toml; charset=utf-8")],
        r.definition,
    ))
}

#[utoipa::path(get, path = "/api/rounds/{survey_id}/codebook", tag = "rounds", params(("survey_id" = String, Path)), responses((status = 200, description = "The codebook contract (see survey-definitions/FORMAT.md)", body = Object), (status = 404, body = crate::http::openapi::ErrorResponse)))]
/// The codebook (see `survey_definitions::Codebook`).
#[tracing::instrument(skip(state))]
pub(crate) async fn codebook(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
) -> Result<Json<Codebook>, ApiError> {
    Ok(Json(Codebook::of(
        &round::find(&state.db, &survey_id).await?.parsed()?,
    )))
}
