//! The respondent journey at the edges: keyboard alone at 320 px, and an
//! autosave that retries after the server went away and came back.

use crate::browser::session;
use crate::helpers::Db;
use crate::walk::NEXT;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usable_by_keyboard_alone_and_at_320_px() {
    use fantoccini::key::Key;
    let s = session(Db::Sqlite).await;
    let token = s.app.invite("1111", None).await;
    s.open(&format!("/svar/{token}")).await;
    // Keyboard only: focus the start button, press Enter; type into the
    // focused fields; Tab to the next one; Space on a radio button; arrows move within the group.
    let (enter, tab, down) = (
        Key::Enter.to_string(),
        Key::Tab.to_string(),
        Key::Down.to_string(),
    );
    s.focus("button.primary").await;
    s.press(&enter).await;
    s.focus("#q-navn").await;
    s.press("Kari").await;
    s.press(&tab).await;
    assert_eq!(
        s.focused_id().await.as_deref(),
        Some("q-stilling"),
        "Tab moves to the next field"
    );
    s.press("Rådgiver").await;
    s.focus(".pager button.primary").await;
    s.press(&enter).await;
    s.focus("#q-gate-1").await;
    s.press(" ").await;
    s.press(&down).await;
    s.press(&down).await;
    let chosen = s.find("#q-gate-3").await.prop("checked").await.unwrap();
    assert_eq!(
        chosen.as_deref(),
        Some("true"),
        "arrow keys move the choice within the group"
    );
    s.expect_text(".position", "Side 2 av 3: Tjenestetype")
        .await;

    // 320 CSS pixels wide (a small phone, or 200 % zoom on 640 px): nothing scrolls sideways.
    s.c.set_window_size(320, 800).await.unwrap();
    for _ in 0..2 {
        let fits =
            s.c.execute(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            fits,
            serde_json::Value::Bool(true),
            "the page scrolls sideways at 320 px"
        );
        s.click(NEXT).await;
    }
    s.screenshot("journey-320px").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autosave_retries_after_a_network_drop() {
    use crate::durability::{invite, start};
    use fantoccini::Locator;
    let dir = tempfile::tempdir().unwrap();
    let (url, _guard) = crate::helpers::fresh_database(Db::Sqlite, dir.path()).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dist = crate::browser::dist_dir().display().to_string();
    let mut server = start(&url, port, &dist).await;
    let token = invite(&url);
    let (c, _driver, _profile) = crate::browser::browser().await;
    let base = format!("http://127.0.0.1:{port}");
    c.goto(&format!("{base}/svar/{token}")).await.unwrap();
    let wait = |css: &'static str| {
        let c = c.clone();
        async move {
            c.wait()
                .at_most(std::time::Duration::from_secs(15))
                .for_element(Locator::Css(css))
                .await
                .unwrap()
        }
    };
    wait("button.primary").await.click().await.unwrap();
    wait("#q-navn").await.send_keys("Kari").await.unwrap();
    let status = |c: fantoccini::Client| async move {
        c.find(Locator::Css(".save-status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let until = |want: &'static str| {
        let c = c.clone();
        async move {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            loop {
                let t = status(c.clone()).await;
                if t.contains(want) {
                    return;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "status never said «{want}», last «{t}»"
                );
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    };
    until("Lagret kl.").await;
    // The network drops: the server is gone while the respondent types on.
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    wait("#q-stilling")
        .await
        .send_keys("Rådgiver")
        .await
        .unwrap();
    until("Ikke lagret – prøver igjen").await;
    // The server comes back on the same address; the page saves by itself.
    let _server = start(&url, port, &dist).await;
    until("Lagret kl.").await;
    let client = reqwest::Client::new();
    let view: serde_json::Value = client
        .get(format!("{base}/api/r/{token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = view["responses"][0]["id"].as_i64().unwrap();
    let st: serde_json::Value = client
        .get(format!("{base}/api/r/{token}/responses/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        st["answers"]["values"]["stilling"], "Rådgiver",
        "the edit made while the server was down was saved"
    );
}
