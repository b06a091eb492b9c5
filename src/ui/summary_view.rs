//! The screen after the last step: how long it took, what was done and what was skipped.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::guide::Guide;
use crate::plan::StepKind;
use crate::routine::seconds;
use crate::sanitize;
use crate::session::Ending;
use crate::ui::session_view::status_line;
use crate::ui::theme::Theme;

pub fn render(frame: &mut Frame, guide: &Guide, theme: &Theme) {
    let area = frame.area();
    let session = guide.session();
    let records = session.records();
    let active: u64 = records.iter().map(|r| r.active_secs).sum();
    let work: Vec<_> = records.iter().filter(|r| r.kind == StepKind::Work).collect();
    let work_total = session.plan().exercises();
    let skipped = work.iter().filter(|r| r.skipped).count();
    let done = work.len() - skipped;
    let headline = headline(session.ended(), done, theme);
    let mut lines = vec![Line::from(headline), Line::from(Span::styled(guide.title.clone(), theme.title))];
    if let Some(streak) = &guide.streak {
        lines.push(Line::from(Span::styled(streak.clone(), theme.good)));
    }
    lines.extend([
        Line::default(),
        // The same sum as the stored record, so the screen and the history agree.
        Line::from(format!("Active time   {}", seconds::clock(Duration::from_secs(active)))),
        Line::from(format!("Exercises     {done} of {work_total} done, {skipped} skipped")),
    ]);
    if let Some(reason) = guide.quit_reason() {
        lines.push(Line::from(format!("Reason        {}", sanitize::line(reason))));
    }
    lines.push(Line::default());
    for r in work {
        let side = r.side.map(|s| format!(" ({})", s.name())).unwrap_or_default();
        let mark =
            if r.skipped { Span::styled("  skipped ", theme.warning) } else { Span::styled("  done    ", theme.good) };
        let amount = match r.reps_done {
            Some(reps) => format!("{reps} reps"),
            None => seconds::short(Duration::from_secs(r.active_secs)),
        };
        lines.push(Line::from(vec![
            mark,
            Span::raw(format!("{}{side}  ", sanitize::line(&r.exercise))),
            Span::styled(amount, theme.dim),
        ]));
    }
    let [body, status, keys] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1), Constraint::Length(1)]).areas(area);
    frame.render_widget(Paragraph::new(lines), body);
    frame.render_widget(Paragraph::new(status_line(guide, theme)), status);
    let hint = match &guide.after {
        // The after-routine check-in sits where the key hint would be: one Enter answers and closes.
        Some(question) => Line::from(vec![
            Span::raw(format!("{} 0-10: ", question.when.question())),
            Span::styled(question.typed.clone(), theme.title),
            Span::styled("_", theme.key),
            Span::styled("   Enter", theme.key),
            Span::styled(" answer and close (empty skips)", theme.dim),
        ]),
        None => Line::from(vec![Span::styled("Enter", theme.key), Span::styled(" close", theme.dim)]),
    };
    frame.render_widget(Paragraph::new(hint).alignment(Alignment::Left), keys);
}

/// The first line: cheering a routine whose every exercise was skipped would ring false.
fn headline(ended: Option<Ending>, done: usize, theme: &Theme) -> Span<'static> {
    match ended {
        Some(Ending::Completed) if done == 0 => Span::styled("Done, every exercise skipped.", theme.warning),
        Some(Ending::Completed) => Span::styled("Done! Well done.", theme.good),
        _ => Span::styled("Stopped.", theme.warning),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crossterm::event::KeyCode;

    use crate::session::Ending;
    use crate::ui::session_view::tests::{guide, press, screen};

    #[test]
    fn summary() {
        let t0 = std::time::Instant::now();
        let mut g = guide(t0);
        g.advance(t0 + Duration::from_secs(48));
        // Skip the plank's preparation and end it inside its range; do the rest at once.
        press(&mut g, KeyCode::Enter, t0 + Duration::from_secs(49));
        press(&mut g, KeyCode::Enter, t0 + Duration::from_secs(120));
        while g.session().ended().is_none() {
            press(&mut g, KeyCode::Enter, t0 + Duration::from_secs(130));
        }
        insta::assert_snapshot!("run_summary", screen(&g, t0 + Duration::from_secs(140), 80, 24).backend());
    }

    #[test]
    fn summary_with_the_streak() {
        let t0 = std::time::Instant::now();
        let mut g = guide(t0);
        while g.session().ended().is_none() {
            press(&mut g, KeyCode::Enter, t0 + Duration::from_secs(30));
        }
        let before = format!("{}", screen(&g, t0 + Duration::from_secs(31), 80, 24).backend());
        assert!(!before.contains("streak"), "no streak until the history gave one:\n{before}");
        g.streak = Some("3-day streak (longest 5) · 2 of 3 this week".into());
        insta::assert_snapshot!("run_summary_streak", screen(&g, t0 + Duration::from_secs(31), 80, 24).backend());
    }

    #[test]
    fn a_routine_whose_every_exercise_was_skipped_is_not_cheered() {
        let theme = crate::ui::theme::Theme::COLOR;
        let line = |ended, done| super::headline(ended, done, &theme).content.into_owned();
        assert_eq!(line(Some(Ending::Completed), 0), "Done, every exercise skipped.");
        assert_eq!(line(Some(Ending::Completed), 1), "Done! Well done.");
        assert_eq!(line(Some(Ending::Quit), 3), "Stopped.");
    }

    #[test]
    fn summary_with_the_after_checkin() {
        let t0 = std::time::Instant::now();
        let mut g = guide(t0);
        g.checkin = true;
        while g.session().ended().is_none() {
            press(&mut g, KeyCode::Enter, t0 + Duration::from_secs(30));
        }
        press(&mut g, KeyCode::Char('3'), t0 + Duration::from_secs(31));
        let text = format!("{}", screen(&g, t0 + Duration::from_secs(31), 100, 24).backend());
        assert!(text.contains("How does your back feel now? 0-10: 3_   Enter answer and close"), "{text}");
    }
}
