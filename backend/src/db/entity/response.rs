//! One response: one service of one municipality, draft or submitted.

use sea_orm::entity::prelude::*;

/// A response row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "response")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The invitation (link) it belongs to.
    pub invitation_id: i32,
    /// Survey round.
    pub round_id: i32,
    /// Municipality.
    pub municipality_number: String,
    /// District or agency.
    pub district_number: Option<String>,
    /// The gate answer (1, 2, 3) once given.
    pub branch: Option<i32>,
    /// `draft` or `submitted`.
    pub status: String,
    /// Incremented by every accepted write (optimistic concurrency).
    pub version: i64,
    /// JSON array of confirmed warning keys.
    #[sea_orm(column_type = "Text")]
    pub confirmed: String,
    /// Created.
    pub created_at: DateTimeUtc,
    /// Last accepted write.
    pub updated_at: DateTimeUtc,
    /// When submitted (kept when reopened, updated on resubmission).
    pub submitted_at: Option<DateTimeUtc>,
}

/// No relations declared (queries join by id).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
