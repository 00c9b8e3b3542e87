//! The respondent journey in storage: invitations, responses (one per
//! service), answers and their append-only log.
//!
//! Every write to a response is a conditional `UPDATE … WHERE version = ?`
//! inside a transaction: a stale writer changes nothing and gets the current
//! state back (409), so no accepted answer is ever overwritten unseen. Each
//! changed answer is also appended to `answer_log` with the version it made.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use survey_definitions::{
    Answer, AnswerSet, Mode, SurveyDefinition, ValidationReport, canonicalize, normalize, validate,
};

use super::entity::{
    answer, answer_log, district, invitation, municipality, personal_answer, response,
};
use super::round;

mod listing;
mod snapshots;
mod writes;
pub use listing::{Summary, discard, fixed_answers, summaries};
use snapshots::Snapshot;
pub use snapshots::SnapshotCache;

use crate::Error;
use crate::domain::{DistrictNumber, EmailAddress, InvitationToken, MunicipalityNumber};
pub use api::respondent::{ResponseState, SaveRequest};

/// Status of a draft response.
pub const DRAFT: &str = "draft";
/// Status of a submitted response.
pub const SUBMITTED: &str = "submitted";
/// Most responses (services) one personal link may have at once: far
/// above any municipality's services, and a bound on what one link can store.
pub const MAX_RESPONSES_PER_LINK: usize = 30;

/// Status of a draft (never sent in) the respondent deleted (kept, but listed and
/// analysed nowhere).
pub const DISCARDED: &str = "discarded";

/// Creates an invitation for a municipality (and district) of a round's
/// registry and returns it with its token (shown once, never stored).
#[tracing::instrument(skip(db))]
pub async fn create_invitation(
    db: &DatabaseConnection,
    survey_id: &str,
    municipality_number: &MunicipalityNumber,
    district_number: Option<&DistrictNumber>,
    email: &EmailAddress,
) -> Result<(invitation::Model, InvitationToken), Error> {
    let r = round::find(db, survey_id).await?;
    let known = municipality::Entity::find_by_id((
        r.registry_year,
        municipality_number.as_str().to_owned(),
    ))
    .one(db)
    .await?;
    if known.is_none() {
        return Err(Error::BadRequest(format!(
            "municipality {} is not in the {} registry of round {survey_id}",
            municipality_number.as_str(),
            r.registry_year
        )));
    }
    if let Some(d) = district_number {
        let found = district::Entity::find_by_id(d.as_str().to_owned())
            .one(db)
            .await?;
        if found.is_none_or(|f| f.municipality_number != municipality_number.as_str()) {
            return Err(Error::BadRequest(format!(
                "district {} is not a district of {}",
                d.as_str(),
                municipality_number.as_str()
            )));
        }
    }
    let token = InvitationToken::generate()?;
    let model = invitation::ActiveModel {
        round_id: Set(r.id),
        municipality_number: Set(municipality_number.as_str().to_owned()),
        district_number: Set(district_number.map(|d| d.as_str().to_owned())),
        email: Set(email.as_str().to_owned()),
        token_sha256: Set(token.hash()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((model, token))
}

/// The invitation behind a token; unknown tokens are "not found".
pub async fn find_invitation(
    db: &DatabaseConnection,
    token: &str,
) -> Result<invitation::Model, Error> {
    let token = InvitationToken::parse(token)?;
    invitation::Entity::find()
        .filter(invitation::Column::TokenSha256.eq(token.hash()))
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("invitation".into()))
}

/// The responses started from an invitation, oldest first.
pub async fn responses(
    db: &DatabaseConnection,
    inv: &invitation::Model,
) -> Result<Vec<response::Model>, Error> {
    Ok(response::Entity::find()
        .filter(response::Column::InvitationId.eq(inv.id))
        .filter(response::Column::Status.ne(DISCARDED))
        .order_by_asc(response::Column::Id)
        .all(db)
        .await?)
}

/// Answers of a response: the answers and, kept apart, the personal ones.
async fn answers_of(
    db: &impl ConnectionTrait,
    response_id: i32,
) -> Result<BTreeMap<String, Answer>, Error> {
    let rows = answer::Entity::find()
        .filter(answer::Column::ResponseId.eq(response_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.item_id, r.value));
    let personal = personal_answer::Entity::find()
        .filter(personal_answer::Column::ResponseId.eq(response_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.item_id, r.value));
    let mut out = BTreeMap::new();
    for (item_id, value) in rows.chain(personal) {
        let value: Answer = serde_json::from_str(&value).map_err(|e| {
            Error::Config(format!(
                "stored answer {response_id}/{item_id} is not JSON: {e}"
            ))
        })?;
        out.insert(item_id, value);
    }
    Ok(out)
}

fn state(r: &response::Model, values: BTreeMap<String, Answer>) -> ResponseState {
    let confirmed = serde_json::from_str(&r.confirmed).unwrap_or_default();
    ResponseState {
        id: r.id,
        status: r.status.clone(),
        version: r.version,
        branch: r.branch,
        answers: AnswerSet { values, confirmed },
        updated_at: r.updated_at.to_rfc3339(),
        submitted_at: r.submitted_at.map(|t| t.to_rfc3339()),
    }
}

async fn owned(
    db: &impl ConnectionTrait,
    inv: &invitation::Model,
    id: i32,
) -> Result<response::Model, Error> {
    response::Entity::find_by_id(id)
        .filter(response::Column::InvitationId.eq(inv.id))
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("response".into()))
}

