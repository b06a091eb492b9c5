//! `supple run <ROUTINE>` and `supple` alone (the home screen): resolve routines and hand them
//! to the session runtime with this build's sound output and the history store.

use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

use crate::audio::{AudioSettings, AudioSink, QuietStderr, Sounds};
use crate::command::{CommandResult, Context, Failure};
use crate::config::Config;
use crate::home::{HomeHistory, RoutineHistory};
use crate::record::Status;
use crate::runtime::home::HomeHooks;
use crate::runtime::input::Waited;
use crate::runtime::terminal::TerminalGuard;
use crate::runtime::{self, Mode, Options, Outcome, RunSpec};
use crate::stats::{HistoryData, HomeSummary, today};
use crate::store::RoutineCount;
use crate::store::recorder::HistoryRecorder;
use crate::ui::theme::Theme;

/// How long plain mode waits to learn whether there is an audio device before the first line.
const PLAIN_AUDIO_PROBE: std::time::Duration = std::time::Duration::from_millis(500);

/// Runs the routine named (or pointed to) by `routine`. An interrupted session (signal, lost
/// terminal) exits with status 1 after its summary line; completed and stopped ones with 0.
pub fn run(routine: &str, mute: bool, plain: bool, ctx: &Context, config: &Config) -> CommandResult {
    let mode = Mode::choose(plain);
    let Outcome { record, streak, exercises } = run_routine(routine, mute || config.mute, mode, ctx, config)?;
    if mode == Mode::Screen {
        // The full screen is gone: leave a trace of the session in the scrollback, with the
        // streak the summary showed (plain mode printed both already). A write error is
        // ignored (println! would panic): the terminal itself may be gone.
        let mut stdout = std::io::stdout();
        for line in runtime::summary_lines(&record, exercises).iter().chain(&streak) {
            let _ = writeln!(stdout, "{line}");
        }
    }
    if record.status == Status::Interrupted { Err(Failure::reported()) } else { Ok(()) }
}

fn theme(config: &Config) -> Theme {
    Theme::for_run(config.color, std::env::var_os("NO_COLOR").as_deref(), &config.colors)
}

fn run_routine(routine: &str, mute: bool, mode: Mode, ctx: &Context, config: &Config) -> Result<Outcome, Failure> {
    let (entry, routine) = ctx.resolve(routine).map_err(|e| Failure::new(e.to_string()))?;
    let options = Options { mode, theme: theme(config), muted: mute, bell: config.bell, checkin: config.checkin };
    let mut recorder = HistoryRecorder::open(&ctx.paths.history_db()).with_streaks(ctx.settings);
    if let Some(notice) = recorder.take_notice() {
        eprintln!("supple: {notice}");
    }
    let (sounds, sound_notices) = Sounds::load(&AudioSettings::from_config(config).files);
    for notice in sound_notices {
        eprintln!("supple: {notice}");
    }
    // ALSA writes its own errors to fd 2 (e.g. on a machine without a sound card), which would
    // scribble over the screen or between plain lines: stderr goes nowhere while a session runs.
    // A panic restores it first, and our own messages are printed before and after.
    let quiet = QuietStderr::divert_to_null().ok();
    let settings = AudioSettings { muted: mute, ..AudioSettings::from_config(config) };
    let mut sink = AudioSink::start(sounds, &settings);
    if mode == Mode::Plain {
        // Plain output is read line by line: say up front whether cues will be heard, rather
        // than in the middle of the steps. (The screen updates its status line instead, so
        // its first frame does not wait for the device.)
        let _ = sink.wait_for_status(PLAIN_AUDIO_PROBE);
    }
    let spec = RunSpec { routine: &routine, name: &entry.stem, hash: &entry.hash };
    let result = runtime::run(spec, options, &mut sink, &mut recorder);
    // The last cue ("done") rings out and the device closes before stderr comes back.
    drop(sink);
    drop(quiet);
    result.map_err(|e| Failure::new(e.to_string()))
}

