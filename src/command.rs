//! The non-interactive commands (`check`, `list`, `show`, ...): each writes its output to the
//! writers it is handed, so tests can read it, and reports failure as a [`Failure`].

pub mod check;
pub mod edit;
pub mod list;
pub mod run;
pub mod show;

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

/// Why a command failed: exit code 1 and, unless already printed, a message for stderr.
#[derive(Debug)]
pub struct Failure {
    pub message: Option<String>,
}

impl Failure {
    /// A user error with a message (unknown routine, bad file).
    pub fn new(message: impl Into<String>) -> Failure {
        Failure { message: Some(message.into()) }
    }

    /// The command already explained the problem on stderr (e.g. `check`'s diagnostics).
    #[must_use]
    pub fn reported() -> Failure {
        Failure { message: None }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::new(format!("cannot write output: {e}"))
    }
}

pub type CommandResult = Result<(), Failure>;

/// Writes `text` left-aligned in `width` terminal columns, cut with `…` when longer.
/// Counting columns, not bytes or chars, keeps tables straight with wide characters.
pub fn write_cell(out: &mut dyn Write, text: &str, width: usize) -> io::Result<()> {
    let fitted = fit(text, width);
    let pad = width.saturating_sub(fitted.width());
    write!(out, "{fitted}{:pad$}", "")
}

/// `text` cut to at most `width` columns, ending in `…` when it was cut.
#[must_use]
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_count_columns_of_wide_characters() {
        let mut out = Vec::new();
        write_cell(&mut out, "猫のポーズ", 6).unwrap();
        write_cell(&mut out, "ab", 4).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "猫の… ab  ");
        assert_eq!(fit("Couch stretch", 20), "Couch stretch");
    }
}
