//! The API client: every request the app makes goes through here.

use std::collections::{BTreeMap, BTreeSet};

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use survey_definitions::{Answer, AnswerSet, SurveyDefinition};

/// A survey round as listed by `/api/rounds`.
#[cfg(feature = "admin")]
#[derive(Debug, Clone, Deserialize)]
pub struct RoundSummary {
    /// Survey id.
    pub survey_id: String,
}

/// The municipality registry (`/api/registry`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Registry {
    /// Counties.
    pub counties: Vec<Place>,
    /// Municipalities (`parent` = county number).
    pub municipalities: Vec<Place>,
    /// Districts and agencies (`parent` = municipality number).
    pub districts: Vec<Place>,
}

/// An entry of the registry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Place {
    /// Code (2, 4 or 6 digits).
    pub number: String,
    /// Name.
    pub name: String,
    /// County of a municipality.
    #[serde(default)]
    pub county: Option<String>,
    /// Municipality of a district.
    #[serde(default)]
    pub municipality: Option<String>,
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, String> {
    let resp = Request::get(url)
        .send()
        .await
        .map_err(|e| format!("Fikk ikke kontakt med serveren ({e})."))?;
    if !resp.ok() {
        return Err(format!(
            "Serveren svarte med feil {} på {url}.",
            resp.status()
        ));
    }
    resp.json::<T>()
        .await
        .map_err(|e| format!("Uventet svar fra serveren ({e})."))
}

/// Loads the first survey round's definition and the registry (the preview).
#[cfg(feature = "admin")]
pub async fn load() -> Result<(SurveyDefinition, Registry), String> {
    let rounds: Vec<RoundSummary> = get_json("/api/rounds").await?;
    let round = rounds
        .first()
        .ok_or_else(|| "Ingen undersøkelse er lastet inn på serveren.".to_owned())?;
    let def: SurveyDefinition =
        get_json(&format!("/api/rounds/{}/definition", round.survey_id)).await?;
    let registry: Registry = get_json("/api/registry").await?;
    Ok((def.ready(), registry))
}

/// What a personal link opens (`GET /api/r/{token}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct InvitationView {
    /// Round title.
    pub title: String,
    /// Municipality number.
    pub municipality: String,
    /// Municipality name.
    pub municipality_name: String,
    /// District or agency number.
    pub district: Option<String>,
    /// Responses (services) started from this link.
    pub responses: Vec<ResponseSummary>,
    /// Why answers cannot be given now (before or after the window), if so.
    #[serde(default)]
    pub closed: Option<String>,
    /// The answering window in words (the server writes it in Oslo time).
    #[serde(default)]
    pub window: Option<String>,
    /// When personal data is deleted (RFC 3339), if the round says.
    #[serde(default)]
    pub retention_until: Option<String>,
}

/// One response in the list.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ResponseSummary {
    /// Response id.
    pub id: i32,
    /// `draft` or `submitted`.
    pub status: String,
    /// Gate answer.
    pub branch: Option<i32>,
    /// Version.
    pub version: i64,
    /// Last change (RFC 3339).
    pub updated_at: String,
    /// Last submission (RFC 3339), if ever sent in.
    #[serde(default)]
    pub submitted_at: Option<String>,
    /// What the response is about (a service's name), once answered.
    #[serde(default)]
    pub label: Option<String>,
    /// A draft never sent in, with no answers but the link's own: may be deleted.
    #[serde(default)]
    pub deletable: bool,
}

/// A response as stored on the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseState {
    /// Response id.
    pub id: i32,
    /// `draft` or `submitted`.
    pub status: String,
    /// Version to send with the next write.
    pub version: i64,
    /// Saved answers and confirmed warnings.
    pub answers: AnswerSet,
    /// Submission time (RFC 3339).
    pub submitted_at: Option<String>,
}

/// Why a write was not accepted.
#[derive(Debug, Clone)]
pub enum WriteError {
    /// 409: someone else wrote first; here is the server's state.
    Conflict(String, Box<ResponseState>),
    /// 422: the server's engine found problems (the same the browser shows).
    Invalid(String),
    /// The request did not get through (retry).
    Network,
    /// Anything else, with a Norwegian message.
    Other(String),
}

#[derive(Deserialize)]
struct ErrorBody {
    message: String,
    current: Option<ResponseState>,
}

