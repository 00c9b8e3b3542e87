//! The cleaning state of a round as researchers read it: every response
//! that is not analysable, looks like a duplicate, or has been decided on,
//! with enough context to tell rows apart (municipality, branch, what the
//! response is about, status, last change) and, for a probable duplicate,
//! the answers where it differs from the response it resembles.

use analysis::dataset::{Dataset, Variable};
use api::research::{CleaningState, Difference, Flagged, ResponseContext};
use survey_definitions::Answer;

use super::analysis::Cleaned;

/// Most differences listed per duplicate: enough to judge, short enough to read.
const MAX_DIFFERENCES: usize = 12;

impl Cleaned {
    /// The cleaning state (`omfang clean list` and the research API).
    pub fn state(&self) -> CleaningState {
        let (ds, cl) = (&self.dataset, &self.cleaning);
        let keys = ds.column("respondent");
        let key = |r: usize| keys.map(|k| k.text(r)).unwrap_or_default();
        let flagged = (0..ds.len())
            .filter(|&r| !cl.analysable[r] || cl.duplicate[r].is_some() || cl.decision[r].is_some())
            .map(|r| {
                let dup = cl.duplicate[r].as_ref();
                let other = dup.and_then(|d| (0..ds.len()).find(|&o| key(o) == d.of));
                Flagged {
                    respondent: key(r),
                    analysable: cl.analysable[r],
                    included: cl.included[r],
                    in_sample: cl.analysable[r]
                        && (cl.sample == analysis::clean::Sample::Analysable
                            || self.data.respondents[r].submitted),
                    duplicate: dup.map(|d| d.reason.clone()),
                    duplicate_of: dup.map(|d| d.of.clone()),
                    duplicate_of_context: other.map(|o| self.context(o)),
                    decision: cl.decision[r].clone(),
                    context: self.context(r),
                    differences: other.map(|o| differences(ds, r, o)).unwrap_or_default(),
                }
            })
            .collect();
        CleaningState {
            sample: cl.sample.name().to_owned(),
            registry_year: ds.registry_year,
            respondents: ds.len() as u64,
            included: cl.included.iter().filter(|&&i| i).count() as u64,
            flagged,
        }
    }

    /// Who a response is from and what it is about, without its answers.
    pub fn context(&self, row: usize) -> ResponseContext {
        let (ds, roles) = (&self.dataset, &self.roles);
        let input = &self.data.respondents[row];
        let label_of = |var: &str| {
            ds.variable(var)
                .zip(ds.column(var))
                .map(|(v, c)| shown(v, &c.text(row)))
                .unwrap_or_default()
        };
        let municipality = ds
            .column(&roles.municipality)
            .map(|c| c.text(row))
            .and_then(|n| self.data.registry.municipalities.get(&n))
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let district = roles.district.as_deref().map(label_of).unwrap_or_default();
        let def = &self.data.definition;
        let label = def
            .survey
            .response_label
            .iter()
            .find_map(|id| match input.answers.get(id) {
                Some(Answer::Text(t)) if !t.trim().is_empty() => Some(t.trim().to_owned()),
                _ => None,
            })
            .unwrap_or_default();
        ResponseContext {
            municipality: [municipality, district]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            branch: roles.gate.as_deref().map(label_of).unwrap_or_default(),
            label,
            status: if input.key.starts_with("import-") {
                "imported"
            } else if input.submitted {
                "submitted"
            } else {
                "draft"
            }
            .to_owned(),
            updated: self.data.updated.get(row).cloned().unwrap_or_default(),
            answered: input.answers.len() as u64,
        }
    }
}

/// A value as a reader sees it: its label where it has one.
fn shown(v: &Variable, text: &str) -> String {
    text.parse::<i64>()
        .ok()
        .and_then(|code| v.value_labels.iter().find(|(k, _)| *k == code))
        .map_or_else(|| text.to_owned(), |(_, l)| l.clone())
}

/// The variables (personal ones left out) where two rows differ.
fn differences(ds: &Dataset, row: usize, other: usize) -> Vec<Difference> {
    ds.variables
        .iter()
        .zip(&ds.columns)
        .filter(|(v, _)| !v.personal && v.name != "respondent")
        .filter(|(_, c)| !c.same(row, other))
        .take(MAX_DIFFERENCES)
        .map(|(v, c)| Difference {
            variable: v.name.clone(),
            label: v.label.clone(),
            this: shown(v, &c.text(row)),
            other: shown(v, &c.text(other)),
        })
        .collect()
}
