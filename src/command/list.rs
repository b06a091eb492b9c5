//! `supple list [--json]`: every routine with its estimated length, tags, source and when it
//! was last done. Broken routine files are listed with their first error, not hidden.

use std::collections::HashMap;
use std::io::Write;

use serde_json::json;

use super::{CommandResult, fit, write_cell};
use crate::plan::Plan;
use crate::routine::library::Library;
use crate::routine::seconds;
use crate::sanitize;

/// When each routine (by lower-case stem) was last completed, as `YYYY-MM-DD`, from history.
pub type LastDone = HashMap<String, String>;

/// Last-done dates from the history; empty when there is none or it cannot be read (`list`
/// must work without a history, and `doctor` is where history problems are explained).
pub fn last_done(ctx: &super::Context) -> LastDone {
    let Ok(Some(store)) = ctx.read_store() else {
        return LastDone::new();
    };
    store
        .routine_counts()
        .map(|counts| {
            counts
                .into_iter()
                .filter_map(|r| r.last.map(|last| (r.routine.to_lowercase(), last.date().to_string())))
                .collect()
        })
        .unwrap_or_default()
}

pub fn run(library: &Library, last_done: &LastDone, json: bool, out: &mut dyn Write) -> CommandResult {
    if json { write_json(library, last_done, out) } else { write_table(library, last_done, out) }
}

fn write_table(library: &Library, last_done: &LastDone, out: &mut dyn Write) -> CommandResult {
    let name_width = library.entries.iter().map(|e| e.stem.chars().count()).max().unwrap_or(4).clamp(4, 24);
    write_cell(out, "NAME", name_width + 2)?;
    writeln!(out, "{:<32}  {:>6}  {:<24}  {:<8}  LAST DONE", "TITLE", "TIME", "TAGS", "SOURCE")?;
    for entry in &library.entries {
        write_cell(out, &sanitize::line(&entry.stem), name_width + 2)?;
        match &entry.routine {
            Ok(routine) => {
                write_cell(out, &routine.name, 32)?;
                write!(out, "  {:>6}  ", seconds::short(Plan::new(routine).total()))?;
                write_cell(out, &routine.tags.join(", "), 24)?;
                let source = if entry.overrides_bundled { "user*" } else { entry.source.name() };
                let last = last_done.get(&entry.stem.to_lowercase()).map_or("-", String::as_str);
                writeln!(out, "  {source:<8}  {last}")?;
            }
            Err(errors) => {
                let first = errors.first().map(ToString::to_string).unwrap_or_default();
                writeln!(out, "{}", fit(&format!("ERROR {first}"), 100))?;
            }
        }
    }
    if library.entries.iter().any(|e| e.overrides_bundled) {
        writeln!(out, "\n* a user file that overrides the bundled routine of the same name")?;
    }
    if let Some(problem) = &library.folder_problem {
        writeln!(out, "\n{problem}")?;
    }
    Ok(())
}

fn write_json(library: &Library, last_done: &LastDone, out: &mut dyn Write) -> CommandResult {
    let items: Vec<serde_json::Value> = library
        .entries
        .iter()
        .map(|entry| {
            // File names are untrusted too: JSON escapes control characters but not bidi marks.
            let path = entry.path.as_ref().map(|p| sanitize::line(&p.display().to_string()));
            let name = sanitize::line(&entry.stem);
            let last = last_done.get(&entry.stem.to_lowercase());
            match &entry.routine {
                Ok(routine) => json!({
                    "name": name,
                    "title": routine.name,
                    "path": path,
                    "source": entry.source.name(),
                    "estimated_secs": Plan::new(routine).total().as_secs(),
                    "exercises": routine.exercises().count(),
                    "tags": routine.tags,
                    "last_done": last,
                    "errors": [],
                }),
                Err(errors) => json!({
                    "name": name,
                    "title": null,
                    "path": path,
                    "source": entry.source.name(),
                    "estimated_secs": null,
                    "exercises": null,
                    "tags": [],
                    "last_done": last,
                    "errors": errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
                }),
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}
