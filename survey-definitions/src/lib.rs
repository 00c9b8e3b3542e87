//! The omfang survey-definition format and its one engine.
//!
//! This crate knows nothing about HTTP, SQL, tokio or the DOM: it turns
//! definition text into a typed [`SurveyDefinition`] ([`parse`]), checks it
//! ([`lint()`]), decides which items are visible and required and validates
//! answers ([`validate()`]), computes progress, and describes the survey as a
//! [`Codebook`]. The backend uses it natively and the browser app uses the
//! same code compiled to wasm32, so a rule exists exactly once.

mod answer;
mod codebook;
mod compat;
mod concept;
mod diagnostic;
pub mod expr;
mod lint;
mod model;
mod parse;
mod unit;
mod validate;

pub use answer::{
    Answer, AnswerSet, Estimate, canonicalize, format_number, iso_date_norwegian, normalize,
    parse_decimal, read_estimate,
};
pub use codebook::{CodeLabel, Codebook, CodebookConcept, CodebookItem, CodebookSurvey};
pub use compat::incompatibilities;
pub use diagnostic::{Diagnostic, Level, line_column};
pub use expr::{Expression, Value};
pub use lint::lint;
pub use model::*;
pub use parse::parse;
pub use unit::fixed_answers;
pub use validate::{
    ItemReport, Mode, Problem, Progress, SectionProgress, ValidationReport, evaluate, validate,
    visibility, visibility_of,
};

/// The KORUS 2025 definition, as shipped (the same bytes in server and browser).
pub const KORUS_2025: &str = include_str!("../surveys/korus-2025.toml");

/// The report file of KORUS 2025: the published report's 53 figures and
/// its table, declared over [`KORUS_2025`] (format:
/// `analysis/REPORT-FORMAT.md`; read by the analysis crate).
pub const KORUS_2025_REPORT: &str = include_str!("../surveys/korus-2025-report.toml");

/// Oslo's reporting form on one-to-one follow-up of youth, June–December
/// 2025 (reconstructed from its report; see the file's notes).
pub const OSLO_EN_TIL_EN_2025: &str = include_str!("../surveys/oslo-en-til-en-2025.toml");

/// The report file of Oslo's one-to-one form: the combined report's
/// numbers (15 of 15 districts, 33 staff, 28 positions, 66 youths, 28 with
/// repeated crime, 12 of 15 following the standard).
pub const OSLO_EN_TIL_EN_2025_REPORT: &str =
    include_str!("../surveys/oslo-en-til-en-2025-report.toml");

/// A survey shipped with omfang: its definition and its report file.
#[derive(Debug, Clone, Copy)]
pub struct Shipped {
    /// The definition's survey id.
    pub id: &'static str,
    /// The definition (TOML).
    pub definition: &'static str,
    /// Its report file, if it has one.
    pub report: Option<&'static str>,
}

/// Every survey shipped with omfang; a server loads each as a round.
pub const SHIPPED: &[Shipped] = &[
    Shipped {
        id: "korus-2025",
        definition: KORUS_2025,
        report: Some(KORUS_2025_REPORT),
    },
    Shipped {
        id: "oslo-en-til-en-2025",
        definition: OSLO_EN_TIL_EN_2025,
        report: Some(OSLO_EN_TIL_EN_2025_REPORT),
    },
];

/// The definition shipped for a survey id, if any.
pub fn shipped_definition(survey_id: &str) -> Option<&'static str> {
    SHIPPED
        .iter()
        .find(|s| s.id == survey_id)
        .map(|s| s.definition)
}

/// The report file shipped for a survey id, if any.
pub fn shipped_report(survey_id: &str) -> Option<&'static str> {
    SHIPPED
        .iter()
        .find(|s| s.id == survey_id)
        .and_then(|s| s.report)
}

/// The error at this crate's boundary.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DefinitionError {
    /// The text is not a valid definition; every problem found is listed.
    #[error("invalid survey definition ({} problem(s))", .0.len())]
    Invalid(Vec<Diagnostic>),
}

impl DefinitionError {
    /// The diagnostics.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            DefinitionError::Invalid(d) => d,
        }
    }
}

impl SurveyDefinition {
    /// Parses definition text (see [`parse`]).
    pub fn parse(src: &str) -> Result<SurveyDefinition, DefinitionError> {
        parse::parse(src)
    }

    /// Parses and lints: fails when parsing fails or the linter finds an
    /// error; warnings are returned with the definition.
    pub fn load(src: &str) -> Result<(SurveyDefinition, Vec<Diagnostic>), DefinitionError> {
        let def = parse::parse(src)?;
        let diagnostics = lint::lint(&def, src);
        if diagnostics.iter().any(|d| d.level == Level::Error) {
            return Err(DefinitionError::Invalid(diagnostics));
        }
        Ok((def, diagnostics))
    }
}
