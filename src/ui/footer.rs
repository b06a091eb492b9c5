//! The one-line key hint and the help overlay's lines, both generated from `keymap::RUN`,
//! the table the run loop matches keys against.

use ratatui::text::{Line, Span};

use crate::keymap::{Binding, RUN};
use crate::ui::theme::Theme;

/// `Space pause  Enter/→ next  ...`: as many hints as fit in `width` columns, whole ones only,
/// so a narrow window drops the last hints rather than cutting one in half.
#[must_use]
pub fn hints(theme: &Theme, width: u16) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0usize;
    for binding in RUN {
        let piece = hint_width(binding);
        if used + piece > usize::from(width) {
            break;
        }
        spans.push(Span::styled(binding.label, theme.key));
        spans.push(Span::styled(format!(" {}  ", binding.hint), theme.dim));
        used += piece;
    }
    Line::from(spans)
}

fn hint_width(binding: &Binding) -> usize {
    unicode_width::UnicodeWidthStr::width(binding.label) + 1 + binding.hint.len() + 2
}

/// One line per key for the `?` overlay.
#[must_use]
pub fn help_lines(theme: &Theme) -> Vec<Line<'static>> {
    RUN.iter()
        .map(|b| Line::from(vec![Span::styled(format!("{:>9}  ", b.label), theme.key), Span::raw(b.help)]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn hints_name_every_key_when_there_is_room_and_never_cut_one() {
        let wide = text(&hints(&Theme::COLOR, 200));
        for b in RUN {
            assert!(wide.contains(&format!("{} {}", b.label, b.hint)), "{wide}");
        }
        let narrow = text(&hints(&Theme::COLOR, 30));
        assert_eq!(narrow.trim_end(), "Space pause  Enter/→ next");
    }
}
