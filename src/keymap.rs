//! The keys of the run screen, in one table. The loop matches keys against it and the footer
//! and help overlay are generated from it, so a hint can never name a key that does nothing.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What a key asks the run screen to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    TogglePause,
    Finish,
    Previous,
    Restart,
    More,
    Less,
    Mute,
    Help,
    /// Asks first, with an optional reason.
    Quit,
    /// Ctrl-C: stop at once (raw mode turns it into a key, not a signal).
    Interrupt,
}

/// One row of the key table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [KeyCode],
    /// How the keys are written in hints, e.g. `Enter/→`.
    pub label: &'static str,
    /// A word or two for the footer.
    pub hint: &'static str,
    /// A sentence for the help overlay.
    pub help: &'static str,
    pub action: Action,
}

/// The run screen's keys, in the order hints show them.
pub const RUN: &[Binding] = &[
    Binding {
        keys: &[KeyCode::Char(' ')],
        label: "Space",
        hint: "pause",
        help: "pause or resume",
        action: Action::TogglePause,
    },
    Binding {
        keys: &[KeyCode::Enter, KeyCode::Right],
        label: "Enter/→",
        hint: "next",
        help: "this step is done: go on",
        action: Action::Finish,
    },
    Binding { keys: &[KeyCode::Left], label: "←", hint: "back", help: "go back one step", action: Action::Previous },
    Binding {
        keys: &[KeyCode::Char('q'), KeyCode::Char('Q'), KeyCode::Esc],
        label: "q",
        hint: "quit",
        help: "stop (asks first; the session is saved as stopped)",
        action: Action::Quit,
    },
    Binding {
        keys: &[KeyCode::Char('?')],
        label: "?",
        hint: "help",
        help: "show or hide this help",
        action: Action::Help,
    },
    Binding {
        keys: &[KeyCode::Char('r'), KeyCode::Char('R')],
        label: "r",
        hint: "restart",
        help: "start this step again",
        action: Action::Restart,
    },
    Binding {
        keys: &[KeyCode::Char('+'), KeyCode::Char('=')],
        label: "+",
        hint: "more",
        help: "10 s more, or one more rep",
        action: Action::More,
    },
    Binding {
        keys: &[KeyCode::Char('-'), KeyCode::Char('_')],
        label: "-",
        hint: "less",
        help: "10 s less, or one rep less",
        action: Action::Less,
    },
    Binding {
        keys: &[KeyCode::Char('m'), KeyCode::Char('M')],
        label: "m",
        hint: "mute",
        help: "sound on or off",
        action: Action::Mute,
    },
];

/// The action for a key on the run screen. Only presses count: terminals that report releases
/// and repeats would otherwise skip two steps per tap.
#[must_use]
pub fn run_action(key: &KeyEvent) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c' | 'C')).then_some(Action::Interrupt);
    }
    RUN.iter().find(|b| b.keys.contains(&key.code)).map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn the_documented_keys_map_to_their_actions() {
        assert_eq!(run_action(&press(KeyCode::Char(' '))), Some(Action::TogglePause));
        assert_eq!(run_action(&press(KeyCode::Enter)), Some(Action::Finish));
        assert_eq!(run_action(&press(KeyCode::Right)), Some(Action::Finish));
        assert_eq!(run_action(&press(KeyCode::Left)), Some(Action::Previous));
        assert_eq!(run_action(&press(KeyCode::Char('+'))), Some(Action::More));
        assert_eq!(run_action(&press(KeyCode::Esc)), Some(Action::Quit));
        assert_eq!(run_action(&press(KeyCode::Char('x'))), None);
        assert_eq!(run_action(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Interrupt));
    }

    #[test]
    fn key_releases_and_repeats_do_nothing() {
        let mut release = press(KeyCode::Enter);
        release.kind = KeyEventKind::Release;
        assert_eq!(run_action(&release), None);
        release.kind = KeyEventKind::Repeat;
        assert_eq!(run_action(&release), None);
    }

    #[test]
    fn every_action_has_exactly_one_row() {
        for b in RUN {
            assert_eq!(RUN.iter().filter(|o| o.action == b.action).count(), 1, "{:?}", b.action);
        }
    }
}
