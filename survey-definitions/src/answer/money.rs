//! Money answers: whole kroner as people write them.

use super::{Answer, Invalid, format_number, invalid};

/// An amount in whole kroner as people write it: «12 500», «12.500»,
/// «kr 12 500,-», «12500 kr», «12 500,00».
pub(super) fn money(answer: &Answer, max: i64) -> Result<Option<f64>, Invalid> {
    let wrong = || {
        invalid(
            "not_money",
            "Skriv beløpet i hele kroner, for eksempel 250 000.",
        )
    };
    let n = match answer {
        Answer::Null => return Ok(None),
        Answer::Number(n) if n.is_finite() && n.fract() == 0.0 => *n,
        Answer::Text(t) if t.trim().is_empty() => return Ok(None),
        Answer::Text(t) => {
            // Digits and separators count; spaces, «kr», «NOK» and «-» are
            // dropped; anything else is not an amount.
            // «,-» and «,00» end an amount; spaces, «kr» and «NOK» are
            // dropped; dots or commas may only separate groups of three.
            let t = t.trim_end();
            let t = t.strip_suffix('-').unwrap_or(t);
            let t = t.trim_end_matches([',', '.']);
            let t = t
                .strip_suffix(",00")
                .or_else(|| t.strip_suffix(".00"))
                .unwrap_or(t);
            let (mut digits, mut group, mut separated) = (String::new(), 0, false);
            for c in t.chars() {
                match c {
                    '0'..='9' => {
                        digits.push(c);
                        group += 1;
                    }
                    '.' | ',' if group == 3 || (!separated && (1..=3).contains(&group)) => {
                        separated = true;
                        group = 0;
                    }
                    'k' | 'K' | 'r' | 'R' | 'n' | 'N' | 'o' | 'O' => {}
                    c if c.is_whitespace() => {}
                    _ => return Err(wrong()),
                }
            }
            if digits.is_empty() || digits.len() > 15 || (separated && group != 3) {
                return Err(wrong());
            }
            digits.parse::<i64>().map_err(|_| wrong())? as f64
        }
        _ => return Err(wrong()),
    };
    if n < 0.0 || n > max as f64 {
        return Err(invalid(
            "out_of_range",
            format!(
                "Beløpet må være mellom 0 og {} kr.",
                format_number(max as f64)
            ),
        ));
    }
    Ok(Some(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Value;

    #[test]
    fn money_is_whole_kroner_written_as_people_write_it() {
        let read = |t: &str| {
            money(&Answer::Text(t.into()), 10_000_000).map(|v| v.map_or(Value::Null, Value::Num))
        };
        for (text, want) in [
            ("250000", 250_000.0),
            ("250 000", 250_000.0),
            ("250\u{a0}000", 250_000.0),
            ("250.000", 250_000.0),
            ("kr 250 000,-", 250_000.0),
            ("250 000 kr", 250_000.0),
            ("1.250.000", 1_250_000.0),
            ("250 000,00", 250_000.0),
            ("0", 0.0),
        ] {
            assert_eq!(read(text).ok(), Some(Value::Num(want)), "{text}");
        }
        for text in ["12,5", "250.00.0", "tjue", "-5", "12.5"] {
            assert_eq!(
                read(text).err().map(|e| e.code),
                Some("not_money"),
                "{text}"
            );
        }
        assert_eq!(
            read("20 000 000").err().map(|e| e.code),
            Some("out_of_range")
        );
        assert_eq!(read("").ok(), Some(Value::Null));
    }
}
