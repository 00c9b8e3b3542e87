//! The researchers' workspace API beside the JSON cross-tab: the rounds,
//! a round's sample and response rate, each cross-tab as CSV (UTF-8 or
//! the `;` variant for Norwegian Excel), XLSX, SVG and PNG, the whole
//! report as one ZIP, and keep/drop decisions. Every download is recorded
//! in the audit trail (who, what, when).

use analysis::crosstab::Render;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::auth::{Authorized, Researcher};
use super::error::{ApiJson, ApiQuery};
use super::research::{CrosstabQuery, SampleQuery, sample, table_of};
use super::{ApiError, AppState};
use crate::db::accounts;
pub use api::research::{DecisionRequest, ResearchRound};

/// `GET /api/research/rounds`: the rounds to analyse.
#[utoipa::path(get, path = "/api/research/rounds", tag = "research", responses((status = 200, body = [ResearchRound]), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn rounds(
    State(state): State<AppState>,
    _: Researcher,
) -> Result<Json<Vec<ResearchRound>>, ApiError> {
    Ok(Json(
        crate::db::round::list(&state.db)
            .await?
            .into_iter()
            .map(|r| ResearchRound {
                has_report_file: survey_definitions::shipped_report(&r.survey_id).is_some(),
                survey_id: r.survey_id,
                title: r.title,
                registry_year: r.registry_year,
            })
            .collect(),
    ))
}

/// `GET /api/research/rounds/{survey}/summary`: the sample, its n, the
/// registry year, and the response rate by county and by size class with
/// the municipalities not answered.
#[utoipa::path(get, path = "/api/research/rounds/{survey}/summary", tag = "research", params(("survey" = String, Path), SampleQuery), responses((status = 200, body = api::research::ResearchSummary), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse), (status = 404, body = crate::http::openapi::ErrorResponse)))]
pub async fn summary(
    State(state): State<AppState>,
    _: Researcher,
    Path(survey): Path<String>,
    ApiQuery(query): ApiQuery<SampleQuery>,
) -> Result<Json<api::research::ResearchSummary>, ApiError> {
    use analysis::response_rate::{RateBy, response_rate};
    let s = sample(query.sample.as_deref())?;
    let c = crate::db::analysis::cleaned(&state.db, &survey, s).await?;
    let rate = |by| response_rate(&c.dataset, &c.roles, &c.cleaning, &c.data.registry, by);
    Ok(Json(api::research::ResearchSummary {
        sample: s.name().to_owned(),
        sample_description: s.description().to_owned(),
        registry_year: c.dataset.registry_year,
        respondents: c.dataset.len() as u64,
        included: c.cleaning.included.iter().filter(|&&i| i).count() as u64,
        by_county: rate(RateBy::County),
        by_size_class: rate(RateBy::SizeClass),
        by_district: (c.data.definition.survey.unit
            == survey_definitions::RespondentUnit::District)
            .then(|| rate(RateBy::District)),
    }))
}

/// `GET /api/research/rounds/{survey}/variables`: every analysis variable
/// of the round — items' parts, harmonised concepts, derived variables and
/// coded free text — with its export name, label, source and value labels.
#[utoipa::path(get, path = "/api/research/rounds/{survey}/variables", tag = "research", params(("survey" = String, Path)), responses((status = 200, body = [api::research::VariableView]), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse), (status = 404, body = crate::http::openapi::ErrorResponse)))]
pub async fn variables(
    State(state): State<AppState>,
    _: Researcher,
    Path(survey): Path<String>,
) -> Result<Json<Vec<api::research::VariableView>>, ApiError> {
    let c = crate::db::analysis::cleaned(&state.db, &survey, Default::default()).await?;
    // Which variables stand for the named groupings in this survey.
    let r = &c.roles;
    let roles = [
        ("service-type", r.service_type.as_deref()),
        ("size-class", r.size_class.as_deref()),
        ("county", r.county.as_deref()),
        ("branch", r.gate.as_deref()),
    ];
    Ok(Json(
        c.dataset
            .variables
            .iter()
            .filter(|v| !v.personal)
            .map(|v| {
                let mut view = v.view();
                view.grouping = roles
                    .iter()
                    .find(|(_, name)| *name == Some(v.name.as_str()))
                    .map(|(g, _)| (*g).to_owned());
                view
            })
            .collect(),
    ))
}

