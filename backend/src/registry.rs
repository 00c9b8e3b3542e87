//! The municipality registry shipped with omfang (2024 structure, SSB 07459
//! populations of 1 January 2024), with Oslo's districts and agencies.
//!
//! Read-only for now: the preview's pickers use it. Importing newer SSB files
//! into the database is the respondent-journey work.

use serde::Deserialize;

use crate::Error;
pub use api::registry::{County, District, Municipality, Registry};

const MUNICIPALITIES: &str = include_str!("../data/municipalities-2024.csv");
const DISTRICTS: &str = include_str!("../data/oslo-districts.csv");
const AGENCIES: &str = include_str!("../data/oslo-agencies.csv");

/// Year the shipped populations refer to (1 January).
pub const POPULATION_YEAR: i32 = 2024;

#[derive(Deserialize)]
struct MunicipalityRow {
    municipality_number: String,
    name: String,
    sami_name: String,
    county_number: String,
    county_name: String,
    population: u32,
}

#[derive(Deserialize)]
struct DistrictRow {
    district_number: String,
    name: String,
    municipality_number: String,
}

/// Loads the shipped registry.
pub fn shipped() -> Result<Registry, Error> {
    let bad = |e: csv::Error| Error::Config(format!("shipped registry data is invalid: {e}"));
    let mut counties: Vec<County> = Vec::new();
    let mut municipalities = Vec::new();
    for row in csv::Reader::from_reader(MUNICIPALITIES.as_bytes()).deserialize::<MunicipalityRow>()
    {
        let row = row.map_err(bad)?;
        if !counties.iter().any(|c| c.number == row.county_number) {
            counties.push(County {
                number: row.county_number.clone(),
                name: row.county_name,
            });
        }
        municipalities.push(Municipality {
            number: row.municipality_number,
            name: row.name,
            sami_name: Some(row.sami_name).filter(|s| !s.is_empty()),
            county: row.county_number,
            size_class: analysis::SizeClass::of(row.population),
            population: row.population,
        });
    }
    let mut districts = Vec::new();
    for text in [DISTRICTS, AGENCIES] {
        for row in csv::Reader::from_reader(text.as_bytes()).deserialize::<DistrictRow>() {
            let row = row.map_err(bad)?;
            districts.push(District {
                number: row.district_number,
                name: row.name,
                municipality: row.municipality_number,
            });
        }
    }
    counties.sort_by(|a, b| a.number.cmp(&b.number));
    municipalities.sort_by(|a, b| a.number.cmp(&b.number));
    Ok(Registry {
        population_year: POPULATION_YEAR,
        counties,
        municipalities,
        districts,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_registry_is_complete() {
        let r = super::shipped().unwrap();
        assert_eq!(r.counties.len(), 15);
        assert_eq!(r.municipalities.len(), 357);
        assert_eq!(
            r.municipalities
                .iter()
                .map(|m| u64::from(m.population))
                .sum::<u64>(),
            5_550_203
        );
        assert_eq!(r.districts.len(), 16);
        assert!(
            r.municipalities
                .iter()
                .all(|m| m.number.starts_with(&m.county))
        );
        assert!(
            r.districts
                .iter()
                .all(|d| d.number.starts_with(&d.municipality))
        );
    }
}
