//! Date answers: a calendar day as `YYYY-MM-DD` or «31.12.2025».

/// A date as `YYYY-MM-DD`, from that form or the Norwegian «31.12.2025»
/// (also «31.12.25» is refused: the century must be written).
pub(crate) fn iso_date(text: &str) -> Option<String> {
    // One pass over the bytes: three numbers split by `.` (day first) or
    // `-` (year first). Written out because the respondents' download has
    // no room for a date crate's parser and formatter.
    let t = text.trim();
    let sep = if t.contains('.') { b'.' } else { b'-' };
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
    let (y, d, y_len, d_len) = if sep == b'.' {
        (b, a, lens[2], lens[0])
    } else {
        (a, b, lens[0], lens[2])
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if i != 2 || y_len != 4 || !(1..=2).contains(&lens[1]) || !(1..=2).contains(&d_len) {
        return None;
    }
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
