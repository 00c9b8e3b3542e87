//! The researchers' API: rounds to analyse, cross-tabs with their tests,
//! response rates, the cleaning state and the variables of analysis. The
//! analysis crate builds these types; the server sends them as they are.

use serde::{Deserialize, Serialize};

use crate::float::nan_if_null;

/// A round as researchers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResearchRound {
    /// Survey id.
    pub survey_id: String,
    /// Title.
    pub title: String,
    /// Registry year that sizes and places its municipalities.
    pub registry_year: i32,
    /// A report file is declared for it (`report.zip` writes its figures).
    pub has_report_file: bool,
}

/// A round's sample and response rate (`GET …/summary`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResearchSummary {
    /// `analysable` or `submitted`.
    pub sample: String,
    /// The sample in Norwegian.
    pub sample_description: String,
    /// The registry year that sizes and places municipalities.
    pub registry_year: i32,
    /// Responses loaded (drafts discarded by respondents left out).
    pub respondents: u64,
    /// Responses in the analytic sample.
    pub included: u64,
    /// Response rate by county.
    pub by_county: ResponseRate,
    /// Response rate by size class.
    pub by_size_class: ResponseRate,
    /// Response rate by city district, for a survey whose unit is the
    /// district (then the two above count municipalities and say little).
    pub by_district: Option<ResponseRate>,
}

/// What a cross-tab's variable is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Single choice, recode, size class.
    Single,
    /// Multiple choice (each option).
    Multiple,
    /// Count grid or grid groups (pooled counts).
    Grid,
    /// Numbers (integer, decimal, percent, age bounds).
    Numeric,
}

/// A group (column of the table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    /// Code or key (`total` for the «Totalt» column).
    pub key: String,
    /// Label.
    pub label: String,
    /// Units in the group that answered the item.
    pub n: u64,
    /// Units in the group asked the item that did not answer it.
    pub unanswered: u64,
    /// Units in the group the skip logic did not show the item.
    pub not_asked: u64,
}

/// A category (row of the table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    /// Code (option, row or group code).
    pub code: i64,
    /// Label.
    pub label: String,
}

/// How a p-value was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// From the exact null distribution.
    Exact,
    /// From a large-sample approximation (χ², normal or t).
    Asymptotic,
}

/// Summary of one group of numbers. Statistics of no values are NaN
/// (`null` in JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupSummary {
    /// The group's value in the grouping column.
    pub key: String,
    /// Number of observations.
    pub n: u64,
    /// Arithmetic mean.
    #[serde(deserialize_with = "nan_if_null")]
    pub mean: f64,
    /// Median (mean of the two middle values for even n).
    #[serde(deserialize_with = "nan_if_null")]
    pub median: f64,
    /// Sum (e.g. staff over services).
    #[serde(deserialize_with = "nan_if_null")]
    pub sum: f64,
    /// Smallest value.
    #[serde(deserialize_with = "nan_if_null")]
    pub min: f64,
    /// Largest value.
    #[serde(deserialize_with = "nan_if_null")]
    pub max: f64,
}

/// One test in a cross-tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrosstabTest {
    /// `chi2`, `fisher`, `mannwhitney` or `kruskal`.
    pub name: String,
    /// The option tested (multiple choice), else null.
    pub category: Option<i64>,
    /// Test statistic.
    #[serde(deserialize_with = "nan_if_null")]
    pub statistic: f64,
    /// Degrees of freedom, if any.
    pub df: Option<f64>,
    /// p-value.
    #[serde(deserialize_with = "nan_if_null")]
    pub p: f64,
    /// p as the report writes it («p < 0,001»).
    pub p_text: String,
    /// Effect size.
    #[serde(deserialize_with = "nan_if_null")]
    pub effect_size: f64,
    /// Its name (`cramers_v`, `phi`, `r`, `epsilon_squared`).
    pub effect_size_name: String,
    /// Exact or asymptotic.
    pub method: Method,
}

