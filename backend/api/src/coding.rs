//! Coding of free text: frames, their codes, and the answers coded.

use serde::{Deserialize, Serialize};

/// A text item that can be coded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextItem {
    /// Item id.
    pub id: String,
    /// Its wording (for a «specify» text: the option's).
    pub text: String,
    /// Answers to it in the analytic sample.
    pub answers: u64,
}

/// The coding of a round (`GET …/coding`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodingOverview {
    /// Text items that can be coded.
    pub items: Vec<TextItem>,
    /// Frames, with their codes and counts.
    pub frames: Vec<FrameView>,
}

/// A coding frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FrameView {
    /// Frame id.
    pub id: i32,
    /// Name.
    pub name: String,
    /// Items it codes.
    pub items: Vec<String>,
    /// Codes in order.
    pub codes: Vec<CodeView>,
    /// Answers in the analytic sample (empty in the frame list).
    pub answers: Vec<TextAnswer>,
    /// The two groupings the counts are by, as the definition names them
    /// (its service-type and size-class variables); empty when the survey
    /// has no such variable, and then the counts are empty too.
    #[serde(default)]
    pub group_labels: (String, String),
}

/// A code of a frame, with its counts and quotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeView {
    /// Its number in the frame (1, 2, …).
    pub code: i32,
    /// Label.
    pub label: String,
    /// What belongs under it.
    pub description: String,
    /// Answers given it (in the sample).
    pub count: usize,
    /// Answers given it by service type (label, in code order; groups
    /// with none left out).
    pub by_service_type: Vec<(String, usize)>,
    /// Answers given it by size class (label, small to large).
    pub by_size_class: Vec<(String, usize)>,
    /// Quotes under it, attributed without names.
    pub quotes: Vec<Quote>,
}

/// A quote, attributed as the report does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    /// The answer, or the marked passage.
    pub text: String,
    /// «en stor kommune», «en bydel», …
    pub attribution: String,
}

/// A text answer to code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextAnswer {
    /// Respondent key.
    pub respondent: String,
    /// Item answered.
    pub item: String,
    /// The answer.
    pub text: String,
    /// Municipality (and district) name.
    pub municipality: String,
    /// Service type (label), if known.
    pub service_type: String,
    /// Size class (label), if known.
    pub size_class: String,
    /// How a quote from it is attributed.
    pub attribution: String,
    /// Codes given (numbers).
    pub codes: Vec<i32>,
}

/// `POST …/coding`: a new frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewFrame {
    /// Its name.
    pub name: String,
    /// The text items it codes (item ids).
    pub items: Vec<String>,
}

/// The id of something made (a frame id or a code number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Created {
    /// Frame id or code number.
    pub id: i32,
}

/// `POST …/coding/{frame}/codes`: a new code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCode {
    /// Label.
    pub label: String,
    /// What belongs under it.
    #[serde(default)]
    pub description: String,
}

/// `POST …/coding/{frame}/assignments`: give or take away a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// Respondent key.
    pub respondent: String,
    /// The text item.
    pub item: String,
    /// The code's number.
    pub code: i32,
    /// Give (true) or take away (false).
    pub on: bool,
    /// The marked passage, if only part of the answer.
    #[serde(default)]
    pub passage: Option<String>,
}
