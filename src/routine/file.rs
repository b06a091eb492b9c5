//! Reads routine files (format version 1) into validated [`Routine`]s, reporting every problem.
//!
//! Parsing happens in two passes. The TOML parser gives a tree with byte spans; a hand-written
//! walk then checks every key against the format, collecting all errors with their place
//! instead of stopping at the first (as a serde pass would). Only a file without errors becomes
//! a `Routine`. Messages from the TOML parser quote raw input, so only their message text and
//! span are used, and everything goes through `sanitize` (syntax errors are told in
//! `file/syntax.rs`). This file walks the format's tables; reading each typed value within its
//! bounds is in `file/values.rs`.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::Diagnostic;
use super::suggestion::suggestion;
use super::{Block, Exercise, Pauses, Routine, Work, seconds};
use crate::plan::Plan;
use syntax::parse_toml;
use values::{clean_line, truncate, visible};

mod syntax;
// The config file names a repeated key the same way.
pub(crate) use syntax::key_name;
mod values;

/// Larger files are refused before parsing: no routine needs a megabyte, and a huge file
/// must not make `check` or the home screen slow.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_STEPS: usize = 2000;
pub const MAX_TOTAL: Duration = Duration::from_secs(24 * 3600);
const HOUR: Duration = Duration::from_secs(3600);

const TOP_KEYS: &[&str] = &["name", "description", "tags", "defaults", "exercise", "block"];
const PAUSE_KEYS: &[&str] = &["prepare", "rest", "switch", "set_rest"];
const BLOCK_KEYS: &[&str] = &["rounds", "exercise"];
const EXERCISE_KEYS: &[&str] =
    &["name", "duration", "reps", "tempo", "each_side", "sets", "notes", "prepare", "rest", "switch", "set_rest"];

/// Reads and parses a routine file; returns the routine and the file's text (for hashing).
/// Refuses anything that is not a regular file of at most [`MAX_FILE_BYTES`] of UTF-8, before
/// reading it: a FIFO would block, a device could be endless. `base` as in [`parse`].
pub fn load(path: &Path, base: Pauses) -> Result<(Routine, String), Vec<Diagnostic>> {
    let shown = path.display().to_string();
    let text = read_text(path).map_err(|message| vec![Diagnostic::file(&shown, &message)])?;
    let routine = parse(&shown, &text, base)?;
    Ok((routine, text))
}

/// The text of a routine file, or why it cannot be read, in words for the user.
pub fn read_text(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| io_message(&e))?;
    if meta.is_dir() {
        return Err("is a folder, not a routine file".into());
    }
    if !meta.is_file() {
        return Err("is not a regular file (a pipe or device?)".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!("is {} KiB; a routine file may be at most 1 MiB", meta.len() / 1024));
    }
    let file = std::fs::File::open(path).map_err(|e| io_message(&e))?;
    // Sized from metadata so a typical file is read in one call; capped because `len` can lie.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(MAX_FILE_BYTES)).unwrap_or(0) + 1);
    // The file may have grown since `metadata`: read one byte past the limit to notice.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| io_message(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err("is larger than 1 MiB; a routine file may be at most 1 MiB".into());
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        let (line, column) = super::diagnostic::line_column(&text, text.len());
        format!("is not UTF-8 text (binary file?): invalid byte at line {line}, column {column}")
    })
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => format!("cannot be read: {e}"),
    }
}

/// Parses routine text. `path` is only used to name the file in diagnostics. `base` holds the
/// pauses an exercise gets when neither it nor the file's `[defaults]` sets them: the format's
/// own ([`Pauses::default`]) or the user's config `[defaults]` laid over them.
pub fn parse(path: &str, text: &str, base: Pauses) -> Result<Routine, Vec<Diagnostic>> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(vec![Diagnostic::file(path, "is larger than 1 MiB; a routine file may be at most 1 MiB")]);
    }
    let (doc, errors) = parse_toml(path, text)?;
    let mut checker = Checker { path, text, errors };
    let routine = checker.routine(&doc, base);
    checker.errors.sort_by_key(|d| (d.line, d.column));
    match routine {
        Some(routine) if checker.errors.is_empty() => match check_size(path, text, &routine) {
            Ok(()) => Ok(routine),
            // The file alone would not explain why it is too long when only the pauses from
            // the user's config make it so: then the message says where they came from.
            Err(mut errors) if base != Pauses::default() && parse(path, text, Pauses::default()).is_ok() => {
                for e in &mut errors {
                    e.message.push_str(" (counting the pauses from your config's [defaults])");
                }
                Err(errors)
            }
            Err(errors) => Err(errors),
        },
        _ => Err(checker.errors),
    }
}

