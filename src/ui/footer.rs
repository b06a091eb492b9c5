//! The one-line key hint and the help overlay's lines, both generated from `keymap::RUN`,
//! the table the run loop matches keys against.

use ratatui::text::{Line, Span};

use crate::keymap::RUN;
use crate::ui::theme::Theme;

/// `Space pause  Enter/→ next  ...`: as many hints as fit in `width` columns, whole ones only,
/// so a narrow window drops the last hints rather than cutting one in half.
#[must_use]
pub fn hints(theme: &Theme, width: u16) -> Line<'static> {
    hint_line(RUN.iter().map(|b| (b.label, b.hint)), theme, width)
}

/// The same fitting for any screen's key table, given as `(label, hint)` pairs.
#[must_use]
pub fn hint_line(
    pairs: impl IntoIterator<Item = (&'static str, &'static str)>,
    theme: &Theme,
    width: u16,
) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0usize;
    for (label, hint) in pairs {
        let piece = unicode_width::UnicodeWidthStr::width(label) + 1 + hint.len() + 2;
        if used + piece > usize::from(width) {
            break;
        }
        spans.push(Span::styled(label, theme.key));
        spans.push(Span::styled(format!(" {hint}  "), theme.dim));
        used += piece;
    }
    Line::from(spans)
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
