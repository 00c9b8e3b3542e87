//! omfang's database schema as sea-orm migrations, run on SQLite and PostgreSQL alike.

pub use sea_orm_migration::prelude::*;

mod m20261123_01_create_survey_round;
mod m20261123_02_create_registry;
mod m20261123_03_create_responses;
mod m20261123_04_create_analysis;
mod m20261123_05_create_accounts;
mod m20261123_06_create_outreach;
mod m20261123_07_round_window;
mod m20261123_08_round_retention;
mod m20261123_09_create_personal_answer;
mod m20261202_10_create_coding;

/// Applies omfang's migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_01_create_survey_round::Migration),
            Box::new(m20261123_02_create_registry::Migration),
            Box::new(m20261123_03_create_responses::Migration),
            Box::new(m20261123_04_create_analysis::Migration),
            Box::new(m20261123_05_create_accounts::Migration),
            Box::new(m20261123_06_create_outreach::Migration),
            Box::new(m20261123_07_round_window::Migration),
            Box::new(m20261123_08_round_retention::Migration),
            Box::new(m20261123_09_create_personal_answer::Migration),
            Box::new(m20261202_10_create_coding::Migration),
        ]
    }
}
