//! Synthetic respondents for tests and benchmarks: answers drawn at random
//! for every item a respondent would see, given a municipality and a gate
//! answer. Deterministic for a seed. Never used on real data.

use std::collections::BTreeMap;

use survey_definitions::{Answer, AnswerSet, ItemKind, RegistryKind, SurveyDefinition, visibility};

use crate::dataset::{Registry, RespondentInput};

/// SplitMix64, so a dataset can be regenerated from its seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability p.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// Generates respondents for one definition.
pub struct Generator<'a> {
    def: &'a SurveyDefinition,
    registry: &'a Registry,
    rng: Rng,
}

impl<'a> Generator<'a> {
    /// A generator with a seed.
    pub fn new(def: &'a SurveyDefinition, registry: &'a Registry, seed: u64) -> Self {
        Generator {
            def,
            registry,
            rng: Rng::new(seed),
        }
    }

    /// One respondent of `municipality` answering `gate` (1, 2 or 3).
    pub fn respondent(&mut self, key: String, municipality: &str, gate: i64) -> RespondentInput {
        let mut values: BTreeMap<String, Answer> = BTreeMap::new();
        let gate_id = self.def.gate_item().map(|g| g.id.clone());
        let rng = &mut self.rng;
        for item in &self.def.items {
            let answer = match &item.kind {
                ItemKind::Registry { registry, .. } => match registry {
                    RegistryKind::Municipality => Some(Answer::Text(municipality.to_owned())),
                    RegistryKind::County => self
                        .registry
                        .municipalities
                        .get(municipality)
                        .map(|p| Answer::Text(p.county_number.clone())),
                    RegistryKind::District => None,
                },
                ItemKind::SingleChoice { .. } if Some(&item.id) == gate_id.as_ref() => {
                    Some(Answer::Number(gate as f64))
                }
                ItemKind::SingleChoice { options } => Some(Answer::Number(
                    options[rng.below(options.len() as u64) as usize].code as f64,
                )),
                ItemKind::MultipleChoice {
                    options,
                    max_choices,
                    ..
                } => {
                    let max = max_choices.unwrap_or(options.len() as u32) as usize;
                    let mut codes: Vec<Answer> = options
                        .iter()
                        .filter(|o| !o.exclusive && rng.chance(0.35))
                        .map(|o| Answer::Number(o.code as f64))
                        .take(max)
                        .collect();
                    if codes.is_empty() {
                        let o = &options[rng.below(options.len() as u64) as usize];
                        codes.push(Answer::Number(o.code as f64));
                    }
                    Some(Answer::List(codes))
                }
                ItemKind::Integer { min, max } => {
                    let hi = (*max).min(min + 20);
                    Some(Answer::Number(
                        (min + rng.below((hi - min + 1) as u64) as i64) as f64,
                    ))
                }
                ItemKind::Date => Some(Answer::Text("2025-06-30".into())),
                ItemKind::Money { max } => Some(Answer::Number(
                    (rng.below((*max).clamp(1, 2_000_000) as u64) / 1000 * 1000) as f64,
                )),
                ItemKind::Decimal { min, max } => {
                    let hi = max.min(min + 10.0);
                    Some(Answer::Number(
                        min + (rng.below(((hi - min) * 2.0) as u64 + 1) as f64) / 2.0,
                    ))
                }
                ItemKind::Percent => Some(Answer::Number((rng.below(11) * 10) as f64)),
                ItemKind::AgeRange { min, max } => {
                    let lower = min + rng.below(((15 - min).max(0) + 1) as u64) as i64;
                    let upper = (lower + 3 + rng.below(10) as i64).min(*max);
                    Some(Answer::Map(BTreeMap::from([
                        ("lower".to_owned(), Answer::Number(lower as f64)),
                        ("upper".to_owned(), Answer::Number(upper as f64)),
                    ])))
                }
                ItemKind::CountGrid { rows, .. } => {
                    let mut grid = BTreeMap::new();
                    for r in rows {
                        if rng.chance(0.4) {
                            grid.insert(
                                r.code.to_string(),
                                Answer::Number((1 + rng.below(3)) as f64),
                            );
                        }
                    }
                    Some(Answer::Map(grid))
                }
                ItemKind::Estimate { min, .. } => {
                    let n = min + rng.below(20) as i64;
                    Some(Answer::Text(format!("cirka {n}–{}", n + 3)))
                }
                ItemKind::Roster { columns, .. } => Some(Answer::List(
                    (0..1 + rng.below(3))
                        .map(|_| {
                            let fields = columns.iter().map(|c| {
                                let v = match c.kind.range() {
                                    Some((lo, hi)) => Answer::Number((lo + (hi - lo) / 2) as f64),
                                    None => Answer::Text(format!("Rolle {}", rng.below(5))),
                                };
                                (c.key.clone(), v)
                            });
                            Answer::Map(fields.collect())
                        })
                        .collect(),
                )),
                ItemKind::Text { .. } | ItemKind::LongText { .. } => rng
                    .chance(0.3)
                    .then(|| Answer::Text(format!("Tekst {}", rng.below(1000)))),
                ItemKind::Specify { .. } => None,
            };
            if let Some(a) = answer {
                values.insert(item.id.clone(), a);
            }
        }
        let set = AnswerSet {
            values,
            confirmed: Default::default(),
        };
        let visible = visibility(self.def, &set);
        let mut answers = set.values;
        for (item, shown) in self.def.items.iter().zip(visible) {
            if !shown {
                answers.remove(&item.id);
            }
        }
        RespondentInput {
            key,
            answers,
            submitted: true,
        }
    }
}
