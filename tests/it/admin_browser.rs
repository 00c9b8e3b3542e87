//! The administrator in headless Chromium: created with the CLI, logs in at
//! `/admin`, and watches the dashboard move as a respondent submits.

use std::io::Write;
use std::process::{Command, Stdio};

use reqwest::Method;
use serde_json::json;

use crate::browser::session;
use crate::durability::omfang_binary;
use crate::helpers::Db;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_logs_in_and_watches_the_dashboard_move() {
    let s = session(Db::Sqlite).await;
    // The database URL of the running app: add the administrator with the CLI.
    let url = s.app.database_url().to_owned();
    let mut child = Command::new(omfang_binary())
        .args(["user", "add", "--role", "admin", "leder@korus.no"])
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"et-langt-admin-passord\n")
        .unwrap();
    assert!(child.wait().unwrap().success());

    s.open("/admin").await;
    s.find("#login-email").await;
    s.type_into("#login-email", "leder@korus.no").await;
    s.type_into("#login-password", "feil-passord-123").await;
    s.click("button.primary").await;
    s.expect_text("#login-error", "Feil e-postadresse eller passord.")
        .await;
    s.screenshot("admin-login").await;
    // The form comes back empty after a failed attempt.
    s.type_into("#login-email", "leder@korus.no").await;
    s.type_into("#login-password", "et-langt-admin-passord")
        .await;
    s.click("button.primary").await;
    s.expect_text("#answered", "0 av 357 kommuner har sendt inn svar.")
        .await;

    // A respondent in Kongsvinger answers branch 3 and submits.
    let token = s.app.invite("3401", None).await;
    let (_, created) = s
        .app
        .send(
            Method::POST,
            &format!("/api/r/{token}/responses"),
            json!({}),
        )
        .await;
    let id = created["id"].as_i64().unwrap();
    let full = json!({"version": 1, "values": {"fylke": "34", "kommune": "3401", "navn": "Kari", "stilling": "Rådgiver",
        "gate": 3, "3.2": 2, "3.3": 3, "3.4": 2, "3.6": 1}});
    let (code, _) = s
        .app
        .send(Method::PUT, &format!("/api/r/{token}/responses/{id}"), full)
        .await;
    assert_eq!(code, 200);
    let (code, _) = s
        .app
        .send(
            Method::POST,
            &format!("/api/r/{token}/responses/{id}/submit"),
            json!({"version": 2}),
        )
        .await;
    assert_eq!(code, 200);

    // The dashboard refreshes by itself.
    s.expect_text_within("#answered", "1 av 357 kommuner har sendt inn svar.", 20)
        .await;
    assert!(
        s.text(".dashboard")
            .await
            .contains("356 kommuner har ikke svart")
    );
    s.screenshot("admin-dashboard").await;
}
