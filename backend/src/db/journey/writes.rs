//! An autosave's writes in one database call: bump the response's version
//! if it is still a draft at the version the client edited, and write the
//! answers that changed. A stale version writes nothing.
//!
//! One call, because sqlx runs SQLite on a thread of its own and every
//! statement is a round trip to it: a profile of the autosave benchmark
//! showed more than half the server's time in those thread switches. Both
//! forms bind their values like any statement; the journey tests run both.
//!
//! Answers to personal items (name, position) go to `personal_answer`,
//! apart from the answers, and are not logged: the answer log is kept for
//! good, and personal data must be erasable and purgeable.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value};
use survey_definitions::Answer;

use super::DRAFT;
use crate::Error;

/// One autosave: the response moves from `version` to `version + 1` and
/// the answers that differ between `old` and `new` are written.
pub(super) struct Write<'a> {
    pub response_id: i32,
    pub invitation_id: i32,
    pub version: i64,
    pub branch: Option<i32>,
    pub confirmed: &'a str,
    pub now: chrono::DateTime<Utc>,
    pub old: &'a BTreeMap<String, Answer>,
    pub new: &'a BTreeMap<String, Answer>,
    pub is_personal: &'a (dyn Fn(&str) -> bool + Sync),
}

/// One answer that changed.
struct Change<'a> {
    item: &'a str,
    /// Canonical JSON of the new answer; `None` when it was removed.
    json: Option<String>,
    /// Goes to `personal_answer` and is not logged.
    personal: bool,
}

impl Write<'_> {
    fn changes(&self) -> Vec<Change<'_>> {
        let ids: BTreeSet<&String> = self.old.keys().chain(self.new.keys()).collect();
        ids.into_iter()
            .filter(|id| self.old.get(*id) != self.new.get(*id))
            .map(|id| Change {
                item: id,
                json: self
                    .new
                    .get(id)
                    .map(|a| serde_json::to_string(a).unwrap_or_else(|_| "null".into())),
                personal: (self.is_personal)(id),
            })
            .collect()
    }
}

impl Change<'_> {
    fn table(&self) -> &'static str {
        if self.personal {
            "personal_answer"
        } else {
            "answer"
        }
    }
}

/// Applies the writes; false when the version was stale (nothing written).
pub(super) async fn apply(db: &DatabaseConnection, w: &Write<'_>) -> Result<bool, Error> {
    match db.get_database_backend() {
        DbBackend::Sqlite => sqlite(db, w).await,
        _ => postgres(db, w).await,
    }
}

/// PostgreSQL: one statement of data-modifying CTEs that all hang off the
/// conditional update's `RETURNING id`; atomic without BEGIN/COMMIT.
async fn postgres(db: &DatabaseConnection, w: &Write<'_>) -> Result<bool, Error> {
    let mut values: Vec<Value> = Vec::new();
    let mut arg = |v: Value| {
        values.push(v);
        format!("${}", values.len())
    };
    let mut sql = format!(
        "WITH bumped AS (UPDATE response SET version = {}, updated_at = {}, branch = {}, confirmed = {} \
         WHERE id = {} AND invitation_id = {} AND version = {} AND status = {} RETURNING id)",
        arg((w.version + 1).into()),
        arg(w.now.into()),
        arg(w.branch.into()),
        arg(w.confirmed.into()),
        arg(w.response_id.into()),
        arg(w.invitation_id.into()),
        arg(w.version.into()),
        arg(DRAFT.into()),
    );
    for (n, c) in w.changes().into_iter().enumerate() {
        let table = c.table();
        let item = arg(c.item.into());
        match &c.json {
            Some(value) => sql.push_str(&format!(
                ", w{n} AS (INSERT INTO {table} (response_id, item_id, value, updated_at) \
                 SELECT id, {item}, {}, {} FROM bumped \
                 ON CONFLICT (response_id, item_id) DO UPDATE \
                 SET value = excluded.value, updated_at = excluded.updated_at)",
                arg(value.as_str().into()),
                arg(w.now.into()),
            )),
            None => sql.push_str(&format!(
                ", w{n} AS (DELETE FROM {table} WHERE response_id IN (SELECT id FROM bumped) \
                 AND item_id = {item})"
            )),
        }
        if !c.personal {
            sql.push_str(&format!(
                ", l{n} AS (INSERT INTO answer_log (response_id, item_id, value, version, at) \
                 SELECT id, {item}, {}, {}, {} FROM bumped)",
                arg(c.json.clone().into()),
                arg((w.version + 1).into()),
                arg(w.now.into()),
            ));
        }
    }
    sql.push_str(" SELECT count(*) FROM bumped");
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            values,
        ))
        .await?
        .ok_or_else(|| Error::Config("the save statement returned no row".into()))?;
    let bumped: i64 = row.try_get_by_index(0)?;
    Ok(bumped == 1)
}

