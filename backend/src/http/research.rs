//! The researchers' API: cross-tabs and the cleaning state of a round, for
//! researchers and administrators. Every read is recorded in the audit trail.

use super::auth::{Authorized, Researcher};
use super::error::ApiQuery;
use super::{ApiError, AppState};
use crate::db::accounts;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

/// Routes under `/api/research`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/research/rounds", get(super::research_files::rounds))
        .route("/research/rounds/{survey}/crosstab", get(crosstab))
        .route(
            "/research/rounds/{survey}/crosstab.csv",
            get(super::research_files::crosstab_csv),
        )
        .route(
            "/research/rounds/{survey}/crosstab.xlsx",
            get(super::research_files::crosstab_xlsx),
        )
        .route(
            "/research/rounds/{survey}/crosstab.svg",
            get(super::research_files::crosstab_svg),
        )
        .route(
            "/research/rounds/{survey}/crosstab.png",
            get(super::research_files::crosstab_png),
        )
        .route(
            "/research/rounds/{survey}/report.zip",
            get(super::research_files::report_zip),
        )
        .route(
            "/research/rounds/{survey}/summary",
            get(super::research_files::summary),
        )
        .route(
            "/research/rounds/{survey}/variables",
            get(super::research_files::variables),
        )
        .route("/research/rounds/{survey}/cleaning", get(cleaning))
        .route(
            "/research/rounds/{survey}/report-jobs",
            axum::routing::post(super::report_jobs::start),
        )
        .route(
            "/research/report-jobs/{job}",
            get(super::report_jobs::progress),
        )
        .route(
            "/research/report-jobs/{job}/report.zip",
            get(super::report_jobs::zip),
        )
        .route(
            "/research/rounds/{survey}/decisions",
            axum::routing::post(super::research_files::decide),
        )
        .route(
            "/research/rounds/{survey}/coding",
            get(super::research_coding::overview).post(super::research_coding::create_frame),
        )
        .route(
            "/research/rounds/{survey}/coding/{frame}",
            get(super::research_coding::frame),
        )
        .route(
            "/research/rounds/{survey}/coding/{frame}/codes",
            axum::routing::post(super::research_coding::add_code),
        )
        .route(
            "/research/rounds/{survey}/coding/{frame}/assignments",
            axum::routing::post(super::research_coding::assign),
        )
}

/// Query of a cross-tab (see `omfang analyse crosstab --help`).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CrosstabQuery {
    /// Item id, concept key or variable.
    pub item: String,
    /// `service-type`, `size-class`, `county`, `branch` or a variable.
    pub by: String,
    /// `respondent` (default) or `municipality`.
    pub unit: Option<String>,
    /// At the municipality unit: `once` (default) or `every`.
    pub rule: Option<String>,
    /// Hide counts below this.
    pub suppress_below: Option<u64>,
    /// `analysable` (default: every response with municipality and service
    /// type answered, drafts included, as the report's §2.3) or `submitted`.
    pub sample: Option<String>,
    /// Add a «Totalt» column.
    pub total: Option<bool>,
    /// CSV downloads: `comma` (default; UTF-8) or `semicolon` (`;` and
    /// decimal comma with a byte-order mark, for Norwegian Excel).
    pub sep: Option<String>,
}

/// The sample named in a query.
pub fn sample(name: Option<&str>) -> Result<analysis::clean::Sample, ApiError> {
    use analysis::clean::Sample;
    match name.unwrap_or("analysable") {
        "analysable" => Ok(Sample::Analysable),
        "submitted" => Ok(Sample::Submitted),
        other => Err(ApiError::BadRequest(format!(
            "sample `{other}`: use sample=analysable|submitted"
        ))),
    }
}

/// Query of the cleaning state.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SampleQuery {
    /// `analysable` (default) or `submitted`.
    pub sample: Option<String>,
}

pub(super) fn unit(query: &CrosstabQuery) -> Result<analysis::clean::Unit, ApiError> {
    use analysis::clean::{MunicipalityRule, Unit};
    match (
        query.unit.as_deref().unwrap_or("respondent"),
        query.rule.as_deref().unwrap_or("once"),
    ) {
        ("respondent", _) => Ok(Unit::Respondent),
        ("municipality", "once") => Ok(Unit::Municipality(MunicipalityRule::Once)),
        ("municipality", "every") => Ok(Unit::Municipality(MunicipalityRule::Every)),
        (u, r) => Err(ApiError::BadRequest(format!(
            "unit `{u}` with rule `{r}`: use unit=respondent|municipality and rule=once|every"
        ))),
    }
}

/// `GET /api/research/rounds/{survey}/crosstab`: the JSON contract of `omfang analyse crosstab`.
#[utoipa::path(get, path = "/api/research/rounds/{survey}/crosstab", tag = "research", params(("survey" = String, Path), CrosstabQuery), responses((status = 200, description = "The cross-tab", body = api::research::Crosstab), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn crosstab(
    State(state): State<AppState>,
    Authorized(user): Researcher,
    Path(survey): Path<String>,
    ApiQuery(query): ApiQuery<CrosstabQuery>,
) -> Result<Json<analysis::crosstab::Crosstab>, ApiError> {
    let table = table_of(&state, &user.user.email, &survey, &query, "json").await?;
    Ok(Json(table))
}

/// Computes the cross-tab a query asks for and records who downloaded it
/// in which form.
pub(super) async fn table_of(
    state: &AppState,
    who: &str,
    survey: &str,
    query: &CrosstabQuery,
    form: &str,
) -> Result<analysis::crosstab::Crosstab, ApiError> {
    let request = analysis::crosstab::CrosstabRequest {
        item: query.item.clone(),
        by: query.by.clone(),
        unit: unit(query)?,
        suppress_below: query.suppress_below,
        total: query.total.unwrap_or(false),
        bins: None,
    };
    let sample = sample(query.sample.as_deref())?;
    let c = crate::db::analysis::cleaned(&state.db, survey, sample).await?;
    let table = analysis::crosstab::crosstab(&c.dataset, &c.roles, &c.cleaning, &request)
        .map_err(crate::Error::from)?;
    accounts::audit(
        &state.db,
        who,
        "export",
        &format!(
            "crosstab {survey} item={} by={} unit={} sample={} as {form}",
            query.item, query.by, table.unit, table.sample
        ),
    )
    .await?;
    Ok(table)
}

/// `GET /api/research/rounds/{survey}/cleaning`: respondents, analytic sample and flags.
#[utoipa::path(get, path = "/api/research/rounds/{survey}/cleaning", tag = "research", params(("survey" = String, Path), SampleQuery), responses((status = 200, description = "Counts and flagged respondents", body = api::research::CleaningState), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn cleaning(
    State(state): State<AppState>,
    Authorized(user): Researcher,
    Path(survey): Path<String>,
    ApiQuery(query): ApiQuery<SampleQuery>,
) -> Result<Json<api::research::CleaningState>, ApiError> {
    let sample = sample(query.sample.as_deref())?;
    let c = crate::db::analysis::cleaned(&state.db, &survey, sample).await?;
    accounts::audit(&state.db, &user.user.email, "read_cleaning", &survey).await?;
    Ok(Json(c.state()))
}
