//! One test per item kind and per validation rule, on a small definition.

use survey_definitions::{Answer, AnswerSet, Mode, SurveyDefinition, ValidationReport, validate};

const DEF: &str = r#"
version = 1
[survey]
id = "t"
round_year = 2025
title = "T"
language = "nb"
introduction = "i"

[[sections]]
id = "s"
title = "S"

[[sections.items]]
id = "navn"
variable = "navn"
text = "Navn"
kind = "text"
max_length = 10

[[sections.items]]
id = "n"
variable = "n"
text = "Antall"
kind = "integer"
max = 50

[[sections.items]]
id = "d"
variable = "d"
text = "Årsverk"
kind = "decimal"
max = 50

[[sections.items]]
id = "s1"
variable = "s1"
text = "Ja/nei"
kind = "single_choice"
options = [{ code = 1, label = "Ja" }, { code = 2, label = "Nei" }, { code = 7, label = "Annet", specify = true }]

[[sections.items]]
id = "m"
variable = "m"
text = "Flere"
kind = "multiple_choice"
max_choices = 2
options = [{ code = 1, label = "A" }, { code = 2, label = "B" }, { code = 3, label = "C" }, { code = 9, label = "Ingen", exclusive = true }]

[[sections.items]]
id = "sub"
variable = "sub"
text = "Hvis ja"
kind = "long_text"
relevant = "$s1 == 1"
required = "required"

[[sections.items]]
id = "age"
variable = "age"
text = "Alder"
kind = "age_range"

[[sections.items]]
id = "pct"
variable = "pct"
text = "Prosent"
kind = "percent"

[[sections.items]]
id = "grid"
variable = "grid"
text = "Utdanning"
kind = "count_grid"
rows = [{ code = 1, label = "Bachelor" }, { code = 2, label = "Master" }]

[[sections.items]]
id = "k"
variable = "k"
text = "Kommune"
kind = "registry"
registry = "municipality"
required = "optional"

[[checks]]
id = "sum"
items = ["grid"]
assert = "sum($grid) >= $n"
message = "For få"
severity = "warning"
"#;

fn def() -> SurveyDefinition {
    SurveyDefinition::parse(DEF).unwrap()
}

fn check(id: &str, answer: Answer) -> ValidationReport {
    validate(
        &def(),
        &AnswerSet::default().with(id, answer),
        Mode::Partial,
    )
}

fn error(id: &str, answer: Answer) -> Option<String> {
    check(id, answer)
        .items
        .get(id)
        .and_then(|r| r.errors.first())
        .map(|p| p.message.clone())
}

#[test]
fn text_length_is_limited() {
    assert_eq!(error("navn", "Kari".into()), None);
    assert_eq!(
        error("navn", "x".repeat(11).as_str().into()).unwrap(),
        "Teksten kan ikke være lengre enn 10 tegn."
    );
    assert_eq!(
        error("navn", Answer::from(3)).unwrap(),
        "Svaret har feil format. Skriv inn tekst."
    );
}

#[test]
fn integers_reject_text_fractions_and_out_of_range() {
    assert_eq!(error("n", "12".into()), None);
    assert_eq!(
        error("n", "abc".into()).unwrap(),
        "Skriv et helt tall, for eksempel 4."
    );
    assert_eq!(
        error("n", "4,5".into()).unwrap(),
        "Skriv et helt tall, for eksempel 4."
    );
    assert_eq!(
        error("n", Answer::from(51)).unwrap(),
        "Tallet må være mellom 0 og 50."
    );
    assert_eq!(
        error("n", Answer::from(-1)).unwrap(),
        "Tallet må være mellom 0 og 50."
    );
}

#[test]
fn decimals_accept_the_norwegian_comma() {
    assert_eq!(error("d", "4,5".into()), None);
    assert_eq!(error("d", Answer::Number(4.5)), None);
    assert_eq!(
        error("d", "fire".into()).unwrap(),
        "Skriv et tall, for eksempel 4,5."
    );
    assert_eq!(
        error("d", "50,5".into()).unwrap(),
        "Tallet må være mellom 0 og 50."
    );
}

#[test]
fn single_choice_takes_only_its_codes() {
    assert_eq!(error("s1", Answer::from(7)), None);
    assert_eq!(
        error("s1", Answer::from(3)).unwrap(),
        "Velg et av svaralternativene."
    );
}

#[test]
fn multiple_choice_limits_and_exclusive_options() {
    assert_eq!(error("m", vec![1, 2].into()), None);
    assert_eq!(
        error("m", vec![1, 2, 3].into()).unwrap(),
        "Du kan velge høyst 2 alternativer."
    );
    assert_eq!(
        error("m", vec![1, 9].into()).unwrap(),
        "«Ingen» kan ikke kombineres med andre svar."
    );
    assert_eq!(error("m", vec![9].into()), None);
    assert_eq!(
        error("m", Answer::from(1)).unwrap(),
        "Svaret har feil format. Kryss av i listen."
    );
}

