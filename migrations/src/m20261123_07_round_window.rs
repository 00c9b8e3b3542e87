//! Survey rounds get an answering window and a definition version.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SurveyRound {
    Table,
    OpensAt,
    ClosesAt,
    DefinitionVersion,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            ColumnDef::new(SurveyRound::OpensAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(SurveyRound::ClosesAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(SurveyRound::DefinitionVersion)
                .integer()
                .not_null()
                .default(1)
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(SurveyRound::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            SurveyRound::OpensAt,
            SurveyRound::ClosesAt,
            SurveyRound::DefinitionVersion,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(SurveyRound::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
