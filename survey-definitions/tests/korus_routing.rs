//! Routing and checks of the KORUS 2025 definition.

use survey_definitions::{Answer, AnswerSet, KORUS_2025, Mode, SurveyDefinition, validate};

fn def() -> SurveyDefinition {
    SurveyDefinition::parse(KORUS_2025).unwrap()
}

fn range(l: i64, u: i64) -> Answer {
    Answer::Map(
        [
            ("lower".into(), Answer::from(l)),
            ("upper".into(), Answer::from(u)),
        ]
        .into_iter()
        .collect(),
    )
}

fn visible(answers: &AnswerSet) -> Vec<String> {
    validate(&def(), answers, Mode::Partial).visible
}

#[test]
fn the_gate_switches_branches() {
    for (gate, first, absent) in [(1, "1.1", "2.1"), (2, "2.1", "3.1"), (3, "3.1", "1.1")] {
        let v = visible(&AnswerSet::default().with("gate", Answer::from(gate)));
        assert!(v.contains(&first.to_owned()), "gate {gate} shows {first}");
        assert!(
            !v.contains(&absent.to_owned()),
            "gate {gate} hides {absent}"
        );
    }
    let v = visible(&AnswerSet::default());
    assert_eq!(
        v,
        ["fylke", "kommune", "navn", "stilling", "gate"],
        "no branch before the gate is answered"
    );
}

#[test]
fn skip_logic_of_the_source() {
    let b1 = AnswerSet::default().with("gate", Answer::from(1));
    let v = visible(&b1);
    for hidden in [
        "1.16.1", "1.23", "1.25", "1.29", "1.11.1", "1.11.2", "1.2:10", "bydel",
    ] {
        assert!(
            !v.contains(&hidden.to_owned()),
            "{hidden} hidden by default"
        );
    }
    let a = b1
        .clone()
        .with("1.16", Answer::from(1))
        .with("1.22", Answer::from(2))
        .with("1.28", vec![2].into())
        .with("1.2", Answer::from(10))
        .with("kommune", "0301".into())
        .with(
            "1.11",
            Answer::Map([("15".into(), Answer::from(1))].into_iter().collect()),
        );
    let v = visible(&a);
    for shown in [
        "1.16.1", "1.23", "1.25", "1.29", "1.11.1", "1.2:10", "bydel",
    ] {
        assert!(v.contains(&shown.to_owned()), "{shown} shown");
    }
    assert!(!v.contains(&"1.11.2".to_owned()));
    // 1.28 "Nei" hides 1.29; 1.22 "Nei" hides 1.23.
    let v = visible(
        &a.clone()
            .with("1.28", vec![3].into())
            .with("1.22", Answer::from(3)),
    );
    assert!(!v.contains(&"1.29".to_owned()) && !v.contains(&"1.23".to_owned()));
}

#[test]
fn hiding_a_parent_hides_its_dependants_without_losing_answers() {
    let a = AnswerSet::default()
        .with("gate", Answer::from(1))
        .with("1.16", Answer::from(1))
        .with("1.16.1", vec![7].into())
        .with("1.16.1:7", "noe annet".into());
    assert!(visible(&a).contains(&"1.16.1:7".to_owned()));
    let b = a.clone().with("1.16", Answer::from(2));
    let v = visible(&b);
    assert!(!v.contains(&"1.16.1".to_owned()) && !v.contains(&"1.16.1:7".to_owned()));
    assert_eq!(
        b.values["1.16.1:7"],
        Answer::from("noe annet"),
        "the answer is kept"
    );
}

#[test]
fn soft_warnings_of_the_2025_report() {
    let a = AnswerSet::default()
        .with("gate", Answer::from(1))
        .with("1.10", Answer::from(5))
        .with("1.10.2", Answer::from(4))
        .with("1.10.3", Answer::from(3))
        .with(
            "1.11",
            Answer::Map([("2".into(), Answer::from(3))].into_iter().collect()),
        )
        .with("1.7", range(13, 20))
        .with("1.8", range(10, 16));
    let r = validate(&def(), &a, Mode::Partial);
    let codes = |id: &str| {
        r.items
            .get(id)
            .map(|i| {
                i.warnings
                    .iter()
                    .map(|w| w.code.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    assert_eq!(codes("1.10.2"), ["check:b1_fast_prosjekt"]);
    assert_eq!(codes("1.10.3"), ["check:b1_fast_prosjekt"]);
    assert_eq!(codes("1.11"), ["check:b1_utdanning_sum"]);
    assert_eq!(codes("1.8"), ["check:b1_alder_innenfor"]);
    assert!(r.is_valid(), "warnings do not block submission");
}

#[test]
fn at_most_four_goals_in_branch_one_and_three_in_branch_two() {
    let r = validate(
        &def(),
        &AnswerSet::default()
            .with("gate", Answer::from(1))
            .with("1.9", vec![0, 1, 2, 3, 4].into()),
        Mode::Partial,
    );
    assert_eq!(
        r.items["1.9"].errors[0].message,
        "Du kan velge høyst 4 alternativer."
    );
    let r = validate(
        &def(),
        &AnswerSet::default()
            .with("gate", Answer::from(2))
            .with("2.9", vec![0, 1, 2, 3].into()),
        Mode::Partial,
    );
    assert_eq!(
        r.items["2.9"].errors[0].message,
        "Du kan velge høyst 3 alternativer."
    );
}

#[test]
fn a_complete_branch_three_answer_set_is_valid() {
    let a = AnswerSet::default()
        .with("fylke", "34".into())
        .with("kommune", "3401".into())
        .with("navn", "Kari Nordmann".into())
        .with("stilling", "Rådgiver".into())
        .with("gate", Answer::from(3))
        .with("3.2", Answer::from(2))
        .with("3.3", Answer::from(3))
        .with("3.4", Answer::from(2))
        .with("3.6", Answer::from(1));
    let r = validate(&def(), &a, Mode::Complete);
    assert!(r.is_valid(), "{:#?}", r.items);
    assert_eq!(r.progress.percent, 81, "{:?}", r.progress);
}

#[test]
fn municipality_must_lie_in_the_county() {
    let a = AnswerSet::default()
        .with("fylke", "03".into())
        .with("kommune", "3401".into());
    let r = validate(&def(), &a, Mode::Partial);
    assert_eq!(
        r.items["kommune"].errors[0].message,
        "Kommunen hører ikke til valgt fylke."
    );
}
