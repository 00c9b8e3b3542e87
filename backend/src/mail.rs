//! Delivering a wave's outbox with lettre: SMTP (plain on loopback,
//! STARTTLS or TLS with credentials, from an `smtp://`/`smtps://` URL) or,
//! offline, lettre's file transport.
//!
//! Exactly once: a row moves `pending → sending` (committed) before the SMTP
//! transaction and `sending → sent` after the server accepted it. Failures
//! the server reports as temporary (4xx) or a server that cannot be reached
//! put the row back to `pending` with a growing delay, so an outage delays
//! mail but loses none and sends none twice; permanent failures (5xx) mark
//! the row `failed` and record a bounce on the contact, who gets no more
//! mail. A process killed inside an SMTP transaction leaves its row in
//! `sending`: whether the server kept that one message is unknown, so it is
//! reported as uncertain and resent only when asked (`--resend-uncertain`).
//! Eight SMTP transactions run at a time over lettre's connection pool: on
//! loopback each one waits about 40 ms on TCP acknowledgements (lettre does
//! not turn off Nagle's algorithm), so one at a time managed 23 mails/s.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;
use futures_util::StreamExt;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::QueryOrder;
use sea_orm::entity::prelude::*;

use crate::Error;
use crate::db::entity::invitation;
use crate::db::outreach::{contact, outbox};
use crate::domain::InvitationToken;

/// The server's secret (32 random bytes, hex, in `OMFANG_SECRET_FILE`,
/// default `omfang.key`; created on first use, readable by the owner only).
/// Invitation tokens of waves and opt-out links are derived from it.
pub fn secret() -> Result<Vec<u8>, Error> {
    static SECRET: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    if let Some(s) = SECRET.get() {
        return Ok(s.clone());
    }
    let path = std::env::var("OMFANG_SECRET_FILE").unwrap_or_else(|_| "omfang.key".into());
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes)
                .map_err(|e| Error::Config(format!("no random source: {e}")))?;
            let text = hex::encode(bytes);
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            use std::io::Write;
            options
                .open(&path)
                .and_then(|mut f| f.write_all(text.as_bytes()))
                .map_err(Error::io(format!("creating the secret {path}")))?;
            text
        }
        Err(e) => return Err(Error::io(format!("reading the secret {path}"))(e)),
    };
    let bytes = hex::decode(text.trim())
        .map_err(|e| Error::Config(format!("the secret in {path} is not hex: {e}")))?;
    if bytes.len() < 32 {
        return Err(Error::Config(format!(
            "the secret in {path} is shorter than 32 bytes"
        )));
    }
    Ok(SECRET.get_or_init(|| bytes).clone())
}

/// The signature of a contact's opt-out link.
pub fn opt_out_signature(secret: &[u8], contact_id: i32) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(format!("optout:{contact_id}").as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

/// Sends mail for waves.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    base_url: String,
    interval: Duration,
    max_attempts: i32,
    connections: usize,
}

/// How a sending run ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivery {
    /// Rows by status after the run.
    pub by_status: BTreeMap<String, usize>,
}

