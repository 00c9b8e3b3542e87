//! Imported responses (earlier rounds, data collected elsewhere) and the
//! researchers' cleaning decisions, append-only.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportBatch {
    Table,
    Id,
    RoundId,
    FileName,
    Sha256,
    RowCount,
    ImportedAt,
}

#[derive(DeriveIden)]
enum ImportedResponse {
    Table,
    Id,
    BatchId,
    RoundId,
    RowNumber,
    MunicipalityNumber,
    DistrictNumber,
    Answers,
}

#[derive(DeriveIden)]
enum CleaningDecision {
    Table,
    Id,
    RoundId,
    Respondent,
    Keep,
    DecidedBy,
    Reason,
    DecidedAt,
}

#[derive(DeriveIden)]
enum SurveyRound {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportBatch::Table)
                    .col(
                        ColumnDef::new(ImportBatch::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ImportBatch::RoundId).integer().not_null())
                    .col(ColumnDef::new(ImportBatch::FileName).string().not_null())
                    .col(
                        ColumnDef::new(ImportBatch::Sha256)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(ImportBatch::RowCount).integer().not_null())
                    .col(
                        ColumnDef::new(ImportBatch::ImportedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ImportBatch::Table, ImportBatch::RoundId)
                            .to(SurveyRound::Table, SurveyRound::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ImportedResponse::Table)
                    .col(
                        ColumnDef::new(ImportedResponse::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ImportedResponse::BatchId)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ImportedResponse::RoundId)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ImportedResponse::RowNumber)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ImportedResponse::MunicipalityNumber)
                            .string_len(4)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ImportedResponse::DistrictNumber)
                            .string_len(6)
                            .null(),
                    )
                    .col(ColumnDef::new(ImportedResponse::Answers).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(ImportedResponse::Table, ImportedResponse::BatchId)
                            .to(ImportBatch::Table, ImportBatch::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("imported_response_round")
                    .table(ImportedResponse::Table)
                    .col(ImportedResponse::RoundId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CleaningDecision::Table)
                    .col(
                        ColumnDef::new(CleaningDecision::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(CleaningDecision::RoundId)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CleaningDecision::Respondent)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(CleaningDecision::Keep).boolean().not_null())
                    .col(
                        ColumnDef::new(CleaningDecision::DecidedBy)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(CleaningDecision::Reason).text().not_null())
                    .col(
                        ColumnDef::new(CleaningDecision::DecidedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CleaningDecision::Table, CleaningDecision::RoundId)
                            .to(SurveyRound::Table, SurveyRound::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("cleaning_decision_round")
                    .table(CleaningDecision::Table)
                    .col(CleaningDecision::RoundId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CleaningDecision::Table.into_iden(),
            ImportedResponse::Table.into_iden(),
            ImportBatch::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
