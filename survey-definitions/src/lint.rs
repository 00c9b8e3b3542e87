//! Semantic checks on a parsed definition, reported with source positions.

use std::collections::{BTreeMap, BTreeSet};

use crate::answer::{Answer, AnswerSet};
use crate::diagnostic::{Diagnostic, Level};
use crate::expr::{Expression, Value};
use crate::model::*;
use crate::validate::item_visible;

/// Most answer combinations tried when looking for a way to reach an item.
const REACH_BUDGET: usize = 20_000;

/// Lints a definition parsed from `src`; returns every problem found, errors first.
pub fn lint(def: &SurveyDefinition, src: &str) -> Vec<Diagnostic> {
    let mut l = Linter {
        def,
        src,
        out: Vec::new(),
    };
    l.duplicates();
    l.texts_and_limits();
    l.survey_meta();
    l.references();
    l.concepts();
    l.derived();
    let cyclic = l.cycles();
    l.reachability(&cyclic);
    let mut out = l.out;
    out.sort_by_key(|d| (d.level, d.span.start));
    out
}

struct Linter<'a> {
    def: &'a SurveyDefinition,
    src: &'a str,
    out: Vec<Diagnostic>,
}

impl Linter<'_> {
    fn report(&mut self, level: Level, span: Span, message: String) {
        self.out
            .push(Diagnostic::new(level, self.src, span, message));
    }

    fn at_expr(e: &Expression, offset: usize, fallback: Span) -> Span {
        e.origin().map_or(fallback, |o| Span {
            start: o + offset,
            end: o + offset,
        })
    }

    fn duplicates(&mut self) {
        let mut sections = BTreeSet::new();
        for s in &self.def.sections {
            if !sections.insert(&s.id) {
                self.report(
                    Level::Error,
                    s.span,
                    format!("duplicate section id `{}`", s.id),
                );
            }
        }
        let (mut ids, mut vars) = (BTreeSet::new(), BTreeSet::new());
        for item in &self.def.items {
            if !ids.insert(&item.id) {
                self.report(
                    Level::Error,
                    item.span,
                    format!("duplicate item id `{}`", item.id),
                );
            }
            if !vars.insert(item.variable.to_lowercase()) {
                self.report(
                    Level::Error,
                    item.span,
                    format!("duplicate variable name `{}`", item.variable),
                );
            }
            let mut codes = BTreeSet::new();
            for o in item.options() {
                if !codes.insert(o.code) {
                    self.report(
                        Level::Error,
                        o.span,
                        format!("item {}: duplicate code {}", item.id, o.code),
                    );
                }
            }
        }
        let mut check_ids = BTreeSet::new();
        for c in &self.def.checks {
            if !check_ids.insert(&c.id) {
                self.report(
                    Level::Error,
                    c.span,
                    format!("duplicate check id `{}`", c.id),
                );
            }
        }
    }

    /// Where `needle` first occurs in the source (for diagnostics on
    /// survey-level keys, which carry no span of their own).
    fn locate(&self, needle: &str) -> Span {
        let start = self.src.find(needle).unwrap_or(0);
        Span { start, end: start }
    }

    fn survey_meta(&mut self) {
        let meta = &self.def.survey;
        let texts = [Some(&meta.introduction), meta.closing.as_ref()];
        let uses_placeholder = texts
            .iter()
            .flatten()
            .any(|t| t.contains(CONTACTS_PLACEHOLDER));
        if uses_placeholder && meta.contact_prompt.is_none() {
            let at = self.locate(CONTACTS_PLACEHOLDER);
            self.report(
                Level::Error,
                at,
                format!("{CONTACTS_PLACEHOLDER} is used but `contact_prompt` is not set"),
            );
        }
        if meta.contact_prompt.is_some() && !uses_placeholder {
            let at = self.locate("contact_prompt");
            self.report(
                Level::Warning,
                at,
                format!("`contact_prompt` is set but no text has {CONTACTS_PLACEHOLDER}"),
            );
        }
        if uses_placeholder && meta.contacts.is_empty() {
            let at = self.locate(CONTACTS_PLACEHOLDER);
            self.report(
                Level::Warning,
                at,
                "no contacts are declared: the contact sentence is left out".into(),
            );
        }
        for c in &meta.contacts {
            if c.name.trim().is_empty() || (c.email.is_none() && c.phone.is_none()) {
                let at = self.locate("contacts");
                self.report(
                    Level::Error,
                    at,
                    format!(
                        "contact «{}» needs a name and an e-mail or telephone",
                        c.name
                    ),
                );
            }
        }
        for id in &meta.response_label {
            if self.def.item(id).is_none() {
                let at = self.locate("response_label");
                self.report(
                    Level::Error,
                    at,
                    format!("response_label names unknown item {id}"),
                );
            }
        }
    }

    fn texts_and_limits(&mut self) {
        for item in &self.def.items {
            if item.text.trim().is_empty() {
                self.report(
                    Level::Error,
                    item.span,
                    format!("item {} has no text", item.id),
                );
            }
            let valid_var = item
                .variable
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && item
                    .variable
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
                && item.variable.len() <= 64;
            if !valid_var {
                self.report(
                    Level::Error,
                    item.span,
                    format!("item {}: variable `{}` is not a valid SPSS name (letter first, then letters, digits, _; at most 64)", item.id, item.variable),
                );
            }
            for o in item.options() {
                if o.label.trim().is_empty() {
                    self.report(
                        Level::Error,
                        o.span,
                        format!("item {}: option {} has no label", item.id, o.code),
                    );
                }
            }
            for h in item.help.iter().filter(|h| h.pending) {
                self.report(
                    Level::Warning,
                    item.span,
                    format!(
                        "item {}: help text «{}» is still to be supplied",
                        item.id, h.title
                    ),
                );
            }
            match &item.kind {
                ItemKind::SingleChoice { options } | ItemKind::MultipleChoice { options, .. }
                    if options.is_empty() =>
                {
                    self.report(
                        Level::Error,
                        item.span,
                        format!("item {} has no options", item.id),
                    )
                }
                ItemKind::SingleChoice { options } if options.iter().any(|o| o.exclusive) => self
                    .report(
                        Level::Warning,
                        item.span,
                        format!(
                            "item {}: `exclusive` has no effect on a single choice",
                            item.id
                        ),
                    ),
                ItemKind::MultipleChoice {
                    options,
                    min_choices,
                    max_choices: Some(max),
                } if (*max == 0 || *max as usize > options.len() || min_choices > max) => {
                    self.report(
                        Level::Error,
                        item.span,
                        format!(
                            "item {}: choice limits {min_choices}..{max} do not fit its {} options",
                            item.id,
                            options.len()
                        ),
                    );
                }
                ItemKind::Integer { min, max } | ItemKind::AgeRange { min, max } if min > max => {
                    self.report(
                        Level::Error,
                        item.span,
                        format!("item {}: min {min} is above max {max}", item.id),
                    )
                }
                ItemKind::Decimal { min, max } if min > max => self.report(
                    Level::Error,
                    item.span,
                    format!("item {}: min {min} is above max {max}", item.id),
                ),
                _ => {}
            }
        }
    }

    /// Every expression with the span to blame when it has no origin.
    fn expressions(def: &SurveyDefinition) -> Vec<(String, &Expression, Span)> {
        let mut out = Vec::new();
        for s in &def.sections {
            if let Some(e) = &s.relevant {
                out.push((format!("section {}", s.id), e, s.span));
            }
        }
        for i in &def.items {
            if let Some(e) = &i.relevant {
                out.push((format!("item {}", i.id), e, i.span));
            }
        }
        for c in &def.checks {
            out.push((format!("check {}", c.id), &c.assert, c.span));
        }
        out
    }

    fn references(&mut self) {
        let def = self.def;
        for (owner, e, span) in Self::expressions(def) {
            for r in e.references() {
                let at = Self::at_expr(e, r.offset, span);
                let Some(target) = def.item(&r.id) else {
                    self.report(
                        Level::Error,
                        at,
                        format!("{owner}: unknown item `{}`", r.id),
                    );
                    continue;
                };
                if let Some(row) = r.row
                    && (!matches!(target.kind, ItemKind::CountGrid { .. })
                        || target.option(row).is_none())
                {
                    self.report(
                        Level::Error,
                        at,
                        format!("{owner}: `{}` has no grid row {row}", r.id),
                    );
                }
            }
            for (id, code, offset) in e.code_comparisons() {
                let Some(target) = def.item(&id) else {
                    continue;
                };
                if target.kind.is_choice()
                    && (code.fract() != 0.0 || target.option(code as i64).is_none())
                {
                    let at = Self::at_expr(e, offset, span);
                    self.report(
                        Level::Error,
                        at,
                        format!(
                            "{owner}: `{id}` has no option with code {code}, so this never matches"
                        ),
                    );
                }
            }
        }
        for c in &self.def.checks {
            for id in &c.items {
                if self.def.item(id).is_none() {
                    self.report(
                        Level::Error,
                        c.span,
                        format!("check {}: unknown item `{id}`", c.id),
                    );
                }
            }
        }
        for item in &self.def.items {
            if !self.def.sections.iter().any(|s| s.id == item.section) {
                self.report(
                    Level::Error,
                    item.span,
                    format!("item {}: unknown section `{}`", item.id, item.section),
                );
            }
            if let ItemKind::Registry {
                parent: Some(p), ..
            } = &item.kind
                && !matches!(
                    self.def.item(p).map(|i| &i.kind),
                    Some(ItemKind::Registry { .. })
                )
            {
                self.report(
                    Level::Error,
                    item.span,
                    format!("item {}: parent `{p}` is not a registry item", item.id),
                );
            }
        }
    }

    fn derived(&mut self) {
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

    fn concepts(&mut self) {
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
            if item.kind.is_choice() != reference.kind.is_choice() {
                self.report(
                    Level::Error,
                    item.span,
                    format!(
                        "item {}: concept `{key}` mixes choice and non-choice items",
                        item.id
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

    /// Items each item's visibility depends on directly.
    fn deps(&self) -> Vec<Vec<usize>> {
        let def = self.def;
        def.items
            .iter()
            .map(|item| {
                let section = def.section(&item.section).and_then(|s| s.relevant.as_ref());
                let mut d: Vec<usize> = section
                    .into_iter()
                    .chain(item.relevant.as_ref())
                    .flat_map(|e| e.references())
                    .filter_map(|r| def.index.get(&r.id).copied())
                    .collect();
                d.sort_unstable();
                d.dedup();
                d
            })
            .collect()
    }

    fn cycles(&mut self) -> BTreeSet<usize> {
        let deps = self.deps();
        // 0 = unvisited, 1 = on stack, 2 = done.
        let mut state = vec![0u8; deps.len()];
        let mut cyclic = BTreeSet::new();
        fn visit(
            i: usize,
            deps: &[Vec<usize>],
            state: &mut [u8],
            stack: &mut Vec<usize>,
            cycles: &mut Vec<Vec<usize>>,
        ) {
            state[i] = 1;
            stack.push(i);
            for &j in &deps[i] {
                if state[j] == 1 {
                    let from = stack.iter().position(|&k| k == j).unwrap_or(0);
                    cycles.push(stack[from..].to_vec());
                } else if state[j] == 0 {
                    visit(j, deps, state, stack, cycles);
                }
            }
            stack.pop();
            state[i] = 2;
        }
        let mut cycles = Vec::new();
        for i in 0..deps.len() {
            if state[i] == 0 {
                visit(i, &deps, &mut state, &mut Vec::new(), &mut cycles);
            }
        }
        for cycle in cycles {
            let names: Vec<&str> = cycle
                .iter()
                .map(|&i| self.def.items[i].id.as_str())
                .collect();
            let first = &self.def.items[cycle[0]];
            self.report(
                Level::Error,
                first.span,
                format!("cyclic relevance: {} → {}", names.join(" → "), names[0]),
            );
            cyclic.extend(cycle);
        }
        cyclic
    }

    /// Reports items that no combination of answers can make visible.
    fn reachability(&mut self, cyclic: &BTreeSet<usize>) {
        let def = self.def;
        let deps = self.deps();
        let literals: Vec<Value> = Self::expressions(def)
            .iter()
            .flat_map(|(_, e, _)| e.literals())
            .collect();
        for (i, item) in def.items.iter().enumerate() {
            if cyclic.contains(&i) {
                continue;
            }
            let mut closure = BTreeSet::new();
            let mut todo = deps[i].clone();
            while let Some(j) = todo.pop() {
                if closure.insert(j) {
                    todo.extend(&deps[j]);
                }
            }
            if closure.iter().any(|j| cyclic.contains(j)) {
                continue;
            }
            let domains: Vec<(usize, Vec<Answer>)> = closure
                .iter()
                .map(|&j| (j, domain(&def.items[j], &literals)))
                .collect();
            let combos = domains.iter().try_fold(1usize, |acc, (_, d)| {
                acc.checked_mul(d.len()).filter(|n| *n <= REACH_BUDGET)
            });
            let Some(combos) = combos else { continue };
            let reachable = (0..combos).any(|mut n| {
                let mut answers = AnswerSet::default();
                for (j, d) in &domains {
                    answers
                        .values
                        .insert(def.items[*j].id.clone(), d[n % d.len()].clone());
                    n /= d.len();
                }
                item_visible(def, &answers, i)
            });
            if !reachable {
                self.report(
                    Level::Error,
                    item.span,
                    format!(
                        "item {} is unreachable: no combination of answers makes it visible",
                        item.id
                    ),
                );
            }
        }
    }
}

/// Representative answers for an item, for the reachability search.
fn domain(item: &Item, literals: &[Value]) -> Vec<Answer> {
    let mut d = vec![Answer::Null];
    let numbers = || {
        let mut n: Vec<f64> = vec![0.0, 1.0, 2.0, 5.0, 100.0];
        n.extend(literals.iter().filter_map(|v| {
            if let Value::Num(x) = v {
                Some(*x)
            } else {
                None
            }
        }));
        n.sort_by(f64::total_cmp);
        n.dedup();
        n
    };
    match &item.kind {
        ItemKind::SingleChoice { options } => {
            d.extend(options.iter().map(|o| Answer::from(o.code)))
        }
        ItemKind::MultipleChoice { options, .. } => {
            d.extend(options.iter().map(|o| Answer::from(vec![o.code])))
        }
        ItemKind::Integer { .. } | ItemKind::Decimal { .. } | ItemKind::Percent => {
            d.extend(numbers().into_iter().map(Answer::Number))
        }
        ItemKind::AgeRange { min, max } => {
            let m: BTreeMap<String, Answer> = [
                ("lower".to_owned(), Answer::from(*min)),
                ("upper".to_owned(), Answer::from(*max)),
            ]
            .into_iter()
            .collect();
            d.push(Answer::Map(m));
        }
        ItemKind::CountGrid { rows, .. } => {
            for n in [0, 1] {
                d.push(Answer::Map(
                    rows.iter()
                        .map(|r| (r.code.to_string(), Answer::from(n)))
                        .collect(),
                ));
            }
        }
        ItemKind::Text { .. }
        | ItemKind::LongText { .. }
        | ItemKind::Specify { .. }
        | ItemKind::Registry { .. } => {
            d.push(Answer::Text("x".into()));
            d.extend(literals.iter().filter_map(|v| {
                if let Value::Str(s) = v {
                    Some(Answer::Text(s.clone()))
                } else {
                    None
                }
            }));
        }
    }
    d
}
