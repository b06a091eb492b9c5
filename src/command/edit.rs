//! `supple new NAME` and `supple edit ROUTINE`: hand a routine file to the user's editor, then
//! validate it, and offer to edit again while it has errors, so a typo is caught at once
//! rather than at the start of the next ride.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{CommandResult, Failure};
use crate::paths::Paths;
use crate::routine::library::{Library, Source};
use crate::routine::{Pauses, file};
use crate::sanitize;

/// The commented template for new routines; documents every key and passes `check`.
pub const TEMPLATE: &str = include_str!("../routine/template.toml");

/// Creates `<routines>/<name>.toml` from the template and opens it. `defaults` (the config's
/// default pauses) are those the file is validated with, as `run` will read it.
pub fn new(name: &str, paths: &Paths, defaults: Pauses, out: &mut dyn Write, err: &mut dyn Write) -> CommandResult {
    let path = create_from_template(name, paths, defaults)?;
    writeln!(out, "created {}", path.display())?;
    edit_until_valid(&Editable { path, bundled: None }, defaults, out, err)
}

/// Opens an existing routine; a bundled one is first copied to the user folder, since the
/// bundled files live inside the binary.
pub fn edit(arg: &str, paths: &Paths, defaults: Pauses, out: &mut dyn Write, err: &mut dyn Write) -> CommandResult {
    let editable = editable_path(arg, paths, defaults, out)?;
    edit_until_valid(&editable, defaults, out, err)
}

/// A routine file to hand to the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editable {
    pub path: PathBuf,
    /// The bundled text `path` was just copied from, when it was.
    pub bundled: Option<String>,
}

impl Editable {
    /// After the editor: a copy of a bundled routine left as it was is removed again, so the
    /// bundled routine (and the improvements a new version brings to it) stays in use rather
    /// than a stale copy overriding it for good. Says whether the copy was removed.
    pub fn drop_unchanged_copy(&self) -> bool {
        let unchanged = self
            .bundled
            .as_ref()
            .is_some_and(|text| std::fs::read(&self.path).ok().as_deref() == Some(text.as_bytes()));
        unchanged && std::fs::remove_file(&self.path).is_ok()
    }
}

/// The file to open for `arg` (a routine name or a path): a bundled routine is copied to the
/// user's routines folder first, and `out` is told so.
pub fn editable_path(arg: &str, paths: &Paths, defaults: Pauses, out: &mut dyn Write) -> Result<Editable, Failure> {
    let library = Library::load(paths, defaults);
    if let Some(entry) = library.find(arg) {
        return match &entry.path {
            Some(path) => Ok(Editable { path: path.clone(), bundled: None }),
            None => {
                let path = paths.routines_dir().join(format!("{}.toml", entry.stem));
                create_file(&path, &entry.text)?;
                writeln!(out, "copied the bundled routine to {} (your copy now replaces it)", path.display())?;
                Ok(Editable { path, bundled: Some(entry.text.clone()) })
            }
        };
    }
    if Path::new(arg).extension().is_some_and(|x| x.eq_ignore_ascii_case("toml")) || arg.contains('/') {
        return Ok(Editable { path: PathBuf::from(arg), bundled: None });
    }
    Err(Failure::new(library.resolve(arg).err().map(|e| e.to_string()).unwrap_or_default()))
}

/// Creates `<routines>/<name>.toml` from the template without opening it; the path is returned.
pub fn create_from_template(name: &str, paths: &Paths, defaults: Pauses) -> Result<PathBuf, Failure> {
    if name.is_empty() || name.len() > 60 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(Failure::new(format!(
            "`{}` cannot be a routine name: use 1 to 60 letters, digits, `-` and `_` (e.g. `evening-stretch`)",
            sanitize::line(name)
        )));
    }
    if let Some(existing) = Library::load(paths, defaults).find(name) {
        let hint = if existing.source == Source::Bundled { "a bundled routine" } else { "a routine" };
        return Err(Failure::new(format!("{hint} named `{name}` exists already; use `supple edit {name}`")));
    }
    let path = paths.routines_dir().join(format!("{name}.toml"));
    let title = name.replace(['-', '_'], " ");
    let mut title_chars = title.chars();
    let title: String = title_chars.next().map(|c| c.to_uppercase().chain(title_chars).collect()).unwrap_or_default();
    create_file(&path, &template_named(&title))?;
    Ok(path)
}

/// The template with `title` as the routine's name, its comment kept in the column of the
/// comments below it (or two spaces after a long name).
fn template_named(title: &str) -> String {
    let placeholder = TEMPLATE.lines().find(|line| line.starts_with("name = \"NAME\"")).unwrap_or_default();
    let comment_at = placeholder.find(" #").map_or(placeholder.len(), |i| i + 1);
    let named = format!("name = {title:?}");
    let gap = comment_at.saturating_sub(named.len()).max(2);
    let line = format!("{named}{:gap$}{}", "", placeholder[comment_at..].trim_start());
    TEMPLATE.replacen(placeholder, &line, 1)
}

fn create_file(path: &Path, text: &str) -> CommandResult {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Failure::new(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Failure::new(format!("cannot create {}: {e}", path.display())))?;
    file.write_all(text.as_bytes()).map_err(|e| Failure::new(format!("cannot write {}: {e}", path.display())))
}

