//! The last state each response was saved in, so an autosave can skip
//! the reads before its transaction.

use std::collections::{BTreeMap, HashMap};

use survey_definitions::Answer;

use super::DRAFT;
use crate::db::entity::response;

/// The last state each response was saved in, keyed by response id. A
/// snapshot is trusted only when its version equals the version a client
/// edited: every write bumps the version, so a version names exactly one
/// answer set, and the conditional update still rejects a stale version.
/// It spares an autosave the two reads before its transaction. Bounded:
/// cleared when it grows past [`SnapshotCache::LIMIT`] entries.
#[derive(Debug, Default)]
pub struct SnapshotCache(std::sync::Mutex<HashMap<i32, Snapshot>>);

#[derive(Debug, Clone)]
pub(super) struct Snapshot {
    pub(super) response: response::Model,
    pub(super) answers: BTreeMap<String, Answer>,
}

impl SnapshotCache {
    /// Most responses kept.
    pub const LIMIT: usize = 20_000;

    pub(super) fn get(&self, id: i32, version: i64, invitation: i32) -> Option<Snapshot> {
        let map = self.0.lock().ok()?;
        map.get(&id)
            .filter(|s| {
                s.response.version == version
                    && s.response.invitation_id == invitation
                    && s.response.status == DRAFT
            })
            .cloned()
    }

    pub(super) fn put(&self, snapshot: Snapshot) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= Self::LIMIT {
                map.clear();
            }
            map.insert(snapshot.response.id, snapshot);
        }
    }

    /// Forgets a response (after a write that did not go through `save`).
    pub fn forget(&self, id: i32) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(&id);
        }
    }
}
