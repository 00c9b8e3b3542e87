//! Contacts, invitation waves and the outbox.
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

use super::entity::{invitation, response};
use super::{places, round};
use crate::Error;
use crate::domain::{EmailAddress, MunicipalityNumber};

/// Contact rows.
pub mod contact {
    use sea_orm::entity::prelude::*;

    /// A person or mailbox to invite for a municipality.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contact")]
    pub struct Model {
        /// Row id.
        #[sea_orm(primary_key)]
        pub id: i32,
        /// Municipality.
        pub municipality_number: String,
        /// District or agency (Oslo).
        pub district_number: Option<String>,
        /// `postmottak` (central mailbox) or `tjeneste` (a named service contact).
        pub kind: String,
        /// Name, if a person.
        pub name: Option<String>,
        /// E-mail, lower case.
        pub email: String,
        /// Deactivated contacts get no mail.
        pub active: bool,
        /// Asked to get no more mail (the opt-out link).
        pub opted_out: bool,
        /// Why mail to this address failed permanently, if it did.
        #[sea_orm(column_type = "Text", nullable)]
        pub bounce_reason: Option<String>,
        /// Last change.
        pub updated_at: DateTimeUtc,
    }

    /// No relations declared.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

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

/// Contact kinds.
pub const KINDS: [&str; 2] = ["postmottak", "tjeneste"];

#[derive(Deserialize)]
struct ContactRow {
    municipality_number: String,
    #[serde(default)]
    district_number: String,
    kind: String,
    #[serde(default)]
    name: String,
    email: String,
}

/// Imports contacts (columns `municipality_number,district_number,kind,name,email`).
/// Every bad row is listed with its line; nothing is imported unless all are
/// good. A contact already known for the municipality (same e-mail, also
/// within the file) is merged: its name, kind and district are updated.
/// Returns (new, merged).
pub async fn import_contacts(
    db: &DatabaseConnection,
    csv_text: &str,
) -> Result<(usize, usize), Error> {
    let registry = places::load(db, crate::registry::POPULATION_YEAR).await?;
    let known: BTreeSet<&str> = registry
        .municipalities
        .iter()
        .map(|m| m.number.as_str())
        .collect();
    let districts: BTreeMap<&str, &str> = registry
        .districts
        .iter()
        .map(|d| (d.number.as_str(), d.municipality.as_str()))
        .collect();
    let mut errors = Vec::new();
    let mut rows: BTreeMap<(String, String), ContactRow> = BTreeMap::new();
    let mut reader = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    for (i, row) in reader.deserialize::<ContactRow>().enumerate() {
        let line = i + 2;
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let mut problems = Vec::new();
        let number = MunicipalityNumber::parse(row.municipality_number.trim())
            .map(|m| m.as_str().to_owned());
        match &number {
            Ok(n) if !known.contains(n.as_str()) => {
                problems.push(format!("unknown municipality number {n}"))
            }
            Ok(_) => {}
            Err(_) => problems.push(format!(
                "municipality number {:?} is not 4 digits",
                row.municipality_number
            )),
        }
        let email = EmailAddress::parse(row.email.trim());
        if email.is_err() {
            problems.push(format!("bad e-mail address {:?}", row.email));
        }
        if !KINDS.contains(&row.kind.trim()) {
            problems.push(format!("kind {:?} is not postmottak or tjeneste", row.kind));
        }
        let district = row.district_number.trim();
        if !district.is_empty() {
            match (districts.get(district), &number) {
                (Some(m), Ok(n)) if m == n => {}
                _ => problems.push(format!(
                    "district {district} is not a district of {}",
                    row.municipality_number.trim()
                )),
            }
        }
        if !problems.is_empty() {
            errors.push(format!("line {line}: {}", problems.join("; ")));
            continue;
        }
        if let (Ok(n), Ok(e)) = (number, email) {
            let email = e.as_str().to_lowercase();
            rows.insert(
                (n.clone(), email.clone()),
                ContactRow {
                    municipality_number: n,
                    district_number: district.to_owned(),
                    kind: row.kind.trim().to_owned(),
                    name: row.name.trim().to_owned(),
                    email,
                },
            );
        }
    }
    if !errors.is_empty() {
        return Err(Error::Import(errors));
    }
    let txn = db.begin().await?;
    let (mut new, mut merged) = (0, 0);
    let now = Utc::now();
    for ((m, e), row) in rows {
        let existing = contact::Entity::find()
            .filter(contact::Column::MunicipalityNumber.eq(m.as_str()))
            .filter(contact::Column::Email.eq(e.as_str()))
            .one(&txn)
            .await?;
        let name = Some(row.name).filter(|n| !n.is_empty());
        let district = Some(row.district_number).filter(|d| !d.is_empty());
        match existing {
            Some(c) => {
                let mut a: contact::ActiveModel = c.into();
                a.kind = Set(row.kind);
                a.name = Set(name);
                a.district_number = Set(district);
                a.updated_at = Set(now);
                a.update(&txn).await?;
                merged += 1;
            }
            None => {
                contact::ActiveModel {
                    municipality_number: Set(m),
                    district_number: Set(district),
                    kind: Set(row.kind),
                    name: Set(name),
                    email: Set(e),
                    active: Set(true),
                    opted_out: Set(false),
                    bounce_reason: Set(None),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                new += 1;
            }
        }
    }
    txn.commit().await?;
    Ok((new, merged))
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
    let submitted: BTreeSet<String> = response::Entity::find()
        .filter(response::Column::RoundId.eq(r.id))
        .filter(response::Column::Status.eq("submitted"))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.municipality_number)
        .collect();
    let places: std::collections::HashMap<&str, &crate::registry::Municipality> = registry
        .municipalities
        .iter()
        .map(|m| (m.number.as_str(), m))
        .collect();
    // (e-mail, municipality) of every invitation, and of those a wave made
    // (their link can be rebuilt, so a reminder reuses it).
    let invited: BTreeSet<(&str, &str)> = invitations
        .iter()
        .map(|i| (i.email.as_str(), i.municipality_number.as_str()))
        .collect();
    let mut reusable: std::collections::HashMap<(&str, &str), i32> =
        std::collections::HashMap::new();
    for i in invitations.iter().filter(|i| i.token_nonce.is_some()) {
        reusable
            .entry((i.email.as_str(), i.municipality_number.as_str()))
            .or_insert(i.id);
    }
    let reminder = w.kind == "reminder";
    let mut chosen = Vec::new();
    for c in &contacts {
        let Some(m) = places.get(c.municipality_number.as_str()) else {
            continue;
        };
        let key = (c.email.as_str(), c.municipality_number.as_str());
        let is_invited = invited.contains(&key);
        let has_submitted = submitted.contains(&c.municipality_number);
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
            chosen.push((c.clone(), m.name.clone(), reusable.get(&key).copied()));
        }
    }
    Ok(Plan { round: r, chosen })
}

