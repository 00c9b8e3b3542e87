//! Contacts per municipality: central mailboxes and named service contacts,
//! imported from CSV (all rows or none; merged by municipality and e-mail),
//! edited, deactivated, opted out through the link in every mail.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, TransactionTrait};
use serde::Deserialize;

use super::places;
use crate::Error;
use crate::domain::{EmailAddress, MunicipalityNumber};
pub use api::admin::{ContactEdit, ContactView};

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
                errors.push(format!("linje {line}: raden kan ikke leses ({e})"));
                continue;
            }
        };
        let mut problems = Vec::new();
        let number = MunicipalityNumber::parse(row.municipality_number.trim())
            .map(|m| m.as_str().to_owned());
        match &number {
            Ok(n) if !known.contains(n.as_str()) => {
                problems.push(format!("ukjent kommunenummer {n}"))
            }
            Ok(_) => {}
            Err(_) => problems.push(format!(
                "kommunenummeret {:?} har ikke fire sifre",
                row.municipality_number
            )),
        }
        let email = EmailAddress::parse(row.email.trim());
        if email.is_err() {
            problems.push(format!("ugyldig e-postadresse {:?}", row.email));
        }
        if !KINDS.contains(&row.kind.trim()) {
            problems.push(format!(
                "typen {:?} er verken postmottak eller tjeneste",
                row.kind
            ));
        }
        let district = row.district_number.trim();
        if !district.is_empty() {
            match (districts.get(district), &number) {
                (Some(m), Ok(n)) if m == n => {}
                _ => problems.push(format!(
                    "bydel {district} hører ikke til kommune {}",
                    row.municipality_number.trim()
                )),
            }
        }
        if !problems.is_empty() {
            errors.push(format!("linje {line}: {}", problems.join("; ")));
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

/// Every contact, by municipality number.
pub async fn contacts(db: &DatabaseConnection) -> Result<Vec<ContactView>, Error> {
    let names = municipality_names(db).await?;
    Ok(contact::Entity::find()
        .order_by_asc(contact::Column::MunicipalityNumber)
        .order_by_asc(contact::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| view(c, &names))
        .collect())
}

/// Municipality number → name, from the shipped population year's registry.
async fn municipality_names(db: &DatabaseConnection) -> Result<BTreeMap<String, String>, Error> {
    Ok(places::load(db, crate::registry::POPULATION_YEAR)
        .await?
        .municipalities
        .into_iter()
        .map(|m| (m.number, m.name))
        .collect())
}

fn view(c: contact::Model, names: &BTreeMap<String, String>) -> ContactView {
    ContactView {
        municipality: names
            .get(&c.municipality_number)
            .cloned()
            .unwrap_or_default(),
        id: c.id,
        municipality_number: c.municipality_number,
        district_number: c.district_number,
        kind: c.kind,
        name: c.name,
        email: c.email,
        active: c.active,
        opted_out: c.opted_out,
        bounce_reason: c.bounce_reason,
    }
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
    Ok(view(saved, &municipality_names(db).await?))
}

/// One contact.
pub async fn find(db: &DatabaseConnection, contact_id: i32) -> Result<contact::Model, Error> {
    contact::Entity::find_by_id(contact_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("contact".into()))
}

/// Marks a contact opted out (the opt-out page's button, or one click).
pub async fn opt_out(db: &DatabaseConnection, contact_id: i32) -> Result<contact::Model, Error> {
    let c = find(db, contact_id).await?;
    let mut a: contact::ActiveModel = c.into();
    a.opted_out = Set(true);
    a.updated_at = Set(Utc::now());
    let c = a.update(db).await?;
    super::accounts::audit(db, &c.email, "opted_out", &c.municipality_number).await?;
    Ok(c)
}
