//! The respondent journey in headless Chromium, on both databases, as a
//! person takes it: whole branches typed and sent in without a reload, an
//! idle page that sends nothing, reopening and sending in again, Back and
//! Forward, resuming on the page left, the copy of the answers, a rejected
//! value that stays unsaved, a stale tab, the link's fixed municipality.
//! Every page type is checked by axe-core and photographed at 1280 and
//! 375 px into `test-artifacts/`.

use reqwest::Method;
use serde_json::{Value, json};
use survey_definitions::{KORUS_2025, SurveyDefinition};

use crate::browser::{Session, session};
use crate::helpers::{Db, on_both_databases};
use crate::walk::{NEXT, Plan, confirm_and_send, fill_to_summary, server_state};

async fn state(s: &Session, token: &str) -> Value {
    let (_, view) = s
        .app
        .send(Method::GET, &format!("/api/r/{token}"), json!(null))
        .await;
    let id = view["responses"][0]["id"]
        .as_i64()
        .expect("a response exists");
    let (_, state) = s
        .app
        .send(
            Method::GET,
            &format!("/api/r/{token}/responses/{id}"),
            json!(null),
        )
        .await;
    state
}

/// Waits until the server has `value` for `item` (autosave is debounced).
async fn server_has(s: &Session, token: &str, item: &str, value: Value) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let st = state(s, token).await;
        if st["answers"]["values"][item] == value {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{item} never saved as {value}: {}",
            st["answers"]
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Opens the link, starts, and fills the header page.
async fn begin(s: &Session, token: &str) {
    s.open(&format!("/svar/{token}")).await;
    s.click("button.primary").await;
    s.type_into("#q-navn", "Kari Nordmann").await;
    s.type_into("#q-stilling", "Rådgiver").await;
    s.click(NEXT).await;
    s.expect_text("#page-heading", "Tjenestetype").await;
    s.expect_saved().await;
}

fn korus() -> SurveyDefinition {
    SurveyDefinition::parse(KORUS_2025).unwrap()
}

/// Answers branch 3 from the start page and sends in.
async fn branch_three(s: &Session, token: &str, text: &str) {
    begin(s, token).await;
    s.click("label[for=\"q-gate-3\"]").await;
    s.click(NEXT).await;
    s.type_into("#q-3_1", text).await;
    for css in ["q-3_2-2", "q-3_3-3", "q-3_4-2", "q-3_6-1"] {
        s.click(&format!("label[for=\"{css}\"]")).await;
    }
    s.click(NEXT).await;
    confirm_and_send(s).await;
}

on_both_databases! {
    async fn branch_one_then_branch_two_typed_and_sent_in_without_reload(kind: Db) {
        let s = session(kind).await;
        let look = kind == Db::Sqlite;
        let def = korus();
        let token = s.app.invite("1103", None).await;
        s.open(&format!("/svar/{token}")).await;
        s.expect_text(".answering-for", "Stavanger kommune").await;
        if look { s.look("journey-start").await; }
        s.click("button.primary").await;
        // The link fixes county and municipality: shown, not editable.
        s.expect_text("#q-kommune", "Stavanger").await;
        s.expect_text("#q-kommune", "Fylt ut fra invitasjonen").await;
        if look { s.look("journey-page-header").await; }
        let pages = fill_to_summary(&s, &def, &Plan::korus(1)).await;
        assert_eq!(pages.len(), 9, "branch 1 has nine pages: {pages:?}");
        s.expect_text(".answering-for", "Uteteamet 1").await;
        if look { s.look("journey-summary").await; }
        confirm_and_send(&s).await;
        if look { s.look("journey-receipt").await; }
        let facts = s.text(".receipt-facts").await;
        for needle in ["Mottatt", "Stavanger kommune", "Uteteamet 1", "Referanse", "1103-"] {
            assert!(facts.contains(needle), "the receipt lacks «{needle}»: {facts}");
        }
        let st = server_state(&s, &token, 0).await;
        assert_eq!(st["status"], "submitted");
        assert_eq!(st["answers"]["values"]["gate"], 1);
        assert_eq!(st["answers"]["values"]["1.10"], 6);
        assert_eq!(st["answers"]["values"]["1.10.1"], 4.5);
        assert_eq!(st["answers"]["values"]["1.7"], json!({"lower": 12, "upper": 23}));
        assert_eq!(st["answers"]["values"]["kommune"], "1103");

        // «Ferdig», then a second service from the same link.
        s.click(".receipt-actions button.primary").await;
        s.expect_text(".services", "Uteteamet 1").await;
        s.expect_text(".services", "Sendt inn").await;
        s.click("#main > section button.primary").await;
        s.type_into("#q-navn", "Kari Nordmann").await;
        s.type_into("#q-stilling", "Rådgiver").await;
        s.click(NEXT).await;
        let pages = fill_to_summary(&s, &def, &Plan::korus(2)).await;
        assert!(pages.len() >= 8, "branch 2 pages: {pages:?}");
        confirm_and_send(&s).await;
        let st = server_state(&s, &token, 1).await;
        assert_eq!(st["status"], "submitted");
        assert_eq!(st["answers"]["values"]["gate"], 2);
        assert_eq!(st["answers"]["values"]["2.10.1"], 4.5);
        assert_eq!(server_state(&s, &token, 0).await["status"], "submitted", "the first service is untouched");
    }

    async fn an_idle_page_sends_nothing(kind: Db) {
        let s = session(kind).await;
        let token = s.app.invite("1103", None).await;
        begin(&s, &token).await;
        s.click("label[for=\"q-gate-1\"]").await;
        s.click(NEXT).await;
        s.expect_text("#page-heading", "Om oppsøkende arbeid").await;
        s.click(NEXT).await;
        s.expect_text("#page-heading", "Målgruppe").await;
        s.click(NEXT).await;
        s.expect_text("#page-heading", "Om de ansatte").await;
        s.type_into("#q-1_10", "6").await;
        s.type_into("#q-1_10_1", "4,5").await;
        s.type_into("#q-1_11-1", "4").await;
        s.expect_saved().await;
        let before = state(&s, &token).await["version"].clone();
        let sent = s.requests_while_idle(5).await;
        assert!(sent.is_empty(), "an idle page sent requests: {sent:?}");
        assert_eq!(state(&s, &token).await["version"], before, "the version climbed with no one typing");
        // «Forrige» and back: the answers are as typed, still saved.
        s.click(".pager button:not(.primary)").await;
        s.expect_text("#page-heading", "Målgruppe").await;
        s.click(NEXT).await;
        s.expect_text("#page-heading", "Om de ansatte").await;
        let shown = s.find("#q-1_10_1").await.prop("value").await.unwrap();
        assert_eq!(shown.as_deref(), Some("4,5"));
    }

    async fn reopen_and_send_in_again(kind: Db) {
        let s = session(kind).await;
        let token = s.app.invite("1111", None).await;
        branch_three(&s, &token, "Første versjon").await;
        s.click(".receipt-actions button:nth-child(3)").await;
        // It asks first.
        s.expect_text(".confirm", "sender dem inn på nytt").await;
        if kind == Db::Sqlite { s.look("journey-reopen-confirm").await; }
        assert_eq!(state(&s, &token).await["status"], "submitted", "asking changes nothing");
        s.click(".confirm button.primary").await;
        s.expect_text(".notice.warning", "Ikke sendt inn – husk å sende inn på nytt").await;
        assert_eq!(state(&s, &token).await["status"], "draft");
        s.click(NEXT).await;
        s.expect_text(".notice.warning", "Ikke sendt inn").await;
        s.click(NEXT).await;
        s.find("#q-3_1").await.clear().await.unwrap();
        s.type_into("#q-3_1", "Andre versjon").await;
        s.click(NEXT).await;
        s.expect_text(".notice.warning", "Ikke sendt inn").await;
        confirm_and_send(&s).await;
        let st = state(&s, &token).await;
        assert_eq!(st["status"], "submitted");
        assert_eq!(st["answers"]["values"]["3.1"], "Andre versjon");
    }

    async fn back_forward_and_resume_on_the_page_left(kind: Db) {
        let s = session(kind).await;
        let token = s.app.invite("1111", None).await;
        begin(&s, &token).await;
        s.click("label[for=\"q-gate-3\"]").await;
        s.click(NEXT).await;
        s.expect_text("#page-heading", "Kommuner som ikke har en oppsøkende tjeneste").await;
        s.expect_text(".position", "Side 3 av 3").await;
        let title = s.c.title().await.unwrap();
        assert!(title.starts_with("Side 3 av 3: Kommuner som ikke har"), "tab title: {title}");
        // Keyboard focus is on the new page's heading.
        s.expect_focus("page-heading", "the new page's heading").await;
        s.type_into("#q-3_1", "Vi samarbeider").await;
        s.expect_saved().await;
        s.c.back().await.unwrap();
        s.expect_text("#page-heading", "Tjenestetype").await;
        s.c.forward().await.unwrap();
        s.expect_text("#page-heading", "Kommuner som ikke har").await;
        // A reload opens the same page with the answer, and no false conflict.
        s.c.refresh().await.unwrap();
        s.expect_text("#page-heading", "Kommuner som ikke har").await;
        let v = s.find("#q-3_1").await.prop("value").await.unwrap();
        assert_eq!(v.as_deref(), Some("Vi samarbeider"));
        assert!(!s.text(".save-status").await.contains("endret et annet sted"), "a false conflict after reload");
        // A later visit through the link: «Fortsett» opens the page left.
        s.open(&format!("/svar/{token}")).await;
        s.expect_text(".services", "Påbegynt").await;
        s.click(".service button.primary").await;
        s.expect_text("#page-heading", "Kommuner som ikke har").await;
    }

    async fn a_copy_of_the_answers_to_keep(kind: Db) {
        let s = session(kind).await;
        let token = s.app.invite("1111", None).await;
        branch_three(&s, &token, "Liten kommune, tjenestene samarbeider tett.").await;
        s.click(".receipt-actions button:nth-child(2)").await;
        s.expect_text("#page-heading", "Kopi av svarene").await;
        let copy = s.text(".copy").await;
        assert!(copy.contains("Liten kommune, tjenestene samarbeider tett."), "{copy}");
        assert!(copy.contains("Sokndal"), "{copy}");
        s.expect_text(".receipt-facts", "Sokndal kommune").await;
        if kind == Db::Sqlite { s.look("journey-copy").await; }
    }

    async fn a_rejected_value_stays_unsaved_and_survives_a_reload(kind: Db) {
        let s = session(kind).await;
        let token = s.app.invite("1106", None).await;
        begin(&s, &token).await;
        s.click("label[for=\"q-gate-1\"]").await;
        s.click(NEXT).await;
        s.expect_text("#page-heading", "Om oppsøkende arbeid").await;
        s.click(NEXT).await;
        s.expect_text("#page-heading", "Målgruppe").await;
        s.type_into("#q-1_7-lower", "13").await;
        server_has(&s, &token, "1.7", json!({"lower": 13})).await;
        // While typing, no check speaks: "2" of "25" is not yet "lower > upper".
        s.type_into("#q-1_7-upper", "2").await;
        assert_eq!(s.text("#e-1_7").await, "", "a check fired while typing");
        s.type_into("#q-1_7-upper", "5").await;
        s.find("#q-1_7-lower").await.clear().await.unwrap();
        s.type_into("#q-1_7-lower", "atten").await;
        // Leaving the question (both bounds) lets its checks speak.
        s.press(&fantoccini::key::Key::Tab.to_string()).await;
        s.press(&fantoccini::key::Key::Tab.to_string()).await;
        s.expect_text("#e-1_7", "Feil:").await;
        s.expect_text(".save-status", "Ikke lagret – rett feilen i 1.7").await;
        if kind == Db::Sqlite { s.look("journey-rejected-value").await; }
        s.c.refresh().await.unwrap();
        let v = s.find("#q-1_7-lower").await.prop("value").await.unwrap();
        assert_eq!(v.as_deref(), Some("atten"), "the unsaved edit survives a reload");
        s.expect_text(".save-status", "Ikke lagret – rett feilen i 1.7").await;
        assert_eq!(state(&s, &token).await["answers"]["values"]["1.7"], json!({"lower": 13}), "the saved range is kept");
        s.find("#q-1_7-lower").await.clear().await.unwrap();
        s.type_into("#q-1_7-lower", "13").await;
        server_has(&s, &token, "1.7", json!({"lower": 13, "upper": 25})).await;
        s.expect_text(".save-status", "Lagret kl.").await;
    }

    async fn the_link_fixes_the_municipality(kind: Db) {
        let s = session(kind).await;
        let token = s.app.invite("1103", None).await;
        begin(&s, &token).await;
        let st = state(&s, &token).await;
        let mut values = st["answers"]["values"].clone();
        values["fylke"] = json!("46");
        values["kommune"] = json!("4601");
        let (code, body) = s.app.send(Method::PUT, &format!("/api/r/{token}/responses/{}", st["id"]), json!({"version": st["version"], "values": values})).await;
        assert_eq!(code, 422, "{body}");
        assert!(body["message"].as_str().unwrap().contains("annen kommune"), "{body}");
        assert_eq!(state(&s, &token).await["answers"]["values"]["kommune"], "1103");
    }

    async fn a_stale_tab_gets_the_conflict_message_and_loses_nothing(kind: Db) {
        let s = session(kind).await;
        let token = s.app.invite("0301", Some("030101")).await;
        begin(&s, &token).await;
        s.expect_text(".answering-for", "Oslo kommune").await;
        s.click("label[for=\"q-gate-1\"]").await;
        s.click(NEXT).await;
        s.type_into("#q-1_1", "Første").await;
        server_has(&s, &token, "1.1", json!("Første")).await;
        s.expect_saved().await;
        // Another tab saves first.
        let st = state(&s, &token).await;
        let mut values = st["answers"]["values"].clone();
        values["1.1"] = json!("Fra den andre fanen");
        let (code, _) = s.app.send(Method::PUT, &format!("/api/r/{token}/responses/{}", st["id"]), json!({"version": st["version"], "values": values})).await;
        assert_eq!(code, 200);
        // This tab edits on the old version.
        s.click("label[for=\"q-1_3-1\"]").await;
        s.expect_text(".save-status", "endret et annet sted").await;
        if kind == Db::Sqlite { s.look("journey-conflict").await; }
        let shown = s.find("#q-1_1").await.prop("value").await.unwrap();
        assert_eq!(shown.as_deref(), Some("Fra den andre fanen"), "the tab now shows the saved answers");
        let now = state(&s, &token).await;
        assert_eq!(now["answers"]["values"]["1.1"], "Fra den andre fanen", "the other tab's answer was not overwritten");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moving_on_says_what_is_missing_and_where() {
    let s = session(Db::Sqlite).await;
    let token = s.app.invite("1111", None).await;
    begin(&s, &token).await;
    // Before the service type is chosen the number of pages is unknown.
    s.expect_text(".position", "Side 2: Tjenestetype").await;
    assert!(!s.text(".position").await.contains(" av "));
    assert!(
        !s.displayed(".progress progress").await,
        "no progress bar yet"
    );
    assert_eq!(s.text(NEXT).await, "Neste");
    s.click(NEXT).await;
    s.expect_text("#error-summary", "Svar på dette spørsmålet for å gå videre")
        .await;
    s.expect_focus("error-summary", "the error summary").await;
    s.look("journey-error-summary").await;
    s.click("#error-summary a").await;
    s.expect_focus("q-gate-1", "the link leads to the question")
        .await;
    s.click("label[for=\"q-gate-3\"]").await;
    s.expect_text(".position", "Side 2 av 3: Tjenestetype")
        .await;
    assert_eq!(s.text(NEXT).await, "Neste");
    s.click(NEXT).await;
    s.expect_text("[data-item=\"3.1\"] .question", "(valgfritt)")
        .await;
    assert!(
        !s.text("[data-item=\"3.2\"] .question")
            .await
            .contains("valgfritt")
    );
    assert_eq!(s.text(NEXT).await, "Til oppsummering");
    s.click(NEXT).await;
    // The summary lists what is missing, with a link to each question.
    s.expect_text("#error-summary", "Dette spørsmålet må besvares")
        .await;
    s.click("dd.missing a[data-focus=\"q-3_1\"]").await;
    s.expect_text("#page-heading", "Kommuner som ikke har")
        .await;
    s.expect_text(".position", "Side 3 av 3").await;
    s.expect_focus("q-3_1", "«Endre» focuses the question")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn looking_leaves_nothing_and_an_empty_draft_can_be_deleted() {
    let s = session(Db::Sqlite).await;
    let token = s.app.invite("1111", None).await;
    s.open(&format!("/svar/{token}")).await;
    s.click("button.primary").await;
    s.expect_text("#page-heading", "Kommune og kontaktperson")
        .await;
    s.click(".pager button:not(.primary)").await;
    s.expect_text("#services-heading", "Dine svar").await;
    let (_, view) = s
        .app
        .send(Method::GET, &format!("/api/r/{token}"), json!(null))
        .await;
    assert_eq!(
        view["responses"],
        json!([]),
        "opening a page created nothing"
    );
    // An empty draft (as an older version made on «Start») can be deleted.
    let (code, _) = s
        .app
        .send(
            Method::POST,
            &format!("/api/r/{token}/responses"),
            json!({}),
        )
        .await;
    assert_eq!(code, 201);
    s.open(&format!("/svar/{token}")).await;
    s.click(".service button.danger").await;
    s.expect_text(".confirm", "Vil du slette det?").await;
    s.look("journey-delete-draft").await;
    s.click(".confirm button.danger").await;
    s.expect_text("#main", "Du har ikke begynt ennå.").await;
    let (_, view) = s
        .app
        .send(Method::GET, &format!("/api/r/{token}"), json!(null))
        .await;
    assert_eq!(view["responses"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_page_states_the_window_and_says_when_it_is_closed() {
    let s = session(Db::Sqlite).await;
    let token = s.app.invite("1103", None).await;
    let closes = omfang::domain::parse_closing("2099-05-17").unwrap();
    omfang::db::round::set_window(&s.app.conn, "korus-2025", None, Some(closes))
        .await
        .unwrap();
    s.open(&format!("/svar/{token}")).await;
    s.expect_text(".notice", "Svarfrist: 17. mai 2099 kl. 23.59")
        .await;
    let closed = omfang::domain::parse_closing("2025-05-17").unwrap();
    omfang::db::round::set_window(&s.app.conn, "korus-2025", None, Some(closed))
        .await
        .unwrap();
    // The server rechecks a round's window at most once a second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    s.open(&format!("/svar/{token}")).await;
    s.expect_text(".notice.warning", "stengt for svar 17.05.2025 kl. 23.59")
        .await;
    assert!(
        !s.displayed("#main > section button.primary").await,
        "no start before anything is typed"
    );
    s.look("journey-closed").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn privacy_notice_and_accessibility_statement() {
    let s = session(Db::Sqlite).await;
    let token = s.app.invite("1103", None).await;
    s.open(&format!("/svar/{token}")).await;
    s.click(".footer-links a:first-child").await;
    s.expect_text("#page-heading", "Personvernerklæring").await;
    let text = s.text(".prose").await;
    for needle in [
        "Behandlingsansvarlig",
        "Kompetansesenter for rusfeltet (KORUS)",
        "Hvor lenge",
        "Dine rettigheter",
        "Datatilsynet",
        "fornavn og etternavn",
    ] {
        assert!(
            text.to_lowercase().contains(&needle.to_lowercase()),
            "the privacy notice lacks «{needle}»: {text}"
        );
    }
    s.look("privacy-notice").await;
    s.click(".footer-links a:last-child").await;
    s.expect_text("#page-heading", "Tilgjengelighetserklæring")
        .await;
    s.expect_text(".prose", "uutilsynet").await;
    s.look("accessibility-statement").await;
    s.c.back().await.unwrap();
    s.expect_text("#page-heading", "Personvernerklæring").await;
    // No text reaches a respondent ending in a dangling colon.
    s.open(&format!("/svar/{token}")).await;
    let intro = s.text(".intro").await;
    assert!(
        !intro.contains("undersøkelsen:"),
        "a dangling colon: {intro}"
    );
    assert!(
        !s.text("body").await.contains("kommer fra KORUS"),
        "a placeholder reached the respondent"
    );
}
