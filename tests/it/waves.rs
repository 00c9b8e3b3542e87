//! Invitation waves over SMTP to a real server process on loopback
//! (Debian's python3-aiosmtpd), on both databases: the SMTP server is
//! stopped mid-wave and started again, and every recipient still gets
//! exactly one mail; UTF-8 subjects, personal links that open the survey,
//! bounces, reminders with the same link, and the opt-out link.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::durability::omfang_binary;
use crate::helpers::{fresh_database, on_both_databases};

pub struct Sink(Child);

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Sink {
    pub fn start(port: u16, file: &Path) -> Sink {
        Sink::start_slow(port, file, None)
    }

    /// A sink that waits `rcpt_delay` seconds before answering each RCPT.
    pub fn start_slow(port: u16, file: &Path, rcpt_delay: Option<f64>) -> Sink {
        let python =
            std::env::var("OMFANG_SMTP_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
        let mut child = Command::new(&python)
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/it/smtp_sink.py"))
            .arg(port.to_string())
            .arg(file)
            .args(rcpt_delay.map(|d| d.to_string()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {python} (python3-aiosmtpd): {e}"));
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(
            line.trim(),
            "ready",
            "the SMTP server did not start (is python3-aiosmtpd installed?)"
        );
        Sink(child)
    }

    pub fn stop(mut self) {
        // SIGTERM lets the server stop listening; kill is the fallback.
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let _ = self.0.wait();
        let _ = self.0.kill();
    }
}

pub fn received(file: &Path) -> Vec<Value> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn omfang(url: &str, secret: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(omfang_binary());
    cmd.args(args)
        .env("DATABASE_URL", url)
        .env("OMFANG_SECRET_FILE", secret)
        .env("RUST_LOG", "warn");
    cmd
}

/// Adds the administrator `admin@korus.no` with the CLI (password on stdin).
pub(crate) fn add_admin(url: &str, secret: &Path) {
    let mut add = omfang(
        url,
        secret,
        &["user", "add", "--role", "admin", "admin@korus.no"],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::null())
    .spawn()
    .unwrap();
    std::io::Write::write_all(&mut add.stdin.take().unwrap(), b"et-langt-admin-passord\n").unwrap();
    assert!(add.wait().unwrap().success());
}

/// Logs `admin@korus.no` in at `base` and returns the session cookie.
pub(crate) async fn admin_cookie(client: &reqwest::Client, base: &str) -> String {
    let login = client
        .post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({"email": "admin@korus.no", "password": "et-langt-admin-passord"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status().as_u16(), 200);
    login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

pub(crate) fn token_in(body: &str) -> String {
    let at = body.find("/svar/").expect("a personal link") + "/svar/".len();
    body[at..at + 43].to_owned()
}

on_both_databases! {
    async fn a_wave_survives_the_smtp_server_going_away_and_sends_each_mail_once(db: Db) {
        let dir = tempfile::tempdir().unwrap();
        let (url, _guard) = fresh_database(db, dir.path()).await;
        let secret = dir.path().join("omfang.key");

        // Contacts: a bad file is refused whole; a good one imports, merging a duplicate.
        let bad = dir.path().join("bad.csv");
        std::fs::write(&bad, "municipality_number,district_number,kind,name,email\n1103,,tjeneste,Ola,ikke-en-adresse\n9999,,postmottak,,post@x.no\n").unwrap();
        let out = omfang(&url, &secret, &["contacts", "import", bad.to_str().unwrap()]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains("linje 2") && err.contains("linje 3"), "{err}");
        let mut csv = String::from("municipality_number,district_number,kind,name,email\n");
        let municipalities = ["1103", "4601", "5001", "1101", "3201", "1506", "1804", "5501", "3301", "4204"];
        for (i, m) in municipalities.iter().enumerate() {
            csv.push_str(&format!("{m},,tjeneste,Kari Ås {i},kontakt{i}@kommune{m}.no\n"));
        }
        csv.push_str("0301,030101,tjeneste,Bjørn Øvre,bydel@oslo.kommune.no\n");
        csv.push_str("0301,030101,tjeneste,Bjørn Øvre-Æsop,BYDEL@oslo.kommune.no\n"); // merged
        csv.push_str("1103,,postmottak,,bounce@stavanger.kommune.no\n");
        let good = dir.path().join("contacts.csv");
        std::fs::write(&good, csv).unwrap();
        let out = omfang(&url, &secret, &["contacts", "import", good.to_str().unwrap()]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("imported 12 new contacts, merged 0"), "{}", String::from_utf8_lossy(&out.stdout));

        let template = dir.path().join("invitasjon.txt");
        std::fs::write(&template, "Hei {navn}!\n\nKORUS ber {kommune} svare på omfangsundersøkelsen innen {frist}:\n{lenke}\n\nVil du ikke ha flere e-poster: {avmelding}\n").unwrap();
        let smtp_port = free_port();
        let mails = dir.path().join("mails.jsonl");
        let sink = Sink::start(smtp_port, &mails);
        let smtp = format!("smtp://127.0.0.1:{smtp_port}");
        let mut wave = omfang(&url, &secret, &[
            "wave", "send", "--round", "korus-2025", "--select", "all",
            "--subject", "Omfangsundersøkelsen: {kommune} – svar innen {frist}",
            "--template", template.to_str().unwrap(), "--deadline", "16. mai 2025",
            "--smtp-url", &smtp, "--per-minute", "300", "--base-url", "http://127.0.0.1:9",
            "--by", "admin@korus.no",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

        // Stop the SMTP server mid-wave, keep it away for a while, start it again.
        let deadline = Instant::now() + Duration::from_secs(30);
        while received(&mails).len() < 4 {
            assert!(Instant::now() < deadline, "no mail arrived");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        sink.stop();
        let during = received(&mails).len();
        assert!(during < 11, "the outage came mid-wave ({during} sent)");
        tokio::time::sleep(Duration::from_secs(3)).await;
        let _sink = Sink::start(smtp_port, &mails);
        let deadline = Instant::now() + Duration::from_secs(90);
        let status = loop {
            if let Some(status) = wave.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the wave did not finish after the SMTP server came back");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let out = wave.wait_with_output().unwrap();
        assert!(status.success(), "{}", String::from_utf8_lossy(&out.stderr));

        // Exactly one mail per recipient; the bounce is recorded, not retried.
        let got = received(&mails);
        let mut per_recipient: BTreeMap<String, usize> = BTreeMap::new();
        for m in &got {
            for to in m["to"].as_array().unwrap() {
                *per_recipient.entry(to.as_str().unwrap().to_lowercase()).or_default() += 1;
            }
        }
        assert_eq!(per_recipient.len(), 11, "{per_recipient:?}");
        assert!(per_recipient.values().all(|&n| n == 1), "{per_recipient:?}");
        assert!(!per_recipient.contains_key("bounce@stavanger.kommune.no"));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("\"sent\": 11") && stdout.contains("\"failed\": 1"), "{stdout}");

        // UTF-8 subject and body, the personal link opens the survey.
        let oslo = got.iter().find(|m| m["to"][0] == "bydel@oslo.kommune.no").unwrap();
        assert_eq!(oslo["subject"], "Omfangsundersøkelsen: Oslo – svar innen 16. mai 2025");
        let body = oslo["body"].as_str().unwrap();
        assert!(body.contains("Hei Bjørn Øvre-Æsop!"), "merged contact's newest name: {body}");
        assert!(oslo["message_id"].as_str().unwrap().starts_with("<omfang-"));
        let server_port = free_port();
        let mut server = omfang(&url, &secret, &["serve", "--bind", &format!("127.0.0.1:{server_port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let client = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{server_port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while client.get(format!("{base}/api/health")).send().await.is_err() {
            assert!(Instant::now() < deadline, "omfang did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // Administrators see the wave's progress over the API.
        add_admin(&url, &secret);
        let cookie = admin_cookie(&client, &base).await;
        let waves: Value = client.get(format!("{base}/api/admin/waves")).header("cookie", cookie).send().await.unwrap().json().await.unwrap();
        assert_eq!(waves[0]["by_status"], serde_json::json!({"sent": 11, "failed": 1}), "{waves}");
        assert_eq!(waves[0]["created_by"], "admin@korus.no");

        let token = token_in(body);
        let opened: Value = client.get(format!("{base}/api/r/{token}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(opened["municipality"], "0301", "{opened}");

        // The opt-out link opens a page that asks: a mail scanner's GET or
        // HEAD changes nothing; the page's button (a POST) opts out. A
        // reminder then skips that contact and repeats the same link to the rest.
        let stavanger = got.iter().find(|m| m["to"][0] == "kontakt0@kommune1103.no").unwrap();
        let opt_out = stavanger["body"].as_str().unwrap().split_whitespace().find(|w| w.contains("/avmelding/")).unwrap();
        let opt_out = opt_out.replace("http://127.0.0.1:9", &base);
        for _ in 0..2 {
            assert_eq!(client.head(&opt_out).send().await.unwrap().status().as_u16(), 200);
            let page = client.get(&opt_out).send().await.unwrap().text().await.unwrap();
            assert!(page.contains("Vil du melde deg av?") && page.contains("<form method=\"post\">"), "{page}");
        }
        let done = client.post(&opt_out).send().await.unwrap();
        assert_eq!(done.status().as_u16(), 200);
        assert!(done.text().await.unwrap().contains("Du er meldt av"));
        // Mail programs get the RFC 8058 one-click address, which takes only a POST.
        let one_click = stavanger["list_unsubscribe"].as_str().unwrap().trim_matches(['<', '>']).replace("http://127.0.0.1:9", &base);
        assert!(one_click.contains("/api/optout/"), "{one_click}");
        assert_eq!(stavanger["list_unsubscribe_post"], "List-Unsubscribe=One-Click");
        assert_eq!(client.get(&one_click).send().await.unwrap().status().as_u16(), 405, "GET never opts out");
        assert_eq!(client.post(&one_click).body("List-Unsubscribe=One-Click").send().await.unwrap().status().as_u16(), 200);
        // Change the signature's last digit (to one it is not).
        let last = if opt_out.ends_with('0') { '1' } else { '0' };
        let forged = format!("{}{last}", &opt_out[..opt_out.len() - 1]);
        assert_eq!(client.get(&forged).send().await.unwrap().status().as_u16(), 404);
        assert_eq!(client.post(&forged).send().await.unwrap().status().as_u16(), 404);
        let _ = server.kill();
        let _ = server.wait();
        let before = got.len();
        let out = omfang(&url, &secret, &[
            "wave", "send", "--round", "korus-2025", "--kind", "reminder", "--select", "not-submitted",
            "--subject", "Påminnelse: omfangsundersøkelsen", "--template", template.to_str().unwrap(),
            "--deadline", "16. mai 2025", "--smtp-url", &smtp, "--per-minute", "6000", "--base-url", "http://127.0.0.1:9",
        ])
        .output()
        .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let reminders: Vec<Value> = received(&mails).split_off(before);
        assert_eq!(reminders.len(), 10, "11 invited, one opted out");
        assert!(reminders.iter().all(|m| m["to"][0] != "kontakt0@kommune1103.no"));
        let oslo_reminder = reminders.iter().find(|m| m["to"][0] == "bydel@oslo.kommune.no").unwrap();
        assert_eq!(token_in(oslo_reminder["body"].as_str().unwrap()), token, "the reminder repeats the invitation's link");

        // The audit trail has the waves and the opt-out.
        let audit = omfang(&url, &secret, &["audit", "export"]).output().unwrap();
        let audit = String::from_utf8_lossy(&audit.stdout);
        assert!(audit.contains(",wave,") && audit.contains("opted_out") && audit.contains("contacts_imported"), "{audit}");
    }
}

/// Starts `omfang serve` on `url` with mail to `smtp`, and waits until it answers.
pub(crate) async fn serve(url: &str, secret: &Path, port: u16, smtp: &str) -> Child {
    let child = omfang(
        url,
        secret,
        &[
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--smtp-url",
            smtp,
            "--per-minute",
            "240",
            "--release-uncertain-after",
            "2",
        ],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    crate::durability::wait_until_up(port).await;
    child
}

on_both_databases! {
    async fn a_server_killed_mid_wave_finishes_it_after_a_restart_with_each_mail_once(db: Db) {
        let dir = tempfile::tempdir().unwrap();
        let (url, _guard) = fresh_database(db, dir.path()).await;
        let secret = dir.path().join("omfang.key");
        let mut csv = String::from("municipality_number,district_number,kind,name,email\n");
        let municipalities = ["1103", "4601", "5001", "1101", "3201", "1506", "1804", "5501", "3301", "4204",
                              "3401", "3403", "3405", "1106", "1108", "4203", "4601", "5001", "1103", "3201"];
        for (i, m) in municipalities.iter().enumerate() {
            csv.push_str(&format!("{m},,tjeneste,Kontakt {i},k{i}@kommune{m}.no\n"));
        }
        let file = dir.path().join("contacts.csv");
        std::fs::write(&file, csv).unwrap();
        let out = omfang(&url, &secret, &["contacts", "import", file.to_str().unwrap()]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        add_admin(&url, &secret);

        let smtp_port = free_port();
        let mails = dir.path().join("mails.jsonl");
        // A slow SMTP server (2 s per RCPT), so the kill lands inside SMTP transactions.
        let _sink = Sink::start_slow(smtp_port, &mails, Some(2.0));
        let smtp = format!("smtp://127.0.0.1:{smtp_port}");
        let port = free_port();
        let mut server = serve(&url, &secret, port, &smtp).await;
        let conn = sea_orm::Database::connect(&url).await.unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let cookie = admin_cookie(&client, &base).await;
        let wave = serde_json::json!({
            "survey_id": "korus-2025", "kind": "invitation", "who": "all",
            "subject": "Omfangsundersøkelsen – {kommune}", "deadline": "16. mai 2025",
            "template": "Hei {navn}\n{lenke}\n{avmelding}\n",
        });
        let resp = client.post(format!("{base}/api/admin/waves")).header("cookie", &cookie).json(&wave).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 201);
        let created: Value = resp.json().await.unwrap();
        assert_eq!(created["mails"], 20, "{created}");

        // SIGKILL the server mid-wave, while mails are inside their SMTP transactions.
        use omfang::db::outreach::outbox;
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let in_flight = || outbox::Entity::find().filter(outbox::Column::Status.eq("sending")).count(&conn);
        let deadline = Instant::now() + Duration::from_secs(30);
        while received(&mails).len() < 3 || in_flight().await.unwrap() == 0 {
            assert!(Instant::now() < deadline, "the server's sender did not get going");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        server.kill().unwrap();
        server.wait().unwrap();
        let at_kill = received(&mails).len();
        let uncertain = in_flight().await.unwrap();
        assert!(at_kill < 20, "the kill came mid-wave ({at_kill} sent)");
        assert!(uncertain > 0, "the kill came inside an SMTP transaction");
        eprintln!("after SIGKILL: {at_kill} mails received, {uncertain} left in `sending`");

        // A restarted server finishes the wave by itself.
        let mut server = serve(&url, &secret, port, &smtp).await;
        let deadline = Instant::now() + Duration::from_secs(60);
        while received(&mails).len() < 20 {
            assert!(Instant::now() < deadline, "the restarted server did not finish the wave: {} of 20", received(&mails).len());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        let mut per_recipient: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for m in received(&mails) {
            per_recipient.entry(m["to"][0].as_str().unwrap().to_owned()).or_default().push(m["message_id"].as_str().unwrap().to_owned());
        }
        assert_eq!(per_recipient.len(), 20, "every recipient got the mail: {per_recipient:?}");
        assert!(per_recipient.values().all(|ids| ids.len() == 1), "none got it twice: {per_recipient:?}");
        let cookie = admin_cookie(&client, &base).await;
        let waves: Value = client.get(format!("{base}/api/admin/waves")).header("cookie", cookie).send().await.unwrap().json().await.unwrap();
        assert_eq!(waves[0]["by_status"], serde_json::json!({"sent": 20}), "{waves}");
        let _ = server.kill();
        let _ = server.wait();
    }
}
