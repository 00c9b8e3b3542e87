//! The shipped KORUS 2025 definition: it lints clean, its texts match the
//! source questionnaire word for word, and its codebook matches the snapshot.

use survey_definitions::{Codebook, ItemKind, KORUS_2025, Level, SurveyDefinition};

/// The source questionnaire (appendix 1 of the 2025 report), copied into the project.
const REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/test_data/reference/korus-scope-study-2025-questionnaire.txt"
);
/// The workplace's shared copy, compared with ours when it is present.
const SHARED_REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/reference/korus-scope-study-2025-questionnaire.txt"
);

fn korus() -> SurveyDefinition {
    SurveyDefinition::parse(KORUS_2025).expect("KORUS 2025 parses")
}

/// Joins lines, drops the PDF's radio/checkbox glyphs and text-field marks,
/// and collapses whitespace.
fn normalise(text: &str) -> String {
    text.replace(['\u{f06d}', '\u{f071}', '\u{20dd}'], " ")
        .replace("_____", " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_project_copy_of_the_reference_is_the_shared_one() {
    let ours = std::fs::read_to_string(REFERENCE).expect("project copy of the questionnaire");
    if let Ok(shared) = std::fs::read_to_string(SHARED_REFERENCE) {
        assert_eq!(
            ours, shared,
            "test_data/reference differs from ../shared/reference"
        );
    }
}

#[test]
fn korus_2025_lints_without_errors() {
    let def = korus();
    let diagnostics = survey_definitions::lint(&def, KORUS_2025);
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| d.render("korus-2025.toml"))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The only warnings: the four HKH/SAT help texts KORUS still has to
    // supply, and the contact points no round has declared yet.
    let warnings: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(warnings.len(), 5, "{warnings:#?}");
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w.contains("still to be supplied"))
            .count(),
        4
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("no contacts are declared"))
    );
}

#[test]
fn the_contact_sentence_shows_declared_contacts_or_is_left_out() {
    const SENTENCE: &str =
        "Ta gjerne kontakt med ditt lokale KORUS hvis du har spørsmål knyttet til undersøkelsen:";
    let def = korus();
    let (intro, list) = def.survey.with_contacts(&def.survey.introduction);
    assert!(!list);
    assert!(!intro.contains(SENTENCE) && !intro.contains("{kontakter}"));
    assert!(intro.contains("Stavanger og Bergen.\n"), "{intro}");
    let with = KORUS_2025.replacen(
        "[survey.privacy]",
        "[[survey.contacts]]\nname = \"KORUS Oslo\"\nemail = \"korus@example.no\"\n\n[survey.privacy]",
        1,
    );
    let def = SurveyDefinition::parse(&with).unwrap();
    let (intro, list) = def.survey.with_contacts(&def.survey.introduction);
    assert!(list);
    assert!(
        intro.contains(&format!("Stavanger og Bergen. {SENTENCE}")),
        "{intro}"
    );
    let (closing, _) = def
        .survey
        .with_contacts(def.survey.closing.as_deref().unwrap());
    assert!(closing.ends_with(SENTENCE), "{closing}");
}

#[test]
fn every_text_and_option_matches_the_source_in_order() {
    let Ok(reference) = std::fs::read_to_string(REFERENCE) else {
        panic!("reference questionnaire not found at {REFERENCE}");
    };
    let source = normalise(&reference);
    let def = korus();
    let mut cursor = 0;
    let mut find = |needle: &str, what: &str| {
        let needle = normalise(needle);
        match source[cursor..].find(&needle) {
            Some(at) => {
                let end = cursor + at + needle.len();
                // The match must end at a word boundary.
                let next = source[end..].chars().next();
                assert!(
                    next.is_none_or(|c| c == ' '),
                    "{what}: «{needle}» matched only as a prefix"
                );
                cursor = end;
            }
            None => panic!("{what}: «{needle}» not found (in order) after offset {cursor}"),
        }
    };
    let mut checked = 0;
    for item in &def.items {
        if matches!(item.kind, ItemKind::Specify { .. }) {
            continue;
        }
        let numbered = item.id.starts_with(|c: char| c.is_ascii_digit());
        let text = if numbered {
            format!("{} {}", item.id, item.text)
        } else {
            item.text.clone()
        };
        find(&text, &item.id);
        checked += 1;
        for o in item.options() {
            let label = match item.kind {
                ItemKind::CountGrid { .. } => o.label.clone(),
                _ => format!("({}) {}", o.code, o.label),
            };
            find(&label, &format!("{} option {}", item.id, o.code));
            checked += 1;
        }
    }
    assert_eq!(checked, 363, "number of texts checked");
}

#[test]
fn items_follow_the_questionnaire_numbering() {
    let def = korus();
    let ids: Vec<&str> = def
        .items
        .iter()
        .filter(|i| !matches!(i.kind, ItemKind::Specify { .. }))
        .map(|i| i.id.as_str())
        .collect();
    for n in 1..=34 {
        assert!(ids.contains(&format!("1.{n}").as_str()), "1.{n} missing");
    }
    for n in 1..=32 {
        assert!(ids.contains(&format!("2.{n}").as_str()), "2.{n} missing");
    }
    for n in 1..=6 {
        assert!(ids.contains(&format!("3.{n}").as_str()), "3.{n} missing");
    }
    for sub in [
        "1.10.1", "1.10.2", "1.10.3", "1.11.1", "1.11.2", "1.14.1", "1.16.1", "2.16.1", "2.11.2",
    ] {
        assert!(ids.contains(&sub), "{sub} missing");
    }
    assert_eq!(
        &ids[..6],
        ["fylke", "kommune", "bydel", "navn", "stilling", "gate"]
    );
}

