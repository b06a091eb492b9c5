//! The run screen while a session is going: what to do now, how long is left, what comes next.
//! Readable from a yoga mat: the countdown (and the rep count) are drawn in big block digits
//! when the window allows, smaller when it does not, and always as plain text at worst.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, LineGauge, Paragraph, Wrap};
use tui_big_text::{BigText, PixelSize};
use unicode_width::UnicodeWidthStr;

use crate::guide::{Guide, Overlay};
use crate::plan::{Side, Step, StepKind};
use crate::routine::Work;
use crate::routine::seconds;
use crate::sanitize;
use crate::session::{Face, Reps, View};
use crate::ui::footer;
use crate::ui::theme::Theme;

/// Below this the screen shows only a "too small" message and the time (timing goes on).
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
/// Lines of notes shown at most; the rest is cut with an ellipsis by the wrap.
const NOTE_LINES: u16 = 3;

pub fn render(frame: &mut Frame, guide: &Guide, theme: &Theme, now: Instant) {
    let area = frame.area();
    let view = guide.session().view(now);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        render_too_small(frame, area, &view, theme);
        return;
    }
    let notes = view.step.notes.as_deref().map(sanitize::multiline).filter(|n| !n.trim().is_empty());
    let note_rows = notes.as_ref().map_or(0, |n| wrapped_rows(n, area.width).min(NOTE_LINES));
    let [header, _, name, details, big, info, step_gauge, routine_gauge, notes_area, next, status, keys] =
        Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(note_rows),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);

    render_header(frame, header, guide, &view, theme);
    let kind_style = if view.paused { theme.paused } else { theme.kind(view.step.kind) };
    let name_line = Line::from(vec![
        Span::styled(format!("{}  ", kind_label(view.step.kind)), kind_style),
        Span::styled(sanitize::line(&view.step.exercise), theme.exercise),
    ]);
    frame.render_widget(Paragraph::new(name_line).alignment(Alignment::Center), name);
    frame.render_widget(Paragraph::new(details_line(view.step, theme)).alignment(Alignment::Center), details);

    let clock_style = if guide.flashing(now) { theme.flash } else { kind_style };
    render_big_numbers(frame, big, &view, clock_style, theme);
    frame.render_widget(Paragraph::new(info_line(&view, theme)).alignment(Alignment::Center), info);

    frame.render_widget(gauge("step", view.step_progress, theme), step_gauge);
    let left = format!("routine, {} left", seconds::clock(std::time::Duration::from_secs(view.routine_left)));
    frame.render_widget(gauge(&left, view.routine_progress, theme), routine_gauge);

    if let Some(notes) = notes {
        frame.render_widget(Paragraph::new(notes).style(theme.dim).wrap(Wrap { trim: true }), notes_area);
    }
    frame.render_widget(Paragraph::new(next_line(view.next, theme)), next);
    frame.render_widget(Paragraph::new(status_line(guide, theme)), status);
    frame.render_widget(Paragraph::new(footer::hints(theme, keys.width)), keys);

    match &guide.overlay {
        Overlay::None => {}
        Overlay::Help => render_help(frame, area, theme),
        Overlay::Quit { reason, .. } => render_quit(frame, area, reason, theme),
    }
}

/// The terminal window's title: the exercise and the time left, for a window behind others.
#[must_use]
pub fn window_title(guide: &Guide, now: Instant) -> String {
    let view = guide.session().view(now);
    let time = match view.face {
        Face::Down(s) | Face::Up(s) => seconds::clock(std::time::Duration::from_secs(s)),
    };
    let paused = if view.paused { " (paused)" } else { "" };
    format!("{} {time}{paused} · supple", sanitize::line(&view.step.exercise))
}

fn render_header(frame: &mut Frame, area: Rect, guide: &Guide, view: &View, theme: &Theme) {
    let right = format!(
        "step {}/{} · {} left",
        view.index + 1,
        view.count,
        seconds::clock(std::time::Duration::from_secs(view.routine_left))
    );
    let right_width = right.width() as u16;
    let [title_area, right_area] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(right_width + 1)]).areas(area);
    frame.render_widget(Paragraph::new(Span::styled(guide.title.clone(), theme.title)), title_area);
    frame.render_widget(Paragraph::new(Span::styled(right, theme.dim)).alignment(Alignment::Right), right_area);
}

fn kind_label(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Prepare => "GET READY",
        StepKind::Work => "WORK",
        StepKind::Rest => "REST",
        StepKind::Switch => "SWITCH SIDES",
    }
}

