//! Lints of the relevance graph: cycles, and items no answers can reach.

use std::collections::{BTreeMap, BTreeSet};

use crate::answer::{Answer, AnswerSet};
use crate::diagnostic::Level;
use crate::expr::Value;
use crate::model::*;
use crate::validate::item_visible;

use super::Linter;

/// Most answer combinations tried when looking for a way to reach an item.
const REACH_BUDGET: usize = 20_000;

impl Linter<'_> {
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

    pub(super) fn cycles(&mut self) -> BTreeSet<usize> {
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
    pub(super) fn reachability(&mut self, cyclic: &BTreeSet<usize>) {
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
        ItemKind::Integer { .. }
        | ItemKind::Decimal { .. }
        | ItemKind::Percent
        | ItemKind::Money { .. } => d.extend(numbers().into_iter().map(Answer::Number)),
        ItemKind::Date => d.push(Answer::Text("2025-06-30".into())),
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
        ItemKind::Estimate { .. } => {
            let n = numbers();
            let (lo, hi) = (n.first().copied(), n.last().copied());
            d.extend(n.into_iter().map(Answer::Number));
            if let (Some(lo), Some(hi)) = (lo, hi) {
                d.push(Answer::Text(format!("{lo}–{hi}")));
            }
        }
        ItemKind::Roster { columns, .. } => {
            for n in [0, 50, 100] {
                let row: BTreeMap<String, Answer> = columns
                    .iter()
                    .map(|c| {
                        let v = match c.kind.range() {
                            Some(_) => Answer::from(n),
                            None => Answer::Text("x".into()),
                        };
                        (c.key.clone(), v)
                    })
                    .collect();
                d.push(Answer::List(vec![
                    Answer::Map(row.clone()),
                    Answer::Map(row),
                ]));
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
