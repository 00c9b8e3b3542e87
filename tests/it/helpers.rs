//! Test support: `spawn_app(Db)` starts the real server on a fresh database.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use omfang::config::Settings;
use omfang::startup::Application;
use sea_orm::{ConnectionTrait, Database};

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    /// An SQLite file in a temporary folder.
    Sqlite,
    /// A fresh database on the PostgreSQL server of `OMFANG_TEST_POSTGRES_URL`.
    Postgres,
}

/// A running server and what is needed to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The database URL the app runs on.
    database_url: String,
    /// HTTP client.
    pub client: reqwest::Client,
    /// A connection to the server's database.
    pub conn: sea_orm::DatabaseConnection,
    db: Db,
    _guard: DatabaseGuard,
    _dir: tempfile::TempDir,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "omfang_t_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The PostgreSQL server for tests; the tests fail (not skip) without it.
pub fn postgres_admin_url() -> String {
    std::env::var("OMFANG_TEST_POSTGRES_URL").expect(
        "OMFANG_TEST_POSTGRES_URL is not set: storage tests run on PostgreSQL too. \
         Run `cargo xtask ci`, which starts PostgreSQL, or point it at a server, e.g. \
         postgres://postgres:omfang@127.0.0.1:5432/postgres",
    )
}

/// Makes a fresh, empty database and returns its URL.
pub async fn fresh_database(db: Db, dir: &Path) -> (String, DatabaseGuard) {
    let (url, admin) = fresh_database_inner(db, dir).await;
    (url, DatabaseGuard(admin))
}

/// Drops a PostgreSQL test database when dropped (SQLite files go with their temp dir).
pub struct DatabaseGuard(Option<(String, String)>);

impl Drop for DatabaseGuard {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.0.take() {
            // Dropping needs async; do it on a runtime of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let conn = Database::connect(&admin).await.ok()?;
                    conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await
                        .ok()
                })
            })
            .join();
        }
    }
}

async fn fresh_database_inner(db: Db, dir: &Path) -> (String, Option<(String, String)>) {
    match db {
        Db::Sqlite => (
            format!("sqlite://{}?mode=rwc", dir.join("omfang.db").display()),
            None,
        ),
        Db::Postgres => {
            let admin = postgres_admin_url();
            let name = unique_name();
            let conn = Database::connect(&admin)
                .await
                .expect("connecting to the test PostgreSQL server");
            conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("creating a test database");
            let (base, _) = admin
                .rsplit_once('/')
                .expect("the admin URL ends in /DATABASE");
            (format!("{base}/{name}"), Some((admin, name)))
        }
    }
}

/// Starts the server on a fresh database of the given kind.
pub async fn spawn_app(db: Db) -> TestApp {
    spawn_app_with(db, None).await
}

/// Starts the server, serving the browser app from `static_dir` if given.
pub async fn spawn_app_with(db: Db, static_dir: Option<PathBuf>) -> TestApp {
    spawn_app_configured(db, static_dir, |_| {}).await
}

/// Starts the server with test settings changed by `configure`.
pub async fn spawn_app_configured(
    db: Db,
    static_dir: Option<PathBuf>,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (database_url, guard) = fresh_database(db, dir.path()).await;
    let static_dir = static_dir.unwrap_or_else(|| dir.path().join("no-app"));
    let mut settings = Settings::for_tests(&database_url, static_dir);
    settings.mail.mail_dir = dir.path().join("mail");
    settings.secret_file = dir.path().join("omfang.key");
    configure(&mut settings);
    let app = Application::build(&settings).await.expect("the app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let conn = app.db().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        conn,
        database_url,
        address,
        client: reqwest::Client::new(),
        db,
        _guard: guard,
        _dir: dir,
    }
}

impl TestApp {
    /// GET a path, returning status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let resp = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.text().await.expect("body"))
    }

    /// GET a path and decode JSON, asserting 200.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }

    /// Sends a JSON body with `method` and returns status and JSON body.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let resp = self
            .client
            .request(method, format!("{}{path}", self.address))
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        )
    }

    /// Creates an invitation in the KORUS 2025 round and returns its token.
    pub async fn invite(&self, municipality: &str, district: Option<&str>) -> String {
        self.invite_in("korus-2025", municipality, district).await
    }

    /// Creates an invitation in a round and returns its token.
    pub async fn invite_in(
        &self,
        round: &str,
        municipality: &str,
        district: Option<&str>,
    ) -> String {
        use omfang::domain::{DistrictNumber, EmailAddress, MunicipalityNumber};
        let m = MunicipalityNumber::parse(municipality).unwrap();
        let d = district.map(|d| DistrictNumber::parse(d).unwrap());
        let e = EmailAddress::parse("respondent@kommune.no").unwrap();
        let (_, token) =
            omfang::db::journey::create_invitation(&self.conn, round, &m, d.as_ref(), &e)
                .await
                .expect("invitation");
        token.expose().to_owned()
    }

    /// The database URL the app runs on (for the CLI).
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// Which database this app runs on.
    pub fn db(&self) -> Db {
        self.db
    }
}

/// Defines one test per database: `NAME_sqlite` and `NAME_postgres`.
macro_rules! on_both_databases {
    ($(async fn $name:ident($app:ident: Db) $body:block)+) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                async fn body($app: crate::helpers::Db) $body
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() { body(crate::helpers::Db::Sqlite).await }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() { body(crate::helpers::Db::Postgres).await }
            }
        )+
    };
}
pub(crate) use on_both_databases;
