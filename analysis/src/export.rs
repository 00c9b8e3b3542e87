//! Exports: the data as CSV (UTF-8, `,` or the Norwegian-Excel `;` with
//! decimal comma), the variable codebook as CSV, and SPSS syntax that reads
//! the CSV with variable labels, value labels and missing values.

use std::io::Write;

use crate::AnalysisError;
use crate::clean::Cleaning;
use crate::dataset::{Dataset, Measure, Storage};

/// Columns appended to the data with each respondent's cleaning state.
pub const CLEANING_COLUMNS: [&str; 6] = [
    "analyserbar",
    "i_utvalg",
    "mulig_duplikat",
    "beslutning",
    "beslutning_av",
    "beslutning_grunn",
];

/// CSV flavour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvFlavour {
    /// `,` separated, `.` decimals (SPSS, R, pandas).
    Standard,
    /// `;` separated, `,` decimals, with a byte-order mark (Norwegian Excel).
    Excel,
}

/// The variables an export writes: all, or all but the personal ones.
fn exported(ds: &Dataset, include_personal: bool) -> Vec<usize> {
    (0..ds.variables.len())
        .filter(|&i| include_personal || !ds.variables[i].personal)
        .collect()
}

/// A text cell as spreadsheet programs cannot run it: text that begins
/// with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
/// apostrophe (the usual defence against formula injection; OWASP's "CSV
/// injection"). Named in the codebook.
pub fn spreadsheet_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// What the codebook says about text cells.
pub const TEXT_CELL_NOTE: &str =
    "text; a value beginning with = + - @ tab or carriage return is written with a leading '";

/// Writes the data: every variable (personal ones only with
/// `include_personal`), then the cleaning columns. Text cells are made
/// [`spreadsheet_safe`].
pub fn data_csv(
    ds: &Dataset,
    cleaning: &Cleaning,
    flavour: CsvFlavour,
    include_personal: bool,
    out: impl Write,
) -> Result<(), AnalysisError> {
    let columns = exported(ds, include_personal);
    let mut out = out;
    let delimiter = match flavour {
        CsvFlavour::Standard => b',',
        CsvFlavour::Excel => {
            out.write_all(b"\xEF\xBB\xBF")
                .map_err(AnalysisError::io("writing CSV"))?;
            b';'
        }
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(std::io::BufWriter::new(out));
    let mut header: Vec<&str> = columns
        .iter()
        .map(|&i| ds.variables[i].name.as_str())
        .collect();
    header.extend(CLEANING_COLUMNS);
    w.write_record(&header)?;
    let mut record: Vec<String> = Vec::with_capacity(header.len());
    for r in 0..ds.len() {
        record.clear();
        for &i in &columns {
            let (v, c) = (&ds.variables[i], &ds.columns[i]);
            let mut cell = if v.storage != Storage::Text && c.is_not_asked(r) {
                NOT_ASKED_CODE.to_string()
            } else {
                c.text(r)
            };
            if flavour == CsvFlavour::Excel && v.storage == Storage::Float {
                cell = cell.replace('.', ",");
            }
            if v.storage == Storage::Text {
                cell = spreadsheet_safe(&cell).into_owned();
            }
            record.push(cell);
        }
        record.push(u8::from(cleaning.analysable[r]).to_string());
        record.push(u8::from(cleaning.included[r]).to_string());
        record.push(
            cleaning.duplicate[r]
                .as_ref()
                .map_or(String::new(), |d| spreadsheet_safe(&d.reason).into_owned()),
        );
        match &cleaning.decision[r] {
            Some(d) => {
                record.push(if d.keep { "behold" } else { "utelat" }.to_owned());
                record.push(spreadsheet_safe(&d.by).into_owned());
                record.push(spreadsheet_safe(&d.reason).into_owned());
            }
            None => record.extend([String::new(), String::new(), String::new()]),
        }
        w.write_record(&record)?;
    }
    w.flush().map_err(AnalysisError::io("writing CSV"))
}

/// Writes the variable codebook: one row per variable and value label.
pub fn codebook_csv(
    ds: &Dataset,
    include_personal: bool,
    out: impl Write,
) -> Result<(), AnalysisError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "variable",
        "label",
        "type",
        "measure",
        "code",
        "value_label",
    ])?;
    for v in exported(ds, include_personal)
        .into_iter()
        .map(|i| &ds.variables[i])
    {
        let kind = match v.storage {
            Storage::Int => "integer",
            Storage::Float => "decimal",
            Storage::Text => TEXT_CELL_NOTE,
        };
        let measure = match v.measure {
            Measure::Nominal => "nominal",
            Measure::Ordinal => "ordinal",
            Measure::Scale => "scale",
        };
        if v.value_labels.is_empty() && v.storage == Storage::Text {
            w.write_record([v.name.as_str(), &v.label, kind, measure, "", ""])?;
        }
        let not_asked = (v.storage != Storage::Text)
            .then(|| (i64::from(NOT_ASKED_CODE), NOT_ASKED_LABEL.to_owned()));
        for (code, label) in v.value_labels.iter().chain(not_asked.as_ref()) {
            w.write_record([
                v.name.as_str(),
                &v.label,
                kind,
                measure,
                &code.to_string(),
                label,
            ])?;
        }
    }
    w.flush().map_err(AnalysisError::io("writing CSV"))
}

