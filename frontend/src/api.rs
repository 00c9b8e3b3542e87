//! The API client: every request the app makes goes through here.

use std::collections::{BTreeMap, BTreeSet};

use api::respondent::{ErrorResponse, SaveRequest, Submitted, VersionRequest};
use gloo_net::http::Request;
use serde::Serialize;
use serde::de::DeserializeOwned;
use survey_definitions::{Answer, SurveyDefinition};

pub use api::registry::Registry;
pub use api::respondent::{InvitationView, ResponseState, ResponseSummary};

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
    let rounds: Vec<api::rounds::RoundSummary> = get_json("/api/rounds").await?;
    let round = rounds
        .first()
        .ok_or_else(|| "Ingen undersøkelse er lastet inn på serveren.".to_owned())?;
    let def: SurveyDefinition =
        get_json(&format!("/api/rounds/{}/definition", round.survey_id)).await?;
    let registry: Registry = get_json("/api/registry").await?;
    Ok((def.ready(), registry))
}

/// The body of a write that needs none: `{}` (no `serde_json::Value` in
/// the respondents' download for it).
#[derive(Serialize)]
struct NoBody {}

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
    let body: Option<ErrorResponse> = resp.json().await.ok();
    let message = body
        .as_ref()
        .map(|b| b.message.clone())
        .unwrap_or_else(|| format!("Feil {status}."));
    Err(match (status, body) {
        (
            409,
            Some(ErrorResponse {
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
    write("POST", &format!("/api/r/{token}/responses"), &NoBody {}).await
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
        &SaveRequest {
            version,
            values: values.clone(),
            confirmed: confirmed.clone(),
        },
    )
    .await
}

/// Submits.
pub async fn submit(token: &str, id: i32, version: i64) -> Result<ResponseState, WriteError> {
    let body: Submitted = write(
        "POST",
        &format!("/api/r/{token}/responses/{id}/submit"),
        &VersionRequest { version },
    )
    .await?;
    Ok(body.state)
}

/// Deletes a draft never sent in.
pub async fn discard(token: &str, id: i32, version: i64) -> Result<(), String> {
    let url = format!("/api/r/{token}/responses/{id}/discard");
    let resp = Request::post(&url)
        .json(&VersionRequest { version })
        .map_err(|e| format!("Kunne ikke lage forespørselen ({e})."))?
        .send()
        .await
        .map_err(|_| "Fikk ikke kontakt med serveren. Prøv igjen om litt.".to_owned())?;
    if resp.ok() {
        return Ok(());
    }
    let body: Option<ErrorResponse> = resp.json().await.ok();
    Err(body.map_or_else(|| format!("Feil {}.", resp.status()), |b| b.message))
}

/// Reopens a submitted response.
pub async fn reopen(token: &str, id: i32, version: i64) -> Result<ResponseState, WriteError> {
    write(
        "POST",
        &format!("/api/r/{token}/responses/{id}/reopen"),
        &VersionRequest { version },
    )
    .await
}
