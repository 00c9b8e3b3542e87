//! Invitation waves and the outbox (contacts are in `contacts.rs`, the
//! response-rate dashboard in `status.rs`).
//!
//! A wave is composed in one transaction: the selection of contacts is
//! resolved, each contact gets its invitation for the round (created once,
//! with a nonce its token is derived from, so reminders carry the same link),
//! and one outbox row per contact is written with the message rendered
//! except for the link. `crate::mail` then delivers the outbox.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, TransactionTrait};
use serde::{Deserialize, Serialize};

use super::contacts::contact;
use super::entity::{invitation, response};
use super::{places, round};
use crate::Error;
pub use api::admin::{PreviewMail, WavePreview, WaveProgress};

/// Wave rows.
pub mod wave {
    use sea_orm::entity::prelude::*;

    /// One invitation wave or reminder.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "wave")]
    pub struct Model {
        /// Row id.
        #[sea_orm(primary_key)]
        pub id: i32,
        /// Survey round.
        pub round_id: i32,
        /// `invitation` or `reminder`.
        pub kind: String,
        /// Subject line.
        pub subject: String,
        /// Body template with merge fields.
        #[sea_orm(column_type = "Text")]
        pub template: String,
        /// Deadline as written in the mail.
        pub deadline: String,
        /// The selection, as JSON.
        #[sea_orm(column_type = "Text")]
        pub selection: String,
        /// Who sent it.
        pub created_by: String,
        /// When.
        pub created_at: DateTimeUtc,
    }

    /// No relations declared.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Where a mail of a wave is: `pending → sending → sent`, temporary
/// failures back to `pending`, permanent ones `failed`. Stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting to be sent (or to be tried again).
    Pending,
    /// Claimed by a sender, inside its SMTP transaction.
    Sending,
    /// Accepted by the SMTP server.
    Sent,
    /// Refused for good (the contact is marked bounced).
    Failed,
}

impl OutboxStatus {
    /// The stored text.
    pub const fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sending => "sending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }
}

/// Outbox rows.
pub mod outbox {
    use sea_orm::entity::prelude::*;

    /// One mail of a wave.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox")]
    pub struct Model {
        /// Row id (also in the Message-ID).
        #[sea_orm(primary_key)]
        pub id: i32,
        /// Wave.
        pub wave_id: i32,
        /// Contact.
        pub contact_id: i32,
        /// The contact's invitation in the round.
        pub invitation_id: i32,
        /// Recipient.
        pub to_email: String,
        /// Subject.
        pub subject: String,
        /// Body with `{lenke}` and `{avmelding}` still to fill in at sending.
        #[sea_orm(column_type = "Text")]
        pub body: String,
        /// `pending`, `sending`, `sent` or `failed`.
        pub status: String,
        /// Delivery attempts so far.
        pub attempts: i32,
        /// The last error.
        #[sea_orm(column_type = "Text", nullable)]
        pub last_error: Option<String>,
        /// Not before.
        pub next_attempt_at: DateTimeUtc,
        /// When the SMTP server accepted it.
        pub sent_at: Option<DateTimeUtc>,
    }

    /// No relations declared.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Who a wave goes to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// `all`, `not-invited` or `not-submitted`.
    pub who: String,
    /// Only this county (2 digits).
    pub county: Option<String>,
    /// Only this size class (`small`, `medium`, `large`).
    pub size_class: Option<String>,
}

/// A wave to compose.
#[derive(Debug, Clone)]
pub struct NewWave {
    /// Round id (`korus-2025`).
    pub survey_id: String,
    /// `invitation` or `reminder` (reminders go only to municipalities that have not submitted).
    pub kind: String,
    /// Subject (UTF-8).
    pub subject: String,
    /// Body with merge fields `{kommune}`, `{navn}`, `{frist}`, `{lenke}`, `{avmelding}`.
    pub template: String,
    /// Deadline text.
    pub deadline: String,
    /// Who gets it.
    pub selection: Selection,
    /// Who sends it.
    pub created_by: String,
}

/// Fills the merge fields known when composing; `{lenke}` and
/// `{avmelding}` stay for the sender (they hold secrets).
pub fn render(template: &str, municipality: &str, name: Option<&str>, deadline: &str) -> String {
    template
        .replace("{kommune}", municipality)
        .replace("{navn}", name.unwrap_or(""))
        .replace("{frist}", deadline)
}

/// A wave's recipients, resolved.
struct Plan {
    round: round::Model,
    /// (contact, municipality name, invitation to reuse).
    chosen: Vec<(contact::Model, String, Option<i32>)>,
}

