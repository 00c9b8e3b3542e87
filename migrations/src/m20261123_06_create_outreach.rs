//! Contacts per municipality, invitation waves and their outbox (one row
//! per mail, the unit of exactly-once delivery); invitations made by a wave
//! keep the nonce their token is derived from.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Contact {
    Table,
    Id,
    MunicipalityNumber,
    DistrictNumber,
    Kind,
    Name,
    Email,
    Active,
    OptedOut,
    BounceReason,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Wave {
    Table,
    Id,
    RoundId,
    Kind,
    Subject,
    Template,
    Deadline,
    Selection,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    WaveId,
    ContactId,
    InvitationId,
    ToEmail,
    Subject,
    Body,
    Status,
    Attempts,
    LastError,
    NextAttemptAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Invitation {
    Table,
    TokenNonce,
}

fn id(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Contact::Table)
                    .col(id(Contact::Id))
                    .col(
                        ColumnDef::new(Contact::MunicipalityNumber)
                            .string_len(4)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Contact::DistrictNumber).string_len(6).null())
                    .col(ColumnDef::new(Contact::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Contact::Name).string().null())
                    .col(ColumnDef::new(Contact::Email).string().not_null())
                    .col(ColumnDef::new(Contact::Active).boolean().not_null())
                    .col(ColumnDef::new(Contact::OptedOut).boolean().not_null())
                    .col(ColumnDef::new(Contact::BounceReason).text().null())
                    .col(
                        ColumnDef::new(Contact::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .index(
                        Index::create()
                            .name("contact_municipality_email")
                            .col(Contact::MunicipalityNumber)
                            .col(Contact::Email)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Wave::Table)
                    .col(id(Wave::Id))
                    .col(ColumnDef::new(Wave::RoundId).integer().not_null())
                    .col(ColumnDef::new(Wave::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Wave::Subject).string().not_null())
                    .col(ColumnDef::new(Wave::Template).text().not_null())
                    .col(ColumnDef::new(Wave::Deadline).string().not_null())
                    .col(ColumnDef::new(Wave::Selection).text().not_null())
                    .col(ColumnDef::new(Wave::CreatedBy).string().not_null())
                    .col(
                        ColumnDef::new(Wave::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(id(Outbox::Id))
                    .col(ColumnDef::new(Outbox::WaveId).integer().not_null())
                    .col(ColumnDef::new(Outbox::ContactId).integer().not_null())
                    .col(ColumnDef::new(Outbox::InvitationId).integer().not_null())
                    .col(ColumnDef::new(Outbox::ToEmail).string().not_null())
                    .col(ColumnDef::new(Outbox::Subject).string().not_null())
                    .col(ColumnDef::new(Outbox::Body).text().not_null())
                    .col(ColumnDef::new(Outbox::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Outbox::Attempts).integer().not_null())
                    .col(ColumnDef::new(Outbox::LastError).text().null())
                    .col(
                        ColumnDef::new(Outbox::NextAttemptAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Outbox::SentAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .index(
                        Index::create()
                            .name("outbox_wave_contact")
                            .col(Outbox::WaveId)
                            .col(Outbox::ContactId)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Invitation::Table)
                    .add_column(ColumnDef::new(Invitation::TokenNonce).string_len(64).null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Invitation::Table)
                    .drop_column(Invitation::TokenNonce)
                    .to_owned(),
            )
            .await?;
        for table in [
            Outbox::Table.into_iden(),
            Wave::Table.into_iden(),
            Contact::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
