//! Cleaning: the report's "analysable" rule, probable duplicates, the
//! researchers' keep/drop decisions, and the two units of analysis.
//!
//! A respondent is in the analytic sample when it is *analysable*
//! (municipality and gate answered), belongs to the chosen [`Sample`] and
//! its latest decision is not "drop". The report's sample (§2.3: «244
//! respondenter svart minimum på spørsmål om kommunetilhørighet og
//! hvorvidt de utfører oppsøkende arbeid», 65 of whom answered only some
//! questions) takes every analysable response, sent in or not.
//! Decisions are kept as an append-only history (in the database), so a
//! drop is reversed by a later "keep"; only the latest counts.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use survey_definitions::{DerivedFrom, ItemKind, RegistryKind, SurveyDefinition};

use crate::dataset::{Column, Dataset, Source};

pub use api::research::Decision;

/// A respondent flagged as a probable duplicate of another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateFlag {
    /// The later respondent (in the order the responses came in).
    pub respondent: String,
    /// The one it resembles.
    pub of: String,
    /// Why, in Norwegian.
    pub reason: String,
}

/// Variables with a fixed role in the analysis, found in the definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roles {
    /// The municipality item's variable (`kommune`).
    pub municipality: String,
    /// The district item's variable (`bydel`), if any.
    pub district: Option<String>,
    /// The gate item's variable (the item that sorts responses into
    /// branches), when the survey has branches.
    pub gate: Option<String>,
    /// The service-type derived variable (`d_tjenestetype`).
    pub service_type: Option<String>,
    /// The size-class derived variable (`d_storrelse`).
    pub size_class: Option<String>,
    /// The county derived variable (`d_fylke`).
    pub county: Option<String>,
}

impl Roles {
    /// Finds the roles in a definition; the gate is the item the
    /// `service_type` recode reads, or an item with id `gate`, and a survey
    /// without branches has none. `None` without a municipality item.
    pub fn of(def: &SurveyDefinition) -> Option<Roles> {
        let registry = |kind: RegistryKind| {
            def.items
                .iter()
                .find(
                    |i| matches!(&i.kind, ItemKind::Registry { registry, .. } if *registry == kind),
                )
                .map(|i| i.variable.clone())
        };
        let service = def.service_type();
        let gate_item = def.gate_item();
        let field = |f: survey_definitions::RegistryField| {
            def.derived
                .iter()
                .find(|d| d.from == DerivedFrom::Registry && d.field == Some(f))
                .map(|d| d.variable.clone())
        };
        Some(Roles {
            municipality: registry(RegistryKind::Municipality)?,
            district: registry(RegistryKind::District),
            gate: gate_item.map(|g| g.variable.clone()),
            service_type: service.map(|d| d.variable.clone()),
            size_class: field(survey_definitions::RegistryField::SizeClass),
            county: field(survey_definitions::RegistryField::County),
        })
    }
}

/// Which responses the analysis takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sample {
    /// Every analysable response, drafts included (the report's §2.3).
    #[default]
    Analysable,
    /// Only responses sent in (and imported rows).
    Submitted,
}

impl Sample {
    /// Name in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Sample::Analysable => "analysable",
            Sample::Submitted => "submitted",
        }
    }

    /// Norwegian description for tables and figures.
    pub fn description(self) -> &'static str {
        match self {
            Sample::Analysable => {
                "Utvalg: alle analyserbare svar (kommunen, og inngangsspørsmålet der skjemaet har et, er besvart), også svar som ikke er sendt inn"
            }
            Sample::Submitted => "Utvalg: bare innsendte svar",
        }
    }
}

/// The result of cleaning: per respondent, whether it is analysable, its
/// duplicate flag and latest decision, and whether it is in the sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleaning {
    /// Municipality and gate answered.
    pub analysable: Vec<bool>,
    /// Probable duplicate, with reason.
    pub duplicate: Vec<Option<DuplicateFlag>>,
    /// Latest decision.
    pub decision: Vec<Option<Decision>>,
    /// In the analytic sample.
    pub included: Vec<bool>,
    /// The sample it was cleaned for.
    pub sample: Sample,
}

