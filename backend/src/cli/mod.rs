//! The command line: `omfang serve | migrate | definition | invite | registry | stats | import | analyse`.

mod analysis;
mod outreach;

pub use self::analysis::{AnalyseCommand, CleanCommand, ImportCommand, OutputFormat, StatsCommand};
pub use self::outreach::{ContactsCommand, WaveCommand};

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use survey_definitions::{Codebook, Level, SurveyDefinition, lint};

use crate::config::{DEFAULT_DATABASE_URL, Settings};
use crate::db::journey;
use crate::domain::{DistrictNumber, EmailAddress, MunicipalityNumber};
use crate::startup::Application;

/// omfang — runs the KORUS scope survey end to end.
#[derive(Debug, Parser)]
#[command(name = "omfang", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process
pub enum Command {
    /// Serve the platform: migrate the database, load the shipped surveys, serve API and browser app.
    Serve(Settings),
    /// Apply database migrations and load the shipped surveys, then exit.
    Migrate {
        /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
        database_url: String,
    },
    /// Check survey-definition files and print their codebooks.
    #[command(subcommand)]
    Definition(DefinitionCommand),
    /// Personal invitation links.
    #[command(subcommand)]
    Invite(InviteCommand),
    /// The municipality registry.
    #[command(subcommand)]
    Registry(RegistryCommand),
    /// Run a statistical test on any CSV file (a small SPSS for the command line).
    #[command(subcommand)]
    Stats(StatsCommand),
    /// Import responses from CSV into a round (earlier rounds, data collected elsewhere).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Data cleaning: the analysable rule, probable duplicates, keep/drop decisions.
    #[command(subcommand)]
    Clean(CleanCommand),
    /// Cross-tabs, exports and the report of a round.
    #[command(subcommand)]
    Analyse(AnalyseCommand),
    /// Accounts of administrators and researchers.
    #[command(subcommand)]
    User(UserCommand),
    /// The audit trail: who did what and when.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Contacts per municipality (central mailboxes and named service contacts).
    #[command(subcommand)]
    Contacts(ContactsCommand),
    /// Invitation waves and reminders by e-mail.
    #[command(subcommand)]
    Wave(WaveCommand),
    /// Survey rounds: definitions (frozen once answered) and answering windows.
    #[command(subcommand)]
    Round(RoundCommand),
    /// A person's data: export and erasure on request.
    #[command(subcommand)]
    Person(PersonCommand),
}

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
    /// Set when a round accepts answers (RFC 3339, or YYYY-MM-DD for 00:00 UTC that day).
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

fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, crate::Error> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| crate::Error::BadRequest(format!("{text:?} is not YYYY-MM-DD or RFC 3339")))
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

/// `omfang invite ...`
#[derive(Debug, Subcommand)]
pub enum InviteCommand {
    /// Create a personal invitation and print its link (the token is shown only this once).
    Create {
        /// Survey round id, e.g. `korus-2025`.
        #[arg(long)]
        round: String,
        /// 4-digit municipality number, e.g. `0301`.
        #[arg(long)]
        municipality: String,
        /// 6-digit district or agency number (Oslo), e.g. `030101`.
        #[arg(long)]
        district: Option<String>,
        /// E-mail address of the respondent.
        #[arg(long)]
        email: String,
        /// Address respondents reach omfang at; the link is `<BASE_URL>/svar/<token>`.
        #[arg(
            long,
            env = "OMFANG_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        base_url: String,
        /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
        database_url: String,
    },
}

/// `omfang registry ...`
#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Import municipalities with populations for one year from a CSV file with the columns
    /// municipality_number,name,sami_name,county_number,county_name,population; every bad row
    /// is listed and nothing is imported unless all rows are good.
    Import {
        /// The CSV file (UTF-8).
        file: PathBuf,
        /// Year (1 January) the populations refer to.
        #[arg(long)]
        year: i32,
        /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
        database_url: String,
    },
}

