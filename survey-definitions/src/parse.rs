//! TOML definition text → typed [`SurveyDefinition`], with positioned errors.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use toml::Spanned;

use crate::DefinitionError;
use crate::diagnostic::{Diagnostic, Level};
use crate::expr::Expression;
use crate::model::*;

/// Default maximum length of short texts.
const TEXT_MAX: u32 = 500;
/// Default maximum length of long texts.
const LONG_TEXT_MAX: u32 = 10_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDef {
    version: Spanned<u32>,
    survey: SurveyMeta,
    #[serde(default)]
    concepts: BTreeMap<String, Spanned<Concept>>,
    sections: Vec<Spanned<RawSection>>,
    #[serde(default)]
    checks: Vec<Spanned<RawCheck>>,
    #[serde(default)]
    derived: Vec<Spanned<Derived>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: Spanned<String>,
    title: String,
    relevant: Option<Spanned<String>>,
    #[serde(default)]
    items: Vec<Spanned<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Spanned<String>,
    variable: Spanned<String>,
    text: Spanned<String>,
    kind: Spanned<String>,
    note: Option<String>,
    #[serde(default)]
    help: Vec<HelpTopic>,
    relevant: Option<Spanned<String>>,
    required: Option<Requirement>,
    concept: Option<Spanned<String>>,
    concept_codes: Option<Spanned<BTreeMap<String, i64>>>,
    options: Option<Vec<Spanned<RawOption>>>,
    rows: Option<Vec<Spanned<RawOption>>>,
    min: Option<f64>,
    max: Option<f64>,
    min_choices: Option<u32>,
    max_choices: Option<u32>,
    max_length: Option<u32>,
    registry: Option<RegistryKind>,
    parent: Option<String>,
    columns: Option<Vec<RosterColumn>>,
    max_rows: Option<u32>,
    #[serde(default)]
    personal: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    code: i64,
    label: String,
    #[serde(default)]
    exclusive: bool,
    #[serde(default)]
    specify: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    id: String,
    items: Vec<String>,
    assert: Spanned<String>,
    message: String,
    severity: Severity,
}

struct Ctx<'a> {
    src: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn error(&mut self, span: impl Into<Span>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(
            Level::Error,
            self.src,
            span.into(),
            message,
        ));
    }

    fn expression(&mut self, raw: &Spanned<String>) -> Option<Expression> {
        // The expression text starts after the opening quote.
        let origin = raw.span().start + 1;
        match Expression::parse(raw.get_ref()) {
            Ok(e) => Some(e.with_origin(origin)),
            Err(e) => {
                let at = origin + e.offset;
                self.error(at..at, format!("invalid expression: {}", e.message));
                None
            }
        }
    }
}

/// Parses definition text. Syntax and type errors come back as positioned
/// diagnostics; semantic checks are the linter's job ([`crate::lint()`]).
pub fn parse(src: &str) -> Result<SurveyDefinition, DefinitionError> {
    let raw: RawDef = toml::from_str(src).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        DefinitionError::Invalid(vec![Diagnostic::new(
            Level::Error,
            src,
            span.into(),
            e.message().trim(),
        )])
    })?;
    let mut cx = Ctx {
        src,
        diagnostics: Vec::new(),
    };
    if *raw.version.get_ref() != FORMAT_VERSION {
        cx.error(
            raw.version.span(),
            format!(
                "unsupported format version {} (this engine reads version {FORMAT_VERSION})",
                raw.version.get_ref()
            ),
        );
    }

    let mut sections = Vec::new();
    let mut items = Vec::new();
    for raw_section in raw.sections {
        let span = raw_section.span();
        let s = raw_section.into_inner();
        let relevant = s.relevant.as_ref().and_then(|r| cx.expression(r));
        let section_id = s.id.get_ref().clone();
        sections.push(Section {
            id: section_id.clone(),
            title: s.title,
            relevant,
            span: span.into(),
        });
        for raw_item in s.items {
            convert_item(&mut cx, &section_id, raw_item, &mut items);
        }
    }

    let mut checks = Vec::new();
    for raw_check in raw.checks {
        let span = raw_check.span();
        let c = raw_check.into_inner();
        if let Some(assert) = cx.expression(&c.assert) {
            checks.push(Check {
                id: c.id,
                items: c.items,
                assert,
                message: c.message,
                severity: c.severity,
                span: span.into(),
            });
        }
    }

    if cx.diagnostics.iter().any(|d| d.level == Level::Error) {
        return Err(DefinitionError::Invalid(cx.diagnostics));
    }
    let concepts = raw
        .concepts
        .into_iter()
        .map(|(k, v)| (k, v.into_inner()))
        .collect();
    let mut def = SurveyDefinition {
        version: *raw.version.get_ref(),
        survey: raw.survey,
        sections,
        items,
        checks,
        concepts,
        derived: raw
            .derived
            .into_iter()
            .map(|d| {
                let span = d.span().into();
                Derived {
                    span,
                    ..d.into_inner()
                }
            })
            .collect(),
        index: BTreeMap::new(),
    };
    def.reindex();
    Ok(def)
}

