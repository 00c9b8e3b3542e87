//! Coding of free text: a round's coding frames (a name and the text items
//! whose answers it codes), their codes (a number, a label and a
//! description), and which codes researchers gave which answer (or a
//! marked passage of it). Who and when is kept with every assignment; the
//! audit trail keeps every change.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CodingFrame {
    Table,
    Id,
    RoundId,
    Name,
    Items,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CodingCode {
    Table,
    Id,
    FrameId,
    Code,
    Label,
    Description,
}

#[derive(DeriveIden)]
enum CodingAssignment {
    Table,
    Id,
    CodeId,
    Respondent,
    ItemId,
    Passage,
    AssignedBy,
    AssignedAt,
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
                    .table(CodingFrame::Table)
                    .col(
                        ColumnDef::new(CodingFrame::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(CodingFrame::RoundId).integer().not_null())
                    .col(ColumnDef::new(CodingFrame::Name).string_len(200).not_null())
                    .col(ColumnDef::new(CodingFrame::Items).text().not_null())
                    .col(
                        ColumnDef::new(CodingFrame::CreatedBy)
                            .string_len(320)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CodingFrame::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CodingFrame::Table, CodingFrame::RoundId)
                            .to(SurveyRound::Table, SurveyRound::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CodingCode::Table)
                    .col(
                        ColumnDef::new(CodingCode::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(CodingCode::FrameId).integer().not_null())
                    .col(ColumnDef::new(CodingCode::Code).integer().not_null())
                    .col(ColumnDef::new(CodingCode::Label).string_len(200).not_null())
                    .col(ColumnDef::new(CodingCode::Description).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(CodingCode::Table, CodingCode::FrameId)
                            .to(CodingFrame::Table, CodingFrame::Id),
                    )
                    .index(
                        Index::create()
                            .unique()
                            .col(CodingCode::FrameId)
                            .col(CodingCode::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CodingAssignment::Table)
                    .col(
                        ColumnDef::new(CodingAssignment::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(CodingAssignment::CodeId)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CodingAssignment::Respondent)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CodingAssignment::ItemId)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(CodingAssignment::Passage).text().null())
                    .col(
                        ColumnDef::new(CodingAssignment::AssignedBy)
                            .string_len(320)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CodingAssignment::AssignedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CodingAssignment::Table, CodingAssignment::CodeId)
                            .to(CodingCode::Table, CodingCode::Id),
                    )
                    .index(
                        Index::create()
                            .unique()
                            .col(CodingAssignment::CodeId)
                            .col(CodingAssignment::Respondent)
                            .col(CodingAssignment::ItemId),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CodingAssignment::Table.into_iden(),
            CodingCode::Table.into_iden(),
            CodingFrame::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
