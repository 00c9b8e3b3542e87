//! A second survey on the same engine: a city district answers Oslo's
//! one-to-one reporting form through its link, in headless Chromium, on
//! both databases — an amount and amounts per funding source, a date, a
//! roster of two positions, an approximate count and long texts; the
//! check «youths ≤ 5 × workers» fires and is corrected; it sends in, and a
//! second response for the same district is refused with a clear message.

use reqwest::Method;
use serde_json::{Value, json};
use survey_definitions::{OSLO_EN_TIL_EN_2025, SurveyDefinition};

use crate::browser::session;
use crate::helpers::{Db, on_both_databases, spawn_app};
use crate::walk::{Plan, confirm_and_send, fill_to_summary, server_state};

const ROUND: &str = "oslo-en-til-en-2025";

/// What the district types: 12 youths on 2 workers (one more than 5 × 2
/// allows), 10 of them boys.
fn plan() -> Plan {
    let mut p = Plan::default();
    for (id, text) in [
        ("navn", "Kari Nordmann"),
        ("2.1", "2"),
        ("2.3", "5"),
        ("3", "kr 1 250 000,-"),
        ("3.2", "31.12.2025"),
        ("4.1", "12"),
        ("4.4", "5"),
        ("6.1", "cirka 12–15"),
        ("7", "Vi opplever samarbeidet med politiet som svært godt."),
    ] {
        p.typed.insert(id.into(), text.into());
    }
    for (id, code) in [("1", 1), ("6", 1), ("8", 3), ("14", 2), ("15", 1)] {
        p.chosen.insert(id.into(), vec![code]);
    }
    p.grid.insert(
        "3.1".into(),
        vec![(1, "1 000 000".into()), (4, "250.000".into())],
    );
    p.grid.insert("4.2".into(), vec![(1, "10".into())]);
    p.ages.insert("4.3".into(), ("11".into(), "18".into()));
    p.rows.insert(
        "2.2".into(),
        vec![
            vec!["Én-til-én oppfølger".into(), "100".into()],
            vec!["Én-til-én oppfølger".into(), "50".into()],
        ],
    );
    p
}

