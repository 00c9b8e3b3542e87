//! The municipality registry (`GET /api/registry`, `GET /api/r/{token}/registry`)
//! and SSB's size classes.

use serde::{Deserialize, Serialize};
use survey_definitions::RegistryKind;

/// A county.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct County {
    /// 2-digit number.
    pub number: String,
    /// Name.
    pub name: String,
}

/// A municipality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Municipality {
    /// 4-digit number.
    pub number: String,
    /// Name.
    pub name: String,
    /// Sami name, where official.
    pub sami_name: Option<String>,
    /// County number.
    pub county: String,
    /// Population on 1 January of the registry's `population_year`.
    pub population: u32,
    /// SSB size class from that population.
    pub size_class: SizeClass,
}

/// A city district or agency of a municipality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct District {
    /// 6-digit number.
    pub number: String,
    /// Name.
    pub name: String,
    /// Municipality number.
    pub municipality: String,
}

/// The registry of one population year.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Registry {
    /// Year of the population figures.
    pub population_year: i32,
    /// Counties by number.
    pub counties: Vec<County>,
    /// Municipalities by number.
    pub municipalities: Vec<Municipality>,
    /// Districts and agencies by number.
    pub districts: Vec<District>,
}

impl Registry {
    /// Every place of a kind as (number, name), in the registry's order.
    pub fn places(&self, kind: RegistryKind) -> Vec<(&str, &str)> {
        match kind {
            RegistryKind::County => self
                .counties
                .iter()
                .map(|c| (c.number.as_str(), c.name.as_str()))
                .collect(),
            RegistryKind::Municipality => self
                .municipalities
                .iter()
                .map(|m| (m.number.as_str(), m.name.as_str()))
                .collect(),
            RegistryKind::District => self
                .districts
                .iter()
                .map(|d| (d.number.as_str(), d.name.as_str()))
                .collect(),
        }
    }

    /// The name of a place, if the registry has it.
    pub fn name_of(&self, kind: RegistryKind, number: &str) -> Option<&str> {
        self.places(kind)
            .into_iter()
            .find(|(n, _)| *n == number)
            .map(|(_, name)| name)
    }
}

/// SSB's "Standard for klassifisering av kommuner etter innbyggertall",
/// three main classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Every class, small to large.
    pub const ALL: [SizeClass; 3] = [SizeClass::Small, SizeClass::Medium, SizeClass::Large];

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

    /// The name in the API and in queries (`small`, `medium`, `large`).
    pub fn key(self) -> &'static str {
        match self {
            SizeClass::Small => "small",
            SizeClass::Medium => "medium",
            SizeClass::Large => "large",
        }
    }

    /// The class named by [`SizeClass::key`].
    pub fn from_key(key: &str) -> Option<SizeClass> {
        SizeClass::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Norwegian label, as SSB's standard names the classes.
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
        assert_eq!(SizeClass::of(4_999), SizeClass::Small);
        assert_eq!(SizeClass::of(5_000), SizeClass::Medium);
        assert_eq!(SizeClass::of(19_999), SizeClass::Medium);
        assert_eq!(SizeClass::of(20_000), SizeClass::Large);
        for c in SizeClass::ALL {
            assert_eq!(SizeClass::from_key(c.key()), Some(c));
        }
    }
}
