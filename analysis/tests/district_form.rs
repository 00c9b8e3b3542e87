//! Oslo's one-to-one form through the analysis: fifteen districts' answers
//! built so the sums are the report's (33 staff, 28 positions, 66 youths,
//! 28 with repeated crime; 12 of 15 follow the Oslo standard), read back
//! from the dataset's columns, with the new kinds' export columns
//! (roster rows and sum, estimate bounds and «cirka», money per source
//! and its sum). A survey without branches is analysable by its unit.

use std::collections::BTreeMap;

use analysis::clean::{Roles, Sample, clean};
use analysis::dataset::{Dataset, Registry, RespondentInput};
use survey_definitions::{Answer, OSLO_EN_TIL_EN_2025, SurveyDefinition, normalize};

/// District `d` (1–15): staff, positions, youths, repeated crime.
fn figures(d: usize) -> (i64, usize, i64, i64) {
    // 33 = 3×3 + 12×2; 28 = 13×2 + 2×1; 66 = 6×6 + 6×4 + 3×2;
    // 28 = 13×2 + 2×1.
    let staff = if d <= 3 { 3 } else { 2 };
    let positions = if d <= 13 { 2 } else { 1 };
    let youths = match d {
        1..=6 => 6,
        7..=12 => 4,
        _ => 2,
    };
    let crime = if d <= 13 { 2 } else { 1 };
    (staff, positions, youths, crime)
}

fn district(def: &SurveyDefinition, d: usize) -> RespondentInput {
    let (staff, positions, youths, crime) = figures(d);
    let row = |pct: i64| {
        Answer::Map(BTreeMap::from([
            (
                "rolle".to_owned(),
                Answer::Text("Én-til-én oppfølger".into()),
            ),
            ("prosent".to_owned(), Answer::Text(pct.to_string())),
        ]))
    };
    let raw: Vec<(&str, Answer)> = vec![
        ("kommune", Answer::Text("0301".into())),
        ("bydel", Answer::Text(format!("0301{d:02}"))),
        ("1", Answer::Number(if d <= 12 { 1.0 } else { 2.0 })),
        ("2.1", Answer::Number(staff as f64)),
        (
            "2.2",
            Answer::List(
                (0..positions)
                    .map(|i| row(if i == 0 { 100 } else { 50 }))
                    .collect(),
            ),
        ),
        ("3", Answer::Text("kr 1 250 000,-".into())),
        (
            "3.1",
            Answer::Map(BTreeMap::from([
                ("1".to_owned(), Answer::Text("1 000 000".into())),
                ("4".to_owned(), Answer::Text("250.000".into())),
            ])),
        ),
        ("3.2", Answer::Text("31.12.2025".into())),
        ("4.1", Answer::Number(youths as f64)),
        ("4.4", Answer::Number(crime as f64)),
        ("6", Answer::Number(1.0)),
        (
            "6.1",
            Answer::Text(if d == 1 { "ca. 12-15" } else { "3" }.into()),
        ),
    ];
    // Stored as the server stores them: the engine's canonical form.
    let answers = raw
        .into_iter()
        .map(|(id, a)| {
            let item = def.item(id).unwrap_or_else(|| panic!("no item {id}"));
            let v = normalize(item, &a).unwrap_or_else(|e| panic!("{id}: {e}"));
            (id.to_owned(), v)
        })
        .collect();
    RespondentInput {
        key: format!("svar-{d}"),
        answers,
        submitted: true,
    }
}