/// Reads the `[defaults]` table of another file (the user's config) with exactly the keys,
/// duration syntax, bounds and messages of a routine's own `[defaults]`, laid over `base`.
/// A file without the table gives `base` back.
pub fn parse_defaults(path: &str, text: &str, base: Pauses) -> Result<Pauses, Vec<Diagnostic>> {
    let (doc, errors) = parse_toml(path, text)?;
    let mut checker = Checker { path, text, errors };
    let pauses = checker.defaults(doc.get_ref(), base);
    checker.errors.sort_by_key(|d| (d.line, d.column));
    if checker.errors.is_empty() { Ok(pauses) } else { Err(checker.errors) }
}

/// Limits that only the expanded plan can tell: step count and total length. The count is
/// worked out arithmetically first, so a hostile file asking for 100 rounds of 100 sets of
/// thousands of exercises is refused without building millions of steps.
fn check_size(path: &str, text: &str, routine: &Routine) -> Result<(), Vec<Diagnostic>> {
    let at_top = |message: String| vec![Diagnostic::at(path, text, 0, "", "", &message)];
    let upper_bound = step_count_upper_bound(routine);
    if upper_bound > MAX_STEPS as u64 + 1 {
        return Err(at_top(format!("the routine expands to {upper_bound} steps; at most {MAX_STEPS} are allowed")));
    }
    let plan = Plan::new(routine);
    if plan.steps.len() > MAX_STEPS {
        return Err(at_top(format!(
            "the routine expands to {} steps; at most {MAX_STEPS} are allowed",
            plan.steps.len()
        )));
    }
    if plan.total() > MAX_TOTAL {
        return Err(at_top(format!("the routine would take {}; at most 24h is allowed", seconds::short(plan.total()))));
    }
    Ok(())
}

/// Steps the plan would have, counting every pause (the plan drops at most a trailing rest).
fn step_count_upper_bound(routine: &Routine) -> u64 {
    routine.blocks.iter().fold(0u64, |total, block| {
        let per_round = block.exercises.iter().fold(0u64, |sum, e| {
            let sides: u64 = if e.each_side { 2 } else { 1 };
            let sets = u64::from(e.sets);
            let pauses = u64::from(!e.pauses.prepare.is_zero())
                + u64::from(!e.pauses.rest.is_zero())
                + if e.pauses.switch.is_zero() { 0 } else { sets * (sides - 1) }
                + if e.pauses.set_rest.is_zero() { 0 } else { sets - 1 };
            sum.saturating_add(sets * sides + pauses)
        });
        total.saturating_add(per_round.saturating_mul(u64::from(block.rounds)))
    })
}

type Node<'i> = Spanned<DeValue<'i>>;

/// How messages name an exercise: `exercise 3 ("Plank")`, or `exercise 3` while it has no
/// usable name. `label` is `exercise` or `block 2, exercise`.
fn exercise_context(label: &str, number: usize, table: &DeTable<'_>) -> String {
    let raw_name = table.get("name").and_then(|n| n.get_ref().as_str()).map(clean_line);
    match raw_name.as_deref() {
        Some(name) if visible(name) => format!("{label} {number} (\"{}\")", truncate(name, 40)),
        _ => format!("{label} {number}"),
    }
}

/// The keys of `table` that are not `known`, each with the closest known key or the list of
/// those allowed; the config file reports its own unknown keys with this too.
pub(crate) fn unknown_keys(
    path: &str,
    text: &str,
    table: &DeTable<'_>,
    known: &[&str],
    context: &str,
) -> Vec<Diagnostic> {
    let unknown = table.keys().filter(|key| !known.contains(&key.get_ref().as_ref()));
    unknown
        .map(|key| {
            let message = match suggestion(key.get_ref(), known) {
                Some(s) => format!("unknown key; did you mean `{s}`?"),
                None => format!("unknown key; allowed here: {}", known.join(", ")),
            };
            Diagnostic::at(path, text, key.span().start, context, key.get_ref(), &message)
        })
        .collect()
}

