//! Server settings: defaults, overridden by `OMFANG_*`/`DATABASE_URL`
//! environment variables, overridden by command-line flags (clap does the layering).

use std::net::SocketAddr;
use std::path::PathBuf;

/// Default database: an SQLite file in the working directory, created if missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://omfang.db?mode=rwc";

/// Settings of a running server.
#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "OMFANG_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Database: `sqlite://FILE?mode=rwc` (embedded default) or `postgres://USER:PASSWORD@HOST/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// Folder with the built browser app (`index.html`, wasm, JS, CSS).
    #[arg(long, env = "OMFANG_STATIC_DIR", default_value = "frontend/dist")]
    pub static_dir: PathBuf,
    /// Mark the session cookie Secure: set this when omfang is reached over TLS
    /// (for example behind a reverse proxy that terminates HTTPS).
    #[arg(long, env = "OMFANG_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// The server's secret (invitation links of waves, opt-out links): a file of 64 hex
    /// digits, created on first start. Keep it: links already mailed depend on it.
    #[arg(long, env = "OMFANG_SECRET_FILE", default_value = "omfang.key")]
    pub secret_file: PathBuf,
    /// Where and how invitation mail goes.
    #[command(flatten)]
    pub mail: MailSettings,
    /// Limits on connections and requests.
    #[command(flatten)]
    pub transport: TransportSettings,
}

/// Limits on connections and requests, so slow or idle clients cannot
/// hold the server.
#[derive(Debug, Clone, clap::Args)]
pub struct TransportSettings {
    /// Seconds a client may take to send a request's headers; slower connections are closed.
    #[arg(long, env = "OMFANG_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout: u64,
    /// Seconds a request may take before it is answered 408.
    #[arg(long, env = "OMFANG_REQUEST_TIMEOUT", default_value_t = 60)]
    pub request_timeout: u64,
    /// Most connections open at once; further ones are closed at once.
    #[arg(long, env = "OMFANG_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
}

/// Where and how invitation mail goes (the server's wave sender and `omfang wave`).
#[derive(Debug, Clone, clap::Args)]
pub struct MailSettings {
    /// SMTP server: `smtp://HOST:PORT` (plain), `smtp://USER:PASSWORD@HOST:587?tls=required`
    /// (STARTTLS) or `smtps://USER:PASSWORD@HOST:465` (TLS). Without it, mails are written as
    /// `.eml` files to --mail-dir (lettre's file transport).
    #[arg(long, env = "OMFANG_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// Folder for `.eml` files when no SMTP server is given.
    #[arg(long, env = "OMFANG_MAIL_DIR", default_value = "mail-outbox")]
    pub mail_dir: PathBuf,
    /// Sender of the e-mails (set it to your organisation's address: the
    /// default is no one's).
    #[arg(
        long,
        env = "OMFANG_MAIL_FROM",
        default_value = "omfang <noreply@localhost>"
    )]
    pub from: String,
    /// Address respondents reach omfang at; links are `<BASE_URL>/svar/<token>`.
    #[arg(
        long,
        env = "OMFANG_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub base_url: String,
    /// Most mails per minute.
    #[arg(long, env = "OMFANG_MAILS_PER_MINUTE", default_value_t = 60)]
    pub per_minute: u32,
    /// Seconds after which the server sends again a mail whose sender stopped in the middle
    /// of its SMTP transaction (lettre gives each SMTP command 20 s).
    #[arg(long, env = "OMFANG_RELEASE_UNCERTAIN_AFTER", default_value_t = 180)]
    pub release_uncertain_after: u64,
}

impl Settings {
    /// Settings for tests: port 0 on loopback, the given database, no app folder.
    pub fn for_tests(database_url: impl Into<String>, static_dir: impl Into<PathBuf>) -> Settings {
        Settings {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.into(),
            static_dir: static_dir.into(),
            secure_cookies: false,
            secret_file: std::env::temp_dir()
                .join(format!("omfang-test-{}.key", std::process::id())),
            mail: MailSettings {
                smtp_url: None,
                mail_dir: std::env::temp_dir().join("omfang-test-mail"),
                from: "omfang <noreply@localhost>".into(),
                base_url: "http://127.0.0.1:8080".into(),
                per_minute: 6000,
                release_uncertain_after: 180,
            },
            transport: TransportSettings {
                header_timeout: 10,
                request_timeout: 60,
                max_connections: 1024,
            },
        }
    }
}
