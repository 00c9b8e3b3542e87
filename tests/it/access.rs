//! Who gets what: every route of the API (as listed in the OpenAPI
//! document) walked as anonymous, respondent of municipality A, researcher
//! and administrator, on both databases; plus login rate limiting, the
//! CSRF guard, the audit trail and `omfang user add`.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

use reqwest::Method;
use serde_json::{Value, json};

use crate::durability::omfang_binary;
use crate::helpers::{Db, TestApp, on_both_databases, spawn_app};

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    RespondentA,
    Researcher,
    Admin,
}

const EVERYONE: [Who; 4] = [
    Who::Anonymous,
    Who::RespondentA,
    Who::Researcher,
    Who::Admin,
];
const RESEARCHER_PASSWORD: &str = "forsker-passord-2025";
const ADMIN_PASSWORD: &str = "admin-passord-2025!";

/// Logs in and returns the session cookie (`name=value`).
pub(crate) async fn login(app: &TestApp, email: &str, password: &str) -> (u16, Option<String>) {
    let resp = app
        .client
        .post(format!("{}/api/auth/login", app.address))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    let cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("omfang_session="))
        .map(|v| {
            assert!(v.contains("HttpOnly"), "{v}");
            assert!(v.contains("SameSite=Strict"), "{v}");
            v.split(';').next().unwrap().to_owned()
        });
    (resp.status().as_u16(), cookie)
}

pub(crate) async fn call(
    app: &TestApp,
    cookie: Option<&str>,
    method: &Method,
    path: &str,
    body: Option<&Value>,
) -> (u16, String) {
    let mut req = app
        .client
        .request(method.clone(), format!("{}{path}", app.address));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap())
}

