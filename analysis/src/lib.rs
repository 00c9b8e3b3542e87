//! omfang's analysis: cleaning, derived variables, statistics and exports.
//!
//! This crate does no network I/O; it reads answers and the codebook and
//! returns tables and files. So far it holds the municipality size classes
//! that every KORUS comparison uses; cleaning, cross-tabs, tests and exports
//! come with the analysis issue.

use serde::{Deserialize, Serialize};

/// SSB's "Standard for klassifisering av kommuner etter innbyggertall",
/// three main classes, as used by the KORUS 2025 report (§2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeClass {
    /// Under 5 000 inhabitants.
    Small,
    /// 5 000–19 999 inhabitants.
    Medium,
    /// 20 000 or more inhabitants.
    Large,
}

impl SizeClass {
    /// The class of a municipality with `population` inhabitants.
    pub fn of(population: u32) -> SizeClass {
        match population {
            0..5_000 => SizeClass::Small,
            5_000..20_000 => SizeClass::Medium,
            _ => SizeClass::Large,
        }
    }

    /// Code used in exports (1 small, 2 medium, 3 large: ordered for Spearman's rho).
    pub fn code(self) -> u8 {
        match self {
            SizeClass::Small => 1,
            SizeClass::Medium => 2,
            SizeClass::Large => 3,
        }
    }

    /// Norwegian label as in the report.
    pub fn label(self) -> &'static str {
        match self {
            SizeClass::Small => "Små kommuner (under 5000)",
            SizeClass::Medium => "Mellomstore kommuner (5000–19999)",
            SizeClass::Large => "Store kommuner (20000 eller flere)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SizeClass;

    #[test]
    fn class_borders_follow_ssb() {
        assert_eq!(SizeClass::of(4_992), SizeClass::Small, "Nord-Odal 2024");
        assert_eq!(SizeClass::of(5_000), SizeClass::Medium);
        assert_eq!(SizeClass::of(19_910), SizeClass::Medium, "Time 2024");
        assert_eq!(SizeClass::of(20_000), SizeClass::Large);
        assert!(SizeClass::Small < SizeClass::Large);
        assert_eq!(
            [SizeClass::Small, SizeClass::Medium, SizeClass::Large].map(SizeClass::code),
            [1, 2, 3]
        );
    }
}
