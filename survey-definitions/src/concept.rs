//! Concepts in analysis: the items that name one, and the kind the
//! concept is analysed as (its widest member's), so joining branches
//! never drops an answer.

use crate::model::{Item, ItemKind, SurveyDefinition};

impl SurveyDefinition {
    /// The items that name a concept, in questionnaire order.
    pub fn concept_items<'a>(&'a self, concept: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.items
            .iter()
            .filter(move |i| i.concept.as_deref() == Some(concept))
    }

    /// The kind a concept is analysed as: its reference item's, widened so
    /// no member's answer is lost — a single choice joined by a multiple
    /// choice becomes a multiple choice (of the reference's options), a
    /// whole number joined by a decimal becomes a decimal. `None` for an
    /// unknown concept.
    pub fn concept_kind(&self, concept: &str) -> Option<ItemKind> {
        let reference = self.item(&self.concepts.get(concept)?.reference)?;
        let mut kind = reference.kind.clone();
        for member in self.concept_items(concept) {
            kind = match (kind, &member.kind) {
                (ItemKind::SingleChoice { options }, ItemKind::MultipleChoice { .. }) => {
                    ItemKind::MultipleChoice {
                        options,
                        min_choices: 1,
                        max_choices: None,
                    }
                }
                (
                    ItemKind::Integer { min, max },
                    ItemKind::Decimal {
                        min: dmin,
                        max: dmax,
                    },
                ) => ItemKind::Decimal {
                    min: (min as f64).min(*dmin),
                    max: (max as f64).max(*dmax),
                },
                (ItemKind::Percent, ItemKind::Decimal { .. }) => ItemKind::Decimal {
                    min: 0.0,
                    max: 100.0,
                },
                (kind, _) => kind,
            };
        }
        Some(kind)
    }
}

impl ItemKind {
    /// The shape of an answer, for joining items into a concept: items of
    /// one shape can be joined without dropping an answer (`choice`,
    /// `number`, `age_range`, `count_grid`, `text`, `registry`).
    pub fn shape(&self) -> &'static str {
        match self {
            ItemKind::SingleChoice { .. } | ItemKind::MultipleChoice { .. } => "choice",
            ItemKind::Integer { .. }
            | ItemKind::Decimal { .. }
            | ItemKind::Percent
            | ItemKind::Money { .. } => "number",
            ItemKind::AgeRange { .. } => "age_range",
            ItemKind::Estimate { .. } => "estimate",
            ItemKind::CountGrid { money: false, .. } => "count_grid",
            ItemKind::CountGrid { money: true, .. } => "money_grid",
            ItemKind::Roster { .. } => "roster",
            ItemKind::Text { .. } | ItemKind::LongText { .. } | ItemKind::Specify { .. } => "text",
            ItemKind::Registry { .. } => "registry",
            ItemKind::Date => "date",
        }
    }
}
