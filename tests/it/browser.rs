//! Headless Chromium for the browser tests: Debian's chromedriver and
//! chromium, driven through fantoccini; polling helpers; screenshots.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::{Db, TestApp, spawn_app_with};

/// The chromedriver process, in a process group of its own with the
/// browsers it starts; the whole group is killed when dropped, so no
/// Chromium outlives its test (even one that panicked).
pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A browser session with its server and driver.
pub struct Session {
    /// The WebDriver client.
    pub c: Client,
    /// The app under test.
    pub app: TestApp,
    _driver: Driver,
    _profile: tempfile::TempDir,
}

/// The built browser app; the tests fail (not skip) without it.
pub fn dist_dir() -> PathBuf {
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

/// Starts the app on `db` with the built browser app, and a headless browser.
pub async fn session(db: Db) -> Session {
    session_with(spawn_app_with(db, Some(dist_dir())).await).await
}

/// A headless browser on an app the caller started (with the built browser app).
pub async fn session_with(app: TestApp) -> Session {
    let (c, driver, profile) = browser().await;
    Session {
        c,
        app,
        _driver: driver,
        _profile: profile,
    }
}

/// A headless browser on its own (for a server the test runs itself).
pub async fn browser() -> (Client, Driver, tempfile::TempDir) {
    let profile = tempfile::tempdir().unwrap();
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
        .process_group(0)
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
                     "--window-size=1280,900", "--lang=nb-NO", format!("--user-data-dir={}", profile.path().display())]
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
            Ok(c) => return (c, driver, profile),
            Err(e) if Instant::now() > deadline => {
                panic!("chromedriver did not start a session: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

impl Session {
    /// Opens a path of the app.
    pub async fn open(&self, path: &str) {
        self.c
            .goto(&format!("{}{path}", self.app.address))
            .await
            .unwrap();
    }

    /// Waits for an element and returns it.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.c
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    /// Clicks an element once it exists.
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Types into an element.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.find(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Moves keyboard focus to an element (as Tab would).
    pub async fn focus(&self, css: &str) {
        self.find(css).await;
        let script = format!("document.querySelector({css:?}).focus()");
        self.c
            .execute(&script, vec![])
            .await
            .unwrap_or_else(|e| panic!("focus {css}: {e}"));
    }

    /// Sends keys to whatever has keyboard focus.
    pub async fn press(&self, keys: &str) {
        self.c
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap_or_else(|e| panic!("keys {keys:?}: {e}"));
    }

    /// The id of the element that has keyboard focus.
    pub async fn focused_id(&self) -> Option<String> {
        self.c
            .active_element()
            .await
            .unwrap()
            .attr("id")
            .await
            .unwrap()
    }

    /// Waits until keyboard focus is on the element with `id`: the app
    /// moves focus in the next animation frame after the page changes.
    pub async fn expect_focus(&self, id: &str, why: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let now = self.focused_id().await;
            if now.as_deref() == Some(id) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{why}: focus is on {now:?}, not {id}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Whether an element exists and is displayed.
    pub async fn displayed(&self, css: &str) -> bool {
        match self.c.find(Locator::Css(css)).await {
            Ok(e) => e.is_displayed().await.unwrap_or(false),
            Err(_) => false,
        }
    }

    /// Waits until an item's visibility is `want`.
    pub async fn expect_item(&self, item: &str, want: bool) {
        let css = format!("[data-item=\"{item}\"]");
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.displayed(&css).await != want {
            assert!(
                Instant::now() < deadline,
                "item {item}: expected displayed = {want}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The text of an element ("" if missing).
    pub async fn text(&self, css: &str) -> String {
        match self.c.find(Locator::Css(css)).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits until an element's text contains `needle`.
    pub async fn expect_text(&self, css: &str, needle: &str) {
        self.expect_text_within(css, needle, 15).await;
    }

    /// Waits up to `seconds` until an element's text contains `needle`.
    pub async fn expect_text_within(&self, css: &str, needle: &str, seconds: u64) {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            let t = self.text(css).await;
            if t.contains(needle) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{css}: expected text containing «{needle}», got «{t}»"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until autosave reports "Lagret".
    pub async fn expect_saved(&self) {
        self.expect_text(".save-status", "Lagret kl.").await;
    }

    /// Saves a screenshot to `test-artifacts/NAME.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.c.screenshot().await.unwrap();
        std::fs::write(artifacts().join(format!("{name}.png")), png).unwrap();
    }

    /// Screenshots at desktop (1280 px) and phone (375 px) width,
    /// `NAME-1280.png` and `NAME-375.png`, each checked by axe-core.
    pub async fn look(&self, name: &str) {
        for (width, height) in [(375, 812), (1280, 900)] {
            self.c.set_window_size(width, height).await.unwrap();
            tokio::time::sleep(Duration::from_millis(150)).await;
            self.axe(&format!("{name} at {width} px")).await;
            self.screenshot(&format!("{name}-{width}")).await;
        }
    }

    /// Runs axe-core (npm; `OMFANG_AXE` names its `axe.min.js`) on the page
    /// and fails on any WCAG 2.1 A or AA violation.
    pub async fn axe(&self, what: &str) {
        let path = std::env::var("OMFANG_AXE").expect(
            "OMFANG_AXE is not set: the browser tests need axe-core. Run `cargo xtask ci`.",
        );
        let loaded = self.c.execute("return !!window.axe", vec![]).await.unwrap();
        if loaded != json!(true) {
            let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            self.c.execute(&src, vec![]).await.unwrap();
        }
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
              .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
                  v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
              .catch(e => done(['axe did not run: ' + e]));
        "#;
        let found = self.c.execute_async(script, vec![]).await.unwrap();
        let found: Vec<String> = serde_json::from_value(found).unwrap();
        assert!(
            found.is_empty(),
            "{what}: accessibility violations:\n{}",
            found.join("\n")
        );
    }

    /// The requests the page makes in the next `seconds` while nobody
    /// touches it (the Resource Timing API, emptied first).
    pub async fn requests_while_idle(&self, seconds: u64) -> Vec<String> {
        self.c
            .execute("performance.clearResourceTimings()", vec![])
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        let names = self
            .c
            .execute(
                "return performance.getEntriesByType('resource').map(e => e.name)",
                vec![],
            )
            .await
            .unwrap();
        serde_json::from_value(names).unwrap()
    }
}
