//! Storage on both databases: migrations, the shipped round, idempotent loading.

use omfang::db::{self, round};
use survey_definitions::KORUS_2025;

use crate::helpers::{Db, fresh_database, on_both_databases};

async fn connected(
    db: Db,
) -> (
    sea_orm::DatabaseConnection,
    (tempfile::TempDir, crate::helpers::DatabaseGuard),
) {
    let dir = tempfile::tempdir().unwrap();
    let (url, guard) = fresh_database(db, dir.path()).await;
    let conn = db::connect(&url).await.expect("connects");
    db::migrate(&conn).await.expect("migrates");
    (conn, (dir, guard))
}

on_both_databases! {
    async fn loading_a_definition_is_idempotent(kind: Db) {
        let (conn, _dir) = connected(kind).await;
        let first = round::ensure(&conn, KORUS_2025).await.unwrap();
        let again = round::ensure(&conn, KORUS_2025).await.unwrap();
        assert_eq!(first, again);
        assert_eq!(round::list(&conn).await.unwrap().len(), 1);
        assert_eq!(first.definition_sha256, round::sha256(KORUS_2025));
        assert_eq!(first.definition, KORUS_2025, "the text is stored byte for byte");
        // Migrating twice is harmless.
        db::migrate(&conn).await.unwrap();
    }

    async fn a_changed_definition_replaces_the_round_text(kind: Db) {
        let (conn, _dir) = connected(kind).await;
        round::ensure(&conn, KORUS_2025).await.unwrap();
        let edited = KORUS_2025.replace("Omfangsundersøkelse for oppsøkende ungdomsarbeid 2025\"", "Omfangsundersøkelse 2025 (rettet)\"");
        assert_ne!(edited, KORUS_2025);
        let updated = round::ensure(&conn, &edited).await.unwrap();
        assert_eq!(updated.title, "Omfangsundersøkelse 2025 (rettet)");
        assert_eq!(round::list(&conn).await.unwrap().len(), 1);
        assert_eq!(round::find(&conn, "korus-2025").await.unwrap().definition_sha256, round::sha256(&edited));
    }

    async fn a_broken_definition_is_refused_and_nothing_is_stored(kind: Db) {
        let (conn, _dir) = connected(kind).await;
        let broken = KORUS_2025.replace("relevant = \"$1.16 == 1\"", "relevant = \"$1.16 == 9\"");
        let err = round::ensure(&conn, &broken).await.unwrap_err();
        assert!(err.to_string().contains("invalid survey definition"), "{err}");
        assert!(round::list(&conn).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_bad_database_url_is_a_clear_error() {
    let err = db::connect("mysql://x").await.unwrap_err();
    assert!(
        err.to_string()
            .contains("DATABASE_URL must start with sqlite: or postgres://"),
        "{err}"
    );
}
