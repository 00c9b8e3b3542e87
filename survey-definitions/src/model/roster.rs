//! The fields of a repeating group (`roster`): one row per entry, each
//! row with the same fields.

use serde::{Deserialize, Serialize};

/// One field of every roster row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterColumn {
    /// Key of the field in a row's answer (`rolle`), and the end of its
    /// exported variable name (`stillinger_1_rolle`).
    pub key: String,
    /// The field's label, shown as the column heading.
    pub label: String,
    /// What the field takes (text when not given).
    #[serde(default)]
    pub kind: ColumnKind,
}

/// What a roster field takes.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// One line of text (at most 200 characters).
    #[default]
    Text,
    /// A whole percentage, 0–100.
    Percent,
    /// A whole number, 0–10 000.
    Integer,
}

impl ColumnKind {
    /// The smallest and largest number the field takes, or `None` for text.
    pub fn range(self) -> Option<(i64, i64)> {
        match self {
            ColumnKind::Text => None,
            ColumnKind::Percent => Some((0, 100)),
            ColumnKind::Integer => Some((0, 10_000)),
        }
    }
}
