//! TOML syntax errors, told in the routine's own words. The parser's messages quote the raw
//! line, so only their first line and span are kept. A duplicate key is the one error whose
//! place the recovered tree can explain: the parser keeps the first value and drops the second,
//! so the table holding the first tells which exercise (or block, or `[defaults]`) it is in and
//! on which line the key was first set; and as that tree is the file without the repeat, the
//! rest of the file is still checked. A table header written twice is found in the text
//! instead, as the tree gives the table the second header's place. Every byte taken from the
//! file goes through `sanitize` (in [`Diagnostic::at`]).

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::exercise_context;
use crate::routine::diagnostic::{Diagnostic, line_column};

/// The TOML tree with spans and the syntax errors to report with what the checker finds in it,
/// or, when the tree cannot be trusted, every syntax error found. Duplicate keys alone leave a
/// tree that is the file without its repeated keys, so the rest of the file is still checked
/// and all its errors reported at once.
pub(super) fn parse_toml<'i>(
    path: &str,
    text: &'i str,
) -> Result<(Spanned<DeTable<'i>>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (doc, syntax_errors) = DeTable::parse_recoverable(text);
    if syntax_errors.is_empty() {
        return Ok((doc, Vec::new()));
    }
    let trusted = syntax_errors.iter().all(|e| first_line(e.message()) == DUPLICATE);
    let mut out: Vec<Diagnostic> = syntax_errors
        .iter()
        .map(|e| {
            let span = e.span().unwrap_or(0..0);
            let message = first_line(e.message());
            match message {
                DUPLICATE => duplicate_key(path, text, doc.get_ref(), span),
                _ => Diagnostic::at(path, text, span.start, "", "", &format!("invalid TOML: {message}")),
            }
        })
        .collect();
    out.dedup();
    if trusted { Ok((doc, out)) } else { Err(out) }
}

/// The parser's message for a key or table set twice.
const DUPLICATE: &str = "duplicate key";

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or("").trim()
}

/// `exercise 1 ("Cat-cow"): reps: duplicate key; first set on line 5`. The key at `span` is
/// the second one; the first is the nearest earlier key of that name, in whichever table holds
/// it (tables written with headers are contiguous, so no other table's key comes between).
fn duplicate_key(path: &str, text: &str, doc: &DeTable<'_>, span: Range<usize>) -> Diagnostic {
    let raw = text.get(span.clone()).unwrap_or_default();
    let key = key_name(raw);
    let mut tables = Vec::new();
    collect_tables(doc, &Where::Root, &mut tables);
    let first = tables
        .iter()
        .filter_map(|(context, table)| {
            let (k, _) = table.get_key_value(key.as_str())?;
            (k.span().start < span.start).then_some((k.span().start, context))
        })
        .max_by_key(|(start, _)| *start);
    match first {
        Some((start, context)) => {
            let (line, _) = line_column(text, start);
            Diagnostic::at(path, text, span.start, context, &key, &format!("duplicate key; first set on line {line}"))
        }
        None => match earlier_header(text, span.start) {
            Some(line) => {
                Diagnostic::at(path, text, span.start, "", &key, &format!("duplicate table; first set on line {line}"))
            }
            None => Diagnostic::at(path, text, span.start, "", &key, "duplicate key"),
        },
    }
}

/// For a table header written twice (`[defaults]`), the line of the first one. The recovered
/// tree cannot tell: it gives the table the second header's place. So the lines before are
/// searched for the same header, compared by its dotted parts without spaces.
fn earlier_header(text: &str, at: usize) -> Option<usize> {
    fn header(line: &str) -> Option<Vec<&str>> {
        let inner = line.trim().strip_prefix('[')?;
        if inner.starts_with('[') {
            return None;
        }
        let (inner, _) = inner.split_once(']')?;
        Some(inner.split('.').map(str::trim).collect())
    }
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text.get(at..)?.find('\n').map_or(text.len(), |i| at + i);
    let repeated = header(text.get(line_start..line_end)?)?;
    let before = text.get(..line_start)?;
    before.lines().position(|line| header(line).as_ref() == Some(&repeated)).map(|index| index + 1)
}

/// A key as written (`reps`, `"reps"`, `'reps'`) as the parser reads it, so that it matches
/// the table's own key; a key that does not parse alone is kept as written.
pub(crate) fn key_name(raw: &str) -> String {
    let line = format!("{raw} = 0");
    DeTable::parse(&line)
        .ok()
        .and_then(|t| t.get_ref().keys().next().map(|k| k.get_ref().to_string()))
        .unwrap_or_else(|| raw.to_string())
}