fn convert_item(cx: &mut Ctx<'_>, section: &str, raw: Spanned<RawItem>, out: &mut Vec<Item>) {
    let span: Span = raw.span().into();
    let r = raw.into_inner();
    let id = r.id.get_ref().clone();
    if !valid_item_id(&id) {
        cx.error(
            r.id.span(),
            format!("item id `{id}` must be letters, digits, `_` and inner `.` (like `2.1.3` or `kommune`)"),
        );
    }
    let options = |cx: &mut Ctx<'_>,
                   list: Option<Vec<Spanned<RawOption>>>,
                   what: &str|
     -> Vec<(ChoiceOption, bool)> {
        let Some(list) = list else {
            cx.error(
                r.kind.span(),
                format!("a `{}` item needs `{what}`", r.kind.get_ref()),
            );
            return Vec::new();
        };
        list.into_iter()
            .map(|o| {
                let span = o.span().into();
                let o = o.into_inner();
                let specify = o.specify.then(|| format!("{id}:{}", o.code));
                (
                    ChoiceOption {
                        code: o.code,
                        label: o.label,
                        exclusive: o.exclusive,
                        specify,
                        span,
                    },
                    o.specify,
                )
            })
            .collect()
    };
    let plain = |v: Vec<(ChoiceOption, bool)>| v.into_iter().map(|(o, _)| o).collect::<Vec<_>>();
    let int = |v: Option<f64>, default: i64| v.map_or(default, |v| v as i64);

    let kind = match r.kind.get_ref().as_str() {
        "text" => ItemKind::Text {
            max_length: r.max_length.unwrap_or(TEXT_MAX),
        },
        "long_text" => ItemKind::LongText {
            max_length: r.max_length.unwrap_or(LONG_TEXT_MAX),
        },
        "integer" => ItemKind::Integer {
            min: int(r.min, 0),
            max: int(r.max, 100_000),
        },
        "date" => ItemKind::Date,
        "money" => ItemKind::Money {
            max: int(r.max, 1_000_000_000),
        },
        "decimal" => ItemKind::Decimal {
            min: r.min.unwrap_or(0.0),
            max: r.max.unwrap_or(100_000.0),
        },
        "single_choice" => ItemKind::SingleChoice {
            options: plain(options(cx, r.options, "options")),
        },
        "multiple_choice" => ItemKind::MultipleChoice {
            options: plain(options(cx, r.options, "options")),
            min_choices: r.min_choices.unwrap_or(1),
            max_choices: r.max_choices,
        },
        "age_range" => ItemKind::AgeRange {
            min: int(r.min, 0),
            max: int(r.max, 100),
        },
        "percent" => ItemKind::Percent,
        "count_grid" | "money_grid" => ItemKind::CountGrid {
            rows: plain(options(cx, r.rows, "rows")),
            money: r.kind.get_ref() == "money_grid",
            max: int(
                r.max,
                if r.kind.get_ref() == "money_grid" {
                    1_000_000_000
                } else {
                    10_000
                },
            ),
        },
        "estimate" => ItemKind::Estimate {
            min: int(r.min, 0),
            max: int(r.max, 100_000),
        },
        "roster" => {
            let columns = r.columns.clone().unwrap_or_default();
            let mut keys = BTreeSet::new();
            for c in &columns {
                let ok = !c.key.is_empty()
                    && c.key
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                if !ok || !keys.insert(c.key.as_str()) {
                    cx.error(
                        r.kind.span(),
                        format!(
                            "roster column key `{}` must be unique and written a-z, 0-9 or _",
                            c.key
                        ),
                    );
                }
            }
            if columns.is_empty() {
                cx.error(
                    r.kind.span(),
                    "a `roster` item needs `[[items.columns]]` with `key` and `label`",
                );
            }
            ItemKind::Roster {
                columns,
                max_rows: r.max_rows.unwrap_or(20).max(1),
            }
        }
        "registry" => match r.registry {
            Some(registry) => ItemKind::Registry {
                registry,
                parent: r.parent.clone(),
            },
            None => {
                cx.error(r.kind.span(), "a `registry` item needs `registry = \"county\" | \"municipality\" | \"district\"`");
                return;
            }
        },
        other => {
            cx.error(
                r.kind.span(),
                format!(
                    "unknown item kind `{other}` (expected text, long_text, integer, decimal, single_choice, \
                     multiple_choice, age_range, percent, count_grid, money, money_grid, date, estimate, roster or registry)"
                ),
            );
            return;
        }
    };

    let default_required = match kind {
        ItemKind::Text { .. }
        | ItemKind::LongText { .. }
        | ItemKind::CountGrid { .. }
        | ItemKind::Roster { .. } => Requirement::Optional,
        _ => Requirement::Required,
    };
    let mut concept_codes = BTreeMap::new();
    if let Some(map) = &r.concept_codes {
        for (k, v) in map.get_ref() {
            match k.parse::<i64>() {
                Ok(code) => {
                    concept_codes.insert(code, *v);
                }
                Err(_) => cx.error(
                    map.span(),
                    format!("concept code key `{k}` is not a whole number"),
                ),
            }
        }
    }
    let item = Item {
        id: id.clone(),
        section: section.to_owned(),
        text: r.text.get_ref().clone(),
        note: r.note,
        help: r.help,
        kind,
        variable: r.variable.get_ref().clone(),
        concept: r.concept.map(|c| c.into_inner()),
        concept_codes,
        relevant: r.relevant.as_ref().and_then(|e| cx.expression(e)),
        required: r.required.unwrap_or(default_required),
        personal: r.personal,
        span,
    };

    let specify: Vec<Item> = item
        .options()
        .iter()
        .filter(|o| o.specify.is_some())
        .map(|o| {
            // Cannot fail for a valid id; an invalid id is reported above.
            let relevant = Expression::parse(&format!("${} has {}", item.id, o.code)).ok();
            Item {
                id: o.specify.clone().unwrap_or_default(),
                section: section.to_owned(),
                text: o.label.trim().to_owned(),
                note: None,
                help: Vec::new(),
                kind: ItemKind::Specify {
                    item: item.id.clone(),
                    code: o.code,
                    max_length: TEXT_MAX,
                },
                variable: format!("{}_{}_spes", item.variable, o.code),
                concept: None,
                concept_codes: BTreeMap::new(),
                relevant,
                required: Requirement::Soft,
                personal: false,
                span: o.span,
            }
        })
        .collect();
    if !specify.is_empty() && !item.kind.is_choice() {
        cx.error(
            span,
            format!("item {id}: only choice options can have `specify = true`"),
        );
    }
    out.push(item);
    out.extend(specify);
}

/// Item ids are what `$…` references in expressions can name: letters,
/// digits, `_`, and `.` between them (`:` is reserved for specify texts).
fn valid_item_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && !id.ends_with('.')
        && !id.contains("..")
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
}
