//! Property tests: the parser and the validator never panic, hidden items
//! are never required, and validation is deterministic.

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use survey_definitions::{Answer, AnswerSet, KORUS_2025, Mode, SurveyDefinition, validate};

fn answer() -> impl Strategy<Value = Answer> {
    let leaf = prop_oneof![
        Just(Answer::Null),
        any::<bool>().prop_map(Answer::Bool),
        prop_oneof![
            any::<f64>(),
            -5.0..120.0f64,
            (0..20i64).prop_map(|n| n as f64)
        ]
        .prop_map(Answer::Number),
        prop_oneof![".{0,12}", "[0-9]{1,4}", "[0-9]{1,3},[0-9]", "0301|03|3401"]
            .prop_map(Answer::Text),
    ];
    leaf.prop_recursive(2, 16, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Answer::List),
            btree_map(
                prop_oneof!["lower|upper", "[0-9]{1,2}", ".{0,4}"],
                inner,
                0..5
            )
            .prop_map(Answer::Map),
        ]
    })
}

fn answer_set(def: &SurveyDefinition) -> impl Strategy<Value = AnswerSet> {
    let mut ids: Vec<String> = def.items.iter().map(|i| i.id.clone()).collect();
    ids.push("ukjent".into());
    let ids = proptest::sample::select(ids);
    (btree_map(ids, answer(), 0..40), vec(".{0,10}", 0..3)).prop_map(|(values, confirmed)| {
        AnswerSet {
            values,
            confirmed: confirmed.into_iter().collect(),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn validation_never_panics_is_deterministic_and_never_requires_hidden_items(
        answers in answer_set(&SurveyDefinition::parse(KORUS_2025).unwrap()),
        gate in 0..4i64,
    ) {
        let def = SurveyDefinition::parse(KORUS_2025).unwrap();
        let mut answers = answers;
        if gate > 0 {
            answers.values.insert("gate".into(), Answer::from(gate));
        }
        for mode in [Mode::Partial, Mode::Complete] {
            let a = validate(&def, &answers, mode);
            let b = validate(&def, &answers, mode);
            prop_assert_eq!(&a, &b);
            for id in &a.required {
                prop_assert!(a.visible.contains(id), "{} required but hidden", id);
            }
            for (id, report) in &a.items {
                prop_assert!(a.visible.contains(id), "{} has problems but is hidden", id);
                if mode == Mode::Complete {
                    for e in report.errors.iter().filter(|e| e.code == "required") {
                        prop_assert!(a.required.contains(id), "{}: {}", id, e.message);
                    }
                }
            }
            prop_assert!(a.progress.answered <= a.progress.total);
        }
    }

    #[test]
    fn the_parser_never_panics_on_arbitrary_text(src in "\\PC{0,400}") {
        let _ = SurveyDefinition::parse(&src);
    }

    #[test]
    fn the_parser_and_linter_never_panic_on_damaged_definitions(
        cuts in vec((0..KORUS_2025.len(), 0..40usize, "\\PC{0,8}"), 1..4),
    ) {
        let mut src = KORUS_2025.to_owned();
        for (at, len, insert) in cuts {
            let mut at = at.min(src.len());
            while !src.is_char_boundary(at) { at -= 1; }
            let mut end = (at + len).min(src.len());
            while !src.is_char_boundary(end) { end -= 1; }
            src.replace_range(at..end, &insert);
        }
        if let Ok(def) = SurveyDefinition::parse(&src) {
            let _ = survey_definitions::lint(&def, &src);
            let _ = validate(&def, &AnswerSet::default(), Mode::Complete);
        }
    }
}

/// The minimal case proptest once found: one `#` inserted into an item id
/// (2.15, which has a "spesifiser" option) made the parser panic.
#[test]
fn a_damaged_item_id_is_a_positioned_error_not_a_panic() {
    let damaged = KORUS_2025.replacen("id = \"2.15\"", "id = \"2.15#\"", 1);
    assert_ne!(damaged, KORUS_2025);
    let err = SurveyDefinition::parse(&damaged).unwrap_err();
    let messages: Vec<String> = err
        .diagnostics()
        .iter()
        .map(|d| d.render("korus-2025.toml"))
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("item id `2.15#` must be")),
        "{messages:?}"
    );
}
