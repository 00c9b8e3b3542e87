//! Autosave: debounced whole-set saves with the version they are based on,
//! retry after a network drop, conflict handling, and unsaved edits kept in
//! `localStorage` across reloads.
//!
//! The page and the server are compared through the engine's canonical
//! form (`canonicalize`): "6" typed and 6 saved are the same answer, so an
//! idle page sends nothing. After a save the page takes the server's
//! canonical values (except in the field being typed in). An answer the
//! engine rejects is not sent (the server keeps the last valid one), shows
//! as not saved, and is kept locally until corrected.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use survey_definitions::{Answer, AnswerSet, SurveyDefinition, canonicalize, normalize};

use crate::api::{self, ResponseState, WriteError};
use crate::format::clock;

/// What the save line says.
#[derive(Clone, PartialEq)]
pub enum SaveStatus {
    /// Nothing changed yet.
    Idle,
    /// A save is under way.
    Saving,
    /// Saved, at this local time.
    Saved(String),
    /// An answer the engine rejects is not saved: the item's number.
    Unsaved(String),
    /// The last save did not get through; trying again.
    Retrying,
    /// Someone else saved first; this message says what the page now shows.
    Conflict(String),
    /// The server refused the save, with its message.
    Problem(String),
}

/// Unsaved edits kept in `localStorage`, with the version they are based on.
#[derive(Serialize, Deserialize)]
struct Pending {
    version: i64,
    answers: AnswerSet,
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn pending_key(id: i32) -> String {
    format!("omfang:utkast:{id}")
}

/// What a page of a response opens with: the answers to show and a notice.
pub struct Restored {
    /// The answers the page starts from.
    pub answers: AnswerSet,
    /// Set when local edits could not be restored.
    pub notice: Option<String>,
}

/// Unsaved edits from before a reload come back if the server's version is
/// the one they were made on; if the server already holds them they are
/// simply dropped; if the response changed elsewhere since, the server's
/// answers win and the respondent is told.
pub fn restore(def: &SurveyDefinition, state: &ResponseState) -> Restored {
    let key = pending_key(state.id);
    let pending = storage()
        .and_then(|s| s.get_item(&key).ok().flatten())
        .and_then(|j| serde_json::from_str::<Pending>(&j).ok());
    let Some(p) = pending else {
        return Restored {
            answers: state.answers.clone(),
            notice: None,
        };
    };
    let (canon, rejected) = canonicalize(def, &p.answers.values);
    let same = rejected.is_empty()
        && canon == state.answers.values
        && p.answers.confirmed == state.answers.confirmed;
    if same || p.version == state.version {
        if same && let Some(s) = storage() {
            let _ = s.remove_item(&key);
        }
        let answers = if same {
            state.answers.clone()
        } else {
            p.answers
        };
        return Restored {
            answers,
            notice: None,
        };
    }
    if let Some(s) = storage() {
        let _ = s.remove_item(&key);
    }
    Restored {
        answers: state.answers.clone(),
        notice: Some("Du hadde endringer som ikke ble lagret, men svarene er endret et annet sted siden. Du ser de sist lagrede svarene.".to_owned()),
    }
}

/// Handles the autosave machinery needs; all cheap to copy.
#[derive(Clone, Copy)]
pub struct Saver {
    /// The personal link's token.
    pub token: StoredValue<String>,
    /// The response being answered; `None` until the first answer creates it.
    pub id: RwSignal<Option<i32>>,
    /// The answers on the page.
    pub answers: RwSignal<AnswerSet>,
    /// The definition (for the canonical form).
    pub def: StoredValue<Arc<SurveyDefinition>>,
    /// The server version the page's answers are based on.
    pub version: StoredValue<i64>,
    /// What the server holds (canonical).
    pub saved: StoredValue<AnswerSet>,
    /// What the save line shows.
    pub status: RwSignal<SaveStatus>,
    /// The response's server state after the last write (status, times).
    pub state: RwSignal<Option<ResponseState>>,
    in_flight: StoredValue<bool>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl Saver {
    /// A saver for a response (`state`) or a new one (`None`, with the
    /// answers the server will prefill as `baseline`).
    pub fn new(
        token: String,
        def: Arc<SurveyDefinition>,
        state: Option<ResponseState>,
        answers: RwSignal<AnswerSet>,
        baseline: AnswerSet,
        notice: Option<String>,
    ) -> Saver {
        let saver = Saver {
            token: StoredValue::new(token),
            id: RwSignal::new(state.as_ref().map(|s| s.id)),
            answers,
            def: StoredValue::new(def),
            version: StoredValue::new(state.as_ref().map_or(0, |s| s.version)),
            saved: StoredValue::new(state.as_ref().map_or(baseline, |s| s.answers.clone())),
            status: RwSignal::new(notice.map_or(SaveStatus::Idle, SaveStatus::Conflict)),
            state: RwSignal::new(state),
            in_flight: StoredValue::new(false),
            timer: StoredValue::new(None),
        };
        Effect::new(move |prev: Option<()>| {
            answers.track();
            if prev.is_some() {
                saver.keep_locally();
                // "Lagret" only while nothing is waiting to be saved.
                if saver.dirty() && saver.status.get_untracked() != SaveStatus::Saving {
                    saver.status.set(SaveStatus::Saving);
                }
                saver.schedule(800);
            }
        });
        if saver.dirty() || !saver.rejected().is_empty() {
            saver.schedule(0);
        }
        saver
    }

    /// What to send: the page's answers in canonical form, except that an
    /// answer the engine rejects is replaced by the saved one (or left out).
    fn payload(&self) -> AnswerSet {
        let local = self.answers.get_untracked();
        let saved = self.saved.get_value();
        let (mut values, rejected) = self.def.with_value(|d| canonicalize(d, &local.values));
        for id in rejected {
            if let Some(old) = saved.values.get(&id) {
                values.insert(id, old.clone());
            }
        }
        AnswerSet {
            values,
            confirmed: local.confirmed,
        }
    }

    /// Ids of answers on the page the engine rejects (not saved).
    pub fn rejected(&self) -> BTreeSet<String> {
        let local = self.answers.get_untracked();
        self.def.with_value(|d| canonicalize(d, &local.values).1)
    }

    /// Whether the page holds answers the server does not.
    pub fn dirty(&self) -> bool {
        self.payload() != self.saved.get_value()
    }

    /// Whether a save is under way or waiting.
    pub fn busy(&self) -> bool {
        self.in_flight.get_value() || self.dirty()
    }

    /// Saves after `ms` milliseconds (restarting the wait).
    pub fn schedule(self, ms: u64) {
        if let Some(h) = self.timer.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(move || self.save(), Duration::from_millis(ms)).ok();
        self.timer.set_value(handle);
    }

    fn keep_locally(&self) {
        let Some(id) = self.id.get_untracked() else {
            return;
        };
        if let Some(s) = storage() {
            let p = Pending {
                version: self.version.get_value(),
                answers: self.answers.get_untracked(),
            };
            if let Ok(json) = serde_json::to_string(&p) {
                let _ = s.set_item(&pending_key(id), &json);
            }
        }
    }

    /// Drops the local copy of unsaved edits.
    pub fn forget_locally(&self) {
        if let (Some(s), Some(id)) = (storage(), self.id.get_untracked()) {
            let _ = s.remove_item(&pending_key(id));
        }
    }

    /// The page takes the server's canonical values where they differ only
    /// in form ("4.50" → "4,5"), except in the field that has focus.
    pub fn settle(&self, focused: Option<&str>) {
        let saved = self.saved.get_value();
        let changes: Vec<(String, Answer)> = self.answers.with_untracked(|local| {
            self.def.with_value(|d| {
                local
                    .values
                    .iter()
                    .filter(|(id, _)| Some(id.as_str()) != focused)
                    .filter_map(|(id, v)| {
                        let canon = d.item(id).map(|i| normalize(i, v))?.ok()?;
                        let server = saved.values.get(id).cloned().unwrap_or(Answer::Null);
                        (canon == server && *v != server).then(|| (id.clone(), server))
                    })
                    .collect()
            })
        });
        if !changes.is_empty() {
            self.answers.update(|a| {
                for (id, v) in changes {
                    if v == Answer::Null {
                        a.values.remove(&id);
                    } else {
                        a.values.insert(id, v);
                    }
                }
            });
        }
    }

    fn after_save(&self) {
        let rejected = self.rejected();
        if let Some(first) = self.first_in_order(&rejected) {
            self.status.set(SaveStatus::Unsaved(first));
            self.keep_locally();
        } else if self.dirty() {
            self.schedule(300);
        } else {
            self.status.set(SaveStatus::Saved(clock(None)));
            self.forget_locally();
        }
    }

    fn first_in_order(&self, ids: &BTreeSet<String>) -> Option<String> {
        self.def.with_value(|d| {
            d.items
                .iter()
                .find(|i| ids.contains(&i.id))
                .map(|i| i.id.split(':').next().unwrap_or(&i.id).to_owned())
        })
    }

    /// Saves now if the page holds anything the server does not.
    pub fn save(self) {
        if self.in_flight.get_value() {
            self.schedule(300);
            return;
        }
        if !self.dirty() {
            match self.status.get_untracked() {
                SaveStatus::Conflict(_) | SaveStatus::Idle if self.rejected().is_empty() => {
                    self.forget_locally()
                }
                _ => self.after_save(),
            }
            return;
        }
        let body = self.payload();
        self.in_flight.set_value(true);
        self.status.set(SaveStatus::Saving);
        spawn_local(async move {
            let token = self.token.get_value();
            let id = match self.id.get_untracked() {
                Some(id) => Ok(id),
                None => api::start(&token).await.map(|s| {
                    self.version.set_value(s.version);
                    self.id.set(Some(s.id));
                    s.id
                }),
            };
            let result = match id {
                Ok(id) => {
                    api::save(
                        &token,
                        id,
                        self.version.get_value(),
                        &body.values,
                        &body.confirmed,
                    )
                    .await
                }
                Err(e) => Err(e),
            };
            self.in_flight.set_value(false);
            match result {
                Ok(state) => {
                    self.version.set_value(state.version);
                    self.saved.set_value(state.answers.clone());
                    self.state.set(Some(state));
                    self.settle(focused_item().as_deref());
                    self.after_save();
                }
                Err(WriteError::Conflict(message, current)) => {
                    self.version.set_value(current.version);
                    self.saved.set_value(current.answers.clone());
                    self.forget_locally();
                    self.answers.set(current.answers.clone());
                    self.state.set(Some(*current));
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

/// The item whose field has keyboard focus (its `data-item` ancestor).
pub fn focused_item() -> Option<String> {
    let el = document().active_element()?;
    let item = el.closest("[data-item]").ok().flatten()?;
    let id = item.get_attribute("data-item")?;
    // A "specify" field sits inside its choice item but is an item of its own.
    match el.get_attribute("data-answer") {
        Some(own) => Some(own),
        None => Some(id),
    }
}
