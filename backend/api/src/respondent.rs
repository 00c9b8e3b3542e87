//! The personal link's API (`/api/r/{token}/…`) and the error body every
//! route answers with.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use survey_definitions::{Answer, AnswerSet, ValidationReport};

/// What a personal link opens (`GET /api/r/{token}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationView {
    /// Survey id of the round.
    pub survey_id: String,
    /// Title of the round.
    pub title: String,
    /// Municipality number.
    pub municipality: String,
    /// Municipality name.
    pub municipality_name: String,
    /// District or agency number.
    pub district: Option<String>,
    /// The responses (services) started from this link.
    pub responses: Vec<ResponseSummary>,
    /// When the answering window opens (RFC 3339), if set.
    pub opens_at: Option<String>,
    /// When it closes (RFC 3339), if set.
    pub closes_at: Option<String>,
    /// Why answers cannot be given now (Norwegian), when the window is shut.
    pub closed: Option<String>,
    /// The answering window as the first page states it (Norwegian, Oslo time).
    pub window: Option<String>,
    /// When the round's personal data is deleted (RFC 3339), if set.
    pub retention_until: Option<String>,
}

/// One response in an invitation's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseSummary {
    /// Response id.
    pub id: i32,
    /// `draft` or `submitted`.
    pub status: String,
    /// Gate answer.
    pub branch: Option<i32>,
    /// Current version.
    pub version: i64,
    /// Last change (RFC 3339).
    pub updated_at: String,
    /// Last submission (RFC 3339), if ever sent in.
    pub submitted_at: Option<String>,
    /// What the response is about (the definition's `response_label`
    /// items, first answered), once answered.
    pub label: Option<String>,
    /// A draft never sent in whose only answers are the link's own: the
    /// respondent may delete it.
    pub deletable: bool,
}

/// A response as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseState {
    /// Response id.
    pub id: i32,
    /// `draft` or `submitted`.
    pub status: String,
    /// Version to send with the next write.
    pub version: i64,
    /// The gate answer, once given.
    pub branch: Option<i32>,
    /// Saved answers and confirmed warnings: `{"values": {item id: answer}, "confirmed": [warning keys]}`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub answers: AnswerSet,
    /// Last accepted write (RFC 3339).
    pub updated_at: String,
    /// Submission time (RFC 3339), if submitted.
    pub submitted_at: Option<String>,
}

/// An autosave: every answer the client has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SaveRequest {
    /// The version the client's edits are based on.
    pub version: i64,
    /// Every answer the client has; items left out are cleared.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub values: BTreeMap<String, Answer>,
    /// Confirmed warning keys.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub confirmed: BTreeSet<String>,
}

/// A write that names only the version it is based on (submit, reopen,
/// discard).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VersionRequest {
    /// The version the client saw.
    pub version: i64,
}

/// A response sent in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Submitted {
    /// The response.
    pub state: ResponseState,
    /// The report it passed (warnings included). Not read back: clients
    /// run the same engine (`survey-definitions`) and have the report
    /// already, and skipping it keeps the respondents' download small.
    #[serde(skip_deserializing, default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub report: ValidationReport,
}

/// The body of every error answer (see the server's `http/error.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorResponse {
    /// `not_found`, `unauthorized`, `forbidden`, `too_many_requests`, `bad_request`, `conflict`, `invalid` or `internal`.
    pub error: String,
    /// What went wrong; Norwegian where the respondent sees it.
    pub message: String,
    /// With 409: the response as stored now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<ResponseState>,
    /// With 422: every item's errors and warnings. Not read back (see
    /// [`Submitted::report`]).
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub report: Option<ValidationReport>,
}

/// The answer to an opt-out link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptedOut {
    /// A Norwegian confirmation.
    pub message: String,
}
