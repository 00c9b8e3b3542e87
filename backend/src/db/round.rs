//! Survey rounds: the stored definition of each survey, loaded through the engine's `parse()`.

use chrono::Utc;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder};
use sha2::{Digest, Sha256};
use survey_definitions::SurveyDefinition;

use crate::Error;

/// A stored survey round.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_round")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The definition's survey id (`korus-2025`).
    #[sea_orm(unique)]
    pub survey_id: String,
    /// Round year.
    pub round_year: i32,
    /// Title.
    pub title: String,
    /// The definition text, exactly as loaded.
    #[sea_orm(column_type = "Text")]
    pub definition: String,
    /// SHA-256 of the definition text, hex.
    pub definition_sha256: String,
    /// When the round was created.
    pub created_at: DateTimeUtc,
    /// Population year of the registry the round classifies municipalities by.
    pub registry_year: i32,
    /// When its definition last changed.
    pub updated_at: DateTimeUtc,
    /// Answers are accepted from (none: from creation).
    pub opens_at: Option<DateTimeUtc>,
    /// Answers are accepted until (none: no deadline).
    pub closes_at: Option<DateTimeUtc>,
    /// 1 for the first definition; +1 for each correction.
    pub definition_version: i32,
    /// Contact data of the round may be purged after this (`omfang round purge`).
    pub retention_until: Option<DateTimeUtc>,
}

/// Survey rounds have no relations yet.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// A time as Norwegians read it: Oslo time, summer time included.
pub fn norwegian(t: DateTimeUtc) -> String {
    t.with_timezone(&chrono_tz::Europe::Oslo)
        .format("%d.%m.%Y kl. %H.%M")
        .to_string()
}

/// A time written out the Norwegian way: "17. mai 2025 kl. 23.59" (Oslo
/// time). With `deadline`, midnight reads as the last minute of the day before.
pub fn norwegian_long(t: DateTimeUtc, deadline: bool) -> String {
    const MONTHS: [&str; 12] = [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ];
    use chrono::Datelike;
    let oslo = t.with_timezone(&chrono_tz::Europe::Oslo);
    let oslo = if deadline && oslo.format("%H%M").to_string() == "0000" {
        oslo - chrono::Duration::minutes(1)
    } else {
        oslo
    };
    format!(
        "{}. {} {} kl. {}",
        oslo.day(),
        MONTHS[oslo.month0() as usize],
        oslo.year(),
        oslo.format("%H.%M")
    )
}

/// What a personal link's first page says about the answering window.
pub fn window_text(opens: Option<DateTimeUtc>, closes: Option<DateTimeUtc>) -> Option<String> {
    match (opens, closes) {
        (Some(o), Some(c)) => Some(format!(
            "Undersøkelsen er åpen fra {} til {}.",
            norwegian_long(o, false),
            norwegian_long(c, true)
        )),
        (None, Some(c)) => Some(format!("Svarfrist: {}.", norwegian_long(c, true))),
        (Some(o), None) => Some(format!("Undersøkelsen åpner {}.", norwegian_long(o, false))),
        (None, None) => None,
    }
}

/// A closing time as Norwegians read it: midnight is the last minute of
/// the day before ("17.05.2025 kl. 23.59"), not the next day's 00.00.
pub fn norwegian_deadline(t: DateTimeUtc) -> String {
    let oslo = t.with_timezone(&chrono_tz::Europe::Oslo);
    if oslo.format("%H%M").to_string() == "0000" {
        norwegian(t - chrono::Duration::minutes(1))
    } else {
        norwegian(t)
    }
}

/// Whether a round accepts answers at `now`, as a Norwegian message if not.
pub fn window_check(
    opens_at: Option<DateTimeUtc>,
    closes_at: Option<DateTimeUtc>,
    now: DateTimeUtc,
) -> Result<(), String> {
    if let Some(o) = opens_at.filter(|o| now < *o) {
        return Err(format!("Undersøkelsen åpner for svar {}.", norwegian(o)));
    }
    if let Some(c) = closes_at.filter(|c| now >= *c) {
        return Err(format!(
            "Undersøkelsen ble stengt for svar {}. Svarene som er lagret, er tatt vare på.",
            norwegian_deadline(c)
        ));
    }
    Ok(())
}

impl Model {
    /// Parses the stored definition with the engine.
    pub fn parsed(&self) -> Result<SurveyDefinition, Error> {
        Ok(SurveyDefinition::parse(&self.definition)?)
    }
}

