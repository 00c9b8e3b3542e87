//! A respondent who fills in whole questionnaires the way a person does:
//! typing counts, «4,5», ages, the grid, moving the slider, choosing,
//! writing «spesifiser» texts, confirming warnings on the summary, and
//! sending in, without ever reloading. Which fields a page shows comes
//! from the page itself; what to type comes from the item's kind.

use std::collections::{BTreeMap, BTreeSet};

use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::Value;
use survey_definitions::{ItemKind, SurveyDefinition};

use crate::browser::Session;

/// The «Neste» / «Til oppsummering» button.
pub const NEXT: &str = ".pager button.primary";

/// The DOM id of an item's input.
pub fn dom(id: &str) -> String {
    format!("q-{}", id.replace(['.', ':'], "_"))
}

/// What to answer where the default would not do.
#[derive(Default, Clone)]
pub struct Plan {
    /// Text to type, by item id (also counts and decimals, as typed).
    pub typed: BTreeMap<String, String>,
    /// Codes to choose, by item id.
    pub chosen: BTreeMap<String, Vec<i64>>,
    /// Ages to type (lower, upper), by item id.
    pub ages: BTreeMap<String, (String, String)>,
    /// Grid rows to fill (code, count), by item id.
    pub grid: BTreeMap<String, Vec<(i64, String)>>,
    /// Roster rows to add, each its fields in column order, by item id.
    pub rows: BTreeMap<String, Vec<Vec<String>>>,
}

impl Plan {
    /// The answers used for branch `gate` of KORUS 2025: consistent counts,
    /// an age segment inside the target group, «Ja» where it opens follow-ups.
    pub fn korus(branch: u8) -> Plan {
        let b = branch.to_string();
        let id = |s: &str| format!("{b}.{s}");
        let mut p = Plan::default();
        p.chosen.insert("gate".into(), vec![branch as i64]);
        p.typed.insert(id("1"), format!("Uteteamet {b}"));
        p.typed.insert(id("10"), "6".into());
        p.typed.insert(id("10.1"), "4,5".into());
        p.typed.insert(id("10.2"), "4".into());
        p.typed.insert(id("10.3"), "2".into());
        p.ages.insert(id("7"), ("12".into(), "23".into()));
        p.ages.insert(id("8"), ("14".into(), "18".into()));
        p.grid
            .insert(id("11"), vec![(1, "4".into()), (2, "2".into())]);
        p
    }
}