fn details_line(step: &Step, theme: &Theme) -> Line<'static> {
    let mut parts: Vec<Span> = Vec::new();
    if let Some(side) = step.side {
        let word = match side {
            Side::Left => "LEFT",
            Side::Right => "RIGHT",
        };
        parts.push(Span::styled(word, theme.title));
    }
    if step.sets > 1 {
        parts.push(Span::raw(format!("set {}/{}", step.set, step.sets)));
    }
    if step.rounds > 1 {
        parts.push(Span::raw(format!("round {}/{}", step.round, step.rounds)));
    }
    let mut spans = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim));
        }
        spans.push(part);
    }
    Line::from(spans)
}

fn face_text(face: Face) -> String {
    match face {
        Face::Down(s) | Face::Up(s) => seconds::clock(std::time::Duration::from_secs(s)),
    }
}

/// The countdown, and beside it the rep count for rep steps.
fn render_big_numbers(frame: &mut Frame, area: Rect, view: &View, style: Style, theme: &Theme) {
    let clock = face_text(view.face);
    let reps = view.reps.map(|r| match r {
        Reps::Paced { current, target } => format!("{current}/{target}"),
        Reps::SelfPaced { recorded, .. } => format!("{recorded}"),
    });
    match reps {
        None => render_big(frame, area, &clock, style),
        Some(reps) => {
            let [left, right] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(area);
            render_big(frame, left, &clock, style);
            render_big(frame, right, &reps, theme.title);
        }
    }
}

/// Draws `text` (digits and `:`/`/` only) as large as `area` allows, centred.
fn render_big(frame: &mut Frame, area: Rect, text: &str, style: Style) {
    let chars = text.chars().count() as u16;
    let sizes = [(PixelSize::Full, 8, 8), (PixelSize::HalfHeight, 8, 4), (PixelSize::Quadrant, 4, 4)];
    for (size, cols_per_char, rows) in sizes {
        if area.width >= chars * cols_per_char && area.height >= rows {
            let top = area.y + (area.height - rows) / 2;
            let target = Rect { x: area.x, y: top, width: area.width, height: rows };
            let big = BigText::builder()
                .pixel_size(size)
                .style(style)
                .lines(vec![Line::from(text.to_string())])
                .centered()
                .build();
            frame.render_widget(big, target);
            return;
        }
    }
    let top = area.y + area.height.saturating_sub(1) / 2;
    let line = Rect { x: area.x, y: top, width: area.width, height: 1 };
    frame.render_widget(Paragraph::new(Span::styled(text.to_string(), style)).alignment(Alignment::Center), line);
}

fn info_line(view: &View, theme: &Theme) -> Line<'static> {
    if view.paused {
        return Line::from(Span::styled("PAUSED · Space to go on", theme.paused));
    }
    let clock = |d: std::time::Duration| seconds::clock(d);
    if let Some((min, max, may_stop)) = view.range {
        return if may_stop {
            Line::from(vec![
                Span::styled("You may stop now: Enter", theme.good),
                Span::styled(format!(" · ends by itself at {}", clock(max)), theme.dim),
            ])
        } else {
            Line::from(Span::styled(format!("hold at least {} · at most {}", clock(min), clock(max)), theme.dim))
        };
    }
    match (view.reps, view.step.work) {
        (Some(Reps::Paced { current, target }), Work::Reps { tempo: Some(tempo), .. }) => Line::from(Span::styled(
            format!("rep {current} of {target} · one every {}", seconds::short(tempo)),
            theme.dim,
        )),
        (Some(Reps::SelfPaced { target, .. }), _) => Line::from(Span::styled(
            format!("target {target} reps · Enter when done · +/- to correct the count"),
            theme.dim,
        )),
        _ => Line::default(),
    }
}

fn gauge<'a>(label: &str, ratio: f64, theme: &Theme) -> LineGauge<'a> {
    LineGauge::default()
        .ratio(ratio.clamp(0.0, 1.0))
        .label(Span::styled(format!("{label:<5} "), theme.dim))
        // Different symbols, not only colours, so progress shows without colour too.
        .filled_symbol("━")
        .unfilled_symbol("─")
        .filled_style(theme.gauge_filled)
        .unfilled_style(theme.gauge_empty)
}

