//! `omfang analyse`: cross-tabs, the response rate against the registry,
//! report files (checked and run) and the all-items report.

use std::io::Write;
use std::path::PathBuf;

use analysis::clean::{MunicipalityRule, Unit};
use analysis::crosstab::{CrosstabRequest, Render, crosstab};
use analysis::response_rate::RateRender;
use clap::{Subcommand, ValueEnum};

use super::analysis::{DatabaseArg, SampleArg, cleaned};
use crate::Error;

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

/// Grouping of the response rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RateByArg {
    /// By county.
    County,
    /// By SSB size class.
    SizeClass,
    /// City districts (for a survey whose unit is the district), by municipality.
    District,
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
    /// The response rate against every municipality of the round's registry year, by county
    /// or size class, with the municipalities not answered (the report's Figure 1). JSON:
    /// `{"by", "registry_year", "sample", "groups": [{"key", "label", "answered",
    /// "municipalities", "percent", "not_answered"}], "total": {"answered", "municipalities",
    /// "percent"}}`.
    ResponseRate {
        /// Survey round id.
        #[arg(long)]
        round: String,
        /// Grouping.
        #[arg(long, value_enum, default_value_t = RateByArg::County)]
        by: RateByArg,
        /// Which responses count a municipality as answered.
        #[arg(long, value_enum, default_value_t = SampleArg::Analysable)]
        sample: SampleArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        /// Database.
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Check a report file against its survey definition; lists every problem as
    /// FILE:LINE:COLUMN and exits with status 1 if there is an error.
    CheckReport {
        /// The report file (TOML, see analysis/REPORT-FORMAT.md).
        file: PathBuf,
        /// The definition file it declares its figures over (default: the shipped definition
        /// of the file's survey id).
        #[arg(long)]
        definition: Option<PathBuf>,
    },
    /// Write the round's report into a folder. With a report file (`--report-file`, or the one
    /// shipped for the round's survey): every declared figure and table in the report's order,
    /// as SVG and PNG figures, one XLSX workbook, an HTML report and index.json; with
    /// `--all-items` (or no report file): every item by service type and size class. Both
    /// write the data as CSV (also `;` for Norwegian Excel), the codebook and SPSS syntax.
    Report {
        /// Survey round id.
        #[arg(long)]
        round: String,
        /// Output folder (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Unit of analysis of the all-items report (a report file's entries declare theirs).
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
        /// The report file to run (default: the one shipped for the round's survey).
        #[arg(long, conflicts_with = "all_items")]
        report_file: Option<PathBuf>,
        /// Every item by service type and size class instead of a report file's figures.
        #[arg(long)]
        all_items: bool,
        /// Which responses the data files and the all-items report take (a report file's
        /// entries each declare their own sample).
        #[arg(long, value_enum, default_value_t = SampleArg::Analysable)]
        sample: SampleArg,
        /// Database.
        #[command(flatten)]
        db: DatabaseArg,
    },
}

/// Writes a result to standard output as JSON, CSV or an aligned table.
fn emit(
    format: TableFormat,
    json: &impl serde::Serialize,
    csv: impl FnOnce() -> Result<Vec<u8>, analysis::AnalysisError>,
    table: impl FnOnce() -> String,
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        TableFormat::Json => serde_json::to_string_pretty(json)
            .map_err(std::io::Error::other)
            .and_then(|s| writeln!(out, "{s}")),
        TableFormat::Csv => out.write_all(&csv().map_err(std::io::Error::other)?),
        TableFormat::Table => write!(out, "{}", table()),
    }
}

fn unit_of(unit: UnitArg, rule: RuleArg) -> Unit {
    match (unit, rule) {
        (UnitArg::Respondent, _) => Unit::Respondent,
        (UnitArg::Municipality, RuleArg::Once) => Unit::Municipality(MunicipalityRule::Once),
        (UnitArg::Municipality, RuleArg::Every) => Unit::Municipality(MunicipalityRule::Every),
    }
}

