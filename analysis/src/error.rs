//! The analysis crate's one error type.

/// Everything that can go wrong in analysis.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// The input cannot be analysed as asked (too few groups, no data, …).
    #[error("{0}")]
    Input(String),
    /// A column named on the command line or in a request does not exist.
    #[error("no column named {0:?}")]
    UnknownColumn(String),
    /// A CSV file could not be read.
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    /// Rows of an import are bad; nothing was imported.
    #[error("{} bad row(s); nothing was imported:\n{}", .0.len(), .0.join("\n"))]
    Rows(Vec<String>),
    /// Writing an export failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being written.
        context: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Writing an XLSX workbook failed.
    #[error("XLSX: {0}")]
    Xlsx(String),
}

impl AnalysisError {
    /// Wraps an I/O error with what was being done.
    pub fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> AnalysisError {
        let context = context.into();
        move |source| AnalysisError::Io { context, source }
    }
}