/// The ids of the items displayed on the current page, in order.
async fn shown_items(s: &Session) -> Vec<String> {
    let v = s
        .c
        .execute(
            "return [...document.querySelectorAll('.page [data-item]')].filter(e => e.offsetParent !== null).map(e => e.dataset.item)",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

/// Clicks the label of an option, as a person does.
async fn choose(s: &Session, id: &str, code: i64) {
    s.click(&format!("label[for=\"{}-{code}\"]", dom(id))).await;
}

/// Answers one item by its kind.
async fn answer(s: &Session, def: &SurveyDefinition, plan: &Plan, id: &str) {
    let item = def
        .item(id)
        .unwrap_or_else(|| panic!("the page shows unknown item {id}"));
    let css = format!("#{}", dom(id));
    match &item.kind {
        ItemKind::Text { .. } | ItemKind::LongText { .. } => {
            let text = plan
                .typed
                .get(id)
                .cloned()
                .unwrap_or_else(|| format!("Svar på {id}"));
            s.type_into(&css, &text).await;
        }
        ItemKind::Integer { .. } => {
            s.type_into(&css, plan.typed.get(id).map_or("3", String::as_str))
                .await;
        }
        ItemKind::Decimal { .. } => {
            s.type_into(&css, plan.typed.get(id).map_or("4,5", String::as_str))
                .await;
        }
        ItemKind::Date => {
            s.type_into(
                &css,
                plan.typed.get(id).map_or("31.12.2025", String::as_str),
            )
            .await;
        }
        ItemKind::Money { .. } => {
            s.type_into(
                &css,
                plan.typed.get(id).map_or("kr 250 000,-", String::as_str),
            )
            .await;
        }
        ItemKind::Percent => {
            // The slider: focus it and move it with the arrow keys.
            s.focus(&css).await;
            for _ in 0..10 {
                s.press(&Key::Right.to_string()).await;
            }
        }
        ItemKind::SingleChoice { options } => {
            let code = plan
                .chosen
                .get(id)
                .and_then(|c| c.first().copied())
                .unwrap_or(options[0].code);
            choose(s, id, code).await;
            specify(s, item, &[code]).await;
        }
        ItemKind::MultipleChoice {
            options,
            max_choices,
            ..
        } => {
            let codes = plan.chosen.get(id).cloned().unwrap_or_else(|| {
                let n = max_choices.map_or(2, |m| m.min(2) as usize);
                options
                    .iter()
                    .filter(|o| !o.exclusive)
                    .take(n)
                    .map(|o| o.code)
                    .collect()
            });
            for &c in &codes {
                choose(s, id, c).await;
            }
            specify(s, item, &codes).await;
        }
        ItemKind::AgeRange { .. } => {
            let (lo, hi) = plan
                .ages
                .get(id)
                .cloned()
                .unwrap_or(("13".into(), "20".into()));
            s.type_into(&format!("{css}-lower"), &lo).await;
            s.type_into(&format!("{css}-upper"), &hi).await;
        }
        ItemKind::CountGrid { rows, .. } => {
            let cells = plan
                .grid
                .get(id)
                .cloned()
                .unwrap_or_else(|| vec![(rows[0].code, "1".into())]);
            for (code, n) in cells {
                s.type_into(&format!("{css}-{code}"), &n).await;
            }
        }
        ItemKind::Estimate { .. } => {
            s.type_into(
                &css,
                plan.typed.get(id).map_or("cirka 12–15", String::as_str),
            )
            .await;
        }
        // Row by row, pressing «Legg til rad» before every row after the first.
        ItemKind::Roster { columns, .. } => {
            let rows = plan.rows.get(id).cloned().unwrap_or_else(|| {
                vec![
                    columns
                        .iter()
                        .map(|c| {
                            if c.kind.range().is_some() {
                                "100".into()
                            } else {
                                "Rolle".into()
                            }
                        })
                        .collect(),
                ]
            });
            for (i, fields) in rows.iter().enumerate() {
                if i > 0 {
                    s.click(&format!("{css}-add")).await;
                }
                for (c, value) in columns.iter().zip(fields) {
                    s.type_into(&format!("{css}-{}-{}", i + 1, c.key), value)
                        .await;
                }
            }
        }
        ItemKind::Registry { .. } => {
            // Fixed by the link: shown, not asked.
            assert!(
                s.displayed(&format!("{css}.readonly-field")).await,
                "{id} should be fixed by the link"
            );
        }
        ItemKind::Specify { .. } => {}
    }
}

/// Writes the «spesifiser» text of chosen options that have one.
async fn specify(s: &Session, item: &survey_definitions::Item, codes: &[i64]) {
    for o in item.options().iter().filter(|o| codes.contains(&o.code)) {
        if let Some(sid) = &o.specify {
            s.type_into(&format!("#{}", dom(sid)), "Et annet svar")
                .await;
        }
    }
}

/// Fills in every page from the current one to the summary, pressing
/// «Neste» like a person; fails if a page blocks with an error summary.
/// Returns the headings of the pages seen.
pub async fn fill_to_summary(s: &Session, def: &SurveyDefinition, plan: &Plan) -> Vec<String> {
    let mut seen_pages = Vec::new();
    for _ in 0..20 {
        if s.displayed("#answers-heading").await {
            return seen_pages;
        }
        let heading = s.find("#page-heading").await.text().await.unwrap();
        seen_pages.push(heading);
        let mut done = BTreeSet::new();
        // Answers can open follow-up questions on the same page: look again.
        loop {
            let fresh: Vec<String> = shown_items(s)
                .await
                .into_iter()
                .filter(|i| !done.contains(i))
                .collect();
            if fresh.is_empty() {
                break;
            }
            for id in fresh {
                answer(s, def, plan, &id).await;
                done.insert(id);
            }
        }
        s.click(NEXT).await;
        assert!(
            !s.displayed("#error-summary").await,
            "the page «{}» refused to move on: {}",
            seen_pages.last().unwrap(),
            s.text("#error-summary").await
        );
    }
    panic!("never reached the summary; pages: {seen_pages:?}");
}

/// On the summary: confirms every warning and sends in; waits for the receipt.
pub async fn confirm_and_send(s: &Session) {
    s.find("#answers-heading").await;
    let boxes =
        s.c.find_all(Locator::Css(".warnings-list input[type=checkbox]"))
            .await
            .unwrap();
    for b in boxes {
        let id = b.attr("id").await.unwrap().unwrap();
        if b.prop("checked").await.unwrap().as_deref() != Some("true") {
            s.click(&format!("label[for=\"{id}\"]")).await;
        }
    }
    s.click(NEXT).await;
    s.expect_text("#page-heading", "Svarene er sendt inn").await;
}

/// The server's state of a link's response number `n` (oldest first).
pub async fn server_state(s: &Session, token: &str, n: usize) -> Value {
    let (_, view) = s
        .app
        .send(
            reqwest::Method::GET,
            &format!("/api/r/{token}"),
            Value::Null,
        )
        .await;
    let id = view["responses"][n]["id"]
        .as_i64()
        .expect("the response exists");
    let (_, state) = s
        .app
        .send(
            reqwest::Method::GET,
            &format!("/api/r/{token}/responses/{id}"),
            Value::Null,
        )
        .await;
    state
}
