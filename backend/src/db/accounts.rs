//! Accounts (administrators and researchers), their sessions and the
//! audit trail. Passwords are stored only as argon2id hashes (PHC strings);
//! session ids only as SHA-256.

use chrono::Utc;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};
use serde::Serialize;

use crate::Error;

/// Account rows.
pub mod app_user {
    use sea_orm::entity::prelude::*;

    /// An account.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "app_user")]
    pub struct Model {
        /// Row id.
        #[sea_orm(primary_key)]
        pub id: i32,
        /// Login e-mail, lower case.
        #[sea_orm(unique)]
        pub email: String,
        /// `admin` or `researcher`.
        pub role: String,
        /// argon2id PHC string.
        pub password_hash: String,
        /// Deactivated accounts cannot log in.
        pub active: bool,
        /// Created.
        pub created_at: DateTimeUtc,
        /// Last password change.
        pub password_changed_at: DateTimeUtc,
    }

    /// No relations declared.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Session rows (see [`crate::http::auth::DbSessionStore`]).
pub mod session {
    use sea_orm::entity::prelude::*;

    /// A server-side session.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "session")]
    pub struct Model {
        /// SHA-256 of the session id, hex.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id_sha256: String,
        /// The session's data as JSON.
        #[sea_orm(column_type = "Text")]
        pub data: String,
        /// Expiry.
        pub expires_at: DateTimeUtc,
    }

    /// No relations declared.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Audit rows.
pub mod audit_log {
    use sea_orm::entity::prelude::*;

    /// One audited event.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        /// Row id (orders events).
        #[sea_orm(primary_key)]
        pub id: i32,
        /// When.
        pub at: DateTimeUtc,
        /// Who: an account's e-mail, `cli:<name>` or `anonymous`.
        pub actor: String,
        /// What (`login`, `login_failed`, `export`, …).
        pub action: String,
        /// Details.
        #[sea_orm(column_type = "Text")]
        pub detail: String,
    }

    /// No relations declared.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads and analyses the data.
    Researcher,
    /// Everything a researcher does, and administration.
    Admin,
}

impl Role {
    /// Parses `admin` or `researcher`.
    pub fn parse(text: &str) -> Result<Role, Error> {
        match text {
            "admin" => Ok(Role::Admin),
            "researcher" => Ok(Role::Researcher),
            other => Err(Error::BadRequest(format!(
                "unknown role `{other}` (admin or researcher)"
            ))),
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Researcher => "researcher",
        }
    }
}

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

/// An argon2id hash (PHC string with its own random salt).
pub fn hash_password(password: &str) -> Result<String, Error> {
    use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Config(format!("hashing a password failed: {e}")))
}

fn verify_password(password: &str, phc: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(phc)
        .map(|h| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

fn check_new_password(password: &str, email: &str) -> Result<(), Error> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(Error::BadRequest(format!(
            "the password must have at least {MIN_PASSWORD} characters"
        )));
    }
    // zxcvbn's estimate: score 3 ("safely unguessable") or better; the
    // e-mail address counts as a word an attacker would try.
    let estimate = zxcvbn::zxcvbn(password, &[email]);
    if estimate.score() < zxcvbn::Score::Three {
        let hint = estimate
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        return Err(Error::BadRequest(format!(
            "the password is too easy to guess{hint}; use a longer passphrase"
        )));
    }
    Ok(())
}

/// Creates an account; the e-mail must be new.
pub async fn add_user(
    db: &DatabaseConnection,
    email: &crate::domain::EmailAddress,
    role: Role,
    password: &str,
) -> Result<app_user::Model, Error> {
    check_new_password(password, email.as_str())?;
    let email = email.as_str().to_lowercase();
    if app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .is_some()
    {
        return Err(Error::BadRequest(format!("an account for {email} exists")));
    }
    let now = Utc::now();
    Ok(app_user::ActiveModel {
        email: Set(email),
        role: Set(role.as_str().to_owned()),
        password_hash: Set(hash_password(password)?),
        active: Set(true),
        created_at: Set(now),
        password_changed_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The active account with this e-mail and password, if both match.
/// Unknown e-mails cost the same hashing time as wrong passwords.
pub async fn authenticate(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
) -> Result<Option<app_user::Model>, Error> {
    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?;
    let (hash, user) = match user {
        Some(u) if u.active => (u.password_hash.clone(), Some(u)),
        _ => (dummy_hash().to_owned(), None),
    };
    let ok = tokio::task::spawn_blocking({
        let password = password.to_owned();
        move || verify_password(&password, &hash)
    })
    .await
    .unwrap_or(false);
    Ok(user.filter(|_| ok))
}

/// A hash of a random password, verified against for unknown e-mails so
/// response times do not reveal which accounts exist.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("no account has this password").unwrap_or_default())
}

/// An account by id, if active.
pub async fn user(db: &DatabaseConnection, id: i32) -> Result<Option<app_user::Model>, Error> {
    Ok(app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|u| u.active))
}

/// All accounts, without their hashes.
pub async fn users(db: &DatabaseConnection) -> Result<Vec<app_user::Model>, Error> {
    Ok(app_user::Entity::find()
        .order_by_asc(app_user::Column::Email)
        .all(db)
        .await?)
}

/// Changes a password after checking the current one.
pub async fn change_password(
    db: &DatabaseConnection,
    user: &app_user::Model,
    current: &str,
    new: &str,
) -> Result<(), Error> {
    if authenticate(db, &user.email, current).await?.is_none() {
        return Err(Error::BadRequest("the current password is wrong".into()));
    }
    check_new_password(new, &user.email)?;
    let mut row: app_user::ActiveModel = user.clone().into();
    row.password_hash = Set(hash_password(new)?);
    row.password_changed_at = Set(Utc::now());
    row.update(db).await?;
    Ok(())
}

/// Appends an event to the audit trail.
pub async fn audit(
    db: &impl ConnectionTrait,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<(), Error> {
    audit_log::ActiveModel {
        at: Set(Utc::now()),
        actor: Set(actor.to_owned()),
        action: Set(action.to_owned()),
        detail: Set(detail.to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The newest `limit` audit events, newest first.
pub async fn audit_trail(
    db: &DatabaseConnection,
    limit: u64,
) -> Result<Vec<audit_log::Model>, Error> {
    Ok(audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
