//! The municipality registry, per population year, and Oslo's districts/agencies.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RegistryMunicipality {
    Table,
    PopulationYear,
    Number,
    Name,
    SamiName,
    CountyNumber,
    CountyName,
    Population,
}

#[derive(DeriveIden)]
enum RegistryDistrict {
    Table,
    Number,
    Name,
    MunicipalityNumber,
    Kind,
}

#[derive(DeriveIden)]
enum SurveyRound {
    Table,
    RegistryYear,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RegistryMunicipality::Table)
                    .col(
                        ColumnDef::new(RegistryMunicipality::PopulationYear)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RegistryMunicipality::Number)
                            .string_len(4)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RegistryMunicipality::Name)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RegistryMunicipality::SamiName)
                            .string()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(RegistryMunicipality::CountyNumber)
                            .string_len(2)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RegistryMunicipality::CountyName)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RegistryMunicipality::Population)
                            .integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(RegistryMunicipality::PopulationYear)
                            .col(RegistryMunicipality::Number),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RegistryDistrict::Table)
                    .col(
                        ColumnDef::new(RegistryDistrict::Number)
                            .string_len(6)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(RegistryDistrict::Name).string().not_null())
                    .col(
                        ColumnDef::new(RegistryDistrict::MunicipalityNumber)
                            .string_len(4)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RegistryDistrict::Kind)
                            .string_len(16)
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(SurveyRound::Table)
                    .add_column(
                        ColumnDef::new(SurveyRound::RegistryYear)
                            .integer()
                            .not_null()
                            .default(2024),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RegistryDistrict::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RegistryMunicipality::Table).to_owned())
            .await
    }
}
