//! The current answer to a personal item (name, position, e-mail: `personal = true`
//! in the definition) of one response, kept apart from the answers; same shape.

use sea_orm::entity::prelude::*;

/// A personal answer row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "personal_answer")]
pub struct Model {
    /// Response.
    #[sea_orm(primary_key, auto_increment = false)]
    pub response_id: i32,
    /// Item id (`1.16.1`, `1.2:10`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_id: String,
    /// Canonical JSON of the answer (see `survey_definitions::normalize`).
    #[sea_orm(column_type = "Text")]
    pub value: String,
    /// Last change.
    pub updated_at: DateTimeUtc,
}

/// No relations declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
