//! The commands: each writes its output to the writers it is handed, so tests can read it,
//! and reports failure as a [`Failure`] (exit code 1). The history commands also take a
//! [`Context`] holding what they would otherwise read from the world (paths, clock, settings).

pub mod check;
pub mod doctor;
pub mod edit;
pub mod history;
pub mod list;
pub mod log;
pub mod run;
pub mod show;
pub mod stats;

use std::io::{self, Write};

use jiff::Zoned;
use jiff::civil::Date;
use unicode_width::UnicodeWidthStr;

use crate::paths::Paths;
use crate::routine::library::{Entry, Library, ResolveError};
use crate::routine::{Pauses, Routine};
use crate::store::{Store, StoreErrorKind};
use crate::streak::StreakSettings;

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

/// What a command needs from outside, gathered once by `main`.
#[derive(Debug, Clone)]
pub struct Context {
    pub paths: Paths,
    /// The wall clock at the start of the command, in the user's zone.
    pub now: Zoned,
    pub settings: StreakSettings,
    /// The pauses every routine starts from (config `[defaults]` over the format's own).
    pub defaults: Pauses,
}

impl Context {
    /// Every routine known, planned with the config's default pauses.
    #[must_use]
    pub fn library(&self) -> Library {
        Library::load(&self.paths, self.defaults)
    }

    /// Resolves one `<ROUTINE>` argument the way [`Context::library`] would, reading only its file.
    pub fn resolve(&self, arg: &str) -> Result<(Entry, Routine), ResolveError> {
        Library::resolve_one(&self.paths, arg, self.defaults)
    }

    /// Opens the history for reading. A missing file is an empty history (nothing is created);
    /// a damaged one is moved aside, said on stderr, and read as empty.
    pub fn read_store(&self) -> Result<Option<Store>, String> {
        match Store::open_existing(&self.paths.history_db()) {
            Ok(store) => Ok(store),
            Err(e) if e.kind == StoreErrorKind::Corrupt => {
                eprintln!("supple: {e}");
                Ok(None)
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// Opens the history for writing, creating its folder and file when missing.
    pub fn write_store(&self) -> Result<Store, String> {
        let mut store = Store::open(&self.paths.history_db()).map_err(|e| e.to_string())?;
        if let Some(notice) = store.take_notice() {
            eprintln!("supple: {notice}");
        }
        Ok(store)
    }
}

/// Parses `YYYY-MM-DD` for clap, so a bad date is a usage error (exit code 2).
pub fn parse_date(text: &str) -> Result<Date, String> {
    text.parse::<Date>().map_err(|_| format!("expected a date as YYYY-MM-DD, got {text:?}"))
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
