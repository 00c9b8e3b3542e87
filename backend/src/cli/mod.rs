//! The command line: `omfang serve | migrate | definition | invite | registry` here;
//! `stats | import | clean | analyse` in `analysis.rs`, `contacts | wave` in
//! `outreach.rs`, `user | audit | round | person` in `admin.rs`.

mod admin;
mod analyse;
mod analysis;
mod outreach;

pub use self::admin::{AuditCommand, PersonCommand, RoundCommand, UserCommand};
pub use self::analyse::AnalyseCommand;
pub use self::analysis::{CleanCommand, ImportCommand, OutputFormat, StatsCommand};
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
        Command::Analyse(cmd) => block_on(self::analyse::run_analyse(cmd)),
        Command::User(cmd) => block_on(self::admin::run_user(cmd)),
        Command::Audit(cmd) => block_on(self::admin::run_audit(cmd)),
        Command::Contacts(cmd) => block_on(self::outreach::run_contacts(cmd)),
        Command::Wave(cmd) => block_on(self::outreach::run_wave(cmd)),
        Command::Round(cmd) => block_on(self::admin::run_round(cmd)),
        Command::Person(cmd) => block_on(self::admin::run_person(cmd)),
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

/// Connects, migrates, seeds the registry and loads the shipped surveys.
pub(crate) async fn prepared(
    database_url: &str,
) -> Result<sea_orm::DatabaseConnection, crate::Error> {
    let db = crate::db::connect(database_url).await?;
    crate::db::migrate(&db).await?;
    crate::db::places::seed_shipped(&db).await?;
    for shipped in survey_definitions::SHIPPED {
        crate::db::round::ensure_shipped(&db, shipped.definition).await?;
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
