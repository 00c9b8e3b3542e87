//! Append-only log: every accepted change of an answer, with the version it created.

use sea_orm::entity::prelude::*;

/// A log row; `value` is null when the answer was cleared.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "answer_log")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Response.
    pub response_id: i32,
    /// Item id.
    pub item_id: String,
    /// New canonical JSON, or null when cleared.
    #[sea_orm(column_type = "Text", nullable)]
    pub value: Option<String>,
    /// Response version this change produced.
    pub version: i64,
    /// When.
    pub at: DateTimeUtc,
}

/// No relations declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