/// A finished cross-tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Crosstab {
    /// What was tabulated (item id, concept key or variable name).
    pub item: String,
    /// Its label.
    pub label: String,
    /// What kind of table.
    pub kind: Kind,
    /// The grouping asked for.
    pub by: String,
    /// Its label.
    pub by_label: String,
    /// Unit name.
    pub unit: String,
    /// Unit description (Norwegian).
    pub unit_description: String,
    /// Sample name (`analysable` or `submitted`).
    pub sample: String,
    /// Sample description (Norwegian).
    pub sample_description: String,
    /// The registry year that sizes and places municipalities.
    pub registry_year: i32,
    /// Units that answered, over all groups (not the total column).
    pub n: u64,
    /// Groups in order.
    pub groups: Vec<Group>,
    /// Categories in order.
    pub categories: Vec<Category>,
    /// Counts, category × group; `None` where suppressed.
    pub counts: Vec<Vec<Option<u64>>>,
    /// Column percentages, category × group; `None` where suppressed or n = 0.
    pub percents: Vec<Vec<Option<f64>>>,
    /// Numeric items: n, mean and median per group.
    pub summaries: Vec<GroupSummary>,
    /// Tests.
    pub tests: Vec<CrosstabTest>,
    /// Warnings (small expected counts, suppression, …).
    pub warnings: Vec<String>,
}

/// How a response rate is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RateBy {
    /// By county.
    County,
    /// By SSB size class.
    SizeClass,
    /// City districts, grouped by their municipality.
    District,
}

/// One group's response rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateGroup {
    /// County number or size-class code.
    pub key: String,
    /// County name or size-class label.
    pub label: String,
    /// Municipalities with a respondent in the sample.
    pub answered: u64,
    /// Municipalities of the registry year.
    pub municipalities: u64,
    /// `answered` of `municipalities`, 0–100.
    pub percent: f64,
    /// Names of the municipalities not answered, by number.
    pub not_answered: Vec<String>,
}

/// A response rate over all groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateTotal {
    /// Municipalities with a respondent in the sample.
    pub answered: u64,
    /// Municipalities of the registry year.
    pub municipalities: u64,
    /// `answered` of `municipalities`, 0–100.
    pub percent: f64,
}

/// The response rate of a round against its registry year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseRate {
    /// The grouping.
    pub by: RateBy,
    /// The registry year counted against.
    pub registry_year: i32,
    /// The sample.
    pub sample: String,
    /// Groups in order (counties by number, size classes small to large).
    pub groups: Vec<RateGroup>,
    /// All municipalities.
    pub total: RateTotal,
}

/// A researcher's decision about one respondent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    /// Respondent key.
    pub respondent: String,
    /// Keep (true) or drop (false).
    pub keep: bool,
    /// Who decided.
    pub by: String,
    /// Why.
    pub reason: String,
    /// When (RFC 3339).
    pub at: String,
}

/// A keep/drop decision from the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// Respondent key as listed (`svar-12`, `import-1-7`).
    pub respondent: String,
    /// Keep (true) or drop (false).
    pub keep: bool,
    /// Why (required).
    pub reason: String,
}

/// The cleaning state of a round (`GET …/cleaning`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CleaningState {
    /// `analysable` or `submitted`.
    pub sample: String,
    /// The registry year.
    pub registry_year: i32,
    /// Responses loaded.
    pub respondents: u64,
    /// Responses in the analytic sample.
    pub included: u64,
    /// Responses that are not analysable, probable duplicates, or decided on.
    pub flagged: Vec<Flagged>,
}

