//! Semantic checks on a parsed definition, reported with source positions.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Level};
use crate::expr::Expression;
use crate::model::*;

mod analysis;
mod reach;

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
    pub(super) def: &'a SurveyDefinition,
    pub(super) src: &'a str,
    pub(super) out: Vec<Diagnostic>,
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
        // Survey keys and texts come after `[survey]`; comments before it
        // may mention them too.
        let from = self.src.find("[survey]").unwrap_or(0);
        let start = self.src[from..].find(needle).map_or(0, |i| from + i);
        Span { start, end: start }
    }

    fn survey_meta(&mut self) {
        let meta = &self.def.survey;
        #[cfg(not(target_arch = "wasm32"))]
        if meta
            .invitation
            .as_ref()
            .is_some_and(|i| !i.body.contains("{lenke}"))
        {
            let at = self.locate("[survey.invitation]");
            self.report(
                Level::Error,
                at,
                "the invitation's body has no {lenke}: respondents would get no personal link"
                    .into(),
            );
        }
        if let Some(p) = &meta.period {
            let dates = [Some(&p.start), Some(&p.end), p.reference_date.as_ref()];
            let bad = dates
                .iter()
                .flatten()
                .find(|d| crate::answer::date::iso_date(d).as_deref() != Some(d.as_str()));
            let at = self.locate("[survey.period]");
            if let Some(d) = bad {
                self.report(
                    Level::Error,
                    at,
                    format!("the period's date `{d}` is not a YYYY-MM-DD calendar day"),
                );
            } else if p.start > p.end {
                self.report(Level::Error, at, "the period ends before it starts".into());
            }
        }
        if meta.responses_per_link == Some(0) {
            let at = self.locate("responses_per_link");
            self.report(
                Level::Error,
                at,
                "`responses_per_link` must be at least 1".into(),
            );
        }
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
}