/// Walks the parsed tree, collecting every problem in `errors`.
struct Checker<'a> {
    path: &'a str,
    text: &'a str,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, offset: usize, context: &str, field: &str, message: &str) {
        self.errors.push(Diagnostic::at(self.path, self.text, offset, context, field, message));
    }

    /// Reports keys that the format does not know, suggesting the closest known one.
    fn unknown_keys(&mut self, table: &DeTable<'_>, known: &[&str], context: &str) {
        self.errors.extend(unknown_keys(self.path, self.text, table, known, context));
    }

    fn routine(&mut self, doc: &Spanned<DeTable<'_>>, base: Pauses) -> Option<Routine> {
        let doc = doc.get_ref();
        self.unknown_keys(doc, TOP_KEYS, "");
        let name = match doc.get("name") {
            Some(node) => self.name(node, ""),
            None => {
                self.error(0, "", "name", "missing; every routine needs a `name = \"...\"` (1 to 80 characters)");
                None
            }
        };
        let description = doc.get("description").and_then(|n| self.text(n, "", "description"));
        let tags = doc.get("tags").map(|n| self.tags(n)).unwrap_or_default();
        let defaults = self.defaults(doc, base);
        let blocks = match (doc.get("exercise"), doc.get("block")) {
            (Some(_), Some(block)) => {
                self.error(
                    block.span().start,
                    "",
                    "block",
                    "a file uses either top-level [[exercise]] or [[block]] with [[block.exercise]], not both",
                );
                None
            }
            (Some(list), None) => {
                self.exercises(list, defaults, "exercise", 0).map(|exercises| vec![Block { rounds: 1, exercises }])
            }
            (None, Some(list)) => self.blocks(list, defaults),
            (None, None) => {
                self.error(
                    self.text.len(),
                    "",
                    "",
                    "no exercises; add at least one [[exercise]] with a name and a duration or reps",
                );
                None
            }
        };
        Some(Routine { name: name?, description, tags, blocks: blocks? })
    }

    /// The `[defaults]` table of `doc` laid over `base`; `base` when there is none.
    fn defaults(&mut self, doc: &DeTable<'_>, base: Pauses) -> Pauses {
        let Some(node) = doc.get("defaults") else { return base };
        match node.get_ref().as_table() {
            Some(table) => {
                self.unknown_keys(table, PAUSE_KEYS, "defaults");
                self.pauses(table, base, "defaults")
            }
            None => {
                self.wrong_type(node, "", "defaults", "a table (`[defaults]`)");
                base
            }
        }
    }

    fn blocks(&mut self, list: &Node<'_>, defaults: Pauses) -> Option<Vec<Block>> {
        let items = self.table_array(list, "", "block", "[[block]]")?;
        let mut blocks = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let context = format!("block {}", i + 1);
            let Some(table) = item.get_ref().as_table() else {
                self.wrong_type(item, "", "block", "a table ([[block]])");
                ok = false;
                continue;
            };
            self.unknown_keys(table, BLOCK_KEYS, &context);
            let rounds = table.get("rounds").map_or(Some(1), |n| self.count(n, &context, "rounds", 1, 100));
            let exercises = match table.get("exercise") {
                Some(list) => self.exercises(list, defaults, &format!("{context}, exercise"), i + 1),
                None => {
                    self.error(
                        item.span().start,
                        &context,
                        "exercise",
                        "missing; a block needs at least one [[block.exercise]]",
                    );
                    None
                }
            };
            match (rounds, exercises) {
                (Some(rounds), Some(exercises)) => blocks.push(Block { rounds, exercises }),
                _ => ok = false,
            }
        }
        ok.then_some(blocks)
    }

    /// Checks that `node` is a non-empty array of tables and returns its items.
    fn table_array<'n, 'i>(
        &mut self,
        node: &'n Node<'i>,
        context: &str,
        field: &str,
        form: &str,
    ) -> Option<&'n [Node<'i>]> {
        match node.get_ref().as_array() {
            Some(items) if !items.is_empty() => Some(items),
            Some(_) => {
                self.error(node.span().start, context, field, &format!("is empty; add at least one {form}"));
                None
            }
            None => {
                self.wrong_type(node, context, field, &format!("a list of tables written {form}"));
                None
            }
        }
    }

    /// `label` is `exercise` or `block 2, exercise`; `block` is 0 for top-level exercises.
    fn exercises(&mut self, list: &Node<'_>, defaults: Pauses, label: &str, block: usize) -> Option<Vec<Exercise>> {
        let field = if block == 0 { "exercise" } else { "block.exercise" };
        let items = self.table_array(list, "", field, &format!("[[{field}]]"))?;
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match self.exercise(item, defaults, label, i + 1) {
                Some(e) => out.push(e),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn exercise(&mut self, node: &Node<'_>, defaults: Pauses, label: &str, number: usize) -> Option<Exercise> {
        let Some(table) = node.get_ref().as_table() else {
            self.wrong_type(node, "", label, "a table ([[exercise]])");
            return None;
        };
        // The name goes into the context of every other message, so read it first.
        let context = exercise_context(label, number, table);
        self.unknown_keys(table, EXERCISE_KEYS, &context);
        let name = match table.get("name") {
            Some(n) => self.name(n, &context),
            None => {
                self.error(node.span().start, &context, "name", "missing; every exercise needs a `name`");
                None
            }
        };
        let notes = table.get("notes").and_then(|n| self.text(n, &context, "notes"));
        let each_side = table.get("each_side").map_or(Some(false), |n| self.boolean(n, &context, "each_side"));
        let sets = table.get("sets").map_or(Some(1), |n| self.count(n, &context, "sets", 1, 100));
        let pauses = self.pauses(table, defaults, &context);
        let work = self.work(node, table, &context);
        Some(Exercise { name: name?, notes, work: work?, each_side: each_side?, sets: sets?, pauses })
    }

    /// Exactly one of `duration` or `reps`; `tempo` only with `reps`.
    fn work(&mut self, node: &Node<'_>, table: &DeTable<'_>, context: &str) -> Option<Work> {
        let tempo = table.get("tempo");
        match (table.get("duration"), table.get("reps")) {
            (Some(d), Some(r)) => {
                // Each value's own errors too, so that settling the clash uncovers nothing new.
                self.hold(d, context);
                self.count(r, context, "reps", 1, 1000);
                if let Some(t) = tempo {
                    self.duration(t, context, "tempo", Duration::from_secs(1), HOUR);
                }
                let later = if d.span().start > r.span().start { ("duration", d) } else { ("reps", r) };
                self.error(
                    later.1.span().start,
                    context,
                    later.0,
                    "an exercise has either `duration` (a hold) or `reps`, not both",
                );
                None
            }
            (None, None) => {
                // `duraton = 30` got "did you mean `duration`?"; that the exercise has no dose
                // until it is fixed is said at the same place, right after it.
                let misspelt = table.keys().find(|k| {
                    !EXERCISE_KEYS.contains(&k.get_ref().as_ref())
                        && matches!(suggestion(k.get_ref(), EXERCISE_KEYS), Some("duration" | "reps"))
                });
                let (at, because) = match misspelt {
                    Some(k) => (k.span().start, format!(", as `{}` is not a key", truncate(k.get_ref(), 40))),
                    None => (node.span().start, String::new()),
                };
                let message = format!("missing{because}; give `duration = \"30s\"` (a hold) or `reps = 10`");
                self.error(at, context, "duration", &message);
                None
            }
            (Some(d), None) => {
                if let Some(t) = tempo {
                    self.error(t.span().start, context, "tempo", "only applies to `reps`; a hold has no tempo");
                }
                let work = self.hold(d, context)?;
                tempo.is_none().then_some(work)
            }
            (None, Some(r)) => {
                let count = self.count(r, context, "reps", 1, 1000);
                let tempo = match tempo {
                    Some(t) => Some(self.duration(t, context, "tempo", Duration::from_secs(1), HOUR)?),
                    None => None,
                };
                Some(Work::Reps { count: count?, tempo })
            }
        }
    }

    /// A fixed hold (`"45s"`) or a range hold (`"60-90s"`).
    fn hold(&mut self, node: &Node<'_>, context: &str) -> Option<Work> {
        if let Some(text) = node.get_ref().as_str().filter(|t| t.contains('-')) {
            let Some((min, max)) = seconds::parse_range(text) else {
                self.bad_value(node, context, "duration", "a range must look like \"60-90s\" or \"1m-1m30s\"");
                return None;
            };
            if min < Duration::from_secs(1) || max > HOUR {
                self.bad_value(node, context, "duration", "a range must lie between 1s and 1h");
                return None;
            }
            if min >= max {
                self.bad_value(node, context, "duration", "the range's minimum must be below its maximum");
                return None;
            }
            return Some(Work::RangeHold { min, max });
        }
        self.duration(node, context, "duration", Duration::from_secs(1), HOUR).map(Work::Hold)
    }

    /// The four pauses, each taken from `table` when present, else from `base`.
    fn pauses(&mut self, table: &DeTable<'_>, base: Pauses, context: &str) -> Pauses {
        let mut pick = |key: &str, fallback: Duration| {
            table.get(key).and_then(|n| self.duration(n, context, key, Duration::ZERO, HOUR)).unwrap_or(fallback)
        };
        Pauses {
            prepare: pick("prepare", base.prepare),
            rest: pick("rest", base.rest),
            switch: pick("switch", base.switch),
            set_rest: pick("set_rest", base.set_rest),
        }
    }
}

#[cfg(test)]
mod tests;
