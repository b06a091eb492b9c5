//! The loop behind `supple` with no arguments: the home screen. It sleeps until a key, or a
//! second at most so that routine files edited elsewhere are picked up, and hands the terminal
//! over for a run or the editor, taking it back afterwards.

use std::time::Duration;

use crossterm::event::{self, Event as TermEvent};

use crate::command::edit;
use crate::command::{CommandResult, Failure};
use crate::home::{Home, HomeAction};
use crate::paths::Paths;
use crate::routine::library::Library;
use crate::routine::watcher::Watcher;
use crate::routine::{Pauses, file};
use crate::runtime::signals::SignalWatch;
use crate::runtime::terminal::{self, TerminalGuard};
use crate::ui::theme::Theme;

/// How often the routines folder is checked for changes while home is open.
const RELOAD_EVERY: Duration = Duration::from_secs(1);

/// What home needs from the rest of the program, so the loop stays testable and the history
/// and run wiring live with the commands.
pub struct HomeHooks<'a> {
    /// Fresh history figures for the list and streak line.
    pub history: &'a mut dyn FnMut() -> crate::home::HomeHistory,
    /// Runs a routine by name (full screen); returns a line for the status bar on failure.
    pub run: &'a mut dyn FnMut(&str) -> Option<String>,
    /// Shows the history screen until the user leaves it.
    pub show_history: &'a mut dyn FnMut(&mut TerminalGuard) -> std::io::Result<()>,
}

/// `defaults` are the pauses every routine starts from (the config's `[defaults]`).
pub fn run(paths: &Paths, defaults: Pauses, theme: Theme, hooks: &mut HomeHooks) -> CommandResult {
    let mut home = Home::new(Library::load(paths, defaults), (hooks.history)());
    let mut watcher = Watcher::new(paths.routines_dir());
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
                home.set_history((hooks.history)());
            }
            Leave::Edit(path) => {
                home.message = Some(edit_message(&path, defaults));
                home.reload(Library::load(paths, defaults));
            }
        }
    }
}

/// Why the home loop handed the terminal back.
enum Leave {
    Quit,
    Run(String),
    /// Open this file in the editor.
    Edit(std::path::PathBuf),
}

fn home_loop(
    guard: &mut TerminalGuard,
    watch: Option<&SignalWatch>,
    home: &mut Home,
    watcher: &mut Watcher,
    paths: &Paths,
    theme: Theme,
    hooks: &mut HomeHooks,
) -> Leave {
    loop {
        if watch.and_then(SignalWatch::take).is_some() {
            return Leave::Quit;
        }
        if watcher.changed() {
            home.reload(Library::load(paths, home.library.defaults));
        }
        if guard.terminal.draw(|frame| crate::ui::home_view::render(frame, home, &theme)).is_err() {
            return Leave::Quit;
        }
        let key = match event::poll(RELOAD_EVERY) {
            Ok(true) => match event::read() {
                Ok(TermEvent::Key(key)) => key,
                Ok(_) => continue,
                // The terminal went away: leave rather than spin on a dead descriptor.
                Err(_) => return Leave::Quit,
            },
            Ok(false) => continue,
            Err(_) => return Leave::Quit,
        };
        match home.key(&key) {
            None => {}
            Some(HomeAction::Quit) => return Leave::Quit,
            Some(HomeAction::Run(stem)) => return Leave::Run(stem),
            Some(HomeAction::History) => {
                if (hooks.show_history)(guard).is_err() {
                    return Leave::Quit;
                }
                home.set_history((hooks.history)());
            }
            Some(HomeAction::Edit(stem)) => {
                let mut note = Vec::new();
                match edit::editable_path(&stem, paths, home.library.defaults, &mut note) {
                    Ok(path) => return Leave::Edit(path),
                    Err(Failure { message }) => home.message = message,
                }
            }
            Some(HomeAction::New(name)) => match edit::create_from_template(&name, paths, home.library.defaults) {
                Ok(path) => return Leave::Edit(path),
                Err(Failure { message }) => home.message = message,
            },
        }
    }
}

/// Runs the editor on `path` and says how the file came back, for the status line.
fn edit_message(path: &std::path::Path, defaults: Pauses) -> String {
    if let Err(Failure { message }) = edit::run_editor(path) {
        return message.unwrap_or_default();
    }
    match file::load(path, defaults) {
        Ok((routine, _)) => format!("saved {} ({})", routine.name, path.display()),
        Err(errors) => {
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            let more = if errors.len() > 1 { format!(" (+{} more)", errors.len() - 1) } else { String::new() };
            format!("{first}{more} · press e to edit again")
        }
    }
}
