//! The read-only API the preview uses, on both databases.

use survey_definitions::{
    Answer, AnswerSet, Codebook, KORUS_2025, Mode, SurveyDefinition, validate,
};

use crate::helpers::{Db, on_both_databases, spawn_app, spawn_app_with};

on_both_databases! {
    async fn the_served_definition_is_the_shipped_one(kind: Db) {
        let app = spawn_app(kind).await;
        assert_eq!(app.db(), kind);
        let rounds: serde_json::Value = app.get_json("/api/rounds").await;
        assert_eq!(rounds[0]["survey_id"], "korus-2025");
        assert_eq!(rounds[0]["round_year"], 2025);
        let served: SurveyDefinition = app.get_json::<SurveyDefinition>("/api/rounds/korus-2025/definition").await.ready();
        let shipped = SurveyDefinition::parse(KORUS_2025).unwrap();
        // The browser's JSON form carries what respondents need (concepts
        // and derived variables are written but not read back).
        let without_codes = |def: &SurveyDefinition| {
            let mut items = Codebook::of(def).items;
            for i in &mut items {
                i.concept_codes.clear();
            }
            items
        };
        assert_eq!(without_codes(&served), without_codes(&shipped));
        // The browser's copy routes exactly like the server's.
        let answers = AnswerSet::default().with("gate", Answer::from(1)).with("1.16", Answer::from(1)).with("1.9", vec![0, 1, 2, 3, 4].into());
        assert_eq!(validate(&served, &answers, Mode::Complete), validate(&shipped, &answers, Mode::Complete));
        let (status, text) = app.get("/api/rounds/korus-2025/definition.toml").await;
        assert_eq!((status, text.as_str()), (200, KORUS_2025));
        let codebook: Codebook = app.get_json("/api/rounds/korus-2025/codebook").await;
        assert_eq!(codebook, Codebook::of(&shipped));
    }

    async fn unknown_things_are_json_404s(kind: Db) {
        let app = spawn_app(kind).await;
        let (status, body) = app.get("/api/rounds/finnes-ikke/definition").await;
        assert_eq!(status, 404);
        assert!(body.contains("survey round `finnes-ikke` not found"), "{body}");
        let (status, body) = app.get("/api/ingenting").await;
        assert_eq!((status, body.contains("\"not_found\"")), (404, true));
    }
}

#[tokio::test]
async fn the_registry_holds_every_municipality() {
    let app = spawn_app(Db::Sqlite).await;
    let reg: serde_json::Value = app.get_json("/api/registry").await;
    assert_eq!(reg["population_year"], 2024);
    assert_eq!(reg["counties"].as_array().unwrap().len(), 15);
    assert_eq!(reg["municipalities"].as_array().unwrap().len(), 357);
    let districts = reg["districts"].as_array().unwrap();
    assert!(districts.iter().any(|d| d["name"] == "Uteseksjonen"));
}

#[tokio::test]
async fn the_app_is_served_with_client_routes_falling_back_to_index() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>omfang-test</title>",
    )
    .unwrap();
    std::fs::write(dir.path().join("style.css"), "body{}").unwrap();
    let app = spawn_app_with(Db::Sqlite, Some(dir.path().to_owned())).await;
    for path in ["/", "/svar/abc", "/forhandsvisning"] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(body.contains("omfang-test"), "{path}: {body}");
    }
    assert_eq!(app.get("/style.css").await, (200, "body{}".to_owned()));
}

#[tokio::test]
async fn without_a_built_app_a_notice_is_served() {
    let app = spawn_app(Db::Sqlite).await;
    let (status, body) = app.get("/").await;
    assert_eq!(status, 503);
    assert!(body.contains("cargo xtask serve"));
}

#[tokio::test]
async fn the_openapi_document_describes_the_respondent_api() {
    let app = spawn_app(Db::Sqlite).await;
    let doc: serde_json::Value = app.get_json("/api/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let save = &doc["paths"]["/api/r/{token}/responses/{id}"]["put"];
    for status in ["200", "400", "409", "413", "422", "404"] {
        assert!(
            save["responses"].get(status).is_some(),
            "PUT save documents {status}"
        );
    }
    for path in [
        "/api/r/{token}",
        "/api/r/{token}/responses",
        "/api/r/{token}/responses/{id}/submit",
        "/api/rounds",
        "/api/registry",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
    for schema in [
        "ResponseState",
        "SaveRequest",
        "InvitationView",
        "ErrorResponse",
        "Registry",
    ] {
        assert!(
            doc["components"]["schemas"].get(schema).is_some(),
            "schema {schema}"
        );
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
    let app = spawn_app_with(Db::Sqlite, Some(dir.path().to_owned())).await;
    let client = reqwest::Client::new();
    for path in [
        "/",
        "/svar/abc/1/side/b1_om",
        "/api/health",
        "/api/finnes-ikke",
    ] {
        let resp = client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        let h = resp.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'")
                && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            h["referrer-policy"], "no-referrer",
            "{path}: the link's token must not leak"
        );
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
    }
}
