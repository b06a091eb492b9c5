//! Makes untrusted text (routine names, notes, file paths, parser messages) safe to print.
//!
//! Routine files come from anywhere: a shared gist, a `git pull`. A name holding an escape
//! sequence could retitle the terminal, hide text or worse, so every string that came from a
//! file passes through here before it reaches any output. Control characters (C0, DEL, C1)
//! become U+FFFD; bidirectional overrides and isolates, which can reorder what a reader sees,
//! are dropped. Printable text, wide characters and emoji are kept as they are.

use std::fmt::Write as _;

/// Replacement shown where a control character stood, so the user sees that something was there.
const REPLACEMENT: char = '\u{FFFD}';

/// Cleans text that must stay on one line (names, tags, paths, messages).
#[must_use]
pub fn line(text: &str) -> String {
    clean(text, false)
}

/// Cleans text that may span lines (notes, descriptions): keeps `\n`, turns tabs into spaces.
#[must_use]
pub fn multiline(text: &str) -> String {
    clean(text, true)
}

fn clean(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\n' if keep_newlines => out.push('\n'),
            '\t' => out.push(' '),
            '\r' if keep_newlines => {}
            c if is_bidi_control(c) => {}
            c if c.is_control() => out.push(REPLACEMENT),
            c => out.push(c),
        }
    }
    out
}

/// Re-escapes what `serde_json` leaves raw but a terminal would act on (DEL, C1 controls) or
/// reorder text by (bidi controls). `text` must be JSON, where these can only occur inside
/// strings: there they become `\uXXXX`, so the data is kept exactly and the bytes are safe.
#[must_use]
pub fn json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (c.is_control() && c != '\n') || is_bidi_control(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Bidi embeddings, overrides, isolates and marks that can make text display in another order
/// than it is stored ("Trojan Source"); a routine name has no need of them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_c1_controls_are_replaced() {
        let hostile = "Plank\x1b]0;pwned\x07\u{9b}31m\0";
        let cleaned = line(hostile);
        assert!(!cleaned.chars().any(char::is_control), "{cleaned:?}");
        assert_eq!(cleaned, "Plank\u{FFFD}]0;pwned\u{FFFD}\u{FFFD}31m\u{FFFD}");
    }

    #[test]
    fn bidi_overrides_are_dropped_and_wide_text_kept() {
        assert_eq!(line("a\u{202E}b\u{2066}c"), "abc");
        assert_eq!(line("猫のポーズ 🐈 שלום"), "猫のポーズ 🐈 שלום");
    }

    #[test]
    fn json_keeps_the_data_and_escapes_what_a_terminal_would_act_on() {
        let text = serde_json::to_string_pretty(&serde_json::json!({"name": "a\u{9b}b\u{202e}c\x1b"})).unwrap();
        let escaped = json(&text);
        assert_eq!(escaped, "{\n  \"name\": \"a\\u009bb\\u202ec\\u001b\"\n}");
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["name"], "a\u{9b}b\u{202e}c\x1b");
    }

    #[test]
    fn newlines_survive_only_in_multiline_text() {
        assert_eq!(multiline("one\r\ntwo\tthree"), "one\ntwo three");
        assert_eq!(line("one\ntwo"), "one\u{FFFD}two");
    }
}
