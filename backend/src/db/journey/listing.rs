//! What a personal link lists and fixes: each response with what it is
//! about, the answers the link itself fixes (county, municipality,
//! district), and deleting a draft never sent in.

use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use survey_definitions::{Answer, Problem, SurveyDefinition, ValidationReport};

use super::{DISCARDED, DRAFT, answers_of, responses};
use crate::Error;
use crate::db::entity::{invitation, response};

/// One response of a link, as its start page lists it.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The stored response.
    pub response: response::Model,
    /// What it is about: the first answered `response_label` item.
    pub label: Option<String>,
    /// A draft never sent in: the respondent may delete it.
    pub deletable: bool,
}

/// The answers a personal link fixes (the engine's rule), as answers.
pub fn fixed_answers(def: &SurveyDefinition, inv: &invitation::Model) -> BTreeMap<String, Answer> {
    survey_definitions::fixed_answers(
        def,
        &inv.municipality_number,
        inv.district_number.as_deref(),
    )
    .into_iter()
    .map(|(id, v)| (id, Answer::Text(v)))
    .collect()
}

/// Keeps the link's own answers in a save: a missing one is put back, a
/// different one is refused with a message naming the link's unit.
pub(super) fn hold_fixed(
    def: &SurveyDefinition,
    inv: &invitation::Model,
    new: &mut BTreeMap<String, Answer>,
) -> Result<(), Error> {
    let mut report = ValidationReport::default();
    for (id, value) in fixed_answers(def, inv) {
        match new.get(&id) {
            Some(v) if *v != value => {
                report.items.entry(id.clone()).or_default().errors.push(Problem {
                    key: format!("{id}/fixed"),
                    code: "fixed".into(),
                    message: "Denne lenken gjelder en annen kommune (eller bydel). Svar for en annen kommune sendes fra den kommunens egen lenke.".into(),
                    target: None,
                    confirmed: false,
                });
            }
            _ => {
                new.insert(id, value);
            }
        }
    }
    if report.items.is_empty() {
        return Ok(());
    }
    Err(Error::Invalid {
        message: "Lenken gjelder en annen kommune enn den som er valgt. Ingenting ble lagret."
            .into(),
        report: Box::new(report),
    })
}

/// The link's responses, oldest first, each with its label and whether it may be deleted.
pub async fn summaries(
    db: &DatabaseConnection,
    def: &SurveyDefinition,
    inv: &invitation::Model,
) -> Result<Vec<Summary>, Error> {
    let mut out = Vec::new();
    for r in responses(db, inv).await? {
        let answers = answers_of(db, r.id).await?;
        let label = def
            .survey
            .response_label
            .iter()
            .find_map(|id| match answers.get(id) {
                Some(Answer::Text(t)) if !t.trim().is_empty() => Some(t.trim().to_owned()),
                _ => None,
            });
        // A draft started by mistake (a service that does not exist, a
        // second start) can go; one ever sent in cannot.
        let deletable = r.status == DRAFT && r.submitted_at.is_none();
        out.push(Summary {
            response: r,
            label,
            deletable,
        });
    }
    Ok(out)
}

/// Deletes a draft never sent in (one [`Summary::deletable`] describes):
/// it is kept as `discarded`, so the answer log stays whole, and is listed
/// and analysed nowhere.
#[tracing::instrument(skip_all, fields(response = id, version))]
pub async fn discard(
    db: &DatabaseConnection,
    def: &SurveyDefinition,
    inv: &invitation::Model,
    id: i32,
    version: i64,
) -> Result<(), Error> {
    let found = summaries(db, def, inv)
        .await?
        .into_iter()
        .find(|s| s.response.id == id);
    let Some(s) = found else {
        return Err(Error::NotFound("response".into()));
    };
    if !s.deletable || s.response.version != version {
        return Err(Error::Conflict {
            message: "Bare et utkast som aldri er sendt inn, kan slettes.".into(),
            current: Box::new(super::state(&s.response, answers_of(db, id).await?)),
        });
    }
    let done = response::Entity::update_many()
        .col_expr(response::Column::Status, Expr::value(DISCARDED))
        .col_expr(response::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(response::Column::Id.eq(id))
        .filter(response::Column::Version.eq(version))
        .filter(response::Column::Status.eq(DRAFT))
        .exec(db)
        .await?;
    if done.rows_affected != 1 {
        return Err(Error::Conflict {
            message: "Svarene ble endret mens du slettet. Ingenting er slettet.".into(),
            current: Box::new(super::load(db, inv, id).await?),
        });
    }
    Ok(())
}
