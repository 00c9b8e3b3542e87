//! Estimates («cirka 12–15») and rosters (one row per position): the two
//! kinds whose canonical answer keeps more than their value in checks.

use std::collections::BTreeMap;

use super::{Answer, Invalid, format_number, integer, invalid, text_of};
use crate::expr::Value;
use crate::model::RosterColumn;

/// A count read from «12», «cirka 12» or «12–15».
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The smallest number meant.
    pub lower: i64,
    /// The largest number meant (the same as `lower` for one number).
    pub upper: i64,
    /// Marked as approximate («cirka», «ca.», «omtrent», «rundt», «~»).
    pub approximate: bool,
}

impl Estimate {
    /// The canonical text: «12», «cirka 12», «12–15», «cirka 12–15».
    pub fn text(&self) -> String {
        let mut t = String::new();
        if self.approximate {
            t.push_str("cirka ");
        }
        t.push_str(&self.lower.to_string());
        if self.upper != self.lower {
            t.push('–');
            t.push_str(&self.upper.to_string());
        }
        t
    }
}

/// Words that mark a number as approximate, longest first so «ca.» is
/// taken before «ca».
const APPROXIMATE: [&str; 9] = [
    "anslagsvis",
    "omtrent",
    "om lag",
    "cirka",
    "rundt",
    "ca.",
    "ca",
    "~",
    "≈",
];

/// Reads an estimate; `None` when the text is not one (the caller says
/// how to write it). Range bounds are not checked here.
pub fn read_estimate(text: &str) -> Option<Estimate> {
    let mut t = text.trim().to_ascii_lowercase();
    let mut approximate = false;
    if let Some(word) = APPROXIMATE.iter().find(|w| t.starts_with(**w)) {
        t = t[word.len()..].trim_start().to_owned();
        approximate = true;
    }
    let whole = |s: &str| -> Option<i64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (lower, upper) = match t
        .split_once(['-', '–', '—'])
        .or_else(|| t.split_once(" til "))
    {
        Some((a, b)) => (whole(a)?, whole(b)?),
        None => {
            let n = whole(&t)?;
            (n, n)
        }
    };
    Some(Estimate {
        lower,
        upper,
        approximate,
    })
}

/// An estimate item's answer: `Ok(None)` when unanswered.
pub(super) fn estimate(answer: &Answer, min: i64, max: i64) -> Result<Option<Estimate>, Invalid> {
    let text = match answer {
        Answer::Null => return Ok(None),
        Answer::Number(n) => format_number(*n),
        Answer::Text(t) if t.trim().is_empty() => return Ok(None),
        Answer::Text(t) => t.clone(),
        _ => String::new(),
    };
    let e = read_estimate(&text).ok_or_else(|| {
        invalid(
            "not_estimate",
            "Skriv et tall (12), et omtrentlig tall (cirka 12) eller et spenn (12–15).",
        )
    })?;
    if e.lower > e.upper {
        return Err(invalid(
            "range_order",
            "Det første tallet i spennet kan ikke være større enn det andre.",
        ));
    }
    if e.lower < min || e.upper > max {
        return Err(invalid(
            "out_of_range",
            format!(
                "Tallet må være mellom {} og {}.",
                format_number(min as f64),
                format_number(max as f64)
            ),
        ));
    }
    Ok(Some(e))
}