/// The home screen, until the user quits it.
pub fn home(ctx: &Context, config: &Config) -> CommandResult {
    if Mode::choose(false) == Mode::Plain {
        return Err(Failure::new(
            "the home screen needs a terminal; try `supple list`, `supple run NAME --plain` or `supple stats`",
        ));
    }
    let mut history = |streaks: bool| home_history(ctx, streaks);
    let mut run = |stem: &str| match run_routine(stem, config.mute, Mode::Screen, ctx, config) {
        // A completed session has just shown its summary, and home its new streak.
        Ok(Outcome { record, .. }) if record.status == Status::Completed => None,
        // The full screen ended at once: say how, as `supple run` does.
        Ok(Outcome { record, .. }) => Some(runtime::headline(&record)),
        Err(Failure { message }) => message,
    };
    let history_theme = theme(config);
    let mut show_history = |guard: &mut TerminalGuard| show_history(guard, ctx, &history_theme, config.checkin);
    let mut hooks = HomeHooks { history: &mut history, run: &mut run, show_history: &mut show_history };
    runtime::home::run(&ctx.paths, config.defaults, theme(config), &mut hooks)
}

/// Counts, last-done dates and, with `streaks`, the streak line for home, read fresh (after a
/// run, say). Without `streaks` it skips the one read that grows with the history (every
/// completed day: ~4 ms at 20,000 sessions), so home's first frame need not wait for it.
fn home_history(ctx: &Context, streaks: bool) -> HomeHistory {
    let unavailable = |problem: &dyn std::fmt::Display| HomeHistory {
        problem: Some(format!("history unavailable: {problem}")),
        ..HomeHistory::default()
    };
    let store = match ctx.read_store() {
        Ok(store) => store,
        Err(problem) => return unavailable(&problem),
    };
    if !streaks {
        return match store.as_ref().map(crate::store::Store::routine_counts).transpose() {
            Ok(counts) => HomeHistory { per_routine: by_stem(&counts.unwrap_or_default()), ..HomeHistory::default() },
            Err(e) => unavailable(&e),
        };
    }
    let now = crate::clock::Clock.wall();
    let summary = match HomeSummary::load(store.as_ref(), &ctx.settings, today(&now, &ctx.settings)) {
        Ok(summary) => summary,
        Err(e) => return unavailable(&e),
    };
    let per_routine = by_stem(&summary.per_routine);
    let s = &summary.streaks;
    let streak = s.line();
    let at_risk = s.at_risk.map(|r| {
        let mut text = r.message();
        if let Some(first) = text.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        text
    });
    HomeHistory { per_routine, streak: Some(streak), at_risk, problem: None }
}

/// Times done and last done per lower-case routine stem.
fn by_stem(counts: &[RoutineCount]) -> HashMap<String, RoutineHistory> {
    counts
        .iter()
        .map(|r| {
            let last = r.last.as_ref().map(|z| z.date().to_string());
            let times_done = u32::try_from(r.count).unwrap_or(u32::MAX);
            (r.routine.to_lowercase(), RoutineHistory { times_done, last_done: last })
        })
        .collect()
}

/// The history screen over the home screen's terminal, until a key is pressed; `checkin` is
/// the config's setting, off leaving the check-in trend out.
fn show_history(guard: &mut TerminalGuard, ctx: &Context, theme: &Theme, checkin: bool) -> std::io::Result<()> {
    let store = ctx.read_store().map_err(std::io::Error::other)?;
    let now = crate::clock::Clock.wall();
    let data =
        HistoryData::load(store.as_ref(), &ctx.settings, &now).map_err(|e| std::io::Error::other(e.to_string()))?;
    loop {
        guard.terminal.draw(|frame| {
            frame.render_widget(crate::ui::history_view::HistoryView { data: &data, theme, checkin }, frame.area());
        })?;
        match crate::runtime::input::wait(Duration::from_secs(3600)) {
            Waited::Event(crossterm::event::Event::Key(key)) if key.kind != crossterm::event::KeyEventKind::Release => {
                return Ok(());
            }
            Waited::Event(_) | Waited::TimedOut => {}
            Waited::Gone => return Err(std::io::Error::other("the terminal is gone")),
        }
    }
}