/// Hex SHA-256 of a definition text.
pub fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Stores a definition as the round of its survey id: inserts it if new,
/// replaces it if its text changed, leaves it alone if identical. The text
/// must parse and lint without errors.
#[tracing::instrument(skip_all)]
pub async fn ensure(db: &DatabaseConnection, text: &str) -> Result<Model, Error> {
    let (def, _warnings) = SurveyDefinition::load(text)?;
    let hash = sha256(text);
    let now = Utc::now();
    match Entity::find()
        .filter(Column::SurveyId.eq(&def.survey.id))
        .one(db)
        .await?
    {
        Some(existing) if existing.definition_sha256 == hash => Ok(existing),
        Some(existing) => {
            // Once answers exist, only the wording may change.
            let answered = crate::db::entity::response::Entity::find()
                .filter(crate::db::entity::response::Column::RoundId.eq(existing.id))
                .one(db)
                .await?
                .is_some();
            if answered {
                let problems = survey_definitions::incompatibilities(&existing.parsed()?, &def);
                if !problems.is_empty() {
                    return Err(Error::BadRequest(format!(
                        "round {} has answers, so its item ids and answer codes are frozen; refused:\n{}",
                        def.survey.id,
                        problems.join("\n")
                    )));
                }
            }
            tracing::info!(survey = %def.survey.id, old = %existing.definition_sha256, new = %hash, "definition changed; updating round");
            let version = existing.definition_version + 1;
            let mut active: ActiveModel = existing.into();
            active.definition_version = Set(version);
            active.definition = Set(text.to_owned());
            active.definition_sha256 = Set(hash);
            active.title = Set(def.survey.title.clone());
            active.round_year = Set(def.survey.round_year.into());
            active.updated_at = Set(now);
            Ok(active.update(db).await?)
        }
        None => {
            tracing::info!(survey = %def.survey.id, sha256 = %hash, "loading survey round");
            let active = ActiveModel {
                survey_id: Set(def.survey.id.clone()),
                round_year: Set(def.survey.round_year.into()),
                title: Set(def.survey.title.clone()),
                definition: Set(text.to_owned()),
                definition_sha256: Set(hash),
                registry_year: Set(crate::registry::POPULATION_YEAR),
                created_at: Set(now),
                updated_at: Set(now),
                opens_at: Set(None),
                closes_at: Set(None),
                definition_version: Set(1),
                retention_until: Set(None),
                ..Default::default()
            };
            Ok(active.insert(db).await?)
        }
    }
}

/// Loads a definition shipped with omfang at startup: inserted if its round
/// is missing; replaced while the round has neither answers nor a
/// correction loaded with `omfang round load` (so editing the shipped file
/// and restarting works during development); otherwise left alone, and a
/// newer shipped text must be loaded on purpose with `omfang round load`.
pub async fn ensure_shipped(db: &DatabaseConnection, text: &str) -> Result<Model, Error> {
    let (def, _warnings) = SurveyDefinition::load(text)?;
    let Some(existing) = Entity::find()
        .filter(Column::SurveyId.eq(&def.survey.id))
        .one(db)
        .await?
    else {
        return ensure(db, text).await;
    };
    if existing.definition_sha256 == sha256(text) {
        return Ok(existing);
    }
    let answered = crate::db::entity::response::Entity::find()
        .filter(crate::db::entity::response::Column::RoundId.eq(existing.id))
        .one(db)
        .await?
        .is_some();
    if answered || existing.definition_version > 1 {
        tracing::info!(survey = %def.survey.id, "the shipped definition differs from the stored one, which is kept (answered or corrected); load it with `omfang round load`");
        return Ok(existing);
    }
    let mut active: ActiveModel = existing.into();
    active.definition = Set(text.to_owned());
    active.definition_sha256 = Set(sha256(text));
    active.title = Set(def.survey.title.clone());
    active.round_year = Set(def.survey.round_year.into());
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// All rounds, newest year first.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<Model>, Error> {
    Ok(Entity::find()
        .order_by_desc(Column::RoundYear)
        .order_by_asc(Column::SurveyId)
        .all(db)
        .await?)
}

/// The round with a row id.
pub async fn by_id(db: &DatabaseConnection, id: i32) -> Result<Model, Error> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound(format!("survey round {id}")))
}

/// The definition hash and answering window of a round (cheap: the text is not read).
pub async fn hash_of(
    db: &DatabaseConnection,
    id: i32,
) -> Result<(String, Option<DateTimeUtc>, Option<DateTimeUtc>), Error> {
    use sea_orm::QuerySelect;
    Entity::find_by_id(id)
        .select_only()
        .column(Column::DefinitionSha256)
        .column(Column::OpensAt)
        .column(Column::ClosesAt)
        .into_tuple::<(String, Option<DateTimeUtc>, Option<DateTimeUtc>)>()
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound(format!("survey round {id}")))
}

/// Sets the date after which a round's contact data may be purged.
pub async fn set_retention(
    db: &DatabaseConnection,
    survey_id: &str,
    until: Option<DateTimeUtc>,
) -> Result<Model, Error> {
    let mut active: ActiveModel = find(db, survey_id).await?.into();
    active.retention_until = Set(until);
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// Sets a round's answering window.
pub async fn set_window(
    db: &DatabaseConnection,
    survey_id: &str,
    opens_at: Option<DateTimeUtc>,
    closes_at: Option<DateTimeUtc>,
) -> Result<Model, Error> {
    if let (Some(o), Some(c)) = (opens_at, closes_at)
        && c <= o
    {
        return Err(Error::BadRequest(
            "the round must close after it opens".into(),
        ));
    }
    let mut active: ActiveModel = find(db, survey_id).await?.into();
    active.opens_at = Set(opens_at);
    active.closes_at = Set(closes_at);
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// Points a round at the registry of another population year (the
/// municipalities, populations and so size classes its analysis uses).
/// The year must have been imported (`omfang registry import FILE --year`).
pub async fn set_registry_year(
    db: &DatabaseConnection,
    survey_id: &str,
    year: i32,
) -> Result<Model, Error> {
    let round = find(db, survey_id).await?;
    if super::places::load(db, year).await.is_err() {
        return Err(Error::BadRequest(format!(
            "no registry for population year {year}: import it first with `omfang registry import FILE --year {year}`"
        )));
    }
    let mut active: ActiveModel = round.into();
    active.registry_year = Set(year);
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

/// The round of one survey id.
pub async fn find(db: &DatabaseConnection, survey_id: &str) -> Result<Model, Error> {
    Entity::find()
        .filter(Column::SurveyId.eq(survey_id))
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound(format!("survey round `{survey_id}`")))
}
