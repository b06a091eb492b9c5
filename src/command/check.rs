//! `supple check [ROUTINE|PATH...]`: validates routine files and prints every problem found,
//! like a compiler, so an editor or CI job can jump to `file:line:col`.
//!
//! An argument is a routine name as for `run` and `show`, or a file or folder. A path that
//! exists wins over a routine of the same name, since that is what the user is pointing at.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CommandResult, Failure};
use crate::plan::Plan;
use crate::routine::library::{self, Entry, Library, Source};
use crate::routine::seconds;
use crate::routine::suggestion::suggestion;
use crate::sanitize;

/// Checks `args` (routine names, files, or folders whose `.toml` files are checked), or the
/// whole library when none are given. Valid files get an `ok` line on `out`; problems go to
/// `err`. The length in the `ok` line counts the library's default pauses (the config's
/// `[defaults]`), as `list` and `show` do.
pub fn run(args: &[PathBuf], library: &Library, out: &mut dyn Write, err: &mut dyn Write) -> CommandResult {
    let targets: Vec<Result<Entry, String>> = if args.is_empty() {
        if let Some(problem) = &library.folder_problem {
            writeln!(err, "{problem}")?;
        }
        library.entries.iter().cloned().map(Ok).collect()
    } else {
        args.iter().flat_map(|arg| targets(arg, library)).collect()
    };
    let mut files = 0;
    let mut broken = 0;
    let mut problems = 0;
    let mut missing = 0;
    for target in &targets {
        let entry = match target {
            Ok(entry) => entry,
            Err(message) => {
                missing += 1;
                writeln!(err, "{message}")?;
                continue;
            }
        };
        files += 1;
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
    let not_found = if missing == 0 { String::new() } else { format!("; {missing} not found") };
    if broken == 0 && missing == 0 {
        writeln!(out, "{files} routine file{} checked, all valid", plural(files))?;
        Ok(())
    } else if broken == 0 {
        // Only names that matched nothing: their lines said it all.
        if files > 0 {
            writeln!(err, "{files} routine file{} checked, all valid{not_found}", plural(files))?;
        }
        Err(Failure::reported())
    } else {
        writeln!(
            err,
            "{files} routine file{} checked: {broken} with errors ({problems} problem{}){not_found}",
            plural(files),
            plural(problems)
        )?;
        Err(Failure::reported())
    }
}

/// What one argument names: a file, a folder's `.toml` files in name order, or a routine of
/// the library. Anything else is an `Err` saying so plainly: there is no file to point a
/// `line:col` into.
fn targets(arg: &Path, library: &Library) -> Vec<Result<Entry, String>> {
    // `symlink_metadata`, so that a dangling link or a loop is checked, and its error shown.
    if std::fs::symlink_metadata(arg).is_ok() {
        return expand(arg).iter().map(|p| Ok(Entry::from_file(p, Source::File, library.defaults))).collect();
    }
    let shown = sanitize::line(&arg.to_string_lossy());
    let name = arg.to_str().filter(|name| !library::looks_like_path(name));
    let Some(name) = name else {
        return vec![Err(format!("{shown}: no such file"))];
    };
    if let Some(entry) = library.find(name) {
        return vec![Ok(entry.clone())];
    }
    let names: Vec<&str> = library.entries.iter().map(|e| e.stem.as_str()).collect();
    let hint = suggestion(name, &names).map(|close| format!("; did you mean `{}`?", sanitize::line(close)));
    vec![Err(format!("{shown}: no such file or routine{}", hint.unwrap_or_default()))]
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A file as given, a folder replaced by its `.toml` files in name order. A folder that cannot
/// be listed stays as it is, so that its error is reported.
fn expand(path: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(path) {
        Ok(listing) if path.is_dir() => {
            let mut files: Vec<PathBuf> =
                listing.filter_map(Result::ok).map(|e| e.path()).filter(|p| is_toml(p)).collect();
            files.sort();
            files
        }
        _ => vec![path.to_path_buf()],
    }
}

fn is_toml(path: &Path) -> bool {
    path.extension().is_some_and(|x| x.eq_ignore_ascii_case("toml"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::Pauses;

    /// Runs `check` on `args` against the bundled routines; gives (success, stdout, stderr).
    fn check(args: &[PathBuf]) -> (bool, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let ok = run(args, &Library::bundled(Pauses::default()), &mut out, &mut err).is_ok();
        (ok, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    }

    #[test]
    fn a_routine_name_is_checked_like_its_file() {
        let (ok, out, err) = check(&["post-ride".into(), "Bedtime".into()]);
        assert!(ok, "{err}");
        assert!(out.starts_with("ok    bundled:post-ride.toml  ("), "{out}");
        assert!(out.contains("\nok    bundled:bedtime.toml  ("), "{out}");
        assert!(out.ends_with("2 routine files checked, all valid\n"), "{out}");
    }

    #[test]
    fn an_existing_path_wins_over_a_routine_of_the_same_name() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("post-ride");
        std::fs::write(&file, "name = \"Mine\"\n").unwrap();
        let (ok, _, err) = check(std::slice::from_ref(&file));
        assert!(!ok);
        assert!(err.starts_with(&format!("{}:2:1: no exercises", file.display())), "{err}");
    }

    #[test]
    fn what_is_neither_a_file_nor_a_routine_is_said_plainly_without_a_place() {
        let (ok, out, err) = check(&["post-rid".into(), "no/such.toml".into(), "bedtime".into()]);
        assert!(!ok);
        assert!(out.starts_with("ok    bundled:bedtime.toml"), "{out}");
        assert_eq!(
            err,
            "post-rid: no such file or routine; did you mean `post-ride`?\n\
             no/such.toml: no such file\n\
             1 routine file checked, all valid; 2 not found\n"
        );
        let (_, _, err) = check(&["zzzzzz\x1b[31m".into()]);
        assert_eq!(err, "zzzzzz\u{FFFD}[31m: no such file or routine\n");
    }
}
