//! The administrators' commands: `omfang contacts import`, `omfang wave send|resume|status`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::Error;
use crate::db::outreach::{NewWave, Selection};
use crate::mail::Mailer;

/// `omfang contacts ...`
#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Import contacts from CSV (columns municipality_number,district_number,kind,name,email;
    /// kind is postmottak or tjeneste). Every bad row is listed (bad address, unknown
    /// municipality) and nothing is imported unless all are good; a contact already known for
    /// the municipality is merged.
    Import {
        /// The CSV file (UTF-8).
        file: PathBuf,
        /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, env = "DATABASE_URL", default_value = crate::config::DEFAULT_DATABASE_URL)]
        database_url: String,
    },
}

/// Where and how mail goes, and the database.
#[derive(Debug, Clone, Args)]
pub struct MailArgs {
    /// Mail settings.
    #[command(flatten)]
    pub mail: crate::config::MailSettings,
    /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = crate::config::DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// The server's secret (the same file `omfang serve` uses: links already
    /// mailed depend on it).
    #[arg(long, env = "OMFANG_SECRET_FILE", default_value = "omfang.key")]
    pub secret_file: std::path::PathBuf,
}

/// `omfang wave ...`
#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process
pub enum WaveCommand {
    /// Compose a wave (invitation or reminder) for a selection of contacts and send it,
    /// throttled, with a progress bar. Reminders go only to municipalities that have not
    /// submitted; opted-out and bounced contacts get nothing.
    Send {
        /// Survey round id.
        #[arg(long)]
        round: String,
        /// `invitation` or `reminder`.
        #[arg(long, default_value = "invitation")]
        kind: String,
        /// `all`, `not-invited` or `not-submitted`.
        #[arg(long, default_value = "not-invited")]
        select: String,
        /// Only this county (2-digit number).
        #[arg(long)]
        county: Option<String>,
        /// Only this size class: small, medium or large.
        #[arg(long)]
        size_class: Option<String>,
        /// Subject (merge fields allowed).
        #[arg(long)]
        subject: String,
        /// Message template file: {kommune}, {navn}, {frist}, {lenke} (required), {avmelding}.
        #[arg(long)]
        template: PathBuf,
        /// Deadline as written in the mail, e.g. "16. mai 2025".
        #[arg(long)]
        deadline: String,
        /// Who sends it (recorded in the audit trail).
        #[arg(long, default_value = "cli")]
        by: String,
        /// Show the first message and send nothing.
        #[arg(long)]
        preview: bool,
        /// Mail settings.
        #[command(flatten)]
        mail: MailArgs,
    },
    /// Finish a wave an earlier run did not (killed, or stopped with the SMTP server away).
    Resume {
        /// Wave id.
        #[arg(long)]
        wave: i32,
        /// Also resend mails whose SMTP transaction a killed run left unfinished (may duplicate).
        #[arg(long)]
        resend_uncertain: bool,
        /// Mail settings.
        #[command(flatten)]
        mail: MailArgs,
    },
    /// Show how many mails of a wave are pending, sending (uncertain), sent and failed.
    Status {
        /// Wave id.
        #[arg(long)]
        wave: i32,
        /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, env = "DATABASE_URL", default_value = crate::config::DEFAULT_DATABASE_URL)]
        database_url: String,
    },
}

/// Runs `omfang contacts ...`.
pub async fn run_contacts(cmd: ContactsCommand) -> Result<(), Error> {
    let ContactsCommand::Import { file, database_url } = cmd;
    let text =
        std::fs::read_to_string(&file).map_err(Error::io(format!("reading {}", file.display())))?;
    let db = super::prepared(&database_url).await?;
    let (new, merged) = crate::db::contacts::import_contacts(&db, &text).await?;
    crate::db::accounts::audit(
        &db,
        "cli",
        "contacts_imported",
        &format!("{new} new, {merged} merged from {}", file.display()),
    )
    .await?;
    println!("imported {new} new contacts, merged {merged}");
    Ok(())
}

async fn deliver(mail: &MailArgs, wave: i32, resend_uncertain: bool) -> Result<(), Error> {
    let db = super::prepared(&mail.database_url).await?;
    let secret = crate::secret::ServerSecret::load(&mail.secret_file)?;
    let mailer = Mailer::new(&mail.mail, secret)?;
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("e-post [{bar:40}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let result = mailer
        .deliver(&db, wave, resend_uncertain, &mut progress)
        .await?;
    bar.finish_and_clear();
    println!("wave {wave}: {:?}", result.by_status);
    Ok(())
}

/// Runs `omfang wave ...`.
pub async fn run_wave(cmd: WaveCommand) -> Result<(), Error> {
    match cmd {
        WaveCommand::Send {
            round,
            kind,
            select,
            county,
            size_class,
            subject,
            template,
            deadline,
            by,
            preview,
            mail,
        } => {
            let template = std::fs::read_to_string(&template)
                .map_err(Error::io(format!("reading {}", template.display())))?;
            if preview {
                let text = crate::db::outreach::render(
                    &template,
                    "Eksempel kommune",
                    Some("Kari Nordmann"),
                    &deadline,
                )
                .replace(
                    "{lenke}",
                    &format!(
                        "{}/svar/<personlig lenke>",
                        mail.mail.base_url.trim_end_matches('/')
                    ),
                )
                .replace("{avmelding}", "<avmeldingslenke>");
                println!("Emne: {subject}\n\n{text}");
                return Ok(());
            }
            let db = super::prepared(&mail.database_url).await?;
            let (wave, n) = crate::db::outreach::compose(
                &db,
                &NewWave {
                    survey_id: round,
                    kind,
                    subject,
                    template,
                    deadline,
                    selection: Selection {
                        who: select,
                        county,
                        size_class,
                    },
                    created_by: by,
                },
                &crate::secret::ServerSecret::load(&mail.secret_file)?,
            )
            .await?;
            println!("wave {} composed: {n} mails", wave.id);
            deliver(&mail, wave.id, false).await
        }
        WaveCommand::Resume {
            wave,
            resend_uncertain,
            mail,
        } => deliver(&mail, wave, resend_uncertain).await,
        WaveCommand::Status { wave, database_url } => {
            let db = super::prepared(&database_url).await?;
            println!(
                "wave {wave}: {:?}",
                crate::db::outreach::progress(&db, wave).await?
            );
            Ok(())
        }
    }
}