/// What the next step is, in a few words: enough to get ready without looking twice.
fn next_line(next: Option<&Step>, theme: &Theme) -> Line<'static> {
    let Some(step) = next else {
        return Line::from(vec![Span::styled("Next: ", theme.dim), Span::raw("done!")]);
    };
    let name = sanitize::line(&step.exercise);
    let side = step.side.map(|s| format!(" ({})", s.name())).unwrap_or_default();
    let what = match step.kind {
        StepKind::Prepare => format!("get ready for {name}"),
        StepKind::Rest => format!("rest {}", seconds::short(step.planned())),
        StepKind::Switch => format!("switch sides{side}"),
        StepKind::Work => match step.work {
            Work::Hold(d) => format!("{name}{side} · {}", seconds::short(d)),
            // Written as `show` and the routine files write it (`60-90s`).
            Work::RangeHold { min, max } => format!("{name}{side} · {}", seconds::range(min, max)),
            Work::Reps { count, .. } => format!("{name}{side} · {count} reps"),
        },
    };
    Line::from(vec![Span::styled("Next: ", theme.dim), Span::raw(what)])
}

/// Why things are not as usual: asleep, no sound, muted, no history. Empty when all is well.
pub(crate) fn status_line(guide: &Guide, theme: &Theme) -> Line<'static> {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(guide.message.clone());
    if guide.muted {
        parts.push("sound off (m)".into());
    }
    parts.extend(guide.audio_notice.as_deref().map(sanitize::line));
    parts.extend(guide.history_problem.as_deref().map(sanitize::line));
    Line::from(Span::styled(parts.join(" · "), theme.warning))
}

/// A window too small for the layout still says what to do and for how long: the time always,
/// then the step (the window may have been shrunk beside another mid-routine), then why the
/// rest is missing, as far as rows allow. Lines too wide are cut, never wrapped away.
fn render_too_small(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let style = if view.paused { theme.paused } else { theme.kind(view.step.kind) };
    let paused = if view.paused { " PAUSED" } else { "" };
    let time = Line::from(Span::styled(format!("{}{paused}", face_text(view.face)), style));
    let side = view.step.side.map(|s| format!(" {}", s.name().to_uppercase())).unwrap_or_default();
    let step = Line::from(format!("{} {}{side}", kind_label(view.step.kind), sanitize::line(&view.step.exercise)));
    let why = Line::from(format!("Window too small (need {MIN_WIDTH}x{MIN_HEIGHT})"));
    let lines = match area.height {
        0 | 1 => vec![time],
        2 => vec![step, time],
        _ => vec![step, time, why],
    };
    let height = lines.len() as u16;
    let top = area.height.saturating_sub(height) / 2;
    let rect = Rect { x: area.x, y: area.y + top, width: area.width, height };
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), rect);
}

fn render_help(frame: &mut Frame, area: Rect, theme: &Theme) {
    let lines = footer::help_lines(theme);
    let height = (lines.len() as u16 + 4).min(area.height);
    let width = 64.min(area.width);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(" Keys ").border_style(theme.border).title_bottom(" any key closes ");
    let mut text = vec![Line::default()];
    text.extend(lines);
    frame.render_widget(Paragraph::new(text).block(block), rect);
}

fn render_quit(frame: &mut Frame, area: Rect, reason: &str, theme: &Theme) {
    let width = 56.min(area.width);
    let rect = centered(area, width, 8.min(area.height));
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(" Stop this session? ").border_style(theme.border);
    let text = vec![
        Line::from("It will be saved as stopped. The clock is paused."),
        Line::from(Span::styled("Why? (optional, e.g. pain)", theme.dim)),
        Line::from(vec![Span::styled("> ", theme.key), Span::raw(reason.to_string()), Span::styled("_", theme.key)]),
        Line::default(),
        Line::from(vec![
            Span::styled("Enter", theme.key),
            Span::raw(" stop   "),
            Span::styled("Esc", theme.key),
            Span::raw(" keep going"),
        ]),
    ];
    frame.render_widget(Paragraph::new(text).block(block).wrap(Wrap { trim: false }), rect);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    }
}

/// Rows `text` takes when wrapped at `width` (a close estimate: words are not split).
fn wrapped_rows(text: &str, width: u16) -> u16 {
    let width = usize::from(width.max(1));
    text.lines().map(|line| line.width().div_ceil(width).max(1)).sum::<usize>().min(usize::from(u16::MAX)) as u16
}

#[cfg(test)]
pub(crate) mod tests {
    use std::time::Duration;

    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;

    use super::*;
    use crate::plan::Plan;
    use crate::routine::{Block, Exercise, Pauses, Routine};

