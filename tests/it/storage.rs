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

    async fn once_answered_only_the_wording_of_a_definition_may_change(kind: Db) {
        let (conn, _dir) = connected(kind).await;
        omfang::db::places::seed_shipped(&conn).await.unwrap();
        let first = round::ensure(&conn, KORUS_2025).await.unwrap();
        assert_eq!(first.definition_version, 1);
        let m = omfang::domain::MunicipalityNumber::parse("1103").unwrap();
        let e = omfang::domain::EmailAddress::parse("a@b.no").unwrap();
        let (inv, _) = omfang::db::journey::create_invitation(&conn, "korus-2025", &m, None, &e).await.unwrap();
        let def = survey_definitions::SurveyDefinition::parse(KORUS_2025).unwrap();
        omfang::db::journey::start(&conn, &def, &inv).await.unwrap();

        let recoded = KORUS_2025.replacen("{ code = 3, label = \"Vet ikke.\" },\n]\n\n[[sections.items]]\nid = \"3.3\"", "{ code = 9, label = \"Vet ikke.\" },\n]\n\n[[sections.items]]\nid = \"3.3\"", 1);
        assert_ne!(recoded, KORUS_2025);
        let err = round::ensure(&conn, &recoded).await.unwrap_err().to_string();
        assert!(err.contains("frozen") && err.contains("item 3.2: code 3 was removed") && err.contains("item 3.2: code 9 was added"), "{err}");
        assert_eq!(round::find(&conn, "korus-2025").await.unwrap().definition_sha256, round::sha256(KORUS_2025), "nothing changed");

        let reworded = KORUS_2025.replace("Utfører kommunen oppsøkende arbeid særlig rettet mot barn og unge?", "Utfører kommunen oppsøkende arbeid rettet mot barn og unge?");
        let corrected = round::ensure(&conn, &reworded).await.unwrap();
        assert_eq!(corrected.definition_version, 2);
        // The shipped text no longer replaces an answered, corrected round.
        let kept = round::ensure_shipped(&conn, KORUS_2025).await.unwrap();
        assert_eq!(kept.definition_sha256, round::sha256(&reworded));

        // The answering window.
        let now = chrono::Utc::now();
        assert!(round::set_window(&conn, "korus-2025", Some(now), Some(now - chrono::Duration::days(1))).await.is_err());
        let r = round::set_window(&conn, "korus-2025", None, Some(now - chrono::Duration::hours(1))).await.unwrap();
        let closed = round::window_check(r.opens_at, r.closes_at, now).unwrap_err();
        assert!(closed.starts_with("Undersøkelsen ble stengt for svar"), "{closed}");
        assert!(round::window_check(None, Some(now + chrono::Duration::hours(1)), now).is_ok());
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
