//! Lints of what analysis reads: derived variables and concepts.

use std::collections::BTreeSet;

use crate::diagnostic::Level;
use crate::model::*;

use super::Linter;

impl Linter<'_> {
    pub(super) fn derived(&mut self) {
        let def = self.def;
        let mut names: BTreeSet<String> = def
            .items
            .iter()
            .map(|i| i.variable.to_lowercase())
            .chain(def.concepts.values().map(|c| c.variable.to_lowercase()))
            .collect();
        for d in &def.derived {
            let here = |m: String| format!("derived `{}`: {m}", d.variable);
            let valid = !d.variable.is_empty()
                && d.variable
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && d.variable
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                self.report(Level::Error, d.span, here("the variable name must be ASCII letters, digits and _, starting with a letter".into()));
            }
            if !names.insert(d.variable.to_lowercase()) {
                self.report(
                    Level::Error,
                    d.span,
                    here("the variable name is already used".into()),
                );
            }
            if d.label.trim().is_empty() {
                self.report(Level::Error, d.span, here("empty label".into()));
            }
            let mut codes = BTreeSet::new();
            for v in &d.values {
                if !codes.insert(v.code) {
                    self.report(
                        Level::Error,
                        d.span,
                        here(format!("code {} appears twice", v.code)),
                    );
                }
            }
            let misplaced = |field: &str, present: bool| {
                present.then(|| here(format!("`{field}` does not apply to this rule")))
            };
            let mut problems: Vec<String> = Vec::new();
            match d.from {
                DerivedFrom::Recode => {
                    problems.extend(misplaced("field", d.field.is_some()));
                    problems.extend(misplaced("concept", d.concept.is_some()));
                    match d.item.as_deref().map(|id| (id, def.item(id))) {
                        None => problems.push(here("`item` is required".into())),
                        Some((id, None)) => problems.push(here(format!("unknown item `{id}`"))),
                        Some((id, Some(item))) => {
                            if !matches!(item.kind, ItemKind::SingleChoice { .. }) {
                                problems.push(here(format!("item {id} is not a single choice")));
                            }
                            if d.values.is_empty() {
                                problems.push(here("`values` is required".into()));
                            }
                            let mut seen = BTreeSet::new();
                            for v in &d.values {
                                for c in &v.from {
                                    if item.option(*c).is_none() {
                                        problems.push(here(format!("item {id} has no code {c}")));
                                    }
                                    if !seen.insert(*c) {
                                        problems.push(here(format!("code {c} is recoded twice")));
                                    }
                                }
                            }
                        }
                    }
                }
                DerivedFrom::Registry => {
                    problems.extend(misplaced("concept", d.concept.is_some()));
                    problems.extend(misplaced("values", !d.values.is_empty()));
                    if d.field.is_none() {
                        problems.push(here(
                            "`field` is required (size_class, county or population)".into(),
                        ));
                    }
                    match d.item.as_deref().map(|id| (id, def.item(id))) {
                        None => problems.push(here("`item` is required".into())),
                        Some((id, None)) => problems.push(here(format!("unknown item `{id}`"))),
                        Some((id, Some(item))) => {
                            if !matches!(
                                item.kind,
                                ItemKind::Registry {
                                    registry: RegistryKind::Municipality,
                                    ..
                                }
                            ) {
                                problems
                                    .push(here(format!("item {id} is not a municipality item")));
                            }
                        }
                    }
                }
                DerivedFrom::GridGroups => {
                    problems.extend(misplaced("item", d.item.is_some()));
                    problems.extend(misplaced("field", d.field.is_some()));
                    let grid = d
                        .concept
                        .as_deref()
                        .map(|k| (k, def.concepts.get(k).and_then(|c| def.item(&c.reference))));
                    match grid {
                        None => problems.push(here("`concept` is required".into())),
                        Some((k, None)) => problems.push(here(format!("unknown concept `{k}`"))),
                        Some((k, Some(item))) => {
                            if let ItemKind::CountGrid { rows, .. } = &item.kind {
                                if d.values.is_empty() {
                                    problems.push(here("`values` is required".into()));
                                }
                                let mut seen = BTreeSet::new();
                                for v in &d.values {
                                    for r in &v.from {
                                        if !rows.iter().any(|row| row.code == *r) {
                                            problems.push(here(format!(
                                                "concept `{k}` has no row {r}"
                                            )));
                                        }
                                        if !seen.insert(*r) {
                                            problems
                                                .push(here(format!("row {r} is in two groups")));
                                        }
                                    }
                                }
                            } else {
                                problems.push(here(format!("concept `{k}` is not a count grid")));
                            }
                        }
                    }
                }
            }
            for m in problems {
                self.report(Level::Error, d.span, m);
            }
        }
    }

    pub(super) fn concepts(&mut self) {
        let def = self.def;
        for (key, concept) in &def.concepts {
            let Some(reference) = def.item(&concept.reference) else {
                self.report(
                    Level::Error,
                    Span::default(),
                    format!(
                        "concept `{key}`: unknown reference item `{}`",
                        concept.reference
                    ),
                );
                continue;
            };
            if reference.concept.as_deref() != Some(key) {
                self.report(
                    Level::Error,
                    reference.span,
                    format!(
                        "concept `{key}`: reference item {} does not declare it",
                        reference.id
                    ),
                );
            }
            if !def
                .items
                .iter()
                .any(|i| i.concept.as_deref() == Some(key) && i.id != reference.id)
            {
                self.report(
                    Level::Warning,
                    reference.span,
                    format!("concept `{key}` is declared by one item only"),
                );
            }
        }
        for item in &def.items {
            let Some(key) = &item.concept else {
                if !item.concept_codes.is_empty() {
                    self.report(
                        Level::Error,
                        item.span,
                        format!("item {}: `concept_codes` without `concept`", item.id),
                    );
                }
                continue;
            };
            let Some(reference) = def.concepts.get(key).and_then(|c| def.item(&c.reference)) else {
                if !def.concepts.contains_key(key) {
                    self.report(
                        Level::Error,
                        item.span,
                        format!("item {}: unknown concept `{key}`", item.id),
                    );
                }
                continue;
            };
            if item.kind.shape() != reference.kind.shape() {
                self.report(
                    Level::Error,
                    item.span,
                    format!(
                        "item {}: concept `{key}` joins a {} with the reference item's {} ({}); analysis would drop its answers",
                        item.id,
                        item.kind.name(),
                        reference.kind.name(),
                        reference.id
                    ),
                );
                continue;
            }
            for (from, to) in &item.concept_codes {
                if item.option(*from).is_none() {
                    self.report(
                        Level::Error,
                        item.span,
                        format!(
                            "item {}: concept_codes maps code {from}, which the item does not have",
                            item.id
                        ),
                    );
                }
                if reference.option(*to).is_none() {
                    self.report(
                        Level::Error,
                        item.span,
                        format!(
                            "item {}: concept_codes maps to code {to}, which {} does not have",
                            item.id, reference.id
                        ),
                    );
                }
            }
            for o in item.options() {
                if reference.option(item.concept_code(o.code)).is_none() {
                    self.report(
                        Level::Error,
                        o.span,
                        format!("item {}: code {} has no counterpart in concept `{key}` (add it to concept_codes)", item.id, o.code),
                    );
                }
            }
        }
    }
}
