//! The loop behind `supple` with no arguments: the home screen. It sleeps until a key, or a
//! second at most so that routine files edited elsewhere are picked up, and hands the terminal
//! over for a run or the editor, taking it back afterwards.
//!
//! The first frame comes before everything is read (SPEC: within 15 ms, also with 200 routine
//! files and 20,000 sessions): only the routines that fit in the window, parsed on a second
//! thread while the per-routine counts are read, without the streak line, whose read grows
//! with the history. Right after that frame all files and the whole history are read (again
//! on two threads) and drawn before any key is handled, so what the user can select, filter
//! or run is never older than what is on screen; keys typed in those few milliseconds wait in
//! the terminal.

use std::time::Duration;

use crossterm::event::Event as TermEvent;

use crate::clock::Clock;
use crate::command::edit;
use crate::command::{CommandResult, Failure};
use crate::home::{Home, HomeAction, HomeHistory};
use crate::paths::Paths;
use crate::routine::library::Library;
use crate::routine::watcher::Watcher;
use crate::routine::{Pauses, file};
use crate::runtime::input::{self, Waited};
use crate::runtime::signals::SignalWatch;
use crate::runtime::terminal::{self, TerminalGuard};
use crate::sanitize;
use crate::ui::theme::Theme;

/// How often the routines folder is checked for changes while home is open.
const RELOAD_EVERY: Duration = Duration::from_secs(1);

/// What home needs from the rest of the program, so the loop stays testable and the history
/// and run wiring live with the commands.
pub struct HomeHooks<'a> {
    /// Fresh history figures for the list and, when asked (`true`), the streak line.
    pub history: &'a mut dyn FnMut(bool) -> HomeHistory,
    /// Runs a routine by name (full screen); returns a line for the status bar when it did not
    /// complete: how it ended ("Stopped: ... (reason: pain)") or why it could not run.
    pub run: &'a mut dyn FnMut(&str) -> Option<String>,
    /// Shows the history screen until the user leaves it.
    pub show_history: &'a mut dyn FnMut(&mut TerminalGuard) -> std::io::Result<()>,
}

/// `defaults` are the pauses every routine starts from (the config's `[defaults]`).
pub fn run(paths: &Paths, defaults: Pauses, theme: Theme, hooks: &mut HomeHooks) -> CommandResult {
    // The list can show at most a row per line of the window.
    let rows = crossterm::terminal::size().map_or(usize::MAX, |(_, height)| usize::from(height));
    let (library, history) = with_routines_read(paths, rows, defaults, || (hooks.history)(false));
    let mut home = Home::new(library, history);
    // Made once the first frame is out, just before every file is read.
    let mut watcher: Option<Watcher> = None;
    loop {
        let action = {
            let mut guard = TerminalGuard::enter()
                .map_err(|e| Failure::new(format!("cannot use this terminal full-screen ({e})")))?;
            guard.set_title("supple");
            let wake = Box::new(|| {
                let _ = signal_hook::low_level::raise(signal_hook::consts::SIGWINCH);
            });
            let watch = SignalWatch::start(wake, terminal::restore_from_another_thread).ok();
            let action = home_loop(&mut guard, watch.as_ref(), &mut home, &mut watcher, paths, theme, hooks);
            drop(watch);
            action
        };
        // The guard is dropped here: the terminal is the user's again for a run or the editor.
        match action {
            Leave::Quit => return Ok(()),
            Leave::Run(stem) => {
                if let Some(problem) = (hooks.run)(&stem) {
                    home.message = Some(problem);
                }
                home.set_history((hooks.history)(true));
                // Files edited during the run show on the first frame back.
                if watcher.as_mut().is_some_and(Watcher::changed) {
                    home.reload(Library::load(paths, defaults));
                }
            }
            Leave::Edit(edit) => {
                home.message = Some(edit_message(&edit, defaults));
                home.reload(Library::load(paths, defaults));
                // A new routine is where the user's attention is; an edited one stays selected.
                home.select(&edit.stem);
            }
        }
    }
}

/// The first `count` routines, parsed on a second thread while `here` runs on this one.
fn with_routines_read<T>(paths: &Paths, count: usize, defaults: Pauses, here: impl FnOnce() -> T) -> (Library, T) {
    std::thread::scope(|scope| {
        let routines = || Library::load_first(paths, count, defaults);
        let thread = std::thread::Builder::new().name("routines".into()).spawn_scoped(scope, routines);
        let done_here = here();
        // Without a thread (or if it failed) they are read here, only later.
        let library = thread.ok().and_then(|thread| thread.join().ok()).unwrap_or_else(routines);
        (library, done_here)
    })
}

