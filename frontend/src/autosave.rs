//! Autosave: debounced whole-set saves with the version they are based on,
//! retry after a network drop, conflict handling, and unsaved edits kept in
//! `localStorage` across reloads.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use survey_definitions::{Answer, AnswerSet};

use crate::api::{self, WriteError};
use crate::app::Ctx;
use crate::journey::clock;

/// What the save line says.
#[derive(Clone, PartialEq)]
pub enum SaveStatus {
    /// Nothing changed yet.
    Idle,
    /// A save is under way.
    Saving,
    /// Saved, at this local time.
    Saved(String),
    /// The last save did not get through; trying again.
    Retrying,
    /// Someone else saved first; this message says what the page now shows.
    Conflict(String),
    /// The server refused the save, with its message.
    Problem(String),
}

/// Unsaved edits kept in `localStorage`, with the version they are based on.
#[derive(Serialize, Deserialize)]
pub struct Pending {
    /// The server version the edits start from.
    pub version: i64,
    /// The edited answers.
    pub answers: AnswerSet,
}

/// The browser's `localStorage`, if available.
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The `localStorage` key of a response's unsaved edits.
pub fn pending_key(id: i32) -> String {
    format!("omfang:utkast:{id}")
}

/// Handles the autosave machinery needs; all cheap to copy.
#[derive(Clone, Copy)]
pub struct Saver {
    /// The personal link's token.
    pub token: StoredValue<String>,
    /// The response being answered.
    pub id: i32,
    /// The answers on the page.
    pub answers: RwSignal<AnswerSet>,
    /// The page's engine context (its report decides what is sendable).
    pub ctx: Ctx,
    /// The server version the page's answers are based on.
    pub version: StoredValue<i64>,
    /// What the server last acknowledged.
    pub saved: StoredValue<AnswerSet>,
    /// What the save line shows.
    pub status: RwSignal<SaveStatus>,
    /// Whether a save request is under way.
    pub in_flight: StoredValue<bool>,
    /// The pending debounce timer.
    pub timer: StoredValue<Option<TimeoutHandle>>,
}

impl Saver {
    /// What to send: the local answers, except that an answer the engine
    /// rejects is replaced by the last saved one (or left out).
    pub fn payload(&self) -> (BTreeMap<String, Answer>, BTreeSet<String>) {
        let local = self.answers.get_untracked();
        let saved = self.saved.get_value();
        let report = self.ctx.report.get_untracked();
        let mut values = BTreeMap::new();
        for (id, v) in &local.values {
            let bad = report.items.get(id).is_some_and(|r| !r.errors.is_empty());
            match (bad, saved.values.get(id)) {
                (false, _) => {
                    values.insert(id.clone(), v.clone());
                }
                (true, Some(old)) => {
                    values.insert(id.clone(), old.clone());
                }
                (true, None) => {}
            }
        }
        (values, local.confirmed)
    }

    pub fn dirty(&self) -> bool {
        let (values, confirmed) = self.payload();
        let saved = self.saved.get_value();
        values != saved.values || confirmed != saved.confirmed
    }

    pub fn schedule(self, ms: u64) {
        if let Some(h) = self.timer.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(move || self.save(), Duration::from_millis(ms)).ok();
        self.timer.set_value(handle);
    }

    pub fn keep_locally(&self) {
        if let Some(s) = storage() {
            let p = Pending {
                version: self.version.get_value(),
                answers: self.answers.get_untracked(),
            };
            if let Ok(json) = serde_json::to_string(&p) {
                let _ = s.set_item(&pending_key(self.id), &json);
            }
        }
    }

    pub fn forget_locally(&self) {
        if let Some(s) = storage() {
            let _ = s.remove_item(&pending_key(self.id));
        }
    }

    pub fn save(self) {
        if self.in_flight.get_value() {
            self.schedule(300);
            return;
        }
        if !self.dirty() {
            self.forget_locally();
            return;
        }
        let (values, confirmed) = self.payload();
        self.in_flight.set_value(true);
        self.status.set(SaveStatus::Saving);
        spawn_local(async move {
            let result = api::save(
                &self.token.get_value(),
                self.id,
                self.version.get_value(),
                &values,
                &confirmed,
            )
            .await;
            self.in_flight.set_value(false);
            match result {
                Ok(state) => {
                    self.version.set_value(state.version);
                    self.saved.set_value(state.answers);
                    self.status.set(SaveStatus::Saved(clock(None)));
                    if self.dirty() {
                        self.schedule(300)
                    } else {
                        self.forget_locally()
                    }
                }
                Err(WriteError::Conflict(message, current)) => {
                    self.version.set_value(current.version);
                    self.saved.set_value(current.answers.clone());
                    self.forget_locally();
                    self.answers.set(current.answers);
                    self.status.set(SaveStatus::Conflict(message));
                }
                Err(WriteError::Network) => {
                    self.status.set(SaveStatus::Retrying);
                    self.schedule(3000);
                }
                Err(WriteError::Invalid(message)) | Err(WriteError::Other(message)) => {
                    self.status.set(SaveStatus::Problem(message))
                }
            }
        });
    }
}
