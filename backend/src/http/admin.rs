//! The administrators' API: accounts, the audit trail, rounds, contacts,
//! waves and the response-rate dashboard. Every change is audited.

use super::auth::{Admin, Authorized};
use super::error::ApiJson;
use super::{ApiError, AppState};
use crate::db::accounts;
pub use api::account::{AuditEvent, UserView};
pub use api::admin::{
    ContactsCsv, DefinitionText, Imported, RegistryYearRequest, RoundView, WaveCreated,
    WaveRequest, WindowRequest,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};

/// Routes under `/api/admin`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users))
        .route("/admin/audit", get(audit))
        .route("/admin/waves", get(waves).post(send_wave))
        .route("/admin/waves/preview", post(preview_wave))
        .route("/admin/contacts", get(contacts))
        .route("/admin/contacts/import", post(import_contacts))
        .route("/admin/contacts/{id}", put(edit_contact))
        .route("/admin/rounds", get(rounds).post(load_round))
        .route("/admin/rounds/{survey}/window", put(set_window))
        .route(
            "/admin/rounds/{survey}/registry-year",
            put(set_registry_year),
        )
        .route("/admin/rounds/{survey}/status", get(status))
        .route("/admin/rounds/{survey}/status.csv", get(status_csv))
}

/// `GET /api/admin/waves`: every wave with its delivery progress, newest first.
#[utoipa::path(get, path = "/api/admin/waves", tag = "admin", responses((status = 200, body = [crate::db::outreach::WaveProgress]), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn waves(
    State(state): State<AppState>,
    _: Admin,
) -> Result<Json<Vec<crate::db::outreach::WaveProgress>>, ApiError> {
    Ok(Json(crate::db::outreach::waves(&state.db).await?))
}

/// `GET /api/admin/rounds/{survey}/status`: the response-rate dashboard.
#[utoipa::path(get, path = "/api/admin/rounds/{survey}/status", tag = "admin", params(("survey" = String, Path)), responses((status = 200, body = crate::db::status::RoundStatus), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn status(
    State(state): State<AppState>,
    _: Admin,
    axum::extract::Path(survey): axum::extract::Path<String>,
) -> Result<Json<crate::db::status::RoundStatus>, ApiError> {
    Ok(Json(
        crate::db::status::round_status(&state.db, &survey).await?,
    ))
}

/// `GET /api/admin/rounds/{survey}/status.csv`: the status list for Excel (`;`, UTF-8 with BOM).
#[utoipa::path(get, path = "/api/admin/rounds/{survey}/status.csv", tag = "admin", params(("survey" = String, Path)), responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn status_csv(
    State(state): State<AppState>,
    Authorized(user): Admin,
    axum::extract::Path(survey): axum::extract::Path<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let s = crate::db::status::round_status(&state.db, &survey).await?;
    let csv = crate::db::status::status_csv(&s)?;
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