/// `omfang definition ...`
#[derive(Debug, Subcommand)]
pub enum DefinitionCommand {
    /// Parse and lint definition files; lists every problem as FILE:LINE:COLUMN and exits with status 1 if any file has an error.
    Lint {
        /// Definition files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the codebook of a definition: every item with its variable, condition and codes.
    Codebook {
        /// Definition file (TOML).
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

/// Codebook formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The documented JSON contract.
    Json,
    /// One row per item and code.
    Csv,
    /// A readable document.
    Markdown,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Definition(cmd) => {
            let code = run_definition(
                &cmd,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            );
            ExitCode::from(code)
        }
        Command::Stats(cmd) => ExitCode::from(self::analysis::run_stats(
            cmd,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )),
        Command::Import(cmd) => block_on(self::analysis::run_import(cmd)),
        Command::Clean(cmd) => block_on(self::analysis::run_clean(cmd)),
        Command::Analyse(cmd) => block_on(self::analysis::run_analyse(cmd)),
        Command::User(UserCommand::Add {
            role,
            email,
            database_url,
        }) => block_on(async move {
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
        }),
        Command::Audit(AuditCommand::Export {
            limit,
            database_url,
        }) => block_on(async move {
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
        }),
        Command::Contacts(cmd) => block_on(self::outreach::run_contacts(cmd)),
        Command::Wave(cmd) => block_on(self::outreach::run_wave(cmd)),
        Command::Round(RoundCommand::List { database_url }) => block_on(async move {
            let db = prepared(&database_url).await?;
            for r in crate::db::round::list(&db).await? {
                let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
                    t.map_or("–".to_owned(), |t| t.to_rfc3339())
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
        }),
        Command::Round(RoundCommand::Load {
            file,
            by,
            database_url,
        }) => block_on(async move {
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
        }),
        Command::Round(RoundCommand::Dates {
            round,
            opens,
            closes,
            retention,
            database_url,
        }) => block_on(async move {
            let opens = opens.as_deref().map(parse_time).transpose()?;
            let closes = closes.as_deref().map(parse_time).transpose()?;
            let retention = retention.as_deref().map(parse_time).transpose()?;
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
            println!("{round}: opens {:?}, closes {:?}", r.opens_at, r.closes_at);
            Ok(())
        }),
        Command::Round(RoundCommand::Purge {
            round,
            by,
            database_url,
        }) => block_on(async move {
            let db = prepared(&database_url).await?;
            let done = crate::db::privacy::purge(&db, &round, &by).await?;
            println!("{round}: purged {done:?}");
            Ok(())
        }),
        Command::Person(PersonCommand::Export {
            email,
            by,
            database_url,
        }) => block_on(async move {
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
        }),
        Command::Person(PersonCommand::Erase {
            email,
            confirm,
            by,
            database_url,
        }) => block_on(async move {
            let db = prepared(&database_url).await?;
            let done = crate::db::privacy::erase(&db, &email, &confirm, &by).await?;
            println!("erased: {done:?}");
            Ok(())
        }),
        Command::Serve(settings) => block_on(async move {
            let app = Application::build(&settings).await?;
            tracing::info!(
                "omfang listening on http://{}:{}",
                settings.bind.ip(),
                app.port()
            );
            app.run_until_stopped().await
        }),
        Command::Migrate { database_url } => block_on(async move {
            prepared(&database_url).await?;
            tracing::info!("database is up to date");
            Ok(())
        }),
        Command::Invite(InviteCommand::Create {
            round,
            municipality,
            district,
            email,
            base_url,
            database_url,
        }) => block_on(async move {
            let municipality = MunicipalityNumber::parse(&municipality)?;
            let district = district.as_deref().map(DistrictNumber::parse).transpose()?;
            let email = EmailAddress::parse(&email)?;
            let db = prepared(&database_url).await?;
            let (_, token) =
                journey::create_invitation(&db, &round, &municipality, district.as_ref(), &email)
                    .await?;
            println!("{}/svar/{}", base_url.trim_end_matches('/'), token.expose());
            Ok(())
        }),
        Command::Registry(RegistryCommand::Import {
            file,
            year,
            database_url,
        }) => block_on(async move {
            let text = std::fs::read_to_string(&file)
                .map_err(crate::Error::io(format!("reading {}", file.display())))?;
            let db = prepared(&database_url).await?;
            let n = crate::db::places::import(&db, &text, year).await?;
            println!("imported {n} municipalities for population year {year}");
            Ok(())
        }),
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

/// Connects, migrates, seeds the registry and loads the shipped surveys.
pub(crate) async fn prepared(
    database_url: &str,
) -> Result<sea_orm::DatabaseConnection, crate::Error> {
    let db = crate::db::connect(database_url).await?;
    crate::db::migrate(&db).await?;
    crate::db::places::seed_shipped(&db).await?;
    for text in crate::startup::SHIPPED_SURVEYS {
        crate::db::round::ensure_shipped(&db, text).await?;
    }
    Ok(db)
}

fn block_on(f: impl std::future::Future<Output = Result<(), crate::Error>>) -> ExitCode {
    crate::telemetry::init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(f) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            if let crate::Error::Definition(d) = &e {
                for diag in d.diagnostics() {
                    eprintln!("{}", diag.render("definition"));
                }
            }
            ExitCode::FAILURE
        }
    }
}

/// Runs a `definition` subcommand, writing to `out`/`err`; returns the exit status.
pub fn run_definition(cmd: &DefinitionCommand, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match cmd {
        DefinitionCommand::Lint { files } => {
            let (mut errors, mut warnings) = (0, 0);
            for file in files {
                let Some((_, diagnostics)) = load(file, err) else {
                    errors += 1;
                    continue;
                };
                for d in &diagnostics {
                    let _ = writeln!(out, "{}", d.render(&file.display().to_string()));
                    match d.level {
                        Level::Error => errors += 1,
                        Level::Warning => warnings += 1,
                    }
                }
            }
            let _ = writeln!(err, "{errors} error(s), {warnings} warning(s)");
            u8::from(errors > 0)
        }
        DefinitionCommand::Codebook { file, format } => {
            let Some((def, diagnostics)) = load(file, err) else {
                return 1;
            };
            let errors: Vec<_> = diagnostics
                .iter()
                .filter(|d| d.level == Level::Error)
                .collect();
            if !errors.is_empty() {
                for d in errors {
                    let _ = writeln!(err, "{}", d.render(&file.display().to_string()));
                }
                return 1;
            }
            let codebook = Codebook::of(&def);
            let written = match format {
                Format::Json => serde_json::to_writer_pretty(&mut *out, &codebook)
                    .map_err(|e| e.to_string())
                    .and_then(|()| writeln!(out).map_err(|e| e.to_string())),
                Format::Csv => write_csv(&codebook, out),
                Format::Markdown => write_markdown(&codebook, out).map_err(|e| e.to_string()),
            };
            match written {
                Ok(()) => 0,
                Err(e) => {
                    let _ = writeln!(err, "error: writing the codebook: {e}");
                    1
                }
            }
        }
    }
}

/// Reads and parses a file; parse errors come back as diagnostics, lint included.
fn load(
    file: &Path,
    err: &mut dyn Write,
) -> Option<(SurveyDefinition, Vec<survey_definitions::Diagnostic>)> {
    let name = file.display().to_string();
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(err, "{name}: error: cannot read the file: {e}");
            return None;
        }
    };
    match SurveyDefinition::parse(&text) {
        Ok(def) => {
            let diagnostics = lint(&def, &text);
            Some((def, diagnostics))
        }
        Err(e) => {
            for d in e.diagnostics() {
                let _ = writeln!(err, "{}", d.render(&name));
            }
            None
        }
    }
}

