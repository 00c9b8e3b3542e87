//! Coding of free text through the researchers' API, on both databases:
//! a frame over the «success factors» text items, two codes, three answers
//! coded (one by a marked passage), counts by code and group, quotes
//! attributed by size class and never by name, a code taken away again,
//! and every change in the audit trail.

use reqwest::Method;
use serde_json::{Value, json};

use crate::access::{call, login};
use crate::helpers::{TestApp, on_both_databases, spawn_app};
use crate::research::omfang;

async fn answered(app: &TestApp, municipality: &str, county: &str, text: &str) -> i64 {
    let token = app.invite(municipality, None).await;
    let (_, body) = app
        .send(
            Method::POST,
            &format!("/api/r/{token}/responses"),
            json!({}),
        )
        .await;
    let id = body["id"].as_i64().unwrap();
    let (status, body) = app
        .send(
            Method::PUT,
            &format!("/api/r/{token}/responses/{id}"),
            json!({"version": body["version"], "values": {"fylke": county, "kommune": municipality, "gate": 1, "1.19": text}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    id
}

async fn api(
    app: &TestApp,
    cookie: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let (status, text) = call(app, Some(cookie), &method, path, body.as_ref()).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

on_both_databases! {
    async fn free_text_is_coded_counted_and_quoted_without_names(db: Db) {
        let app = spawn_app(db).await;
        use omfang::db::accounts::{Role, add_user};
        use omfang::domain::EmailAddress;
        add_user(&app.conn, &EmailAddress::parse("forsker@korus.no").unwrap(), Role::Researcher, "forsker-passord-2025").await.unwrap();
        let (_, cookie) = login(&app, "forsker@korus.no", "forsker-passord-2025").await;
        let cookie = cookie.unwrap();
        let big = answered(&app, "1103", "11", "Tillit over tid og faste folk i feltet.").await;
        let medium = answered(&app, "3401", "34", "Godt samarbeid med skolen.").await;
        let small = answered(&app, "1144", "11", "Vi kjenner alle ungdommene.").await;

        let base = "/api/research/rounds/korus-2025/coding";
        let (status, overview) = api(&app, &cookie, Method::GET, base, None).await;
        assert_eq!(status, 200, "{overview}");
        assert!(overview["items"].as_array().unwrap().iter().any(|i| i["id"] == "1.19"), "{overview}");
        assert!(!overview["items"].as_array().unwrap().iter().any(|i| i["id"] == "navn"), "personal items are not offered for coding");
        let (status, refused) = api(&app, &cookie, Method::POST, base, Some(json!({"name": "Feil", "items": ["gate"]}))).await;
        assert_eq!(status, 400, "a choice item is not free text: {refused}");
        let (status, created) = api(&app, &cookie, Method::POST, base, Some(json!({"name": "Suksessfaktorer", "items": ["1.19", "2.19"]}))).await;
        assert_eq!(status, 201, "{created}");
        let frame = format!("{base}/{}", created["id"]);
        for (label, description) in [("Relasjon og tillit", "Tillit, kontinuitet, kjennskap"), ("Samarbeid", "Samarbeid med andre tjenester")] {
            let (status, body) = api(&app, &cookie, Method::POST, &format!("{frame}/codes"), Some(json!({"label": label, "description": description}))).await;
            assert_eq!(status, 201, "{body}");
        }
        for (id, code, passage) in [(big, 1, Some("Tillit over tid")), (small, 1, None), (medium, 2, None), (big, 2, None)] {
            let mut body = json!({"respondent": format!("svar-{id}"), "item": "1.19", "code": code, "on": true});
            if let Some(p) = passage {
                body["passage"] = json!(p);
            }
            let (status, text) = api(&app, &cookie, Method::POST, &format!("{frame}/assignments"), Some(body)).await;
            assert_eq!(status, 204, "{text}");
        }
        // Taking a code away again.
        let (status, _) = api(&app, &cookie, Method::POST, &format!("{frame}/assignments"), Some(json!({"respondent": format!("svar-{big}"), "item": "1.19", "code": 2, "on": false}))).await;
        assert_eq!(status, 204);
        // A quote is the respondent's own words: a passage not in the
        // answer is refused, and so is a code on an answer never given.
        let (status, text) = api(&app, &cookie, Method::POST, &format!("{frame}/assignments"), Some(json!({"respondent": format!("svar-{big}"), "item": "1.19", "code": 1, "on": true, "passage": "dette står ikke i svaret"}))).await;
        assert_eq!(status, 400, "{text}");
        assert!(text["message"].as_str().unwrap().contains("står ikke i svaret"), "{text}");
        let (status, text) = api(&app, &cookie, Method::POST, &format!("{frame}/assignments"), Some(json!({"respondent": format!("svar-{big}"), "item": "2.19", "code": 1, "on": true}))).await;
        assert_eq!(status, 400, "{text}");

        let (status, view) = api(&app, &cookie, Method::GET, &frame, None).await;
        assert_eq!(status, 200, "{view}");
        assert_eq!(view["answers"].as_array().unwrap().len(), 3, "{view}");
        let codes = view["codes"].as_array().unwrap();
        assert_eq!((codes[0]["count"].as_u64(), codes[1]["count"].as_u64()), (Some(2), Some(1)), "{view}");
        assert_eq!(codes[0]["by_service_type"], json!([["Egen oppsøkende tjeneste", 2]]), "{view}");
        assert_eq!(
            codes[0]["by_size_class"],
            json!([["Små kommuner (under 5000)", 1], ["Store kommuner (20000 eller flere)", 1]]),
            "small before large: {view}"
        );
        let quotes: Vec<(String, String)> = codes[0]["quotes"].as_array().unwrap().iter()
            .map(|q| (q["text"].as_str().unwrap().to_owned(), q["attribution"].as_str().unwrap().to_owned()))
            .collect();
        assert!(quotes.contains(&("Tillit over tid".into(), "en stor kommune".into())), "the marked passage, attributed by size: {quotes:?}");
        assert!(quotes.contains(&("Vi kjenner alle ungdommene.".into(), "en liten kommune".into())), "{quotes:?}");
        // The coder reads each answer with its municipality; the quotes
        // and counts that leave the page never name it.
        assert_eq!(view["answers"][0]["municipality"], "Stavanger", "{view}");
        let text = view["codes"].to_string();
        for name in ["Stavanger", "Kongsvinger", "Kvitsøy", "1103", "3401", "1144"] {
            assert!(!text.contains(name), "quotes never name the municipality ({name}): {text}");
        }
        // The codes are variables: exported as 0/1 columns and cross-tabulated.
        let url = app.database_url();
        let out = omfang(url, &["analyse", "crosstab", "--round", "korus-2025", "--item", "kf1", "--by", "size-class", "--format", "json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let table: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!((table["kind"].as_str(), table["n"].as_u64()), (Some("multiple"), Some(3)), "{table}");
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("rapport");
        let out = omfang(url, &["analyse", "report", "--round", "korus-2025", "--out", report.to_str().unwrap(), "--all-items"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let data = std::fs::read_to_string(report.join("data.csv")).unwrap();
        let mut lines = data.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let k1 = header.iter().position(|h| *h == "kf1_k1").expect("one 0/1 column per code");
        let key = header.iter().position(|h| *h == "respondent").unwrap();
        let ones: Vec<String> = lines
            .filter(|l| l.split(',').nth(k1) == Some("1"))
            .map(|l| l.split(',').nth(key).unwrap().to_owned())
            .collect();
        assert_eq!(ones.len(), 2, "{ones:?}");
        let codebook = std::fs::read_to_string(report.join("kodebok.csv")).unwrap();
        assert!(codebook.contains("Suksessfaktorer: Relasjon og tillit"), "{codebook}");

        let audit = omfang::db::accounts::audit_trail(&app.conn, 100).await.unwrap();
        let coded = audit.iter().filter(|e| e.action.starts_with("coding_")).count();
        assert_eq!(coded, 1 + 2 + 5, "frame, codes and every assignment are audited");
    }
}