/// `GET /api/admin/users`.
#[utoipa::path(get, path = "/api/admin/users", tag = "admin", responses((status = 200, body = [UserView]), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn users(
    State(state): State<AppState>,
    _: Admin,
) -> Result<Json<Vec<UserView>>, ApiError> {
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

/// `GET /api/admin/audit`: the newest 1 000 events, newest first.
#[utoipa::path(get, path = "/api/admin/audit", tag = "admin", responses((status = 200, body = [AuditEvent]), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse)))]
pub async fn audit(
    State(state): State<AppState>,
    _: Admin,
) -> Result<Json<Vec<AuditEvent>>, ApiError> {
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

type AdminError = crate::http::openapi::ErrorResponse;

/// The wave a request asks for, sent by `by`.
fn into_wave(req: WaveRequest, by: &str) -> crate::db::outreach::NewWave {
    let blank = |o: Option<String>| o.filter(|v| !v.trim().is_empty());
    crate::db::outreach::NewWave {
        survey_id: req.survey_id,
        kind: req.kind,
        subject: req.subject,
        template: req.template,
        deadline: req.deadline,
        selection: crate::db::outreach::Selection {
            who: req.who,
            county: blank(req.county),
            size_class: blank(req.size_class),
        },
        created_by: by.to_owned(),
    }
}

/// `POST /api/admin/waves/preview`: how many a wave reaches and its first mail; sends nothing.
#[utoipa::path(post, path = "/api/admin/waves/preview", tag = "admin", request_body = WaveRequest, responses((status = 200, body = crate::db::outreach::WavePreview), (status = 400, body = AdminError), (status = 401, body = AdminError), (status = 403, body = AdminError)))]
pub async fn preview_wave(
    State(state): State<AppState>,
    Authorized(user): Admin,
    ApiJson(req): ApiJson<WaveRequest>,
) -> Result<Json<crate::db::outreach::WavePreview>, ApiError> {
    Ok(Json(
        crate::db::outreach::preview(&state.db, &into_wave(req, &user.user.email)).await?,
    ))
}

/// `POST /api/admin/waves`: composes a wave and hands it to the server's
/// sender, which delivers it throttled in the background (progress at `GET /api/admin/waves`).
#[utoipa::path(post, path = "/api/admin/waves", tag = "admin", request_body = WaveRequest, responses((status = 201, body = WaveCreated), (status = 400, body = AdminError), (status = 401, body = AdminError), (status = 403, body = AdminError)))]
pub async fn send_wave(
    State(state): State<AppState>,
    Authorized(user): Admin,
    ApiJson(req): ApiJson<WaveRequest>,
) -> Result<(StatusCode, Json<WaveCreated>), ApiError> {
    let (wave, mails) =
        crate::db::outreach::compose(&state.db, &into_wave(req, &user.user.email), &state.secret)
            .await?;
    state.sender.notify_one();
    Ok((
        StatusCode::CREATED,
        Json(WaveCreated { id: wave.id, mails }),
    ))
}

/// `GET /api/admin/contacts`: every contact, by municipality.
#[utoipa::path(get, path = "/api/admin/contacts", tag = "admin", responses((status = 200, body = [crate::db::contacts::ContactView]), (status = 401, body = AdminError), (status = 403, body = AdminError)))]
pub async fn contacts(
    State(state): State<AppState>,
    _: Admin,
) -> Result<Json<Vec<crate::db::contacts::ContactView>>, ApiError> {
    Ok(Json(crate::db::contacts::contacts(&state.db).await?))
}

/// `POST /api/admin/contacts/import`: all rows or none; 400 lists every bad row, one per line.
#[utoipa::path(post, path = "/api/admin/contacts/import", tag = "admin", request_body = ContactsCsv, responses((status = 200, body = Imported), (status = 400, body = AdminError), (status = 401, body = AdminError), (status = 403, body = AdminError)))]
pub async fn import_contacts(
    State(state): State<AppState>,
    Authorized(user): Admin,
    ApiJson(file): ApiJson<ContactsCsv>,
) -> Result<Json<Imported>, ApiError> {
    let (new, merged) = crate::db::contacts::import_contacts(&state.db, &file.csv).await?;
    accounts::audit(
        &state.db,
        &user.user.email,
        "contacts_imported",
        &format!("{new} new, {merged} merged"),
    )
    .await?;
    Ok(Json(Imported { new, merged }))
}

/// `PUT /api/admin/contacts/{id}`: edit or deactivate a contact.
#[utoipa::path(put, path = "/api/admin/contacts/{id}", tag = "admin", params(("id" = i32, Path)), request_body = crate::db::contacts::ContactEdit, responses((status = 200, body = crate::db::contacts::ContactView), (status = 400, body = AdminError), (status = 401, body = AdminError), (status = 403, body = AdminError), (status = 404, body = AdminError)))]
pub async fn edit_contact(
    State(state): State<AppState>,
    Authorized(user): Admin,
    Path(id): Path<i32>,
    ApiJson(edit): ApiJson<crate::db::contacts::ContactEdit>,
) -> Result<Json<crate::db::contacts::ContactView>, ApiError> {
    let view = crate::db::contacts::edit_contact(&state.db, id, &edit).await?;
    accounts::audit(
        &state.db,
        &user.user.email,
        "contact_edited",
        &format!(
            "contact {id} ({}): {}",
            view.municipality_number,
            if view.active { "active" } else { "deactivated" }
        ),
    )
    .await?;
    Ok(Json(view))
}

impl From<crate::db::round::Model> for RoundView {
    fn from(r: crate::db::round::Model) -> Self {
        let parsed = r.parsed().ok();
        let unit = parsed
            .as_ref()
            .map_or(survey_definitions::RespondentUnit::Municipality, |d| {
                d.survey.unit
            })
            .plural()
            .to_owned();
        let invitation =
            parsed
                .and_then(|d| d.survey.invitation)
                .map(|i| api::admin::WaveTemplate {
                    subject: i.subject,
                    body: i.body,
                });
        RoundView {
            invitation,
            unit,
            survey_id: r.survey_id,
            title: r.title,
            definition_version: r.definition_version,
            definition_sha256: r.definition_sha256,
            opens_at: r.opens_at.map(|t| t.to_rfc3339()),
            closes_at: r.closes_at.map(|t| t.to_rfc3339()),
            retention_until: r.retention_until.map(|t| t.to_rfc3339()),
            registry_year: r.registry_year,
            opens_on: r.opens_at.map(|t| oslo_day(t, 0)),
            // A window closing at midnight ends on the day before.
            closes_on: r.closes_at.map(|t| oslo_day(t, 1)),
        }
    }
}

/// The Norwegian date of `t`, `seconds_before` earlier.
fn oslo_day(t: chrono::DateTime<chrono::Utc>, seconds_before: i64) -> String {
    (t - chrono::Duration::seconds(seconds_before))
        .with_timezone(&chrono_tz::Europe::Oslo)
        .format("%Y-%m-%d")
        .to_string()
}

/// `GET /api/admin/rounds`: every round with its window and version.
#[utoipa::path(get, path = "/api/admin/rounds", tag = "admin", responses((status = 200, body = [RoundView]), (status = 401, body = AdminError), (status = 403, body = AdminError)))]
pub async fn rounds(
    State(state): State<AppState>,
    _: Admin,
) -> Result<Json<Vec<RoundView>>, ApiError> {
    Ok(Json(
        crate::db::round::list(&state.db)
            .await?
            .into_iter()
            .map(RoundView::from)
            .collect(),
    ))
}

/// `POST /api/admin/rounds`: creates a round from a definition, or loads a
/// correction of an existing one (once answered, only wording may change;
/// 400 says which ids or codes differ). The definition must lint without errors.
#[utoipa::path(post, path = "/api/admin/rounds", tag = "admin", request_body = DefinitionText, responses((status = 200, body = RoundView), (status = 400, body = AdminError), (status = 401, body = AdminError), (status = 403, body = AdminError)))]
pub async fn load_round(
    State(state): State<AppState>,
    Authorized(user): Admin,
    ApiJson(text): ApiJson<DefinitionText>,
) -> Result<Json<RoundView>, ApiError> {
    let r = crate::db::round::ensure(&state.db, &text.definition).await?;
    accounts::audit(
        &state.db,
        &user.user.email,
        "round_loaded",
        &format!(
            "{} version {} ({})",
            r.survey_id, r.definition_version, r.definition_sha256
        ),
    )
    .await?;
    Ok(Json(r.into()))
}

/// `PUT /api/admin/rounds/{survey}/window`: when the round accepts answers.
#[utoipa::path(put, path = "/api/admin/rounds/{survey}/window", tag = "admin", params(("survey" = String, Path)), request_body = WindowRequest, responses((status = 200, body = RoundView), (status = 400, body = AdminError), (status = 401, body = AdminError), (status = 403, body = AdminError), (status = 404, body = AdminError)))]
pub async fn set_window(
    State(state): State<AppState>,
    Authorized(user): Admin,
    Path(survey): Path<String>,
    ApiJson(w): ApiJson<WindowRequest>,
) -> Result<Json<RoundView>, ApiError> {
    let parse = |t: Option<String>, closing: bool| {
        t.filter(|t| !t.trim().is_empty())
            .map(|t| {
                if closing {
                    crate::domain::parse_closing(t.trim())
                } else {
                    crate::domain::parse_time(t.trim())
                }
            })
            .transpose()
    };
    let (opens, closes) = (parse(w.opens, false)?, parse(w.closes, true)?);
    let r = crate::db::round::set_window(&state.db, &survey, opens, closes).await?;
    accounts::audit(
        &state.db,
        &user.user.email,
        "round_window",
        &format!("{survey}: {opens:?} – {closes:?}"),
    )
    .await?;
    Ok(Json(r.into()))
}

/// `PUT /api/admin/rounds/{survey}/registry-year`: which registry year
/// places and sizes the round's municipalities (size classes, counties,
/// the response rate's denominator). 400 if that year was not imported.
#[utoipa::path(put, path = "/api/admin/rounds/{survey}/registry-year", tag = "admin", params(("survey" = String, Path)), request_body = RegistryYearRequest, responses((status = 200, body = RoundView), (status = 400, body = AdminError), (status = 401, body = AdminError), (status = 403, body = AdminError), (status = 404, body = AdminError)))]
pub async fn set_registry_year(
    State(state): State<AppState>,
    Authorized(user): Admin,
    Path(survey): Path<String>,
    ApiJson(body): ApiJson<RegistryYearRequest>,
) -> Result<Json<RoundView>, ApiError> {
    let r = crate::db::round::set_registry_year(&state.db, &survey, body.year).await?;
    accounts::audit(
        &state.db,
        &user.user.email,
        "round_registry_year",
        &format!("{survey}: {}", body.year),
    )
    .await?;
    Ok(Json(r.into()))
}