pub(super) fn file(content_type: &'static str, name: String, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A file name for a cross-tab: `krysstabell-<item>-etter-<by>`, the
/// grouping by the name the table gives it («Kommunestørrelse (SSB)» →
/// `kommunestorrelse-ssb`).
fn stem(query: &CrosstabQuery, table: &analysis::crosstab::Crosstab) -> String {
    let clean = |s: &str| -> String {
        let mut out = String::new();
        for c in s.to_lowercase().chars() {
            match c {
                'æ' => out.push_str("ae"),
                'ø' => out.push('o'),
                'å' => out.push('a'),
                c if c.is_ascii_alphanumeric() => out.push(c),
                _ if !out.ends_with('-') => out.push('-'),
                _ => {}
            }
        }
        out.trim_matches('-').to_owned()
    };
    let by = match query.by.as_str() {
        "none" => "alle".to_owned(),
        _ if !table.by_label.is_empty() => clean(&table.by_label),
        other => clean(other),
    };
    format!("krysstabell-{}-etter-{by}", clean(&query.item))
}

/// `GET /api/research/rounds/{survey}/crosstab.csv`: the cross-tab as CSV
/// (category, then count and percent per group); `sep=semicolon` for
/// Norwegian Excel.
#[utoipa::path(get, path = "/api/research/rounds/{survey}/crosstab.csv", tag = "research", params(("survey" = String, Path), CrosstabQuery), responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 400, body = crate::http::openapi::ErrorResponse), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn crosstab_csv(
    State(state): State<AppState>,
    Authorized(user): Researcher,
    Path(survey): Path<String>,
    ApiQuery(query): ApiQuery<CrosstabQuery>,
) -> Result<Response, ApiError> {
    let excel = match query.sep.as_deref() {
        None | Some("comma") => false,
        Some("semicolon") => true,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "sep `{other}`: use sep=comma|semicolon"
            )));
        }
    };
    let table = table_of(&state, &user.user.email, &survey, &query, "csv").await?;
    let mut body = Vec::new();
    if excel {
        body.extend_from_slice(b"\xEF\xBB\xBF");
    }
    body.extend(
        table
            .to_csv(if excel { b';' } else { b',' })
            .map_err(crate::Error::from)?,
    );
    Ok(file(
        "text/csv; charset=utf-8",
        format!(
            "{}{}.csv",
            stem(&query, &table),
            if excel { "-excel" } else { "" }
        ),
        body,
    ))
}

/// `GET /api/research/rounds/{survey}/crosstab.xlsx`: the cross-tab as a workbook.
#[utoipa::path(get, path = "/api/research/rounds/{survey}/crosstab.xlsx", tag = "research", params(("survey" = String, Path), CrosstabQuery), responses((status = 200, description = "XLSX", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::http::openapi::ErrorResponse), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn crosstab_xlsx(
    State(state): State<AppState>,
    Authorized(user): Researcher,
    Path(survey): Path<String>,
    ApiQuery(query): ApiQuery<CrosstabQuery>,
) -> Result<Response, ApiError> {
    let table = table_of(&state, &user.user.email, &survey, &query, "xlsx").await?;
    let bytes =
        analysis::report::xlsx_bytes(std::slice::from_ref(&table)).map_err(crate::Error::from)?;
    Ok(file(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("{}.xlsx", stem(&query, &table)),
        bytes,
    ))
}