/// Most respondents compared pairwise within one municipality, district
/// and gate answer; larger groups are only checked for identical answers.
const PAIRWISE_LIMIT: usize = 50;
/// Share of equal answers that makes two respondents probable duplicates.
const SIMILARITY: f64 = 0.9;

/// Cleans a dataset: applies the analysable rule and the sample, flags
/// probable duplicates and applies the latest decision per respondent
/// (`decisions` in the order they were made).
pub fn clean(ds: &Dataset, roles: &Roles, decisions: &[Decision], sample: Sample) -> Cleaning {
    let n = ds.len();
    let keys = ds.column("respondent");
    let key = |row: usize| keys.map(|c| c.text(row)).unwrap_or_default();
    let municipality = ds.column(&roles.municipality);
    // The gate must be answered where the survey has one.
    let gate = roles.gate.as_deref().map(|g| ds.column(g));
    let analysable: Vec<bool> = (0..n)
        .map(|r| {
            municipality.is_some_and(|c| !c.is_missing(r))
                && gate.is_none_or(|g| g.is_some_and(|c| !c.is_missing(r)))
        })
        .collect();

    let mut latest: HashMap<&str, &Decision> = HashMap::new();
    for d in decisions {
        latest.insert(d.respondent.as_str(), d);
    }
    let decision: Vec<Option<Decision>> = (0..n)
        .map(|r| latest.get(key(r).as_str()).map(|d| (*d).clone()))
        .collect();

    let duplicate = duplicates(ds, roles, &analysable);
    let included = (0..n)
        .map(|r| {
            analysable[r]
                && (sample == Sample::Analysable || ds.submitted[r])
                && decision[r].as_ref().is_none_or(|d| d.keep)
        })
        .collect();
    Cleaning {
        analysable,
        duplicate,
        decision,
        included,
        sample,
    }
}

fn duplicates(ds: &Dataset, roles: &Roles, analysable: &[bool]) -> Vec<Option<DuplicateFlag>> {
    let n = ds.len();
    let mut out = vec![None; n];
    let text = |name: &str, r: usize| ds.column(name).map(|c| c.text(r)).unwrap_or_default();
    let mut groups: BTreeMap<(String, String, String), Vec<usize>> = BTreeMap::new();
    for r in (0..n).filter(|&r| analysable[r]) {
        let district = roles
            .district
            .as_deref()
            .map(|d| text(d, r))
            .unwrap_or_default();
        groups
            .entry((
                text(&roles.municipality, r),
                district,
                roles
                    .gate
                    .as_deref()
                    .map(|g| text(g, r))
                    .unwrap_or_default(),
            ))
            .or_default()
            .push(r);
    }
    // Compare answers to questionnaire items only, not personal ones such
    // as the respondent's name and position (the same service can be
    // reported by two people).
    let compared: Vec<&Column> = ds
        .variables
        .iter()
        .zip(&ds.columns)
        .filter(|(v, _)| !v.personal && matches!(&v.source, Source::Item { .. }))
        .map(|(_, c)| c)
        .collect();
    let key = |r: usize| text("respondent", r);
    for rows in groups.values().filter(|g| g.len() > 1) {
        // In the order the responses came in: the later one is flagged.
        let rows = rows.clone();
        if rows.len() <= PAIRWISE_LIMIT {
            for (i, &later) in rows.iter().enumerate().skip(1) {
                for &earlier in &rows[..i] {
                    let (mut both, mut equal) = (0usize, 0usize);
                    for c in &compared {
                        let (a, b) = (c.is_missing(earlier), c.is_missing(later));
                        if a && b {
                            continue;
                        }
                        both += 1;
                        if !a && !b && c.same(earlier, later) {
                            equal += 1;
                        }
                    }
                    let share = if both == 0 {
                        1.0
                    } else {
                        equal as f64 / both as f64
                    };
                    if share >= SIMILARITY {
                        out[later] = Some(DuplicateFlag {
                            respondent: key(later),
                            of: key(earlier),
                            reason: format!(
                                "Mulig duplikat av {}: samme kommune og gren, {:.0} % like svar ({equal} av {both})",
                                key(earlier),
                                share * 100.0
                            ),
                        });
                        break;
                    }
                }
            }
        } else {
            // Large groups: identical answers only, found by hashing each
            // row's values and confirming a hit cell by cell.
            let mut seen: HashMap<u64, Vec<usize>> = HashMap::new();
            for &r in &rows {
                let mut hasher = std::hash::DefaultHasher::new();
                for c in &compared {
                    c.hash_cell(r, &mut hasher);
                }
                let bucket = seen.entry(std::hash::Hasher::finish(&hasher)).or_default();
                match bucket
                    .iter()
                    .find(|&&e| compared.iter().all(|c| c.same(e, r)))
                {
                    Some(&first) => {
                        out[r] = Some(DuplicateFlag {
                            respondent: key(r),
                            of: key(first),
                            reason: format!("Mulig duplikat av {}: identiske svar", key(first)),
                        });
                    }
                    None => bucket.push(r),
                }
            }
        }
    }
    out
}

