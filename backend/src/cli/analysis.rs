//! `omfang stats ...`: the statistical tests on any CSV file.

use std::io::Write;
use std::path::PathBuf;

use analysis::StatsRequest;
use analysis::csv_input::CsvColumns;
use clap::{Args, Subcommand, ValueEnum};

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
