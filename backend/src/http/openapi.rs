//! The OpenAPI document at `/api/openapi.json`, generated from the handlers' annotations (utoipa).

use axum::Json;
use serde::Serialize;
use utoipa::OpenApi;

use super::{admin, auth, outreach, research, respondent, rounds};

/// Shape of every error body (see `http/error.rs`).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorResponse {
    /// `not_found`, `unauthorized`, `forbidden`, `too_many_requests`, `bad_request`, `conflict`, `invalid` or `internal`.
    pub error: String,
    /// What went wrong; Norwegian where the respondent sees it.
    pub message: String,
    /// With 409: the response as stored now.
    #[schema(value_type = Option<Object>)]
    pub current: Option<serde_json::Value>,
    /// With 422: every item's errors and warnings.
    #[schema(value_type = Option<Object>)]
    pub report: Option<serde_json::Value>,
}

/// omfang's HTTP API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "omfang",
        description = "Survey platform API: the respondent's personal-link API, read-only survey rounds, accounts (session cookie), the researchers' and the administrators' API."
    ),
    paths(
        rounds::health,
        rounds::list,
        rounds::definition,
        rounds::definition_text,
        rounds::codebook,
        rounds::registry,
        respondent::open,
        respondent::definition,
        respondent::registry,
        respondent::start,
        respondent::load,
        respondent::save,
        respondent::submit,
        respondent::reopen,
        respondent::discard,
        auth::login,
        auth::logout,
        auth::me,
        auth::password,
        research::crosstab,
        research::cleaning,
        admin::users,
        admin::audit,
        admin::waves,
        admin::status,
        admin::status_csv,
        admin::preview_wave,
        admin::send_wave,
        admin::contacts,
        admin::import_contacts,
        admin::edit_contact,
        admin::rounds,
        admin::load_round,
        admin::set_window,
        outreach::one_click,
    ),
    components(schemas(ErrorResponse))
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
