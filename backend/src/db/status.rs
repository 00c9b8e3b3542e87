//! The response-rate dashboard of a round: municipalities answered by
//! county, size class and branch, and the status list as CSV.

use std::collections::BTreeSet;

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::entity::{invitation, response};
use super::{places, round};
use crate::Error;

/// One municipality's state in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MunicipalityStatus {
    /// Number.
    pub number: String,
    /// Name.
    pub name: String,
    /// County number.
    pub county: String,
    /// `small`, `medium` or `large`.
    pub size_class: String,
    /// Invitations made (links sent or created).
    pub invited: usize,
    /// Responses started but not submitted.
    pub drafts: usize,
    /// Responses submitted.
    pub submitted: usize,
    /// Gate answers of the submitted responses (1 own service, 2 part of another, 3 none).
    pub branches: Vec<i32>,
}

/// Response rate of a group of municipalities.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Rate {
    /// Group key (county number, size class or branch code).
    pub key: String,
    /// Municipalities in the group (for branches: submitted responses).
    pub total: usize,
    /// Municipalities with at least one submitted response (for branches: the same).
    pub answered: usize,
    /// answered / total, in percent.
    pub percent: f64,
}

/// The round's response-rate dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RoundStatus {
    /// Survey id.
    pub survey_id: String,
    /// Municipalities in the round's registry.
    pub municipalities: usize,
    /// Municipalities with at least one submitted response.
    pub answered: usize,
    /// By county.
    pub by_county: Vec<Rate>,
    /// By size class.
    pub by_size_class: Vec<Rate>,
    /// Submitted responses by branch (gate answer).
    pub by_branch: Vec<Rate>,
    /// Every municipality, those without a submitted response first.
    pub status: Vec<MunicipalityStatus>,
}

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
    let mut status: Vec<MunicipalityStatus> = registry
        .municipalities
        .iter()
        .map(|m| MunicipalityStatus {
            number: m.number.clone(),
            name: m.name.clone(),
            county: m.county.clone(),
            size_class: format!("{:?}", m.size_class).to_lowercase(),
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
                .count(),
            branches: responses
                .iter()
                .filter(|x| x.municipality_number == m.number && x.status == "submitted")
                .filter_map(|x| x.branch)
                .collect(),
        })
        .collect();
    status.sort_by_key(|s| (s.submitted > 0, s.number.clone()));
    let rate = |key: String, group: Vec<&MunicipalityStatus>| {
        let answered = group.iter().filter(|s| s.submitted > 0).count();
        Rate {
            key,
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
        .map(|k| rate(k.clone(), status.iter().filter(|s| s.county == k).collect()))
        .collect();
    let by_size_class = ["small", "medium", "large"]
        .into_iter()
        .map(|k| {
            rate(
                k.to_owned(),
                status.iter().filter(|s| s.size_class == k).collect(),
            )
        })
        .collect();
    let submitted: Vec<i32> = status
        .iter()
        .flat_map(|s| s.branches.iter().copied())
        .collect();
    let by_branch = [1, 2, 3]
        .into_iter()
        .map(|b| {
            let n = submitted.iter().filter(|&&x| x == b).count();
            Rate {
                key: b.to_string(),
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
        municipalities: status.len(),
        answered: status.iter().filter(|s| s.submitted > 0).count(),
        by_county,
        by_size_class,
        by_branch,
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
    w.write_record([
        "kommunenummer",
        "kommune",
        "fylke",
        "storrelse",
        "invitert",
        "utkast",
        "sendt_inn",
        "tjenestetyper",
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
