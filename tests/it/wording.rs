//! «No KORUS in the code», proved by reading it: no string in a Rust file
//! outside tests names an item id, item text, option label, section title,
//! concept or derived variable of the KORUS 2025 definition. Words the
//! Oslo form shares (the registry's «kommune», «bydel») belong to the
//! platform, not to one survey, and are allowed; so are words shorter than
//! six letters («Ja», «Nei»). Comments and `#[cfg(test)]` modules are not
//! read: they may name KORUS as an example.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use survey_definitions::{KORUS_2025, OSLO_EN_TIL_EN_2025, SurveyDefinition};

/// Every word a definition writes that code could copy.
fn words(def: &SurveyDefinition) -> BTreeSet<String> {
    let mut w = BTreeSet::new();
    for s in &def.sections {
        w.insert(s.title.clone());
    }
    for i in &def.items {
        w.insert(i.id.clone());
        w.insert(i.variable.clone());
        w.insert(i.text.trim().to_owned());
        for o in i.options() {
            w.insert(o.label.trim().to_owned());
        }
        if let survey_definitions::ItemKind::CountGrid { rows, .. } = &i.kind {
            w.extend(rows.iter().map(|r| r.label.trim().to_owned()));
        }
    }
    for d in &def.derived {
        w.insert(d.label.clone());
        w.insert(d.variable.clone());
        w.extend(d.values.iter().map(|v| v.label.clone()));
    }
    for c in def.concepts.values() {
        w.insert(c.label.clone());
        w.insert(c.variable.clone());
    }
    w.insert(def.survey.title.clone());
    w
}

/// The string literals of a Rust source with their lines, comments and a
/// trailing `#[cfg(test)]` module left out.
fn literals(src: &str) -> Vec<(usize, String)> {
    let src = src.split("#[cfg(test)]").next().unwrap_or_default();
    let b: Vec<char> = src.chars().collect();
    let (mut out, mut i, mut line) = (Vec::new(), 0, 1);
    while i < b.len() {
        let c = b[i];
        let prev_ident = i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_');
        if c == '\n' {
            line += 1;
        } else if c == '/' && b.get(i + 1) == Some(&'/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
            continue;
        } else if c == '\'' {
            // A char literal ('"', '\'', 'a') or a lifetime.
            if b.get(i + 2) == Some(&'\'') {
                i += 3;
                continue;
            }
            if b.get(i + 1) == Some(&'\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                continue;
            }
        } else if c == 'r' && !prev_ident && matches!(b.get(i + 1), Some('#') | Some('"')) {
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) == Some(&'"') {
                let (start, at) = (j + 1, line);
                j += 1;
                while j < b.len()
                    && !(b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')))
                {
                    line += usize::from(b[j] == '\n');
                    j += 1;
                }
                out.push((at, b[start..j.min(b.len())].iter().collect()));
                i = j + 1 + hashes;
                continue;
            }
        } else if c == '"' {
            let (mut j, at, mut s) = (i + 1, line, String::new());
            while j < b.len() && b[j] != '"' {
                if b[j] == '\\' {
                    j += 1;
                    if b.get(j) == Some(&'\n') {
                        line += 1;
                        // A line continuation: the next line's indent is not text.
                        while b.get(j + 1).is_some_and(|c| c.is_whitespace()) {
                            j += 1;
                        }
                    } else if let Some(&e) = b.get(j) {
                        s.push(if e == 'n' { '\n' } else { e });
                    }
                } else {
                    line += usize::from(b[j] == '\n');
                    s.push(b[j]);
                }
                j += 1;
            }
            out.push((at, s));
            i = j + 1;
            continue;
        }
        i += 1;
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_rust_file_outside_tests_names_a_korus_item_or_label() {
    let korus = words(&SurveyDefinition::parse(KORUS_2025).unwrap());
    let oslo = words(&SurveyDefinition::parse(OSLO_EN_TIL_EN_2025).unwrap());
    let numbered = |w: &str| w.starts_with(|c: char| c.is_ascii_digit()) && w.contains('.');
    let forbidden: Vec<&String> = korus
        .iter()
        .filter(|w| !oslo.contains(*w))
        .filter(|w| numbered(w) || w.chars().count() >= 6)
        .collect();
    assert!(
        forbidden.len() > 300,
        "the KORUS words were read: {}",
        forbidden.len()
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for dir in [
        "backend/src",
        "backend/api/src",
        "analysis/src",
        "frontend/src",
        "survey-definitions/src",
        "migrations/src",
        "xtask/src",
    ] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "the sources were found: {}", files.len());
    let mut found = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap();
        for (line, lit) in literals(&src) {
            let lower = lit.to_lowercase();
            let at = f.strip_prefix(root).unwrap().display();
            let short: String = lit.chars().take(80).collect();
            if lit.contains("KORUS") {
                found.push(format!("{at}:{line}: «KORUS» in {short:?}"));
            }
            for w in &forbidden {
                let hit = if numbered(w) {
                    lit == **w
                } else {
                    lower.contains(&w.to_lowercase())
                };
                if hit {
                    found.push(format!("{at}:{line}: «{w}» in {short:?}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "KORUS's words in the code:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_finds_a_planted_word() {
    let src = "fn f() { let a = \"Tjenestetype\"; // \"1.10\" in a comment\n let b = r#\"1.10\"#; }\n#[cfg(test)]\nmod t { const X: &str = \"1.11\"; }";
    let found: Vec<String> = literals(src).into_iter().map(|(_, s)| s).collect();
    assert_eq!(found, ["Tjenestetype", "1.10"]);
}
