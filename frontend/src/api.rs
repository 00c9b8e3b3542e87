//! The API client: every request the app makes goes through here.

use gloo_net::http::Request;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use survey_definitions::SurveyDefinition;

/// A survey round as listed by `/api/rounds`.
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

/// Loads the first survey round's definition and the registry.
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
