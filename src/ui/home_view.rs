//! The home screen: the routine list (name, length, times done, last done) beside a preview of
//! the selected routine, the streak summary on top, prompts and key hints at the bottom.
//! Works from 80x24 up; below [`MIN_WIDTH`]x[`MIN_HEIGHT`] it asks for a larger window.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::command::fit;
use crate::home::{HOME_KEYS, Home, Prompt, Row};
use crate::plan::{Plan, StepKind};
use crate::routine::{Work, seconds};
use crate::ui::footer;
use crate::ui::theme::Theme;

pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;

/// Rows a long status message may take: enough for a routine's path, its error and the
/// "(press e to edit)" at the end at 80 columns, while the list keeps most of its room.
const MAX_STATUS_ROWS: usize = 3;

pub fn render(frame: &mut Frame, home: &Home, theme: &Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!("Window too small for supple (need {MIN_WIDTH}x{MIN_HEIGHT}); q quits");
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let status_rows = status_lines(home, theme, usize::from(area.width));
    let [top, middle, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(status_rows.len() as u16),
        Constraint::Length(1),
    ])
    .areas(area);
    render_top(frame, top, home, theme);
    let list_width = (area.width * 11 / 20).clamp(40, 64);
    let [list_area, preview_area] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Min(10)]).areas(middle);
    render_list(frame, list_area, home, theme);
    render_preview(frame, preview_area, home, theme);
    frame.render_widget(Paragraph::new(status_rows), status);
    frame.render_widget(
        Paragraph::new(footer::hint_line(HOME_KEYS.iter().map(|b| (b.label, b.hint)), theme, footer.width)),
        footer,
    );
    if home.help {
        render_help(frame, middle, theme);
    }
}

