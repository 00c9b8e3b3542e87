//! The researchers' commands: `omfang stats` (tests on any CSV file),
//! `omfang import responses`, `omfang clean` (`omfang analyse` is in
//! `analyse.rs`).

use std::io::Write;
use std::path::PathBuf;

use analysis::StatsRequest;
use clap::{Args, Subcommand, ValueEnum};

use crate::Error;

/// Output of the analysis commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// The documented JSON contract.
    Json,
    /// An aligned table for the terminal.
    Table,
}

/// Input file and output format shared by every `stats` test.
#[derive(Debug, Clone, Args)]
pub struct StatsIo {
    /// CSV file with a header row (`,` or `;` separated, UTF-8; empty cells are missing).
    #[arg(long)]
    pub input: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

/// `omfang stats ...`: one test on columns of a CSV file, rows with a missing value left out.
#[derive(Debug, Subcommand)]
pub enum StatsCommand {
    /// Pearson chi-square test of independence (no continuity correction), with Cramér's V and expected counts.
    Chi2 {
        /// Input file and output format.
        #[command(flatten)]
        io: StatsIo,
        /// Row variable (categorical column).
        #[arg(long)]
        row: String,
        /// Column variable (categorical column).
        #[arg(long)]
        col: String,
    },
    /// Fisher's exact test (two-sided) of two columns with two categories each.
    Fisher {
        /// Input file and output format.
        #[command(flatten)]
        io: StatsIo,
        /// Row variable (two categories).
        #[arg(long)]
        row: String,
        /// Column variable (two categories).
        #[arg(long)]
        col: String,
    },
    /// Mann-Whitney U test of a numeric column between exactly two groups (U of the first group in natural order).
    Mannwhitney {
        /// Input file and output format.
        #[command(flatten)]
        io: StatsIo,
        /// Numeric column.
        #[arg(long)]
        value: String,
        /// Grouping column with two groups.
        #[arg(long)]
        group: String,
    },
    /// Kruskal-Wallis H test (tie-corrected) of a numeric column across groups.
    Kruskal {
        /// Input file and output format.
        #[command(flatten)]
        io: StatsIo,
        /// Numeric column.
        #[arg(long)]
        value: String,
        /// Grouping column.
        #[arg(long)]
        group: String,
    },
    /// Spearman's rank correlation of two numeric columns.
    Spearman {
        /// Input file and output format.
        #[command(flatten)]
        io: StatsIo,
        /// First numeric column.
        #[arg(long)]
        x: String,
        /// Second numeric column.
        #[arg(long)]
        y: String,
    },
}

/// Runs a `stats` subcommand; returns the exit status.
pub fn run_stats(cmd: StatsCommand, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let (io, request) = match cmd {
        StatsCommand::Chi2 { io, row, col } => (io, StatsRequest::Chi2 { row, col }),
        StatsCommand::Fisher { io, row, col } => (io, StatsRequest::Fisher { row, col }),
        StatsCommand::Mannwhitney { io, value, group } => {
            (io, StatsRequest::MannWhitney { value, group })
        }
        StatsCommand::Kruskal { io, value, group } => (io, StatsRequest::Kruskal { value, group }),
        StatsCommand::Spearman { io, x, y } => (io, StatsRequest::Spearman { x, y }),
    };
    let result = std::fs::File::open(&io.input)
        .map_err(|e| format!("cannot read {}: {e}", io.input.display()))
        .and_then(|f| analysis::stats_of_csv(f, &request).map_err(|e| e.to_string()));
    match result {
        Ok(r) => {
            let written = match io.format {
                OutputFormat::Json => serde_json::to_string_pretty(&r)
                    .map_err(std::io::Error::other)
                    .and_then(|s| writeln!(out, "{s}")),
                OutputFormat::Table => write!(out, "{}", r.to_table()),
            };
            u8::from(written.is_err())
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            1
        }
    }
}

/// Database URL argument shared by the analysis commands.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArg {
    /// Database: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
    #[arg(long, env = "DATABASE_URL", default_value = crate::config::DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

/// `omfang import ...`
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import respondents from a CSV file: one row per respondent, columns named by the
    /// codebook's variables (multiple choice as `<variable>_k<code>` 0/1, grids as
    /// `<variable>_r<row>`, age ranges as `<variable>_nedre`/`_ovre`), choices as codes,
    /// the municipality as its 4-digit number. Every bad row is listed and nothing is
    /// imported unless all rows are good.
    Responses {
        /// The CSV file (UTF-8, `,` or `;` separated).
        file: PathBuf,
        /// Survey round id, e.g. `korus-2025`.
        #[arg(long)]
        round: String,
        /// Database.
        #[command(flatten)]
        db: DatabaseArg,
    },
}

