//! The administrators' API: rounds, contacts, invitation waves and the
//! response-rate dashboard.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A round as administrators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The invitation e-mail its definition suggests for waves, if any.
    pub invitation: Option<WaveTemplate>,
    /// What answers, plural («kommuner», «bydeler»).
    #[serde(default)]
    pub unit: String,
}

/// A definition to load as a new round or a correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DefinitionText {
    /// The definition (TOML).
    pub definition: String,
}

/// The answering window of a round.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WindowRequest {
    /// Opens (RFC 3339 or YYYY-MM-DD); empty or absent: open from the start.
    #[serde(default)]
    pub opens: Option<String>,
    /// Closes (RFC 3339 or YYYY-MM-DD); empty or absent: no deadline.
    #[serde(default)]
    pub closes: Option<String>,
}

/// The registry year of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistryYearRequest {
    /// A population year already imported (`omfang registry import FILE --year`).
    pub year: i32,
}

/// A contact as administrators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactView {
    /// Row id.
    pub id: i32,
    /// Municipality number.
    pub municipality_number: String,
    /// Municipality name.
    pub municipality: String,
    /// District or agency.
    pub district_number: Option<String>,
    /// `postmottak` or `tjeneste`.
    pub kind: String,
    /// Name, if a person.
    pub name: Option<String>,
    /// E-mail.
    pub email: String,
    /// Gets mail.
    pub active: bool,
    /// Used the opt-out link.
    pub opted_out: bool,
    /// Why mail failed permanently, if it did.
    pub bounce_reason: Option<String>,
}

/// A change to a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactEdit {
    /// `postmottak` or `tjeneste`.
    pub kind: String,
    /// Name (empty: none).
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Gets mail (false deactivates).
    pub active: bool,
}

/// A contact list to import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactsCsv {
    /// CSV text: `municipality_number,district_number,kind,name,email`.
    pub csv: String,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Imported {
    /// New contacts.
    pub new: usize,
    /// Contacts already known, updated.
    pub merged: usize,
}

/// A wave of invitations or reminders to preview or send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaveRequest {
    /// Round (survey id).
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

/// A wave made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaveCreated {
    /// Wave id.
    pub id: i32,
    /// Mails in its outbox.
    pub mails: usize,
}

/// What a wave would send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WavePreview {
    /// How many mails the wave would send.
    pub recipients: usize,
    /// The first mail: recipient, subject and body (links shown as placeholders).
    pub first: Option<PreviewMail>,
}

/// One mail of a preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewMail {
    /// Recipient.
    pub to: String,
    /// Subject with merge fields filled in.
    pub subject: String,
    /// Body with merge fields filled in.
    pub body: String,
}

/// A wave's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaveProgress {
    /// Wave id.
    pub id: i32,
    /// Survey id of the round.
    pub survey_id: String,
    /// `invitation` or `reminder`.
    pub kind: String,
    /// Subject.
    pub subject: String,
    /// Who sent it.
    pub created_by: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// Mails by status (`pending`, `sending`, `sent`, `failed`).
    pub by_status: BTreeMap<String, usize>,
}

/// The invitation text a round suggests for its waves (from its definition).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaveTemplate {
    /// Subject (merge fields allowed).
    pub subject: String,
    /// Body with merge fields.
    pub body: String,
}

/// One municipality's progress in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MunicipalityStatus {
    /// Number.
    pub number: String,
    /// Name.
    pub name: String,
    /// County number.
    pub county: String,
    /// `small`, `medium` or `large`.
    pub size_class: String,
    /// Invitations made (links sent or created).
    pub invited: usize,
    /// Responses started but not submitted.
    pub drafts: usize,
    /// Responses submitted.
    pub submitted: usize,
    /// Gate answers of the submitted responses (codes of the definition's gate item).
    pub branches: Vec<i32>,
}

/// A group's rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rate {
    /// Group key (county number, size class or branch code).
    pub key: String,
    /// Its name: the county's, the size class's, or the gate option's label.
    pub label: String,
    /// Municipalities in the group (for branches: submitted responses).
    pub total: usize,
    /// Municipalities with at least one submitted response (for branches: the same).
    pub answered: usize,
    /// answered / total, in percent.
    pub percent: f64,
}

/// The response rate of a round, live.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundStatus {
    /// Survey id.
    pub survey_id: String,
    /// The unit counted, plural («kommuner», «bydeler»).
    pub unit: String,
    /// Units in the round's registry (municipalities, or districts).
    pub municipalities: usize,
    /// Municipalities with at least one submitted response.
    pub answered: usize,
    /// By county.
    pub by_county: Vec<Rate>,
    /// By size class.
    pub by_size_class: Vec<Rate>,
    /// What the gate item sorts responses by (the definition's name for it).
    pub branch_title: String,
    /// Submitted responses by branch (gate answer).
    pub by_branch: Vec<Rate>,
    /// Every municipality, those without a submitted response first.
    pub status: Vec<MunicipalityStatus>,
}
