//! What analysis reads and writes in the database: the round's respondents
//! (web responses, drafts included, and imported rows), CSV imports, and cleaning
//! decisions. The analysis itself lives in the `analysis` crate.

use std::collections::BTreeMap;

use analysis::clean::Decision;
use analysis::dataset::{Place, Registry, RespondentInput};
use chrono::Utc;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, TransactionTrait};
use survey_definitions::{Answer, ItemKind, RegistryKind, SurveyDefinition};

use super::entity::{
    answer, cleaning_decision, import_batch, imported_response, personal_answer, response,
};
use super::{places, round};
use crate::Error;

/// Everything analysis needs about one round.
pub struct RoundData {
    /// The stored round.
    pub round: round::Model,
    /// Its parsed definition.
    pub definition: SurveyDefinition,
    /// Registry of the round's year.
    pub registry: Registry,
    /// Respondents: web responses (sent in or drafts, not discarded), then imported rows.
    pub respondents: Vec<RespondentInput>,
    /// Cleaning decisions in the order they were made.
    pub decisions: Vec<Decision>,
    /// When each respondent last changed (Oslo time; empty for imported rows).
    pub updated: Vec<String>,
}

/// A round's data as an analysis dataset, cleaned.
pub struct Cleaned {
    /// What was loaded.
    pub data: RoundData,
    /// The dataset.
    pub dataset: analysis::dataset::Dataset,
    /// Role variables of the definition.
    pub roles: analysis::clean::Roles,
    /// Analysable rule, duplicates, decisions.
    pub cleaning: analysis::clean::Cleaning,
}

/// Loads a round and cleans it for a sample.
pub async fn cleaned(
    db: &DatabaseConnection,
    survey_id: &str,
    sample: analysis::clean::Sample,
) -> Result<Cleaned, Error> {
    let data = load(db, survey_id).await?;
    let frames = super::coding::coded_frames(db, data.round.id).await?;
    let mut builder = analysis::dataset::DatasetBuilder::new(
        &data.definition,
        &data.registry,
        data.respondents.len(),
    )
    .with_coding(&frames);
    for r in &data.respondents {
        builder.push(r);
    }
    let dataset = builder.finish();
    let roles = analysis::clean::Roles::of(&data.definition).ok_or_else(|| {
        Error::BadRequest("the definition has no municipality item to analyse by".into())
    })?;
    let cleaning = analysis::clean::clean(&dataset, &roles, &data.decisions, sample);
    Ok(Cleaned {
        data,
        dataset,
        roles,
        cleaning,
    })
}

/// The registry of a year in the analysis crate's shape.
pub async fn registry(db: &DatabaseConnection, year: i32) -> Result<Registry, Error> {
    let r = places::load(db, year).await?;
    let county_name = |n: &str| {
        r.counties
            .iter()
            .find(|c| c.number == n)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    Ok(Registry {
        year,
        municipalities: r
            .municipalities
            .iter()
            .map(|m| {
                (
                    m.number.clone(),
                    Place {
                        name: m.name.clone(),
                        county_number: m.county.clone(),
                        county_name: county_name(&m.county),
                        population: m.population,
                    },
                )
            })
            .collect(),
        districts: super::entity::district::Entity::find()
            .filter(super::entity::district::Column::Kind.eq("district"))
            .all(db)
            .await?
            .into_iter()
            .map(|d| (d.number, (d.name, d.municipality_number)))
            .collect(),
    })
}

/// Loads a round's respondents, registry and decisions.
pub async fn load(db: &DatabaseConnection, survey_id: &str) -> Result<RoundData, Error> {
    let round = round::find(db, survey_id).await?;
    let definition = round.parsed()?;
    let registry = registry(db, round.registry_year).await?;
    let registry_items = registry_items(&definition);

    let mut respondents = Vec::new();
    let mut updated = Vec::new();
    let responses = response::Entity::find()
        .filter(response::Column::RoundId.eq(round.id))
        // Drafts too (the report's sample takes every analysable
        // response); a discarded draft is analysed nowhere.
        .filter(response::Column::Status.ne(super::journey::DISCARDED))
        .order_by_asc(response::Column::Id)
        .all(db)
        .await?;
    let mut answers: BTreeMap<i32, BTreeMap<String, Answer>> = BTreeMap::new();
    // One query for all answers of the round's responses.
    let ids: Vec<i32> = responses.iter().map(|r| r.id).collect();
    // Personal answers (kept apart) are read too: exports leave them out
    // unless an administrator turns them on for that export.
    for chunk in ids.chunks(500) {
        let rows = answer::Entity::find()
            .filter(answer::Column::ResponseId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.response_id, r.item_id, r.value));
        let personal = personal_answer::Entity::find()
            .filter(personal_answer::Column::ResponseId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.response_id, r.item_id, r.value));
        for (response_id, item_id, value) in rows.chain(personal) {
            let value: Answer = serde_json::from_str(&value).map_err(|e| {
                Error::Config(format!(
                    "stored answer {response_id}/{item_id} is not JSON: {e}"
                ))
            })?;
            answers
                .entry(response_id)
                .or_default()
                .insert(item_id, value);
        }
    }
    for r in responses {
        let mut a = answers.remove(&r.id).unwrap_or_default();
        place_answers(
            &mut a,
            &registry_items,
            &registry,
            &r.municipality_number,
            r.district_number.as_deref(),
        );
        updated.push(round::norwegian(r.updated_at));
        respondents.push(RespondentInput {
            key: format!("svar-{}", r.id),
            answers: a,
            submitted: r.status == super::journey::SUBMITTED,
        });
    }
    for row in imported_response::Entity::find()
        .filter(imported_response::Column::RoundId.eq(round.id))
        .order_by_asc(imported_response::Column::Id)
        .all(db)
        .await?
    {
        let mut a: BTreeMap<String, Answer> = serde_json::from_str(&row.answers)
            .map_err(|e| Error::Config(format!("imported row {} is not JSON: {e}", row.id)))?;
        place_answers(
            &mut a,
            &registry_items,
            &registry,
            &row.municipality_number,
            row.district_number.as_deref(),
        );
        updated.push(String::new());
        respondents.push(RespondentInput {
            key: format!("import-{}-{}", row.batch_id, row.row_number),
            answers: a,
            submitted: true,
        });
    }
    let decisions = cleaning_decision::Entity::find()
        .filter(cleaning_decision::Column::RoundId.eq(round.id))
        .order_by_asc(cleaning_decision::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|d| Decision {
            respondent: d.respondent,
            keep: d.keep,
            by: d.decided_by,
            reason: d.reason,
            at: d.decided_at.to_rfc3339(),
        })
        .collect();
    Ok(RoundData {
        round,
        definition,
        registry,
        respondents,
        decisions,
        updated,
    })
}

