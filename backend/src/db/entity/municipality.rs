//! A municipality of the registry, per population year.

use sea_orm::entity::prelude::*;

/// A registry row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registry_municipality")]
pub struct Model {
    /// Year (1 January) of the population figure.
    #[sea_orm(primary_key, auto_increment = false)]
    pub population_year: i32,
    /// 4-digit number.
    #[sea_orm(primary_key, auto_increment = false)]
    pub number: String,
    /// Name.
    pub name: String,
    /// Sami name, where official.
    pub sami_name: Option<String>,
    /// 2-digit county number.
    pub county_number: String,
    /// County name.
    pub county_name: String,
    /// Population (SSB table 07459).
    pub population: i32,
}

/// No relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
