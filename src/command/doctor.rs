//! `supple doctor`: everything a user (or whoever helps them) needs to know when something
//! does not work: the folders and files in use, config and routine errors, the history's size
//! and health, the audio device, voice, and the terminal. Reads only; creates nothing.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::{CommandResult, Context};
use crate::config::Loaded;
use crate::routine::library::Source;
use crate::routine::{Pauses, seconds};
use crate::sanitize;
use crate::store::Store;
use crate::ui::theme::KindColors;

/// Prints the report. `audio` is the audio line, worked out by the caller (it needs a device).
pub fn run(ctx: &Context, config: &Loaded, audio: &str, out: &mut dyn Write) -> CommandResult {
    let mut problems = 0;
    writeln!(out, "supple {}", env!("CARGO_PKG_VERSION"))?;
    row(out, "config folder", &folder_state(&ctx.paths.config_dir))?;
    match (&config.path, config.errors.is_empty()) {
        (None, _) => {
            row(out, "config file", &format!("{} (not present: defaults in use)", shown(&ctx.paths.config_file())))?;
        }
        (Some(path), true) => row(out, "config file", &format!("{} (ok)", shown(path)))?,
        (Some(path), false) => {
            problems += config.errors.len();
            let which = if config.whole_file { "defaults in use" } else { "defaults in use for those values" };
            row(out, "config file", &format!("{} ({} problem(s); {which})", shown(path), config.errors.len()))?;
            for e in &config.errors {
                writeln!(out, "{:16}{e}", "")?;
            }
        }
    }

    let library = ctx.library();
    let bundled = library.entries.iter().filter(|e| e.source == Source::Bundled).count();
    let user = library.entries.len() - bundled;
    let broken: Vec<_> = library.entries.iter().filter(|e| e.routine.is_err()).collect();
    row(
        out,
        "routines",
        &format!(
            "{bundled} bundled, {user} yours in {} ({} with errors)",
            shown(&ctx.paths.routines_dir()),
            broken.len()
        ),
    )?;
    if let Some(problem) = &library.folder_problem {
        problems += 1;
        writeln!(out, "{:16}{problem}", "")?;
    }
    for entry in broken {
        if let Err(errors) = &entry.routine {
            problems += errors.len();
            for e in errors {
                writeln!(out, "{:16}{e}", "")?;
            }
        }
    }

    let (history, history_ok) = history_line(&ctx.paths.history_db());
    if !history_ok {
        problems += 1;
    }
    row(out, "history", &history)?;
    row(out, "audio", audio)?;
    row(out, "voice", &voice_line(config.config.voice))?;
    row(out, "pauses", &pauses_line(config.config.defaults))?;
    let term = std::env::var("TERM").unwrap_or_else(|_| "(not set)".into());
    let colour = match (config.config.color, config.config.colors == KindColors::default()) {
        (false, _) => "monochrome (NO_COLOR or color = false)",
        (true, true) => "colour",
        (true, false) => "colour, countdown colours from [colors]",
    };
    let tty = if std::io::stdout().is_terminal() { "a terminal" } else { "not a terminal: runs use plain mode" };
    row(out, "terminal", &format!("TERM={}, {colour}, output is {tty}", sanitize::line(&term)))?;
    writeln!(out)?;
    if problems == 0 {
        writeln!(out, "No problems found.")?;
    } else {
        writeln!(out, "{problems} problem(s) found; see above.")?;
    }
    Ok(())
}

fn row(out: &mut dyn Write, label: &str, text: &str) -> std::io::Result<()> {
    writeln!(out, "{label:<16}{text}")
}

fn shown(path: &Path) -> String {
    sanitize::line(&path.display().to_string())
}

fn folder_state(dir: &Path) -> String {
    let state = if dir.is_dir() { "exists" } else { "not created yet (created on first write)" };
    format!("{} ({state})", shown(dir))
}

/// The history's file, size, session count and health, without creating or changing it.
fn history_line(path: &Path) -> (String, bool) {
    match Store::open_existing(path) {
        Ok(None) => (format!("{} (not created yet: it starts with the first session)", shown(path)), true),
        Ok(Some(store)) => {
            let size = std::fs::metadata(path).map_or(0, |m| m.len());
            match store.totals() {
                Ok((sessions, completed)) => (
                    format!("{} ({sessions} sessions, {completed} completed, {} KiB, ok)", shown(path), size / 1024),
                    true,
                ),
                Err(e) => (format!("{} (cannot be read: {e})", shown(path)), false),
            }
        }
        Err(e) => (format!("{} (problem: {e})", shown(path)), false),
    }
}

/// The pauses a routine gets where neither it nor its exercises set them, and which of them
/// come from the config's `[defaults]`.
fn pauses_line(defaults: Pauses) -> String {
    let format = Pauses::default();
    let pauses = [
        ("prepare", defaults.prepare, format.prepare),
        ("rest", defaults.rest, format.rest),
        ("switch", defaults.switch, format.switch),
        ("set_rest", defaults.set_rest, format.set_rest),
    ];
    let values: Vec<String> = pauses.iter().map(|(key, d, _)| format!("{key} {}", seconds::short(*d))).collect();
    let configured: Vec<&str> = pauses.iter().filter(|(_, d, f)| d != f).map(|(key, _, _)| *key).collect();
    let source = if configured.is_empty() {
        "the format's defaults".to_string()
    } else {
        format!("{} from the config's [defaults]", configured.join(", "))
    };
    format!("{} ({source}; a routine's own [defaults] win)", values.join(", "))
}

/// Whether voice is on and, when it cannot be, why.
fn voice_line(wanted: bool) -> String {
    match (wanted, crate::audio::voice::Voice::find()) {
        (false, Some(v)) => format!("off (set `voice = true` in the config to hear exercises named by {})", v.name()),
        (false, None) => "off (voice = false; it would also need espeak-ng: sudo apt-get install espeak-ng)".into(),
        (true, Some(v)) => format!("on: exercises, sides and what comes next are spoken by {}", v.name()),
        (true, None) => "off: voice = true but no espeak-ng found (sudo apt-get install espeak-ng)".into(),
    }
}
