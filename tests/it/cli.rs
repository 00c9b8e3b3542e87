//! `omfang definition lint|codebook`, run in-process.

use std::path::PathBuf;

use omfang::cli::{DefinitionCommand, Format, run_definition};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn korus() -> PathBuf {
    root().join("survey-definitions/surveys/korus-2025.toml")
}

fn run(cmd: DefinitionCommand) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_definition(&cmd, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn lint_passes_korus_and_lists_its_warnings() {
    let (code, out, err) = run(DefinitionCommand::Lint {
        files: vec![korus()],
    });
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.lines().count(), 5, "{out}");
    assert!(
        out.lines()
            .all(|l| l.contains("korus-2025.toml:") && l.contains(": warning: ")),
        "{out}"
    );
    assert!(err.contains("0 error(s), 5 warning(s)"));
}

#[test]
fn lint_fails_with_every_problem_positioned() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.toml");
    let text = std::fs::read_to_string(korus())
        .unwrap()
        .replace("relevant = \"$1.16 == 1\"", "relevant = \"$1.61 == 1\"")
        .replace(
            "{ code = 13, label = \"Bibliotek\" }",
            "{ code = 12, label = \"Bibliotek\" }",
        );
    std::fs::write(&broken, text).unwrap();
    let (code, out, err) = run(DefinitionCommand::Lint {
        files: vec![broken.clone(), dir.path().join("missing.toml")],
    });
    assert_eq!(code, 1);
    let name = broken.display().to_string();
    assert!(
        out.contains(&format!("{name}:")) && out.contains("unknown item `1.61`"),
        "{out}"
    );
    assert!(out.contains("item 1.13: duplicate code 12"), "{out}");
    // Every line carries file:line:column.
    for line in out.lines() {
        let rest = line.strip_prefix(&format!("{name}:")).unwrap();
        let mut parts = rest.splitn(3, ':');
        assert!(
            parts.next().unwrap().parse::<usize>().is_ok()
                && parts.next().unwrap().parse::<usize>().is_ok(),
            "{line}"
        );
    }
    assert!(
        err.contains("missing.toml: error: cannot read the file"),
        "{err}"
    );
}

#[test]
fn a_syntax_error_is_positioned_and_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "version = 1\n[survey\nid = 3\n").unwrap();
    let (code, _out, err) = run(DefinitionCommand::Lint {
        files: vec![file.clone()],
    });
    assert_eq!(code, 1);
    assert!(err.contains(&format!("{}:2:", file.display())), "{err}");
}

#[test]
fn codebook_json_is_the_documented_contract() {
    let (code, out, _) = run(DefinitionCommand::Codebook {
        file: korus(),
        format: Format::Json,
    });
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["survey"]["id"], "korus-2025");
    let items = v["items"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(
        &ids[..6],
        ["fylke", "kommune", "bydel", "navn", "stilling", "gate"]
    );
    for key in [
        "id", "section", "text", "kind", "variable", "concept", "relevant", "options",
    ] {
        assert!(
            items.iter().all(|i| i.get(key).is_some()),
            "every item has `{key}`"
        );
    }
    let item = |id: &str| items.iter().find(|i| i["id"] == id).unwrap();
    let i1161 = item("1.16.1");
    assert_eq!(i1161["kind"], "multiple_choice");
    assert_eq!(i1161["concept"], "etablering_oppfolging");
    assert_eq!(i1161["relevant"], "($gate == 1) and ($1.16 == 1)");
    let codes: Vec<i64> = i1161["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [1, 2, 3, 4, 8, 6, 9, 7]);
    assert_eq!(item("1.11")["rows"].as_array().unwrap().len(), 16);
    assert!(item("1.1")["options"].as_array().unwrap().is_empty());
    assert!(item("fylke")["relevant"].is_null());
}

#[test]
fn codebook_csv_and_markdown() {
    let (code, out, _) = run(DefinitionCommand::Codebook {
        file: korus(),
        format: Format::Csv,
    });
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let arenas: Vec<_> = rows.iter().filter(|r| &r[0] == "2.13").collect();
    assert_eq!(arenas.len(), 16);
    let bibliotek = arenas.iter().find(|r| &r[10] == "Bibliotek").unwrap();
    assert_eq!(
        (&bibliotek[9], &bibliotek[11]),
        ("14", "13"),
        "code 14 in 2.13 is concept code 13"
    );
    let (code, md, _) = run(DefinitionCommand::Codebook {
        file: korus(),
        format: Format::Markdown,
    });
    assert_eq!(code, 0);
    assert!(md.contains("### 1.16.1 `v1_16_1`"));
    assert!(md.contains("| 8 | Etter henvendelser fra andre hjelpeinstanser. |"));
}

#[test]
fn every_command_has_help_and_a_consistent_definition() {
    use clap::CommandFactory;
    let cli = omfang::cli::Cli::command();
    cli.clone().debug_assert();
    // Every subcommand, at every depth, documents itself.
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for sub in cmd.get_subcommands() {
            let here = format!("{path} {}", sub.get_name());
            if sub.get_about().is_none() {
                missing.push(here.clone());
            }
            walk(sub, &here, missing);
        }
    }
    let mut missing = Vec::new();
    walk(&cli, "omfang", &mut missing);
    assert!(
        missing.is_empty(),
        "commands without --help text: {missing:?}"
    );
}
