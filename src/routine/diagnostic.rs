//! One problem found in a routine file, located by line and column, printed the way
//! compilers do (`file:line:col: where: field: what is allowed, what was found`) so editors
//! and terminals can jump to it.

use std::fmt;

/// A located, human-readable problem in a routine file. Every part is already sanitized,
/// so printing a diagnostic can never write control characters to the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user named it (or `bundled:NAME.toml`).
    pub path: String,
    /// 1-based line and column (columns count characters, not bytes).
    pub line: usize,
    pub column: usize,
    /// Where in the routine: `exercise 3 ("Plank")`, `block 2`, `defaults`; empty at top level.
    pub context: String,
    /// The key at fault (`duration`), empty for whole-file problems.
    pub field: String,
    pub message: String,
}

impl Diagnostic {
    /// A problem at byte `offset` of `text`.
    pub fn at(path: &str, text: &str, offset: usize, context: &str, field: &str, message: &str) -> Diagnostic {
        let (line, column) = line_column(text, offset);
        Diagnostic {
            path: crate::sanitize::line(path),
            line,
            column,
            context: crate::sanitize::line(context),
            field: crate::sanitize::line(field),
            message: crate::sanitize::line(message),
        }
    }

    /// A problem with the file as a whole (unreadable, too large, not text): reported at 1:1.
    pub fn file(path: &str, message: &str) -> Diagnostic {
        Diagnostic::at(path, "", 0, "", "", message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.path, self.line, self.column)?;
        if !self.context.is_empty() {
            write!(f, "{}: ", self.context)?;
        }
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// 1-based line and character column of a byte offset; offsets past the end or inside a
/// character are clamped, so a bad span from the parser can never panic here.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_bad_offsets_are_clamped() {
        let text = "name = \"é\"\nreps = x";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 12), (2, 1));
        assert_eq!(line_column(text, 19), (2, 8));
        assert_eq!(line_column(text, 9), (1, 9), "inside the two-byte é");
        assert_eq!(line_column(text, 999), (2, 9));
    }

    #[test]
    fn display_names_file_place_context_and_field() {
        let d = Diagnostic::at(
            "r.toml",
            "a\nbc",
            3,
            "exercise 3 (\"Plank\")",
            "duration",
            "must be between 1s and 1h, got \"0s\"",
        );
        assert_eq!(
            d.to_string(),
            "r.toml:2:2: exercise 3 (\"Plank\"): duration: must be between 1s and 1h, got \"0s\""
        );
        assert_eq!(Diagnostic::file("x\x1b.toml", "is not a file").to_string(), "x\u{FFFD}.toml:1:1: is not a file");
    }
}
