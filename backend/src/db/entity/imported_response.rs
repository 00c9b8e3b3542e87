//! One imported respondent: its answers as canonical JSON by item id.

use sea_orm::entity::prelude::*;

/// An imported response row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "imported_response")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Import batch.
    pub batch_id: i32,
    /// Survey round.
    pub round_id: i32,
    /// Line of the file (header is line 1).
    pub row_number: i32,
    /// Municipality.
    pub municipality_number: String,
    /// District or agency.
    pub district_number: Option<String>,
    /// JSON object: item id → canonical answer.
    #[sea_orm(column_type = "Text")]
    pub answers: String,
}

/// No relations declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
