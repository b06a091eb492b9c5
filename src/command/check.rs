//! `supple check [PATH...]`: validates routine files and prints every problem found, like a
//! compiler, so an editor or CI job can jump to `file:line:col`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CommandResult, Failure};
use crate::plan::Plan;
use crate::routine::library::{Entry, Library, Source};
use crate::routine::seconds;
use crate::sanitize;

/// Checks `paths` (files, or folders whose `.toml` files are checked), or the whole library
/// when none are given. Valid files get an `ok` line on `out`; problems go to `err`. The
/// length in the `ok` line counts the library's default pauses (the config's `[defaults]`),
/// as `list` and `show` do.
pub fn run(paths: &[PathBuf], library: &Library, out: &mut dyn Write, err: &mut dyn Write) -> CommandResult {
    let entries: Vec<Entry> = if paths.is_empty() {
        if let Some(problem) = &library.folder_problem {
            writeln!(err, "{problem}")?;
        }
        library.entries.clone()
    } else {
        expand(paths).iter().map(|p| Entry::from_file(p, Source::File, library.defaults)).collect()
    };
    let mut broken = 0;
    let mut problems = 0;
    for entry in &entries {
        match &entry.routine {
            Ok(routine) => {
                let plan = Plan::new(routine);
                writeln!(
                    out,
                    "ok    {}  ({} steps, {})",
                    sanitize::line(&entry.display_path()),
                    plan.steps.len(),
                    seconds::short(plan.total())
                )?;
            }
            Err(diagnostics) => {
                broken += 1;
                problems += diagnostics.len();
                for d in diagnostics {
                    writeln!(err, "{d}")?;
                }
            }
        }
    }
    let files = entries.len();
    if broken == 0 {
        writeln!(out, "{files} routine file{} checked, all valid", plural(files))?;
        Ok(())
    } else {
        writeln!(
            err,
            "{files} routine file{} checked: {broken} with errors ({problems} problem{})",
            plural(files),
            plural(problems)
        )?;
        Err(Failure::reported())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Files as given, folders replaced by their `.toml` files in name order. A path that does not
/// exist stays in the list so that its error is reported.
fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in paths {
        match std::fs::read_dir(path) {
            Ok(listing) if path.is_dir() => {
                let mut files: Vec<PathBuf> =
                    listing.filter_map(Result::ok).map(|e| e.path()).filter(|p| is_toml(p)).collect();
                files.sort();
                out.extend(files);
            }
            _ => out.push(path.clone()),
        }
    }
    out
}

fn is_toml(path: &Path) -> bool {
    path.extension().is_some_and(|x| x.eq_ignore_ascii_case("toml"))
}
