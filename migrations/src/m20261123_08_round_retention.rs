//! Survey rounds get a retention date for contact data.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SurveyRound {
    Table,
    RetentionUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(SurveyRound::Table)
                    .add_column(
                        ColumnDef::new(SurveyRound::RetentionUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(SurveyRound::Table)
                    .drop_column(SurveyRound::RetentionUntil)
                    .to_owned(),
            )
            .await
    }
}