/// `omfang clean ...`
#[derive(Debug, Subcommand)]
pub enum CleanCommand {
    /// List the round's respondents that are not analysable, flagged as probable duplicates, or decided on.
    List {
        /// Survey round id.
        #[arg(long)]
        round: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
        /// Which responses form the analytic sample.
        #[arg(long, value_enum, default_value_t = SampleArg::Analysable)]
        sample: SampleArg,
        /// Database.
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Keep or drop one respondent, with who and why; the latest decision counts, so a drop is undone by a keep.
    Decide {
        /// Survey round id.
        #[arg(long)]
        round: String,
        /// Respondent key as listed (`svar-12`, `import-1-7`).
        #[arg(long)]
        respondent: String,
        /// Keep the respondent in the analytic sample.
        #[arg(long, conflicts_with = "drop", required_unless_present = "drop")]
        keep: bool,
        /// Drop the respondent from the analytic sample.
        #[arg(long)]
        drop: bool,
        /// Who decides.
        #[arg(long)]
        by: String,
        /// Why.
        #[arg(long)]
        reason: String,
        /// Database.
        #[command(flatten)]
        db: DatabaseArg,
    },
}

/// Which responses are analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SampleArg {
    /// Every response with municipality and service type answered, drafts included (the
    /// report's §2.3).
    Analysable,
    /// Only responses sent in (and imported rows).
    Submitted,
}

impl From<SampleArg> for analysis::clean::Sample {
    fn from(s: SampleArg) -> Self {
        match s {
            SampleArg::Analysable => analysis::clean::Sample::Analysable,
            SampleArg::Submitted => analysis::clean::Sample::Submitted,
        }
    }
}

/// Runs `omfang import ...`.
pub async fn run_import(cmd: ImportCommand) -> Result<(), Error> {
    let ImportCommand::Responses { file, round, db } = cmd;
    let bytes = std::fs::read(&file).map_err(Error::io(format!("reading {}", file.display())))?;
    let conn = super::prepared(&db.database_url).await?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = crate::db::analysis::import(&conn, &round, &name, &bytes).await?;
    println!("imported {n} respondents into {round}");
    Ok(())
}

pub(super) async fn cleaned(
    database_url: &str,
    round: &str,
    sample: SampleArg,
) -> Result<crate::db::analysis::Cleaned, Error> {
    let conn = super::prepared(database_url).await?;
    crate::db::analysis::cleaned(&conn, round, sample.into()).await
}

/// Runs `omfang clean ...`.
pub async fn run_clean(cmd: CleanCommand) -> Result<(), Error> {
    match cmd {
        CleanCommand::Decide {
            round,
            respondent,
            keep,
            drop,
            by,
            reason,
            db,
        } => {
            let conn = super::prepared(&db.database_url).await?;
            let keep = keep && !drop;
            crate::db::analysis::decide(&conn, &round, &respondent, keep, &by, &reason).await?;
            println!("{respondent}: {}", if keep { "keep" } else { "drop" });
            Ok(())
        }
        CleanCommand::List {
            round,
            format,
            sample,
            db,
        } => {
            let state = cleaned(&db.database_url, &round, sample).await?.state();
            match format {
                OutputFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&state).unwrap_or_default()
                ),
                OutputFormat::Table => {
                    println!(
                        "{} respondenter, {} i analyseutvalget ({}; registerår {})",
                        state.respondents,
                        state.included,
                        analysis::clean::Sample::from(sample).description(),
                        state.registry_year
                    );
                    for row in &state.flagged {
                        let c = &row.context;
                        println!(
                            "{} ({}, {}, {}): {}{}{}",
                            row.respondent,
                            c.municipality,
                            c.branch,
                            c.status,
                            if row.analysable {
                                "analyserbar"
                            } else {
                                "ikke analyserbar (kommune eller svar på inngangsspørsmålet mangler)"
                            },
                            row.duplicate
                                .as_deref()
                                .map(|d| format!("; {d}"))
                                .unwrap_or_default(),
                            row.decision
                                .as_ref()
                                .map(|d| format!(
                                    "; {} av {}: {}",
                                    if d.keep { "beholdt" } else { "utelatt" },
                                    d.by,
                                    d.reason
                                ))
                                .unwrap_or_default()
                        );
                    }
                }
            }
            Ok(())
        }
    }
}