/// How municipalities are counted at the municipality unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MunicipalityRule {
    /// Each municipality once: any own-service answer → own service, else
    /// any part-of-other → part of other, else none.
    Once,
    /// Each municipality under every service type one of its respondents
    /// reported (the rule behind the report's Figure 3).
    Every,
}

/// The unit of analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "rule")]
pub enum Unit {
    /// Each respondent (service) once.
    Respondent,
    /// Municipalities, by a rule.
    Municipality(MunicipalityRule),
}

impl Unit {
    /// Name used in outputs: `respondent`, `municipality (once)`, `municipality (every)`.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Respondent => "respondent",
            Unit::Municipality(MunicipalityRule::Once) => "municipality (once)",
            Unit::Municipality(MunicipalityRule::Every) => "municipality (every)",
        }
    }

    /// Norwegian description for tables and figures.
    pub fn description(self) -> &'static str {
        match self {
            Unit::Respondent => "Enhet: respondenter (ett utfylt skjema hver)",
            Unit::Municipality(MunicipalityRule::Once) => {
                "Enhet: kommuner, hver telt én gang (en kommune med svar i flere grener telles under grenen med lavest kode)"
            }
            Unit::Municipality(MunicipalityRule::Every) => {
                "Enhet: kommuner, telt under hver gren kommunen har svar i (en kommune med svar i to grener telles to ganger)"
            }
        }
    }
}

/// One unit of analysis: a respondent, or a municipality with the rows of
/// the respondents that gave it its service type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRows {
    /// Respondent key or municipality number.
    pub key: String,
    /// Dataset rows it aggregates.
    pub rows: Vec<usize>,
}

/// The units of the analytic sample.
pub fn units(ds: &Dataset, roles: &Roles, cleaning: &Cleaning, unit: Unit) -> Vec<UnitRows> {
    let included = (0..ds.len()).filter(|&r| cleaning.included[r]);
    let text = |name: &str, r: usize| ds.column(name).map(|c| c.text(r)).unwrap_or_default();
    match unit {
        Unit::Respondent => included
            .map(|r| UnitRows {
                key: text("respondent", r),
                rows: vec![r],
            })
            .collect(),
        Unit::Municipality(rule) => {
            let gate = roles.gate.as_deref().and_then(|g| ds.column(g));
            let code = |r: usize| gate.and_then(|c| c.number(r)).unwrap_or(f64::INFINITY) as i64;
            let mut by_municipality: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for r in included {
                by_municipality
                    .entry(text(&roles.municipality, r))
                    .or_default()
                    .push(r);
            }
            let mut out = Vec::new();
            for (m, rows) in by_municipality {
                match rule {
                    MunicipalityRule::Once => {
                        // Gate codes are 1 own, 2 part of other, 3 none: the
                        // smallest code is the municipality's service type.
                        let best = rows.iter().map(|&r| code(r)).min().unwrap_or(i64::MAX);
                        out.push(UnitRows {
                            key: m,
                            rows: rows.into_iter().filter(|&r| code(r) == best).collect(),
                        });
                    }
                    MunicipalityRule::Every => {
                        let mut by_code: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
                        for r in rows {
                            by_code.entry(code(r)).or_default().push(r);
                        }
                        for (_, rows) in by_code {
                            out.push(UnitRows {
                                key: m.clone(),
                                rows,
                            });
                        }
                    }
                }
            }
            out
        }
    }
}
