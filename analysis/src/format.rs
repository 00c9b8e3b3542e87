//! Numbers as the KORUS report writes them: decimal comma, p-values as
//! "p < 0,001" or "p = 0,02", percentages without decimals.

/// A p-value as the report writes it: "p < 0,001" below 0.001, three
/// decimals below 0.01 ("p = 0,004"), otherwise two ("p = 0,02").
/// An undefined p is "p = –".
pub fn p_value(p: f64) -> String {
    if !p.is_finite() {
        "p = –".to_owned()
    } else if p < 0.001 {
        "p < 0,001".to_owned()
    } else if p < 0.01 {
        format!("p = {}", decimal(p, 3))
    } else {
        format!("p = {}", decimal(p, 2))
    }
}

/// A number with `places` decimals and a decimal comma; "–" if undefined.
pub fn decimal(x: f64, places: usize) -> String {
    if x.is_finite() {
        format!("{x:.places$}").replace('.', ",")
    } else {
        "–".to_owned()
    }
}

/// A share as a whole percentage, "42 %".
pub fn percent(share: f64) -> String {
    if share.is_finite() {
        format!("{:.0} %", share * 100.0)
    } else {
        "–".to_owned()
    }
}

/// The text with its first letter in lower case ("Kommunestørrelse (SSB)" →
/// "kommunestørrelse (SSB)"), for "… etter kommunestørrelse".
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A test's name as a Norwegian report writes it.
pub fn test_name(name: &str) -> &str {
    api::research::test_label(name)
}

/// The rows of a numeric summary as tables show them: label and value.
pub fn summary_rows(s: &crate::stats::GroupSummary) -> [(&'static str, f64); 6] {
    [
        ("n", s.n as f64),
        ("Sum", s.sum),
        ("Minimum", s.min),
        ("Maksimum", s.max),
        ("Gjennomsnitt", s.mean),
        ("Median", s.median),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_values_read_like_the_report() {
        assert_eq!(p_value(0.0004), "p < 0,001");
        assert_eq!(p_value(0.0031), "p = 0,003");
        assert_eq!(p_value(0.0213), "p = 0,02");
        assert_eq!(p_value(0.09), "p = 0,09");
        assert_eq!(p_value(f64::NAN), "p = –");
        assert_eq!(percent(0.603), "60 %");
    }
}
