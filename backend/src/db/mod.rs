//! Database access: connecting (SQLite or PostgreSQL), migrating, and the entities.

pub mod accounts;
pub mod analysis;
pub mod cleaning;
pub mod coding;
pub mod contacts;
pub mod entity;
pub mod journey;
pub mod outreach;
pub mod places;
pub mod privacy;
pub mod round;
pub mod status;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::Error;

/// Connects to `url`; an SQLite database is switched to WAL mode.
#[tracing::instrument(skip_all)]
pub async fn connect(url: &str) -> Result<DatabaseConnection, Error> {
    if !(url.starts_with("sqlite:")
        || url.starts_with("postgres://")
        || url.starts_with("postgresql://"))
    {
        return Err(Error::Config(format!(
            "DATABASE_URL must start with sqlite: or postgres://, got `{url}`"
        )));
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    // Broken connections surface as errors on use anyway; pinging on every
    // checkout costs a round trip per statement.
    options.test_before_acquire(false);
    if url.starts_with("sqlite:") {
        // SQLite has one writer at a time. Several pooled connections would
        // contend for the write lock and back off with sleeps (SQLite's busy
        // handler); one connection queues writers in the pool instead.
        options.max_connections(1).min_connections(1);
        // Set on every connection the pool opens (a PRAGMA run once reaches
        // only one): WAL, and fsync at checkpoints rather than every commit.
        // A committed transaction survives a crash of the process; after a
        // power loss the last commits before the checkpoint may be lost.
        options.map_sqlx_sqlite_opts(|o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
        });
    }
    let db = Database::connect(options).await?;
    Ok(db)
}

/// Applies every pending migration.
#[tracing::instrument(skip_all)]
pub async fn migrate(db: &DatabaseConnection) -> Result<(), Error> {
    Migrator::up(db, None).await?;
    Ok(())
}
