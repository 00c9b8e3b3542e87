//! The OpenAPI document at `/api/openapi.json`, generated from the handlers' annotations (utoipa).

use axum::Json;
use utoipa::OpenApi;

use super::{
    admin, auth, outreach, report_jobs, research, research_coding, research_files, respondent,
    rounds,
};
pub use api::respondent::ErrorResponse;

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
        research_files::rounds,
        research_files::summary,
        research_files::variables,
        research_files::crosstab_csv,
        research_files::crosstab_xlsx,
        research_files::crosstab_svg,
        research_files::crosstab_png,
        research_files::report_zip,
        report_jobs::start,
        report_jobs::progress,
        report_jobs::zip,
        research_files::decide,
        research_coding::overview,
        research_coding::create_frame,
        research_coding::frame,
        research_coding::add_code,
        research_coding::assign,
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
        admin::set_registry_year,
        outreach::one_click,
    ),
    components(schemas(ErrorResponse)),
    modifiers(&EveryRejection)
)]
pub struct ApiDoc;

/// Documents what the framework answers before a handler runs, on every
/// operation it can happen to: 400 for path or query parameters that do
/// not parse, 413, 415 and 422 for bodies (too large, not JSON, not of
/// the schema), 405 for a method a path does not take; all in
/// the one error body.
struct EveryRejection;

impl utoipa::Modify for EveryRejection {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |text: &str| {
            ResponseBuilder::new()
                .description(text)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorResponse")))
                        .build(),
                )
                .build()
        };
        for item in doc.paths.paths.values_mut() {
            let operations = [
                item.get.as_mut(),
                item.put.as_mut(),
                item.post.as_mut(),
                item.delete.as_mut(),
            ];
            for op in operations.into_iter().flatten() {
                let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let has_body = op.request_body.is_some();
                let mut add = |code: &str, text: &str| {
                    op.responses
                        .responses
                        .entry(code.to_owned())
                        .or_insert_with(|| error(text).into());
                };
                if has_params || has_body {
                    add("400", "A parameter or the body does not parse");
                }
                let in_path = op.parameters.as_ref().is_some_and(|p| {
                    p.iter()
                        .any(|p| matches!(p, utoipa::openapi::RefOr::T(p) if p.parameter_in == utoipa::openapi::path::ParameterIn::Path))
                });
                if in_path {
                    add("404", "The path names nothing");
                }
                if has_body {
                    add("413", "The body is too large");
                    add("415", "The body is not JSON");
                    add("422", "The body is JSON but not of the expected shape");
                }
                add("405", "The path does not take this method");
            }
        }
    }
}

/// `GET /api/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
