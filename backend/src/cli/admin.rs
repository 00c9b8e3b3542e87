//! The administrators' commands: `omfang user`, `omfang audit`, `omfang round`, `omfang person`.

use std::path::PathBuf;

use clap::Subcommand;

use super::prepared;
use crate::Error;
use crate::config::DEFAULT_DATABASE_URL;
use crate::domain::EmailAddress;

/// `omfang person ...`
#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Print as JSON everything omfang holds about an e-mail address (a data-subject request).
    Export {
        /// The address.
        #[arg(long)]
        email: String,
        /// Who asks (recorded in the audit trail).
        #[arg(long)]
        by: String,
        /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
        database_url: String,
    },
    /// Erase what identifies a person (address, name, position, mails); anonymous answers stay.
    /// Cannot be undone: --confirm must repeat the address.
    Erase {
        /// The address.
        #[arg(long)]
        email: String,
        /// The same address again.
        #[arg(long)]
        confirm: String,
        /// Who erases (recorded in the audit trail).
        #[arg(long)]
        by: String,
        /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
        database_url: String,
    },
}

/// `omfang round ...`
#[derive(Debug, Subcommand)]
pub enum RoundCommand {
    /// Purge the round's contact data once its retention date has passed (addresses, names,
    /// positions, mail texts, contacts used by no other round); anonymous answers stay.
    Purge {
        /// Survey round id.
        #[arg(long)]
        round: String,
        /// Who purges (recorded in the audit trail).
        #[arg(long)]
        by: String,
        /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
        database_url: String,
    },
    /// List the rounds with their definition version and answering window.
    List {
        /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
        database_url: String,
    },
    /// Create a round from a definition file, or load a corrected version of its definition.
    /// Lint errors refuse it; once the round has answers, only wording may change (item ids,
    /// kinds, variables and answer codes may not; the refusal says which).
    Load {
        /// Definition file (TOML).
        file: PathBuf,
        /// Who loads it (recorded in the audit trail).
        #[arg(long, default_value = "cli")]
        by: String,
        /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
        database_url: String,
    },
    /// Point a round at the registry of another population year (its municipalities,
    /// populations and so size classes; the response rate's denominator). The year must be
    /// imported first: `omfang registry import FILE --year 2025`.
    RegistryYear {
        /// Survey round id.
        #[arg(long)]
        round: String,
        /// Population year (1 January).
        #[arg(long)]
        year: i32,
        /// Who changes it (recorded in the audit trail).
        #[arg(long, default_value = "cli")]
        by: String,
        /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
        database_url: String,
    },
    /// Set when a round accepts answers: YYYY-MM-DD for whole Norwegian days
    /// (opens 00:00, closes 24:00 Europe/Oslo), or an exact RFC 3339 time.
    /// Outside the window respondents can read but not save, submit or reopen.
    Dates {
        /// Survey round id.
        #[arg(long)]
        round: String,
        /// Opens at (omit: open from the start).
        #[arg(long)]
        opens: Option<String>,
        /// Closes at (omit: no deadline).
        #[arg(long)]
        closes: Option<String>,
        /// Contact data may be purged from this date (`omfang round purge`).
        #[arg(long)]
        retention: Option<String>,
        /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
        database_url: String,
    },
}

/// `omfang user ...`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is asked for at a prompt, or read as one line from
    /// standard input when that is not a terminal; never from a flag (it would be in the
    /// shell history and the process list).
    Add {
        /// `admin` or `researcher`.
        #[arg(long)]
        role: String,
        /// The account's e-mail address (its login).
        email: String,
        /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
        database_url: String,
    },
}

/// `omfang audit ...`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Print the newest audit events as CSV (at, actor, action, detail), newest first.
    Export {
        /// Most events printed.
        #[arg(long, default_value_t = 10_000)]
        limit: u64,
        /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
        database_url: String,
    },
}

/// Runs `omfang user ...`.
pub async fn run_user(cmd: UserCommand) -> Result<(), Error> {
    match cmd {
        UserCommand::Add {
            role,
            email,
            database_url,
        } => {
            let role = crate::db::accounts::Role::parse(&role)?;
            let email = EmailAddress::parse(&email)?;
            let password = read_password()?;
            let db = prepared(&database_url).await?;
            let user = crate::db::accounts::add_user(&db, &email, role, &password).await?;
            crate::db::accounts::audit(
                &db,
                "cli",
                "user_added",
                &format!("{} as {}", user.email, user.role),
            )
            .await?;
            println!("created {} ({})", user.email, user.role);
            Ok(())
        }
    }
}

/// Runs `omfang audit ...`.
pub async fn run_audit(cmd: AuditCommand) -> Result<(), Error> {
    match cmd {
        AuditCommand::Export {
            limit,
            database_url,
        } => {
            let db = prepared(&database_url).await?;
            let events = crate::db::accounts::audit_trail(&db, limit).await?;
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            let fail = |e: csv::Error| crate::Error::Config(format!("writing CSV: {e}"));
            w.write_record(["at", "actor", "action", "detail"])
                .map_err(fail)?;
            for e in events {
                w.write_record([e.at.to_rfc3339(), e.actor, e.action, e.detail])
                    .map_err(fail)?;
            }
            w.flush().map_err(crate::Error::io("writing CSV"))
        }
    }
}

