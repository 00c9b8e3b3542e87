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
}

impl Settings {
    /// Settings for tests: port 0 on loopback, the given database, no app folder.
    pub fn for_tests(database_url: impl Into<String>, static_dir: impl Into<PathBuf>) -> Settings {
        Settings {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.into(),
            static_dir: static_dir.into(),
            secure_cookies: false,
        }
    }
}
