//! The variables a definition exports, and their names (see the table in
//! the module above).

use survey_definitions::{DerivedFrom, Item, ItemKind, RegistryField, SurveyDefinition};

use super::{Aggregate, Measure, Part, Source, Storage, Variable};
use crate::SizeClass;

/// The variables a definition exports, in order.
pub fn variables(def: &SurveyDefinition) -> Vec<Variable> {
    let mut out = vec![Variable {
        name: "respondent".into(),
        label: "Respondent".into(),
        source: Source::Key,
        storage: Storage::Text,
        measure: Measure::Nominal,
        value_labels: Vec::new(),
        aggregate: Aggregate::First,
        personal: false,
    }];
    for item in &def.items {
        expand(item, &item.variable, &item.text, &mut out, |part| {
            Source::Item {
                item: item.id.clone(),
                part,
            }
        });
    }
    for (key, concept) in &def.concepts {
        if let (Some(reference), Some(kind)) = (def.item(&concept.reference), def.concept_kind(key))
        {
            // The concept takes its widest member's shape (1.2 single
            // choice joins 2.2 multiple choice as a multiple choice).
            let shaped = Item {
                kind,
                ..reference.clone()
            };
            expand(
                &shaped,
                &concept.variable,
                &concept.label,
                &mut out,
                |part| Source::Concept {
                    concept: key.clone(),
                    part,
                },
            );
        }
    }
    for d in &def.derived {
        let labels: Vec<(i64, String)> =
            d.values.iter().map(|v| (v.code, v.label.clone())).collect();
        let source = |part| Source::Derived {
            derived: d.variable.clone(),
            part,
        };
        match d.from {
            DerivedFrom::Recode => out.push(Variable {
                name: d.variable.clone(),
                label: d.label.clone(),
                source: source(Part::Whole),
                storage: Storage::Int,
                measure: Measure::Nominal,
                value_labels: labels,
                aggregate: Aggregate::First,
                personal: false,
            }),
            DerivedFrom::Registry => {
                let (storage, measure, value_labels) = match d.field {
                    Some(RegistryField::SizeClass) => (
                        Storage::Int,
                        Measure::Ordinal,
                        [SizeClass::Small, SizeClass::Medium, SizeClass::Large]
                            .iter()
                            .map(|c| (i64::from(c.code()), c.label().to_owned()))
                            .collect(),
                    ),
                    Some(RegistryField::Population) => (Storage::Int, Measure::Scale, Vec::new()),
                    _ => (Storage::Text, Measure::Nominal, Vec::new()),
                };
                out.push(Variable {
                    name: d.variable.clone(),
                    label: d.label.clone(),
                    source: source(Part::Whole),
                    storage,
                    measure,
                    value_labels,
                    aggregate: Aggregate::First,
                    personal: false,
                });
            }
            DerivedFrom::GridGroups => {
                for v in &d.values {
                    out.push(Variable {
                        name: format!("{}_g{}", d.variable, v.code),
                        label: format!("{}: {}", d.label, v.label),
                        source: source(Part::Row(v.code)),
                        storage: Storage::Int,
                        measure: Measure::Scale,
                        value_labels: Vec::new(),
                        aggregate: Aggregate::Sum,
                        personal: false,
                    });
                }
            }
        }
    }
    out
}

