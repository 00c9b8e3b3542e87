//! What analysis reads and writes in the database: the round's respondents
//! (submitted web responses and imported rows), CSV imports, and cleaning
//! decisions. The analysis itself lives in the `analysis` crate.

use std::collections::BTreeMap;

use analysis::clean::Decision;
use analysis::dataset::{Part, Place, Registry, RespondentInput, Source, variables};
use chrono::Utc;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, TransactionTrait};
use survey_definitions::{Answer, ItemKind, RegistryKind, SurveyDefinition, normalize};

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
    /// Respondents: submitted web responses, then imported rows.
    pub respondents: Vec<RespondentInput>,
    /// Cleaning decisions in the order they were made.
    pub decisions: Vec<Decision>,
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

impl Cleaned {
    /// The cleaning state as JSON (`omfang clean list` and the research API):
    /// `{"respondents", "included", "flagged": [{"respondent", "analysable",
    /// "included", "duplicate", "decision"}]}`, listing the respondents that
    /// are not analysable, flagged as duplicates, or decided on.
    pub fn summary(&self) -> serde_json::Value {
        let (ds, cl) = (&self.dataset, &self.cleaning);
        let keys = ds.column("respondent");
        let flagged: Vec<serde_json::Value> = (0..ds.len())
            .filter(|&r| !cl.analysable[r] || cl.duplicate[r].is_some() || cl.decision[r].is_some())
            .map(|r| {
                serde_json::json!({
                    "respondent": keys.map(|k| k.text(r)).unwrap_or_default(),
                    "analysable": cl.analysable[r],
                    "included": cl.included[r],
                    "duplicate": cl.duplicate[r].as_ref().map(|d| d.reason.clone()),
                    "decision": cl.decision[r],
                })
            })
            .collect();
        serde_json::json!({
            "respondents": ds.len(),
            "included": cl.included.iter().filter(|&&i| i).count(),
            "flagged": flagged,
        })
    }
}

/// Loads a round and cleans it.
pub async fn cleaned(db: &DatabaseConnection, survey_id: &str) -> Result<Cleaned, Error> {
    let data = load(db, survey_id).await?;
    let dataset = analysis::dataset::Dataset::build(
        &data.definition,
        &data.registry,
        data.respondents.iter().cloned(),
    );
    let roles = analysis::clean::Roles::of(&data.definition).ok_or_else(|| {
        Error::BadRequest("the definition has no municipality item or gate to analyse by".into())
    })?;
    let cleaning = analysis::clean::clean(&dataset, &roles, &data.decisions);
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
    })
}

