//! Survey rounds: one per survey id, holding the definition text and its hash.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SurveyRound {
    Table,
    Id,
    SurveyId,
    RoundYear,
    Title,
    Definition,
    DefinitionSha256,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SurveyRound::Table)
                    .col(
                        ColumnDef::new(SurveyRound::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SurveyRound::SurveyId)
                            .string_len(100)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(SurveyRound::RoundYear).integer().not_null())
                    .col(ColumnDef::new(SurveyRound::Title).string().not_null())
                    .col(ColumnDef::new(SurveyRound::Definition).text().not_null())
                    .col(
                        ColumnDef::new(SurveyRound::DefinitionSha256)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SurveyRound::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SurveyRound::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SurveyRound::Table).to_owned())
            .await
    }
}