impl Mailer {
    /// A mailer: `smtp_url` (`smtp://host:port`, `smtp://user:pass@host?tls=required`,
    /// `smtps://…`) or, without one, `.eml` files in `mail_dir`.
    pub fn new(
        smtp_url: Option<&str>,
        mail_dir: &std::path::Path,
        from: &str,
        base_url: &str,
        per_minute: u32,
    ) -> Result<Mailer, Error> {
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| Error::Config(format!("SMTP URL {url:?}: {e}")))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ),
            None => {
                std::fs::create_dir_all(mail_dir)
                    .map_err(Error::io(format!("creating {}", mail_dir.display())))?;
                Transport::File(AsyncFileTransport::<Tokio1Executor>::new(mail_dir))
            }
        };
        let from: Mailbox = from
            .parse()
            .map_err(|e| Error::Config(format!("sender {from:?}: {e}")))?;
        Ok(Mailer {
            transport,
            from,
            base_url: base_url.trim_end_matches('/').to_owned(),
            interval: Duration::from_secs_f64(60.0 / f64::from(per_minute.max(1))),
            max_attempts: 12,
            connections: 8,
        })
    }

    /// Delivers every pending row of a wave, waiting out temporary failures;
    /// `progress(sent_or_failed, total)` after each row. With
    /// `resend_uncertain`, rows left in `sending` by a killed run go again.
    pub async fn deliver(
        &self,
        db: &DatabaseConnection,
        wave_id: i32,
        resend_uncertain: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Delivery, Error> {
        if resend_uncertain {
            outbox::Entity::update_many()
                .col_expr(outbox::Column::Status, Expr::value("pending"))
                .filter(outbox::Column::WaveId.eq(wave_id))
                .filter(outbox::Column::Status.eq("sending"))
                .exec(db)
                .await?;
        }
        let secret = secret()?;
        let total = outbox::Entity::find()
            .filter(outbox::Column::WaveId.eq(wave_id))
            .count(db)
            .await? as usize;
        let mut done = outbox::Entity::find()
            .filter(outbox::Column::WaveId.eq(wave_id))
            .filter(outbox::Column::Status.is_in(["sent", "failed"]))
            .count(db)
            .await? as usize;
        progress(done, total);
        // Several SMTP transactions at once (lettre pools the connections):
        // one transaction waits on network round trips, not on this process.
        let next_slot = tokio::sync::Mutex::new(tokio::time::Instant::now());
        loop {
            let pending = outbox::Entity::find()
                .filter(outbox::Column::WaveId.eq(wave_id))
                .filter(outbox::Column::Status.eq("pending"))
                .order_by_asc(outbox::Column::NextAttemptAt)
                .order_by_asc(outbox::Column::Id)
                .all(db)
                .await?;
            let Some(first) = pending.first() else { break };
            let now = Utc::now();
            if first.next_attempt_at > now {
                let wait = (first.next_attempt_at - now).to_std().unwrap_or_default();
                tokio::time::sleep(wait).await;
                continue;
            }
            let due: Vec<&outbox::Model> = pending
                .iter()
                .filter(|r| r.next_attempt_at <= now)
                .collect();
            let results: Vec<Result<bool, Error>> = futures_util::stream::iter(due)
                .map(|row| async {
                    {
                        // Throttle: each send takes the next free slot.
                        let mut slot = next_slot.lock().await;
                        tokio::time::sleep_until(*slot).await;
                        *slot = tokio::time::Instant::now() + self.interval;
                    }
                    self.send_one(db, &secret, row).await
                })
                .buffer_unordered(self.connections)
                .inspect(|r| {
                    if matches!(r, Ok(true)) {
                        done += 1;
                        progress(done, total);
                    }
                })
                .collect()
                .await;
            for r in results {
                r?;
            }
        }
        Ok(Delivery {
            by_status: crate::db::outreach::progress(db, wave_id).await?,
        })
    }

    /// Sends one row; true when it ended (sent or failed), false when it
    /// waits for another attempt or another sender had claimed it.
    async fn send_one(
        &self,
        db: &DatabaseConnection,
        secret: &[u8],
        row: &outbox::Model,
    ) -> Result<bool, Error> {
        // Claim the row; another sender that got here first wins.
        let claimed = outbox::Entity::update_many()
            .col_expr(outbox::Column::Status, Expr::value("sending"))
            .col_expr(outbox::Column::Attempts, Expr::value(row.attempts + 1))
            .filter(outbox::Column::Id.eq(row.id))
            .filter(outbox::Column::Status.eq("pending"))
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            return Ok(false);
        }
        let invitation = invitation::Entity::find_by_id(row.invitation_id)
            .one(db)
            .await?
            .ok_or_else(|| Error::NotFound(format!("invitation {}", row.invitation_id)))?;
        let nonce = invitation.token_nonce.ok_or_else(|| {
            Error::Config(format!(
                "invitation {} has no token nonce",
                row.invitation_id
            ))
        })?;
        let token = InvitationToken::derive(secret, &nonce);
        let link = format!("{}/svar/{}", self.base_url, token.expose());
        let opt_out = format!(
            "{}/api/optout/{}/{}",
            self.base_url,
            row.contact_id,
            opt_out_signature(secret, row.contact_id)
        );
        let body = row
            .body
            .replace("{lenke}", &link)
            .replace("{avmelding}", &opt_out);
        let to: Mailbox = row
            .to_email
            .parse()
            .map_err(|e| Error::Config(format!("recipient {:?}: {e}", row.to_email)))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(row.subject.clone())
            .message_id(Some(format!("<omfang-{}-{}@omfang>", row.wave_id, row.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| Error::Config(format!("building mail {}: {e}", row.id)))?;
        let sent = match &self.transport {
            Transport::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| {
                let permanent = e.is_permanent();
                (permanent, e.to_string())
            }),
            Transport::File(t) => t
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| (false, e.to_string())),
        };
        let now = Utc::now();
        let set = outbox::Entity::update_many().filter(outbox::Column::Id.eq(row.id));
        let ended = match sent {
            Ok(()) => {
                set.col_expr(outbox::Column::Status, Expr::value("sent"))
                    .col_expr(outbox::Column::SentAt, Expr::value(Some(now)))
                    .col_expr(
                        outbox::Column::LastError,
                        Expr::value(Option::<String>::None),
                    )
                    .exec(db)
                    .await?;
                true
            }
            Err((permanent, error)) if permanent || row.attempts + 1 >= self.max_attempts => {
                set.col_expr(outbox::Column::Status, Expr::value("failed"))
                    .col_expr(outbox::Column::LastError, Expr::value(Some(error.clone())))
                    .exec(db)
                    .await?;
                if permanent {
                    contact::Entity::update_many()
                        .col_expr(contact::Column::BounceReason, Expr::value(Some(error)))
                        .col_expr(contact::Column::UpdatedAt, Expr::value(now))
                        .filter(contact::Column::Id.eq(row.contact_id))
                        .exec(db)
                        .await?;
                }
                true
            }
            Err((_, error)) => {
                let delay = 2i64.pow(row.attempts.clamp(0, 5) as u32);
                tracing::warn!(row = row.id, %error, delay, "temporary mail failure; will retry");
                set.col_expr(outbox::Column::Status, Expr::value("pending"))
                    .col_expr(outbox::Column::LastError, Expr::value(Some(error)))
                    .col_expr(
                        outbox::Column::NextAttemptAt,
                        Expr::value(now + chrono::Duration::seconds(delay)),
                    )
                    .exec(db)
                    .await?;
                false
            }
        };
        Ok(ended)
    }
}