/// A roster's rows, checked and cleaned: rows with nothing in them are
/// left out, every other row must have all its fields. Returns the clean
/// rows (canonical answer) and the value checks see: each row's number
/// (the sum of its number fields, or 1 when it has none) by row number.
pub(super) fn roster(
    answer: &Answer,
    columns: &[RosterColumn],
    max_rows: u32,
) -> Result<(Vec<Answer>, Value), Invalid> {
    let rows = match answer {
        Answer::Null => return Ok((Vec::new(), Value::Null)),
        Answer::List(rows) => rows,
        _ => {
            return Err(invalid(
                "wrong_type",
                "Svaret har feil format. Fyll inn én rad per oppføring.",
            ));
        }
    };
    let (mut clean, mut grid) = (Vec::new(), BTreeMap::new());
    for raw in rows {
        let row_no = clean.len() + 1;
        let at = |mut e: Invalid, label: &str| {
            e.message = format!("Rad {row_no}, {}: {}", label.trim(), e.message);
            e.target = Some(row_no.to_string());
            e
        };
        let fields = match raw {
            Answer::Map(m) => m,
            Answer::Null => continue,
            _ => return Err(at(invalid("wrong_type", "feil format."), "raden")),
        };
        if let Some(k) = fields
            .keys()
            .find(|k| !columns.iter().any(|c| &c.key == *k))
        {
            return Err(invalid("wrong_type", format!("Ukjent felt «{k}» i raden.")));
        }
        let mut row = BTreeMap::new();
        let mut number = None;
        for c in columns {
            let raw = fields.get(&c.key).unwrap_or(&Answer::Null);
            let value = match c.kind.range() {
                None => text_of(raw, 200)
                    .map_err(|e| at(e, &c.label))?
                    .map(|t| Answer::Text(t.trim().to_owned())),
                Some((lo, hi)) => {
                    // «50 %» is how people write a percentage.
                    let percent = c.kind == crate::model::ColumnKind::Percent;
                    let trimmed = match raw {
                        Answer::Text(t) if percent => {
                            Answer::Text(t.trim().trim_end_matches('%').trim_end().to_owned())
                        }
                        other => other.clone(),
                    };
                    integer(&trimmed, lo, hi)
                        .map_err(|mut e| {
                            if percent && e.code == "not_integer" {
                                e.message =
                                    "skriv prosenten som et helt tall, for eksempel 50.".into();
                            }
                            at(e, &c.label)
                        })?
                        .inspect(|n| *number.get_or_insert(0.0) += n)
                        .map(Answer::Number)
                }
            };
            if let Some(v) = value {
                row.insert(c.key.clone(), v);
            }
        }
        if row.is_empty() {
            continue;
        }
        if let Some(c) = columns.iter().find(|c| !row.contains_key(&c.key)) {
            return Err(at(
                invalid("incomplete_row", "fyll inn også dette."),
                &c.label,
            ));
        }
        if clean.len() as u32 >= max_rows {
            return Err(invalid(
                "too_many_rows",
                format!("Du kan legge inn høyst {max_rows} rader."),
            ));
        }
        grid.insert(row_no as i64, number.unwrap_or(1.0));
        clean.push(Answer::Map(row));
    }
    let value = if grid.is_empty() {
        Value::Null
    } else {
        Value::Grid(grid)
    };
    Ok((clean, value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ColumnKind;

    #[test]
    fn estimates_are_numbers_approximate_numbers_or_ranges() {
        let read = |t: &str| read_estimate(t).map(|e| e.text());
        assert_eq!(read("12").as_deref(), Some("12"));
        assert_eq!(read("cirka 12–15").as_deref(), Some("cirka 12–15"));
        assert_eq!(read("Ca. 12 - 15").as_deref(), Some("cirka 12–15"));
        assert_eq!(read("ca 20").as_deref(), Some("cirka 20"));
        assert_eq!(read("omtrent 12 til 15").as_deref(), Some("cirka 12–15"));
        assert_eq!(read("12-15").as_deref(), Some("12–15"));
        for bad in ["mange", "12 eller 13", "12,5", "-3", "cirka", "12–"] {
            assert_eq!(read(bad), None, "{bad}");
        }
        let est = |t: &str| estimate(&Answer::Text(t.into()), 0, 100);
        assert_eq!(est("15–12").unwrap_err().code, "range_order");
        assert_eq!(est("cirka 120").unwrap_err().code, "out_of_range");
        assert_eq!(est("").unwrap(), None);
    }

    #[test]
    fn roster_rows_must_be_whole_and_empty_rows_are_dropped() {
        let columns = vec![
            RosterColumn {
                key: "rolle".into(),
                label: "Rolle".into(),
                kind: ColumnKind::Text,
            },
            RosterColumn {
                key: "prosent".into(),
                label: "Stillingsprosent".into(),
                kind: ColumnKind::Percent,
            },
        ];
        let row = |r: &str, p: &str| {
            let mut m = BTreeMap::new();
            for (k, v) in [("rolle", r), ("prosent", p)] {
                if !v.is_empty() {
                    m.insert(k.to_owned(), Answer::Text(v.into()));
                }
            }
            Answer::Map(m)
        };
        let answer = Answer::List(vec![
            row("Oppfølger", "100"),
            row("", ""),
            row("Leder", "50"),
        ]);
        let (clean, value) = roster(&answer, &columns, 10).unwrap();
        assert_eq!(clean.len(), 2);
        assert_eq!(value, Value::Grid([(1, 100.0), (2, 50.0)].into()));
        let e = roster(&Answer::List(vec![row("Oppfølger", "")]), &columns, 10).unwrap_err();
        assert_eq!(e.message, "Rad 1, Stillingsprosent: fyll inn også dette.");
        let e = roster(&Answer::List(vec![row("A", "150")]), &columns, 10).unwrap_err();
        assert_eq!(e.code, "out_of_range");
        let (clean, _) = roster(&Answer::List(vec![row("A", "50 %")]), &columns, 10).unwrap();
        assert_eq!(clean.len(), 1, "«50 %» is a percentage");
        let e = roster(&Answer::List(vec![row("A", "halv")]), &columns, 10).unwrap_err();
        assert_eq!(
            e.message,
            "Rad 1, Stillingsprosent: skriv prosenten som et helt tall, for eksempel 50."
        );
        let e = roster(&answer, &columns, 1).unwrap_err();
        assert_eq!(e.code, "too_many_rows");
    }
}