/// What a wave would send, without sending or storing anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WavePreview {
    /// How many mails the wave would send.
    pub recipients: usize,
    /// The first mail: recipient, subject and body (links shown as placeholders).
    pub first: Option<PreviewMail>,
}

/// One mail as previewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PreviewMail {
    /// Recipient.
    pub to: String,
    /// Subject with merge fields filled in.
    pub subject: String,
    /// Body with merge fields filled in.
    pub body: String,
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
pub async fn compose(db: &DatabaseConnection, w: &NewWave) -> Result<(wave::Model, usize), Error> {
    let Plan { round: r, chosen } = plan(db, w).await?;
    let secret = crate::mail::secret()?;
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
                let token = crate::domain::InvitationToken::derive(&secret, &nonce);
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
            status: Set("pending".into()),
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

/// A contact as administrators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ContactView {
    /// Row id.
    pub id: i32,
    /// Municipality number.
    pub municipality_number: String,
    /// Municipality name.
    pub municipality: String,
    /// District or agency (Oslo).
    pub district_number: Option<String>,
    /// `postmottak` or `tjeneste`.
    pub kind: String,
    /// Name, if a person.
    pub name: Option<String>,
    /// E-mail.
    pub email: String,
    /// Gets mail.
    pub active: bool,
    /// Used the opt-out link.
    pub opted_out: bool,
    /// Why mail failed permanently, if it did.
    pub bounce_reason: Option<String>,
}