on_both_databases! {
    async fn every_route_gives_each_kind_of_user_exactly_what_it_should(db: Db) {
        let app = spawn_app(db).await;
        use omfang::db::accounts::{Role, add_user};
        use omfang::domain::EmailAddress;
        add_user(&app.conn, &EmailAddress::parse("forsker@korus.no").unwrap(), Role::Researcher, RESEARCHER_PASSWORD).await.unwrap();
        add_user(&app.conn, &EmailAddress::parse("admin@korus.no").unwrap(), Role::Admin, ADMIN_PASSWORD).await.unwrap();
        let (status, researcher) = login(&app, "forsker@korus.no", RESEARCHER_PASSWORD).await;
        assert_eq!(status, 200);
        let (status, admin) = login(&app, "Admin@Korus.no", ADMIN_PASSWORD).await;
        assert_eq!(status, 200, "e-mail is case-insensitive");
        let (researcher, admin) = (researcher.unwrap(), admin.unwrap());

        // Municipality A (Stavanger) and B (Bergen), each with a response.
        let token_a = app.invite("1103", None).await;
        let token_b = app.invite("4601", None).await;
        let (_, a) = app.send(Method::POST, &format!("/api/r/{token_a}/responses"), json!({})).await;
        let (_, b) = app.send(Method::POST, &format!("/api/r/{token_b}/responses"), json!({})).await;
        let (id_a, id_b) = (a["id"].as_i64().unwrap(), b["id"].as_i64().unwrap());
        // B answers 1.19, the free text the coding rows below code.
        let (status, saved) = app.send(Method::PUT, &format!("/api/r/{token_b}/responses/{id_b}"),
            json!({"version": b["version"], "values": {"gate": 1, "1.19": "Faste folk i feltet."}})).await;
        assert_eq!(status, 200, "{saved}");
        let unknown = "A".repeat(43);

        // (method, path template, body, expected status per Who)
        let token_for = |who: Who| if who == Who::RespondentA { token_a.clone() } else { unknown.clone() };
        let survey = "korus-2025";
        let save = json!({"version": 1, "values": {"gate": 3}});
        let version = json!({"version": 2});
        let wave = json!({"survey_id": survey, "kind": "invitation", "who": "all", "subject": "Omfang",
                          "template": "{lenke}", "deadline": "16. mai 2025"});
        let mut covered = BTreeSet::new();
        let rows: Vec<(Method, &str, Option<Value>, [u16; 4])> = vec![
            (Method::GET, "/api/health", None, [200; 4]),
            (Method::GET, "/api/rounds", None, [200; 4]),
            (Method::GET, "/api/rounds/{survey}/definition", None, [200; 4]),
            (Method::GET, "/api/rounds/{survey}/definition.toml", None, [200; 4]),
            (Method::GET, "/api/rounds/{survey}/codebook", None, [200; 4]),
            (Method::GET, "/api/registry", None, [200; 4]),
            (Method::GET, "/api/r/{token}", None, [404, 200, 404, 404]),
            (Method::GET, "/api/r/{token}/definition", None, [404, 200, 404, 404]),
            (Method::GET, "/api/r/{token}/registry", None, [404, 200, 404, 404]),
            (Method::GET, "/api/r/{token}/responses/{id}", None, [404, 200, 404, 404]),
            (Method::PUT, "/api/r/{token}/responses/{id}", Some(save.clone()), [404, 200, 404, 404]),
            (Method::POST, "/api/r/{token}/responses/{id}/submit", Some(version.clone()), [404, 422, 404, 404]),
            (Method::POST, "/api/r/{token}/responses/{id}/reopen", Some(version.clone()), [404, 409, 404, 404]),
            (Method::POST, "/api/r/{token}/responses/{id}/discard", Some(version.clone()), [404, 204, 404, 404]),
            (Method::POST, "/api/r/{token}/responses", Some(json!({})), [404, 201, 404, 404]),
            (Method::GET, "/api/auth/me", None, [401, 401, 200, 200]),
            (Method::GET, "/api/research/rounds/{survey}/crosstab?item=gate&by=size-class", None, [401, 401, 200, 200]),
            (Method::GET, "/api/research/rounds/{survey}/cleaning", None, [401, 401, 200, 200]),
            (Method::GET, "/api/research/rounds", None, [401, 401, 200, 200]),
            (Method::GET, "/api/research/rounds/{survey}/summary", None, [401, 401, 200, 200]),
            (Method::GET, "/api/research/rounds/{survey}/variables", None, [401, 401, 200, 200]),
            (Method::GET, "/api/research/rounds/{survey}/crosstab.csv?item=gate&by=size-class&sep=semicolon", None, [401, 401, 200, 200]),
            (Method::GET, "/api/research/rounds/{survey}/crosstab.xlsx?item=gate&by=size-class", None, [401, 401, 200, 200]),
            (Method::GET, "/api/research/rounds/{survey}/crosstab.svg?item=gate&by=size-class", None, [401, 401, 200, 200]),
            (Method::GET, "/api/research/rounds/{survey}/crosstab.png?item=gate&by=size-class", None, [401, 401, 200, 200]),
            (Method::GET, "/api/research/rounds/{survey}/report.zip", None, [401, 401, 200, 200]),
            (Method::POST, "/api/research/rounds/{survey}/report-jobs", Some(json!({})), [401, 401, 202, 202]),
            (Method::GET, "/api/research/report-jobs/{job}", None, [401, 401, 200, 200]),
            (Method::GET, "/api/research/report-jobs/{job}/report.zip", None, [401, 401, 200, 200]),
            (Method::GET, "/api/research/rounds/{survey}/coding", None, [401, 401, 200, 200]),
            (Method::POST, "/api/research/rounds/{survey}/coding", Some(json!({"name": "Suksessfaktorer", "items": ["1.19", "2.19"]})), [401, 401, 201, 201]),
            (Method::GET, "/api/research/rounds/{survey}/coding/{frame}", None, [401, 401, 200, 200]),
            (Method::POST, "/api/research/rounds/{survey}/coding/{frame}/codes", Some(json!({"label": "Tillit", "description": "Relasjon og tillit"})), [401, 401, 201, 201]),
            (Method::POST, "/api/research/rounds/{survey}/coding/{frame}/assignments", Some(json!({"respondent": format!("svar-{id_b}"), "item": "1.19", "code": 1, "on": true})), [401, 401, 204, 204]),
            (Method::POST, "/api/research/rounds/{survey}/decisions", Some(json!({"respondent": format!("svar-{id_b}"), "keep": false, "reason": "Samme tjeneste to ganger"})), [401, 401, 204, 204]),
            (Method::GET, "/api/admin/users", None, [401, 401, 403, 200]),
            (Method::GET, "/api/admin/audit", None, [401, 401, 403, 200]),
            (Method::GET, "/api/admin/rounds/{survey}/status", None, [401, 401, 403, 200]),
            (Method::GET, "/api/admin/waves", None, [401, 401, 403, 200]),
            (Method::GET, "/api/admin/rounds/{survey}/status.csv", None, [401, 401, 403, 200]),
            (Method::GET, "/api/admin/contacts", None, [401, 401, 403, 200]),
            (Method::POST, "/api/admin/contacts/import", Some(json!({"csv": "municipality_number,district_number,kind,name,email\n1103,,tjeneste,Kari,kari@stavanger.kommune.no\n"})), [401, 401, 403, 200]),
            (Method::PUT, "/api/admin/contacts/{id}", Some(json!({"kind": "tjeneste", "name": "Kari", "email": "kari@stavanger.kommune.no", "active": true})), [401, 401, 403, 200]),
            (Method::POST, "/api/admin/waves/preview", Some(wave.clone()), [401, 401, 403, 200]),
            (Method::POST, "/api/admin/waves", Some(wave.clone()), [401, 401, 403, 201]),
            (Method::GET, "/api/admin/rounds", None, [401, 401, 403, 200]),
            (Method::POST, "/api/admin/rounds", Some(json!({"definition": "ikke en definisjon"})), [401, 401, 403, 400]),
            (Method::PUT, "/api/admin/rounds/{survey}/window", Some(json!({"opens": "", "closes": ""})), [401, 401, 403, 200]),
            (Method::PUT, "/api/admin/rounds/{survey}/registry-year", Some(json!({"year": 2024})), [401, 401, 403, 200]),
            (Method::POST, "/api/auth/password", Some(json!({"current": "feil-passord-123", "new": "nytt-passord-2025"})), [401, 401, 400, 400]),
            (Method::POST, "/api/auth/login", Some(json!({"email": "ingen@korus.no", "password": "feil-passord-123"})), [401, 401, 401, 401]),
            (Method::POST, "/api/auth/logout", Some(json!({})), [204, 204, 204, 204]),
            (Method::POST, "/api/optout/{contact}/{signature}", Some(json!({})), [404; 4]),
        ];
        let mut failures = Vec::new();
        for (method, template, body, expected) in &rows {
            covered.insert((method.as_str().to_lowercase(), template.split('?').next().unwrap().to_owned()));
            for (who, want) in EVERYONE.iter().zip(expected) {
                // Logging out would end the session the later rows need; use a fresh one.
                let fresh;
                let cookie = match who {
                    Who::Researcher if *template == "/api/auth/logout" => {
                        fresh = login(&app, "forsker@korus.no", RESEARCHER_PASSWORD).await.1.unwrap();
                        Some(fresh.as_str())
                    }
                    Who::Admin if *template == "/api/auth/logout" => {
                        fresh = login(&app, "admin@korus.no", ADMIN_PASSWORD).await.1.unwrap();
                        Some(fresh.as_str())
                    }
                    Who::Researcher => Some(researcher.as_str()),
                    Who::Admin => Some(admin.as_str()),
                    _ => None,
                };
                // The contact the import row above creates (the first contact).
                let path = if template.starts_with("/api/admin/contacts/") {
                    template.replace("{id}", "1")
                } else {
                    template.to_string()
                };
                let path = path
                    .replace("{survey}", survey)
                    .replace("{token}", &token_for(*who))
                    .replace("{id}", &id_a.to_string())
                    .replace("{contact}", "1")
                    .replace("{frame}", "1")
                    .replace("{job}", "1")
                    .replace("{signature}", "forged");
                let (status, text) = call(&app, cookie, method, &path, body.as_ref()).await;
                if status != *want {
                    failures.push(format!("{who:?} {method} {template}: {status}, expected {want}: {text}"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));

        // Every route in the OpenAPI document is in the matrix.
        let doc: Value = app.get_json("/api/openapi.json").await;
        let mut listed = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                let template = path.replace("{survey_id}", "{survey}");
                listed.insert((method.clone(), template));
            }
        }
        let missing: Vec<_> = listed.difference(&covered).collect();
        assert!(missing.is_empty(), "routes not in the access matrix: {missing:?}");

        // Municipality A's token never reads or writes B's response.
        for (method, path, body) in [
            (Method::GET, format!("/api/r/{token_a}/responses/{id_b}"), None),
            (Method::PUT, format!("/api/r/{token_a}/responses/{id_b}"), Some(json!({"version": 1, "values": {"gate": 3}}))),
            (Method::POST, format!("/api/r/{token_a}/responses/{id_b}/submit"), Some(json!({"version": 1}))),
            (Method::POST, format!("/api/r/{token_a}/responses/{id_b}/reopen"), Some(json!({"version": 1}))),
            (Method::POST, format!("/api/r/{token_a}/responses/{id_b}/discard"), Some(json!({"version": 1}))),
        ] {
            let (status, text) = call(&app, None, &method, &path, body.as_ref()).await;
            assert_eq!(status, 404, "{method} {path}: {text}");
        }
        let (status, b_now) = call(&app, None, &Method::GET, &format!("/api/r/{token_b}/responses/{id_b}"), None).await;
        assert_eq!(status, 200);
        let b_now: Value = serde_json::from_str(&b_now).unwrap();
        assert_eq!(b_now["version"], saved["version"], "B's response is untouched: {b_now}");

        // A researcher's session gives nothing on respondent routes, even with a real id.
        let (status, _) = call(&app, Some(&researcher), &Method::GET, &format!("/api/r/{unknown}/responses/{id_b}"), None).await;
        assert_eq!(status, 404);

        // Cross-site requests are refused.
        let resp = app
            .client
            .post(format!("{}/api/auth/login", app.address))
            .header("origin", "https://evil.example")
            .json(&json!({"email": "admin@korus.no", "password": ADMIN_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 403);

        // The audit trail saw the logins, the failed login and the exports.
        let (status, audit) = call(&app, Some(&admin), &Method::GET, "/api/admin/audit", None).await;
        assert_eq!(status, 200);
        let audit: Vec<Value> = serde_json::from_str(&audit).unwrap();
        let actions: BTreeSet<&str> = audit.iter().map(|e| e["action"].as_str().unwrap()).collect();
        for action in ["login", "login_failed", "export", "read_cleaning", "logout"] {
            assert!(actions.contains(action), "no {action} in {actions:?}");
        }
        let users: Value = serde_json::from_str(&call(&app, Some(&admin), &Method::GET, "/api/admin/users", None).await.1).unwrap();
        assert!(!users.to_string().contains("argon2"), "hashes never leave the server");

        // Password change: the new password works, the old one no longer does.
        let change = json!({"current": RESEARCHER_PASSWORD, "new": "et-nytt-langt-passord"});
        let (status, text) = call(&app, Some(&researcher), &Method::POST, "/api/auth/password", Some(&change)).await;
        assert_eq!(status, 204, "{text}");
        assert_eq!(login(&app, "forsker@korus.no", RESEARCHER_PASSWORD).await.0, 401);
        assert_eq!(login(&app, "forsker@korus.no", "et-nytt-langt-passord").await.0, 200);
    }
}

on_both_databases! {
    async fn login_is_rate_limited_and_passwords_are_hashed(db: Db) {
        let app = spawn_app(db).await;
        use omfang::db::accounts::{Role, add_user, app_user};
        use omfang::domain::EmailAddress;
        use sea_orm::EntityTrait;
        add_user(&app.conn, &EmailAddress::parse("forsker@korus.no").unwrap(), Role::Researcher, RESEARCHER_PASSWORD).await.unwrap();
        let stored = app_user::Entity::find().all(&app.conn).await.unwrap();
        assert!(stored[0].password_hash.starts_with("$argon2id$"), "{}", stored[0].password_hash);
        assert!(!stored[0].password_hash.contains(RESEARCHER_PASSWORD));
        // Short passwords are refused.
        assert!(add_user(&app.conn, &EmailAddress::parse("kort@korus.no").unwrap(), Role::Researcher, "kort").await.is_err());

        // Weak passwords are refused by zxcvbn's estimate, twelve spaces included.
        for weak in ["            ", "passordpassord", "svak@korus.no2025"] {
            assert!(add_user(&app.conn, &EmailAddress::parse("svak@korus.no").unwrap(), Role::Researcher, weak).await.is_err(), "{weak:?}");
        }

        // A guesser on another address (127.0.0.2) is limited after five tries...
        let guesser = reqwest::Client::builder().local_address("127.0.0.2".parse::<std::net::IpAddr>().unwrap()).build().unwrap();
        let guess = || async {
            guesser
                .post(format!("{}/api/auth/login", app.address))
                .json(&json!({"email": "forsker@korus.no", "password": "feil-passord-123"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        };
        let mut statuses = Vec::new();
        for _ in 0..6 {
            statuses.push(guess().await);
        }
        assert_eq!(statuses, vec![401, 401, 401, 401, 401, 429]);
        // ...and keeps trying: repeated refusals make one audit row.
        for _ in 0..20 {
            assert_eq!(guess().await, 429);
        }
        let audit = omfang::db::accounts::audit_log::Entity::find().all(&app.conn).await.unwrap();
        assert_eq!(audit.iter().filter(|a| a.action == "login_limited").count(), 1, "one row for the refusals");
        // The owner, elsewhere, is not locked out.
        let (status, first) = login(&app, "forsker@korus.no", RESEARCHER_PASSWORD).await;
        assert_eq!(status, 200);
        // An address of any length is refused before anything is written.
        let rows = audit.len();
        let long = format!("{}@korus.no", "a".repeat(200_000));
        assert_eq!(login(&app, &long, "feil-passord-123").await.0, 400);
        assert_eq!(omfang::db::accounts::audit_log::Entity::find().all(&app.conn).await.unwrap().len(), rows + 1, "only the owner's login was added");

        // A password change ends the account's other sessions, not this one.
        let (_, second) = login(&app, "forsker@korus.no", RESEARCHER_PASSWORD).await;
        let (first, second) = (first.unwrap(), second.unwrap());
        let change = json!({"current": RESEARCHER_PASSWORD, "new": "            "});
        assert_eq!(call(&app, Some(&first), &Method::POST, "/api/auth/password", Some(&change)).await.0, 400, "twelve spaces are no password");
        let change = json!({"current": RESEARCHER_PASSWORD, "new": "et-nytt-langt-passord-for-forskeren"});
        assert_eq!(call(&app, Some(&first), &Method::POST, "/api/auth/password", Some(&change)).await.0, 204);
        assert_eq!(call(&app, Some(&first), &Method::GET, "/api/auth/me", None).await.0, 200, "the session that changed it goes on");
        assert_eq!(call(&app, Some(&second), &Method::GET, "/api/auth/me", None).await.0, 401, "the other session ended");
        // Password changes are limited too.
        let statuses: Vec<u16> = {
            let mut v = Vec::new();
            for _ in 0..6 {
                let wrong = json!({"current": "feil-passord-123", "new": "et-tredje-langt-passord-for-forskeren"});
                v.push(call(&app, Some(&first), &Method::POST, "/api/auth/password", Some(&wrong)).await.0);
            }
            v
        };
        assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    }
}

#[test]
fn user_add_reads_the_password_from_stdin_never_a_flag() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("users.db").display()
    );
    let run = |email: &str, password: &str| {
        let mut child = Command::new(omfang_binary())
            .args(["user", "add", "--role", "admin", email])
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{password}\n").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run("leder@korus.no", ADMIN_PASSWORD);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("created leder@korus.no (admin)"));
    let again = run("leder@korus.no", ADMIN_PASSWORD);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
    let short = run("ny@korus.no", "kort");
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
    let help = Command::new(omfang_binary())
        .args(["user", "add", "--help"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&help.stdout).contains("--password"));
    let audit = Command::new(omfang_binary())
        .args(["audit", "export"])
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let csv = String::from_utf8_lossy(&audit.stdout);
    assert!(
        csv.starts_with("at,actor,action,detail") && csv.contains("user_added"),
        "{csv}"
    );
}

on_both_databases! {
    async fn the_dashboard_moves_as_respondents_submit(db: Db) {
        let app = spawn_app(db).await;
        use omfang::db::accounts::{Role, add_user};
        use omfang::domain::EmailAddress;
        add_user(&app.conn, &EmailAddress::parse("admin@korus.no").unwrap(), Role::Admin, ADMIN_PASSWORD).await.unwrap();
        let admin = login(&app, "admin@korus.no", ADMIN_PASSWORD).await.1.unwrap();
        let status = |app: &TestApp| {
            let admin = admin.clone();
            let app_address = app.address.clone();
            let client = app.client.clone();
            async move {
                let resp = client
                    .get(format!("{app_address}/api/admin/rounds/korus-2025/status"))
                    .header("cookie", admin)
                    .send()
                    .await
                    .unwrap();
                resp.json::<Value>().await.unwrap()
            }
        };
        let before = status(&app).await;
        assert_eq!(before["municipalities"], 357);
        assert_eq!(before["answered"], 0);

        // Kongsvinger (3401, medium, Innlandet) answers branch 3 and submits.
        let token = app.invite("3401", None).await;
        let (_, created) = app.send(Method::POST, &format!("/api/r/{token}/responses"), json!({})).await;
        let id = created["id"].as_i64().unwrap();
        let full = json!({"version": 1, "values": {"fylke": "34", "kommune": "3401", "navn": "Kari", "stilling": "Rådgiver",
            "gate": 3, "3.2": 2, "3.3": 3, "3.4": 2, "3.6": 1}});
        let (s, body) = app.send(Method::PUT, &format!("/api/r/{token}/responses/{id}"), full).await;
        assert_eq!(s, 200, "{body}");
        let mid = status(&app).await;
        let kongsvinger = mid["status"].as_array().unwrap().iter().find(|m| m["number"] == "3401").unwrap().clone();
        assert_eq!((kongsvinger["invited"].as_u64(), kongsvinger["drafts"].as_u64(), kongsvinger["submitted"].as_u64()), (Some(1), Some(1), Some(0)));
        let (s, body) = app.send(Method::POST, &format!("/api/r/{token}/responses/{id}/submit"), json!({"version": 2})).await;
        assert_eq!(s, 200, "{body}");

        let after = status(&app).await;
        assert_eq!(after["answered"], 1);
        let county = after["by_county"].as_array().unwrap().iter().find(|c| c["key"] == "34").unwrap();
        assert_eq!(county["answered"], 1);
        let branch3 = after["by_branch"].as_array().unwrap().iter().find(|b| b["key"] == "3").unwrap();
        assert_eq!((branch3["answered"].as_u64(), branch3["percent"].as_f64()), (Some(1), Some(100.0)));
        let list = after["status"].as_array().unwrap();
        assert_eq!(list.last().unwrap()["number"], "3401", "those not answered come first");
        assert!(list[..356].iter().all(|m| m["submitted"] == 0));

        let (code, csv) = call(&app, Some(&admin), &Method::GET, "/api/admin/rounds/korus-2025/status.csv", None).await;
        assert_eq!(code, 200);
        assert!(csv.starts_with("\u{feff}kommunenummer;kommune;fylke;storrelse;invitert;utkast;sendt_inn;grener"), "{}", &csv[..100]);
        assert!(csv.contains("3401;Kongsvinger;34;medium;1;0;1;3"), "{csv}");
    }
}

#[tokio::test]
async fn protected_routes_refuse_before_reading_the_body() {
    let app = spawn_app(Db::Sqlite).await;
    let post = |method: Method, path: &'static str, body: &'static str| {
        let app = &app;
        async move {
            let resp = app
                .client
                .request(method, format!("{}{path}", app.address))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = resp.status().as_u16();
            let json = resp
                .headers()
                .get("content-type")
                .is_some_and(|v| v.to_str().unwrap_or("").starts_with("application/json"));
            (status, json, resp.text().await.unwrap())
        }
    };
    // Anonymous: 401 in the JSON error body whatever the body (empty, wrong, not JSON).
    for (method, path) in [
        (Method::POST, "/api/admin/waves"),
        (Method::POST, "/api/admin/waves/preview"),
        (Method::POST, "/api/admin/contacts/import"),
        (Method::PUT, "/api/admin/contacts/1"),
        (Method::POST, "/api/admin/rounds"),
        (Method::PUT, "/api/admin/rounds/korus-2025/window"),
        (Method::PUT, "/api/admin/rounds/korus-2025/registry-year"),
        (Method::POST, "/api/auth/password"),
    ] {
        for body in ["{}", "ikke json", ""] {
            let (status, json, text) = post(method.clone(), path, body).await;
            assert_eq!(
                (status, json),
                (401, true),
                "{method} {path} {body:?}: {text}"
            );
        }
    }
    let (status, json, text) = post(
        Method::GET,
        "/api/research/rounds/korus-2025/crosstab?item=x&unit=nei",
        "",
    )
    .await;
    assert_eq!((status, json), (401, true), "{text}");
    // An unknown personal link: 404 before its body is read.
    let unknown = "/api/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/responses/1";
    for body in ["{}", "ikke json"] {
        let (status, json, text) = post(Method::PUT, unknown, body).await;
        assert_eq!((status, json), (404, true), "{body:?}: {text}");
    }
}
