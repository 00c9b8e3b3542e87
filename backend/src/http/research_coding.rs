//! Coding of free text in the researchers' API: the text items and coding
//! frames of a round, one frame's answers with context, codes, counts and
//! quotes; new frames and codes; codes given and taken. Every change is
//! audited (who, what, when).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::auth::{Authorized, Researcher};
use super::error::ApiJson;
use super::{ApiError, AppState};
use crate::db::coding::{self, FrameView};
pub use api::coding::{Assignment, CodingOverview, Created, NewCode, NewFrame};

/// `GET /api/research/rounds/{survey}/coding`.
#[utoipa::path(get, path = "/api/research/rounds/{survey}/coding", tag = "research", params(("survey" = String, Path)), responses((status = 200, body = CodingOverview), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse), (status = 404, body = crate::http::openapi::ErrorResponse)))]
pub async fn overview(
    State(state): State<AppState>,
    _: Researcher,
    Path(survey): Path<String>,
) -> Result<Json<CodingOverview>, ApiError> {
    let c = crate::db::analysis::cleaned(&state.db, &survey, Default::default()).await?;
    let mut items = coding::text_items(&state.db, &survey).await?;
    coding::count_answers(&mut items, &c);
    Ok(Json(CodingOverview {
        items,
        frames: coding::frames(&state.db, &c).await?,
    }))
}

/// `POST /api/research/rounds/{survey}/coding`: a new coding frame.
#[utoipa::path(post, path = "/api/research/rounds/{survey}/coding", tag = "research", params(("survey" = String, Path)), request_body = NewFrame, responses((status = 201, body = Created), (status = 400, body = crate::http::openapi::ErrorResponse), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse), (status = 404, body = crate::http::openapi::ErrorResponse)))]
pub async fn create_frame(
    State(state): State<AppState>,
    Authorized(user): Researcher,
    Path(survey): Path<String>,
    ApiJson(body): ApiJson<NewFrame>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = coding::create_frame(
        &state.db,
        &survey,
        &body.name,
        &body.items,
        &user.user.email,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// `GET /api/research/rounds/{survey}/coding/{frame}`: the frame's answers
/// in the analytic sample with their context and codes, counts by code and
/// group, and the quotes under each code attributed without names.
#[utoipa::path(get, path = "/api/research/rounds/{survey}/coding/{frame}", tag = "research", params(("survey" = String, Path), ("frame" = i32, Path)), responses((status = 200, body = FrameView), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse), (status = 404, body = crate::http::openapi::ErrorResponse)))]
pub async fn frame(
    State(state): State<AppState>,
    _: Researcher,
    Path((survey, frame)): Path<(String, i32)>,
) -> Result<Json<FrameView>, ApiError> {
    let c = crate::db::analysis::cleaned(&state.db, &survey, Default::default()).await?;
    Ok(Json(coding::frame(&state.db, &c, frame).await?))
}

/// `POST /api/research/rounds/{survey}/coding/{frame}/codes`: a new code (the next number).
#[utoipa::path(post, path = "/api/research/rounds/{survey}/coding/{frame}/codes", tag = "research", params(("survey" = String, Path), ("frame" = i32, Path)), request_body = NewCode, responses((status = 201, body = Created), (status = 400, body = crate::http::openapi::ErrorResponse), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse), (status = 404, body = crate::http::openapi::ErrorResponse)))]
pub async fn add_code(
    State(state): State<AppState>,
    Authorized(user): Researcher,
    Path((survey, frame)): Path<(String, i32)>,
    ApiJson(body): ApiJson<NewCode>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = coding::add_code(
        &state.db,
        &survey,
        frame,
        &body.label,
        &body.description,
        &user.user.email,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// `POST /api/research/rounds/{survey}/coding/{frame}/assignments`.
#[utoipa::path(post, path = "/api/research/rounds/{survey}/coding/{frame}/assignments", tag = "research", params(("survey" = String, Path), ("frame" = i32, Path)), request_body = Assignment, responses((status = 204, description = "Recorded"), (status = 400, body = crate::http::openapi::ErrorResponse), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse), (status = 404, body = crate::http::openapi::ErrorResponse)))]
pub async fn assign(
    State(state): State<AppState>,
    Authorized(user): Researcher,
    Path((survey, frame)): Path<(String, i32)>,
    ApiJson(body): ApiJson<Assignment>,
) -> Result<StatusCode, ApiError> {
    coding::assign(
        &state.db,
        &survey,
        frame,
        body.code,
        &body.respondent,
        &body.item,
        body.passage.as_deref(),
        body.on,
        &user.user.email,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
