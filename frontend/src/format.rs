//! Showing values to people: Norwegian time (Europe/Oslo, whatever the
//! device's zone) and answers as text for the summary and the copy.

use survey_definitions::{Answer, Item, ItemKind, RegistryKind, format_number};
use wasm_bindgen::JsValue;

use crate::api::Registry;

fn oslo(date: &js_sys::Date, fields: &[(&str, &str)]) -> String {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &"Europe/Oslo".into());
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&options, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    date.to_locale_string("nb-NO", &options).into()
}

fn date_of(rfc3339: Option<&str>) -> js_sys::Date {
    match rfc3339 {
        Some(s) => js_sys::Date::new(&JsValue::from_str(s)),
        None => js_sys::Date::new_0(),
    }
}

/// Norwegian time of an RFC 3339 timestamp (or now), as "kl. 14.32".
pub fn clock(rfc3339: Option<&str>) -> String {
    let d = date_of(rfc3339);
    let hm = oslo(
        &d,
        &[
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("hourCycle", "h23"),
        ],
    );
    format!("kl. {}", hm.replace(':', "."))
}

/// Norwegian date of an RFC 3339 timestamp, as "2. desember 2026".
pub fn date(rfc3339: &str) -> String {
    oslo(
        &date_of(Some(rfc3339)),
        &[("day", "numeric"), ("month", "long"), ("year", "numeric")],
    )
}

/// Date and time, as "2. desember 2026 kl. 14.32".
pub fn date_time(rfc3339: &str) -> String {
    format!("{} {}", date(rfc3339), clock(Some(rfc3339)))
}

/// The question text, prefixed with its number where it has one.
pub fn heading(item: &Item) -> String {
    if item.id.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{} {}", item.id, item.text)
    } else {
        item.text.clone()
    }
}

/// The name of a registry code.
pub fn place_name(registry: &Registry, kind: RegistryKind, code: &str) -> String {
    registry
        .name_of(kind, code)
        .map_or_else(|| code.to_owned(), str::to_owned)
}

fn text_of(a: &Answer) -> String {
    match a {
        Answer::Text(t) => t.clone(),
        Answer::Number(n) => format_number(*n),
        _ => String::new(),
    }
}

/// An answer as a person reads it ("" when unanswered): choice labels with
/// their "specify" texts, numbers with a decimal comma, ranges and grids.
pub fn answer_text(
    registry: &Registry,
    item: &Item,
    answer: &Answer,
    specify: &dyn Fn(&str) -> Option<String>,
) -> String {
    let label = |code: i64| {
        let Some(o) = item.option(code) else {
            return code.to_string();
        };
        let extra = o
            .specify
            .as_ref()
            .and_then(|id| specify(id))
            .map(|t| format!(" – {t}"))
            .unwrap_or_default();
        format!("{}{extra}", o.label.trim())
    };
    match (&item.kind, answer) {
        (_, Answer::Null) => String::new(),
        (ItemKind::SingleChoice { .. }, Answer::Number(n)) => label(*n as i64),
        (ItemKind::MultipleChoice { .. }, Answer::List(codes)) => codes
            .iter()
            .filter_map(|c| match c {
                Answer::Number(n) => Some(label(*n as i64)),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("; "),
        (ItemKind::Percent, a) => format!("{} %", text_of(a)),
        (ItemKind::Money { .. }, Answer::Number(n)) => format!("{} kr", kroner(*n)),
        (ItemKind::Date, Answer::Text(t)) => survey_definitions::iso_date_norwegian(t),
        (
            ItemKind::CountGrid {
                rows, money: true, ..
            },
            Answer::Map(m),
        ) => {
            let mut parts: Vec<String> = rows
                .iter()
                .filter_map(|r| match m.get(&r.code.to_string()) {
                    Some(Answer::Number(n)) => {
                        Some(format!("{}: {} kr", r.label.trim(), kroner(*n)))
                    }
                    _ => None,
                })
                .collect();
            parts.push(format!("sum {} kr", kroner(number_sum(m))));
            parts.join("; ")
        }
        (ItemKind::Roster { columns, .. }, Answer::List(rows)) => rows
            .iter()
            .filter_map(|r| match r {
                Answer::Map(m) => Some(
                    columns
                        .iter()
                        .filter_map(|c| {
                            m.get(&c.key)
                                .map(|v| format!("{}: {}", c.label, text_of(v)))
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("; "),
        (ItemKind::AgeRange { .. }, Answer::Map(m)) => {
            let part = |k: &str| m.get(k).map(text_of).unwrap_or_default();
            format!("{}–{} år", part("lower"), part("upper"))
        }
        (ItemKind::CountGrid { rows, .. }, Answer::Map(m)) => rows
            .iter()
            .filter_map(|r| {
                m.get(&r.code.to_string())
                    .map(|v| format!("{}: {}", r.label.trim(), text_of(v)))
            })
            .collect::<Vec<_>>()
            .join("; "),
        (ItemKind::Registry { registry: kind, .. }, a) => place_name(registry, *kind, &text_of(a)),
        (_, a) => text_of(a),
    }
}

/// «Fylke» → «fylke», for a title inside a sentence.
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The sum of the numbers among a grid answer's rows.
pub fn number_sum(rows: &std::collections::BTreeMap<String, Answer>) -> f64 {
    rows.values()
        .filter_map(|v| match v {
            Answer::Number(n) => Some(*n),
            _ => None,
        })
        .sum()
}

/// Whole kroner with a space between thousands: «1 250 000».
pub fn kroner(n: f64) -> String {
    let digits = format!("{}", n.round().abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// Escapes text for HTML. Hand-written: five characters, and the static
/// pages built as HTML strings (far less wasm than one view type per
/// element) need nothing more.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
