//! A district or agency of a municipality (Oslo's bydeler and etater).

use sea_orm::entity::prelude::*;

/// A district row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registry_district")]
pub struct Model {
    /// 6-digit number.
    #[sea_orm(primary_key, auto_increment = false)]
    pub number: String,
    /// Name.
    pub name: String,
    /// Municipality number.
    pub municipality_number: String,
    /// `district` or `agency`.
    pub kind: String,
}

/// No relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