/// SQLite: one script in one call; the statements after the version check
/// run only if it updated the row (its `changes()` is kept in a temporary
/// table).
async fn sqlite(db: &DatabaseConnection, w: &Write<'_>) -> Result<bool, Error> {
    const GUARD: &str = "(SELECT ok FROM temp.save_guard) = 1";
    let mut sql = String::from(
        "CREATE TEMP TABLE IF NOT EXISTS save_guard (ok INTEGER NOT NULL);\n\
         DELETE FROM temp.save_guard;\n\
         BEGIN IMMEDIATE;\n\
         UPDATE response SET version = ?, updated_at = ?, branch = ?, confirmed = ? \
         WHERE id = ? AND invitation_id = ? AND version = ? AND status = ?;\n\
         INSERT INTO temp.save_guard (ok) SELECT changes();\n",
    );
    let mut values: Vec<Value> = vec![
        (w.version + 1).into(),
        w.now.into(),
        w.branch.into(),
        w.confirmed.into(),
        w.response_id.into(),
        w.invitation_id.into(),
        w.version.into(),
        DRAFT.into(),
    ];
    for c in w.changes() {
        let table = c.table();
        match &c.json {
            Some(value) => {
                sql.push_str(&format!(
                    "INSERT INTO {table} (response_id, item_id, value, updated_at) \
                     SELECT ?, ?, ?, ? WHERE {GUARD} \
                     ON CONFLICT (response_id, item_id) DO UPDATE \
                     SET value = excluded.value, updated_at = excluded.updated_at;\n"
                ));
                values.extend([
                    w.response_id.into(),
                    c.item.into(),
                    value.as_str().into(),
                    w.now.into(),
                ]);
            }
            None => {
                sql.push_str(&format!(
                    "DELETE FROM {table} WHERE response_id = ? AND item_id = ? AND {GUARD};\n"
                ));
                values.extend([w.response_id.into(), c.item.into()]);
            }
        }
        if !c.personal {
            sql.push_str(&format!(
                "INSERT INTO answer_log (response_id, item_id, value, version, at) \
                 SELECT ?, ?, ?, ?, ? WHERE {GUARD};\n"
            ));
            values.extend([
                w.response_id.into(),
                c.item.into(),
                c.json.clone().into(),
                (w.version + 1).into(),
                w.now.into(),
            ]);
        }
    }
    sql.push_str("SELECT ok FROM temp.save_guard;\nCOMMIT;");
    let run = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            values,
        ))
        .await;
    let rows = match run {
        Ok(rows) => rows,
        Err(e) => {
            // A failed statement leaves the transaction open on the one connection.
            let _ = db.execute_unprepared("ROLLBACK").await;
            return Err(e.into());
        }
    };
    let ok: i64 = rows
        .first()
        .and_then(|r| r.try_get_by_index(0).ok())
        .ok_or_else(|| Error::Config("the save script returned no guard row".into()))?;
    Ok(ok == 1)
}
