//! The respondent API on both databases: autosave with optimistic
//! concurrency, bad input, submit and reopen, one link per municipality.

use reqwest::Method;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{TestApp, on_both_databases, spawn_app};

async fn started(app: &TestApp, municipality: &str) -> (String, i64) {
    let token = app.invite(municipality, None).await;
    let (status, body) = app
        .send(
            Method::POST,
            &format!("/api/r/{token}/responses"),
            json!({}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    (token, body["id"].as_i64().unwrap())
}

async fn put(app: &TestApp, token: &str, id: i64, body: Value) -> (u16, Value) {
    app.send(Method::PUT, &format!("/api/r/{token}/responses/{id}"), body)
        .await
}

on_both_databases! {
    async fn autosave_resume_and_the_answer_log(kind: Db) {
        let app = spawn_app(kind).await;
        let (token, id) = started(&app, "3401").await;
        let (status, body) = put(&app, &token, id, json!({"version": 1, "values": {"fylke": "34", "kommune": "3401", "gate": 1, "1.10.1": "4,5", "1.9": [2, 0]}})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["version"], 2);
        assert_eq!(body["branch"], 1);
        // Stored typed and canonical: "4,5" is 4.5, choices sorted.
        assert_eq!(body["answers"]["values"]["1.10.1"], json!(4.5));
        assert_eq!(body["answers"]["values"]["1.9"], json!([0, 2]));
        // Resume from another device: same link, same answers.
        let (_, loaded) = app.send(Method::GET, &format!("/api/r/{token}/responses/{id}"), json!(null)).await;
        assert_eq!(loaded["answers"], body["answers"]);
        // Clearing an answer is logged too.
        let (status, _) = put(&app, &token, id, json!({"version": 2, "values": {"fylke": "34", "kommune": "3401", "gate": 1}})).await;
        assert_eq!(status, 200);
        let log = omfang::db::journey::log(&app.conn, id as i32).await.unwrap();
        let entries: Vec<(String, Option<String>, i64)> = log.into_iter().map(|l| (l.item_id, l.value, l.version)).collect();
        assert!(entries.contains(&("1.10.1".into(), Some("4.5".into()), 2)), "{entries:?}");
        assert!(entries.contains(&("1.10.1".into(), None, 3)), "{entries:?}");
        assert!(entries.contains(&("kommune".into(), Some("\"3401\"".into()), 1)), "prefill is logged: {entries:?}");
    }

    async fn a_stale_tab_gets_409_and_nothing_is_lost(kind: Db) {
        let app = spawn_app(kind).await;
        let (token, id) = started(&app, "0301").await;
        let (s, first) = put(&app, &token, id, json!({"version": 1, "values": {"gate": 2, "2.1": "Helsestasjon"}})).await;
        assert_eq!(s, 200);
        // A second tab still on version 1 writes something else.
        let (s, body) = put(&app, &token, id, json!({"version": 1, "values": {"gate": 3}})).await;
        assert_eq!(s, 409, "{body}");
        assert_eq!(body["error"], "conflict");
        assert!(body["message"].as_str().unwrap().contains("ingenting er tapt"));
        assert_eq!(body["current"]["answers"], first["answers"]);
        assert_eq!(body["current"]["version"], 2);
        let (_, now) = app.send(Method::GET, &format!("/api/r/{token}/responses/{id}"), json!(null)).await;
        assert_eq!(now["answers"]["values"]["2.1"], "Helsestasjon");
    }

    async fn concurrent_saves_on_one_version_accept_exactly_one(kind: Db) {
        let app = spawn_app(kind).await;
        let (token, id) = started(&app, "0301").await;
        let url = format!("{}/api/r/{token}/responses/{id}", app.address);
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..8 {
            let (client, url) = (app.client.clone(), url.clone());
            tasks.spawn(async move {
                let body = json!({"version": 1, "values": {"gate": 2, "2.1": format!("tjeneste {i}")}});
                client.put(url).json(&body).send().await.unwrap().status().as_u16()
            });
        }
        let statuses: Vec<u16> = tasks.join_all().await;
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
        assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    }

    async fn bad_input_is_a_clear_4xx_and_keeps_saved_answers(kind: Db) {
        let app = spawn_app(kind).await;
        let (token, id) = started(&app, "3401").await;
        let (_, saved) = put(&app, &token, id, json!({"version": 1, "values": {"gate": 1, "1.10": 5}})).await;
        let url = format!("{}/api/r/{token}/responses/{id}", app.address);
        let cases: Vec<(Value, u16, &str)> = vec![
            (json!({"version": 2, "values": {"gate": 1, "1.10": "abc"}}), 422, "Skriv et helt tall"),
            (json!({"version": 2, "values": {"gate": 1, "1.9": [0, 1, 2, 3, 4]}}), 422, "høyst 4"),
            (json!({"version": 2, "values": {"gate": 1, "1.7": {"lower": 20, "upper": 13}}}), 422, "Nedre aldersgrense"),
            (json!({"version": 2, "values": {"nope": 1}}), 422, "Ukjente spørsmål: nope"),
            (json!({"version": "two", "values": {}}), 422, "version"),
            (json!({"version": 2, "values": {}, "extra": 1}), 422, "unknown field"),
        ];
        for (body, want, text) in cases {
            let (status, resp) = put(&app, &token, id, body.clone()).await;
            assert_eq!(status, want, "{body}: {resp}");
            assert!(resp.to_string().contains(text), "{body}: {resp}");
        }
        let malformed = app.client.put(&url).header("content-type", "application/json").body("{\"version\": 2,").send().await.unwrap();
        assert_eq!(malformed.status().as_u16(), 400);
        let huge = json!({"version": 2, "values": {"1.33": "x".repeat(300 * 1024)}});
        let (status, _) = put(&app, &token, id, huge).await;
        assert_eq!(status, 413);
        let (_, now) = app.send(Method::GET, &format!("/api/r/{token}/responses/{id}"), json!(null)).await;
        assert_eq!(now["answers"], saved["answers"], "nothing already saved was touched");
        assert_eq!(now["version"], 2);
    }

    async fn submit_validates_on_the_server_and_reopen_allows_changes(kind: Db) {
        let app = spawn_app(kind).await;
        let (token, id) = started(&app, "3401").await;
        let (s, _) = put(&app, &token, id, json!({"version": 1, "values": {"fylke": "34", "kommune": "3401", "gate": 3}})).await;
        assert_eq!(s, 200);
        let submit_path = format!("/api/r/{token}/responses/{id}/submit");
        let (s, body) = app.send(Method::POST, &submit_path, json!({"version": 2})).await;
        assert_eq!(s, 422, "{body}");
        assert_eq!(body["report"]["items"]["navn"]["errors"][0]["message"], "Dette spørsmålet må besvares.");
        let full = json!({"version": 2, "values": {"fylke": "34", "kommune": "3401", "navn": "Kari", "stilling": "Rådgiver",
            "gate": 3, "3.2": 2, "3.3": 3, "3.4": 2, "3.6": 1}});
        let (s, _) = put(&app, &token, id, full).await;
        assert_eq!(s, 200);
        let (s, body) = app.send(Method::POST, &submit_path, json!({"version": 3})).await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(body["state"]["status"], "submitted");
        // A draft write after submission is refused, and says why.
        let (s, body) = put(&app, &token, id, json!({"version": 4, "values": {"gate": 3}})).await;
        assert_eq!(s, 409);
        assert!(body["message"].as_str().unwrap().contains("allerede sendt inn"));
        let (s, body) = app.send(Method::POST, &format!("/api/r/{token}/responses/{id}/reopen"), json!({"version": 4})).await;
        assert_eq!((s, body["status"].as_str()), (200, Some("draft")));
        assert_eq!(body["answers"]["values"]["navn"], "Kari");
    }

    async fn one_link_answers_per_service_and_sees_only_its_own(kind: Db) {
        let app = spawn_app(kind).await;
        let (token, first) = started(&app, "5001").await;
        let (s, second) = app.send(Method::POST, &format!("/api/r/{token}/responses"), json!({})).await;
        assert_eq!(s, 201);
        let (_, view) = app.send(Method::GET, &format!("/api/r/{token}"), json!(null)).await;
        assert_eq!(view["municipality_name"], "Trondheim");
        assert_eq!(view["responses"].as_array().unwrap().len(), 2);
        assert_eq!(second["answers"]["values"]["kommune"], "5001", "the header is prefilled");
        let (other, _) = started(&app, "0301").await;
        let (s, _) = app.send(Method::GET, &format!("/api/r/{other}/responses/{first}"), json!(null)).await;
        assert_eq!(s, 404, "another link cannot read this response");
        let (s, _) = app.send(Method::GET, "/api/r/not-a-token", json!(null)).await;
        assert_eq!(s, 404);
        // Tokens are stored only as hashes.
        let rows = omfang::db::entity::invitation::Entity::find().all(&app.conn).await.unwrap();
        assert!(rows.iter().all(|r| r.token_sha256.len() == 64 && r.token_sha256 != token && !format!("{r:?}").contains(&token)));
    }

    async fn registry_import_is_all_or_nothing(kind: Db) {
        let app = spawn_app(kind).await;
        let header = "municipality_number,name,sami_name,county_number,county_name,population,language_form\n";
        let bad = format!("{header}0301,Oslo,,03,Oslo,720000,Nøytral\n301,Feil,,03,Oslo,1,\n5001,Trondheim,,50,Trøndelag,ti tusen,\n0301,Oslo,,03,Oslo,1,\n");
        let err = omfang::db::places::import(&app.conn, &bad, 2025).await.unwrap_err().to_string();
        assert!(err.contains("line 3: municipality number `301` is not 4 digits"), "{err}");
        assert!(err.contains("line 4: population `ti tusen` is not a whole number"), "{err}");
        assert!(err.contains("line 5: municipality 0301 appears twice"), "{err}");
        assert!(omfang::db::places::load(&app.conn, 2025).await.is_err(), "nothing was imported");
        let good = format!("{header}0301,Oslo,,03,Oslo,720000,Nøytral\n3401,Kongsvinger,,34,Innlandet,18000,Bokmål\n");
        assert_eq!(omfang::db::places::import(&app.conn, &good, 2025).await.unwrap(), 2);
        let reg = omfang::db::places::load(&app.conn, 2025).await.unwrap();
        assert_eq!(reg.municipalities.len(), 2);
        assert_eq!(omfang::db::places::load(&app.conn, 2024).await.unwrap().municipalities.len(), 357, "other years untouched");
    }
}

on_both_databases! {
    async fn a_closed_round_refuses_writes_in_norwegian_and_keeps_the_answers(db: Db) {
        let app = crate::helpers::spawn_app(db).await;
        let token = app.invite("1103", None).await;
        let (status, created) = app.send(reqwest::Method::POST, &format!("/api/r/{token}/responses"), serde_json::json!({})).await;
        assert_eq!(status, 201);
        let id = created["id"].as_i64().unwrap();
        let path = format!("/api/r/{token}/responses/{id}");
        let (status, _) = app.send(reqwest::Method::PUT, &path, serde_json::json!({"version": 1, "values": {"gate": 3}})).await;
        assert_eq!(status, 200);
        let past = chrono::Utc::now() - chrono::Duration::minutes(1);
        omfang::db::round::set_window(&app.conn, "korus-2025", None, Some(past)).await.unwrap();
        // The server rechecks a round at most once a second.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let (status, body) = app.send(reqwest::Method::PUT, &path, serde_json::json!({"version": 2, "values": {"gate": 1}})).await;
        assert_eq!(status, 403, "{body}");
        assert_eq!(body["error"], "closed");
        assert!(body["message"].as_str().unwrap().starts_with("Undersøkelsen ble stengt for svar"), "{body}");
        for (method, p) in [
            (reqwest::Method::POST, format!("/api/r/{token}/responses")),
            (reqwest::Method::POST, format!("{path}/submit")),
            (reqwest::Method::POST, format!("{path}/reopen")),
        ] {
            let (status, body) = app.send(method, &p, serde_json::json!({"version": 2})).await;
            assert_eq!(status, 403, "{p}: {body}");
        }
        let (status, now) = app.get(&path).await;
        assert_eq!(status, 200);
        let now: serde_json::Value = serde_json::from_str(&now).unwrap();
        assert_eq!(now["version"], 2);
        assert_eq!(now["answers"]["values"]["gate"], 3, "the saved answer is kept");
    }
}

on_both_databases! {
    async fn one_link_is_bounded_in_responses_and_confirmations(kind: Db) {
        let app = spawn_app(kind).await;
        let (token, id) = started(&app, "1103").await;
        // Confirmations the definition cannot produce are not stored.
        let mut confirmed: Vec<String> = (0..7000).map(|i| format!("junk/{i}")).collect();
        confirmed.push("1.18/check:b1_tre_partnere".into());
        let (status, body) = app
            .send(
                Method::PUT,
                &format!("/api/r/{token}/responses/{id}"),
                json!({"version": 1, "values": {"gate": 1}, "confirmed": confirmed}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["answers"]["confirmed"], json!(["1.18/check:b1_tre_partnere"]));
        // One link holds a bounded number of responses; the refusal is Norwegian.
        for _ in 1..omfang::db::journey::MAX_RESPONSES_PER_LINK {
            let (status, body) = app.send(Method::POST, &format!("/api/r/{token}/responses"), json!({})).await;
            assert_eq!(status, 201, "{body}");
        }
        let (status, body) = app.send(Method::POST, &format!("/api/r/{token}/responses"), json!({})).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["message"].as_str().unwrap().contains("flere kan ikke startes"), "{body}");
    }
}