#[test]
fn fifteen_districts_sum_to_the_reports_figures() {
    let def = SurveyDefinition::parse(OSLO_EN_TIL_EN_2025).unwrap();
    let ds = Dataset::build(
        &def,
        &Registry::default(),
        (1..=15).map(|d| district(&def, d)),
    );
    let sum = |name: &str| -> f64 {
        let c = ds
            .column(name)
            .unwrap_or_else(|| panic!("no column {name}"));
        (0..ds.len()).filter_map(|r| c.number(r)).sum()
    };
    assert_eq!(sum("ansatte"), 33.0);
    assert_eq!(sum("stillinger_antall"), 28.0);
    assert_eq!(sum("ungdommer"), 66.0);
    assert_eq!(sum("gjentatt_kriminalitet"), 28.0);
    let yes = ds.column("oslostandard").unwrap();
    assert_eq!((0..15).filter(|&r| yes.number(r) == Some(1.0)).count(), 12);

    // The new kinds' columns.
    let col = |name: &str| {
        ds.column(name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    assert_eq!(col("stillinger_sum").number(0), Some(150.0));
    assert_eq!(col("stillinger_2_rolle").text(0), "Én-til-én oppfølger");
    assert_eq!(
        col("stillinger_2_prosent").number(14),
        None,
        "district 15 has one position"
    );
    assert_eq!(col("uten_plass_antall").text(0), "cirka 12–15");
    assert_eq!(col("uten_plass_antall_nedre").number(0), Some(12.0));
    assert_eq!(col("uten_plass_antall_ovre").number(0), Some(15.0));
    assert_eq!(col("uten_plass_antall_cirka").number(0), Some(1.0));
    assert_eq!(col("uten_plass_antall_cirka").number(1), Some(0.0));
    assert_eq!(col("bevilget").number(0), Some(1_250_000.0));
    assert_eq!(col("bevilget_kilde_sum").number(0), Some(1_250_000.0));
    assert_eq!(col("bevilget_kilde_r4").number(0), Some(250_000.0));
    assert_eq!(col("bevilget_per").text(0), "2025-12-31");

    // No branches: every district with its unit is analysable.
    let roles = Roles::of(&def).expect("a municipality item");
    assert_eq!(roles.gate, None);
    let cleaning = clean(&ds, &roles, &[], Sample::Submitted);
    assert_eq!(cleaning.included.iter().filter(|i| **i).count(), 15);
    assert!(
        cleaning.duplicate.iter().all(Option::is_none),
        "15 districts, no duplicates"
    );
}

/// Oslo with its fifteen districts, as the registry has them.
fn oslo_registry() -> Registry {
    let mut r = Registry {
        year: 2024,
        ..Default::default()
    };
    r.municipalities.insert(
        "0301".into(),
        analysis::dataset::Place {
            name: "Oslo".into(),
            county_number: "03".into(),
            county_name: "Oslo".into(),
            population: 717_710,
        },
    );
    for d in 1..=15 {
        r.districts
            .insert(format!("0301{d:02}"), (format!("Bydel {d}"), "0301".into()));
    }
    r
}

#[test]
fn the_report_file_gives_the_reports_numbers() {
    use analysis::declared::{self, run};
    let def = SurveyDefinition::parse(OSLO_EN_TIL_EN_2025).unwrap();
    let registry = oslo_registry();
    let ds = Dataset::build(&def, &registry, (1..=15).map(|d| district(&def, d)));
    let roles = Roles::of(&def).unwrap();
    let (file, diagnostics) = declared::check(survey_definitions::OSLO_EN_TIL_EN_2025_REPORT, &def);
    assert!(
        diagnostics
            .iter()
            .all(|d| d.level != survey_definitions::Level::Error),
        "{diagnostics:?}"
    );
    let inputs = run::Inputs {
        ds: &ds,
        def: &def,
        roles: &roles,
        registry: &registry,
        decisions: &[],
        suppress_below: None,
    };
    let figures = run::run(&inputs, &file.unwrap(), &mut |_, _| {}).unwrap();
    assert_eq!(figures.len(), 13);
    let mut checked = 0;
    for f in &figures {
        if f.status == run::Status::NotCoded {
            assert!(f.title.contains("Tematisk koding"), "{}", f.title);
            continue;
        }
        for c in &f.comparison {
            assert_eq!(c.now, Some(c.published), "{}: {c:?}", f.title);
            checked += 1;
        }
    }
    // 15 of 15 districts; 12 and 3 on the standard; 33, 28, 66 and 28.
    assert_eq!(checked, 7, "every number the report states is compared");
    let rate = &figures[0];
    assert_eq!(rate.n, Some(15));
}

#[test]
fn amounts_per_source_are_shares_of_their_own_rows_not_of_the_sum() {
    use analysis::crosstab::{CrosstabRequest, crosstab};
    let def = SurveyDefinition::parse(OSLO_EN_TIL_EN_2025).unwrap();
    let ds = Dataset::build(
        &def,
        &Registry::default(),
        (1..=15).map(|d| district(&def, d)),
    );
    let roles = Roles::of(&def).unwrap();
    let cleaning = clean(&ds, &roles, &[], Sample::Submitted);
    let request = |item: &str, by: &str| CrosstabRequest {
        item: item.into(),
        by: by.into(),
        unit: analysis::clean::Unit::Respondent,
        suppress_below: None,
        total: false,
        bins: None,
    };
    let t = crosstab(&ds, &roles, &cleaning, &request("3.1", "none")).unwrap();
    assert_eq!(
        t.categories.len(),
        4,
        "the four sources, not their sum: {:?}",
        t.categories
    );
    let share = |row: usize| t.percents[row][0].unwrap().round();
    assert_eq!([share(0), share(3)], [80.0, 20.0]);
    // By district, one response each: no test on groups of one.
    let t = crosstab(&ds, &roles, &cleaning, &request("ansatte", "bydel")).unwrap();
    assert!(t.tests.is_empty(), "{:?}", t.tests);
    assert!(
        t.warnings.iter().any(|w| w.contains("bare én enhet")),
        "{:?}",
        t.warnings
    );
}