fn write_csv(codebook: &Codebook, out: &mut dyn Write) -> Result<(), String> {
    let mut w = csv::Writer::from_writer(out);
    let e = |e: csv::Error| e.to_string();
    w.write_record([
        "id",
        "section",
        "variable",
        "kind",
        "concept",
        "required",
        "relevant",
        "text",
        "part",
        "code",
        "label",
        "concept_code",
    ])
    .map_err(e)?;
    for item in &codebook.items {
        let required = format!("{:?}", item.required).to_lowercase();
        let base = [
            item.id.as_str(),
            item.section.as_str(),
            item.variable.as_str(),
            item.kind.as_str(),
            item.concept.as_deref().unwrap_or(""),
            required.as_str(),
            item.relevant.as_deref().unwrap_or(""),
            item.text.as_str(),
        ];
        let parts = item
            .options
            .iter()
            .map(|o| ("option", o))
            .chain(item.rows.iter().map(|r| ("row", r)));
        let mut any = false;
        for (part, o) in parts {
            any = true;
            let concept_code = if item.concept.is_some() {
                item.concept_codes
                    .get(&o.code)
                    .copied()
                    .unwrap_or(o.code)
                    .to_string()
            } else {
                String::new()
            };
            let mut rec: Vec<String> = base.iter().map(|s| s.to_string()).collect();
            rec.extend([
                part.to_owned(),
                o.code.to_string(),
                o.label.clone(),
                concept_code,
            ]);
            w.write_record(&rec).map_err(e)?;
        }
        if !any {
            let mut rec: Vec<String> = base.iter().map(|s| s.to_string()).collect();
            rec.extend([String::new(), String::new(), String::new(), String::new()]);
            w.write_record(&rec).map_err(e)?;
        }
    }
    w.flush().map_err(|e| e.to_string())
}

fn write_markdown(codebook: &Codebook, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &codebook.survey;
    writeln!(out, "# Kodebok: {} ({})\n", s.title, s.id)?;
    writeln!(
        out,
        "Runde {}, språk `{}`, formatversjon {}.\n",
        s.round_year, s.language, s.format_version
    )?;
    let cell = |t: &str| t.replace('|', "\\|");
    for section in &s.sections {
        writeln!(out, "## {}\n", section.label)?;
        for item in codebook.items.iter().filter(|i| i.section == section.code) {
            writeln!(out, "### {} `{}`\n", item.id, item.variable)?;
            writeln!(out, "{}\n", item.text)?;
            let required = match item.required {
                survey_definitions::Requirement::Required => "påkrevd",
                survey_definitions::Requirement::Soft => "ønsket (advarsel hvis tomt)",
                survey_definitions::Requirement::Optional => "valgfritt",
            };
            write!(out, "- type: `{}`; svar: {required}", item.kind)?;
            if let Some(c) = &item.concept {
                write!(out, "; begrep: `{c}`")?;
            }
            if let Some(r) = &item.relevant {
                write!(out, "; vises når: `{r}`")?;
            }
            writeln!(out, "\n")?;
            let rows = if item.rows.is_empty() {
                &item.options
            } else {
                &item.rows
            };
            if !rows.is_empty() {
                writeln!(out, "| Kode | Tekst |\n|---:|---|")?;
                for o in rows {
                    writeln!(out, "| {} | {} |", o.code, cell(&o.label))?;
                }
                writeln!(out)?;
            }
        }
    }
    Ok(())
}
