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
}

/// Survey rounds have no relations yet.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

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
            tracing::info!(survey = %def.survey.id, old = %existing.definition_sha256, new = %hash, "definition changed; updating round");
            let mut active: ActiveModel = existing.into();
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
                ..Default::default()
            };
            Ok(active.insert(db).await?)
        }
    }
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

/// The definition hash of a round (cheap: the text is not read).
pub async fn hash_of(db: &DatabaseConnection, id: i32) -> Result<String, Error> {
    use sea_orm::QuerySelect;
    Entity::find_by_id(id)
        .select_only()
        .column(Column::DefinitionSha256)
        .into_tuple::<String>()
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound(format!("survey round {id}")))
}

/// The round of one survey id.
pub async fn find(db: &DatabaseConnection, survey_id: &str) -> Result<Model, Error> {
    Entity::find()
        .filter(Column::SurveyId.eq(survey_id))
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound(format!("survey round `{survey_id}`")))
}
