//! The administrator's campaign in headless Chromium: created with the CLI,
//! logs in at `/admin`, imports contacts (a bad file first), deactivates
//! one, previews and sends a wave to a real SMTP server process, watches the
//! dashboard move as a respondent who got the mail submits, then sends a
//! reminder that reaches only those who have not submitted, with the same
//! personal links.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::browser::{dist_dir, session_with};
use crate::durability::omfang_binary;
use crate::helpers::{Db, spawn_app_configured};
use crate::waves::{Sink, free_port, received};

/// Waits until the SMTP server has received `n` mails.
async fn wait_for_mails(file: &std::path::Path, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let got = received(file);
        if got.len() >= n {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "expected {n} mails, got {}: {got:?}",
            got.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn link_token(body: &str) -> String {
    let at = body.find("/svar/").expect("a personal link") + "/svar/".len();
    body[at..at + 43].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_runs_a_campaign_and_watches_the_dashboard_move() {
    let mail_dir = tempfile::tempdir().unwrap();
    let mails = mail_dir.path().join("mails.jsonl");
    let smtp_port = free_port();
    let _sink = Sink::start(smtp_port, &mails);
    let app = spawn_app_configured(Db::Sqlite, Some(dist_dir()), |s| {
        s.mail.smtp_url = Some(format!("smtp://127.0.0.1:{smtp_port}"));
        s.mail.base_url = "https://omfang.example.no".into();
    })
    .await;
    let s = session_with(app).await;
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
    // After a failed attempt the e-mail is kept; the password is typed again.
    let kept = s
        .c
        .execute("return [document.getElementById('login-email').value, document.getElementById('login-password').value]", vec![])
        .await
        .unwrap();
    assert_eq!(kept, serde_json::json!(["leder@korus.no", ""]));
    s.type_into("#login-password", "et-langt-admin-passord")
        .await;
    s.click("button.primary").await;
    s.expect_text("#answered", "0 av 357 kommuner har sendt inn svar.")
        .await;

    // Rounds: a broken definition is refused; the answering window is saved.
    s.click("nav.tabs button:nth-child(2)").await;
    s.type_into("#definition", "[survey]\nid = \"uferdig\"\n")
        .await;
    s.click(".rounds form.stack button[type=submit]").await;
    s.expect_text(".rounds [role=alert]", "Definisjonen ble avvist")
        .await;
    s.find(".rounds form.round").await;
    s.c.execute(
        "const [o, c] = document.querySelectorAll('.rounds form.round input[type=date]');\
         o.value = '2025-01-31'; o.dispatchEvent(new Event('input'));\
         c.value = '2099-12-31'; c.dispatchEvent(new Event('input'));",
        vec![],
    )
    .await
    .unwrap();
    s.click(".rounds form.round button[type=submit]").await;
    s.expect_text(".rounds [role=status]", "Svarperioden er lagret.")
        .await;
    let round = omfang::db::round::find(&s.app.conn, "korus-2025")
        .await
        .unwrap();
    assert_eq!(
        round.opens_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2025-01-30T23:00:00+00:00"),
        "opens at 00:00 Norwegian time (winter)"
    );
    assert_eq!(
        round.closes_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2099-12-31T23:00:00+00:00"),
        "closes at 24:00 Norwegian time on the last day"
    );
    // The form shows the days as given, not the UTC instants.
    let shown = s
        .c
        .execute(
            "return [...document.querySelectorAll('.rounds form.round input[type=date]')].map(i => i.value)",
            vec![],
        )
        .await
        .unwrap();
    // Both shipped rounds are listed; the second (Oslo's form) has no window yet.
    assert_eq!(
        shown,
        serde_json::json!(["2025-01-31", "2099-12-31", "", ""])
    );
    s.screenshot("admin-rounds").await;

    // Contacts: a file with bad rows imports nothing and names every bad row.
    s.click("nav.tabs button:nth-child(3)").await;
    s.type_into(
        "#contacts-csv",
        "municipality_number,district_number,kind,name,email\n3401,,tjeneste,Ola,ikke-en-adresse\n9999,,postmottak,,post@x.no\n",
    )
    .await;
    s.click(".contacts form button[type=submit]").await;
    s.expect_text(".contacts [role=alert]", "Ingenting ble importert")
        .await;
    let alert = s.text(".contacts [role=alert]").await;
    assert!(
        alert.contains("linje 2") && alert.contains("linje 3") && alert.contains("9999"),
        "{alert}"
    );
    s.expect_text(".contacts caption", "0 kontakter").await;
    // The good file: the text area still holds the bad one, so clear it first.
    s.c.execute(
        "const t = document.querySelector('#contacts-csv'); t.value = ''; t.dispatchEvent(new Event('input'));",
        vec![],
    )
    .await
    .unwrap();
    s.type_into(
        "#contacts-csv",
        "municipality_number,district_number,kind,name,email\n\
         3401,,tjeneste,Kari Ås,kari@kongsvinger.kommune.no\n\
         0301,030101,tjeneste,Bjørn Øvre,bydel@oslo.kommune.no\n\
         4601,,postmottak,,postmottak@bergen.kommune.no\n\
         1103,,postmottak,,postmottak@stavanger.kommune.no\n",
    )
    .await;
    s.click(".contacts form button[type=submit]").await;
    s.expect_text(
        ".contacts [role=status]",
        "Importert: 4 nye, 0 slått sammen",
    )
    .await;
    s.expect_text(".contacts caption", "4 kontakter").await;
    // Deactivate Stavanger's mailbox.
    let buttons =
        s.c.find_all(fantoccini::Locator::Css(".contacts tbody button"))
            .await
            .unwrap();
    let mut stavanger = None;
    for b in buttons {
        let label = b.attr("aria-label").await.unwrap().unwrap_or_default();
        if label == "Endre postmottak@stavanger.kommune.no" {
            stavanger = Some(b);
        }
    }
    stavanger
        .expect("an edit button for Stavanger")
        .click()
        .await
        .unwrap();
    s.click("#contact-active").await;
    s.click(".contacts form.login button.primary").await;
    s.expect_text(
        ".contacts [role=status]",
        "Kontakten postmottak@stavanger.kommune.no er lagret.",
    )
    .await;
    s.expect_text(".contacts tbody", "Deaktivert").await;
    s.screenshot("admin-contacts").await;

    // Waves: preview, then send the invitation.
    s.click("nav.tabs button:nth-child(4)").await;
    s.type_into("#wave-deadline", "16. mai 2025").await;
    s.click(".waves form button[type=button]").await;
    s.expect_text("#wave-preview", "3 mottakere.").await;
    let preview = s.text("#wave-preview").await;
    assert!(
        preview.contains("Til: bydel@oslo.kommune.no")
            && preview.contains("Emne: Omfangsundersøkelse for oppsøkende ungdomsarbeid – Oslo")
            && preview.contains("Hei Bjørn Øvre")
            && preview.contains("innen 16. mai 2025")
            && preview.contains("<personlig lenke>"),
        "{preview}"
    );
    assert!(received(&mails).is_empty(), "a preview sends nothing");
    s.screenshot("admin-wave-preview").await;
    s.click("#wave-preview button.primary").await;
    s.expect_text(".waves [role=status]", "lagt i kø: 3 e-poster")
        .await;
    let invitations = wait_for_mails(&mails, 3).await;
    s.expect_text_within("#waves tbody td.sent", "3", 20).await;
    s.screenshot("admin-waves").await;
    let mut per_recipient: BTreeMap<String, &Value> = BTreeMap::new();
    for m in &invitations {
        assert_eq!(m["to"].as_array().unwrap().len(), 1);
        assert!(
            per_recipient
                .insert(m["to"][0].as_str().unwrap().to_owned(), m)
                .is_none(),
            "one mail each"
        );
    }
    assert!(!per_recipient.contains_key("postmottak@stavanger.kommune.no"));
    let kongsvinger = per_recipient["kari@kongsvinger.kommune.no"];
    assert_eq!(
        kongsvinger["subject"],
        "Omfangsundersøkelse for oppsøkende ungdomsarbeid – Kongsvinger"
    );
    let body = kongsvinger["body"].as_str().unwrap();
    assert!(body.contains("https://omfang.example.no/svar/"), "{body}");
    assert!(body.contains("/avmelding/"), "{body}");

    // Kongsvinger answers branch 3 through the link in the mail, and submits.
    s.click("nav.tabs button:nth-child(1)").await;
    s.expect_text("#answered", "0 av 357 kommuner").await;
    let token = link_token(body);
    let (code, created) = s
        .app
        .send(
            Method::POST,
            &format!("/api/r/{token}/responses"),
            json!({}),
        )
        .await;
    assert_eq!(code, 201, "{created}");
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

    // A reminder goes only to those who have not submitted, with the same links.
    s.click("nav.tabs button:nth-child(4)").await;
    s.click("#wave-kind option[value=reminder]").await;
    s.click("#wave-who option[value=not-submitted]").await;
    s.type_into("#wave-deadline", "23. mai 2025").await;
    s.click(".waves form button[type=button]").await;
    s.expect_text("#wave-preview", "2 mottakere.").await;
    s.click("#wave-preview button.primary").await;
    s.expect_text(".waves [role=status]", "lagt i kø: 2 e-poster")
        .await;
    let all = wait_for_mails(&mails, 5).await;
    let reminders = &all[3..];
    let mut to: Vec<&str> = reminders
        .iter()
        .map(|m| m["to"][0].as_str().unwrap())
        .collect();
    to.sort_unstable();
    assert_eq!(
        to,
        ["bydel@oslo.kommune.no", "postmottak@bergen.kommune.no"]
    );
    for r in reminders {
        let first = per_recipient[r["to"][0].as_str().unwrap()];
        assert_eq!(
            link_token(r["body"].as_str().unwrap()),
            link_token(first["body"].as_str().unwrap()),
            "a reminder repeats the invitation's link"
        );
        assert!(r["body"].as_str().unwrap().contains("23. mai 2025"));
    }
    // Both waves are listed with their results.
    s.expect_text_within("#waves tbody", "Påminnelse", 20).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(received(&mails).len(), 5, "no mail sent twice");

    // A second survey on the same server: the dashboard lists both rounds
    // and never mixes their answers.
    let dir = tempfile::tempdir().unwrap();
    let second = dir.path().join("korus-2028.toml");
    std::fs::write(
        &second,
        survey_definitions::KORUS_2025
            .replacen("id = \"korus-2025\"", "id = \"korus-2028\"", 1)
            .replacen("round_year = 2025", "round_year = 2028", 1),
    )
    .unwrap();
    let out = Command::new(omfang_binary())
        .args(["round", "load"])
        .arg(&second)
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    s.click("nav.tabs button:nth-child(1)").await;
    s.click("#status-runde option[value='korus-2025']").await;
    s.expect_text("#answered", "1 av 357 kommuner har sendt inn svar.")
        .await;
    s.click("#status-runde option[value='korus-2028']").await;
    s.expect_text("#answered", "0 av 357 kommuner har sendt inn svar.")
        .await;
    s.screenshot("admin-two-rounds").await;
}
