//! Date answers: a calendar day as `YYYY-MM-DD` or «31.12.2025».

/// Day, month and year as written: «31.12.2025», «31/12/2025»,
/// «31-12-2025», «31 12 2025», «31122025» (day first) or «2025-12-31»
/// (year first, four digits). `None` when the text has another shape
/// (also «31.12.25»: the century must be written). The day need not exist.
pub(crate) fn date_parts(text: &str) -> Option<(u32, u32, u32)> {
    // One pass over the bytes: three numbers split by one kind of
    // separator. Written out because the respondents' download has no
    // room for a date crate's parser and formatter.
    let t = text.trim();
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| t[r].parse::<u32>().ok();
        return Some((n(4..8)?, n(2..4)?, n(0..2)?));
    }
    let sep = t.bytes().find(|b| !b.is_ascii_digit())?;
    if !b"./-, ".contains(&sep) {
        return None;
    }
    let (mut nums, mut lens, mut i) = ([0u32; 3], [0usize; 3], 0);
    for b in t.bytes() {
        match b {
            b'0'..=b'9' if lens[i] < 4 => {
                nums[i] = nums[i] * 10 + u32::from(b - b'0');
                lens[i] += 1;
            }
            _ if b == sep && i < 2 => i += 1,
            _ => return None,
        }
    }
    let [a, m, b] = nums;
    let year_first = lens[0] == 4;
    let (y, d, y_len, d_len) = if year_first {
        (a, b, lens[0], lens[2])
    } else {
        (b, a, lens[2], lens[0])
    };
    let ok = i == 2 && y_len == 4 && (1..=2).contains(&lens[1]) && (1..=2).contains(&d_len);
    ok.then_some((y, m, d))
}

/// A date as `YYYY-MM-DD` from any shape [`date_parts`] reads, when the
/// day exists (1900–2100).
pub(crate) fn iso_date(text: &str) -> Option<String> {
    let (y, m, d) = date_parts(text)?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1900..=2100).contains(&y) || !(1..=days).contains(&d) {
        return None;
    }
    let mut out = y.to_string();
    for n in [m, d] {
        out.push('-');
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    }
    Some(out)
}

/// `2025-12-31` as «31.12.2025»; any other text unchanged (a date typed
/// «31.12.2025» stays as typed).
pub fn iso_date_norwegian(iso: &str) -> String {
    let dashes = iso.len() == 10 && iso.as_bytes()[4] == b'-' && iso.as_bytes()[7] == b'-';
    match (iso.get(..4), iso.get(5..7), iso.get(8..10)) {
        (Some(y), Some(m), Some(d)) if dashes => format!("{d}.{m}.{y}"),
        _ => iso.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_calendar_days_written_either_way() {
        assert_eq!(iso_date("2025-12-31").as_deref(), Some("2025-12-31"));
        assert_eq!(iso_date(" 31.12.2025 ").as_deref(), Some("2025-12-31"));
        assert_eq!(iso_date("1.6.2025").as_deref(), Some("2025-06-01"));
        for typed in [
            "31/12/2025",
            "31-12-2025",
            "31 12 2025",
            "31122025",
            "31,12,2025",
        ] {
            assert_eq!(iso_date(typed).as_deref(), Some("2025-12-31"), "{typed}");
        }
        assert_eq!(
            date_parts("31.02.2025"),
            Some((2025, 2, 31)),
            "a shape, not a day"
        );
        assert_eq!(iso_date("29.02.2024").as_deref(), Some("2024-02-29"));
        for bad in [
            "29.02.2025",
            "31.04.2025",
            "31.12.25",
            "2025-13-01",
            "i går",
            "",
            "0.1.2025",
        ] {
            assert_eq!(iso_date(bad), None, "{bad}");
        }
        assert_eq!(iso_date_norwegian("2025-12-31"), "31.12.2025");
        assert_eq!(iso_date_norwegian("31.12.2025"), "31.12.2025");
    }
}
