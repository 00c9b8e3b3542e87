//! Values parsed at the edges: once constructed, they are valid.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::Error;

/// A 4-digit municipality number (`0301`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalityNumber(String);

/// A 6-digit district number (`030101`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictNumber(String);

/// An e-mail address, checked for shape (delivery proves the rest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

/// A personal-link token: 256 random bits, base64url. Only its hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct InvitationToken(String);

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

impl MunicipalityNumber {
    /// Parses four digits.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let s = s.trim();
        if digits(s, 4) {
            Ok(Self(s.to_owned()))
        } else {
            Err(Error::BadRequest(format!(
                "municipality number must be 4 digits, got `{s}`"
            )))
        }
    }

    /// The number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl DistrictNumber {
    /// Parses six digits.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let s = s.trim();
        if digits(s, 6) {
            Ok(Self(s.to_owned()))
        } else {
            Err(Error::BadRequest(format!(
                "district number must be 6 digits, got `{s}`"
            )))
        }
    }

    /// The number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl EmailAddress {
    /// Accepts `local@domain.tld` without spaces.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let s = s.trim();
        let ok = match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
                    && !s.chars().any(char::is_whitespace)
            }
            None => false,
        };
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(Error::BadRequest(format!("`{s}` is not an e-mail address")))
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl InvitationToken {
    /// A new token from the operating system's random source.
    pub fn generate() -> Result<Self, Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| Error::Config(format!("no random source: {e}")))?;
        Ok(Self(URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// The token of a wave invitation: HMAC-SHA256 of the invitation's
    /// random nonce under the server's secret. The database holds the nonce
    /// and the token's hash, never the token; whoever holds the secret can
    /// put the same link in an invitation and its reminders.
    pub fn derive(secret: &[u8], nonce: &str) -> Self {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(b"invitation:");
        mac.update(nonce.as_bytes());
        Self(URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
    }

    /// Accepts the shape `generate` produces; anything else is not a token.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let ok = s.len() == 43 && URL_SAFE_NO_PAD.decode(s).is_ok_and(|b| b.len() == 32);
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(Error::NotFound("invitation".into()))
        }
    }

    /// The token, for the link.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Hex SHA-256: what the database stores.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl std::fmt::Debug for InvitationToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InvitationToken(***)")
    }
}

/// A time given as RFC 3339, or as YYYY-MM-DD meaning the start of that
/// day in Norway (00:00 Europe/Oslo, summer time included).
pub fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, crate::Error> {
    parse_day_edge(text, 0)
}

/// A closing time: RFC 3339, or YYYY-MM-DD meaning the end of that day in
/// Norway (24:00 Europe/Oslo, that is 00:00 the next day), so a window
/// closing «17 May» accepts answers until midnight.
pub fn parse_closing(text: &str) -> Result<chrono::DateTime<chrono::Utc>, crate::Error> {
    parse_day_edge(text, 1)
}

fn parse_day_edge(
    text: &str,
    days_after: u64,
) -> Result<chrono::DateTime<chrono::Utc>, crate::Error> {
    use chrono::TimeZone;
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_days(chrono::Days::new(days_after)))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        // Midnight exists on every day in Norway (clocks change at 02:00/03:00).
        .and_then(|t| chrono_tz::Europe::Oslo.from_local_datetime(&t).earliest())
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok_or_else(|| crate::Error::BadRequest(format!("{text:?} is not YYYY-MM-DD or RFC 3339")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_round_trip() {
        let a = InvitationToken::generate().unwrap();
        let b = InvitationToken::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(InvitationToken::parse(a.expose()).unwrap(), a);
        assert_eq!(a.hash().len(), 64);
        assert!(InvitationToken::parse("short").is_err());
        assert_eq!(format!("{a:?}"), "InvitationToken(***)");
    }

    #[test]
    fn a_window_closing_17_may_closes_at_norwegian_midnight() {
        use crate::db::round::window_check;
        let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().to_utc();
        // Summer time (UTC+2) and winter time (UTC+1).
        for (day, last_minute, midnight) in [
            (
                "2025-05-17",
                "2025-05-17T23:59:00+02:00",
                "2025-05-18T00:00:00+02:00",
            ),
            (
                "2025-01-17",
                "2025-01-17T23:59:00+01:00",
                "2025-01-18T00:00:00+01:00",
            ),
        ] {
            let closes = parse_closing(day).unwrap();
            assert!(
                window_check(None, Some(closes), at(last_minute)).is_ok(),
                "{day}"
            );
            let refused = window_check(None, Some(closes), at(midnight)).unwrap_err();
            assert!(
                refused.contains("23.59") && !refused.contains("UTC"),
                "{refused}"
            );
            let opens = parse_time(day).unwrap();
            let before = at(last_minute) - chrono::Duration::days(1);
            assert!(
                window_check(Some(opens), None, before).is_err(),
                "{day}: not open the evening before"
            );
            assert!(
                window_check(Some(opens), None, at(midnight) - chrono::Duration::days(1)).is_ok()
            );
        }
    }

    #[test]
    fn numbers_and_addresses_are_checked() {
        assert!(MunicipalityNumber::parse("0301").is_ok());
        assert!(MunicipalityNumber::parse("301").is_err());
        assert!(DistrictNumber::parse("030101").is_ok());
        assert!(EmailAddress::parse("kari@kommune.no").is_ok());
        for bad in [
            "kari",
            "kari@",
            "@kommune.no",
            "kari@kommune",
            "ka ri@kommune.no",
            "a@b@c.no",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }
}