/// Every contact, by municipality number.
pub async fn contacts(db: &DatabaseConnection) -> Result<Vec<ContactView>, Error> {
    let registry = places::load(db, crate::registry::POPULATION_YEAR).await?;
    let names: BTreeMap<&str, &str> = registry
        .municipalities
        .iter()
        .map(|m| (m.number.as_str(), m.name.as_str()))
        .collect();
    Ok(contact::Entity::find()
        .order_by_asc(contact::Column::MunicipalityNumber)
        .order_by_asc(contact::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| ContactView {
            municipality: names
                .get(c.municipality_number.as_str())
                .copied()
                .unwrap_or_default()
                .to_owned(),
            id: c.id,
            municipality_number: c.municipality_number,
            district_number: c.district_number,
            kind: c.kind,
            name: c.name,
            email: c.email,
            active: c.active,
            opted_out: c.opted_out,
            bounce_reason: c.bounce_reason,
        })
        .collect())
}

/// A change to a contact.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ContactEdit {
    /// `postmottak` or `tjeneste`.
    pub kind: String,
    /// Name (empty: none).
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Gets mail (false deactivates).
    pub active: bool,
}

/// Edits or deactivates a contact. A corrected address clears its bounce.
pub async fn edit_contact(
    db: &DatabaseConnection,
    id: i32,
    edit: &ContactEdit,
) -> Result<ContactView, Error> {
    let email = EmailAddress::parse(edit.email.trim())
        .map_err(|_| Error::BadRequest(format!("bad e-mail address {:?}", edit.email)))?
        .as_str()
        .to_lowercase();
    if !KINDS.contains(&edit.kind.as_str()) {
        return Err(Error::BadRequest(format!(
            "kind {:?} is not postmottak or tjeneste",
            edit.kind
        )));
    }
    let c = contact::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound(format!("contact {id}")))?;
    let taken = contact::Entity::find()
        .filter(contact::Column::MunicipalityNumber.eq(c.municipality_number.as_str()))
        .filter(contact::Column::Email.eq(email.as_str()))
        .filter(contact::Column::Id.ne(id))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(Error::BadRequest(format!(
            "{email} is already a contact of municipality {}",
            c.municipality_number
        )));
    }
    let new_address = email != c.email;
    let mut a: contact::ActiveModel = c.into();
    if new_address {
        a.bounce_reason = Set(None);
    }
    a.email = Set(email);
    a.kind = Set(edit.kind.clone());
    a.name = Set(Some(edit.name.trim().to_owned()).filter(|n| !n.is_empty()));
    a.active = Set(edit.active);
    a.updated_at = Set(Utc::now());
    let saved = a.update(db).await?;
    contacts(db)
        .await?
        .into_iter()
        .find(|v| v.id == saved.id)
        .ok_or_else(|| Error::NotFound(format!("contact {id}")))
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

/// Marks a contact opted out (the opt-out link).
pub async fn opt_out(db: &DatabaseConnection, contact_id: i32) -> Result<contact::Model, Error> {
    let c = contact::Entity::find_by_id(contact_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("contact".into()))?;
    let mut a: contact::ActiveModel = c.into();
    a.opted_out = Set(true);
    a.updated_at = Set(Utc::now());
    let c = a.update(db).await?;
    super::accounts::audit(db, &c.email, "opted_out", &c.municipality_number).await?;
    Ok(c)
}

/// One municipality's state in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MunicipalityStatus {
    /// Number.
    pub number: String,
    /// Name.
    pub name: String,
    /// County number.
    pub county: String,
    /// `small`, `medium` or `large`.
    pub size_class: String,
    /// Invitations made (links sent or created).
    pub invited: usize,
    /// Responses started but not submitted.
    pub drafts: usize,
    /// Responses submitted.
    pub submitted: usize,
    /// Gate answers of the submitted responses (1 own service, 2 part of another, 3 none).
    pub branches: Vec<i32>,
}

/// Response rate of a group of municipalities.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Rate {
    /// Group key (county number, size class or branch code).
    pub key: String,
    /// Municipalities in the group (for branches: submitted responses).
    pub total: usize,
    /// Municipalities with at least one submitted response (for branches: the same).
    pub answered: usize,
    /// answered / total, in percent.
    pub percent: f64,
}

/// The round's response-rate dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RoundStatus {
    /// Survey id.
    pub survey_id: String,
    /// Municipalities in the round's registry.
    pub municipalities: usize,
    /// Municipalities with at least one submitted response.
    pub answered: usize,
    /// By county.
    pub by_county: Vec<Rate>,
    /// By size class.
    pub by_size_class: Vec<Rate>,
    /// Submitted responses by branch (gate answer).
    pub by_branch: Vec<Rate>,
    /// Every municipality, those without a submitted response first.
    pub status: Vec<MunicipalityStatus>,
}