/// Why the home loop handed the terminal back.
enum Leave {
    Quit,
    Run(String),
    Edit(Edit),
}

/// A routine file to open in the editor.
struct Edit {
    file: edit::Editable,
    /// The routine's name in the list.
    stem: String,
    /// The file as it was before the editor, to tell an edit from an editor left unsaved;
    /// `None` when it could not be read.
    before: Option<Vec<u8>>,
    /// Just written from the template (`n`), rather than an existing routine (`e`).
    created: bool,
}

impl Edit {
    fn new(file: edit::Editable, stem: &str, created: bool) -> Edit {
        let before = std::fs::read(&file.path).ok();
        Edit { file, stem: stem.to_string(), before, created }
    }
}

fn home_loop(
    guard: &mut TerminalGuard,
    watch: Option<&SignalWatch>,
    home: &mut Home,
    watcher: &mut Option<Watcher>,
    paths: &Paths,
    theme: Theme,
    hooks: &mut HomeHooks,
) -> Leave {
    let mut next_check = Clock.now() + RELOAD_EVERY;
    loop {
        if watch.and_then(SignalWatch::take).is_some() {
            return Leave::Quit;
        }
        let now = Clock.now();
        if now >= next_check {
            next_check = now + RELOAD_EVERY;
            if watcher.as_mut().is_some_and(Watcher::changed) {
                home.reload(Library::load(paths, home.library.defaults));
            }
        }
        if guard.terminal.draw(|frame| crate::ui::home_view::render(frame, home, &theme)).is_err() {
            return Leave::Quit;
        }
        if watcher.is_none() {
            // The first frame is out: note the folder as it is, then read all of it and the
            // streaks. A file changed before the note is in this read; one after, in the next
            // check.
            *watcher = Some(Watcher::new(paths.routines_dir()));
            let (library, ()) = with_routines_read(paths, usize::MAX, home.library.defaults, || {
                home.set_history((hooks.history)(true));
                // The streak line need not wait for the rest of the list.
                let _ = guard.terminal.draw(|frame| crate::ui::home_view::render(frame, home, &theme));
            });
            home.reload(library);
            continue;
        }
        let key = match input::wait(next_check.saturating_duration_since(Clock.now())) {
            Waited::Event(TermEvent::Key(key)) => key,
            Waited::Event(_) | Waited::TimedOut => continue,
            // The terminal went away: leave rather than spin on a dead descriptor.
            Waited::Gone => return Leave::Quit,
        };
        match home.key(&key) {
            None => {}
            Some(HomeAction::Quit) => return Leave::Quit,
            Some(HomeAction::Run(stem)) => return Leave::Run(stem),
            Some(HomeAction::History) => {
                if (hooks.show_history)(guard).is_err() {
                    return Leave::Quit;
                }
                home.set_history((hooks.history)(true));
            }
            Some(HomeAction::Edit(stem)) => {
                let mut note = Vec::new();
                match edit::editable_path(&stem, paths, home.library.defaults, &mut note) {
                    Ok(file) => return Leave::Edit(Edit::new(file, &stem, false)),
                    Err(Failure { message }) => home.message = message,
                }
            }
            Some(HomeAction::New(name)) => match edit::create_from_template(&name, paths, home.library.defaults) {
                Ok(path) => return Leave::Edit(Edit::new(edit::Editable { path, bundled: None }, &name, true)),
                Err(Failure { message }) => home.message = message,
            },
        }
    }
}

/// Runs the editor on the file and says how it came back, for the status line.
fn edit_message(edit: &Edit, defaults: Pauses) -> String {
    let path = &edit.file.path;
    if let Err(Failure { message }) = edit::run_editor(path) {
        return sanitize::line(&message.unwrap_or_default());
    }
    let unchanged = edit.before.is_some() && std::fs::read(path).ok() == edit.before;
    let shown = path.display();
    let message = match file::load(path, defaults) {
        Ok((routine, _)) if edit.file.drop_unchanged_copy() => {
            format!("{}: not changed, the bundled routine stays in use (the copy was removed)", routine.name)
        }
        // The editor was left without saving: "saved" would not be true.
        Ok(_) if unchanged && edit.created => {
            format!("{}: created from the template, not edited yet · press e to edit ({shown})", edit.stem)
        }
        Ok((routine, _)) if unchanged => format!("{}: not changed ({shown})", routine.name),
        Ok((routine, _)) => format!("saved {} ({shown})", routine.name),
        Err(errors) => {
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            let more = if errors.len() > 1 { format!(" (+{} more)", errors.len() - 1) } else { String::new() };
            format!("{first}{more} · press e to edit again")
        }
    };
    sanitize::line(&message)
}