/// Runs `omfang round ...`.
pub async fn run_round(cmd: RoundCommand) -> Result<(), Error> {
    match cmd {
        RoundCommand::List { database_url } => {
            let db = prepared(&database_url).await?;
            for r in crate::db::round::list(&db).await? {
                let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
                    t.map_or("–".to_owned(), crate::db::round::norwegian)
                };
                println!(
                    "{}\t{}\tdefinition v{}\topens {}\tcloses {}\t{}",
                    r.survey_id,
                    r.round_year,
                    r.definition_version,
                    when(r.opens_at),
                    when(r.closes_at),
                    r.title
                );
            }
            Ok(())
        }
        RoundCommand::Load {
            file,
            by,
            database_url,
        } => {
            let text = std::fs::read_to_string(&file)
                .map_err(crate::Error::io(format!("reading {}", file.display())))?;
            let db = prepared(&database_url).await?;
            let r = crate::db::round::ensure(&db, &text).await?;
            crate::db::accounts::audit(
                &db,
                &by,
                "round_loaded",
                &format!(
                    "{} definition v{} ({})",
                    r.survey_id, r.definition_version, r.definition_sha256
                ),
            )
            .await?;
            println!("{}: definition v{}", r.survey_id, r.definition_version);
            Ok(())
        }
        RoundCommand::RegistryYear {
            round,
            year,
            by,
            database_url,
        } => {
            let db = prepared(&database_url).await?;
            let r = crate::db::round::set_registry_year(&db, &round, year).await?;
            crate::db::accounts::audit(
                &db,
                &by,
                "round_registry_year",
                &format!("{round}: {year}"),
            )
            .await?;
            println!(
                "{}: analysed by the registry of population year {}",
                r.survey_id, r.registry_year
            );
            Ok(())
        }
        RoundCommand::Dates {
            round,
            opens,
            closes,
            retention,
            database_url,
        } => {
            let opens = opens
                .as_deref()
                .map(crate::domain::parse_time)
                .transpose()?;
            let closes = closes
                .as_deref()
                .map(crate::domain::parse_closing)
                .transpose()?;
            let retention = retention
                .as_deref()
                .map(crate::domain::parse_time)
                .transpose()?;
            let db = prepared(&database_url).await?;
            if retention.is_some() {
                crate::db::round::set_retention(&db, &round, retention).await?;
            }
            // Only --retention given: the answering window stays as it is.
            let r = if retention.is_some() && opens.is_none() && closes.is_none() {
                crate::db::round::find(&db, &round).await?
            } else {
                crate::db::round::set_window(&db, &round, opens, closes).await?
            };
            crate::db::accounts::audit(
                &db,
                "cli",
                "round_dates",
                &format!("{round}: {:?} – {:?}", r.opens_at, r.closes_at),
            )
            .await?;
            let when = |t: Option<chrono::DateTime<chrono::Utc>>,
                        f: fn(chrono::DateTime<chrono::Utc>) -> String| {
                t.map_or_else(|| "–".to_owned(), f)
            };
            println!(
                "{round}: opens {}, closes {} (Norwegian time)",
                when(r.opens_at, crate::db::round::norwegian),
                when(r.closes_at, crate::db::round::norwegian_deadline)
            );
            Ok(())
        }
        RoundCommand::Purge {
            round,
            by,
            database_url,
        } => {
            let db = prepared(&database_url).await?;
            let done = crate::db::privacy::purge(&db, &round, &by).await?;
            println!("{round}: purged {done:?}");
            Ok(())
        }
    }
}

/// Runs `omfang person ...`.
pub async fn run_person(cmd: PersonCommand) -> Result<(), Error> {
    match cmd {
        PersonCommand::Export {
            email,
            by,
            database_url,
        } => {
            let db = prepared(&database_url).await?;
            let data = crate::db::privacy::export(&db, &email).await?;
            crate::db::accounts::audit(
                &db,
                &by,
                "person_exported",
                &format!(
                    "{} contact(s), {} invitation(s)",
                    data.contacts.len(),
                    data.invitations.len()
                ),
            )
            .await?;
            println!(
                "{}",
                serde_json::to_string_pretty(&data).unwrap_or_default()
            );
            Ok(())
        }
        PersonCommand::Erase {
            email,
            confirm,
            by,
            database_url,
        } => {
            let db = prepared(&database_url).await?;
            let done = crate::db::privacy::erase(&db, &email, &confirm, &by).await?;
            println!("erased: {done:?}");
            Ok(())
        }
    }
}

/// A new password: at a prompt (twice) on a terminal, else one line of stdin.
fn read_password() -> Result<String, crate::Error> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")
            .map_err(crate::Error::io("reading the password"))?;
        let again = rpassword::prompt_password("Again: ")
            .map_err(crate::Error::io("reading the password"))?;
        if first != again {
            return Err(crate::Error::BadRequest("the passwords differ".into()));
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(crate::Error::io("reading the password from standard input"))?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}
