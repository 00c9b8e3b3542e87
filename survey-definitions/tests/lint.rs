//! Broken definitions under `test_data/lint/<case>/` get positioned
//! diagnostics (compared with `expected.txt`), never a panic.

use std::fs;
use std::path::Path;

use survey_definitions::{SurveyDefinition, lint};

fn report(src: &str) -> String {
    let diagnostics = match SurveyDefinition::parse(src) {
        Ok(def) => lint(&def, src),
        Err(e) => e.diagnostics().to_vec(),
    };
    diagnostics
        .iter()
        .map(|d| d.render("definition.toml") + "\n")
        .collect()
}

#[test]
fn broken_definitions_get_positioned_messages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/lint");
    let mut cases: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 8);
    let mut failures = Vec::new();
    for case in cases {
        let src = fs::read_to_string(case.join("definition.toml")).unwrap();
        let actual = report(&src);
        assert!(
            !actual.is_empty(),
            "{}: a broken definition must get diagnostics",
            case.display()
        );
        let expected_path = case.join("expected.txt");
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            fs::write(&expected_path, &actual).unwrap();
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- actual\n{actual}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