on_both_databases! {
    async fn a_district_reports_once_on_the_oslo_form(kind: Db) {
        let s = session(kind).await;
        let look = kind == Db::Sqlite;
        let def = SurveyDefinition::parse(OSLO_EN_TIL_EN_2025).unwrap();
        let token = s.app.invite_in(ROUND, "0301", Some("030105")).await;
        s.open(&format!("/svar/{token}")).await;
        s.expect_text("h1", "Oslomodellen for én-til-én oppfølging").await;
        s.expect_text(".answering-for", "Frogner").await;
        s.expect_text("#period", "Rapporteringsperiode: 01.06.2025–31.12.2025. Tall per 31.12.2025.").await;
        let start = s.text("#main").await;
        for korus in ["KORUS", "tjeneste", "oppsøkende"] {
            assert!(!start.contains(korus), "the Oslo form's first page says «{korus}»: {start}");
        }
        if look { s.look("oslo-start").await; }
        s.click("button.primary").await;
        s.expect_text("#q-bydel", "Frogner").await;

        // The roster page, photographed with its two rows.
        let pages = fill_to_summary(&s, &def, &plan()).await;
        assert_eq!(pages.len(), 9, "nine pages: {pages:?}");

        // 12 youths on 2 workers: the standard's ceiling (5 each) is passed.
        let warnings = s.text(".warnings-list").await;
        assert!(warnings.contains("Oslostandarden sier"), "{warnings}");
        assert!(warnings.contains("Tallene etter kjønn"), "{warnings}");
        if look { s.look("oslo-summary-warning").await; }
        // Corrected where the warning points: 10 youths, as the gender counts say.
        s.click(".warnings-list li:first-child a").await;
        s.expect_text("#page-heading", "Ungdommer som får oppfølging").await;
        s.focus("#q-4_1").await;
        s.press(&format!("{}a", fantoccini::key::Key::Control)).await;
        s.press("10").await;
        s.press(&fantoccini::key::Key::Tab.to_string()).await;
        if look { s.look("oslo-youths").await; }
        // Back to the summary in one step, not through every page.
        s.click("#til-oppsummering").await;
        s.find("#answers-heading").await;
        assert!(!s.displayed(".warning-summary").await, "the warnings are gone once corrected");
        confirm_and_send(&s).await;
        if look { s.look("oslo-receipt").await; }
        let facts = s.text(".receipt-facts").await;
        assert!(facts.contains("Frogner"), "the receipt names the district: {facts}");

        let st = server_state(&s, &token, 0).await;
        assert_eq!(st["status"], "submitted");
        let v = &st["answers"]["values"];
        assert_eq!(v["3"], 1_250_000);
        assert_eq!(v["3.1"], json!({"1": 1_000_000, "4": 250_000}));
        assert_eq!(v["3.2"], "2025-12-31");
        assert_eq!(v["4.1"], 10);
        assert_eq!(v["6.1"], "cirka 12–15");
        assert_eq!(
            v["2.2"],
            json!([
                {"rolle": "Én-til-én oppfølger", "prosent": 100},
                {"rolle": "Én-til-én oppfølger", "prosent": 50}
            ])
        );
        assert_eq!(v["bydel"], "030105");

        // One response per link: «Ferdig» leaves no second start, and the
        // API refuses one in Norwegian.
        s.click(".receipt-actions button.primary").await;
        s.expect_text(".services", "Sendt inn").await;
        assert!(!s.displayed("#main > section button.primary").await, "no second start is offered");
        let (code, body) = s.app.send(Method::POST, &format!("/api/r/{token}/responses"), json!({})).await;
        assert_eq!(code, 422, "{body}");
        assert!(body.to_string().contains("hver lenke sender inn ett svar"), "{body}");

        // A second link for the same district: refused with a clear message.
        let other = s.app.invite_in(ROUND, "0301", Some("030105")).await;
        s.open(&format!("/svar/{other}")).await;
        s.expect_text("#main", "Det finnes allerede et svar for den samme enheten").await;
        assert!(!s.displayed("#main > section button.primary").await, "no start is offered");
        if look { s.look("oslo-second-link-refused").await; }
        // Another district answers freely.
        let third = s.app.invite_in(ROUND, "0301", Some("030101")).await;
        let (code, body) = s.app.send(Method::POST, &format!("/api/r/{third}/responses"), json!({})).await;
        assert_eq!(code, 201, "{body}");
        let _: Value = body;
    }

    async fn waves_and_dashboards_keep_the_two_surveys_apart(kind: Db) {
        use omfang::db::outreach::{NewWave, Selection, preview};
        let app = spawn_app(kind).await;
        let csv = "municipality_number,district_number,kind,name,email\n\
                   0301,,postmottak,,postmottak@oslo.kommune.no\n\
                   0301,030105,tjeneste,Kari,frogner@oslo.kommune.no\n\
                   0301,030112,tjeneste,Ola,alna@oslo.kommune.no\n\
                   1103,,postmottak,,post@stavanger.kommune.no\n";
        omfang::db::contacts::import_contacts(&app.conn, csv).await.unwrap();
        let wave = |round: &str| NewWave {
            survey_id: round.into(),
            kind: "invitation".into(),
            subject: "Rapportering – {kommune}".into(),
            template: "Hei {navn}: {lenke} {avmelding}".into(),
            deadline: "1. mars 2026".into(),
            selection: Selection { who: "all".into(), county: None, size_class: None },
            created_by: "admin@oslo.kommune.no".into(),
        };
        // The district form reaches the two districts, each by its name.
        let oslo = preview(&app.conn, &wave(ROUND)).await.unwrap();
        assert_eq!(oslo.recipients, 2, "district contacts only");
        let first = oslo.first.unwrap();
        let named = [("frogner@oslo.kommune.no", "Rapportering – Frogner"), ("alna@oslo.kommune.no", "Rapportering – Alna")];
        assert!(named.contains(&(first.to.as_str(), first.subject.as_str())), "{first:?}");
        // KORUS reaches every contact, by municipality.
        let korus = preview(&app.conn, &wave("korus-2025")).await.unwrap();
        assert_eq!(korus.recipients, 4);

        // A district sends in: Oslo's dashboard counts districts, KORUS's is untouched.
        let token = app.invite_in(ROUND, "0301", Some("030105")).await;
        let (code, created) = app.send(Method::POST, &format!("/api/r/{token}/responses"), json!({})).await;
        assert_eq!(code, 201, "{created}");
        let status = omfang::db::status::round_status(&app.conn, ROUND).await.unwrap();
        assert_eq!((status.unit.as_str(), status.municipalities, status.answered), ("bydeler", 15, 0));
        assert!(status.status.iter().any(|s| s.name == "Frogner" && s.drafts == 1), "{:?}", status.status);
        assert!(status.by_county.is_empty() && status.by_size_class.is_empty());
        let csv = omfang::db::status::status_csv(&status).unwrap();
        assert!(csv.starts_with("\u{feff}bydelsnummer;bydel;"), "{csv}");
        let korus = omfang::db::status::round_status(&app.conn, "korus-2025").await.unwrap();
        assert_eq!((korus.unit.as_str(), korus.municipalities), ("kommuner", 357));
        assert!(korus.status.iter().all(|s| s.drafts == 0), "nothing of the Oslo round in KORUS's");
    }
}