fn expand(
    item: &Item,
    name: &str,
    label: &str,
    out: &mut Vec<Variable>,
    source: impl Fn(Part) -> Source,
) {
    let options = |item: &Item| -> Vec<(i64, String)> {
        item.options()
            .iter()
            .map(|o| (o.code, o.label.clone()))
            .collect()
    };
    let var = |name: String, label: String, part, storage, measure, value_labels| {
        let aggregate = match (part, &item.kind) {
            (Part::Option(_) | Part::Upper, _) => Aggregate::Max,
            (Part::Lower, _) => Aggregate::Min,
            (_, ItemKind::Percent) => Aggregate::Mean,
            (_, _) if measure == Measure::Scale => Aggregate::Sum,
            _ => Aggregate::First,
        };
        Variable {
            name,
            label,
            source: source(part),
            storage,
            measure,
            value_labels,
            aggregate,
            personal: item.personal,
        }
    };
    match &item.kind {
        ItemKind::SingleChoice { .. } => out.push(var(
            name.into(),
            label.into(),
            Part::Whole,
            Storage::Int,
            Measure::Nominal,
            options(item),
        )),
        ItemKind::Integer { .. } | ItemKind::Percent => out.push(var(
            name.into(),
            label.into(),
            Part::Whole,
            Storage::Int,
            Measure::Scale,
            Vec::new(),
        )),
        // Kroner can pass an i32: a decimal column holds them exactly.
        ItemKind::Money { .. } => out.push(var(
            name.into(),
            label.into(),
            Part::Whole,
            Storage::Float,
            Measure::Scale,
            Vec::new(),
        )),
        ItemKind::Decimal { .. } => out.push(var(
            name.into(),
            label.into(),
            Part::Whole,
            Storage::Float,
            Measure::Scale,
            Vec::new(),
        )),
        ItemKind::MultipleChoice { options: opts, .. } => {
            for o in opts {
                out.push(var(
                    format!("{name}_k{}", o.code),
                    format!("{label}: {}", o.label),
                    Part::Option(o.code),
                    Storage::Int,
                    Measure::Nominal,
                    vec![(0, "Ikke valgt".into()), (1, "Valgt".into())],
                ));
            }
        }
        ItemKind::CountGrid { rows, money, .. } => {
            let storage = if *money { Storage::Float } else { Storage::Int };
            for r in rows {
                out.push(var(
                    format!("{name}_r{}", r.code),
                    format!("{label}: {}", r.label),
                    Part::Row(r.code),
                    storage,
                    Measure::Scale,
                    Vec::new(),
                ));
            }
            if *money {
                out.push(var(
                    format!("{name}_sum"),
                    format!("{label}: sum"),
                    Part::Sum,
                    storage,
                    Measure::Scale,
                    Vec::new(),
                ));
            }
        }
        // The text as given («cirka 12–15»), its bounds, and whether it
        // was approximate.
        ItemKind::Estimate { .. } => {
            let parts = [
                (
                    "",
                    " (som oppgitt)",
                    Part::Whole,
                    Storage::Text,
                    Measure::Nominal,
                ),
                (
                    "_nedre",
                    " (nedre)",
                    Part::Lower,
                    Storage::Int,
                    Measure::Scale,
                ),
                (
                    "_ovre",
                    " (øvre)",
                    Part::Upper,
                    Storage::Int,
                    Measure::Scale,
                ),
                (
                    "_cirka",
                    " (omtrentlig)",
                    Part::Approximate,
                    Storage::Int,
                    Measure::Nominal,
                ),
            ];
            for (suffix, word, part, storage, measure) in parts {
                let labels = if part == Part::Approximate {
                    vec![(0, "Nei".to_owned()), (1, "Ja".to_owned())]
                } else {
                    Vec::new()
                };
                out.push(var(
                    format!("{name}{suffix}"),
                    format!("{label}{word}"),
                    part,
                    storage,
                    measure,
                    labels,
                ));
            }
        }
        // Wide: the number of rows, the sum of the number fields, then
        // every field of every possible row (`stillinger_2_prosent`).
        ItemKind::Roster { columns, max_rows } => {
            out.push(var(
                format!("{name}_antall"),
                format!("{label}: antall rader"),
                Part::Rows,
                Storage::Int,
                Measure::Scale,
                Vec::new(),
            ));
            if columns.iter().any(|c| c.kind.range().is_some()) {
                out.push(var(
                    format!("{name}_sum"),
                    format!("{label}: sum"),
                    Part::Sum,
                    Storage::Int,
                    Measure::Scale,
                    Vec::new(),
                ));
            }
            for row in 1..=*max_rows {
                for (i, c) in columns.iter().enumerate() {
                    let (storage, measure) = match c.kind.range() {
                        Some(_) => (Storage::Int, Measure::Scale),
                        None => (Storage::Text, Measure::Nominal),
                    };
                    out.push(var(
                        format!("{name}_{row}_{}", c.key),
                        format!("{label}: rad {row}, {}", c.label),
                        Part::Field(row, i as u32),
                        storage,
                        measure,
                        Vec::new(),
                    ));
                }
            }
        }
        ItemKind::AgeRange { .. } => {
            for (suffix, word, part) in [
                ("nedre", "nedre", Part::Lower),
                ("ovre", "øvre", Part::Upper),
            ] {
                out.push(var(
                    format!("{name}_{suffix}"),
                    format!("{label} ({word} grense)"),
                    part,
                    Storage::Int,
                    Measure::Scale,
                    Vec::new(),
                ));
            }
        }
        // Dates stay `YYYY-MM-DD` text (SPSS reads them as strings).
        ItemKind::Text { .. }
        | ItemKind::LongText { .. }
        | ItemKind::Specify { .. }
        | ItemKind::Registry { .. }
        | ItemKind::Date => out.push(var(
            name.into(),
            label.into(),
            Part::Whole,
            Storage::Text,
            Measure::Nominal,
            Vec::new(),
        )),
    }
}

impl Variable {
    /// The variable as the HTTP API describes it.
    pub fn view(&self) -> api::research::VariableView {
        use api::research::VariableOrigin;
        let (origin, source) = match &self.source {
            Source::Key => (VariableOrigin::Key, String::new()),
            Source::Item { item, .. } => (VariableOrigin::Item, item.clone()),
            Source::Concept { concept, .. } => (VariableOrigin::Concept, concept.clone()),
            Source::Derived { derived, .. } => (VariableOrigin::Derived, derived.clone()),
            Source::Coded { frame, .. } => (VariableOrigin::Coded, frame.clone()),
        };
        api::research::VariableView {
            name: self.name.clone(),
            label: self.label.clone(),
            origin,
            source,
            storage: match self.storage {
                Storage::Int => "int",
                Storage::Float => "float",
                Storage::Text => "text",
            }
            .to_owned(),
            measure: match self.measure {
                Measure::Nominal => "nominal",
                Measure::Ordinal => "ordinal",
                Measure::Scale => "scale",
            }
            .to_owned(),
            value_labels: self.value_labels.clone(),
            grouping: None,
        }
    }
}
