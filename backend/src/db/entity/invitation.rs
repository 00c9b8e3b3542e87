//! A personal invitation: the link's token is stored only as its SHA-256.

use sea_orm::entity::prelude::*;

/// An invitation row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitation")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Survey round.
    pub round_id: i32,
    /// Municipality the respondent answers for.
    pub municipality_number: String,
    /// District or agency, for Oslo.
    pub district_number: Option<String>,
    /// Where the link was sent.
    pub email: String,
    /// Hex SHA-256 of the token; the token itself is never stored.
    #[sea_orm(unique)]
    pub token_sha256: String,
    /// When it was created.
    pub created_at: DateTimeUtc,
    /// For invitations made by a wave: the nonce the token is derived from
    /// (with the server's secret; see `InvitationToken::derive`).
    pub token_nonce: Option<String>,
}

/// No relations declared (queries join by id).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
