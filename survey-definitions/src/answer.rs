//! Answers as they arrive (loosely typed JSON-like values) and their
//! interpretation per item kind into typed values or Norwegian messages.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::expr::Value;
use crate::model::{Item, ItemKind};

pub(crate) mod date;
mod group;
mod money;

pub use date::iso_date_norwegian;
pub use group::{Estimate, read_estimate};

/// One raw answer, as the browser or an import sends it.
///
/// Numbers may arrive as text ("4,5"): interpretation by the item's kind
/// decides what is valid, so a wrong type gives a message, never a panic.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// No answer.
    Null,
    /// A truth value (not used by any kind; reported as a wrong type).
    Bool(bool),
    /// A number: a code, a count, a decimal (whole numbers serialise without `.0`).
    Number(#[serde(serialize_with = "whole_as_integer")] f64),
    /// Text, or a number typed as text.
    Text(String),
    /// Several codes.
    List(Vec<Answer>),
    /// An age range (`lower`/`upper`) or grid rows by code.
    Map(BTreeMap<String, Answer>),
}

/// Reads any JSON value by its own type (what `#[serde(untagged)]` would
/// do by trying each variant in turn, building an error for each miss).
impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnswerVisitor;

        impl<'de> serde::de::Visitor<'de> for AnswerVisitor {
            type Value = Answer;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an answer: null, a number, text, a list or an object")
            }
            fn visit_unit<E>(self) -> Result<Answer, E> {
                Ok(Answer::Null)
            }
            fn visit_none<E>(self) -> Result<Answer, E> {
                Ok(Answer::Null)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Answer, D::Error> {
                Answer::deserialize(d)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Answer, E> {
                Ok(Answer::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Answer, E> {
                Ok(Answer::Number(n as f64))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Answer, E> {
                Ok(Answer::Number(n as f64))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Answer, E> {
                Ok(Answer::Number(n))
            }
            fn visit_str<E>(self, s: &str) -> Result<Answer, E> {
                Ok(Answer::Text(s.to_owned()))
            }
            fn visit_string<E>(self, s: String) -> Result<Answer, E> {
                Ok(Answer::Text(s))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Answer, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Answer::List(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Answer, A::Error> {
                let mut entries = BTreeMap::new();
                while let Some((key, value)) = map.next_entry::<String, Answer>()? {
                    entries.insert(key, value);
                }
                Ok(Answer::Map(entries))
            }
        }

        deserializer.deserialize_any(AnswerVisitor)
    }
}

fn whole_as_integer<S: serde::Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        s.serialize_i64(*n as i64)
    } else {
        s.serialize_f64(*n)
    }
}

/// A respondent's answers plus the warnings they have confirmed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswerSet {
    /// Answers by item id.
    #[serde(default)]
    pub values: BTreeMap<String, Answer>,
    /// Keys of warnings the respondent confirmed (see [`crate::Problem::key`]).
    #[serde(default)]
    pub confirmed: BTreeSet<String>,
}

impl AnswerSet {
    /// Sets one answer (builder style, handy in tests).
    pub fn with(mut self, id: &str, answer: Answer) -> Self {
        self.values.insert(id.to_owned(), answer);
        self
    }
}

impl From<i64> for Answer {
    fn from(n: i64) -> Self {
        Answer::Number(n as f64)
    }
}

impl From<&str> for Answer {
    fn from(s: &str) -> Self {
        Answer::Text(s.to_owned())
    }
}

impl From<Vec<i64>> for Answer {
    fn from(v: Vec<i64>) -> Self {
        Answer::List(v.into_iter().map(Answer::from).collect())
    }
}

/// Why an answer cannot be interpreted; `target` names the part (a grid
/// row code, `lower`, `upper`) when the problem is in one part.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Invalid {
    pub code: &'static str,
    pub message: String,
    pub target: Option<String>,
}

fn invalid(code: &'static str, message: impl Into<String>) -> Invalid {
    Invalid {
        code,
        message: message.into(),
        target: None,
    }
}

/// Formats a number the Norwegian way (decimal comma).
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}").replace('.', ",")
    }
}

/// Parses a decimal number written the Norwegian way ("4,5") or with a
/// point; spaces between digit groups ("1 000") are allowed.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let cleaned = cleaned.replacen(',', ".", 1);
    let body = cleaned.strip_prefix('-').unwrap_or(&cleaned);
    let valid = !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.chars().filter(|c| *c == '.').count() <= 1
        && body.chars().any(|c| c.is_ascii_digit());
    if !valid {
        return None;
    }
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn number(answer: &Answer) -> Result<Option<f64>, ()> {
    match answer {
        Answer::Null => Ok(None),
        Answer::Number(n) if n.is_finite() => Ok(Some(*n)),
        Answer::Text(t) if t.trim().is_empty() => Ok(None),
        Answer::Text(t) => parse_decimal(t).map(Some).ok_or(()),
        _ => Err(()),
    }
}

