//! A round's report folder (the declared report file's figures and tables,
//! or every item when no report file applies, with the data files), for
//! `omfang analyse report` and, zipped, for the researchers' download.

use std::io::Write as _;

use crate::Error;
use crate::db::analysis::Cleaned;

/// Checks a report file against the round's definition and writes its
/// figures and tables, with the data files, into `out`.
pub fn declared_report(
    c: &crate::db::analysis::Cleaned,
    name: &str,
    src: &str,
    out: &std::path::Path,
    (suppress_below, include_personal): (Option<u64>, bool),
    progress: &mut dyn FnMut(usize, usize),
) -> Result<analysis::declared::write::Index, Error> {
    let (file, diagnostics) = analysis::declared::check(src, &c.data.definition);
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.level == survey_definitions::Level::Error)
        .map(|d| d.render(name))
        .collect();
    let Some(file) = file.filter(|_| errors.is_empty()) else {
        return Err(Error::BadRequest(format!(
            "the report file has errors:\n{}",
            errors.join("\n")
        )));
    };
    let inputs = analysis::declared::run::Inputs {
        ds: &c.dataset,
        def: &c.data.definition,
        roles: &c.roles,
        registry: &c.data.registry,
        decisions: &c.data.decisions,
        suppress_below,
    };
    let figures = analysis::declared::run::run(&inputs, &file, progress)?;
    std::fs::create_dir_all(out).map_err(Error::io(format!("creating {}", out.display())))?;
    let data = analysis::report::write_data(out, &c.dataset, &c.cleaning, include_personal)?;
    Ok(analysis::declared::write::write(
        out,
        &file,
        &figures,
        data,
        c.dataset.registry_year,
    )?)
}

/// Writes the round's report (its shipped report file, else every item)
/// into a temporary folder and returns that folder as one ZIP.
pub fn build(c: &Cleaned, progress: &mut dyn FnMut(usize, usize)) -> Result<Vec<u8>, Error> {
    let dir = tempfile::tempdir().map_err(Error::io("creating a folder for the report"))?;
    let out = dir.path();
    match survey_definitions::shipped_report(&c.data.definition.survey.id) {
        Some(src) => {
            declared_report(c, "report file", src, out, (None, false), progress)?;
        }
        None => {
            let options = analysis::report::ReportOptions {
                unit: analysis::clean::Unit::Respondent,
                suppress_below: None,
                include_personal: false,
            };
            analysis::report::write(
                out,
                &c.dataset,
                &c.data.definition,
                &c.roles,
                &c.cleaning,
                &options,
                progress,
            )?;
        }
    }
    let mut files = Vec::new();
    collect(out, out, &mut files)?;
    files.sort();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let fail = |e: zip::result::ZipError| Error::Config(format!("writing the ZIP: {e}"));
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    zip.start_file("rapport/LESMEG.txt", options)
        .map_err(fail)?;
    zip.write_all(readme(c, &names).as_bytes())
        .map_err(Error::io("writing the ZIP"))?;
    for (name, path) in files {
        zip.start_file(format!("rapport/{name}"), options)
            .map_err(fail)?;
        let bytes = std::fs::read(&path).map_err(Error::io(format!("reading {name}")))?;
        zip.write_all(&bytes)
            .map_err(Error::io("writing the ZIP"))?;
    }
    Ok(zip.finish().map_err(fail)?.into_inner())
}

/// What the ZIP holds, in Norwegian, for whoever opens it first.
fn readme(c: &Cleaned, names: &[&str]) -> String {
    let count = |f: &dyn Fn(&str) -> bool| names.iter().filter(|n| f(n)).count();
    let what = |name: &str| -> &str {
        match name {
            "rapport.html" => {
                "rapporten som nettside: figurene og tabellene i rapportens rekkefølge, med tester, og med de publiserte tallene ved siden av der rapportfilen oppgir dem"
            }
            "tabeller.xlsx" => {
                "alle tabellene i én Excel-fil, ett ark per figur eller tabell, med innholdsark først"
            }
            "index.json" => {
                "innholdsliste for programmer: hver figur med tittel, n, enhet og filnavn"
            }
            "tabeller.json" => "tabellene som JSON, for programmer",
            "data.sps" => {
                "SPSS-syntaks som leser data.csv med variabel- og verdietiketter og manglende verdier"
            }
            "data-excel.csv" => "dataene med semikolon og desimalkomma, for norsk Excel",
            "kodebok.csv" => "kodeboken: hver variabel med etikett og koder",
            "data.csv" => "dataene (UTF-8, komma), én rad per svar",
            _ => "",
        }
    };
    let mut out = format!(
        "Rapport for {} ({})\r\n\r\nLaget av omfang. {} (n = {} av {} svar). Registerår {}.\r\n\r\n",
        c.data.definition.survey.title,
        c.data.definition.survey.id,
        c.cleaning.sample.description(),
        c.cleaning.included.iter().filter(|&&i| i).count(),
        c.dataset.len(),
        c.dataset.registry_year,
    );
    let figures = count(&|n: &str| n.starts_with("figurer/") && n.ends_with(".png"));
    if figures > 0 {
        out.push_str(&format!(
            "figurer/  {figures} figurer, hver som SVG (skalerbar) og PNG (for Word og PowerPoint)\r\n"
        ));
    }
    for name in names.iter().filter(|n| !n.contains('/')) {
        let text = what(name);
        if !text.is_empty() {
            out.push_str(&format!("{name}  {text}\r\n"));
        }
    }
    out.push_str(
        "\r\nIkke spurt (spørsmålet ble ikke vist) er -8 i tallkolonnene; ubesvart er tomt.\r\n",
    );
    out
}

/// Every file under `dir`, with its path relative to `root` (`/`-separated).
fn collect(
    root: &std::path::Path,
    dir: &std::path::Path,
    out: &mut Vec<(String, std::path::PathBuf)>,
) -> Result<(), Error> {
    for entry in std::fs::read_dir(dir).map_err(Error::io("listing the report"))? {
        let path = entry.map_err(Error::io("listing the report"))?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, path));
        }
    }
    Ok(())
}
