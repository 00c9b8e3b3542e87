//! The response rate against the registry: of every municipality of the
//! round's registry year, those with a respondent in the analytic sample,
//! by county or size class, with the ones not answered named (the
//! report's Figure 1 and §2.1: «227 kommuner … 64 % av Norges kommuner»).
//!
//! JSON contract (`omfang analyse response-rate --format json`): `{"by",
//! "registry_year", "sample", "groups": [{"key", "label", "answered",
//! "municipalities", "percent", "not_answered": [names]}], "total":
//! {"answered", "municipalities", "percent"}}`.

use std::collections::{BTreeMap, BTreeSet};

use crate::clean::{Cleaning, Roles};
use crate::crosstab::{Category, Crosstab, Group, Kind};
use crate::dataset::{Dataset, Registry};
use crate::{AnalysisError, SizeClass, format};

pub use api::research::{RateBy, RateGroup, RateTotal, ResponseRate};

fn percent(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// The values of `column` (municipality or district numbers) among the
/// respondents in the sample.
fn answered(ds: &Dataset, column: Option<&str>, cleaning: &Cleaning) -> BTreeSet<String> {
    column
        .and_then(|name| ds.column(name))
        .map(|c| {
            (0..ds.len())
                .filter(|&r| cleaning.included[r])
                .map(|r| c.text(r))
                .collect()
        })
        .unwrap_or_default()
}

/// The rate of `groups` with their total.
fn with_total(
    by: RateBy,
    registry: &Registry,
    cleaning: &Cleaning,
    groups: Vec<RateGroup>,
) -> ResponseRate {
    let (a, m) = groups
        .iter()
        .fold((0, 0), |t, g| (t.0 + g.answered, t.1 + g.municipalities));
    ResponseRate {
        by,
        registry_year: registry.year,
        sample: cleaning.sample.name().into(),
        groups,
        total: RateTotal {
            answered: a,
            municipalities: m,
            percent: percent(a, m),
        },
    }
}

/// Counts the city districts of `registry` with a respondent in the
/// sample, one group per municipality with districts.
fn district_rate(
    ds: &Dataset,
    roles: &Roles,
    cleaning: &Cleaning,
    registry: &Registry,
) -> ResponseRate {
    let answered = answered(ds, roles.district.as_deref(), cleaning);
    let mut groups: BTreeMap<String, RateGroup> = BTreeMap::new();
    let mut districts: Vec<_> = registry.districts.iter().collect();
    districts.sort();
    for (number, (name, municipality)) in districts {
        let g = groups
            .entry(municipality.clone())
            .or_insert_with(|| RateGroup {
                key: municipality.clone(),
                label: registry
                    .municipalities
                    .get(municipality)
                    .map_or_else(|| municipality.clone(), |p| p.name.clone()),
                answered: 0,
                municipalities: 0,
                percent: 0.0,
                not_answered: Vec::new(),
            });
        g.municipalities += 1;
        if answered.contains(number) {
            g.answered += 1;
        } else {
            g.not_answered.push(name.clone());
        }
    }
    let groups: Vec<RateGroup> = groups
        .into_values()
        .map(|mut g| {
            g.percent = percent(g.answered, g.municipalities);
            g
        })
        .collect();
    with_total(RateBy::District, registry, cleaning, groups)
}

/// Counts the municipalities of `registry` with a respondent in the sample
/// (by county or size class), or the city districts (`RateBy::District`).
pub fn response_rate(
    ds: &Dataset,
    roles: &Roles,
    cleaning: &Cleaning,
    registry: &Registry,
    by: RateBy,
) -> ResponseRate {
    if by == RateBy::District {
        return district_rate(ds, roles, cleaning, registry);
    }
    let answered = answered(ds, Some(&roles.municipality), cleaning);
    // (order, key) → (label, answered, all, (number, name) not answered).
    type Tally = (String, u64, u64, Vec<(String, String)>);
    let mut groups: BTreeMap<(u32, String), Tally> = BTreeMap::new();
    for (number, place) in &registry.municipalities {
        let (order, key, label) = match by {
            RateBy::County => (
                place.county_number.parse().unwrap_or(u32::MAX),
                place.county_number.clone(),
                place.county_name.clone(),
            ),
            RateBy::District => continue,
            RateBy::SizeClass => {
                let class = SizeClass::of(place.population);
                (
                    u32::from(class.code()),
                    class.code().to_string(),
                    class.label().to_owned(),
                )
            }
        };
        let entry = groups
            .entry((order, key))
            .or_insert_with(|| (label, 0, 0, Vec::new()));
        entry.2 += 1;
        if answered.contains(number) {
            entry.1 += 1;
        } else {
            // Names shared by two municipalities (Våler, Herøy) carry
            // their county.
            let shared = registry
                .municipalities
                .values()
                .filter(|p| p.name == place.name)
                .count()
                > 1;
            entry.3.push((
                number.clone(),
                if shared {
                    format!("{} ({})", place.name, place.county_name)
                } else {
                    place.name.clone()
                },
            ));
        }
    }
    let groups: Vec<RateGroup> = groups
        .into_iter()
        .map(|((_, key), (label, a, m, mut missing))| {
            missing.sort();
            RateGroup {
                key,
                label,
                answered: a,
                municipalities: m,
                percent: percent(a, m),
                not_answered: missing.into_iter().map(|(_, name)| name).collect(),
            }
        })
        .collect();
    with_total(by, registry, cleaning, groups)
}

/// How a response rate is written out (the terminal, CSV, figures).
pub trait RateRender {
    /// The rate as an aligned table for the terminal.
    fn to_table(&self) -> String;
    /// CSV: key, label, answered, municipalities, percent, not answered (`; `-joined).
    fn to_csv(&self, delimiter: u8) -> Result<Vec<u8>, AnalysisError>;
    /// The rate as a one-column table (groups as categories), for figures
    /// and workbooks.
    fn to_crosstab(&self, unit_description: &str) -> Crosstab;
}

impl RateRender for ResponseRate {
    fn to_table(&self) -> String {
        let mut out = format!(
            "Svarprosent mot registeret for {} ({})\n\n",
            self.registry_year,
            match self.by {
                RateBy::County => "fylke",
                RateBy::SizeClass => "kommunestørrelse",
                RateBy::District => "bydel",
            }
        );
        let width = self
            .groups
            .iter()
            .map(|g| g.label.chars().count())
            .max()
            .unwrap_or(6)
            .max(6);
        let line = |label: &str, a: u64, m: u64, p: f64| {
            format!(
                "{label:<width$}  {a:>4} av {m:>4}  {:>5}\n",
                format::percent(p / 100.0)
            )
        };
        for g in &self.groups {
            out.push_str(&line(&g.label, g.answered, g.municipalities, g.percent));
        }
        let t = &self.total;
        out.push_str(&line("Totalt", t.answered, t.municipalities, t.percent));
        out
    }

    fn to_csv(&self, delimiter: u8) -> Result<Vec<u8>, AnalysisError> {
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(Vec::new());
        w.write_record([
            "kode",
            "gruppe",
            "besvart",
            "kommuner",
            "prosent",
            "ikke_besvart",
        ])?;
        let decimal = |x: f64| {
            if delimiter == b';' {
                format::decimal(x, 1)
            } else {
                format!("{x:.1}")
            }
        };
        for g in &self.groups {
            w.write_record([
                g.key.clone(),
                crate::export::spreadsheet_safe(&g.label).into_owned(),
                g.answered.to_string(),
                g.municipalities.to_string(),
                decimal(g.percent),
                g.not_answered.join("; "),
            ])?;
        }
        let t = &self.total;
        w.write_record([
            "total".to_owned(),
            "Totalt".to_owned(),
            t.answered.to_string(),
            t.municipalities.to_string(),
            decimal(t.percent),
            String::new(),
        ])?;
        w.into_inner().map_err(|e| AnalysisError::Io {
            context: "writing CSV".into(),
            source: e.into_error(),
        })
    }

    fn to_crosstab(&self, unit_description: &str) -> Crosstab {
        Crosstab {
            item: "svarprosent".into(),
            label: if self.by == RateBy::District {
                "Bydeler som har svart"
            } else {
                "Kommuner som har svart"
            }
            .into(),
            kind: Kind::Single,
            by: "none".into(),
            by_label: String::new(),
            unit: "municipality (registry)".into(),
            unit_description: unit_description.into(),
            sample: self.sample.clone(),
            sample_description: String::new(),
            registry_year: self.registry_year,
            n: self.total.answered,
            groups: vec![Group {
                key: "besvart".into(),
                label: "Besvart".into(),
                n: self.total.answered,
                unanswered: self.total.municipalities - self.total.answered,
                not_asked: 0,
            }],
            categories: self
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| Category {
                    code: g.key.parse().unwrap_or(i as i64 + 1),
                    label: g.label.clone(),
                })
                .collect(),
            counts: self.groups.iter().map(|g| vec![Some(g.answered)]).collect(),
            percents: self.groups.iter().map(|g| vec![Some(g.percent)]).collect(),
            summaries: Vec::new(),
            tests: Vec::new(),
            warnings: Vec::new(),
        }
    }
}
