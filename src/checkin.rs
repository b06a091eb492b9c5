//! The optional check-in (config `checkin = true`): "How does your back feel? 0-10" before and
//! after a routine, so stats can show which routine actually helps. Enter with nothing typed
//! skips the question; it never blocks a session.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// The highest score: 0 is "no pain at all", 10 the worst imaginable.
pub const MAX_SCORE: u8 = 10;

/// Before the routine or after it; only the wording differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Before,
    After,
}

impl When {
    #[must_use]
    pub fn question(self) -> &'static str {
        match self {
            When::Before => "How does your back feel right now?",
            When::After => "How does your back feel now?",
        }
    }
}

/// What a key did to the question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Still typing.
    Pending,
    /// Enter: a score, or `None` when skipped.
    Given(Option<u8>),
    /// Ctrl-C: the user wants out altogether.
    Cancelled,
}

/// A check-in question being answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    pub when: When,
    /// The digits typed so far (at most a valid score).
    pub typed: String,
}

impl CheckIn {
    #[must_use]
    pub fn new(when: When) -> CheckIn {
        CheckIn { when, typed: String::new() }
    }

    /// Digits build a score up to 10; Backspace corrects; Enter answers; Esc skips.
    pub fn key(&mut self, key: &KeyEvent) -> Answer {
        if key.kind != KeyEventKind::Press {
            return Answer::Pending;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            return if matches!(key.code, KeyCode::Char('c' | 'C')) { Answer::Cancelled } else { Answer::Pending };
        }
        match key.code {
            KeyCode::Enter => Answer::Given(parse(&self.typed)),
            KeyCode::Esc => Answer::Given(None),
            KeyCode::Backspace => {
                self.typed.pop();
                Answer::Pending
            }
            KeyCode::Char(c) if c.is_ascii_digit() => {
                let longer = format!("{}{c}", self.typed);
                // Typing "3" after "3" would make 33: keep what is valid instead.
                if parse(&longer).is_some() {
                    self.typed = longer;
                } else {
                    self.typed = c.to_string();
                }
                Answer::Pending
            }
            _ => Answer::Pending,
        }
    }
}

/// A typed score: an integer 0..=10, anything else is no answer.
#[must_use]
pub fn parse(text: &str) -> Option<u8> {
    text.trim().parse::<u8>().ok().filter(|&n| n <= MAX_SCORE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn digits_make_a_score_of_at_most_ten_and_enter_gives_it() {
        let mut q = CheckIn::new(When::Before);
        for c in ['1', '0'] {
            assert_eq!(q.key(&press(KeyCode::Char(c))), Answer::Pending);
        }
        assert_eq!(q.typed, "10");
        q.key(&press(KeyCode::Char('7')));
        assert_eq!(q.typed, "7");
        q.key(&press(KeyCode::Char('x')));
        assert_eq!(q.key(&press(KeyCode::Enter)), Answer::Given(Some(7)));
    }

    #[test]
    fn enter_on_nothing_and_escape_skip_and_ctrl_c_cancels() {
        let mut q = CheckIn::new(When::After);
        assert_eq!(q.key(&press(KeyCode::Enter)), Answer::Given(None));
        q.key(&press(KeyCode::Char('4')));
        assert_eq!(q.key(&press(KeyCode::Esc)), Answer::Given(None));
        assert_eq!(q.key(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)), Answer::Cancelled);
    }

    #[test]
    fn typed_lines_parse_to_scores_in_range_only() {
        assert_eq!(parse(" 3 "), Some(3));
        assert_eq!(parse("0"), Some(0));
        assert_eq!(parse("11"), None);
        assert_eq!(parse("-1"), None);
        assert_eq!(parse(""), None);
    }
}
