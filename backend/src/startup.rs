//! Building and running the application: database, shipped surveys, listener.

use axum::Router;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::config::Settings;
use crate::http::{self, AppState};
use crate::{Error, db};

/// A built, bound, not yet running server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    db: DatabaseConnection,
    transport: crate::config::TransportSettings,
}

impl Application {
    /// Connects and migrates the database, loads the shipped surveys and binds the port.
    pub async fn build(settings: &Settings) -> Result<Application, Error> {
        let db = db::connect(&settings.database_url).await?;
        db::migrate(&db).await?;
        db::places::seed_shipped(&db).await?;
        for shipped in survey_definitions::SHIPPED {
            db::round::ensure_shipped(&db, shipped.definition).await?;
        }
        let listener = TcpListener::bind(settings.bind)
            .await
            .map_err(Error::io(format!("binding {}", settings.bind)))?;
        let secret = crate::secret::ServerSecret::load(&settings.secret_file)?;
        let mailer = crate::mail::Mailer::new(&settings.mail, secret.clone())?;
        let sender = crate::mail::spawn_sender(
            db.clone(),
            mailer,
            std::time::Duration::from_secs(settings.mail.release_uncertain_after),
        );
        let router = http::router(
            AppState::new(db.clone(), sender, secret),
            &settings.static_dir,
            settings.secure_cookies,
        )
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            std::time::Duration::from_secs(settings.transport.request_timeout),
        ));
        Ok(Application {
            listener,
            router,
            db,
            transport: settings.transport.clone(),
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The database connection.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until Ctrl-C / SIGTERM.
    pub async fn run_until_stopped(self) -> Result<(), Error> {
        crate::serve::run(
            self.listener,
            self.router,
            &self.transport,
            shutdown_signal(),
        )
        .await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