/// Checks a wave request and resolves who gets it: active contacts that
/// have neither opted out nor bounced, in the county and size class asked
/// for; `not-invited` leaves out those already invited, `not-submitted` and
/// every reminder those whose municipality has submitted.
async fn plan(db: &DatabaseConnection, w: &NewWave) -> Result<Plan, Error> {
    if !matches!(w.kind.as_str(), "invitation" | "reminder") {
        return Err(Error::BadRequest(format!(
            "kind {:?}: invitation or reminder",
            w.kind
        )));
    }
    if !matches!(
        w.selection.who.as_str(),
        "all" | "not-invited" | "not-submitted"
    ) {
        return Err(Error::BadRequest(format!(
            "selection {:?}: all, not-invited or not-submitted",
            w.selection.who
        )));
    }
    if w.subject.trim().is_empty() {
        return Err(Error::BadRequest("the subject is empty".into()));
    }
    if !w.template.contains("{lenke}") {
        return Err(Error::BadRequest(
            "the template has no {lenke} (the personal link)".into(),
        ));
    }
    let r = round::find(db, &w.survey_id).await?;
    let registry = places::load(db, r.registry_year).await?;
    let contacts = contact::Entity::find()
        .filter(contact::Column::Active.eq(true))
        .filter(contact::Column::OptedOut.eq(false))
        .filter(contact::Column::BounceReason.is_null())
        .order_by_asc(contact::Column::Id)
        .all(db)
        .await?;
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::RoundId.eq(r.id))
        .all(db)
        .await?;
    // A survey answered by districts reaches district contacts only, and
    // counts a district as answered by its own response.
    let by_district = r.parsed()?.survey.unit == survey_definitions::RespondentUnit::District;
    let unit_of = |municipality: &str, district: &Option<String>| -> String {
        match (by_district, district) {
            (true, Some(d)) => d.clone(),
            _ => municipality.to_owned(),
        }
    };
    let mut submitted: BTreeSet<String> = response::Entity::find()
        .filter(response::Column::RoundId.eq(r.id))
        .filter(response::Column::Status.eq("submitted"))
        .all(db)
        .await?
        .into_iter()
        .map(|r| unit_of(&r.municipality_number, &r.district_number))
        .collect();
    // Imported answers count as sent in: no reminder for them.
    submitted.extend(
        super::entity::imported_response::Entity::find()
            .filter(super::entity::imported_response::Column::RoundId.eq(r.id))
            .all(db)
            .await?
            .into_iter()
            .map(|i| unit_of(&i.municipality_number, &i.district_number)),
    );
    let places: std::collections::HashMap<&str, &crate::registry::Municipality> = registry
        .municipalities
        .iter()
        .map(|m| (m.number.as_str(), m))
        .collect();
    // (e-mail, municipality) of every invitation, and of those a wave made
    // (their link can be rebuilt, so a reminder reuses it).
    let invited: BTreeSet<(&str, String)> = invitations
        .iter()
        .map(|i| {
            (
                i.email.as_str(),
                unit_of(&i.municipality_number, &i.district_number),
            )
        })
        .collect();
    let mut reusable: std::collections::HashMap<(&str, String), i32> =
        std::collections::HashMap::new();
    for i in invitations.iter().filter(|i| i.token_nonce.is_some()) {
        reusable
            .entry((
                i.email.as_str(),
                unit_of(&i.municipality_number, &i.district_number),
            ))
            .or_insert(i.id);
    }
    let reminder = w.kind == "reminder";
    let mut chosen = Vec::new();
    for c in &contacts {
        let Some(m) = places.get(c.municipality_number.as_str()) else {
            continue;
        };
        if by_district && c.district_number.is_none() {
            continue;
        }
        let unit = unit_of(&c.municipality_number, &c.district_number);
        let key = (c.email.as_str(), unit.clone());
        let is_invited = invited.contains(&key);
        let has_submitted = submitted.contains(&unit);
        let wanted = w.selection.county.as_ref().is_none_or(|k| *k == m.county)
            && w.selection
                .size_class
                .as_ref()
                .is_none_or(|s| format!("{:?}", m.size_class).to_lowercase() == *s)
            && match w.selection.who.as_str() {
                "not-invited" => !is_invited,
                "not-submitted" => !has_submitted,
                _ => true,
            }
            && (!reminder || (is_invited && !has_submitted));
        if wanted {
            // {kommune} names the unit: the district where districts answer.
            let name = registry
                .districts
                .iter()
                .find(|d| by_district && c.district_number.as_deref() == Some(d.number.as_str()))
                .map_or_else(|| m.name.clone(), |d| d.name.clone());
            chosen.push((c.clone(), name, reusable.get(&key).copied()));
        }
    }
    Ok(Plan { round: r, chosen })
}