fn integer(answer: &Answer, min: i64, max: i64) -> Result<Option<f64>, Invalid> {
    match number(answer) {
        Ok(None) => Ok(None),
        Ok(Some(n)) if n.fract() != 0.0 => Err(invalid(
            "not_integer",
            "Skriv et helt tall, for eksempel 4.",
        )),
        Ok(Some(n)) if n < min as f64 || n > max as f64 => Err(invalid(
            "out_of_range",
            format!(
                "Tallet må være mellom {} og {}.",
                format_number(min as f64),
                format_number(max as f64)
            ),
        )),
        Ok(Some(n)) => Ok(Some(n)),
        Err(()) => Err(invalid(
            "not_integer",
            "Skriv et helt tall, for eksempel 4.",
        )),
    }
}

fn code_of(answer: &Answer) -> Option<i64> {
    match answer {
        Answer::Number(n) if n.fract() == 0.0 => Some(*n as i64),
        Answer::Text(t) => t.trim().parse().ok(),
        _ => None,
    }
}

fn text_of(answer: &Answer, max_length: u32) -> Result<Option<&str>, Invalid> {
    match answer {
        Answer::Null => Ok(None),
        Answer::Text(t) if t.trim().is_empty() => Ok(None),
        Answer::Text(t) if t.chars().count() > max_length as usize => Err(invalid(
            "too_long",
            format!("Teksten kan ikke være lengre enn {max_length} tegn."),
        )),
        Answer::Text(t) if t.chars().any(hidden_control) => Err(invalid(
            "control_character",
            "Teksten inneholder usynlige kontrolltegn som ikke kan lagres. Skriv eller lim inn teksten på nytt.",
        )),
        Answer::Text(t) => Ok(Some(t)),
        _ => Err(invalid(
            "wrong_type",
            "Svaret har feil format. Skriv inn tekst.",
        )),
    }
}