#[derive(Serialize)]
struct SaveBody<'a> {
    version: i64,
    values: &'a BTreeMap<String, Answer>,
    confirmed: &'a BTreeSet<String>,
}

#[derive(Deserialize)]
struct SubmittedBody {
    state: ResponseState,
}

async fn write<T: DeserializeOwned>(
    method: &str,
    url: &str,
    body: &impl Serialize,
) -> Result<T, WriteError> {
    let builder = match method {
        "PUT" => Request::put(url),
        _ => Request::post(url),
    };
    let req = builder
        .json(body)
        .map_err(|e| WriteError::Other(format!("Kunne ikke lage forespørselen ({e}).")))?;
    let resp = req.send().await.map_err(|_| WriteError::Network)?;
    if resp.ok() {
        return resp
            .json::<T>()
            .await
            .map_err(|e| WriteError::Other(format!("Uventet svar fra serveren ({e}).")));
    }
    let status = resp.status();
    if status >= 500 {
        return Err(WriteError::Network);
    }
    let body: Option<ErrorBody> = resp.json().await.ok();
    let message = body
        .as_ref()
        .map(|b| b.message.clone())
        .unwrap_or_else(|| format!("Feil {status}."));
    Err(match (status, body) {
        (
            409,
            Some(ErrorBody {
                current: Some(c), ..
            }),
        ) => WriteError::Conflict(message, Box::new(c)),
        (422, Some(_)) => WriteError::Invalid(message),
        _ => WriteError::Other(message),
    })
}

/// Everything the journey needs to begin.
pub async fn open(token: &str) -> Result<(InvitationView, SurveyDefinition, Registry), String> {
    let view: InvitationView = get_json(&format!("/api/r/{token}")).await.map_err(|e| {
        if e.contains("404") {
            "Lenken er ikke gyldig. Sjekk at du har kopiert hele lenken fra e-posten.".to_owned()
        } else {
            e
        }
    })?;
    let def: SurveyDefinition = get_json(&format!("/api/r/{token}/definition")).await?;
    let registry: Registry = get_json(&format!("/api/r/{token}/registry")).await?;
    Ok((view, def.ready(), registry))
}

/// Reloads the list of responses.
pub async fn invitation(token: &str) -> Result<InvitationView, String> {
    get_json(&format!("/api/r/{token}")).await
}

/// Loads one response.
pub async fn response(token: &str, id: i32) -> Result<ResponseState, String> {
    get_json(&format!("/api/r/{token}/responses/{id}")).await
}

/// Starts a response for another service.
pub async fn start(token: &str) -> Result<ResponseState, WriteError> {
    write(
        "POST",
        &format!("/api/r/{token}/responses"),
        &serde_json::json!({}),
    )
    .await
}

/// Autosave.
pub async fn save(
    token: &str,
    id: i32,
    version: i64,
    values: &BTreeMap<String, Answer>,
    confirmed: &BTreeSet<String>,
) -> Result<ResponseState, WriteError> {
    write(
        "PUT",
        &format!("/api/r/{token}/responses/{id}"),
        &SaveBody {
            version,
            values,
            confirmed,
        },
    )
    .await
}

/// Submits.
pub async fn submit(token: &str, id: i32, version: i64) -> Result<ResponseState, WriteError> {
    let body: SubmittedBody = write(
        "POST",
        &format!("/api/r/{token}/responses/{id}/submit"),
        &serde_json::json!({ "version": version }),
    )
    .await?;
    Ok(body.state)
}

/// Deletes a draft never sent in.
pub async fn discard(token: &str, id: i32, version: i64) -> Result<(), String> {
    let url = format!("/api/r/{token}/responses/{id}/discard");
    let resp = Request::post(&url)
        .json(&serde_json::json!({ "version": version }))
        .map_err(|e| format!("Kunne ikke lage forespørselen ({e})."))?
        .send()
        .await
        .map_err(|_| "Fikk ikke kontakt med serveren. Prøv igjen om litt.".to_owned())?;
    if resp.ok() {
        return Ok(());
    }
    let body: Option<ErrorBody> = resp.json().await.ok();
    Err(body.map_or_else(|| format!("Feil {}.", resp.status()), |b| b.message))
}

/// Reopens a submitted response.
pub async fn reopen(token: &str, id: i32, version: i64) -> Result<ResponseState, WriteError> {
    write(
        "POST",
        &format!("/api/r/{token}/responses/{id}/reopen"),
        &serde_json::json!({ "version": version }),
    )
    .await
}