    /// Couch stretch each side (steps 0-3), plank 60-90 s (4-5), clamshells self-paced (6-7),
    /// cat-camel paced (8-9). Notes hold wide characters and an emoji on purpose.
    pub(crate) fn routine() -> Routine {
        let pauses = Pauses::default();
        let ex = |name: &str, work, each_side, notes: Option<&str>| Exercise {
            name: name.into(),
            notes: notes.map(Into::into),
            work,
            each_side,
            sets: 1,
            pauses,
        };
        Routine {
            name: "Post-ride reset 🚲".into(),
            description: None,
            tags: vec![],
            blocks: vec![Block {
                rounds: 1,
                exercises: vec![
                    ex(
                        "Couch stretch",
                        Work::Hold(Duration::from_secs(20)),
                        true,
                        Some("Back knee against the wall 🧱, squeeze that glute. 膝を壁につけて。"),
                    ),
                    ex(
                        "Plank",
                        Work::RangeHold { min: Duration::from_secs(60), max: Duration::from_secs(90) },
                        false,
                        None,
                    ),
                    ex("Clamshell", Work::Reps { count: 15, tempo: None }, false, Some("Heels together.")),
                    ex("Cat-camel", Work::Reps { count: 20, tempo: Some(Duration::from_secs(3)) }, false, None),
                ],
            }],
        }
    }

    pub(crate) fn guide(t0: Instant) -> Guide {
        Guide::new(Plan::new(&routine()), sanitize::line("Post-ride reset 🚲"), t0)
    }

    pub(crate) fn press(guide: &mut Guide, code: KeyCode, now: Instant) {
        guide.key(&KeyEvent::new(code, KeyModifiers::NONE), now);
    }

    /// Presses Enter until step `index` starts, at `now`.
    fn go_to(guide: &mut Guide, index: usize, now: Instant) {
        while guide.session().index() < index {
            press(guide, KeyCode::Enter, now);
        }
    }

