//! Whether a new version of a definition may replace one that already has
//! answers: wording may change, the meaning of stored answers may not.

use std::collections::BTreeSet;

use crate::model::{ItemKind, SurveyDefinition};

/// Every reason `new` cannot replace `old` once answers exist: an item
/// removed or added, an item's kind changed, or a code or grid row that
/// was removed, added or renumbered. Empty when the change is wording only
/// (texts, labels, help, notes, conditions, checks, sections' titles).
pub fn incompatibilities(old: &SurveyDefinition, new: &SurveyDefinition) -> Vec<String> {
    let mut out = Vec::new();
    if old.survey.id != new.survey.id {
        out.push(format!(
            "survey id changed from {} to {}",
            old.survey.id, new.survey.id
        ));
    }
    let old_ids: BTreeSet<&str> = old.items.iter().map(|i| i.id.as_str()).collect();
    let new_ids: BTreeSet<&str> = new.items.iter().map(|i| i.id.as_str()).collect();
    for id in old_ids.difference(&new_ids) {
        out.push(format!("item {id} was removed"));
    }
    for id in new_ids.difference(&old_ids) {
        out.push(format!("item {id} was added"));
    }
    for old_item in &old.items {
        let Some(new_item) = new.item(&old_item.id) else {
            continue;
        };
        if old_item.kind.name() != new_item.kind.name() {
            out.push(format!(
                "item {}: kind changed from {} to {}",
                old_item.id,
                old_item.kind.name(),
                new_item.kind.name()
            ));
            continue;
        }
        if old_item.variable != new_item.variable {
            out.push(format!(
                "item {}: variable changed from {} to {}",
                old_item.id, old_item.variable, new_item.variable
            ));
        }
        let codes = |kind: &ItemKind| -> Vec<i64> {
            match kind {
                ItemKind::CountGrid { rows, .. } => rows.iter().map(|r| r.code).collect(),
                ItemKind::SingleChoice { options } | ItemKind::MultipleChoice { options, .. } => {
                    options.iter().map(|o| o.code).collect()
                }
                _ => Vec::new(),
            }
        };
        let (before, after) = (codes(&old_item.kind), codes(&new_item.kind));
        let (b, a): (BTreeSet<i64>, BTreeSet<i64>) = (
            before.iter().copied().collect(),
            after.iter().copied().collect(),
        );
        for c in b.difference(&a) {
            out.push(format!("item {}: code {c} was removed", old_item.id));
        }
        for c in a.difference(&b) {
            out.push(format!("item {}: code {c} was added", old_item.id));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording_may_change_codes_and_ids_may_not() {
        let old = SurveyDefinition::parse(crate::KORUS_2025).unwrap();
        let reworded = crate::KORUS_2025.replace(
            "Utfører kommunen oppsøkende arbeid særlig rettet mot barn og unge?",
            "Utfører kommunen oppsøkende arbeid rettet mot barn og unge?",
        );
        let new = SurveyDefinition::parse(&reworded).unwrap();
        assert_ne!(old, new);
        assert!(incompatibilities(&old, &new).is_empty());

        let recoded = crate::KORUS_2025.replacen(
            "{ code = 3, label = \"Nei, vi har ikke",
            "{ code = 4, label = \"Nei, vi har ikke",
            1,
        );
        let problems = incompatibilities(&old, &SurveyDefinition::parse(&recoded).unwrap());
        assert_eq!(
            problems,
            vec![
                "item gate: code 3 was removed",
                "item gate: code 4 was added"
            ]
        );

        let renamed = crate::KORUS_2025.replacen("id = \"1.33\"", "id = \"1.33b\"", 1);
        let problems = incompatibilities(&old, &SurveyDefinition::parse(&renamed).unwrap());
        assert!(
            problems.contains(&"item 1.33 was removed".to_owned()),
            "{problems:?}"
        );
        assert!(
            problems.contains(&"item 1.33b was added".to_owned()),
            "{problems:?}"
        );
    }
}