/// Runs `omfang analyse ...`.
pub async fn run_analyse(cmd: AnalyseCommand) -> Result<(), Error> {
    match cmd {
        AnalyseCommand::ResponseRate {
            round,
            by,
            sample,
            format,
            db,
        } => {
            let c = cleaned(&db.database_url, &round, sample).await?;
            let by = match by {
                RateByArg::County => analysis::response_rate::RateBy::County,
                RateByArg::SizeClass => analysis::response_rate::RateBy::SizeClass,
                RateByArg::District => analysis::response_rate::RateBy::District,
            };
            let rate = analysis::response_rate::response_rate(
                &c.dataset,
                &c.roles,
                &c.cleaning,
                &c.data.registry,
                by,
            );
            emit(format, &rate, || rate.to_csv(b','), || rate.to_table())
                .map_err(Error::io("writing the response rate"))
        }
        AnalyseCommand::CheckReport { file, definition } => {
            let src = std::fs::read_to_string(&file)
                .map_err(Error::io(format!("reading {}", file.display())))?;
            let name = file.display().to_string();
            let def_src = match &definition {
                Some(path) => std::fs::read_to_string(path)
                    .map_err(Error::io(format!("reading {}", path.display())))?,
                None => {
                    let survey = analysis::declared::parse(&src)
                        .map(|f| f.survey)
                        .unwrap_or_default();
                    survey_definitions::shipped_definition(&survey)
                        .map(str::to_owned)
                        .ok_or_else(|| {
                            Error::BadRequest(format!(
                                "no shipped definition for survey `{survey}`: give --definition FILE"
                            ))
                        })?
                }
            };
            let def = survey_definitions::SurveyDefinition::parse(&def_src)?;
            let (_, diagnostics) = analysis::declared::check(&src, &def);
            for d in &diagnostics {
                println!("{}", d.render(&name));
            }
            let errors = diagnostics
                .iter()
                .filter(|d| d.level == survey_definitions::Level::Error)
                .count();
            if errors > 0 {
                return Err(Error::BadRequest(format!("{name}: {errors} error(s)")));
            }
            println!("{name}: ok");
            Ok(())
        }
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
                bins: None,
            };
            let table = crosstab(&c.dataset, &c.roles, &c.cleaning, &request)?;
            emit(format, &table, || table.to_csv(b','), || table.to_table())
                .map_err(Error::io("writing the cross-tab"))
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
            report_file,
            all_items,
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
            bar.set_message("figurer og tabeller");
            let mut progress = |done: usize, total: usize| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            };
            let declared = match (&report_file, all_items) {
                (_, true) => None,
                (Some(path), _) => Some((
                    path.display().to_string(),
                    std::fs::read_to_string(path)
                        .map_err(Error::io(format!("reading {}", path.display())))?,
                )),
                (None, _) => survey_definitions::shipped_report(&c.data.definition.survey.id)
                    .map(|s| ("(shipped report file)".to_owned(), s.to_owned())),
            };
            let written = match declared {
                Some((name, src)) => {
                    let index = crate::reports::declared_report(
                        &c,
                        &name,
                        &src,
                        &out,
                        (suppress_below, include_personal),
                        &mut progress,
                    )?;
                    format!(
                        "{} figures and tables of «{}» ({} respondents, registry year {}) written to {}; open {}",
                        index.figures.len(),
                        index.title,
                        c.dataset.len(),
                        index.registry_year,
                        out.display(),
                        out.join("rapport.html").display()
                    )
                }
                None => {
                    let summary = analysis::report::write(
                        &out,
                        &c.dataset,
                        &c.data.definition,
                        &c.roles,
                        &c.cleaning,
                        &options,
                        &mut progress,
                    )?;
                    format!(
                        "{} tables from {} respondents ({} in the analytic sample) written to {}; open {}",
                        summary.tables,
                        summary.respondents,
                        summary.included,
                        out.display(),
                        out.join("rapport.html").display()
                    )
                }
            };
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
            println!("{written}");
            Ok(())
        }
    }
}
