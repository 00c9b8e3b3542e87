//! A survey's metadata: title, texts, owner, contacts, privacy facts and
//! the invitation e-mail.

use serde::{Deserialize, Serialize};

/// Survey metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyMeta {
    /// Stable survey id, e.g. `korus-2025`.
    pub id: String,
    /// The round's year, e.g. 2025.
    pub round_year: u16,
    /// Title shown to respondents.
    pub title: String,
    /// BCP 47 language tag of the texts (`nb` for bokmål).
    pub language: String,
    /// Introduction shown before the first section.
    pub introduction: String,
    /// Text shown after submission.
    pub closing: Option<String>,
    /// Who runs the survey, shown in every page's header.
    #[serde(default)]
    pub owner: Option<String>,
    /// The sentence that introduces the contact points where a text has
    /// the `{kontakter}` placeholder; shown only when contacts are declared.
    #[serde(default)]
    pub contact_prompt: Option<String>,
    /// Contact points for respondents (footer, and `{kontakter}` in texts).
    #[serde(default)]
    pub contacts: Vec<ContactPoint>,
    /// What the privacy notice says about this survey.
    #[serde(default)]
    pub privacy: Option<PrivacyNotice>,
    /// Items whose answer names what a response is about (a service's
    /// name), shown as "Du svarer for: …" once answered.
    #[serde(default)]
    pub response_label: Vec<String>,
    /// What answers: a municipality (the default) or a city district. A
    /// district survey's response rate and dashboard count the registry's
    /// districts.
    #[serde(default)]
    pub unit: RespondentUnit,
    /// How many responses one personal link may start: 1 when the link's
    /// unit (a district) answers once; by default several (one per
    /// service), up to the server's limit.
    #[serde(default)]
    pub responses_per_link: Option<u32>,
    /// The period the answers report on, when the survey has one.
    #[serde(default)]
    pub period: Option<ReportingPeriod>,
    /// The e-mail administrators start an invitation wave from. Only the
    /// server reads it (from the TOML; the JSON form leaves it out), so
    /// the browser app is built without it and stays small.
    #[cfg(not(target_arch = "wasm32"))]
    #[serde(default, skip_serializing)]
    pub invitation: Option<InvitationText>,
}

/// An invitation e-mail: subject and body with the wave's merge fields
/// (`{kommune}`, `{navn}`, `{frist}`, `{lenke}`, `{avmelding}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationText {
    /// Subject.
    pub subject: String,
    /// Body; must contain `{lenke}`, the personal link.
    pub body: String,
}

/// The unit a survey's responses come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RespondentUnit {
    /// A municipality (services inside it may answer one each).
    #[default]
    Municipality,
    /// A city district (bydel) of the registry.
    District,
}

impl RespondentUnit {
    /// The unit's plural noun as the pages write it («kommuner», «bydeler»).
    pub fn plural(self) -> &'static str {
        match self {
            RespondentUnit::Municipality => "kommuner",
            RespondentUnit::District => "bydeler",
        }
    }
}

/// The period a survey's answers report on (dates as `YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportingPeriod {
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
    /// The day counts are taken («per 31.12.2025»), if there is one.
    #[serde(default)]
    pub reference_date: Option<String>,
}

impl ReportingPeriod {
    /// «Rapporteringsperiode: 01.06.2025–31.12.2025. Tall per 31.12.2025.»
    pub fn describe(&self) -> String {
        let d = crate::iso_date_norwegian;
        let mut t = format!("Rapporteringsperiode: {}–{}.", d(&self.start), d(&self.end));
        if let Some(r) = &self.reference_date {
            t.push_str(&format!(" Tall per {}.", d(r)));
        }
        t
    }
}

/// The placeholder in the introduction or closing text where the contact
/// prompt and the contact points go (or nothing, when none are declared).
pub const CONTACTS_PLACEHOLDER: &str = "{kontakter}";

/// A contact point for respondents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactPoint {
    /// Name of the office or person.
    pub name: String,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// What the contact point covers (a region, a topic).
    #[serde(default)]
    pub covers: Option<String>,
}

/// The survey's facts for the privacy notice; omfang writes the notice
/// (what is collected is read from the definition itself).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyNotice {
    /// The data controller (behandlingsansvarlig).
    pub controller: String,
    /// Why the answers are collected.
    pub purpose: String,
    /// Legal basis, if declared.
    #[serde(default)]
    pub legal_basis: Option<String>,
    /// Who to contact about personal data (e-mail), if declared.
    #[serde(default)]
    pub contact: Option<String>,
    /// The data protection officer's contact, if declared.
    #[serde(default)]
    pub data_protection_officer: Option<String>,
}

impl SurveyMeta {
    /// `text` with the contact placeholder resolved: the prompt when
    /// contacts are declared (the caller lists them after it), else nothing.
    /// Returns the text and whether the contact list belongs after it.
    pub fn with_contacts(&self, text: &str) -> (String, bool) {
        if !text.contains(CONTACTS_PLACEHOLDER) {
            return (text.to_owned(), false);
        }
        match (&self.contact_prompt, self.contacts.is_empty()) {
            (Some(prompt), false) => (text.replace(CONTACTS_PLACEHOLDER, prompt), true),
            _ => {
                let cleaned = text
                    .replace(&format!(" {CONTACTS_PLACEHOLDER}"), "")
                    .replace(CONTACTS_PLACEHOLDER, "");
                (cleaned, false)
            }
        }
    }
}
