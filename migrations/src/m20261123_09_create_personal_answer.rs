//! Personal answers (name, position, e-mail: items marked `personal`) get a
//! table apart from the answers, so exports, erasure and purges handle them
//! as contact data.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PersonalAnswer {
    Table,
    ResponseId,
    ItemId,
    Value,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Response {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PersonalAnswer::Table)
                    .col(
                        ColumnDef::new(PersonalAnswer::ResponseId)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PersonalAnswer::ItemId)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(PersonalAnswer::Value).text().not_null())
                    .col(
                        ColumnDef::new(PersonalAnswer::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(PersonalAnswer::ResponseId)
                            .col(PersonalAnswer::ItemId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PersonalAnswer::Table, PersonalAnswer::ResponseId)
                            .to(Response::Table, Response::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PersonalAnswer::Table).to_owned())
            .await
    }
}