/// Runs the editor, validates, and while there are errors asks whether to edit again.
fn edit_until_valid(editable: &Editable, defaults: Pauses, out: &mut dyn Write, err: &mut dyn Write) -> CommandResult {
    let path = editable.path.as_path();
    loop {
        run_editor(path)?;
        // A new path the editor was left without saving: no error to fix, no file "kept".
        if !path.exists() {
            return Err(Failure::new(format!("{} was not saved, so there is nothing to check", path.display())));
        }
        match file::load(path, defaults) {
            Ok((routine, _)) if editable.drop_unchanged_copy() => {
                writeln!(out, "not changed: {} stays the bundled routine (the copy was removed)", routine.name)?;
                return Ok(());
            }
            Ok((routine, _)) => {
                writeln!(out, "ok: {} ({})", routine.name, path.display())?;
                return Ok(());
            }
            Err(diagnostics) => {
                for d in &diagnostics {
                    writeln!(err, "{d}")?;
                }
                if !ask_edit_again(out)? {
                    writeln!(
                        err,
                        "kept {} with {} problem(s); `supple check` shows them again",
                        path.display(),
                        diagnostics.len()
                    )?;
                    return Err(Failure::reported());
                }
            }
        }
    }
}

/// Asks on standard input. End of input (a script, `</dev/null`) means no, so nothing loops;
/// an empty line means yes, the usual default after a typo.
fn ask_edit_again(out: &mut dyn Write) -> Result<bool, Failure> {
    write!(out, "Edit again? [Y/n] ")?;
    out.flush()?;
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer)? == 0 {
        writeln!(out)?;
        return Ok(false);
    }
    let answer = answer.trim();
    Ok(!answer.eq_ignore_ascii_case("n") && !answer.eq_ignore_ascii_case("no"))
}

/// The user's editor: `$VISUAL`, then `$EDITOR` (both may carry arguments, like
/// `code --wait`), then the first common editor found on `PATH`.
pub fn editor_command() -> Option<Vec<String>> {
    for var in ["VISUAL", "EDITOR"] {
        if let Some(value) = std::env::var_os(var) {
            let words: Vec<String> = value.to_string_lossy().split_whitespace().map(String::from).collect();
            if !words.is_empty() {
                return Some(words);
            }
        }
    }
    ["sensible-editor", "editor", "nano", "vim", "vi"]
        .into_iter()
        .find(|name| on_path(name))
        .map(|name| vec![name.to_string()])
}

/// Whether `program` is an executable file in one of the `PATH` folders.
pub(crate) fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Runs the editor on `path` and waits; the terminal is the editor's until it exits.
pub fn run_editor(path: &Path) -> CommandResult {
    let words = editor_command()
        .ok_or_else(|| Failure::new("no editor found: set $EDITOR (for example `export EDITOR=nano`)"))?;
    let status = Command::new(&words[0])
        .args(&words[1..])
        .arg(path)
        .status()
        .map_err(|e| Failure::new(format!("cannot start editor `{}`: {e}", sanitize::line(&words[0]))))?;
    if status.success() {
        Ok(())
    } else {
        // ExitStatus's own text ("exit status: 1") reads oddly inside a sentence.
        let how = status
            .code()
            .map_or_else(|| "was stopped by a signal".to_string(), |code| format!("exited with code {code}"));
        Err(Failure::new(format!("the editor `{}` {how}; the file was kept", sanitize::line(&words[0]))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_too_long_is_refused_with_the_limit_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths { config_dir: dir.path().join("config"), data_dir: dir.path().join("data") };
        let err = create_from_template(&"a".repeat(61), &paths, Pauses::default()).unwrap_err();
        assert!(err.message.as_deref().unwrap().contains("use 1 to 60 letters, digits"), "{err:?}");
        assert!(!paths.routines_dir().exists());
        assert!(create_from_template(&"a".repeat(60), &paths, Pauses::default()).is_ok());
    }

    #[test]
    fn the_template_is_a_valid_routine_using_every_key() {
        let routine = file::parse("template.toml", TEMPLATE, Pauses::default()).unwrap();
        assert_eq!(routine.name, "NAME");
        for key in [
            "description",
            "tags",
            "prepare",
            "rest",
            "switch",
            "set_rest",
            "duration",
            "each_side",
            "reps",
            "tempo",
            "sets",
            "notes",
            "rounds",
            "[[block]]",
        ] {
            assert!(TEMPLATE.contains(key), "template does not document {key}");
        }
    }

    #[test]
    fn the_name_comment_stays_in_the_column_of_the_others_whatever_the_name() {
        let column = |text: &str, key: &str| text.lines().find(|l| l.starts_with(key)).and_then(|l| l.find('#'));
        for title in ["X", "Evening stretch"] {
            let text = template_named(title);
            assert_eq!(column(&text, "name = "), column(&text, "tags = "), "{title}");
            assert!(text.contains(&format!("name = \"{title}\"")));
        }
        let long = template_named(&"Very long name ".repeat(3));
        assert!(long.contains("name \"  # required"), "{long}");
        let routine = file::parse("new.toml", &template_named("Evening stretch"), Pauses::default()).unwrap();
        assert_eq!(routine.name, "Evening stretch");
    }

    #[test]
    fn the_template_leaves_pauses_to_the_config_and_its_commented_defaults_are_the_real_ones() {
        let base = Pauses { rest: std::time::Duration::from_secs(20), ..Pauses::default() };
        let routine = file::parse("template.toml", TEMPLATE, base).unwrap();
        assert_eq!(routine.exercises().next().unwrap().pauses, base, "the config's [defaults] apply");
        let uncommented: String = TEMPLATE
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(rest) if rest.starts_with("[defaults]") || (rest.contains(" = \"") && !rest.starts_with(' ')) => {
                    rest
                }
                _ => line,
            })
            .flat_map(|line| [line, "\n"])
            .collect();
        let routine = file::parse("template.toml", &uncommented, base).unwrap();
        assert_eq!(routine.exercises().next().unwrap().pauses, Pauses::default(), "{uncommented}");
    }
}
