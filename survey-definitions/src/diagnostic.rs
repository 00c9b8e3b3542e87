//! Diagnostics with `file:line:column` positions, shared by parser and linter.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::Span;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The definition must not be used.
    Error,
    /// Worth fixing; the definition still works.
    Warning,
}

/// One problem found in a definition file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// Where in the source, as a byte range.
    #[serde(skip)]
    pub span: Span,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl Diagnostic {
    /// Makes a diagnostic, computing line and column from `src`.
    pub fn new(level: Level, src: &str, span: Span, message: impl Into<String>) -> Self {
        let (line, column) = line_column(src, span.start);
        Diagnostic {
            level,
            span,
            line,
            column,
            message: message.into(),
        }
    }

    /// Renders as `file:line:column: level: message`.
    pub fn render(&self, file: &str) -> String {
        format!(
            "{file}:{}:{}: {}: {}",
            self.line, self.column, self.level, self.message
        )
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Error => "error",
            Level::Warning => "warning",
        })
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_column(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let src = "a = 1\nøy = \"x\"\n";
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 6), (2, 1));
        assert_eq!(line_column(src, 9), (2, 3));
        assert_eq!(line_column(src, 10_000), (3, 1));
    }
}
