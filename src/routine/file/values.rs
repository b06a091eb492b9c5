//! Reading one typed value of a routine file (a duration, a count, a name, tags...) within its
//! bounds, or recording a located error for it: the field-level half of the `Checker`, whose
//! walk over the format's tables is in `file.rs`.

use std::time::Duration;

use toml::de::DeValue;

use super::{Checker, MAX_NAME_CHARS, Node};
use crate::routine::seconds;
use crate::sanitize;

const MAX_TAGS: usize = 20;
const MAX_TAG_CHARS: usize = 40;

impl Checker<'_> {
    /// A duration as whole seconds (integer) or text (`"45s"`, `"1:30"`), within bounds.
    pub(super) fn duration(
        &mut self,
        node: &Node<'_>,
        context: &str,
        field: &str,
        min: Duration,
        max: Duration,
    ) -> Option<Duration> {
        let bounds = format!("between {} and {}", seconds::short(min), seconds::short(max));
        let value = match node.get_ref() {
            DeValue::String(s) => match seconds::parse(s) {
                Some(d) => d,
                None => {
                    let msg = format!("must be a duration like \"45s\", \"1m30s\" or \"1:30\" ({bounds})");
                    self.bad_value(node, context, field, &msg);
                    return None;
                }
            },
            DeValue::Integer(i) => match integer(i) {
                Some(n) if n >= 0 => Duration::from_secs(n.unsigned_abs()),
                _ => {
                    self.bad_value(node, context, field, &format!("must be {bounds}"));
                    return None;
                }
            },
            _ => {
                self.wrong_type(node, context, field, "a duration like \"45s\" or a whole number of seconds");
                return None;
            }
        };
        if value < min || value > max {
            self.bad_value(node, context, field, &format!("must be {bounds}"));
            return None;
        }
        Some(value)
    }

    pub(super) fn count(&mut self, node: &Node<'_>, context: &str, field: &str, min: i64, max: i64) -> Option<u32> {
        let Some(i) = node.get_ref().as_integer() else {
            self.wrong_type(node, context, field, &format!("a whole number from {min} to {max}"));
            return None;
        };
        match integer(i) {
            Some(n) if (min..=max).contains(&n) => u32::try_from(n).ok(),
            _ => {
                self.bad_value(node, context, field, &format!("must be from {min} to {max}"));
                None
            }
        }
    }

    pub(super) fn boolean(&mut self, node: &Node<'_>, context: &str, field: &str) -> Option<bool> {
        let value = node.get_ref().as_bool();
        if value.is_none() {
            self.wrong_type(node, context, field, "true or false");
        }
        value
    }

    /// A one-line name of 1 to 80 characters.
    pub(super) fn name(&mut self, node: &Node<'_>, context: &str) -> Option<String> {
        let Some(raw) = node.get_ref().as_str() else {
            self.wrong_type(node, context, "name", "text in quotes");
            return None;
        };
        // Checked after cleaning: a name of only bidi controls or zero-width joiners would
        // otherwise pass as one character and then show as nothing at all.
        let name = clean_line(raw);
        let chars = name.chars().count();
        let several_lines = raw.trim().contains('\n');
        if !visible(&name) || chars > MAX_NAME_CHARS || several_lines {
            let found = if several_lines {
                "several lines".to_string()
            } else if !visible(&name) && !raw.trim().is_empty() {
                "only invisible characters".to_string()
            } else {
                format!("{chars}")
            };
            self.error(
                node.span().start,
                context,
                "name",
                &format!("must be 1 to {MAX_NAME_CHARS} characters on one line, got {found}"),
            );
            return None;
        }
        Some(name)
    }

    /// Free text (description, notes): may span lines; empty means absent.
    pub(super) fn text(&mut self, node: &Node<'_>, context: &str, field: &str) -> Option<String> {
        let Some(raw) = node.get_ref().as_str() else {
            self.wrong_type(node, context, field, "text in quotes");
            return None;
        };
        let cleaned = sanitize::multiline(raw.trim());
        let trimmed = cleaned.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_string())
    }

    pub(super) fn tags(&mut self, node: &Node<'_>) -> Vec<String> {
        let Some(items) = node.get_ref().as_array() else {
            self.wrong_type(node, "", "tags", "a list of short words, like [\"hips\", \"post-ride\"]");
            return Vec::new();
        };
        if items.len() > MAX_TAGS {
            self.error(node.span().start, "", "tags", &format!("at most {MAX_TAGS} tags, got {}", items.len()));
        }
        let mut tags = Vec::new();
        for item in items {
            match item.get_ref().as_str().map(|raw| (clean_line(raw), raw.trim().contains('\n'))) {
                Some((tag, false)) if visible(&tag) && tag.chars().count() <= MAX_TAG_CHARS => tags.push(tag),
                // Quoting it back would show `got ""` for a tag that is not empty in the file.
                Some((tag, false)) if !visible(&tag) && item.get_ref().as_str().is_some_and(|t| !t.is_empty()) => {
                    let message = format!(
                        "each tag must be 1 to {MAX_TAG_CHARS} characters on one line, got only invisible characters"
                    );
                    self.error(item.span().start, "", "tags", &message);
                }
                Some(_) => self.bad_value(
                    item,
                    "",
                    "tags",
                    &format!("each tag must be 1 to {MAX_TAG_CHARS} characters on one line"),
                ),
                None => self.wrong_type(item, "", "tags", "text in quotes"),
            }
        }
        tags
    }

    pub(super) fn wrong_type(&mut self, node: &Node<'_>, context: &str, field: &str, wanted: &str) {
        let found = node.get_ref().type_str();
        self.error(node.span().start, context, field, &format!("must be {wanted}, got {} {found}", article(found)));
    }

    /// `allowed` says what would be right; the value found is quoted back, shortened.
    pub(super) fn bad_value(&mut self, node: &Node<'_>, context: &str, field: &str, allowed: &str) {
        let span = node.span();
        let raw = self.text.get(span.start..span.end).unwrap_or("");
        let shown = match node.get_ref() {
            DeValue::String(s) => format!("\"{}\"", truncate(&sanitize::line(s), 40)),
            DeValue::Integer(i) if integer(i).is_some() => integer(i).unwrap_or_default().to_string(),
            _ => truncate(&sanitize::line(raw), 40),
        };
        self.error(span.start, context, field, &format!("{allowed}, got {shown}"));
    }
}

/// One-line text as it will be shown: control characters replaced, bidi controls dropped,
/// then trimmed, so that what is measured (empty? too long?) is what the user would see.
pub(super) fn clean_line(raw: &str) -> String {
    sanitize::line(raw.trim()).trim().to_string()
}

/// Whether `text` would leave a mark on screen: some character that is neither space nor of
/// zero width (zero-width joiners and spaces, combining marks alone, word joiners).
pub(super) fn visible(text: &str) -> bool {
    text.chars().any(|c| !c.is_whitespace() && unicode_width::UnicodeWidthChar::width(c).is_some_and(|w| w > 0))
}

pub(super) fn integer(i: &toml::de::DeInteger<'_>) -> Option<i64> {
    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
}

pub(super) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

pub(super) fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max_chars - 1).collect();
    out.push('…');
    out
}
