//! The administrators' API: accounts, the audit trail, rounds, contacts,
//! waves and the response-rate dashboard. Every change is audited.

use super::auth::{Admin, Authorized};
use super::error::ApiJson;
use super::{ApiError, AppState};
use crate::db::accounts;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

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

/// A wave to preview or send.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct WaveRequest {
    /// Round (`korus-2025`).
    pub survey_id: String,
    /// `invitation` or `reminder` (reminders reach only municipalities that have not submitted).
    pub kind: String,
    /// `all`, `not-invited` or `not-submitted`.
    pub who: String,
    /// Only this county (2 digits).
    #[serde(default)]
    pub county: Option<String>,
    /// Only this size class (`small`, `medium`, `large`).
    #[serde(default)]
    pub size_class: Option<String>,
    /// Subject (merge fields allowed).
    pub subject: String,
    /// Body: `{kommune}`, `{navn}`, `{frist}`, `{lenke}` (required), `{avmelding}`.
    pub template: String,
    /// Deadline as written in the mail.
    pub deadline: String,
}

impl WaveRequest {
    fn into_wave(self, by: &str) -> crate::db::outreach::NewWave {
        let blank = |o: Option<String>| o.filter(|v| !v.trim().is_empty());
        crate::db::outreach::NewWave {
            survey_id: self.survey_id,
            kind: self.kind,
            subject: self.subject,
            template: self.template,
            deadline: self.deadline,
            selection: crate::db::outreach::Selection {
                who: self.who,
                county: blank(self.county),
                size_class: blank(self.size_class),
            },
            created_by: by.to_owned(),
        }
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
        crate::db::outreach::preview(&state.db, &req.into_wave(&user.user.email)).await?,
    ))
}

/// A composed wave.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WaveCreated {
    /// Wave id.
    pub id: i32,
    /// Mails in its outbox.
    pub mails: usize,
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
        crate::db::outreach::compose(&state.db, &req.into_wave(&user.user.email), &state.secret)
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

/// A contacts file to import.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ContactsCsv {
    /// CSV text: `municipality_number,district_number,kind,name,email`.
    pub csv: String,
}

/// What an import did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Imported {
    /// New contacts.
    pub new: usize,
    /// Contacts already known, updated.
    pub merged: usize,
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

/// A round as administrators see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoundView {
    /// Survey id.
    pub survey_id: String,
    /// Title.
    pub title: String,
    /// Definition version (corrections count up).
    pub definition_version: i32,
    /// SHA-256 of the definition text.
    pub definition_sha256: String,
    /// Opens (RFC 3339), if set.
    pub opens_at: Option<String>,
    /// Closes (RFC 3339), if set.
    pub closes_at: Option<String>,
    /// Contact data may be purged from (RFC 3339), if set.
    pub retention_until: Option<String>,
    /// The first day answers are accepted, in Norway (YYYY-MM-DD).
    pub opens_on: Option<String>,
    /// The last day answers are accepted, in Norway (YYYY-MM-DD).
    pub closes_on: Option<String>,
    /// The registry's population year that places and sizes the round's municipalities.
    pub registry_year: i32,
}

impl From<crate::db::round::Model> for RoundView {
    fn from(r: crate::db::round::Model) -> Self {
        RoundView {
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

/// A definition to load.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DefinitionText {
    /// The definition (TOML).
    pub definition: String,
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

/// A round's answering window.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct WindowRequest {
    /// Opens (RFC 3339 or YYYY-MM-DD); empty or absent: open from the start.
    #[serde(default)]
    pub opens: Option<String>,
    /// Closes (RFC 3339 or YYYY-MM-DD); empty or absent: no deadline.
    #[serde(default)]
    pub closes: Option<String>,
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

/// The registry year a round is analysed by.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RegistryYearRequest {
    /// A population year already imported (`omfang registry import FILE --year`).
    pub year: i32,
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
