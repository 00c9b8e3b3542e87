//! Coding of free text: a round's coding frames, their codes, and the
//! codes researchers give answers. Reading a frame gives every answer of
//! its items in the analytic sample with its context (service type, size
//! class) and an attribution that never names the municipality («en stor
//! kommune», «en bydel»), the codes given, and counts by code and group.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder, TransactionTrait};
use survey_definitions::{Answer, ItemKind};

use super::entity::coding::{assignment, code, frame};
use super::{accounts, round};
use crate::Error;
pub use api::coding::{CodeView, FrameView, Quote, TextAnswer, TextItem};

async fn frame_of(
    db: &DatabaseConnection,
    survey_id: &str,
    id: i32,
) -> Result<(round::Model, frame::Model), Error> {
    let r = round::find(db, survey_id).await?;
    let f = frame::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|f| f.round_id == r.id)
        .ok_or_else(|| Error::NotFound(format!("coding frame {id} in {survey_id}")))?;
    Ok((r, f))
}

/// A round's coding frames as analysis reads them (`kf<id>_k<code>` 0/1
/// variables in every export, cross-tab and report).
pub async fn coded_frames(
    db: &DatabaseConnection,
    round_id: i32,
) -> Result<Vec<analysis::dataset::CodedFrame>, Error> {
    let mut out = Vec::new();
    for f in frame::Entity::find()
        .filter(frame::Column::RoundId.eq(round_id))
        .order_by_asc(frame::Column::Id)
        .all(db)
        .await?
    {
        let (codes, assignments) = codes_of(db, f.id).await?;
        if codes.is_empty() {
            continue;
        }
        let number: BTreeMap<i32, i64> = codes.iter().map(|c| (c.id, i64::from(c.code))).collect();
        let mut given: std::collections::HashMap<String, BTreeSet<i64>> = Default::default();
        for a in assignments {
            if let Some(&c) = number.get(&a.code_id) {
                given.entry(a.respondent).or_default().insert(c);
            }
        }
        out.push(analysis::dataset::CodedFrame {
            key: format!("kf{}", f.id),
            label: f.name.clone(),
            items: f.items.split(',').map(str::to_owned).collect(),
            codes: codes
                .iter()
                .map(|c| (i64::from(c.code), c.label.clone()))
                .collect(),
            given,
        });
    }
    Ok(out)
}

/// A frame's codes in order, and every assignment of them.
async fn codes_of(
    db: &DatabaseConnection,
    frame_id: i32,
) -> Result<(Vec<code::Model>, Vec<assignment::Model>), Error> {
    let codes = code::Entity::find()
        .filter(code::Column::FrameId.eq(frame_id))
        .order_by_asc(code::Column::Code)
        .all(db)
        .await?;
    let ids: Vec<i32> = codes.iter().map(|c| c.id).collect();
    let given = assignment::Entity::find()
        .filter(assignment::Column::CodeId.is_in(ids))
        .all(db)
        .await?;
    Ok((codes, given))
}

/// The text items of a round's definition that can be coded.
pub async fn text_items(db: &DatabaseConnection, survey_id: &str) -> Result<Vec<TextItem>, Error> {
    let def = round::find(db, survey_id).await?.parsed()?;
    Ok(def
        .items
        .iter()
        .filter(|i| !i.personal && i.kind.shape() == "text")
        .map(|i| TextItem {
            id: i.id.clone(),
            text: match &i.kind {
                ItemKind::Specify { item, code, .. } => {
                    def.item(item).and_then(|p| p.option(*code)).map_or_else(
                        || i.text.clone(),
                        |o| format!("{} – fritekst til {item}", o.label),
                    )
                }
                _ => i.text.clone(),
            },
            answers: 0,
        })
        .collect())
}

/// Counts each text item's non-empty answers in the analytic sample.
pub fn count_answers(items: &mut [TextItem], c: &super::analysis::Cleaned) {
    for item in items {
        item.answers = c
            .data
            .respondents
            .iter()
            .enumerate()
            .filter(|(row, _)| c.cleaning.included.get(*row).copied().unwrap_or(false))
            .filter(|(_, r)| matches!(r.answers.get(&item.id), Some(Answer::Text(t)) if !t.trim().is_empty()))
            .count() as u64;
    }
}