/// Item ids of the county, municipality and district items.
#[derive(Default)]
struct RegistryItems {
    county: Option<String>,
    municipality: Option<String>,
    district: Option<String>,
}

fn registry_items(def: &SurveyDefinition) -> RegistryItems {
    let mut out = RegistryItems::default();
    for item in &def.items {
        if let ItemKind::Registry { registry, .. } = &item.kind {
            let slot = match registry {
                RegistryKind::County => &mut out.county,
                RegistryKind::Municipality => &mut out.municipality,
                RegistryKind::District => &mut out.district,
            };
            slot.get_or_insert_with(|| item.id.clone());
        }
    }
    out
}

/// The response's municipality and district are authoritative (they come
/// from the invitation); the county follows from the registry.
fn place_answers(
    answers: &mut BTreeMap<String, Answer>,
    items: &RegistryItems,
    registry: &Registry,
    municipality: &str,
    district: Option<&str>,
) {
    if let Some(id) = &items.municipality {
        answers.insert(id.clone(), Answer::Text(municipality.to_owned()));
    }
    if let (Some(id), Some(d)) = (&items.district, district) {
        answers.insert(id.clone(), Answer::Text(d.to_owned()));
    }
    if let (Some(id), Some(place)) = (&items.county, registry.municipalities.get(municipality)) {
        answers.insert(id.clone(), Answer::Text(place.county_number.clone()));
    }
}

/// Imports respondents from CSV into a round: one row per respondent,
/// columns named by export variable (see `analysis::dataset`). Every bad
/// row is reported with its line; if any is bad, nothing is imported.
/// Columns the dataset derives (concepts, derived variables, cleaning
/// columns) are ignored, so an export can be imported again.
pub async fn import(
    db: &DatabaseConnection,
    survey_id: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<usize, Error> {
    let round = round::find(db, survey_id).await?;
    let def = round.parsed()?;
    let registry = registry(db, round.registry_year).await?;
    let rows = analysis::import::parse(&def, &registry, bytes)?;
    let txn = db.begin().await?;
    let batch = import_batch::ActiveModel {
        round_id: Set(round.id),
        file_name: Set(file_name.to_owned()),
        sha256: Set(round::sha256(&String::from_utf8_lossy(bytes))),
        row_count: Set(rows.len() as i32),
        imported_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let n = rows.len();
    let models: Vec<imported_response::ActiveModel> = rows
        .into_iter()
        .map(|r| imported_response::ActiveModel {
            batch_id: Set(batch.id),
            round_id: Set(round.id),
            row_number: Set(r.line as i32),
            municipality_number: Set(r.municipality),
            district_number: Set(r.district),
            answers: Set(serde_json::to_string(&r.answers).unwrap_or_else(|_| "{}".into())),
            ..Default::default()
        })
        .collect();
    for chunk in models.chunks(200) {
        imported_response::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    super::accounts::audit(
        &txn,
        "cli",
        "import",
        &format!(
            "{n} respondents into {survey_id} from {file_name} (batch {})",
            batch.id
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(n)
}

/// Records a keep/drop decision; the respondent must exist in the round.
pub async fn decide(
    db: &DatabaseConnection,
    survey_id: &str,
    respondent: &str,
    keep: bool,
    by: &str,
    reason: &str,
) -> Result<(), Error> {
    if by.trim().is_empty() || reason.trim().is_empty() {
        return Err(Error::BadRequest(
            "a decision needs who (--by) and why (--reason)".into(),
        ));
    }
    let data = load(db, survey_id).await?;
    if !data.respondents.iter().any(|r| r.key == respondent) {
        return Err(Error::NotFound(format!(
            "respondent {respondent} in round {survey_id}"
        )));
    }
    let txn = db.begin().await?;
    cleaning_decision::ActiveModel {
        round_id: Set(data.round.id),
        respondent: Set(respondent.to_owned()),
        keep: Set(keep),
        decided_by: Set(by.trim().to_owned()),
        reason: Set(reason.trim().to_owned()),
        decided_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    super::accounts::audit(
        &txn,
        by.trim(),
        "cleaning_decision",
        &format!(
            "{survey_id} {respondent}: {} ({})",
            if keep { "keep" } else { "drop" },
            reason.trim()
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
