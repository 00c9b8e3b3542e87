//! A named person's data: export on request, erasure on request, and the
//! retention purge of a round. Anonymous answers are kept; what identifies
//! the person (e-mail, name, position) goes.
//!
//! Erasure is the one thing allowed to rewrite the append-only answer log:
//! the logged values of personal items are blanked, the entries themselves
//! (item, version, time) stay.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use sea_orm::TransactionTrait;
use sea_orm::entity::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::contacts::contact;
use super::entity::{answer, answer_log, invitation, personal_answer, response};
use super::outreach::outbox;
use super::{accounts, round};
use crate::Error;

/// What omfang holds about one e-mail address.
#[derive(Debug, Serialize)]
pub struct PersonExport {
    /// The address asked about.
    pub email: String,
    /// Contact entries.
    pub contacts: Vec<serde_json::Value>,
    /// Invitations sent to the address, with their responses' answers.
    pub invitations: Vec<serde_json::Value>,
    /// Mails sent to the address.
    pub mails: Vec<serde_json::Value>,
}

/// The replacement for an erased e-mail address.
pub const ERASED: &str = "slettet@slettet.invalid";

fn personal_items(
    defs: &BTreeMap<i32, survey_definitions::SurveyDefinition>,
) -> BTreeMap<i32, Vec<String>> {
    defs.iter()
        .map(|(round, def)| {
            (
                *round,
                def.items
                    .iter()
                    .filter(|i| i.personal)
                    .map(|i| i.id.clone())
                    .collect(),
            )
        })
        .collect()
}

async fn definitions(
    db: &impl ConnectionTrait,
) -> Result<BTreeMap<i32, survey_definitions::SurveyDefinition>, Error> {
    let mut out = BTreeMap::new();
    for r in round::Entity::find().all(db).await? {
        out.insert(r.id, r.parsed()?);
    }
    Ok(out)
}

/// Everything held about one e-mail address, as JSON-ready values.
pub async fn export(db: &DatabaseConnection, email: &str) -> Result<PersonExport, Error> {
    let email = email.trim().to_lowercase();
    let contacts = contact::Entity::find()
        .filter(contact::Column::Email.eq(email.as_str()))
        .all(db)
        .await?;
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::Email.eq(email.as_str()))
        .all(db)
        .await?;
    let mut invitation_values = Vec::new();
    for inv in &invitations {
        let mut responses = Vec::new();
        for r in response::Entity::find()
            .filter(response::Column::InvitationId.eq(inv.id))
            .all(db)
            .await?
        {
            let plain = answer::Entity::find()
                .filter(answer::Column::ResponseId.eq(r.id))
                .all(db)
                .await?
                .into_iter()
                .map(|a| (a.item_id, a.value));
            let personal = personal_answer::Entity::find()
                .filter(personal_answer::Column::ResponseId.eq(r.id))
                .all(db)
                .await?
                .into_iter()
                .map(|a| (a.item_id, a.value));
            let answers: BTreeMap<String, serde_json::Value> = plain
                .chain(personal)
                .map(|(item, value)| {
                    (
                        item,
                        serde_json::from_str(&value).unwrap_or(serde_json::Value::Null),
                    )
                })
                .collect();
            responses.push(serde_json::json!({
                "id": r.id, "status": r.status, "municipality": r.municipality_number,
                "updated_at": r.updated_at.to_rfc3339(), "answers": answers,
            }));
        }
        invitation_values.push(serde_json::json!({
            "round_id": inv.round_id, "municipality": inv.municipality_number,
            "district": inv.district_number, "created_at": inv.created_at.to_rfc3339(),
            "responses": responses,
        }));
    }
    let mails = outbox::Entity::find()
        .filter(outbox::Column::ToEmail.eq(email.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| serde_json::json!({"wave": m.wave_id, "subject": m.subject, "status": m.status, "sent_at": m.sent_at.map(|t| t.to_rfc3339())}))
        .collect();
    Ok(PersonExport {
        email,
        contacts: contacts
            .into_iter()
            .map(|c| serde_json::json!({"municipality": c.municipality_number, "district": c.district_number, "kind": c.kind, "name": c.name, "opted_out": c.opted_out, "bounce_reason": c.bounce_reason}))
            .collect(),
        invitations: invitation_values,
        mails,
    })
}

/// What an erasure or purge changed.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Erased {
    /// Contact entries deleted.
    pub contacts: u64,
    /// Invitations whose address was replaced.
    pub invitations: u64,
    /// Personal answers deleted.
    pub answers: u64,
    /// Logged values of personal answers blanked.
    pub log_values: u64,
    /// Mails whose address and text were blanked.
    pub mails: u64,
}

