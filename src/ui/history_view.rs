//! The history screen: a year calendar heatmap, current and longest streaks, this week
//! against the goal, per-routine counts, recent sessions and, when check-ins are on, their
//! trend.
//!
//! A pure render of [`HistoryData`]: the caller loads it from the store (off the draw path)
//! and this only lays it out, so it renders the same in snapshot tests as on a terminal.
//! Every string from the history goes through `sanitize` first. Any size renders without
//! panicking; below the minimum a one-line "too small" message is shown instead.

use jiff::Span;
use jiff::civil::{Date, Weekday};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span as TextSpan};
use ratatui::widgets::{Block, Borders, Paragraph, Sparkline, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::routine::seconds;
use crate::sanitize;
use crate::stats::HistoryData;
use crate::ui::theme::Theme;

/// Smallest area the screen lays out in; smaller gets a message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 20;

/// Columns for the weekday names left of the calendar.
const LABEL: usize = 4;

/// Columns of a recent session's start ("2026-11-23 19:00 "), under which its quit reason starts.
const RECENT_DATE: usize = 17;

/// Weeks the calendar shows, the current one included.
const CALENDAR_WEEKS: i64 = 53;

/// The screen's styles, from the run's theme (monochrome under `NO_COLOR`, where the
/// calendar's glyphs still tell the levels apart).
struct Styles {
    dim: Style,
    title: Style,
    warn: Style,
    excused: Style,
    /// One, two, three or more sessions on a day.
    done: [Style; 3],
    spark: Style,
}

impl Styles {
    fn of(theme: &Theme) -> Styles {
        Styles {
            dim: theme.dim,
            title: theme.title,
            warn: theme.warning.add_modifier(Modifier::BOLD),
            excused: theme.rest,
            done: [theme.good, theme.good.add_modifier(Modifier::BOLD), theme.work],
            spark: theme.border,
        }
    }
}

/// The history screen as a widget.
pub struct HistoryView<'a> {
    pub data: &'a HistoryData,
    pub theme: &'a Theme,
    /// The config's `checkin`: off, the screen leaves the check-in trend out (as `supple stats`
    /// does), since a user who turned the question off does not want its answers shown, and
    /// the lists get the room.
    pub checkin: bool,
}

impl Widget for HistoryView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            Paragraph::new(format!("Make the window at least {MIN_WIDTH}x{MIN_HEIGHT} to see the history."))
                .wrap(Wrap { trim: true })
                .render(area, buf);
            return;
        }
        let d = self.data;
        let st = Styles::of(self.theme);
        let outer = Block::new().borders(Borders::ALL).title(" History ").title_style(st.title);
        let inner = outer.inner(area);
        outer.render(area, buf);

        let risk = d.stats.streaks.at_risk.is_some();
        let [summary, calendar, lists, checkin, footer] = Layout::vertical([
            Constraint::Length(if risk { 3 } else { 2 }),
            Constraint::Length(10),
            Constraint::Min(4),
            Constraint::Length(if self.checkin { 4 } else { 0 }),
            Constraint::Length(1),
        ])
        .areas(inner);
        Paragraph::new(summary_lines(d, &st)).render(summary, buf);
        render_calendar(d, &st, calendar, buf);
        let [routines, recent] =
            Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(lists);
        render_routines(d, &st, routines, buf);
        render_recent(d, &st, recent, buf);
        if self.checkin {
            render_checkin(d, &st, checkin, buf);
        }
        Paragraph::new(Line::styled("any key: back", st.dim)).render(footer, buf);
    }
}

fn plural(n: u32, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// Streaks on the first line; this week and the totals on the second, so each fits in the
/// minimum width even with five-digit counts.
fn summary_lines(d: &HistoryData, st: &Styles) -> Vec<Line<'static>> {
    let s = &d.stats.streaks;
    let mut first = vec![
        TextSpan::styled("Daily streak ", st.dim),
        TextSpan::styled(plural(s.current_days, "day"), st.title),
        TextSpan::styled(format!(" (longest {})", s.longest_days), st.dim),
    ];
    let mut second = Vec::new();
    if s.week_goal > 0 {
        first.push(TextSpan::styled("   Weekly streak ", st.dim));
        first.push(TextSpan::styled(plural(s.current_weeks, "week"), st.title));
        first.push(TextSpan::styled(format!(" (longest {})", s.longest_weeks), st.dim));
        second.push(TextSpan::styled("This week ", st.dim));
        // One dot per session asked for, filled as they are done.
        let goal = s.this_week_goal.clamp(1, 14);
        let filled = s.this_week.min(goal);
        second.push(TextSpan::styled("●".repeat(filled as usize), st.done[0]));
        second.push(TextSpan::styled("○".repeat((goal - filled) as usize), st.dim));
        second.push(TextSpan::raw(format!(" {}   ", s.week_progress())));
    }
    second.push(TextSpan::styled(
        format!(
            "{} sessions, {} completed, {} excused {}",
            d.stats.sessions_total,
            d.stats.completed_total,
            d.stats.excused_days,
            if d.stats.excused_days == 1 { "day" } else { "days" }
        ),
        st.dim,
    ));
    let mut lines = vec![Line::from(first), Line::from(second)];
    if let Some(risk) = s.at_risk {
        lines.push(Line::styled(format!("⚠ {}", risk.message()), st.warn));
    }
    lines
}

