//! The response-rate dashboard of a round: municipalities answered by
//! county, size class and branch, and the status list as CSV.

use std::collections::BTreeSet;

use sea_orm::entity::prelude::*;

use super::entity::{invitation, response};
use super::{places, round};
use crate::Error;
pub use api::admin::{MunicipalityStatus, Rate, RoundStatus};

/// Computes the dashboard of a round from invitations and responses.
pub async fn round_status(db: &DatabaseConnection, survey_id: &str) -> Result<RoundStatus, Error> {
    let r = round::find(db, survey_id).await?;
    let registry = places::load(db, r.registry_year).await?;
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::RoundId.eq(r.id))
        .all(db)
        .await?;
    let responses = response::Entity::find()
        .filter(response::Column::RoundId.eq(r.id))
        .all(db)
        .await?;
    // Imported answers (an earlier round, paper forms) count as sent in.
    let imported: Vec<(String, Option<String>)> = super::entity::imported_response::Entity::find()
        .filter(super::entity::imported_response::Column::RoundId.eq(r.id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.municipality_number, i.district_number))
        .collect();
    let def = r.parsed()?;
    let unit = def.survey.unit;
    if unit == survey_definitions::RespondentUnit::District {
        return district_status(db, &r, &invitations, &responses, &imported).await;
    }
    let mut status: Vec<MunicipalityStatus> = registry
        .municipalities
        .iter()
        .map(|m| MunicipalityStatus {
            number: m.number.clone(),
            name: m.name.clone(),
            county: m.county.clone(),
            size_class: m.size_class.key().to_owned(),
            invited: invitations
                .iter()
                .filter(|i| i.municipality_number == m.number)
                .count(),
            drafts: responses
                .iter()
                .filter(|x| x.municipality_number == m.number && x.status == "draft")
                .count(),
            submitted: responses
                .iter()
                .filter(|x| x.municipality_number == m.number && x.status == "submitted")
                .count()
                + imported.iter().filter(|(n, _)| *n == m.number).count(),
            branches: responses
                .iter()
                .filter(|x| x.municipality_number == m.number && x.status == "submitted")
                .filter_map(|x| x.branch)
                .collect(),
        })
        .collect();
    status.sort_by_key(|s| (s.submitted > 0, s.number.clone()));
    let rate = |key: String, label: String, group: Vec<&MunicipalityStatus>| {
        let answered = group.iter().filter(|s| s.submitted > 0).count();
        Rate {
            key,
            label,
            total: group.len(),
            answered,
            percent: if group.is_empty() {
                0.0
            } else {
                100.0 * answered as f64 / group.len() as f64
            },
        }
    };
    let keys = |f: fn(&MunicipalityStatus) -> String| -> BTreeSet<String> {
        status.iter().map(f).collect()
    };
    let by_county = keys(|s| s.county.clone())
        .into_iter()
        .map(|k| {
            let name = registry
                .counties
                .iter()
                .find(|c| c.number == k)
                .map_or_else(|| k.clone(), |c| c.name.clone());
            rate(
                k.clone(),
                name,
                status.iter().filter(|s| s.county == k).collect(),
            )
        })
        .collect();
    let by_size_class = api::SizeClass::ALL
        .into_iter()
        .map(|c| {
            rate(
                c.key().to_owned(),
                c.label().to_owned(),
                status.iter().filter(|s| s.size_class == c.key()).collect(),
            )
        })
        .collect();
    let submitted: Vec<i32> = status
        .iter()
        .flat_map(|s| s.branches.iter().copied())
        .collect();
    // The gate's options, as the definition words them.
    let gate = def.gate_item();
    let branch_title = def
        .service_type()
        .map(|d| d.label.clone())
        .or_else(|| gate.map(|g| g.text.clone()))
        .unwrap_or_default();
    let by_branch = gate
        .map(|g| g.options())
        .unwrap_or_default()
        .iter()
        .map(|o| {
            let n = submitted
                .iter()
                .filter(|&&x| i64::from(x) == o.code)
                .count();
            Rate {
                key: o.code.to_string(),
                label: o.label.clone(),
                total: submitted.len(),
                answered: n,
                percent: if submitted.is_empty() {
                    0.0
                } else {
                    100.0 * n as f64 / submitted.len() as f64
                },
            }
        })
        .collect();
    Ok(RoundStatus {
        survey_id: r.survey_id,
        unit: unit.plural().to_owned(),
        municipalities: status.len(),
        answered: status.iter().filter(|s| s.submitted > 0).count(),
        by_county,
        by_size_class,
        branch_title,
        by_branch,
        status,
    })
}