/// `GET /api/research/rounds/{survey}/crosstab.svg`: the grouped bar chart.
#[utoipa::path(get, path = "/api/research/rounds/{survey}/crosstab.svg", tag = "research", params(("survey" = String, Path), CrosstabQuery), responses((status = 200, description = "SVG", content_type = "image/svg+xml"), (status = 400, body = crate::http::openapi::ErrorResponse), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn crosstab_svg(
    State(state): State<AppState>,
    Authorized(user): Researcher,
    Path(survey): Path<String>,
    ApiQuery(query): ApiQuery<CrosstabQuery>,
) -> Result<Response, ApiError> {
    let table = table_of(&state, &user.user.email, &survey, &query, "svg").await?;
    let svg = analysis::figures::grouped_bars(&table).map_err(crate::Error::from)?;
    Ok(file(
        "image/svg+xml",
        format!("{}.svg", stem(&query, &table)),
        svg.into_bytes(),
    ))
}

/// `GET /api/research/rounds/{survey}/crosstab.png`: the chart as PNG (for Word).
#[utoipa::path(get, path = "/api/research/rounds/{survey}/crosstab.png", tag = "research", params(("survey" = String, Path), CrosstabQuery), responses((status = 200, description = "PNG", content_type = "image/png"), (status = 400, body = crate::http::openapi::ErrorResponse), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn crosstab_png(
    State(state): State<AppState>,
    Authorized(user): Researcher,
    Path(survey): Path<String>,
    ApiQuery(query): ApiQuery<CrosstabQuery>,
) -> Result<Response, ApiError> {
    let table = table_of(&state, &user.user.email, &survey, &query, "png").await?;
    let svg = analysis::figures::grouped_bars(&table).map_err(crate::Error::from)?;
    let png = analysis::figures::png(&svg).map_err(crate::Error::from)?;
    Ok(file(
        "image/png",
        format!("{}.png", stem(&query, &table)),
        png,
    ))
}

/// `GET /api/research/rounds/{survey}/report.zip`: the report folder of
/// `omfang analyse report` (figures, workbook, HTML, index.json, data CSV,
/// codebook, SPSS syntax) as one ZIP, built on the server.
#[utoipa::path(get, path = "/api/research/rounds/{survey}/report.zip", tag = "research", params(("survey" = String, Path), SampleQuery), responses((status = 200, description = "ZIP", content_type = "application/zip"), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse), (status = 404, body = crate::http::openapi::ErrorResponse)))]
pub async fn report_zip(
    State(state): State<AppState>,
    Authorized(user): Researcher,
    Path(survey): Path<String>,
    ApiQuery(query): ApiQuery<SampleQuery>,
) -> Result<Response, ApiError> {
    let s = sample(query.sample.as_deref())?;
    let c = crate::db::analysis::cleaned(&state.db, &survey, s).await?;
    // Drawing 50-odd figures is CPU work: off the async threads.
    let bytes = tokio::task::spawn_blocking(move || crate::reports::build(&c, &mut |_, _| {}))
        .await
        .map_err(|e| crate::Error::Config(format!("building the report: {e}")))??;
    accounts::audit(
        &state.db,
        &user.user.email,
        "export",
        &format!("report {survey} (sample {}) as zip", s.name()),
    )
    .await?;
    Ok(file(
        "application/zip",
        format!("rapport-{survey}.zip"),
        bytes,
    ))
}

/// `POST /api/research/rounds/{survey}/decisions`: keeps or drops one
/// respondent with a reason, as the logged-in researcher; the latest
/// decision counts, so a drop is undone by a keep. Audited.
#[utoipa::path(post, path = "/api/research/rounds/{survey}/decisions", tag = "research", params(("survey" = String, Path)), request_body = DecisionRequest, responses((status = 204, description = "Recorded"), (status = 400, body = crate::http::openapi::ErrorResponse), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse), (status = 404, body = crate::http::openapi::ErrorResponse)))]
pub async fn decide(
    State(state): State<AppState>,
    Authorized(user): Researcher,
    Path(survey): Path<String>,
    ApiJson(body): ApiJson<DecisionRequest>,
) -> Result<axum::http::StatusCode, ApiError> {
    crate::db::analysis::decide(
        &state.db,
        &survey,
        &body.respondent,
        body.keep,
        &user.user.email,
        &body.reason,
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
