//! The history commands (`history`, `stats`, `export`, `import`, `log`, `excuse`): each takes
//! its parsed arguments and a [`Context`] holding everything it would otherwise read from the
//! world (paths, the wall clock, settings), writes to the given output, and returns a one-line
//! user error (exit code 1) when something is wrong.

pub mod history;
pub mod log;
pub mod stats;

use jiff::Zoned;
use jiff::civil::Date;

use crate::paths::Paths;
use crate::store::{Store, StoreErrorKind};
use crate::streak::StreakSettings;

/// What a command needs from outside, gathered once by `main`.
#[derive(Debug, Clone)]
pub struct Context {
    pub paths: Paths,
    /// The wall clock at the start of the command, in the user's zone.
    pub now: Zoned,
    pub settings: StreakSettings,
    /// Standard output is a terminal: text from the history is then cleaned before printing.
    pub stdout_is_terminal: bool,
}

impl Context {
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