/// The dashboard of a survey answered by city districts: every district
/// of the registry (agencies left out), those without a submitted
/// response first; county and size class are its municipality's.
async fn district_status(
    db: &DatabaseConnection,
    r: &round::Model,
    invitations: &[invitation::Model],
    responses: &[response::Model],
    imported: &[(String, Option<String>)],
) -> Result<RoundStatus, Error> {
    use super::entity::district;
    use sea_orm::QueryOrder;
    let registry = places::load(db, r.registry_year).await?;
    let districts = district::Entity::find()
        .filter(district::Column::Kind.eq("district"))
        .order_by_asc(district::Column::Number)
        .all(db)
        .await?;
    let mut status: Vec<MunicipalityStatus> = districts
        .iter()
        .map(|d| {
            let m = registry
                .municipalities
                .iter()
                .find(|m| m.number == d.municipality_number);
            let here = |x: &Option<String>| x.as_deref() == Some(d.number.as_str());
            let count = |status: &str| {
                responses
                    .iter()
                    .filter(|x| here(&x.district_number) && x.status == status)
                    .count()
            };
            MunicipalityStatus {
                number: d.number.clone(),
                name: d.name.clone(),
                county: m.map(|m| m.county.clone()).unwrap_or_default(),
                size_class: m.map(|m| m.size_class.key().to_owned()).unwrap_or_default(),
                invited: invitations
                    .iter()
                    .filter(|i| here(&i.district_number))
                    .count(),
                drafts: count("draft"),
                submitted: count("submitted") + imported.iter().filter(|(_, d)| here(d)).count(),
                branches: Vec::new(),
            }
        })
        .collect();
    status.sort_by_key(|s| (s.submitted > 0, s.number.clone()));
    Ok(RoundStatus {
        survey_id: r.survey_id.clone(),
        unit: survey_definitions::RespondentUnit::District
            .plural()
            .to_owned(),
        municipalities: status.len(),
        answered: status.iter().filter(|s| s.submitted > 0).count(),
        by_county: Vec::new(),
        by_size_class: Vec::new(),
        branch_title: String::new(),
        by_branch: Vec::new(),
        status,
    })
}

/// The status list as CSV (`;`-separated for Norwegian Excel), municipalities
/// without a submitted response first.
pub fn status_csv(s: &RoundStatus) -> Result<String, Error> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Config(format!("writing CSV: {e}"));
    // A district survey's rows are districts (their municipality's county
    // and size class).
    let (number, name) = if s.unit == survey_definitions::RespondentUnit::District.plural() {
        ("bydelsnummer", "bydel")
    } else {
        ("kommunenummer", "kommune")
    };
    w.write_record([
        number,
        name,
        "fylke",
        "storrelse",
        "invitert",
        "utkast",
        "sendt_inn",
        "grener",
    ])
    .map_err(fail)?;
    for m in &s.status {
        let branches: Vec<String> = m.branches.iter().map(i32::to_string).collect();
        let safe = |t: &str| analysis::export::spreadsheet_safe(t).into_owned();
        w.write_record([
            m.number.clone(),
            safe(&m.name),
            safe(&m.county),
            m.size_class.clone(),
            m.invited.to_string(),
            m.drafts.to_string(),
            m.submitted.to_string(),
            branches.join(" "),
        ])
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Config(format!("writing CSV: {e}")))?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}