/// Computes the dashboard of a round from invitations and responses.
pub async fn round_status(db: &DatabaseConnection, survey_id: &str) -> Result<RoundStatus, Error> {
    let r = round::find(db, survey_id).await?;
    let registry = places::load(db, r.registry_year).await?;
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::RoundId.eq(r.id))
        .all(db)
        .await?;
    let responses = response::Entity::find()
        .filter(response::Column::RoundId.eq(r.id))
        .all(db)
        .await?;
    let mut status: Vec<MunicipalityStatus> = registry
        .municipalities
        .iter()
        .map(|m| MunicipalityStatus {
            number: m.number.clone(),
            name: m.name.clone(),
            county: m.county.clone(),
            size_class: format!("{:?}", m.size_class).to_lowercase(),
            invited: invitations
                .iter()
                .filter(|i| i.municipality_number == m.number)
                .count(),
            drafts: responses
                .iter()
                .filter(|x| x.municipality_number == m.number && x.status != "submitted")
                .count(),
            submitted: responses
                .iter()
                .filter(|x| x.municipality_number == m.number && x.status == "submitted")
                .count(),
            branches: responses
                .iter()
                .filter(|x| x.municipality_number == m.number && x.status == "submitted")
                .filter_map(|x| x.branch)
                .collect(),
        })
        .collect();
    status.sort_by_key(|s| (s.submitted > 0, s.number.clone()));
    let rate = |key: String, group: Vec<&MunicipalityStatus>| {
        let answered = group.iter().filter(|s| s.submitted > 0).count();
        Rate {
            key,
            total: group.len(),
            answered,
            percent: if group.is_empty() {
                0.0
            } else {
                100.0 * answered as f64 / group.len() as f64
            },
        }
    };
    let keys = |f: fn(&MunicipalityStatus) -> String| -> BTreeSet<String> {
        status.iter().map(f).collect()
    };
    let by_county = keys(|s| s.county.clone())
        .into_iter()
        .map(|k| rate(k.clone(), status.iter().filter(|s| s.county == k).collect()))
        .collect();
    let by_size_class = ["small", "medium", "large"]
        .into_iter()
        .map(|k| {
            rate(
                k.to_owned(),
                status.iter().filter(|s| s.size_class == k).collect(),
            )
        })
        .collect();
    let submitted: Vec<i32> = status
        .iter()
        .flat_map(|s| s.branches.iter().copied())
        .collect();
    let by_branch = [1, 2, 3]
        .into_iter()
        .map(|b| {
            let n = submitted.iter().filter(|&&x| x == b).count();
            Rate {
                key: b.to_string(),
                total: submitted.len(),
                answered: n,
                percent: if submitted.is_empty() {
                    0.0
                } else {
                    100.0 * n as f64 / submitted.len() as f64
                },
            }
        })
        .collect();
    Ok(RoundStatus {
        survey_id: r.survey_id,
        municipalities: status.len(),
        answered: status.iter().filter(|s| s.submitted > 0).count(),
        by_county,
        by_size_class,
        by_branch,
        status,
    })
}

/// The status list as CSV (`;`-separated for Norwegian Excel), municipalities
/// without a submitted response first.
pub fn status_csv(s: &RoundStatus) -> Result<String, Error> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Config(format!("writing CSV: {e}"));
    w.write_record([
        "kommunenummer",
        "kommune",
        "fylke",
        "storrelse",
        "invitert",
        "utkast",
        "sendt_inn",
        "tjenestetyper",
    ])
    .map_err(fail)?;
    for m in &s.status {
        let branches: Vec<String> = m.branches.iter().map(i32::to_string).collect();
        w.write_record([
            m.number.clone(),
            m.name.clone(),
            m.county.clone(),
            m.size_class.clone(),
            m.invited.to_string(),
            m.drafts.to_string(),
            m.submitted.to_string(),
            branches.join(" "),
        ])
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Config(format!("writing CSV: {e}")))?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}

/// A wave with its delivery progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WaveProgress {
    /// Wave id.
    pub id: i32,
    /// Survey id of the round.
    pub survey_id: String,
    /// `invitation` or `reminder`.
    pub kind: String,
    /// Subject.
    pub subject: String,
    /// Who sent it.
    pub created_by: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// Mails by status (`pending`, `sending`, `sent`, `failed`).
    pub by_status: BTreeMap<String, usize>,
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