/// Where a table sits, for naming it as the checker's messages do.
enum Where {
    Root,
    Block(usize),
    /// Any other table: named by its dotted path.
    Other(String),
}

/// Every table of the tree, named as in the checker's messages (`exercise 2 ("Plank")`,
/// `block 1, exercise 1`, `defaults`, empty at top level; others by their dotted path).
fn collect_tables<'t, 'i>(table: &'t DeTable<'i>, at: &Where, out: &mut Vec<(String, &'t DeTable<'i>)>) {
    let label = match at {
        Where::Root => String::new(),
        Where::Block(n) => format!("block {n}"),
        Where::Other(label) => label.clone(),
    };
    for (key, value) in table {
        let key = key.get_ref().as_ref();
        let path = if label.is_empty() { key.to_string() } else { format!("{label}.{key}") };
        match value.get_ref() {
            DeValue::Table(t) => collect_tables(t, &Where::Other(path), out),
            DeValue::Array(items) => {
                // Numbered among all the items, as the checker numbers them.
                let tables = items.iter().enumerate().filter_map(|(i, item)| Some((i + 1, item.get_ref().as_table()?)));
                for (number, t) in tables {
                    let at = match (at, key) {
                        (Where::Root, "exercise") => Where::Other(exercise_context("exercise", number, t)),
                        (Where::Block(n), "exercise") => {
                            Where::Other(exercise_context(&format!("block {n}, exercise"), number, t))
                        }
                        (Where::Root, "block") => Where::Block(number),
                        _ => Where::Other(format!("{path} {number}")),
                    };
                    collect_tables(t, &at, out);
                }
            }
            _ => {}
        }
    }
    out.push((label, table));
}

#[cfg(test)]
mod tests {
    use crate::routine::Pauses;
    use crate::routine::file::parse;

    fn errors(text: &str) -> Vec<String> {
        parse("r.toml", text, Pauses::default()).unwrap_err().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_duplicate_key_names_the_key_its_exercise_and_the_first_line() {
        let text = "name = \"R\"\n[[block]]\n[[block.exercise]]\nname = \"Clam\"\nreps = 1\n\
                    [[block]]\n[[block.exercise]]\nname = \"Plank\"\nduration = 5\n\
                    [[block.exercise]]\nname = \"Cat-cow\"\nreps = 10\n'reps' = 12\n";
        assert_eq!(
            errors(text),
            ["r.toml:13:1: block 2, exercise 2 (\"Cat-cow\"): reps: duplicate key; first set on line 12"]
        );
        assert_eq!(
            errors("name = \"A\"\nname = \"B\"\n"),
            [
                "r.toml:2:1: name: duplicate key; first set on line 1",
                "r.toml:3:1: no exercises; add at least one [[exercise]] with a name and a duration or reps"
            ]
        );
    }

    #[test]
    fn a_table_header_written_twice_says_where_the_first_is() {
        let text = "name = \"X\"\n[defaults]\nprepare = \"5s\"\n\n[[exercise]]\nname = \"Plank\"\n\
                    duration = 30\n\n[ defaults ]  # again\nrest = \"10s\"\n";
        assert_eq!(errors(text), ["r.toml:9:3: defaults: duplicate table; first set on line 2"]);
    }

    #[test]
    fn a_duplicate_in_another_table_is_not_blamed_on_an_earlier_exercise() {
        let text = "name = \"R\"\n[[exercise]]\nname = \"Dog\"\nreps = 5\n[extra]\nreps = 1\nreps = 2\n";
        let errors = errors(text);
        assert!(
            errors.contains(&"r.toml:7:1: extra: reps: duplicate key; first set on line 6".to_string()),
            "{errors:?}"
        );
    }

    #[test]
    fn a_hostile_duplicate_key_reaches_the_message_sanitized() {
        let text =
            "name = \"R\"\n[[exercise]]\nname = \"Dog\"\nduration = 5\n\"a\\u001b[2J\" = 1\n\"a\\u001b[2J\" = 2\n";
        let errors = errors(text);
        assert!(
            errors.contains(
                &"r.toml:6:1: exercise 1 (\"Dog\"): a\u{FFFD}[2J: duplicate key; first set on line 5".to_string()
            ),
            "{errors:?}"
        );
        assert!(errors.iter().all(|e| !e.chars().any(char::is_control)), "{errors:?}");
    }

    #[test]
    fn other_syntax_errors_still_stop_the_check() {
        assert_eq!(
            errors("name = \"R\nreps = 1\nreps = 2\n"),
            [
                "r.toml:1:10: invalid TOML: invalid basic string, expected `\"`",
                "r.toml:3:1: reps: duplicate key; first set on line 2"
            ]
        );
    }
}
