//! The researchers' commands: `omfang stats` (tests on any CSV file),
//! `omfang import responses`, `omfang clean`, `omfang analyse`.

use std::io::Write;
use std::path::PathBuf;

use analysis::StatsRequest;
use analysis::clean::{MunicipalityRule, Unit};
use analysis::crosstab::{CrosstabRequest, crosstab};
use analysis::csv_input::CsvColumns;
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
        .and_then(|f| CsvColumns::read(std::io::BufReader::new(f)).map_err(|e| e.to_string()))
        .and_then(|csv| analysis::run_stats(&csv, &request).map_err(|e| e.to_string()));
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

/// Unit of analysis on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnitArg {
    /// Each respondent (service) once.
    Respondent,
    /// Municipalities (see --rule).
    Municipality,
}

/// How municipalities are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RuleArg {
    /// Each municipality once: own service, else part of another, else none.
    Once,
    /// Each municipality under every service type one of its respondents reported (the report's Figure 3).
    Every,
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

/// Cross-tab output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// The documented JSON contract.
    Json,
    /// CSV: category, then count and percent per group.
    Csv,
    /// An aligned table for the terminal.
    Table,
}

/// `omfang analyse ...`
#[derive(Debug, Subcommand)]
pub enum AnalyseCommand {
    /// Cross-tabulate an item, concept or derived variable by a grouping, with the report's tests.
    Crosstab {
        /// Survey round id.
        #[arg(long)]
        round: String,
        /// Item id (`1.13`), concept key (`arenaer`) or variable (`d_storrelse`).
        #[arg(long)]
        item: String,
        /// `service-type`, `size-class`, `county`, `branch` or a variable name.
        #[arg(long)]
        by: String,
        /// Unit of analysis.
        #[arg(long, value_enum, default_value_t = UnitArg::Respondent)]
        unit: UnitArg,
        /// How municipalities are counted at the municipality unit.
        #[arg(long, value_enum, default_value_t = RuleArg::Once)]
        rule: RuleArg,
        /// Hide counts from 1 up to this number minus one (publication rule), e.g. 5.
        #[arg(long)]
        suppress_below: Option<u64>,
        /// Add a «Totalt» column (every unit with a group).
        #[arg(long)]
        total: bool,
        /// Which responses form the analytic sample.
        #[arg(long, value_enum, default_value_t = SampleArg::Analysable)]
        sample: SampleArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        /// Database.
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Write the round's report into a folder: data as CSV (also `;` for Norwegian Excel),
    /// codebook, SPSS syntax, every cross-tab in XLSX and JSON, SVG figures and one HTML page.
    Report {
        /// Survey round id.
        #[arg(long)]
        round: String,
        /// Output folder (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Unit of analysis.
        #[arg(long, value_enum, default_value_t = UnitArg::Respondent)]
        unit: UnitArg,
        /// How municipalities are counted at the municipality unit.
        #[arg(long, value_enum, default_value_t = RuleArg::Once)]
        rule: RuleArg,
        /// Hide counts from 1 up to this number minus one (publication rule), e.g. 5.
        #[arg(long)]
        suppress_below: Option<u64>,
        /// Also write personal variables (respondents' names and positions) into the data
        /// files; needs --by, and is recorded in the audit trail.
        #[arg(long, requires = "by")]
        include_personal: bool,
        /// The administrator who turns on --include-personal.
        #[arg(long)]
        by: Option<String>,
        /// Which responses form the analytic sample.
        #[arg(long, value_enum, default_value_t = SampleArg::Analysable)]
        sample: SampleArg,
        /// Database.
        #[command(flatten)]
        db: DatabaseArg,
    },
}

fn unit_of(unit: UnitArg, rule: RuleArg) -> Unit {
    match (unit, rule) {
        (UnitArg::Respondent, _) => Unit::Respondent,
        (UnitArg::Municipality, RuleArg::Once) => Unit::Municipality(MunicipalityRule::Once),
        (UnitArg::Municipality, RuleArg::Every) => Unit::Municipality(MunicipalityRule::Every),
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

async fn cleaned(
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
            let summary = cleaned(&db.database_url, &round, sample).await?.summary();
            let rows = summary["flagged"].as_array().cloned().unwrap_or_default();
            match format {
                OutputFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&summary).unwrap_or_default()
                ),
                OutputFormat::Table => {
                    println!(
                        "{} respondenter, {} i analyseutvalget ({}; registerår {})",
                        summary["respondents"],
                        summary["included"],
                        analysis::clean::Sample::from(sample).description(),
                        summary["registry_year"]
                    );
                    for row in rows {
                        println!(
                            "{}: {}{}{}",
                            row["respondent"].as_str().unwrap_or(""),
                            if row["analysable"] == true {
                                "analyserbar"
                            } else {
                                "ikke analyserbar (kommune eller tjenestetype mangler)"
                            },
                            row["duplicate"]
                                .as_str()
                                .map(|d| format!("; {d}"))
                                .unwrap_or_default(),
                            row["decision"]
                                .as_object()
                                .map(|d| format!(
                                    "; {} av {}: {}",
                                    if d["keep"] == true {
                                        "beholdt"
                                    } else {
                                        "utelatt"
                                    },
                                    d["by"].as_str().unwrap_or(""),
                                    d["reason"].as_str().unwrap_or("")
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

/// Runs `omfang analyse ...`.
pub async fn run_analyse(cmd: AnalyseCommand) -> Result<(), Error> {
    match cmd {
        AnalyseCommand::Crosstab {
            round,
            item,
            by,
            unit,
            rule,
            suppress_below,
            total,
            sample,
            format,
            db,
        } => {
            let c = cleaned(&db.database_url, &round, sample).await?;
            let request = CrosstabRequest {
                item,
                by,
                unit: unit_of(unit, rule),
                suppress_below,
                total,
            };
            let table = crosstab(&c.dataset, &c.roles, &c.cleaning, &request)?;
            let mut out = std::io::stdout().lock();
            let written = match format {
                TableFormat::Json => serde_json::to_string_pretty(&table)
                    .map_err(std::io::Error::other)
                    .and_then(|s| writeln!(out, "{s}")),
                TableFormat::Csv => out.write_all(&table.to_csv(b',')?),
                TableFormat::Table => write!(out, "{}", table.to_table()),
            };
            written.map_err(Error::io("writing the cross-tab"))
        }
        AnalyseCommand::Report {
            round,
            out,
            unit,
            rule,
            suppress_below,
            include_personal,
            by,
            sample,
            db,
        } => {
            let c = cleaned(&db.database_url, &round, sample).await?;
            let options = analysis::report::ReportOptions {
                unit: unit_of(unit, rule),
                suppress_below,
                include_personal,
            };
            let bar = indicatif::ProgressBar::new(0).with_style(
                indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_message("tabeller");
            let mut progress = |done: usize, total: usize| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            };
            let summary = analysis::report::write(
                &out,
                &c.dataset,
                &c.data.definition,
                &c.roles,
                &c.cleaning,
                &options,
                &mut progress,
            )?;
            bar.finish_and_clear();
            let conn = super::prepared(&db.database_url).await?;
            crate::db::accounts::audit(
                &conn,
                by.as_deref().unwrap_or("cli"),
                if include_personal {
                    "export_personal"
                } else {
                    "export"
                },
                &format!(
                    "report {round} ({}) to {}{}",
                    options.unit.name(),
                    out.display(),
                    if include_personal {
                        " with names and positions"
                    } else {
                        ""
                    }
                ),
            )
            .await?;
            println!(
                "{} tables from {} respondents ({} in the analytic sample) written to {}; open {}",
                summary.tables,
                summary.respondents,
                summary.included,
                out.display(),
                out.join("rapport.html").display()
            );
            Ok(())
        }
    }
}
