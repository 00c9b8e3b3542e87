//! The questionnaire preview in headless Chromium: the gate switches
//! branches live through the engine compiled to wasm.

use crate::browser::session;
use crate::helpers::Db;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gate_switches_branches_live_in_the_browser() {
    let s = session(Db::Sqlite).await;
    s.open("/").await;
    s.find("[data-item=\"gate\"]").await;

    // Before the gate is answered only the header and the gate show.
    s.expect_item("gate", true).await;
    s.expect_item("1.1", false).await;
    s.expect_item("3.1", false).await;
    assert!(s.text("h1").await.contains("Omfangsundersøkelse"));
    s.look("preview-start").await;

    // Branch 3.
    s.click("#q-gate-3").await;
    s.expect_item("3.1", true).await;
    s.expect_item("1.1", false).await;
    s.expect_item("2.1", false).await;
    s.screenshot("preview-branch-3").await;

    // Branch 1, with its skip logic.
    s.click("#q-gate-1").await;
    s.expect_item("1.1", true).await;
    s.expect_item("3.1", false).await;
    s.expect_item("1.16.1", false).await;
    s.click("#q-1_16-1").await;
    s.expect_item("1.16.1", true).await;
    s.expect_item("1.25", true).await;

    // Bad input gets the engine's Norwegian message, tied to the input.
    s.type_into("#q-1_10", "abc").await;
    // Checks speak when the field is left, not while typing.
    assert_eq!(s.text("#e-1_10").await, "");
    s.press(&fantoccini::key::Key::Tab.to_string()).await;
    let described = s
        .find("#q-1_10")
        .await
        .attr("aria-describedby")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(described, "e-1_10");
    s.expect_text("#e-1_10", "Skriv et helt tall").await;
    for code in 0..5 {
        s.click(&format!("#q-1_9-{code}")).await;
    }
    s.expect_text("#e-1_9", "Du kan velge høyst 4 alternativer")
        .await;
    s.screenshot("preview-branch-1-errors").await;

    // The registry pickers: Oslo shows the district picker.
    s.expect_item("bydel", false).await;
    s.find("#q-fylke")
        .await
        .select_by_value("03")
        .await
        .unwrap();
    s.find("#q-kommune")
        .await
        .select_by_value("0301")
        .await
        .unwrap();
    s.expect_item("bydel", true).await;
    s.find("#q-bydel")
        .await
        .select_by_label("Uteseksjonen")
        .await
        .unwrap();

    // "Show all" reveals the other branches for proof-reading.
    s.click(".toggle input").await;
    s.expect_item("2.1", true).await;
    s.expect_item("3.6", true).await;
    s.look("preview-show-all").await;
}
