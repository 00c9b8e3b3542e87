//! A researcher's keep/drop decision about one respondent (append-only; the latest counts).

use sea_orm::entity::prelude::*;

/// A cleaning decision row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cleaning_decision")]
pub struct Model {
    /// Row id (orders decisions).
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Survey round.
    pub round_id: i32,
    /// Respondent key (`svar-12`, `import-1-7`).
    pub respondent: String,
    /// Keep or drop.
    pub keep: bool,
    /// Who decided.
    pub decided_by: String,
    /// Why.
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    /// When.
    pub decided_at: DateTimeUtc,
}

/// No relations declared.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