/// The current state of one of the invitation's responses.
pub async fn load(
    db: &DatabaseConnection,
    inv: &invitation::Model,
    id: i32,
) -> Result<ResponseState, Error> {
    let r = owned(db, inv, id).await?;
    Ok(state(&r, answers_of(db, r.id).await?))
}

/// Refuses a second response where the survey takes one per link: from
/// this link, or from another link of the same unit (municipality and
/// district) in the round.
pub async fn once_per_unit(
    db: &DatabaseConnection,
    inv: &invitation::Model,
    started: usize,
) -> Result<(), Error> {
    let refuse = |message: &str| Error::Invalid {
        message: message.to_owned(),
        report: Box::default(),
    };
    if started > 0 {
        return Err(refuse(
            "Det er allerede et svar fra denne lenken, og hver lenke sender inn ett svar. Åpne svaret i listen for å se det eller fortsette på det.",
        ));
    }
    let mut same_unit = response::Entity::find()
        .filter(response::Column::RoundId.eq(inv.round_id))
        .filter(response::Column::MunicipalityNumber.eq(inv.municipality_number.clone()))
        .filter(response::Column::Status.ne(DISCARDED));
    same_unit = match &inv.district_number {
        Some(d) => same_unit.filter(response::Column::DistrictNumber.eq(d.clone())),
        None => same_unit.filter(response::Column::DistrictNumber.is_null()),
    };
    if same_unit.one(db).await?.is_some() {
        return Err(refuse(
            "Det finnes allerede et svar for den samme enheten (samme kommune og bydel) i denne runden, startet eller sendt inn fra en annen lenke. Bare ett svar kan sendes inn per enhet, så denne lenken kan ikke starte et nytt. Skal du svare i stedet, ta kontakt med den som sendte deg lenken.",
        ));
    }
    Ok(())
}

