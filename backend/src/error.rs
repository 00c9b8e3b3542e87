//! The backend's one error type at its boundary; HTTP statuses map from it in `http::error`.

use survey_definitions::DefinitionError;

/// Everything that can go wrong in the backend.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database refused or failed.
    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// A survey definition does not parse or lint.
    #[error("{0}")]
    Definition(#[from] DefinitionError),
    /// Something looked up does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// Reading or writing a file or socket failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A setting is wrong.
    #[error("configuration error: {0}")]
    Config(String),
    /// A request is malformed (bad JSON, wrong shape, bad parameter).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A write was based on an old version; `current` is the server's state.
    #[error("conflict: {message}")]
    Conflict {
        /// What happened, in Norwegian for the respondent.
        message: String,
        /// The current state, so the client can show it.
        current: Box<crate::db::journey::ResponseState>,
    },
    /// Answers do not validate; nothing was changed.
    #[error("invalid answers: {message}")]
    Invalid {
        /// Summary, in Norwegian.
        message: String,
        /// Every item's problems.
        report: Box<survey_definitions::ValidationReport>,
    },
    /// Analysis refused its input or failed to write an export.
    #[error("{0}")]
    Analysis(#[from] analysis::AnalysisError),
    /// A file to import has bad rows; nothing was imported.
    #[error("{} bad row(s); nothing was imported:\n{}", .0.len(), .0.join("\n"))]
    Import(Vec<String>),
}

impl Error {
    /// Wraps an I/O error with what was being done.
    pub fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
        let context = context.into();
        move |source| Error::Io { context, source }
    }
}
