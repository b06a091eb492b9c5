//! The check-in question before a routine: "How does your back feel right now? 0-10".

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::checkin::CheckIn;
use crate::ui::theme::Theme;

/// The question, the score typed so far and the keys, centred. `title` must be sanitized.
pub fn render(frame: &mut Frame, title: &str, question: &CheckIn, theme: &Theme) {
    let area = frame.area();
    let lines = vec![
        Line::from(Span::styled(title.to_string(), theme.title)),
        Line::default(),
        Line::from(question.when.question()),
        Line::from(Span::styled("0 = no pain at all, 10 = the worst you can imagine", theme.dim)),
        Line::default(),
        Line::from(vec![
            Span::styled("> ", theme.key),
            Span::raw(question.typed.clone()),
            Span::styled("_", theme.key),
        ]),
        Line::default(),
        Line::from(vec![
            Span::styled("Enter", theme.key),
            Span::styled(" answer (empty skips)   ", theme.dim),
            Span::styled("Ctrl-C", theme.key),
            Span::styled(" leave", theme.dim),
        ]),
    ];
    let height = (lines.len() as u16).min(area.height);
    let rect = Rect { x: area.x, y: area.y + (area.height - height) / 2, width: area.width, height };
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center).wrap(Wrap { trim: true }), rect);
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::checkin::When;

    #[test]
    fn checkin_before() {
        let mut question = CheckIn::new(When::Before);
        question.key(&KeyEvent::new(KeyCode::Char('4'), KeyModifiers::NONE));
        let mut terminal = Terminal::new(TestBackend::new(80, 16)).unwrap();
        terminal.draw(|f| render(f, "Post-ride reset", &question, &Theme::COLOR)).unwrap();
        insta::assert_snapshot!("checkin_before", terminal.backend());
        // Any size, down to one cell, draws without panicking.
        for (w, h) in [(1, 1), (20, 3), (200, 60)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| render(f, "Post-ride reset", &question, &Theme::COLOR)).unwrap();
        }
    }
}