/// Characters refused in text answers: control characters other than tab
/// and line breaks (NUL and the like), and the bidirectional overrides and
/// isolates that make text display in another order than it is stored.
fn hidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Interprets a raw answer by the item's kind: `Ok(Value::Null)` when
/// unanswered, the typed value when valid, the first problem otherwise.
pub(crate) fn interpret(item: &Item, answer: &Answer) -> Result<Value, Invalid> {
    let choice_error = || invalid("unknown_option", "Velg et av svaralternativene.");
    match &item.kind {
        ItemKind::Text { max_length }
        | ItemKind::LongText { max_length }
        | ItemKind::Specify { max_length, .. } => {
            Ok(text_of(answer, *max_length)?.map_or(Value::Null, |t| Value::Str(t.to_owned())))
        }
        ItemKind::Integer { min, max } => {
            Ok(integer(answer, *min, *max)?.map_or(Value::Null, Value::Num))
        }
        ItemKind::Percent => Ok(integer(answer, 0, 100)?.map_or(Value::Null, Value::Num)),
        ItemKind::Money { max } => Ok(money::money(answer, *max)?.map_or(Value::Null, Value::Num)),
        ItemKind::Date => match answer {
            Answer::Null => Ok(Value::Null),
            Answer::Text(t) if t.trim().is_empty() => Ok(Value::Null),
            Answer::Text(t) => date::iso_date(t).map(Value::Str).ok_or_else(|| {
                if date::date_parts(t).is_some() {
                    invalid(
                        "no_such_date",
                        "Den datoen finnes ikke. Sjekk dag og måned.",
                    )
                } else {
                    invalid(
                        "not_date",
                        "Skriv datoen som dd.mm.åååå, for eksempel 31.12.2025.",
                    )
                }
            }),
            _ => Err(invalid(
                "not_date",
                "Skriv datoen som dd.mm.åååå, for eksempel 31.12.2025.",
            )),
        },
        ItemKind::Decimal { min, max } => match number(answer) {
            Ok(None) => Ok(Value::Null),
            Ok(Some(n)) if n < *min || n > *max => Err(invalid(
                "out_of_range",
                format!(
                    "Tallet må være mellom {} og {}.",
                    format_number(*min),
                    format_number(*max)
                ),
            )),
            Ok(Some(n)) => Ok(Value::Num(n)),
            Err(()) => Err(invalid("not_number", "Skriv et tall, for eksempel 4,5.")),
        },
        ItemKind::SingleChoice { options } => match answer {
            Answer::Null => Ok(Value::Null),
            Answer::Text(t) if t.trim().is_empty() => Ok(Value::Null),
            a => {
                let code = code_of(a).ok_or_else(choice_error)?;
                options
                    .iter()
                    .find(|o| o.code == code)
                    .ok_or_else(choice_error)?;
                Ok(Value::Num(code as f64))
            }
        },
        ItemKind::MultipleChoice {
            options,
            min_choices,
            max_choices,
        } => {
            let list = match answer {
                Answer::Null => return Ok(Value::Null),
                Answer::List(l) => l,
                _ => {
                    return Err(invalid(
                        "wrong_type",
                        "Svaret har feil format. Kryss av i listen.",
                    ));
                }
            };
            let mut codes = Vec::new();
            for a in list {
                let code = code_of(a).ok_or_else(choice_error)?;
                options
                    .iter()
                    .find(|o| o.code == code)
                    .ok_or_else(choice_error)?;
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
            if codes.is_empty() {
                return Ok(Value::Null);
            }
            if let Some(max) = max_choices
                && codes.len() > *max as usize
            {
                let noun = if *max == 1 {
                    "alternativ"
                } else {
                    "alternativer"
                };
                return Err(invalid(
                    "too_many",
                    format!("Du kan velge høyst {max} {noun}."),
                ));
            }
            if codes.len() < *min_choices as usize {
                return Err(invalid(
                    "too_few",
                    format!("Velg minst {min_choices} alternativer."),
                ));
            }
            if codes.len() > 1
                && let Some(ex) = options
                    .iter()
                    .find(|o| o.exclusive && codes.contains(&o.code))
            {
                return Err(invalid(
                    "exclusive",
                    format!("«{}» kan ikke kombineres med andre svar.", ex.label.trim()),
                ));
            }
            codes.sort_unstable();
            Ok(Value::Set(codes))
        }
        ItemKind::AgeRange { min, max } => {
            let map = match answer {
                Answer::Null => return Ok(Value::Null),
                Answer::Map(m) => m,
                _ => {
                    return Err(invalid(
                        "wrong_type",
                        "Svaret har feil format. Skriv inn nedre og øvre aldersgrense.",
                    ));
                }
            };
            if let Some(k) = map.keys().find(|k| *k != "lower" && *k != "upper") {
                return Err(invalid(
                    "wrong_type",
                    format!("Ukjent felt «{k}» i aldersgrensen."),
                ));
            }
            let bound = |key: &str| {
                integer(map.get(key).unwrap_or(&Answer::Null), *min, *max).map_err(|mut e| {
                    let which = if key == "lower" { "Nedre" } else { "Øvre" };
                    if e.code == "not_integer" {
                        e.message = "skriv alderen som et helt tall, for eksempel 13.".into();
                    }
                    let mut chars = e.message.chars();
                    let first = chars.next().map(|c| c.to_ascii_lowercase());
                    let message = format!(
                        "{}{}",
                        first.map(String::from).unwrap_or_default(),
                        chars.as_str()
                    );
                    e.message = format!("{which} aldersgrense: {message}");
                    e.target = Some(key.to_owned());
                    e
                })
            };
            let (lower, upper) = (bound("lower")?, bound("upper")?);
            if let (Some(l), Some(u)) = (lower, upper)
                && l > u
            {
                return Err(invalid(
                    "range_order",
                    "Nedre aldersgrense kan ikke være høyere enn øvre aldersgrense.",
                ));
            }
            if lower.is_none() && upper.is_none() {
                return Ok(Value::Null);
            }
            Ok(Value::Range(lower, upper))
        }
        ItemKind::Estimate { min, max } => Ok(group::estimate(answer, *min, *max)?
            .map_or(Value::Null, |e| {
                Value::Range(Some(e.lower as f64), Some(e.upper as f64))
            })),
        ItemKind::Roster { columns, max_rows } => Ok(group::roster(answer, columns, *max_rows)?.1),
        ItemKind::CountGrid { rows, max, money } => {
            let map = match answer {
                Answer::Null => return Ok(Value::Null),
                Answer::Map(m) => m,
                _ => {
                    return Err(invalid(
                        "wrong_type",
                        "Svaret har feil format. Skriv antall per rad.",
                    ));
                }
            };
            let mut grid = BTreeMap::new();
            for (key, raw) in map {
                let row = key
                    .parse::<i64>()
                    .ok()
                    .and_then(|c| rows.iter().find(|r| r.code == c))
                    .ok_or_else(|| invalid("unknown_row", format!("Ukjent rad «{key}».")))?;
                let n = if *money {
                    money::money(raw, *max)
                } else {
                    integer(raw, 0, *max)
                };
                let n = n.map_err(|mut e| {
                    e.message = format!("{}: {}", row.label.trim(), e.message);
                    e.target = Some(key.clone());
                    e
                })?;
                if let Some(n) = n {
                    grid.insert(row.code, n);
                }
            }
            Ok(if grid.is_empty() {
                Value::Null
            } else {
                Value::Grid(grid)
            })
        }
        ItemKind::Registry { registry, .. } => match answer {
            Answer::Null => Ok(Value::Null),
            Answer::Text(t) if t.trim().is_empty() => Ok(Value::Null),
            Answer::Text(t)
                if t.len() == registry.code_len() && t.chars().all(|c| c.is_ascii_digit()) =>
            {
                Ok(Value::Str(t.clone()))
            }
            _ => Err(invalid("unknown_option", "Velg fra listen.")),
        },
    }
}

/// The canonical form of a valid answer: numbers as numbers, choices as
/// sorted codes, ranges and grids as maps of numbers. `Ok(Answer::Null)`
/// when unanswered; the Norwegian message when invalid.
pub fn normalize(item: &Item, answer: &Answer) -> Result<Answer, String> {
    // Their canonical answer keeps what their value drops: whether an
    // estimate was approximate, and a roster's text fields.
    match &item.kind {
        ItemKind::Estimate { min, max } => {
            return Ok(group::estimate(answer, *min, *max)
                .map_err(|e| e.message)?
                .map_or(Answer::Null, |e| Answer::Text(e.text())));
        }
        ItemKind::Roster { columns, max_rows } => {
            let rows = group::roster(answer, columns, *max_rows)
                .map_err(|e| e.message)?
                .0;
            return Ok(if rows.is_empty() {
                Answer::Null
            } else {
                Answer::List(rows)
            });
        }
        _ => {}
    }
    let value = interpret(item, answer).map_err(|e| e.message)?;
    let num = |n: f64| Answer::Number(n);
    Ok(match value {
        Value::Null | Value::Bool(_) => Answer::Null,
        Value::Num(n) => num(n),
        Value::Str(s) => Answer::Text(s),
        Value::Set(codes) => Answer::List(codes.into_iter().map(|c| num(c as f64)).collect()),
        Value::Range(lower, upper) => Answer::Map(
            [("lower", lower), ("upper", upper)]
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k.to_owned(), num(v))))
                .collect(),
        ),
        Value::Grid(rows) => Answer::Map(
            rows.into_iter()
                .map(|(k, v)| (k.to_string(), num(v)))
                .collect(),
        ),
    })
}