#[test]
fn codes_keep_the_source_order() {
    let def = korus();
    let codes = |id: &str| {
        def.item(id)
            .unwrap()
            .options()
            .iter()
            .map(|o| o.code)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes("1.13"),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15, 10, 11, 12]
    );
    assert_eq!(codes("1.16.1"), [1, 2, 3, 4, 8, 6, 9, 7]);
    assert_eq!(codes("2.16.1"), [1, 2, 3, 4, 5, 7, 8, 6]);
    assert_eq!(codes("1.18"), [1, 2, 3, 4, 13, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert_eq!(codes("1.4"), [1, 2, 3, 4, 6]);
    assert_eq!(codes("1.11").len(), 16);
}

#[test]
fn concepts_map_branch_two_codes_onto_branch_one() {
    let def = korus();
    let pairs = [
        ("1.13", "2.13"),
        ("1.16.1", "2.16.1"),
        ("1.18", "2.18"),
        ("1.21", "2.21"),
        ("1.4", "2.4"),
        ("1.2", "2.2"),
    ];
    for (a, b) in pairs {
        let (a, b) = (def.item(a).unwrap(), def.item(b).unwrap());
        assert_eq!(a.concept, b.concept);
        // Same concept code ⇔ same label, up to punctuation and spacing.
        let key = |s: &str| {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .replace("feks", "")
        };
        for ob in b.options() {
            let oa = a
                .option(b.concept_code(ob.code))
                .expect("mapped code exists");
            // Where the source words the same option differently in the two branches.
            let reworded = [("2.16.1", 3), ("2.4", 4)].contains(&(b.id.as_str(), ob.code));
            if !reworded {
                assert_eq!(
                    key(&oa.label),
                    key(&ob.label),
                    "{} {} ↔ {} {}",
                    b.id,
                    ob.code,
                    a.id,
                    oa.code
                );
            }
        }
    }
}

#[test]
fn codebook_matches_snapshot() {
    let json = serde_json::to_string_pretty(&Codebook::of(&korus())).unwrap() + "\n";
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/test_data/korus-2025-codebook.json"
    );
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, &json).unwrap();
    }
    let expected = std::fs::read_to_string(path)
        .expect("snapshot exists (run with UPDATE_EXPECT=1 to create it)");
    assert!(
        expected == json,
        "codebook differs from {path}; review and rerun with UPDATE_EXPECT=1"
    );
}

/// Renders the concept mapping (kept in `CONCEPTS.md`).
fn concept_mapping(def: &SurveyDefinition) -> String {
    let mut out = String::from(
        "# Concepts of KORUS 2025: one variable across branches\n\n\
         Generated from `surveys/korus-2025.toml` by the `concepts_document_is_current` test\n\
         (`UPDATE_EXPECT=1 cargo test -p survey-definitions --test korus` rewrites it).\n\n\
         Each concept's codes are those of its reference item (branch 1). For the other\n\
         items the table lists every code whose concept code differs; codes not listed map\n\
         to themselves. A concept is analysed as its widest item (`analysed as`): 1.2's\n\
         single choice joins 2.2's multiple choice as a multiple choice, so no answer is lost.\n\n\
         | concept | harmonised variable | analysed as | items | codes that differ (item code → concept code) |\n\
         |---|---|---|---|---|\n",
    );
    for (key, concept) in &def.concepts {
        let items: Vec<&survey_definitions::Item> = def
            .items
            .iter()
            .filter(|i| i.concept.as_deref() == Some(key))
            .collect();
        let ids: Vec<String> = items
            .iter()
            .map(|i| format!("{} ({})", i.id, i.kind.name()))
            .collect();
        let mut maps = Vec::new();
        for item in &items {
            if !item.concept_codes.is_empty() {
                let pairs: Vec<String> = item
                    .concept_codes
                    .iter()
                    .filter(|(a, b)| a != b)
                    .map(|(a, b)| format!("{a}→{b}"))
                    .collect();
                maps.push(format!("{}: {}", item.id, pairs.join(", ")));
            }
        }
        out.push_str(&format!(
            "| `{key}` | `{}` | {} | {} | {} |\n",
            concept.variable,
            def.concept_kind(key).map_or("?", |k| k.name()),
            ids.join(", "),
            maps.join("; ")
        ));
    }
    out.push_str(
        "\nWording differences the analysis should know about (same concept, source words differ):\n\
         1.10 counts all employees of the service, 2.10 only those doing outreach work;\n\
         1.9 allows four goals, 2.9 three; 1.2 is single choice, 2.2 multiple choice;\n\
         1.28 asks about \"kartlegginger, utredninger eller evalueringer\", 2.26 leaves out\n\
         evaluations; 1.15 asks when the service works, 2.15 when it does outreach work;\n\
         3.3 (municipalities without outreach) asks like 1.5/2.5 but is no part of\n\
         `annet_oppsokende`: the report shows it apart (Figure 52 against Figure 6).\n",
    );
    out
}

#[test]
fn concepts_document_is_current() {
    let doc = concept_mapping(&korus());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/CONCEPTS.md");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, &doc).unwrap();
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        expected == doc,
        "CONCEPTS.md is out of date; rerun with UPDATE_EXPECT=1"
    );
}
