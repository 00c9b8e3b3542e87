//! The public, read-only list of rounds and the health check.

use serde::{Deserialize, Serialize};

/// A round as listed by `GET /api/rounds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundSummary {
    /// Survey id.
    pub survey_id: String,
    /// Round year.
    pub round_year: i32,
    /// Title.
    pub title: String,
    /// SHA-256 of the definition text.
    pub definition_sha256: String,
}

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok`.
    pub status: String,
}
