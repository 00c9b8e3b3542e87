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
//! `sending`: whether the server kept that one message is unknown. It almost
//! certainly did not — the server only keeps a message once it has answered
//! the final `.`, and the row is marked `sent` right after that answer — so
//! the server's sender ([`spawn_sender`]) sends a row again once its claim is
//! older than any transaction can last (`--release-uncertain-after`), with
//! the same Message-ID so a receiving system can tell it is the same mail.
//! `omfang wave resume` does so only when asked (`--resend-uncertain`).
//! Eight SMTP transactions run at a time over lettre's connection pool: on
//! loopback each one waits about 40 ms on TCP acknowledgements (lettre does
//! not turn off Nagle's algorithm), so one at a time managed 23 mails/s.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;
use futures_util::StreamExt;
use lettre::message::Mailbox;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::QueryOrder;
use sea_orm::entity::prelude::*;

use crate::Error;
use crate::db::contacts::contact;
use crate::db::entity::invitation;
use crate::db::outreach::OutboxStatus::{Failed, Pending, Sending, Sent};
use crate::db::outreach::outbox;
use crate::domain::InvitationToken;
use crate::secret::{ServerSecret, opt_out_signature};

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

/// Sends mail for waves.
pub struct Mailer {
    transport: Transport,
    secret: ServerSecret,
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
        settings: &crate::config::MailSettings,
        secret: ServerSecret,
    ) -> Result<Mailer, Error> {
        let crate::config::MailSettings {
            smtp_url,
            mail_dir,
            from,
            base_url,
            per_minute,
            ..
        } = settings;
        let transport = match smtp_url.as_deref() {
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
            secret,
            from,
            base_url: base_url.trim_end_matches('/').to_owned(),
            interval: Duration::from_secs_f64(60.0 / f64::from((*per_minute).max(1))),
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
        progress: &mut (dyn FnMut(usize, usize) + Send),
    ) -> Result<Delivery, Error> {
        if resend_uncertain {
            outbox::Entity::update_many()
                .col_expr(outbox::Column::Status, Expr::value(Pending.as_str()))
                .filter(outbox::Column::WaveId.eq(wave_id))
                .filter(outbox::Column::Status.eq(Sending.as_str()))
                .exec(db)
                .await?;
        }
        let secret = self.secret.clone();
        let total = outbox::Entity::find()
            .filter(outbox::Column::WaveId.eq(wave_id))
            .count(db)
            .await? as usize;
        let mut done = outbox::Entity::find()
            .filter(outbox::Column::WaveId.eq(wave_id))
            .filter(outbox::Column::Status.is_in([Sent.as_str(), Failed.as_str()]))
            .count(db)
            .await? as usize;
        progress(done, total);
        // Several SMTP transactions at once (lettre pools the connections):
        // one transaction waits on network round trips, not on this process.
        let next_slot = tokio::sync::Mutex::new(tokio::time::Instant::now());
        loop {
            let pending = outbox::Entity::find()
                .filter(outbox::Column::WaveId.eq(wave_id))
                .filter(outbox::Column::Status.eq(Pending.as_str()))
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
            let due: Vec<outbox::Model> = pending
                .into_iter()
                .filter(|r| r.next_attempt_at <= now)
                .collect();
            let (slots, secret) = (&next_slot, &secret);
            let results: Vec<Result<bool, Error>> = futures_util::stream::iter(due)
                .map(|row| async move {
                    {
                        // Throttle: each send takes the next free slot.
                        let mut slot = slots.lock().await;
                        tokio::time::sleep_until(*slot).await;
                        *slot = tokio::time::Instant::now() + self.interval;
                    }
                    self.send_one(db, secret, &row).await
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
        secret: &ServerSecret,
        row: &outbox::Model,
    ) -> Result<bool, Error> {
        // Claim the row; another sender that got here first wins.
        // `next_attempt_at` of a `sending` row is when it was claimed.
        let claimed = outbox::Entity::update_many()
            .col_expr(outbox::Column::Status, Expr::value(Sending.as_str()))
            .col_expr(outbox::Column::Attempts, Expr::value(row.attempts + 1))
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(Utc::now()))
            .filter(outbox::Column::Id.eq(row.id))
            .filter(outbox::Column::Status.eq(Pending.as_str()))
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
        let token = InvitationToken::derive(secret.bytes(), &nonce);
        let link = format!("{}/svar/{}", self.base_url, token.expose());
        // The mail's link opens a page that asks; only its button (a POST)
        // opts out, so link scanners that fetch every link change nothing.
        // Mail programs get the RFC 8058 one-click address, which takes a POST.
        let signature = opt_out_signature(secret, row.contact_id);
        let opt_out = format!("{}/avmelding/{}/{signature}", self.base_url, row.contact_id);
        let one_click = format!(
            "<{}/api/optout/{}/{signature}>",
            self.base_url, row.contact_id
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
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                one_click,
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".into(),
            ))
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
                set.col_expr(outbox::Column::Status, Expr::value(Sent.as_str()))
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
                set.col_expr(outbox::Column::Status, Expr::value(Failed.as_str()))
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
                set.col_expr(outbox::Column::Status, Expr::value(Pending.as_str()))
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

/// Rows left in `sending` whose claim is older than `after` go back to
/// `pending` (their sender is gone). Returns how many.
pub async fn release_abandoned(db: &DatabaseConnection, after: Duration) -> Result<u64, Error> {
    let before = Utc::now() - chrono::Duration::from_std(after).unwrap_or_default();
    let released = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(Pending.as_str()))
        .filter(outbox::Column::Status.eq(Sending.as_str()))
        .filter(outbox::Column::NextAttemptAt.lt(before))
        .exec(db)
        .await?
        .rows_affected;
    if released > 0 {
        tracing::warn!(
            released,
            "resending mails whose sender stopped mid-transaction"
        );
    }
    Ok(released)
}

/// Starts the server's sender: it finishes every wave with mail left —
/// at start (what a killed server left) and each time `wake` is notified
/// (a wave was composed). Errors are logged and retried a minute later;
/// the outbox keeps every row, so nothing is lost.
pub fn spawn_sender(
    db: DatabaseConnection,
    mailer: Mailer,
    release_after: Duration,
) -> std::sync::Arc<tokio::sync::Notify> {
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    let notified = wake.clone();
    tokio::spawn(async move {
        loop {
            let idle = match send_all(&db, &mailer, release_after).await {
                Ok(0) => Duration::from_secs(3600),
                // Rows still `sending` from a dead sender: look again when they may be released.
                Ok(_) => release_after.min(Duration::from_secs(60)) / 2,
                Err(e) => {
                    tracing::error!(error = %e, "the wave sender failed; retrying in a minute");
                    Duration::from_secs(60)
                }
            };
            let _ = tokio::time::timeout(idle, notified.notified()).await;
        }
    });
    wake
}

/// One pass of the server's sender; returns how many rows are still `sending`.
async fn send_all(
    db: &DatabaseConnection,
    mailer: &Mailer,
    release_after: Duration,
) -> Result<usize, Error> {
    release_abandoned(db, release_after).await?;
    use sea_orm::QuerySelect;
    let waves: Vec<i32> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::WaveId)
        .distinct()
        .filter(outbox::Column::Status.eq(Pending.as_str()))
        .order_by_asc(outbox::Column::WaveId)
        .into_tuple()
        .all(db)
        .await?;
    for wave in waves {
        let d = mailer.deliver(db, wave, false, &mut |_, _| {}).await?;
        tracing::info!(wave, by_status = ?d.by_status, "wave delivered");
    }
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Status.eq(Sending.as_str()))
        .count(db)
        .await? as usize)
}