/// Erases what identifies the people behind `invitations`: their
/// addresses, the personal answers of their responses (and those values in
/// the answer log) and the mails sent to them. Answers stay.
async fn erase_invitations(
    txn: &impl ConnectionTrait,
    invitations: &[invitation::Model],
    personal: &BTreeMap<i32, Vec<String>>,
) -> Result<Erased, Error> {
    let mut out = Erased::default();
    for inv in invitations {
        let items = personal.get(&inv.round_id).cloned().unwrap_or_default();
        let responses: Vec<i32> = response::Entity::find()
            .filter(response::Column::InvitationId.eq(inv.id))
            .all(txn)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        if !responses.is_empty() {
            out.answers += personal_answer::Entity::delete_many()
                .filter(personal_answer::Column::ResponseId.is_in(responses.clone()))
                .exec(txn)
                .await?
                .rows_affected;
        }
        // Personal answers stored with the answers (before they had a table
        // of their own) go too, with their logged values.
        if !responses.is_empty() && !items.is_empty() {
            out.answers += answer::Entity::delete_many()
                .filter(answer::Column::ResponseId.is_in(responses.clone()))
                .filter(answer::Column::ItemId.is_in(items.clone()))
                .exec(txn)
                .await?
                .rows_affected;
            out.log_values += answer_log::Entity::update_many()
                .col_expr(
                    answer_log::Column::Value,
                    Expr::value(Option::<String>::None),
                )
                .filter(answer_log::Column::ResponseId.is_in(responses))
                .filter(answer_log::Column::ItemId.is_in(items))
                .filter(answer_log::Column::Value.is_not_null())
                .exec(txn)
                .await?
                .rows_affected;
        }
        out.mails += outbox::Entity::update_many()
            .col_expr(outbox::Column::ToEmail, Expr::value(ERASED))
            .col_expr(outbox::Column::Body, Expr::value(""))
            .filter(outbox::Column::InvitationId.eq(inv.id))
            .exec(txn)
            .await?
            .rows_affected;
        if inv.email != ERASED {
            invitation::Entity::update_many()
                .col_expr(invitation::Column::Email, Expr::value(ERASED))
                .filter(invitation::Column::Id.eq(inv.id))
                .exec(txn)
                .await?;
            out.invitations += 1;
        }
    }
    Ok(out)
}

fn fingerprint(email: &str) -> String {
    hex::encode(&Sha256::digest(email.as_bytes())[..8])
}

/// Erases one person's data on request. `confirm` must repeat the address:
/// erasure cannot be undone. Logged by a fingerprint of the address, not
/// the address.
pub async fn erase(
    db: &DatabaseConnection,
    email: &str,
    confirm: &str,
    by: &str,
) -> Result<Erased, Error> {
    let email = email.trim().to_lowercase();
    if confirm.trim().to_lowercase() != email {
        return Err(Error::BadRequest(
            "erasure cannot be undone: repeat the address exactly with --confirm".into(),
        ));
    }
    let personal = personal_items(&definitions(db).await?);
    let txn = db.begin().await?;
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::Email.eq(email.as_str()))
        .all(&txn)
        .await?;
    let mut out = erase_invitations(&txn, &invitations, &personal).await?;
    out.contacts = contact::Entity::delete_many()
        .filter(contact::Column::Email.eq(email.as_str()))
        .exec(&txn)
        .await?
        .rows_affected;
    accounts::audit(
        &txn,
        by,
        "person_erased",
        &format!("address fingerprint {} ({out:?})", fingerprint(&email)),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// Purges a round's contact data once its retention date has passed:
/// addresses of its invitations, personal answers, the text of its mails,
/// and contacts that no other round's mail refers to.
pub async fn purge(db: &DatabaseConnection, survey_id: &str, by: &str) -> Result<Erased, Error> {
    let r = round::find(db, survey_id).await?;
    let Some(until) = r.retention_until else {
        return Err(Error::BadRequest(format!(
            "round {survey_id} has no retention date (omfang round dates --retention)"
        )));
    };
    if Utc::now() < until {
        return Err(Error::BadRequest(format!(
            "round {survey_id} keeps contact data until {}; nothing was purged",
            until.to_rfc3339()
        )));
    }
    let personal = personal_items(&definitions(db).await?);
    let txn = db.begin().await?;
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::RoundId.eq(r.id))
        .all(&txn)
        .await?;
    let mut out = erase_invitations(&txn, &invitations, &personal).await?;
    // Contacts mailed in this round and in no other.
    let waves: BTreeSet<i32> = super::outreach::wave::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .filter(|w| w.round_id == r.id)
        .map(|w| w.id)
        .collect();
    let mails = outbox::Entity::find().all(&txn).await?;
    let here: BTreeSet<i32> = mails
        .iter()
        .filter(|m| waves.contains(&m.wave_id))
        .map(|m| m.contact_id)
        .collect();
    let elsewhere: BTreeSet<i32> = mails
        .iter()
        .filter(|m| !waves.contains(&m.wave_id))
        .map(|m| m.contact_id)
        .collect();
    let only_here: Vec<i32> = here.difference(&elsewhere).copied().collect();
    if !only_here.is_empty() {
        out.contacts = contact::Entity::delete_many()
            .filter(contact::Column::Id.is_in(only_here))
            .exec(&txn)
            .await?
            .rows_affected;
    }
    accounts::audit(&txn, by, "round_purged", &format!("{survey_id}: {out:?}")).await?;
    txn.commit().await?;
    Ok(out)
}