/// Previews a wave: how many it reaches and its first mail, with the
/// personal and opt-out links as placeholders (they are secrets).
pub async fn preview(db: &DatabaseConnection, w: &NewWave) -> Result<WavePreview, Error> {
    let plan = plan(db, w).await?;
    let first = plan.chosen.first().map(|(c, municipality, _)| PreviewMail {
        to: c.email.clone(),
        subject: render(&w.subject, municipality, c.name.as_deref(), &w.deadline),
        body: render(&w.template, municipality, c.name.as_deref(), &w.deadline)
            .replace("{lenke}", "<personlig lenke>")
            .replace("{avmelding}", "<avmeldingslenke>"),
    });
    Ok(WavePreview {
        recipients: plan.chosen.len(),
        first,
    })
}

/// Composes a wave: resolves the selection, creates missing invitations and
/// writes the outbox, all in one transaction. Returns the wave and its size.
pub async fn compose(
    db: &DatabaseConnection,
    w: &NewWave,
    secret: &crate::secret::ServerSecret,
) -> Result<(wave::Model, usize), Error> {
    let Plan { round: r, chosen } = plan(db, w).await?;
    let txn = db.begin().await?;
    let now = Utc::now();
    let wave = wave::ActiveModel {
        round_id: Set(r.id),
        kind: Set(w.kind.clone()),
        subject: Set(w.subject.clone()),
        template: Set(w.template.clone()),
        deadline: Set(w.deadline.clone()),
        selection: Set(serde_json::to_string(&w.selection).unwrap_or_default()),
        created_by: Set(w.created_by.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (c, municipality, existing) in &chosen {
        let invitation_id = match existing {
            Some(id) => *id,
            None => {
                let nonce = crate::domain::InvitationToken::generate()?
                    .expose()
                    .to_owned();
                let token = crate::domain::InvitationToken::derive(secret.bytes(), &nonce);
                invitation::ActiveModel {
                    round_id: Set(r.id),
                    municipality_number: Set(c.municipality_number.clone()),
                    district_number: Set(c.district_number.clone()),
                    email: Set(c.email.clone()),
                    token_sha256: Set(token.hash()),
                    created_at: Set(now),
                    token_nonce: Set(Some(nonce)),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
                .id
            }
        };
        outbox::ActiveModel {
            wave_id: Set(wave.id),
            contact_id: Set(c.id),
            invitation_id: Set(invitation_id),
            to_email: Set(c.email.clone()),
            subject: Set(render(
                &w.subject,
                municipality,
                c.name.as_deref(),
                &w.deadline,
            )),
            body: Set(render(
                &w.template,
                municipality,
                c.name.as_deref(),
                &w.deadline,
            )),
            status: Set(OutboxStatus::Pending.as_str().into()),
            attempts: Set(0),
            last_error: Set(None),
            next_attempt_at: Set(now),
            sent_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    super::accounts::audit(
        &txn,
        &w.created_by,
        "wave",
        &format!(
            "{} {} to {} contacts ({:?})",
            w.kind,
            w.survey_id,
            chosen.len(),
            w.selection
        ),
    )
    .await?;
    txn.commit().await?;
    Ok((wave, chosen.len()))
}

/// Counts of a wave's outbox by status.
pub async fn progress(
    db: &DatabaseConnection,
    wave_id: i32,
) -> Result<BTreeMap<String, usize>, Error> {
    let mut out = BTreeMap::new();
    for row in outbox::Entity::find()
        .filter(outbox::Column::WaveId.eq(wave_id))
        .all(db)
        .await?
    {
        *out.entry(row.status).or_default() += 1;
    }
    Ok(out)
}

/// Every wave, newest first, with its progress.
pub async fn waves(db: &DatabaseConnection) -> Result<Vec<WaveProgress>, Error> {
    let rounds: BTreeMap<i32, String> = round::list(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.survey_id))
        .collect();
    let mut out = Vec::new();
    for w in wave::Entity::find()
        .order_by_desc(wave::Column::Id)
        .all(db)
        .await?
    {
        out.push(WaveProgress {
            id: w.id,
            survey_id: rounds.get(&w.round_id).cloned().unwrap_or_default(),
            kind: w.kind,
            subject: w.subject,
            created_by: w.created_by,
            created_at: w.created_at.to_rfc3339(),
            by_status: progress(db, w.id).await?,
        });
    }
    Ok(out)
}