fn render_top(frame: &mut Frame, area: Rect, home: &Home, theme: &Theme) {
    let mut spans = vec![Span::styled("supple", theme.title)];
    if let Some(streak) = &home.history.streak {
        spans.push(Span::styled("  ·  ", theme.dim));
        spans.push(Span::styled(streak.clone(), theme.good));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_list(frame: &mut Frame, area: Rect, home: &Home, theme: &Theme) {
    let title = if home.filter.is_empty() {
        " Routines ".to_string()
    } else {
        format!(" Routines matching “{}” ", home.filter)
    };
    let block = Block::default().borders(Borders::ALL).border_style(theme.border).title(title);
    let inner_width = usize::from(area.width.saturating_sub(4));
    let visible = home.visible();
    if visible.is_empty() {
        let text = if home.filter.is_empty() { "No routines." } else { "No routine matches; Esc clears the filter." };
        frame.render_widget(Paragraph::new(text).style(theme.dim).block(block), area);
        return;
    }
    let items: Vec<ListItem> = visible.iter().map(|row| ListItem::new(row_line(row, inner_width, theme))).collect();
    let mut state = ListState::default().with_selected(Some(home.selected));
    let list = List::new(items).block(block).highlight_style(theme.flash).highlight_symbol("› ");
    frame.render_stateful_widget(list, area, &mut state);
}

/// `post-ride          4m01s   12×  2026-11-20`, or the file's first error.
fn row_line(row: &Row, width: usize, theme: &Theme) -> Line<'static> {
    let stats_width = 25;
    let name_width = width.saturating_sub(stats_width).max(8);
    let name = format!("{:<name_width$}", fit(&row.stem, name_width));
    // `fit` counts columns; pad by columns too so wide names do not push the stats out.
    let pad = name_width.saturating_sub(unicode_width::UnicodeWidthStr::width(name.trim_end()));
    let name = format!("{}{}", name.trim_end(), " ".repeat(pad));
    match &row.title {
        Ok(_) => {
            let length = row.estimated.map(seconds::short).unwrap_or_default();
            let times =
                if row.history.times_done > 0 { format!("{}×", row.history.times_done) } else { String::new() };
            let last = row.history.last_done.clone().unwrap_or_else(|| "never".into());
            Line::from(vec![
                Span::raw(name),
                Span::raw(format!("{length:>7} ")),
                Span::styled(format!("{times:>5} "), theme.dim),
                Span::styled(format!("{last:>10}"), theme.dim),
            ])
        }
        Err(_) => Line::from(vec![Span::raw(name), Span::styled(format!("{:>25}", "has errors"), theme.warning)]),
    }
}

fn render_preview(frame: &mut Frame, area: Rect, home: &Home, theme: &Theme) {
    let block = Block::default().borders(Borders::ALL).border_style(theme.border).title(" Preview ");
    let Some(row) = home.selected_row() else {
        frame.render_widget(block, area);
        return;
    };
    let mut lines = Vec::new();
    match &row.title {
        Ok(title) => {
            lines.push(Line::styled(title.clone(), theme.title));
            let source = if row.overrides_bundled { "your copy of a bundled routine" } else { row.source.name() };
            lines.push(Line::styled(format!("{} · {}", row.stem, source), theme.dim));
            if let Some(description) =
                home.library.find(&row.stem).and_then(|e| e.routine.as_ref().ok()).and_then(|r| r.description.clone())
            {
                lines.push(Line::raw(description));
            }
            if !row.tags.is_empty() {
                lines.push(Line::styled(format!("tags: {}", row.tags.join(", ")), theme.dim));
            }
            lines.push(Line::raw(""));
            if let Some(plan) = home.selected_plan() {
                lines.extend(plan_lines(&plan, theme));
            }
        }
        Err(error) => {
            lines.push(Line::styled(format!("{} has errors", row.stem), theme.warning));
            lines.push(Line::raw(error.clone()));
            lines.push(Line::raw(""));
            lines.push(Line::styled("Press e to edit it; it is checked again when you save.", theme.dim));
        }
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}

/// One line per exercise and round group: `2× Couch stretch  20s each side`, then the total.
fn plan_lines(plan: &Plan, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = Vec::new();
    let mut last: Option<(String, u32)> = None;
    for step in plan.steps.iter().filter(|s| s.kind == StepKind::Work) {
        // Sides and sets of the same exercise in the same round are one line.
        let key = (step.exercise.clone(), step.round);
        if last.as_ref() == Some(&key) {
            continue;
        }
        last = Some(key);
        let dose = match step.work {
            Work::Hold(d) => seconds::short(d),
            Work::RangeHold { min, max } => seconds::range(min, max),
            Work::Reps { count, tempo: Some(t) } => format!("{count} reps · {}", seconds::short(t)),
            Work::Reps { count, tempo: None } => format!("{count} reps"),
        };
        let mut extra = Vec::new();
        if step.side.is_some() {
            extra.push("each side".to_string());
        }
        if step.sets > 1 {
            extra.push(format!("{} sets", step.sets));
        }
        let round = if step.rounds > 1 { format!("{}/{} ", step.round, step.rounds) } else { String::new() };
        lines.push(Line::from(vec![
            Span::styled(round, theme.dim),
            Span::raw(step.exercise.clone()),
            Span::styled(format!("  {dose}"), theme.dim),
            Span::styled(if extra.is_empty() { String::new() } else { format!(" · {}", extra.join(" · ")) }, theme.dim),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("{} in {} steps · Enter to start", seconds::short(plan.total()), plan.steps.len()),
        theme.title,
    ));
    lines
}

/// The status row: a prompt being typed, or else the latest message, a history problem or the
/// streak at risk. A message wider than the screen wraps onto up to [`MAX_STATUS_ROWS`] rows,
/// so its end (often what to do next) is not cut off.
fn status_lines(home: &Home, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let line = match &home.prompt {
        Prompt::Filter => Line::from(vec![
            Span::styled("/ ", theme.key),
            Span::raw(format!("{}▏", home.filter)),
            Span::styled("  Enter keeps · Esc clears", theme.dim),
        ]),
        Prompt::NewName(name) => Line::from(vec![
            Span::styled("New routine file name: ", theme.key),
            Span::raw(format!("{name}▏")),
            Span::styled("  letters, digits, - and _ · Enter creates · Esc cancels", theme.dim),
        ]),
        Prompt::None => {
            let text =
                home.message.clone().or_else(|| home.history.problem.clone()).or_else(|| home.history.at_risk.clone());
            let style =
                if home.message.is_some() || home.history.problem.is_some() { theme.warning } else { theme.good };
            let mut rows = wrap_words(&text.unwrap_or_default(), width);
            if rows.len() > MAX_STATUS_ROWS {
                rows.truncate(MAX_STATUS_ROWS);
                let last = &mut rows[MAX_STATUS_ROWS - 1];
                *last = fit(&format!("{last} …"), width);
            }
            return rows.into_iter().map(|row| Line::styled(row, style)).collect();
        }
    };
    vec![line]
}

/// `text` in rows of at most `width` columns, broken at spaces, and inside a word only when
/// the word alone is wider than a row (a long path). Always at least one row.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut row = String::new();
    let mut used = 0;
    for word in text.split_whitespace() {
        let word_width = word.width();
        if used > 0 && used + 1 + word_width <= width {
            row.push(' ');
            row.push_str(word);
            used += 1 + word_width;
            continue;
        }
        if used > 0 {
            rows.push(std::mem::take(&mut row));
            used = 0;
        }
        for ch in word.chars() {
            let ch_width = ch.width().unwrap_or(0);
            if used > 0 && used + ch_width > width {
                rows.push(std::mem::take(&mut row));
                used = 0;
            }
            row.push(ch);
            used += ch_width;
        }
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(row);
    }
    rows
}

fn render_help(frame: &mut Frame, area: Rect, theme: &Theme) {
    let height = (HOME_KEYS.len() as u16 + 4).min(area.height);
    let width = 44.min(area.width);
    let popup = Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height };
    let mut lines: Vec<Line> = HOME_KEYS
        .iter()
        .map(|b| Line::from(vec![Span::styled(format!("{:>7}  ", b.label), theme.key), Span::raw(b.hint)]))
        .collect();
    lines.push(Line::styled("any key closes this help", Style::default().patch(theme.dim)));
    frame.render_widget(Clear, popup);
    let block = Block::default().borders(Borders::ALL).border_style(theme.border).title(" Keys ");
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::home::{HomeHistory, RoutineHistory};
    use crate::routine::Pauses;
    use crate::routine::library::{Entry, Library, Source};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::{Terminal, backend::TestBackend};

    fn draw(home: &Home, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|f| render(f, home, &Theme::COLOR)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..height {
            let mut line = String::new();
            for x in 0..width {
                line.push_str(buffer[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    fn history() -> HomeHistory {
        let mut per_routine = std::collections::HashMap::new();
        per_routine.insert("post-ride".into(), RoutineHistory { times_done: 12, last_done: Some("2026-11-22".into()) });
        HomeHistory {
            per_routine,
            streak: Some("5-day streak · 2 of 3 this week".into()),
            at_risk: Some("Do one today to keep your 5-day streak.".into()),
            problem: None,
        }
    }

    fn key(home: &mut Home, code: KeyCode) {
        home.key(&KeyEvent::new(code, KeyModifiers::NONE));
    }

    #[test]
    fn home_80x24() {
        let mut home = Home::new(Library::bundled(Pauses::default()), history());
        key(&mut home, KeyCode::End);
        insta::assert_snapshot!("home_80x24", draw(&home, 80, 24));
    }

    #[test]
    fn home_empty_history_100x30() {
        let home = Home::new(Library::bundled(Pauses::default()), HomeHistory::default());
        insta::assert_snapshot!("home_empty_history_100x30", draw(&home, 100, 30));
    }

    #[test]
    fn home_broken_routine() {
        let library = broken_library();
        let mut home = Home::new(library, HomeHistory::default());
        key(&mut home, KeyCode::Down);
        insta::assert_snapshot!("home_broken_routine", draw(&home, 100, 24));
    }

    fn broken_library() -> Library {
        let mut library = Library::bundled(Pauses::default());
        library.entries.insert(
            1,
            Entry {
                stem: "broken".into(),
                source: Source::User,
                path: None,
                routine: crate::routine::file::parse(
                    "/home/me/.config/supple/routines/broken.toml",
                    "name = \"Broken\"\n[[exercise]]\nname = \"Plank\"\nduraton = 30\n",
                    Pauses::default(),
                ),
                hash: String::new(),
                text: String::new(),
                overrides_bundled: false,
            },
        );
        library
    }

    #[test]
    fn a_long_message_wraps_so_its_advice_is_not_cut_at_80_columns() {
        let mut home = Home::new(broken_library(), HomeHistory::default());
        key(&mut home, KeyCode::Down);
        key(&mut home, KeyCode::Enter);
        let message = home.message.clone().expect("running a broken routine says why");
        assert!(message.width() > 80, "the case needs a message wider than the screen: {message}");
        let screen = draw(&home, 80, 24);
        let status: Vec<&str> = screen.lines().rev().skip(1).take_while(|l| !l.starts_with('└')).collect();
        let shown = status.into_iter().rev().collect::<Vec<_>>().join(" ");
        assert_eq!(shown, message, "{screen}");
        assert!(screen.contains("(press e to edit)"), "{screen}");
        // The list keeps its place: the top line and the footer are where they were.
        assert!(screen.lines().nth(1).unwrap().starts_with('┌'), "{screen}");
        assert!(screen.lines().last().unwrap().starts_with("Enter run"), "{screen}");
    }

    #[test]
    fn words_wrap_at_spaces_and_only_an_over_long_word_is_split() {
        assert_eq!(wrap_words("", 10), [""]);
        assert_eq!(wrap_words("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap_words("a /very/long/path b", 6), ["a", "/very/", "long/p", "ath b"]);
        // Wide characters count two columns each.
        assert_eq!(wrap_words("日本語 x", 4), ["日本", "語 x"]);
        for row in wrap_words("Do one today to keep your 5-day streak going strong.", 12) {
            assert!(row.width() <= 12, "{row:?}");
        }
    }

    #[test]
    fn a_message_longer_than_three_rows_ends_in_an_ellipsis() {
        let mut home = Home::new(Library::bundled(Pauses::default()), HomeHistory::default());
        home.message = Some("word ".repeat(60));
        let rows = status_lines(&home, &Theme::COLOR, 50);
        assert_eq!(rows.len(), MAX_STATUS_ROWS);
        let last = rows[MAX_STATUS_ROWS - 1].to_string();
        assert!(last.ends_with('…') && last.width() <= 50, "{last:?}");
    }

    #[test]
    fn home_filter_active() {
        let mut home = Home::new(Library::bundled(Pauses::default()), history());
        key(&mut home, KeyCode::Char('/'));
        for c in "hip".chars() {
            key(&mut home, KeyCode::Char(c));
        }
        insta::assert_snapshot!("home_filter_active", draw(&home, 80, 24));
    }

    #[test]
    fn home_help_and_tiny() {
        let mut home = Home::new(Library::bundled(Pauses::default()), HomeHistory::default());
        key(&mut home, KeyCode::Char('?'));
        insta::assert_snapshot!("home_help", draw(&home, 80, 24));
        insta::assert_snapshot!("home_too_small", draw(&home, 30, 6));
    }
}