/// Starts a response (another service) with the header prefilled from the invitation.
#[tracing::instrument(skip_all, fields(invitation = inv.id))]
pub async fn start(
    db: &DatabaseConnection,
    def: &SurveyDefinition,
    inv: &invitation::Model,
) -> Result<ResponseState, Error> {
    let started = responses(db, inv).await?.len();
    if def.survey.responses_per_link == Some(1) {
        once_per_unit(db, inv, started).await?;
    }
    let limit = def
        .survey
        .responses_per_link
        .map_or(MAX_RESPONSES_PER_LINK, |n| {
            (n as usize).min(MAX_RESPONSES_PER_LINK)
        });
    if started >= limit && limit > 1 {
        return Err(Error::Invalid {
            message: format!(
                "Det er allerede {started} svar fra denne lenken, og flere kan ikke startes. Slett utkast du ikke trenger, eller ta kontakt hvis kommunen har flere tjenester enn dette."
            ),
            report: Box::default(),
        });
    }
    let now = Utc::now();
    let prefill = fixed_answers(def, inv);
    let txn = db.begin().await?;
    let r = response::ActiveModel {
        invitation_id: Set(inv.id),
        round_id: Set(inv.round_id),
        municipality_number: Set(inv.municipality_number.clone()),
        district_number: Set(inv.district_number.clone()),
        branch: Set(None),
        status: Set(DRAFT.into()),
        version: Set(1),
        confirmed: Set("[]".into()),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // The answers the link fixes (county, municipality, district): answers,
    // not personal ones, logged as version 1.
    let json = |a: &Answer| serde_json::to_string(a).unwrap_or_else(|_| "null".into());
    answer::Entity::insert_many(prefill.iter().map(|(item, a)| answer::ActiveModel {
        response_id: Set(r.id),
        item_id: Set(item.clone()),
        value: Set(json(a)),
        updated_at: Set(now),
    }))
    .exec(&txn)
    .await?;
    answer_log::Entity::insert_many(prefill.iter().map(|(item, a)| answer_log::ActiveModel {
        response_id: Set(r.id),
        item_id: Set(item.clone()),
        value: Set(Some(json(a))),
        version: Set(1),
        at: Set(now),
        ..Default::default()
    }))
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(state(&r, prefill))
}

/// Checks and canonicalises a client's answers: unknown items and answers
/// the engine rejects make the whole save fail (422) before anything is written.
fn canonical(
    def: &SurveyDefinition,
    values: &BTreeMap<String, Answer>,
    confirmed: &BTreeSet<String>,
) -> Result<BTreeMap<String, Answer>, Error> {
    let (out, rejected) = canonicalize(def, values);
    if rejected.is_empty() {
        return Ok(out);
    }
    let bad = AnswerSet {
        values: rejected
            .into_iter()
            .filter_map(|id| values.get(&id).map(|v| (id, v.clone())))
            .collect(),
        confirmed: BTreeSet::new(),
    };
    // Report with the engine: it names unknown items and gives each bad answer its message.
    let mut report = validate(
        def,
        &AnswerSet {
            values: values.clone(),
            confirmed: confirmed.clone(),
        },
        Mode::Partial,
    );
    report
        .items
        .retain(|id, r| bad.values.contains_key(id) && !r.errors.is_empty());
    let message = if report.unknown.is_empty() {
        "Noen svar er ugyldige og ble ikke lagret. Tidligere lagrede svar er beholdt.".to_owned()
    } else {
        format!(
            "Ukjente spørsmål: {}. Ingenting ble lagret.",
            report.unknown.join(", ")
        )
    };
    // Answers to hidden items that do not validate are rejected too; name them.
    for id in bad.values.keys() {
        if !report.items.contains_key(id) && !report.unknown.contains(id) {
            let problem = def
                .item(id)
                .map(|item| normalize(item, &values[id]).err().unwrap_or_default())
                .unwrap_or_default();
            report
                .items
                .entry(id.clone())
                .or_default()
                .errors
                .push(survey_definitions::Problem {
                    key: format!("{id}/invalid"),
                    code: "invalid".into(),
                    message: problem,
                    target: None,
                    confirmed: false,
                });
        }
    }
    Err(Error::Invalid {
        message,
        report: Box::new(report),
    })
}

/// Moves a response from `version` to `version + 1` if nobody else has; on a
/// stale version returns the conflict with the current state.
async fn bump(
    txn: &impl ConnectionTrait,
    inv: &invitation::Model,
    id: i32,
    version: i64,
    set: BumpTo,
) -> Result<response::Model, Error> {
    let now = Utc::now();
    let mut update = response::Entity::update_many()
        .col_expr(
            response::Column::Version,
            Expr::col(response::Column::Version).add(1),
        )
        .col_expr(response::Column::UpdatedAt, Expr::value(now))
        .filter(response::Column::Id.eq(id))
        .filter(response::Column::InvitationId.eq(inv.id))
        .filter(response::Column::Version.eq(version));
    update = match &set {
        BumpTo::Submitted => update
            .col_expr(response::Column::Status, Expr::value(SUBMITTED))
            .col_expr(response::Column::SubmittedAt, Expr::value(Some(now)))
            .filter(response::Column::Status.eq(DRAFT)),
        BumpTo::Reopened => update
            .col_expr(response::Column::Status, Expr::value(DRAFT))
            .filter(response::Column::Status.eq(SUBMITTED)),
    };
    let done = update.exec(txn).await?;
    let current = owned(txn, inv, id).await?;
    if done.rows_affected == 1 {
        return Ok(current);
    }
    Err(conflict(txn, current, version).await?)
}

enum BumpTo {
    Submitted,
    Reopened,
}

/// Autosave: replaces the answer set of a draft, if `req.version` is current.
///
/// The current answers come from the snapshot cache when it holds exactly
/// the version the client edited, else they are read and diffed *before*
/// the transaction, so the write lock (SQLite has one writer) is held only
/// for the writes. Both are safe: answers change only together with a
/// version bump, and the conditional update below fails if anyone wrote
/// after the state we diffed against.
#[tracing::instrument(skip_all, fields(response = id, version = req.version))]
pub async fn save(
    db: &DatabaseConnection,
    cache: &SnapshotCache,
    def: &SurveyDefinition,
    inv: &invitation::Model,
    id: i32,
    req: &SaveRequest,
) -> Result<ResponseState, Error> {
    let mut new = canonical(def, &req.values, &req.confirmed)?;
    listing::hold_fixed(def, inv, &mut new)?;
    // Confirmations are bounded by the definition: keys it cannot produce are dropped.
    let possible = def.warning_keys();
    let confirmed: BTreeSet<String> = req
        .confirmed
        .iter()
        .filter(|k| possible.contains(*k))
        .cloned()
        .collect();
    let (current, old) = match cache.get(id, req.version, inv.id) {
        Some(s) => (s.response, s.answers),
        None => {
            let current = owned(db, inv, id).await?;
            if current.version != req.version || current.status != DRAFT {
                return Err(conflict(db, current, req.version).await?);
            }
            let old = answers_of(db, id).await?;
            (current, old)
        }
    };
    // The branch is the gate item's code, where the survey has branches.
    let branch = match def.gate_item().and_then(|g| new.get(&g.id)) {
        Some(Answer::Number(n)) => Some(*n as i32),
        _ => None,
    };
    let confirmed = serde_json::to_string(&confirmed).unwrap_or_else(|_| "[]".into());
    let now = Utc::now();
    let is_personal = |item: &str| def.item(item).is_some_and(|i| i.personal);
    let write = writes::Write {
        response_id: id,
        invitation_id: inv.id,
        version: req.version,
        branch,
        confirmed: &confirmed,
        now,
        old: &old,
        new: &new,
        is_personal: &is_personal,
    };
    let applied = writes::apply(db, &write).await?;
    if !applied {
        cache.forget(id);
        let current = owned(db, inv, id).await?;
        return Err(conflict(db, current, req.version).await?);
    }
    let saved = response::Model {
        version: req.version + 1,
        branch,
        confirmed,
        updated_at: now,
        ..current
    };
    let result = state(&saved, new.clone());
    cache.put(Snapshot {
        response: saved,
        answers: new,
    });
    Ok(result)
}

/// The 409 for a write based on `version` when the response is now `current`.
async fn conflict(
    db: &impl ConnectionTrait,
    current: response::Model,
    version: i64,
) -> Result<Error, Error> {
    let message = if current.version != version {
        "Svarene er endret et annet sted (for eksempel i en annen fane) siden du hentet dem. Du ser nå de nyeste svarene; ingenting er tapt."
    } else if current.status == SUBMITTED {
        "Svarene er allerede sendt inn. Åpne dem igjen for å endre."
    } else {
        "Svarene er ikke sendt inn."
    };
    let values = answers_of(db, current.id).await?;
    Ok(Error::Conflict {
        message: message.into(),
        current: Box::new(state(&current, values)),
    })
}

/// Submits a draft: the stored answers must pass the engine's complete validation.
#[tracing::instrument(skip_all, fields(response = id, version))]
pub async fn submit(
    db: &DatabaseConnection,
    def: &SurveyDefinition,
    inv: &invitation::Model,
    id: i32,
    version: i64,
) -> Result<(ResponseState, ValidationReport), Error> {
    let txn = db.begin().await?;
    let current = owned(&txn, inv, id).await?;
    let values = answers_of(&txn, id).await?;
    let answers = AnswerSet {
        values: values.clone(),
        confirmed: serde_json::from_str(&current.confirmed).unwrap_or_default(),
    };
    let report = validate(def, &answers, Mode::Complete);
    if current.version == version && current.status == DRAFT && !report.is_valid() {
        return Err(Error::Invalid {
            message: format!(
                "{} svar mangler eller må rettes før innsending.",
                report.error_count()
            ),
            report: Box::new(report),
        });
    }
    let r = bump(&txn, inv, id, version, BumpTo::Submitted).await?;
    txn.commit().await?;
    Ok((state(&r, values), report))
}

/// Reopens a submitted response so it can be changed (while the round is open).
#[tracing::instrument(skip_all, fields(response = id, version))]
pub async fn reopen(
    db: &DatabaseConnection,
    inv: &invitation::Model,
    id: i32,
    version: i64,
) -> Result<ResponseState, Error> {
    let txn = db.begin().await?;
    let r = bump(&txn, inv, id, version, BumpTo::Reopened).await?;
    let values = answers_of(&txn, id).await?;
    txn.commit().await?;
    Ok(state(&r, values))
}

/// Every logged change of a response, oldest first (for audits and tests).
pub async fn log(
    db: &DatabaseConnection,
    response_id: i32,
) -> Result<Vec<answer_log::Model>, Error> {
    Ok(answer_log::Entity::find()
        .filter(answer_log::Column::ResponseId.eq(response_id))
        .order_by_asc(answer_log::Column::Id)
        .all(db)
        .await?)
}
