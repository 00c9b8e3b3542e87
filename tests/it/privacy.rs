//! A person's data on request (export, erasure) and a round's retention
//! purge, through the CLI on both databases: identifying data goes, the
//! anonymous answers stay.

use std::process::{Command, Output};

use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::durability::omfang_binary;
use crate::helpers::{on_both_databases, spawn_app};

fn omfang(url: &str, args: &[&str]) -> Output {
    Command::new(omfang_binary())
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

async fn answered(app: &crate::helpers::TestApp, municipality: &str, name: &str) -> (i64, String) {
    use omfang::domain::{EmailAddress, MunicipalityNumber};
    let email = format!(
        "{}@kommune.no",
        name.split(' ').next().unwrap().to_lowercase()
    );
    let (_, token) = omfang::db::journey::create_invitation(
        &app.conn,
        "korus-2025",
        &MunicipalityNumber::parse(municipality).unwrap(),
        None,
        &EmailAddress::parse(&email).unwrap(),
    )
    .await
    .unwrap();
    let token = token.expose().to_owned();
    let (_, created) = app
        .send(
            Method::POST,
            &format!("/api/r/{token}/responses"),
            json!({}),
        )
        .await;
    let id = created["id"].as_i64().unwrap();
    let values = json!({"version": 1, "values": {"navn": name, "stilling": "Rådgiver", "gate": 3, "3.2": 2}});
    let (code, _) = app
        .send(
            Method::PUT,
            &format!("/api/r/{token}/responses/{id}"),
            values,
        )
        .await;
    assert_eq!(code, 200);
    (id, token)
}

on_both_databases! {
    async fn a_person_is_exported_and_erased_and_a_round_purged(db: Db) {
        let app = spawn_app(db).await;
        let url = app.database_url().to_owned();
        let (kari, _) = answered(&app, "3401", "Kari Nordmann").await;
        let (ola, ola_token) = answered(&app, "1103", "Ola Hansen").await;
        // Ola submits: his name reaches a research export only when an administrator asks.
        let full = json!({"version": 2, "values": {"fylke": "11", "kommune": "1103", "navn": "Ola Hansen", "stilling": "Rådgiver",
            "gate": 3, "3.2": 2, "3.3": 3, "3.4": 2, "3.6": 1}});
        let (code, body) = app.send(Method::PUT, &format!("/api/r/{ola_token}/responses/{ola}"), full).await;
        assert_eq!(code, 200, "{body}");
        let (code, body) = app.send(Method::POST, &format!("/api/r/{ola_token}/responses/{ola}/submit"), json!({"version": 3})).await;
        assert_eq!(code, 200, "{body}");
        let reports = tempfile::tempdir().unwrap();
        let plain = reports.path().join("uten");
        let named = reports.path().join("med");
        assert!(omfang(&url, &["analyse", "report", "--round", "korus-2025", "--out", plain.to_str().unwrap()]).status.success());
        assert!(omfang(&url, &["analyse", "report", "--round", "korus-2025", "--out", named.to_str().unwrap(), "--include-personal", "--by", "admin@korus.no"]).status.success());
        assert!(!std::fs::read_to_string(plain.join("data.csv")).unwrap().contains("Ola Hansen"));
        assert!(std::fs::read_to_string(named.join("data.csv")).unwrap().contains("Ola Hansen"));

        let out = omfang(&url, &["person", "export", "--email", "KARI@kommune.no", "--by", "admin@korus.no"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let export: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(export["invitations"][0]["responses"][0]["answers"]["navn"], "Kari Nordmann");

        let refused = omfang(&url, &["person", "erase", "--email", "kari@kommune.no", "--confirm", "kari@kommune.n", "--by", "admin@korus.no"]);
        assert!(!refused.status.success());
        assert!(String::from_utf8_lossy(&refused.stderr).contains("cannot be undone"));
        let out = omfang(&url, &["person", "erase", "--email", "kari@kommune.no", "--confirm", "kari@kommune.no", "--by", "admin@korus.no"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

        use omfang::db::entity::{answer, answer_log, invitation, personal_answer};
        // Name and position were stored apart from the answers, and never logged.
        let answers: Vec<String> = answer::Entity::find().filter(answer::Column::ResponseId.eq(kari as i32)).all(&app.conn).await.unwrap().into_iter().map(|a| a.item_id).collect();
        assert!(answers.contains(&"gate".to_owned()) && answers.contains(&"3.2".to_owned()), "anonymous answers stay: {answers:?}");
        assert!(!answers.contains(&"navn".to_owned()) && !answers.contains(&"stilling".to_owned()), "{answers:?}");
        let personal = personal_answer::Entity::find().filter(personal_answer::Column::ResponseId.eq(kari as i32)).all(&app.conn).await.unwrap();
        assert!(personal.is_empty(), "erased: {personal:?}");
        let logged = answer_log::Entity::find().filter(answer_log::Column::ResponseId.eq(kari as i32)).filter(answer_log::Column::ItemId.is_in(["navn", "stilling"])).all(&app.conn).await.unwrap();
        assert!(logged.is_empty(), "personal answers are not in the answer log: {logged:?}");
        let again: Value = serde_json::from_slice(&omfang(&url, &["person", "export", "--email", "kari@kommune.no", "--by", "admin@korus.no"]).stdout).unwrap();
        assert_eq!(again["invitations"], json!([]));
        let audit = String::from_utf8_lossy(&omfang(&url, &["audit", "export"]).stdout).into_owned();
        assert!(audit.contains("person_erased") && !audit.contains("kari@kommune.no"), "logged without the address: {audit}");
        // Ola is untouched: his name is in the personal table, not with the answers.
        let ola_personal = personal_answer::Entity::find().filter(personal_answer::Column::ResponseId.eq(ola as i32)).all(&app.conn).await.unwrap();
        let mut ola_personal: Vec<(String, String)> = ola_personal.into_iter().map(|p| (p.item_id, p.value)).collect();
        ola_personal.sort();
        assert_eq!(ola_personal, [("navn".to_owned(), "\"Ola Hansen\"".to_owned()), ("stilling".to_owned(), "\"Rådgiver\"".to_owned())]);
        let ola_answers = answer::Entity::find().filter(answer::Column::ResponseId.eq(ola as i32)).all(&app.conn).await.unwrap();
        assert!(ola_answers.iter().all(|a| a.item_id != "navn" && a.item_id != "stilling"), "{ola_answers:?}");

        // Retention: no date, a date ahead, then a date passed.
        let out = omfang(&url, &["round", "purge", "--round", "korus-2025", "--by", "admin@korus.no"]);
        assert!(String::from_utf8_lossy(&out.stderr).contains("no retention date"));
        assert!(omfang(&url, &["round", "dates", "--round", "korus-2025", "--retention", "2099-01-01"]).status.success());
        let out = omfang(&url, &["round", "purge", "--round", "korus-2025", "--by", "admin@korus.no"]);
        assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was purged"));
        assert!(omfang(&url, &["round", "dates", "--round", "korus-2025", "--retention", "2020-01-01"]).status.success());
        let out = omfang(&url, &["round", "purge", "--round", "korus-2025", "--by", "admin@korus.no"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let emails: Vec<String> = invitation::Entity::find().all(&app.conn).await.unwrap().into_iter().map(|i| i.email).collect();
        assert!(emails.iter().all(|e| e == omfang::db::privacy::ERASED), "{emails:?}");
        let ola_answers = answer::Entity::find().filter(answer::Column::ResponseId.eq(ola as i32)).all(&app.conn).await.unwrap();
        assert!(ola_answers.iter().any(|a| a.item_id == "gate"), "answers stay after the purge");
        let left = personal_answer::Entity::find().all(&app.conn).await.unwrap();
        assert!(left.is_empty(), "the purge takes every personal answer: {left:?}");
    }
}
