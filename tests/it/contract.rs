//! The HTTP API keeps its OpenAPI contract: schemathesis (PyPI) generates
//! requests from `/api/openapi.json` with a bounded budget, anonymously and
//! as an administrator, and finds no server error, no undocumented status,
//! content type or header, and no response off its schema.
//!
//! One check is left out: `positive_data_acceptance` counts a schema-valid
//! request refused by the business rules (an item id that does not exist,
//! a survey that is not loaded) as a failure; those 400s are right.

use std::process::Command;

use serde_json::json;

use crate::helpers::{Db, spawn_app};

fn schemathesis() -> String {
    let python = std::env::var("OMFANG_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python)
        .args([
            "-c",
            "import os, sys; print(os.path.join(os.path.dirname(sys.executable), 'st'))",
        ])
        .output()
        .expect("python3");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn run(address: &str, cookie: Option<&str>) {
    let mut cmd = Command::new(schemathesis());
    cmd.args([
        "run",
        &format!("{address}/api/openapi.json"),
        "--max-examples",
        "25",
        "--no-color",
    ])
    .args(["--exclude-checks", "positive_data_acceptance"])
    .args([
        "--exclude-path",
        "/api/auth/logout",
        "--exclude-path",
        "/api/auth/password",
    ])
    .args(["--seed", "20251202"]);
    if let Some(c) = cookie {
        cmd.args(["-H", &format!("Cookie: {c}")]);
    }
    let out = cmd
        .output()
        .expect("schemathesis (run `cargo xtask ci`, which installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    let summary: Vec<&str> = text.lines().filter(|l| l.contains("generated")).collect();
    eprintln!(
        "schemathesis ({}): {summary:?}",
        if cookie.is_some() {
            "administrator"
        } else {
            "anonymous"
        }
    );
    assert!(
        out.status.success(),
        "schemathesis found failures:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_keeps_its_openapi_contract() {
    let app = spawn_app(Db::Sqlite).await;
    // Query parameters are documented as query parameters.
    let doc: serde_json::Value = app.get_json("/api/openapi.json").await;
    let params = &doc["paths"]["/api/research/rounds/{survey}/crosstab"]["get"]["parameters"];
    for p in params.as_array().unwrap() {
        let want = if p["name"] == "survey" {
            "path"
        } else {
            "query"
        };
        assert_eq!(p["in"], want, "{p}");
    }
    run(&app.address, None);
    use omfang::db::accounts::{Role, add_user};
    let email = omfang::domain::EmailAddress::parse("admin@korus.no").unwrap();
    add_user(
        &app.conn,
        &email,
        Role::Admin,
        "et-langt-admin-passord-for-kontrakten",
    )
    .await
    .unwrap();
    let login = app
        .client
        .post(format!("{}/api/auth/login", app.address))
        .json(&json!({"email": "admin@korus.no", "password": "et-langt-admin-passord-for-kontrakten"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status().as_u16(), 200);
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    run(&app.address, Some(&cookie));
}