/// Loads a round's respondents, registry and decisions.
pub async fn load(db: &DatabaseConnection, survey_id: &str) -> Result<RoundData, Error> {
    let round = round::find(db, survey_id).await?;
    let definition = round.parsed()?;
    let registry = registry(db, round.registry_year).await?;
    let registry_items = registry_items(&definition);

    let mut respondents = Vec::new();
    let responses = response::Entity::find()
        .filter(response::Column::RoundId.eq(round.id))
        .filter(response::Column::Status.eq("submitted"))
        .order_by_asc(response::Column::Id)
        .all(db)
        .await?;
    let mut answers: BTreeMap<i32, BTreeMap<String, Answer>> = BTreeMap::new();
    // One query for all answers of the round's submitted responses.
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
        respondents.push(RespondentInput {
            key: format!("svar-{}", r.id),
            answers: a,
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
        respondents.push(RespondentInput {
            key: format!("import-{}-{}", row.batch_id, row.row_number),
            answers: a,
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
    let items = registry_items(&def);
    let rows = parse_import(&def, &registry, &items, bytes)?;
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

struct ImportRow {
    line: usize,
    municipality: String,
    district: Option<String>,
    answers: BTreeMap<String, Answer>,
}

fn parse_import(
    def: &SurveyDefinition,
    registry: &Registry,
    items: &RegistryItems,
    bytes: &[u8],
) -> Result<Vec<ImportRow>, Error> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Error::BadRequest(format!("the file is not UTF-8: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::BadRequest(format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let vars = variables(def);
    let mut columns = Vec::new();
    let mut unknown = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        match vars.iter().find(|v| &v.name == h) {
            // Variables analysis derives (concepts, derived, the key) are ignored on import.
            Some(v) => {
                if let Source::Item { item, part } = &v.source {
                    columns.push((i, item.clone(), *part));
                }
            }
            None if IGNORED.contains(&h.as_str()) => {}
            None => unknown.push(h.clone()),
        }
    }
    if !unknown.is_empty() {
        return Err(Error::Import(vec![format!(
            "line 1: unknown column(s) {}; columns are named by the codebook's variables",
            unknown.join(", ")
        )]));
    }
    let municipality_item = items
        .municipality
        .clone()
        .ok_or_else(|| Error::BadRequest("the definition has no municipality item".into()))?;
    if !columns
        .iter()
        .any(|(_, item, _)| *item == municipality_item)
    {
        return Err(Error::Import(vec![format!(
            "line 1: no column for the municipality ({})",
            def.item(&municipality_item)
                .map_or("kommune", |i| i.variable.as_str())
        )]));
    }
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let mut raw: BTreeMap<String, Answer> = BTreeMap::new();
        let mut row_errors = Vec::new();
        for (i, item_id, part) in &columns {
            let cell = record.get(*i).unwrap_or("").trim();
            if cell.is_empty() {
                continue;
            }
            let column = &headers[*i];
            match part {
                Part::Whole => {
                    raw.insert(item_id.clone(), Answer::Text(cell.to_owned()));
                }
                Part::Option(code) => {
                    let list = raw
                        .entry(item_id.clone())
                        .or_insert_with(|| Answer::List(Vec::new()));
                    match (cell, list) {
                        ("1", Answer::List(l)) => l.push(Answer::Number(*code as f64)),
                        ("0", _) => {}
                        _ => row_errors.push(format!(
                            "{column} = {cell:?}: bruk 1 (valgt) eller 0 (ikke valgt)"
                        )),
                    }
                }
                Part::Row(code) => {
                    if let Answer::Map(m) = raw
                        .entry(item_id.clone())
                        .or_insert_with(|| Answer::Map(BTreeMap::new()))
                    {
                        m.insert(code.to_string(), Answer::Text(cell.to_owned()));
                    }
                }
                Part::Lower | Part::Upper => {
                    let key = if *part == Part::Lower {
                        "lower"
                    } else {
                        "upper"
                    };
                    if let Answer::Map(m) = raw
                        .entry(item_id.clone())
                        .or_insert_with(|| Answer::Map(BTreeMap::new()))
                    {
                        m.insert(key.to_owned(), Answer::Text(cell.to_owned()));
                    }
                }
            }
        }
        let mut answers = BTreeMap::new();
        for (id, answer) in raw {
            let Some(item) = def.item(&id) else { continue };
            match normalize(item, &answer) {
                Ok(Answer::Null) => {}
                Ok(a) => {
                    answers.insert(id, a);
                }
                Err(message) => {
                    row_errors.push(format!("{} ({}): {message}", item.variable, item.id))
                }
            }
        }
        let municipality = match answers.get(&municipality_item) {
            Some(Answer::Text(m)) if registry.municipalities.contains_key(m) => m.clone(),
            Some(Answer::Text(m)) => {
                row_errors.push(format!(
                    "kommune {m:?} finnes ikke i registeret for {}",
                    registry.year
                ));
                String::new()
            }
            _ => {
                row_errors.push("kommune mangler".into());
                String::new()
            }
        };
        let district = items.district.as_ref().and_then(|d| match answers.get(d) {
            Some(Answer::Text(t)) => Some(t.clone()),
            _ => None,
        });
        if row_errors.is_empty() {
            out.push(ImportRow {
                line,
                municipality,
                district,
                answers,
            });
        } else {
            errors.push(format!("line {line}: {}", row_errors.join("; ")));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Import(errors));
    }
    if out.is_empty() {
        return Err(Error::Import(vec!["the file has no rows".into()]));
    }
    Ok(out)
}

/// Columns of omfang's own data export that analysis adds and import ignores.
const IGNORED: &[&str] = &[
    "analyserbar",
    "i_utvalg",
    "mulig_duplikat",
    "beslutning",
    "beslutning_av",
    "beslutning_grunn",
];

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
