//! The questionnaire preview in headless Chromium: the gate switches
//! branches live through the engine compiled to wasm. Screenshots go to
//! `test-artifacts/` so a person can look.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::{Db, spawn_app_with};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn dist_dir() -> PathBuf {
    let dir = PathBuf::from(std::env::var("OMFANG_DIST_DIR").expect(
        "OMFANG_DIST_DIR is not set: the browser tests need the built app. Run `cargo xtask ci` (or `cargo xtask dist` \
         and set OMFANG_DIST_DIR=frontend/dist).",
    ));
    assert!(
        dir.join("index.html").is_file(),
        "{} has no index.html; run `cargo xtask dist`",
        dir.display()
    );
    dir
}

fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn browser(profile: &std::path::Path) -> (Client, Driver) {
    let chromedriver =
        std::env::var("OMFANG_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let chromium = std::env::var("OMFANG_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {chromedriver} (install Debian's chromium-driver, or run `cargo xtask ci`): {e}"));
    let driver = Driver(child);
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--disable-sync",
                     "--window-size=1100,1000", format!("--user-data-dir={}", profile.display())]
        }
    });
    let caps = caps.as_object().unwrap().clone();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return (c, driver),
            Err(e) if Instant::now() > deadline => {
                panic!("chromedriver did not start a session: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

async fn displayed(c: &Client, item: &str) -> bool {
    match c
        .find(Locator::Css(&format!("[data-item=\"{item}\"]")))
        .await
    {
        Ok(e) => e.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

/// Polls until `item`'s visibility is `want` (the UI updates asynchronously).
async fn expect_displayed(c: &Client, item: &str, want: bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while displayed(c, item).await != want {
        assert!(
            Instant::now() < deadline,
            "item {item}: expected displayed = {want}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(artifacts().join(format!("{name}.png")), png).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gate_switches_branches_live_in_the_browser() {
    let app = spawn_app_with(Db::Sqlite, Some(dist_dir())).await;
    let profile = tempfile::tempdir().unwrap();
    let (c, _driver) = browser(profile.path()).await;
    c.goto(&app.address).await.unwrap();
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("[data-item=\"gate\"]"))
        .await
        .expect("the preview loads");

    // Before the gate is answered only the header and the gate show.
    expect_displayed(&c, "gate", true).await;
    expect_displayed(&c, "1.1", false).await;
    expect_displayed(&c, "3.1", false).await;
    assert!(text_of(&c, "h1").await.contains("Omfangsundersøkelse"));
    screenshot(&c, "preview-start").await;

    // Branch 3.
    c.find(Locator::Css("#q-gate-3"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    expect_displayed(&c, "3.1", true).await;
    expect_displayed(&c, "1.1", false).await;
    expect_displayed(&c, "2.1", false).await;
    screenshot(&c, "preview-branch-3").await;

    // Branch 1, with its skip logic.
    c.find(Locator::Css("#q-gate-1"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    expect_displayed(&c, "1.1", true).await;
    expect_displayed(&c, "3.1", false).await;
    expect_displayed(&c, "1.16.1", false).await;
    c.find(Locator::Css("#q-1_16-1"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    expect_displayed(&c, "1.16.1", true).await;
    expect_displayed(&c, "1.25", true).await;

    // Bad input gets the engine's Norwegian message, tied to the input.
    let count = c.find(Locator::Css("#q-1_10")).await.unwrap();
    count.send_keys("abc").await.unwrap();
    let described = count.attr("aria-describedby").await.unwrap().unwrap();
    assert_eq!(described, "e-1_10");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !text_of(&c, "#e-1_10").await.contains("Skriv et helt tall") {
        assert!(Instant::now() < deadline, "no message for «abc» in 1.10");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Five goals where at most four are allowed.
    for code in 0..5 {
        c.find(Locator::Css(&format!("#q-1_9-{code}")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while !text_of(&c, "#e-1_9")
        .await
        .contains("Du kan velge høyst 4 alternativer")
    {
        assert!(
            Instant::now() < deadline,
            "no message for five goals in 1.9"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    screenshot(&c, "preview-branch-1-errors").await;

    // The registry pickers: Oslo shows the district picker.
    expect_displayed(&c, "bydel", false).await;
    c.find(Locator::Css("#q-fylke"))
        .await
        .unwrap()
        .select_by_value("03")
        .await
        .unwrap();
    c.find(Locator::Css("#q-kommune"))
        .await
        .unwrap()
        .select_by_value("0301")
        .await
        .unwrap();
    expect_displayed(&c, "bydel", true).await;
    c.find(Locator::Css("#q-bydel"))
        .await
        .unwrap()
        .select_by_label("Uteseksjonen")
        .await
        .unwrap();

    // "Show all" reveals the other branches for proof-reading.
    c.find(Locator::Css(".toggle input"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    expect_displayed(&c, "2.1", true).await;
    expect_displayed(&c, "3.6", true).await;
    screenshot(&c, "preview-show-all").await;
    c.close().await.unwrap();
}