/// The last 53 weeks as columns, weekdays as rows, one cell per day.
fn render_calendar(d: &HistoryData, st: &Styles, area: Rect, buf: &mut Buffer) {
    let block = Block::new().borders(Borders::TOP).title(" Last 12 months ").title_style(st.title);
    let inner = block.inner(area);
    block.render(area, buf);

    let weeks = CALENDAR_WEEKS.min(i64::from(inner.width.saturating_sub(LABEL as u16)));
    let this_week = d.settings.week_of(d.today);
    let first = this_week.checked_sub(Span::new().weeks(weeks - 1)).unwrap_or(this_week);
    let day = |week: i64, row: i64| first.checked_add(Span::new().days(week * 7 + row)).ok();
    let counts: std::collections::HashMap<Date, u32> = d.days.iter().copied().collect();
    let excused: std::collections::HashSet<Date> = d.excused.iter().copied().collect();

    // Month names above the first week holding the 1st of the month, when they fit. The first
    // column's month (begun before the calendar) is named only when that does not crowd out
    // the next month's name: a whole month unnamed would be worse than a stub.
    let firsts: Vec<(i64, Date)> = (0..weeks)
        .filter_map(|week| (0..7).filter_map(|r| day(week, r)).find(|dd| dd.day() == 1).map(|dd| (week, dd)))
        .collect();
    let stub = day(0, 0).filter(|_| firsts.first().is_none_or(|&(week, _)| week > 3)).map(|start| (0, start));
    let mut months = vec![' '; LABEL + weeks as usize + 3];
    let mut free_from = 0;
    for (week, month_day) in stub.into_iter().chain(firsts) {
        let col = LABEL + usize::try_from(week).unwrap_or(0);
        if col >= free_from {
            let name = month_day.strftime("%b").to_string();
            for (i, c) in name.chars().enumerate() {
                if let Some(slot) = months.get_mut(col + i) {
                    *slot = c;
                }
            }
            free_from = col + name.len() + 1;
        }
    }
    let mut lines = vec![Line::styled(months.into_iter().collect::<String>().trim_end().to_string(), st.dim)];
    for row in 0..7 {
        let weekday = weekday_after(d.settings.week_start, row);
        let label = if row % 2 == 0 { format!("{:<LABEL$}", &weekday_name(weekday)[..3]) } else { " ".repeat(LABEL) };
        let mut spans = vec![TextSpan::styled(label, st.dim)];
        for week in 0..weeks {
            let cell = match day(week, row) {
                None => TextSpan::raw(" "),
                Some(date) if date > d.today => TextSpan::raw(" "),
                Some(date) => match counts.get(&date).copied().unwrap_or(0) {
                    0 if excused.contains(&date) => TextSpan::styled("○", st.excused),
                    0 => TextSpan::styled("·", st.dim),
                    1 => TextSpan::styled("▪", st.done[0]),
                    2 => TextSpan::styled("■", st.done[1]),
                    _ => TextSpan::styled("█", st.done[2]),
                },
            };
            spans.push(cell);
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(vec![
        TextSpan::styled("    · none  ", st.dim),
        TextSpan::styled("▪", st.done[0]),
        TextSpan::styled(" 1  ", st.dim),
        TextSpan::styled("■", st.done[1]),
        TextSpan::styled(" 2  ", st.dim),
        TextSpan::styled("█", st.done[2]),
        TextSpan::styled(" 3+  ", st.dim),
        TextSpan::styled("○", st.excused),
        TextSpan::styled(" excused", st.dim),
    ]));
    Paragraph::new(lines).render(inner, buf);
}

fn weekday_after(start: Weekday, days: i64) -> Weekday {
    let offset = (i64::from(start.to_monday_zero_offset()) + days).rem_euclid(7) as i8;
    Weekday::from_monday_zero_offset(offset).unwrap_or(Weekday::Monday)
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// Cuts `text` to `width` columns, with an ellipsis when cut.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return format!("{text}{}", " ".repeat(width - text.width()));
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + c.to_string().width() + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    let w = out.width();
    out + &" ".repeat(width.saturating_sub(w))
}

fn render_routines(d: &HistoryData, st: &Styles, area: Rect, buf: &mut Buffer) {
    let block = Block::new().borders(Borders::TOP).title(" Routines ").title_style(st.title);
    let inner = block.inner(area);
    block.render(area, buf);
    if d.stats.per_routine.is_empty() {
        Paragraph::new(Line::styled("None completed yet.", st.dim)).render(inner, buf);
        return;
    }
    let name_width = usize::from(inner.width).saturating_sub(18).max(6);
    let lines: Vec<Line> = d
        .stats
        .per_routine
        .iter()
        .take(usize::from(inner.height))
        .map(|r| {
            let last = r.last.as_ref().map(|z| z.strftime("%Y-%m-%d").to_string()).unwrap_or_default();
            Line::from(vec![
                TextSpan::raw(fit(&sanitize::line(&r.routine), name_width)),
                TextSpan::styled(format!(" {:>5} ", r.count), st.title),
                TextSpan::styled(last, st.dim),
            ])
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

fn render_recent(d: &HistoryData, st: &Styles, area: Rect, buf: &mut Buffer) {
    let block = Block::new().borders(Borders::TOP | Borders::LEFT).title(" Recent ").title_style(st.title);
    let inner = block.inner(area);
    block.render(area, buf);
    if d.recent.is_empty() {
        Paragraph::new(Line::styled("No sessions yet.", st.dim)).render(inner, buf);
        return;
    }
    let name_width = usize::from(inner.width).saturating_sub(37).max(6);
    let mut lines: Vec<Line> = Vec::new();
    for s in &d.recent {
        let status_style = match s.status.name() {
            "completed" => st.done[0],
            "stopped" | "interrupted" => st.warn,
            _ => st.dim,
        };
        lines.push(Line::from(vec![
            TextSpan::styled(s.started_at.strftime("%Y-%m-%d %H:%M ").to_string(), st.dim),
            TextSpan::raw(fit(&sanitize::line(&s.routine), name_width)),
            TextSpan::styled(format!(" {:<11}", s.status.name()), status_style),
            TextSpan::styled(format!("{:>6}", seconds::clock(std::time::Duration::from_secs(s.active_secs))), st.dim),
        ]));
        // Why it was stopped, on a line of its own under the routine name: the row has no
        // room left for it at 80 columns, and a reason cut to a few letters says nothing.
        if let Some(reason) = s.quit_reason.as_deref().map(|r| sanitize::line(r.trim())).filter(|r| !r.is_empty()) {
            let room = usize::from(inner.width).saturating_sub(RECENT_DATE + 2);
            lines.push(Line::from(vec![
                TextSpan::styled(format!("{:RECENT_DATE$}↳ ", ""), st.dim),
                TextSpan::raw(fit(&reason, room).trim_end().to_string()),
            ]));
        }
    }
    lines.truncate(usize::from(inner.height));
    Paragraph::new(lines).render(inner, buf);
}

fn render_checkin(d: &HistoryData, st: &Styles, area: Rect, buf: &mut Buffer) {
    let block = Block::new().borders(Borders::TOP).title(" Check-in: back pain after, by week ").title_style(st.title);
    let inner = block.inner(area);
    block.render(area, buf);
    let checkin = &d.stats.checkin;
    if checkin.weeks.is_empty() {
        Paragraph::new(Line::styled(
            "No check-ins yet: rate your back 0-10 before and after a routine to see the trend here.",
            st.dim,
        ))
        .wrap(Wrap { trim: true })
        .render(inner, buf);
        return;
    }
    let [spark, text] = Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(inner);
    // Scores 0-10 as tenths, newest week on the right; weeks without an "after" are gaps.
    let bars: Vec<Option<u64>> = checkin.weeks.iter().map(|w| w.after.map(|a| (a * 10.0).round() as u64)).collect();
    let shown = bars.len().saturating_sub(usize::from(spark.width));
    Sparkline::default().data(bars[shown..].to_vec()).max(100).style(st.spark).render(spark, buf);
    let lines: Vec<Line> = checkin
        .routines
        .iter()
        .take(usize::from(text.height))
        .map(|r| {
            let score = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"));
            let change = r.overall.change.map(|c| format!(" ({c:+.1})")).unwrap_or_default();
            Line::from(vec![
                TextSpan::raw(format!(" {} ", fit(&sanitize::line(&r.routine), 14))),
                TextSpan::raw(format!("{} → {}", score(r.overall.before), score(r.overall.after))),
                TextSpan::styled(change, if r.overall.change.is_some_and(|c| c < 0.0) { st.done[0] } else { st.dim }),
            ])
        })
        .collect();
    Paragraph::new(lines).render(text, buf);
}

#[cfg(test)]
mod tests {
    use jiff::Zoned;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use uuid::Uuid;

    use super::*;
    use crate::record::{SessionRecord, Status};
    use crate::store::Store;
    use crate::streak::StreakSettings;

    fn now() -> Zoned {
        "2026-11-23T19:00:00+01:00[Europe/Berlin]".parse().unwrap()
    }

    fn draw(data: &HistoryData, width: u16, height: u16) -> Terminal<TestBackend> {
        draw_checkin(data, width, height, true)
    }

    fn draw_checkin(data: &HistoryData, width: u16, height: u16, checkin: bool) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|f| f.render_widget(HistoryView { data, theme: &Theme::COLOR, checkin }, f.area())).unwrap();
        terminal
    }

    /// A year of riding: most days one routine, some days two or three, a week off sick,
    /// check-ins that slowly improve, and a hostile routine name.
    fn busy_year_data() -> HistoryData {
        let mut store = Store::open_in_memory().unwrap();
        let routines = ["post-ride", "morning-mobility", "bedtime", "core\u{1b}[31m-stability"];
        let today: Date = "2026-11-23".parse().unwrap();
        for back in 0..365_i64 {
            let day = today.checked_sub(Span::new().days(back)).unwrap();
            let n = back * 7 % 11;
            let count = match n {
                0..=2 => 0,
                3..=8 => 1,
                9 => 2,
                _ => 3,
            };
            if (40..47).contains(&back) {
                store.excuse(day, Some("flu")).unwrap();
                continue;
            }
            for k in 0..count {
                let started = day.at(7 + 5 * k as i8, 30, 0, 0).in_tz("Europe/Berlin").unwrap();
                let pain = (2 + back / 60).min(8) as u8;
                store
                    .save_session(&SessionRecord {
                        id: Uuid::from_u128((back as u128) << 8 | k as u128),
                        routine: routines[((back + k) % 4) as usize].into(),
                        title: "t".into(),
                        routine_hash: String::new(),
                        ended_at: Some(started.clone()),
                        started_at: started,
                        status: if back % 13 == 5 { Status::Stopped } else { Status::Completed },
                        planned_secs: 300,
                        active_secs: 240 + back as u64 % 60,
                        steps_total: 10,
                        steps_done: 10,
                        steps_skipped: 0,
                        pain_before: Some(pain + 2),
                        pain_after: Some(pain),
                        note: None,
                        quit_reason: None,
                        steps: Vec::new(),
                    })
                    .unwrap();
            }
        }
        HistoryData::load(Some(&store), &StreakSettings::default(), &now()).unwrap()
    }

    /// Two sessions today: one stopped with a reason (typed, or imported with an escape
    /// sequence and far longer than the screen), then one completed.
    fn stopped_with_reason_data(reason: &str) -> HistoryData {
        let mut store = Store::open_in_memory().unwrap();
        for (minute, status, quit_reason) in
            [(0, Status::Stopped, Some(reason.to_string())), (30, Status::Completed, None)]
        {
            let started: Zoned = format!("2026-11-23T18:{minute:02}:00+01:00[Europe/Berlin]").parse().unwrap();
            store
                .save_session(&SessionRecord {
                    id: Uuid::from_u128(minute),
                    routine: "post-ride".into(),
                    title: "t".into(),
                    routine_hash: String::new(),
                    ended_at: Some(started.clone()),
                    started_at: started,
                    status,
                    planned_secs: 241,
                    active_secs: if status == Status::Stopped { 6 } else { 241 },
                    steps_total: 14,
                    steps_done: if status == Status::Stopped { 1 } else { 14 },
                    steps_skipped: 0,
                    pain_before: None,
                    pain_after: None,
                    note: None,
                    quit_reason,
                    steps: Vec::new(),
                })
                .unwrap();
        }
        HistoryData::load(Some(&store), &StreakSettings::default(), &now()).unwrap()
    }

    #[test]
    fn a_stopped_session_shows_its_reason_under_it() {
        let data = stopped_with_reason_data("knee pain");
        let terminal = draw(&data, 80, 24);
        let screen = terminal.backend().to_string();
        assert!(screen.contains("2026-11-23 18:00 post-ride stopped      0:06"), "{screen}");
        assert!(screen.contains("                 ↳ knee pain"), "{screen}");
        insta::assert_snapshot!("history_stopped_reason", terminal.backend());
    }

    #[test]
    fn a_long_hostile_reason_is_cleaned_and_cut_to_the_list() {
        let data = stopped_with_reason_data(&format!("knee\u{1b}[2J{}", " and more".repeat(20)));
        for width in [60, 80, 200] {
            let screen = draw(&data, width, 24).backend().to_string();
            assert!(!screen.contains('\u{1b}'), "{width}:\n{screen}");
            let line = screen.lines().find(|l| l.contains('↳')).unwrap_or_else(|| panic!("{width}:\n{screen}"));
            assert!(line.contains("↳ knee\u{FFFD}[2J and"), "{width}: {line}");
            assert!(line.contains('…'), "cut where the list ends, {width}: {line}");
            assert_eq!(line.width(), usize::from(width) + 2, "one line, inside the frame: {line}");
        }
    }

    #[test]
    fn empty_history() {
        let data = HistoryData::load(None, &StreakSettings::default(), &now()).unwrap();
        insta::assert_snapshot!("history_empty", draw(&data, 100, 32).backend());
    }

    #[test]
    fn busy_year() {
        let data = busy_year_data();
        assert_eq!(data.recent.len(), crate::stats::RECENT_SESSIONS);
        let terminal = draw(&data, 100, 32);
        let screen = terminal.backend().to_string();
        assert!(!screen.contains('\u{1b}'), "escape sequence from a routine name reached the screen");
        insta::assert_snapshot!("history_busy_year", terminal.backend());
    }

    #[test]
    fn checkin_off_shows_no_checkin_answers() {
        let data = busy_year_data();
        assert!(!data.stats.checkin.weeks.is_empty(), "the history holds check-in answers");
        let terminal = draw_checkin(&data, 100, 32, false);
        let screen = terminal.backend().to_string();
        assert!(!screen.contains("Check-in"), "check-in box with `checkin = false`:\n{screen}");
        assert!(!screen.contains('→'), "before → after averages with `checkin = false`:\n{screen}");
        insta::assert_snapshot!("history_checkin_off", terminal.backend());
    }

    #[test]
    fn checkin_on_without_answers_does_not_ask_to_turn_it_on() {
        let data = HistoryData::load(None, &StreakSettings::default(), &now()).unwrap();
        let screen = draw_checkin(&data, 60, 20, true).backend().to_string();
        assert!(screen.contains("No check-ins yet"), "{screen}");
        assert!(!screen.contains("checkin = true"), "{screen}");
    }

    #[test]
    fn no_color_means_no_colour_and_the_calendar_still_reads() {
        let data = busy_year_data();
        let mut terminal = Terminal::new(TestBackend::new(100, 32)).unwrap();
        terminal
            .draw(|f| f.render_widget(HistoryView { data: &data, theme: &Theme::MONOCHROME, checkin: true }, f.area()))
            .unwrap();
        let buffer = terminal.backend().buffer();
        assert!(
            buffer.content.iter().all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset)
        );
        let screen = terminal.backend().to_string();
        for glyph in ["·", "▪", "■", "█", "○"] {
            assert!(screen.contains(glyph), "{glyph} missing");
        }
    }

    #[test]
    fn any_size_renders_without_panicking() {
        let data = busy_year_data();
        for (w, h) in [(0, 0), (1, 1), (59, 40), (60, 20), (61, 21), (80, 24), (200, 60)] {
            let terminal = draw(&data, w, h);
            if w == 0 || h == 0 {
                continue; // drawn without panicking is all there is to check
            }
            let screen = terminal.backend().to_string();
            let too_small = w < MIN_WIDTH || h < MIN_HEIGHT;
            if w >= 20 && h >= 3 {
                assert_eq!(screen.contains("Make the window at least 60x20"), too_small, "{w}x{h}:\n{screen}");
                assert_eq!(screen.contains("Last 12 months"), !too_small, "{w}x{h}:\n{screen}");
            }
        }
    }
}
