//! Invitations (token hashes only), responses (one per service), answers and
//! the append-only log of every answer change.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Invitation {
    Table,
    Id,
    RoundId,
    MunicipalityNumber,
    DistrictNumber,
    Email,
    TokenSha256,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Response {
    Table,
    Id,
    InvitationId,
    RoundId,
    MunicipalityNumber,
    DistrictNumber,
    Branch,
    Status,
    Version,
    Confirmed,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum Answer {
    Table,
    ResponseId,
    ItemId,
    Value,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AnswerLog {
    Table,
    Id,
    ResponseId,
    ItemId,
    Value,
    Version,
    At,
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
                    .table(Invitation::Table)
                    .col(
                        ColumnDef::new(Invitation::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Invitation::RoundId).integer().not_null())
                    .col(
                        ColumnDef::new(Invitation::MunicipalityNumber)
                            .string_len(4)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Invitation::DistrictNumber)
                            .string_len(6)
                            .null(),
                    )
                    .col(ColumnDef::new(Invitation::Email).string().not_null())
                    .col(
                        ColumnDef::new(Invitation::TokenSha256)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(Invitation::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitation::Table, Invitation::RoundId)
                            .to(SurveyRound::Table, SurveyRound::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Response::Table)
                    .col(
                        ColumnDef::new(Response::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Response::InvitationId).integer().not_null())
                    .col(ColumnDef::new(Response::RoundId).integer().not_null())
                    .col(
                        ColumnDef::new(Response::MunicipalityNumber)
                            .string_len(4)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Response::DistrictNumber)
                            .string_len(6)
                            .null(),
                    )
                    .col(ColumnDef::new(Response::Branch).integer().null())
                    .col(ColumnDef::new(Response::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Response::Version).big_integer().not_null())
                    .col(ColumnDef::new(Response::Confirmed).text().not_null())
                    .col(
                        ColumnDef::new(Response::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Response::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Response::SubmittedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Response::Table, Response::InvitationId)
                            .to(Invitation::Table, Invitation::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Response::Table, Response::RoundId)
                            .to(SurveyRound::Table, SurveyRound::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_response_invitation")
                    .table(Response::Table)
                    .col(Response::InvitationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Answer::Table)
                    .col(ColumnDef::new(Answer::ResponseId).integer().not_null())
                    .col(ColumnDef::new(Answer::ItemId).string_len(64).not_null())
                    .col(ColumnDef::new(Answer::Value).text().not_null())
                    .col(
                        ColumnDef::new(Answer::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(Index::create().col(Answer::ResponseId).col(Answer::ItemId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Answer::Table, Answer::ResponseId)
                            .to(Response::Table, Response::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AnswerLog::Table)
                    .col(
                        ColumnDef::new(AnswerLog::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AnswerLog::ResponseId).integer().not_null())
                    .col(ColumnDef::new(AnswerLog::ItemId).string_len(64).not_null())
                    .col(ColumnDef::new(AnswerLog::Value).text().null())
                    .col(ColumnDef::new(AnswerLog::Version).big_integer().not_null())
                    .col(
                        ColumnDef::new(AnswerLog::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AnswerLog::Table, AnswerLog::ResponseId)
                            .to(Response::Table, Response::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_answer_log_response")
                    .table(AnswerLog::Table)
                    .col(AnswerLog::ResponseId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["answer_log", "answer", "response", "invitation"] {
            manager
                .drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