#[test]
fn specify_text_shows_only_with_its_option_and_warns_when_empty() {
    let d = def();
    let r = validate(
        &d,
        &AnswerSet::default().with("s1", Answer::from(1)),
        Mode::Complete,
    );
    assert!(!r.is_visible("s1:7"));
    let r = validate(
        &d,
        &AnswerSet::default().with("s1", Answer::from(7)),
        Mode::Complete,
    );
    assert!(r.is_visible("s1:7"));
    let w = &r.items["s1:7"].warnings[0];
    assert_eq!(w.message, "Du har valgt «Annet» uten å spesifisere.");
    // Confirming the warning keeps it, marked confirmed.
    let mut answers = AnswerSet::default().with("s1", Answer::from(7));
    answers.confirmed.insert(w.key.clone());
    let r = validate(&d, &answers, Mode::Complete);
    assert!(r.items["s1:7"].warnings[0].confirmed);
    assert_eq!(r.open_warnings().filter(|(id, _)| *id == "s1:7").count(), 0);
}

#[test]
fn hidden_items_are_never_required_and_their_answers_are_ignored() {
    let d = def();
    let answers = AnswerSet::default()
        .with("s1", Answer::from(2))
        .with("sub", Answer::from(5));
    let r = validate(&d, &answers, Mode::Complete);
    assert!(!r.is_visible("sub"));
    assert!(!r.required.contains(&"sub".to_owned()));
    assert!(
        !r.items.contains_key("sub"),
        "a hidden item's bad answer is not reported"
    );
    let r = validate(
        &d,
        &AnswerSet::default().with("s1", Answer::from(1)),
        Mode::Complete,
    );
    assert_eq!(
        r.items["sub"].errors[0].message,
        "Dette spørsmålet må besvares."
    );
}

#[test]
fn partial_mode_does_not_require_answers() {
    let r = validate(&def(), &AnswerSet::default(), Mode::Partial);
    assert!(r.is_valid());
    let r = validate(&def(), &AnswerSet::default(), Mode::Complete);
    assert!(!r.is_valid());
    assert!(r.items["n"].errors[0].code == "required");
    assert!(
        !r.items.contains_key("k"),
        "optional items are not required"
    );
}

#[test]
fn age_range_bounds_and_order() {
    let range = |l: &str, u: &str| {
        Answer::Map(
            [("lower".into(), l.into()), ("upper".into(), u.into())]
                .into_iter()
                .collect(),
        )
    };
    assert_eq!(error("age", range("13", "18")), None);
    assert_eq!(
        error("age", range("18", "13")).unwrap(),
        "Nedre aldersgrense kan ikke være høyere enn øvre aldersgrense."
    );
    let r = check("age", range("x", "13"));
    assert_eq!(r.items["age"].errors[0].target.as_deref(), Some("lower"));
    assert_eq!(
        r.items["age"].errors[0].message,
        "Nedre aldersgrense: skriv alderen som et helt tall, for eksempel 13."
    );
    // The 2025 report quotes «0–100», «12–100» and «16–100».
    assert_eq!(error("age", range("12", "100")), None);
    assert_eq!(error("age", range("0", "100")), None);
    assert_eq!(
        error("age", range("13", "150")).unwrap(),
        "Øvre aldersgrense: tallet må være mellom 0 og 100."
    );
}

#[test]
fn percent_is_zero_to_hundred() {
    assert_eq!(error("pct", Answer::from(100)), None);
    assert_eq!(
        error("pct", Answer::from(101)).unwrap(),
        "Tallet må være mellom 0 og 100."
    );
}

#[test]
fn grid_rows_are_counts_and_feed_checks() {
    let grid = |a: &str, b: &str| {
        Answer::Map(
            [("1".into(), a.into()), ("2".into(), b.into())]
                .into_iter()
                .collect(),
        )
    };
    let r = check("grid", grid("2", "abc"));
    let e = &r.items["grid"].errors[0];
    assert_eq!(e.message, "Master: Skriv et helt tall, for eksempel 4.");
    assert_eq!(e.target.as_deref(), Some("2"));
    let answers = AnswerSet::default()
        .with("n", Answer::from(5))
        .with("grid", grid("2", "1"));
    let r = validate(&def(), &answers, Mode::Partial);
    assert_eq!(r.items["grid"].warnings[0].message, "For få");
    assert!(r.is_valid(), "a warning does not block");
    let answers = AnswerSet::default()
        .with("n", Answer::from(3))
        .with("grid", grid("2", "1"));
    assert!(
        !validate(&def(), &answers, Mode::Partial)
            .items
            .contains_key("grid")
    );
}

#[test]
fn registry_codes_have_the_registry_length() {
    assert_eq!(error("k", "0301".into()), None);
    assert_eq!(error("k", "301".into()).unwrap(), "Velg fra listen.");
}

#[test]
fn unknown_items_are_reported_not_ignored() {
    let r = check("finnes-ikke", Answer::from(1));
    assert_eq!(r.unknown, ["finnes-ikke"]);
    assert!(!r.is_valid());
}

#[test]
fn progress_counts_visible_questions() {
    let r = validate(
        &def(),
        &AnswerSet::default()
            .with("s1", Answer::from(1))
            .with("n", Answer::from(2)),
        Mode::Partial,
    );
    // Visible: navn n d s1 m sub age pct grid k = 10 (s1:7 hidden, specify not counted).
    assert_eq!(
        (r.progress.answered, r.progress.total, r.progress.percent),
        (2, 10, 20)
    );
}
