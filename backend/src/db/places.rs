//! The registry in the database: seeded from the shipped files, replaced per
//! population year by `omfang registry import`, read by rounds and pickers.

use std::collections::BTreeSet;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::Deserialize;

use super::entity::{district, municipality};
use crate::Error;
use crate::registry::{self, County, District, Municipality, Registry};

/// Loads the shipped registry into an empty database (idempotent).
#[tracing::instrument(skip_all)]
pub async fn seed_shipped(db: &DatabaseConnection) -> Result<(), Error> {
    let shipped = registry::shipped()?;
    let year = shipped.population_year;
    let have = municipality::Entity::find()
        .filter(municipality::Column::PopulationYear.eq(year))
        .count(db)
        .await?;
    let txn = db.begin().await?;
    if have == 0 {
        let county_name = |n: &str| {
            shipped
                .counties
                .iter()
                .find(|c| c.number == n)
                .map(|c| c.name.clone())
                .unwrap_or_default()
        };
        let rows = shipped
            .municipalities
            .iter()
            .map(|m| municipality::ActiveModel {
                population_year: Set(year),
                number: Set(m.number.clone()),
                name: Set(m.name.clone()),
                sami_name: Set(m.sami_name.clone()),
                county_number: Set(m.county.clone()),
                county_name: Set(county_name(&m.county)),
                population: Set(m.population as i32),
            });
        municipality::Entity::insert_many(rows).exec(&txn).await?;
    }
    if district::Entity::find().count(&txn).await? == 0 {
        let rows = shipped.districts.iter().map(|d| district::ActiveModel {
            number: Set(d.number.clone()),
            name: Set(d.name.clone()),
            municipality_number: Set(d.municipality.clone()),
            kind: Set(if d.number[4..].starts_with('9') {
                "agency"
            } else {
                "district"
            }
            .into()),
        });
        district::Entity::insert_many(rows).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The registry of one population year.
pub async fn load(db: &DatabaseConnection, year: i32) -> Result<Registry, Error> {
    let rows = municipality::Entity::find()
        .filter(municipality::Column::PopulationYear.eq(year))
        .order_by_asc(municipality::Column::Number)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Err(Error::NotFound(format!(
            "registry for population year {year}"
        )));
    }
    let mut counties: Vec<County> = Vec::new();
    for m in &rows {
        if !counties.iter().any(|c| c.number == m.county_number) {
            counties.push(County {
                number: m.county_number.clone(),
                name: m.county_name.clone(),
            });
        }
    }
    counties.sort_by(|a, b| a.number.cmp(&b.number));
    let districts = district::Entity::find()
        .order_by_asc(district::Column::Number)
        .all(db)
        .await?;
    Ok(Registry {
        population_year: year,
        counties,
        municipalities: rows
            .into_iter()
            .map(|m| Municipality {
                size_class: analysis::SizeClass::of(m.population as u32),
                number: m.number,
                name: m.name,
                sami_name: m.sami_name,
                county: m.county_number,
                population: m.population as u32,
            })
            .collect(),
        districts: districts
            .into_iter()
            .map(|d| District {
                number: d.number,
                name: d.name,
                municipality: d.municipality_number,
            })
            .collect(),
    })
}

#[derive(Deserialize)]
struct Row {
    municipality_number: String,
    name: String,
    #[serde(default)]
    sami_name: String,
    county_number: String,
    county_name: String,
    population: String,
}

/// Imports a registry file (the columns of `backend/data/municipalities-2024.csv`)
/// as population year `year`, replacing that year's rows. Every bad row is
/// reported with its line; if any row is bad, nothing is imported.
#[tracing::instrument(skip(db, csv_text))]
pub async fn import(db: &DatabaseConnection, csv_text: &str, year: i32) -> Result<usize, Error> {
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut seen = BTreeSet::new();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    for (i, record) in reader.deserialize::<Row>().enumerate() {
        let line = i + 2;
        let row = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let mut problems = Vec::new();
        let number = row.municipality_number.trim();
        if !(number.len() == 4 && number.bytes().all(|b| b.is_ascii_digit())) {
            problems.push(format!("municipality number `{number}` is not 4 digits"));
        }
        let county = row.county_number.trim();
        if !(county.len() == 2 && county.bytes().all(|b| b.is_ascii_digit())) {
            problems.push(format!("county number `{county}` is not 2 digits"));
        } else if !number.starts_with(county) {
            problems.push(format!(
                "municipality {number} does not lie in county {county}"
            ));
        }
        if row.name.trim().is_empty() {
            problems.push("name is empty".into());
        }
        if row.county_name.trim().is_empty() {
            problems.push("county name is empty".into());
        }
        let population = row
            .population
            .trim()
            .replace([' ', '\u{a0}'], "")
            .parse::<u32>();
        if population.is_err() {
            problems.push(format!(
                "population `{}` is not a whole number",
                row.population.trim()
            ));
        }
        if !seen.insert(number.to_owned()) {
            problems.push(format!("municipality {number} appears twice"));
        }
        if !problems.is_empty() {
            errors.push(format!("line {line}: {}", problems.join("; ")));
            continue;
        }
        rows.push(municipality::ActiveModel {
            population_year: Set(year),
            number: Set(number.to_owned()),
            name: Set(row.name.trim().to_owned()),
            sami_name: Set(Some(row.sami_name.trim().to_owned()).filter(|s| !s.is_empty())),
            county_number: Set(county.to_owned()),
            county_name: Set(row.county_name.trim().to_owned()),
            population: Set(population.unwrap_or(0) as i32),
        });
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push("the file has no rows".into());
    }
    if !errors.is_empty() {
        return Err(Error::Import(errors));
    }
    let count = rows.len();
    let txn = db.begin().await?;
    municipality::Entity::delete_many()
        .filter(municipality::Column::PopulationYear.eq(year))
        .exec(&txn)
        .await?;
    municipality::Entity::insert_many(rows).exec(&txn).await?;
    txn.commit().await?;
    Ok(count)
}