/// SPSS syntax that reads `data_file` (the standard CSV export) and applies
/// variable labels, value labels, measurement levels and missing values.
/// Runs in SPSS and GNU PSPP. Text columns are read as strings wide enough
/// for the longest value; empty numeric cells are system-missing.
pub fn spss_syntax(ds: &Dataset, data_file: &str, include_personal: bool) -> String {
    let columns = exported(ds, include_personal);
    let variables: Vec<&crate::dataset::Variable> =
        columns.iter().map(|&i| &ds.variables[i]).collect();
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut s = String::new();
    s.push_str(&format!(
        "* omfang: {} — data {} (registry year {}).\n",
        ds.survey_id, data_file, ds.registry_year
    ));
    s.push_str("SET DECIMAL=DOT.\n");
    s.push_str(&format!(
        "GET DATA\n  /TYPE=TXT\n  /FILE={}\n  /ENCODING='UTF8'\n  /ARRANGEMENT=DELIMITED\n  /DELCASE=LINE\n  /FIRSTCASE=2\n  /DELIMITERS=\",\"\n  /QUALIFIER='\"'\n  /VARIABLES=\n",
        quote(data_file)
    ));
    let width = |i: usize| -> usize {
        let c = &ds.columns[i];
        (0..ds.len())
            .map(|r| c.text(r).len())
            .max()
            .unwrap_or(1)
            .clamp(1, 32_767)
    };
    for (&i, v) in columns.iter().zip(&variables) {
        let format = match v.storage {
            Storage::Int => "F8.0".to_owned(),
            Storage::Float => "F8.2".to_owned(),
            Storage::Text => format!("A{}", width(i)),
        };
        s.push_str(&format!("    {} {format}\n", v.name));
    }
    for (name, format) in [
        ("analyserbar", "F1.0"),
        ("i_utvalg", "F1.0"),
        ("mulig_duplikat", "A500"),
        ("beslutning", "A6"),
        ("beslutning_av", "A200"),
        ("beslutning_grunn", "A1000"),
    ] {
        s.push_str(&format!("    {name} {format}\n"));
    }
    s.push_str(".\n\nVARIABLE LABELS\n");
    let labels: Vec<String> = variables
        .iter()
        .map(|v| format!("  {} {}", v.name, quote(&truncate(&v.label, 250))))
        .chain([
            "  analyserbar \"Analyserbar (kommune og eventuelt inngangsspørsmål besvart)\""
                .to_owned(),
            "  i_utvalg \"I analyseutvalget\"".to_owned(),
            "  mulig_duplikat \"Mulig duplikat\"".to_owned(),
            "  beslutning \"Rensebeslutning\"".to_owned(),
            "  beslutning_av \"Beslutning tatt av\"".to_owned(),
            "  beslutning_grunn \"Begrunnelse\"".to_owned(),
        ])
        .collect();
    s.push_str(&labels.join("\n /"));
    s.push_str(".\n\n");
    for v in variables
        .iter()
        .filter(|v| !v.value_labels.is_empty() && v.storage != Storage::Text)
    {
        s.push_str(&format!("VALUE LABELS {}\n", v.name));
        for (code, label) in &v.value_labels {
            s.push_str(&format!("  {code} {}\n", quote(&truncate(label, 120))));
        }
        s.push_str(&format!(
            "  {MISSING_CODE} \"{MISSING_LABEL}\"\n  {NOT_ASKED_CODE} \"{NOT_ASKED_LABEL}\"\n.\n"
        ));
    }
    let unlabelled: Vec<&str> = variables
        .iter()
        .filter(|v| v.value_labels.is_empty() && v.storage != Storage::Text)
        .map(|v| v.name.as_str())
        .collect();
    if !unlabelled.is_empty() {
        s.push_str(&format!(
            "VALUE LABELS {}\n  {MISSING_CODE} \"{MISSING_LABEL}\"\n  {NOT_ASKED_CODE} \"{NOT_ASKED_LABEL}\"\n.\n",
            unlabelled.join(" ")
        ));
    }
    s.push_str("VALUE LABELS analyserbar i_utvalg 0 \"Nei\" 1 \"Ja\".\n\n");
    for (level, word) in [
        (Measure::Nominal, "NOMINAL"),
        (Measure::Ordinal, "ORDINAL"),
        (Measure::Scale, "SCALE"),
    ] {
        let names: Vec<&str> = variables
            .iter()
            .filter(|v| v.measure == level && v.storage != Storage::Text)
            .map(|v| v.name.as_str())
            .collect();
        if !names.is_empty() {
            s.push_str(&format!("VARIABLE LEVEL {} ({word}).\n", names.join(" ")));
        }
    }
    let numeric: Vec<&str> = variables
        .iter()
        .filter(|v| v.storage != Storage::Text)
        .map(|v| v.name.as_str())
        .collect();
    s.push_str(&format!(
        "\n* Empty cells (asked, not answered) become {MISSING_CODE}; {NOT_ASKED_CODE} is an item the skip logic hid. Both are declared missing.\nRECODE {} (SYSMIS={MISSING_CODE}).\nMISSING VALUES {} ({MISSING_CODE}, {NOT_ASKED_CODE}).\nEXECUTE.\n",
        numeric.join(" "),
        numeric.join(" ")
    ));
    s
}

/// User-missing code of numeric variables in the SPSS syntax: asked, not
/// answered (an empty cell in the CSV).
pub const MISSING_CODE: i32 = -9;
const MISSING_LABEL: &str = "Ikke besvart";
/// Code of a numeric cell whose item the skip logic hid (written in the
/// CSV, declared missing in SPSS, listed in the codebook).
pub const NOT_ASKED_CODE: i32 = -8;
const NOT_ASKED_LABEL: &str = "Ikke spurt (skjult av filter)";

fn truncate(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_owned();
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}
