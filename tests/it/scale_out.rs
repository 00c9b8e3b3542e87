//! Two `omfang serve` processes on one PostgreSQL database, as behind a
//! load balancer: both wave senders work one wave and every recipient gets
//! exactly one mail; a session made on one is valid on the other; a round
//! window set on one is seen by the other within its cache second; and an
//! autosave on a stale version is caught whichever server takes it.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{Db, fresh_database};
use crate::waves::{Sink, add_admin, admin_cookie, free_port, omfang, received, serve, token_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgresql_agree() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _guard) = fresh_database(Db::Postgres, dir.path()).await;
    let secret = dir.path().join("omfang.key");
    let mut csv = String::from("municipality_number,district_number,kind,name,email\n");
    let municipalities = [
        "1103", "4601", "5001", "1101", "3201", "1506", "1804", "5501", "3301", "4204", "3401",
        "3403", "3405", "1106", "1108", "4203", "1111", "1112", "1114", "1119",
    ];
    for (i, m) in municipalities.iter().enumerate() {
        csv.push_str(&format!("{m},,tjeneste,Kontakt {i},k{i}@kommune{m}.no\n"));
    }
    let file = dir.path().join("contacts.csv");
    std::fs::write(&file, csv).unwrap();
    let out = omfang(
        &url,
        &secret,
        &["contacts", "import", file.to_str().unwrap()],
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    add_admin(&url, &secret);

    let smtp_port = free_port();
    let mails = dir.path().join("mails.jsonl");
    // A slow SMTP server (1 s per RCPT), so the wave lasts while the second server starts.
    let _sink = Sink::start_slow(smtp_port, &mails, Some(1.0));
    let smtp = format!("smtp://127.0.0.1:{smtp_port}");
    let (port_a, port_b) = (free_port(), free_port());
    let mut a = serve(&url, &secret, port_a, &smtp).await;
    let (base_a, base_b) = (
        format!("http://127.0.0.1:{port_a}"),
        format!("http://127.0.0.1:{port_b}"),
    );
    let client = reqwest::Client::new();
    let cookie = admin_cookie(&client, &base_a).await;
    let wave = json!({
        "survey_id": "korus-2025", "kind": "invitation", "who": "all",
        "subject": "Omfangsundersøkelsen – {kommune}", "deadline": "16. mai 2025",
        "template": "Hei {navn}\n{lenke}\n{avmelding}\n",
    });
    let resp = client
        .post(format!("{base_a}/api/admin/waves"))
        .header("cookie", &cookie)
        .json(&wave)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    // The second server starts while the first is sending: its sender takes part.
    let mut b = serve(&url, &secret, port_b, &smtp).await;

    // A session made on A is valid on B (sessions live in the database).
    let me = client
        .get(format!("{base_b}/api/auth/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status().as_u16(), 200, "the session is shared");

    // Every recipient gets exactly one mail with both senders running.
    let deadline = Instant::now() + Duration::from_secs(90);
    while received(&mails).len() < 20 {
        assert!(
            Instant::now() < deadline,
            "the wave did not finish: {} of 20",
            received(&mails).len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let got = received(&mails);
    let mut per_recipient: BTreeMap<String, usize> = BTreeMap::new();
    for m in &got {
        *per_recipient
            .entry(m["to"][0].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    assert_eq!(per_recipient.len(), 20);
    assert!(
        per_recipient.values().all(|&n| n == 1),
        "a mail went twice: {per_recipient:?}"
    );

    // A round window set on B is seen by A within its cache second.
    let token = token_in(got[0]["body"].as_str().unwrap());
    let created: Value = client
        .post(format!("{base_a}/api/r/{token}/responses"))
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let window = client
        .put(format!("{base_b}/api/admin/rounds/korus-2025/window"))
        .header("cookie", &cookie)
        .json(&json!({"opens": null, "closes": "2020-01-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(window.status().as_u16(), 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let refused = client
        .put(format!("{base_a}/api/r/{token}/responses/{id}"))
        .json(&json!({"version": 1, "values": {"gate": 3}}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403, "A saw B's window");
    let reopened = client
        .put(format!("{base_b}/api/admin/rounds/korus-2025/window"))
        .header("cookie", &cookie)
        .json(&json!({"opens": null, "closes": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(reopened.status().as_u16(), 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;

    // An autosave on a stale version is caught, whichever server takes it.
    let save = |base: String, version: i64| {
        let client = client.clone();
        let token = token.clone();
        async move {
            client
                .put(format!("{base}/api/r/{token}/responses/{id}"))
                .json(&json!({"version": version, "values": {"gate": 3}}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(save(base_a.clone(), 1).await, 200);
    assert_eq!(
        save(base_b.clone(), 1).await,
        409,
        "B caught the stale version"
    );
    let _ = a.kill();
    let _ = b.kill();
    let _ = a.wait();
    let _ = b.wait();
}