/// Creates a coding frame over text items of the round.
pub async fn create_frame(
    db: &DatabaseConnection,
    survey_id: &str,
    name: &str,
    items: &[String],
    by: &str,
) -> Result<i32, Error> {
    let r = round::find(db, survey_id).await?;
    let known: BTreeSet<String> = text_items(db, survey_id)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    if name.trim().is_empty() || items.is_empty() {
        return Err(Error::BadRequest(
            "a coding frame needs a name and at least one text item".into(),
        ));
    }
    if let Some(bad) = items.iter().find(|i| !known.contains(*i)) {
        return Err(Error::BadRequest(format!(
            "`{bad}` is not a text item of {survey_id}"
        )));
    }
    let txn = db.begin().await?;
    let f = frame::ActiveModel {
        round_id: Set(r.id),
        name: Set(name.trim().to_owned()),
        items: Set(items.join(",")),
        created_by: Set(by.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    accounts::audit(
        &txn,
        by,
        "coding_frame",
        &format!("{survey_id}: frame {} «{}» over {}", f.id, f.name, f.items),
    )
    .await?;
    txn.commit().await?;
    Ok(f.id)
}

/// Adds a code to a frame; it gets the next number.
pub async fn add_code(
    db: &DatabaseConnection,
    survey_id: &str,
    frame_id: i32,
    label: &str,
    description: &str,
    by: &str,
) -> Result<i32, Error> {
    let (_, f) = frame_of(db, survey_id, frame_id).await?;
    if label.trim().is_empty() {
        return Err(Error::BadRequest("a code needs a label".into()));
    }
    let txn = db.begin().await?;
    let next = code::Entity::find()
        .filter(code::Column::FrameId.eq(f.id))
        .all(&txn)
        .await?
        .iter()
        .map(|c| c.code)
        .max()
        .unwrap_or(0)
        + 1;
    code::ActiveModel {
        frame_id: Set(f.id),
        code: Set(next),
        label: Set(label.trim().to_owned()),
        description: Set(description.trim().to_owned()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    accounts::audit(
        &txn,
        by,
        "coding_code",
        &format!("{survey_id}: frame {} code {next} «{}»", f.id, label.trim()),
    )
    .await?;
    txn.commit().await?;
    Ok(next)
}

/// Gives an answer a code (`on`), or takes it away; with a passage, the
/// code is given to that part of the answer.
#[allow(clippy::too_many_arguments)]
pub async fn assign(
    db: &DatabaseConnection,
    survey_id: &str,
    frame_id: i32,
    code_number: i32,
    respondent: &str,
    item: &str,
    passage: Option<&str>,
    on: bool,
    by: &str,
) -> Result<(), Error> {
    let (_, f) = frame_of(db, survey_id, frame_id).await?;
    if !f.items.split(',').any(|i| i == item) {
        return Err(Error::BadRequest(format!(
            "frame {frame_id} does not code item {item}"
        )));
    }
    let c = code::Entity::find()
        .filter(code::Column::FrameId.eq(f.id))
        .filter(code::Column::Code.eq(code_number))
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound(format!("code {code_number} in frame {frame_id}")))?;
    let passage = passage.map(str::trim).filter(|p| !p.is_empty());
    if on {
        // A code goes on an answer that exists, and a quote is the
        // respondent's own words: the passage must be in the answer.
        let data = super::analysis::load(db, survey_id).await?;
        let answer = data
            .respondents
            .iter()
            .find(|r| r.key == respondent)
            .and_then(|r| match r.answers.get(item) {
                Some(Answer::Text(t)) if !t.trim().is_empty() => Some(t.clone()),
                _ => None,
            })
            .ok_or_else(|| Error::BadRequest(format!("{respondent} har ikke svart på {item}")))?;
        let squeeze = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(p) = passage
            && !squeeze(&answer).contains(&squeeze(p))
        {
            return Err(Error::BadRequest(format!(
                "Utdraget «{p}» står ikke i svaret. Kopier det ordrett fra svaret, eller la feltet stå tomt for å kode hele svaret."
            )));
        }
    }
    let txn = db.begin().await?;
    assignment::Entity::delete_many()
        .filter(assignment::Column::CodeId.eq(c.id))
        .filter(assignment::Column::Respondent.eq(respondent))
        .filter(assignment::Column::ItemId.eq(item))
        .exec(&txn)
        .await?;
    if on {
        assignment::ActiveModel {
            code_id: Set(c.id),
            respondent: Set(respondent.to_owned()),
            item_id: Set(item.to_owned()),
            passage: Set(passage.map(str::to_owned)),
            assigned_by: Set(by.to_owned()),
            assigned_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    accounts::audit(
        &txn,
        by,
        "coding_assignment",
        &format!(
            "{survey_id}: frame {frame_id} code {code_number} {} {respondent} {item}",
            if on { "given to" } else { "taken from" }
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The frames of a round (codes with counts; no answers).
pub async fn frames(
    db: &DatabaseConnection,
    c: &super::analysis::Cleaned,
) -> Result<Vec<FrameView>, Error> {
    let list = frame::Entity::find()
        .filter(frame::Column::RoundId.eq(c.data.round.id))
        .order_by_asc(frame::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for f in list {
        let mut view = read(db, c, f).await?;
        view.answers.clear();
        out.push(view);
    }
    Ok(out)
}

/// One frame with its answers, codes, counts and quotes.
pub async fn frame(
    db: &DatabaseConnection,
    c: &super::analysis::Cleaned,
    frame_id: i32,
) -> Result<FrameView, Error> {
    let (_, f) = frame_of(db, &c.data.round.survey_id, frame_id).await?;
    read(db, c, f).await
}

async fn read(
    db: &DatabaseConnection,
    c: &super::analysis::Cleaned,
    f: frame::Model,
) -> Result<FrameView, Error> {
    let items: Vec<String> = f.items.split(',').map(str::to_owned).collect();
    let (codes, given) = codes_of(db, f.id).await?;
    let number: BTreeMap<i32, i32> = codes.iter().map(|c| (c.id, c.code)).collect();
    let (ds, cl, roles) = (&c.dataset, &c.cleaning, &c.roles);
    let label_of = |var: Option<&String>, row: usize| -> String {
        let Some(var) = var else { return String::new() };
        let (Some(v), Some(col)) = (ds.variable(var), ds.column(var)) else {
            return String::new();
        };
        col.number(row)
            .and_then(|x| v.value_labels.iter().find(|(k, _)| *k == x as i64))
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    };
    let keys = ds.column("respondent");
    let mut answers = Vec::new();
    for (row, input) in c.data.respondents.iter().enumerate() {
        if !cl.included.get(row).copied().unwrap_or(false) {
            continue;
        }
        let district = roles
            .district
            .as_ref()
            .and_then(|d| ds.column(d))
            .is_some_and(|col| !col.is_missing(row));
        let size = ds
            .column(roles.size_class.as_deref().unwrap_or_default())
            .and_then(|col| col.number(row));
        let attribution = if district {
            "en bydel".to_owned()
        } else {
            match size.map(|s| s as i64) {
                Some(1) => "en liten kommune",
                Some(2) => "en mellomstor kommune",
                Some(3) => "en stor kommune",
                _ => "en kommune",
            }
            .to_owned()
        };
        let key = keys.map(|k| k.text(row)).unwrap_or_default();
        for item in &items {
            let Some(Answer::Text(text)) = input.answers.get(item) else {
                continue;
            };
            if text.trim().is_empty() {
                continue;
            }
            let mut codes_given: Vec<i32> = given
                .iter()
                .filter(|a| a.respondent == key && &a.item_id == item)
                .filter_map(|a| number.get(&a.code_id).copied())
                .collect();
            codes_given.sort_unstable();
            answers.push(TextAnswer {
                respondent: key.clone(),
                item: item.clone(),
                text: text.clone(),
                municipality: c.context(row).municipality,
                service_type: label_of(roles.service_type.as_ref(), row),
                size_class: label_of(roles.size_class.as_ref(), row),
                attribution: attribution.clone(),
                codes: codes_given,
            });
        }
    }
    // Groups in the order of their codes (small, medium, large), not by name.
    let labels_of = |var: Option<&String>| -> Vec<String> {
        var.and_then(|v| ds.variable(v))
            .map(|v| v.value_labels.iter().map(|(_, l)| l.clone()).collect())
            .unwrap_or_default()
    };
    let (service_labels, size_labels) = (
        labels_of(roles.service_type.as_ref()),
        labels_of(roles.size_class.as_ref()),
    );
    let counted =
        |labels: &[String], of: &dyn Fn(&TextAnswer) -> bool, pick: fn(&TextAnswer) -> &String| {
            labels
                .iter()
                .filter_map(|l| {
                    let n = answers.iter().filter(|a| of(a) && pick(a) == l).count();
                    (n > 0).then(|| (l.clone(), n))
                })
                .collect::<Vec<_>>()
        };
    let code_views = codes
        .iter()
        .map(|k| {
            let coded = |a: &TextAnswer| a.codes.contains(&k.code);
            let by_service_type = counted(&service_labels, &coded, |a| &a.service_type);
            let by_size_class = counted(&size_labels, &coded, |a| &a.size_class);
            let mut quotes = Vec::new();
            let mut count = 0;
            for a in answers.iter().filter(|a| a.codes.contains(&k.code)) {
                count += 1;
                let passage = given
                    .iter()
                    .find(|g| {
                        g.code_id == k.id && g.respondent == a.respondent && g.item_id == a.item
                    })
                    .and_then(|g| g.passage.clone());
                quotes.push(Quote {
                    text: passage.unwrap_or_else(|| a.text.clone()),
                    attribution: a.attribution.clone(),
                });
            }
            CodeView {
                code: k.code,
                label: k.label.clone(),
                description: k.description.clone(),
                count,
                by_service_type,
                by_size_class,
                quotes,
            }
        })
        .collect();
    Ok(FrameView {
        id: f.id,
        name: f.name,
        items,
        codes: code_views,
        answers,
        group_labels: (
            roles
                .service_type
                .as_deref()
                .and_then(|v| ds.variable(v))
                .map(|v| v.label.clone())
                .unwrap_or_default(),
            roles
                .size_class
                .as_deref()
                .and_then(|v| ds.variable(v))
                .map(|v| v.label.clone())
                .unwrap_or_default(),
        ),
    })
}