/// Splits answers into what can be stored, each in its canonical form
/// (unanswered items left out), and the ids the engine rejects (invalid
/// answers, or ids that name no item). The server stores the first; the
/// browser compares its answers with the server's through it, so "6" typed
/// and 6 saved are the same answer.
pub fn canonicalize(
    def: &crate::SurveyDefinition,
    values: &BTreeMap<String, Answer>,
) -> (BTreeMap<String, Answer>, BTreeSet<String>) {
    let mut out = BTreeMap::new();
    let mut rejected = BTreeSet::new();
    for (id, raw) in values {
        match def.item(id).map(|item| normalize(item, raw)) {
            Some(Ok(Answer::Null)) => {}
            Some(Ok(v)) => {
                out.insert(id.clone(), v);
            }
            Some(Err(_)) | None => {
                rejected.insert(id.clone());
            }
        }
    }
    (out, rejected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_accept_the_norwegian_comma() {
        assert_eq!(parse_decimal("4,5"), Some(4.5));
        assert_eq!(parse_decimal(" 4.5 "), Some(4.5));
        assert_eq!(parse_decimal("1 000"), Some(1000.0));
        assert_eq!(parse_decimal("12"), Some(12.0));
        assert_eq!(parse_decimal("abc"), None);
        assert_eq!(parse_decimal("4,5,6"), None);
        assert_eq!(parse_decimal(","), None);
        assert_eq!(parse_decimal("1e5"), None);
        assert_eq!(format_number(4.5), "4,5");
        assert_eq!(format_number(20.0), "20");
    }

    #[test]
    fn text_refuses_hidden_control_characters() {
        for bad in ["a\u{0}b", "navn\u{202E}gpj.exe", "x\u{2066}y", "\u{7}"] {
            let e = text_of(&Answer::Text(bad.into()), 100).unwrap_err();
            assert_eq!(e.code, "control_character", "{bad:?}");
        }
        for good in ["to linjer\nmed tab\t", "Ærlig – «svar»", "=SUM(1,1)"] {
            assert!(text_of(&Answer::Text(good.into()), 100).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn answers_deserialise_from_loose_json() {
        let a: Answer = serde_json::from_str(r#"{"lower": 13, "upper": "18"}"#).unwrap();
        assert!(matches!(a, Answer::Map(_)));
        let a: Answer = serde_json::from_str("[1, 2]").unwrap();
        assert_eq!(a, Answer::from(vec![1, 2]));
        let a: Answer = serde_json::from_str("null").unwrap();
        assert_eq!(a, Answer::Null);
    }
}