/// A response the researcher should look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Flagged {
    /// Respondent key.
    pub respondent: String,
    /// Municipality and gate answered.
    pub analysable: bool,
    /// In the analytic sample now.
    pub included: bool,
    /// In the sample before any decision (analysable, and submitted if
    /// the sample asks for that).
    pub in_sample: bool,
    /// Why it looks like a duplicate (Norwegian), if it does.
    pub duplicate: Option<String>,
    /// The respondent it resembles.
    pub duplicate_of: Option<String>,
    /// Who that respondent is from (the same facts as `context`).
    pub duplicate_of_context: Option<ResponseContext>,
    /// The latest decision.
    pub decision: Option<Decision>,
    /// What the response is, for telling rows apart: municipality,
    /// service type, status and last change.
    pub context: ResponseContext,
    /// The answers where it differs from the one it resembles (duplicates).
    pub differences: Vec<Difference>,
}

/// Who a response is from, without reading its answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseContext {
    /// Municipality (and district) name, if answered.
    pub municipality: String,
    /// The gate answer's label (service type), if answered.
    pub branch: String,
    /// What the response is about (the service's name), if answered.
    pub label: String,
    /// `draft`, `submitted` or `imported`.
    pub status: String,
    /// Last change (Oslo time, `YYYY-MM-DD HH:MM`), if known.
    pub updated: String,
    /// Answers given.
    pub answered: u64,
}

/// One variable on which two probable duplicates differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Difference {
    /// Variable.
    pub variable: String,
    /// Its label.
    pub label: String,
    /// This response's value.
    pub this: String,
    /// The other's.
    pub other: String,
}

/// Where an analysis variable comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VariableOrigin {
    /// The respondent's key.
    Key,
    /// An item's answer.
    Item,
    /// A concept: the same question in every branch, harmonised.
    Concept,
    /// A derived variable of the definition (recode, registry field, sum).
    Derived,
    /// A code of a coding frame of free text (1 given, 0 not).
    Coded,
}

/// An analysis variable (`GET …/variables`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VariableView {
    /// Export name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Where it comes from.
    pub origin: VariableOrigin,
    /// The item, concept, derived variable or frame it comes from.
    pub source: String,
    /// `int`, `float` or `text`.
    pub storage: String,
    /// `nominal`, `ordinal` or `scale`.
    pub measure: String,
    /// Value labels (code, label), in the source's order.
    pub value_labels: Vec<(i64, String)>,
    /// The cross-tab grouping this variable stands for, when it has a
    /// role (`service-type`, `size-class`, `county`, `branch`): the page
    /// offers those groupings by the variable's label.
    #[serde(default)]
    pub grouping: Option<String>,
}

/// A report being built on the server (`POST …/report-jobs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportJob {
    /// Job id.
    pub id: u64,
    /// Round (survey id).
    pub survey_id: String,
    /// `running`, `ready` or `failed`.
    pub state: String,
    /// Figures and tables computed so far.
    pub done: u64,
    /// Figures and tables in all (0 until known).
    pub total: u64,
    /// What it is doing now, or why it failed (Norwegian).
    pub message: String,
}

/// A test's name as the report writes it («Kjikvadrattest»).
pub fn test_label(name: &str) -> &str {
    match name {
        "chi2" => "Kjikvadrattest",
        "fisher" => "Fishers eksakte test",
        "mannwhitney" => "Mann-Whitney U",
        "kruskal" => "Kruskal-Wallis",
        "spearman" => "Spearmans rho",
        other => other,
    }
}

/// An effect size's name as a reader knows it («Cramérs V»).
pub fn effect_label(name: &str) -> &str {
    match name {
        "cramers_v" => "Cramérs V",
        "phi" => "φ",
        "epsilon_squared" => "ε²",
        "rho" => "ρ",
        other => other,
    }
}

/// The caution under a table with several tests (one per option), or
/// nothing for one test.
pub fn multiple_testing_note(tests: usize) -> Option<String> {
    (tests > 1).then(|| {
        format!(
            "Merk: Her er {tests} tester, én per svaralternativ. Med mange tester blir noen «signifikante» ved en tilfeldighet (omtrent én av tjue ved p < 0,05); vurder en strengere grense, for eksempel 0,05 / {tests} (Bonferroni)."
        )
    })
}