    pub(crate) fn screen(guide: &Guide, now: Instant, width: u16, height: u16) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|f| crate::ui::render_run(f, guide, &Theme::COLOR, now)).unwrap();
        terminal
    }

    fn secs(t0: Instant, s: u64) -> Instant {
        t0 + Duration::from_secs(s)
    }

    #[test]
    fn prepare() {
        let t0 = Instant::now();
        let mut g = guide(t0);
        g.advance(t0 + Duration::from_millis(1_500));
        insta::assert_snapshot!("run_prepare", screen(&g, t0 + Duration::from_millis(1_500), 80, 24).backend());
    }

    #[test]
    fn work_with_side_and_notes() {
        let t0 = Instant::now();
        let mut g = guide(t0);
        g.advance(secs(t0, 12));
        insta::assert_snapshot!("run_work", screen(&g, secs(t0, 12), 80, 24).backend());
    }

    #[test]
    fn switch_sides() {
        let t0 = Instant::now();
        let mut g = guide(t0);
        g.advance(secs(t0, 26));
        insta::assert_snapshot!("run_switch", screen(&g, secs(t0, 26), 80, 24).backend());
    }

    #[test]
    fn rest_after_an_exercise() {
        let t0 = Instant::now();
        let mut r = routine();
        r.blocks[0].exercises[0].pauses.rest = Duration::from_secs(10);
        let mut g = Guide::new(Plan::new(&r), sanitize::line(&r.name), t0);
        g.advance(secs(t0, 50));
        insta::assert_snapshot!("run_rest", screen(&g, secs(t0, 50), 80, 24).backend());
    }

    #[test]
    fn paused() {
        let t0 = Instant::now();
        let mut g = guide(t0);
        g.advance(secs(t0, 12));
        press(&mut g, KeyCode::Char(' '), secs(t0, 12));
        insta::assert_snapshot!("run_paused", screen(&g, secs(t0, 500), 80, 24).backend());
    }

    #[test]
    fn countdown_colours_from_the_config_reach_the_screen_unless_colour_is_off() {
        let config =
            crate::config::Config::parse("c", "[colors]\nwork = \"#ff8800\"\npaused = \"light_blue\"\n").unwrap();
        let orange = Color::Rgb(0xff, 0x88, 0x00);
        // Cells of the countdown (and the kind label) drawn in `color`.
        let cells_in = |theme: &Theme, g: &Guide, now: Instant, color: Color| {
            let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
            terminal.draw(|f| crate::ui::render_run(f, g, theme, now)).unwrap();
            terminal.backend().buffer().content().iter().filter(|c| c.fg == color && c.symbol() != " ").count()
        };
        let theme = Theme::for_run(config.color, None, &config.colors);
        let t0 = Instant::now();
        let mut g = guide(t0);
        g.advance(secs(t0, 12));
        assert!(cells_in(&theme, &g, secs(t0, 12), orange) > 10, "the big work countdown is orange");
        assert_eq!(cells_in(&Theme::COLOR, &g, secs(t0, 12), orange), 0);
        let no_color = Theme::for_run(config.color, Some(std::ffi::OsStr::new("1")), &config.colors);
        assert_eq!(cells_in(&no_color, &g, secs(t0, 12), orange), 0, "NO_COLOR wins over [colors]");
        press(&mut g, KeyCode::Char(' '), secs(t0, 12));
        assert!(cells_in(&theme, &g, secs(t0, 13), Color::LightBlue) > 10, "paused is light blue");
        assert_eq!(cells_in(&theme, &g, secs(t0, 13), orange), 0);
    }

    #[test]
    fn range_hold_after_its_minimum() {
        let t0 = Instant::now();
        let mut g = guide(t0);
        go_to(&mut g, 5, t0);
        g.advance(secs(t0, 65));
        insta::assert_snapshot!("run_range_hold", screen(&g, secs(t0, 65), 80, 24).backend());
    }

    #[test]
    fn a_range_hold_coming_next_is_written_as_show_writes_it() {
        let plan = Plan::new(&routine());
        let next = next_line(plan.steps.get(5), &Theme::COLOR).to_string();
        assert_eq!(next, "Next: Plank · 60-90s");
    }

    #[test]
    fn self_paced_reps() {
        let t0 = Instant::now();
        let mut g = guide(t0);
        go_to(&mut g, 7, t0);
        press(&mut g, KeyCode::Char('-'), secs(t0, 12));
        insta::assert_snapshot!("run_reps_self_paced", screen(&g, secs(t0, 12), 100, 30).backend());
    }

    #[test]
    fn paced_reps() {
        let t0 = Instant::now();
        let mut g = guide(t0);
        go_to(&mut g, 9, t0);
        g.advance(secs(t0, 7));
        insta::assert_snapshot!("run_reps_paced", screen(&g, secs(t0, 7), 100, 30).backend());
    }

    #[test]
    fn help_overlay() {
        let t0 = Instant::now();
        let mut g = guide(t0);
        press(&mut g, KeyCode::Char('?'), t0);
        insta::assert_snapshot!("run_help", screen(&g, t0, 80, 24).backend());
    }

    #[test]
    fn quit_confirm_with_a_reason() {
        let t0 = Instant::now();
        let mut g = guide(t0);
        press(&mut g, KeyCode::Char('q'), secs(t0, 2));
        for c in "pain".chars() {
            press(&mut g, KeyCode::Char(c), secs(t0, 2));
        }
        insta::assert_snapshot!("run_quit_confirm", screen(&g, secs(t0, 2), 80, 24).backend());
    }

    #[test]
    fn tiny_terminal() {
        let t0 = Instant::now();
        let g = guide(t0);
        insta::assert_snapshot!("run_too_small", screen(&g, secs(t0, 2), 30, 8).backend());
        // Two rows: the step and its time; one row: the time.
        let two = screen(&g, secs(t0, 2), 30, 2);
        assert_eq!(
            two.backend().to_string(),
            "\" GET READY Couch stretch LEFT \"\n\"             0:03             \"\n"
        );
        let one = screen(&g, secs(t0, 2), 30, 1);
        assert_eq!(one.backend().to_string(), "\"             0:03             \"\n");
    }

    #[test]
    fn no_sound_and_no_history_are_said_in_the_status_line() {
        let t0 = Instant::now();
        let mut g = guide(t0);
        g.audio_notice = Some("no audio output configured".into());
        g.history_problem = Some("history not available in this build".into());
        let terminal = screen(&g, t0, 100, 30);
        let text = format!("{}", terminal.backend());
        assert!(text.contains("no audio output configured · history not available in this build"), "{text}");
    }

    #[test]
    fn every_size_from_one_cell_up_draws_without_panicking() {
        let t0 = Instant::now();
        let mut g = guide(t0);
        for (w, h) in [(1, 1), (10, 3), (39, 11), (40, 12), (41, 13), (60, 15), (200, 60)] {
            screen(&g, t0, w, h);
        }
        press(&mut g, KeyCode::Char('?'), t0);
        screen(&g, t0, 40, 12);
    }

    #[test]
    fn the_window_title_names_the_exercise_and_time_left() {
        let t0 = Instant::now();
        let mut g = guide(t0);
        g.advance(secs(t0, 7));
        assert_eq!(window_title(&g, secs(t0, 7)), "Couch stretch 0:18 · supple");
    }
}
