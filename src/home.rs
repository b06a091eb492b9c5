//! The home screen's state: the routine list with its filter and selection, the preview of the
//! selected routine, the streak summary, and the prompts (filter text, new routine name).
//!
//! Pure like the run screen: keys go in, a [`HomeAction`] for the shell comes out (run, edit,
//! new, history, quit). Reloading keeps the selection on the same routine, so a file saved
//! from another pane does not make the cursor jump.

use std::collections::HashMap;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::plan::Plan;
use crate::routine::library::{Library, Source};
use crate::sanitize;

/// What history says about one routine, for its row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoutineHistory {
    pub times_done: u32,
    /// `YYYY-MM-DD` of the last completed session.
    pub last_done: Option<String>,
}

/// History as the home screen shows it; filled by the store, empty when there is none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HomeHistory {
    /// By lower-case routine stem.
    pub per_routine: HashMap<String, RoutineHistory>,
    /// e.g. "12-day streak · 2 of 3 this week".
    pub streak: Option<String>,
    /// e.g. "do one today to keep your 12-day streak".
    pub at_risk: Option<String>,
    /// Why history cannot be read or written.
    pub problem: Option<String>,
}

/// One line of the routine list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub stem: String,
    /// The routine's title, or the first error of a broken file.
    pub title: Result<String, String>,
    pub estimated: Option<Duration>,
    pub tags: Vec<String>,
    pub source: Source,
    pub overrides_bundled: bool,
    pub history: RoutineHistory,
}

/// A line being typed at the bottom of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    None,
    /// `/` filter: rows narrow as the user types.
    Filter,
    /// `n`: the new routine's name.
    NewName(String),
}

/// What the shell must do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HomeAction {
    Run(String),
    Edit(String),
    New(String),
    History,
    Quit,
}

/// What a key on the routine list does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeKey {
    Run,
    Edit,
    New,
    Filter,
    History,
    Help,
    Quit,
    Up,
    Down,
    First,
    Last,
}

/// One row of the home screen's key table.
#[derive(Debug, Clone, Copy)]
pub struct HomeBinding {
    pub keys: &'static [KeyCode],
    pub label: &'static str,
    pub hint: &'static str,
    pub action: HomeKey,
}

/// The home screen's keys: the list matches against this table and the footer and help are
/// drawn from it, so a hint never names a key that does nothing. Order is the footer's order.
pub const HOME_KEYS: &[HomeBinding] = &[
    HomeBinding { keys: &[KeyCode::Enter], label: "Enter", hint: "run", action: HomeKey::Run },
    HomeBinding { keys: &[KeyCode::Char('e')], label: "e", hint: "edit", action: HomeKey::Edit },
    HomeBinding { keys: &[KeyCode::Char('n')], label: "n", hint: "new", action: HomeKey::New },
    HomeBinding { keys: &[KeyCode::Char('/')], label: "/", hint: "filter", action: HomeKey::Filter },
    HomeBinding { keys: &[KeyCode::Char('h')], label: "h", hint: "history", action: HomeKey::History },
    HomeBinding { keys: &[KeyCode::Char('?')], label: "?", hint: "help", action: HomeKey::Help },
    HomeBinding { keys: &[KeyCode::Char('q'), KeyCode::Esc], label: "q", hint: "quit", action: HomeKey::Quit },
    HomeBinding { keys: &[KeyCode::Up, KeyCode::Char('k')], label: "↑/k", hint: "up", action: HomeKey::Up },
    HomeBinding { keys: &[KeyCode::Down, KeyCode::Char('j')], label: "↓/j", hint: "down", action: HomeKey::Down },
    HomeBinding { keys: &[KeyCode::Home, KeyCode::Char('g')], label: "g", hint: "first", action: HomeKey::First },
    HomeBinding { keys: &[KeyCode::End, KeyCode::Char('G')], label: "G", hint: "last", action: HomeKey::Last },
];

#[derive(Debug, Clone)]
pub struct Home {
    pub library: Library,
    pub rows: Vec<Row>,
    pub history: HomeHistory,
    /// Index into [`Home::visible`].
    pub selected: usize,
    pub filter: String,
    pub prompt: Prompt,
    pub help: bool,
    /// A one-off line, e.g. the result of the last edit.
    pub message: Option<String>,
}

impl Home {
    #[must_use]
    pub fn new(library: Library, history: HomeHistory) -> Home {
        let mut home = Home {
            library: Library::default(),
            rows: Vec::new(),
            history,
            selected: 0,
            filter: String::new(),
            prompt: Prompt::None,
            help: false,
            message: None,
        };
        home.reload(library);
        home
    }

    /// Replaces the library (after an edit, or a change on disk), keeping the selection on
    /// the same routine when it still exists.
    pub fn reload(&mut self, library: Library) {
        let keep = self.selected_row().map(|r| r.stem.clone());
        self.rows = library.entries.iter().map(|e| row(e, &self.history)).collect();
        self.library = library;
        self.select_stem(keep.as_deref());
    }

    /// New history figures (after a run); rows keep their order and selection.
    pub fn set_history(&mut self, history: HomeHistory) {
        self.history = history;
        let library = std::mem::take(&mut self.library);
        self.reload(library);
    }

    /// Moves the selection onto the routine `stem` (a new one, say), clearing a filter that
    /// hides it; does nothing when there is no such routine.
    pub fn select(&mut self, stem: &str) {
        if !self.rows.iter().any(|r| r.stem == stem) {
            return;
        }
        if !self.visible().iter().any(|r| r.stem == stem) {
            self.filter.clear();
        }
        self.select_stem(Some(stem));
    }

    fn select_stem(&mut self, stem: Option<&str>) {
        let visible = self.visible();
        let found = stem.and_then(|s| visible.iter().position(|r| r.stem == s)).unwrap_or(0);
        let last = visible.len().saturating_sub(1);
        self.selected = found.min(last);
    }

    /// Rows matching the filter (name, title or tag, any case).
    #[must_use]
    pub fn visible(&self) -> Vec<&Row> {
        let needle = self.filter.to_lowercase();
        self.rows
            .iter()
            .filter(|r| {
                needle.is_empty()
                    || r.stem.to_lowercase().contains(&needle)
                    || r.title.as_ref().is_ok_and(|t| t.to_lowercase().contains(&needle))
                    || r.tags.iter().any(|t| t.to_lowercase().contains(&needle))
            })
            .collect()
    }

    #[must_use]
    pub fn selected_row(&self) -> Option<&Row> {
        self.visible().get(self.selected).copied()
    }

    /// The plan of the selected routine, for the preview; `None` for a broken one.
    #[must_use]
    pub fn selected_plan(&self) -> Option<Plan> {
        let row = self.selected_row()?;
        let entry = self.library.find(&row.stem)?;
        entry.routine.as_ref().ok().map(Plan::new)
    }

    pub fn key(&mut self, key: &KeyEvent) -> Option<HomeAction> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Some(HomeAction::Quit);
        }
        match self.prompt.clone() {
            Prompt::Filter => {
                self.filter_key(key);
                None
            }
            Prompt::NewName(name) => self.name_key(key, name),
            Prompt::None if self.help => {
                self.help = false;
                None
            }
            Prompt::None => self.list_key(key),
        }
    }

    fn list_key(&mut self, key: &KeyEvent) -> Option<HomeAction> {
        self.message = None;
        let count = self.visible().len();
        if key.code == KeyCode::Esc && !self.filter.is_empty() {
            let keep = self.selected_row().map(|r| r.stem.clone());
            self.filter.clear();
            self.select_stem(keep.as_deref());
            return None;
        }
        let binding = HOME_KEYS.iter().find(|b| b.keys.contains(&key.code))?;
        match binding.action {
            HomeKey::Down => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            HomeKey::Up => self.selected = self.selected.saturating_sub(1),
            HomeKey::First => self.selected = 0,
            HomeKey::Last => self.selected = count.saturating_sub(1),
            HomeKey::Run => {
                let row = self.selected_row()?;
                if let Err(error) = &row.title {
                    self.message = Some(format!("{} has errors: {error} (press e to edit)", row.stem));
                    return None;
                }
                return Some(HomeAction::Run(row.stem.clone()));
            }
            HomeKey::Edit => return self.selected_row().map(|r| HomeAction::Edit(r.stem.clone())),
            HomeKey::New => self.prompt = Prompt::NewName(String::new()),
            HomeKey::Filter => self.prompt = Prompt::Filter,
            HomeKey::History => return Some(HomeAction::History),
            HomeKey::Help => self.help = true,
            HomeKey::Quit => return Some(HomeAction::Quit),
        }
        None
    }

    fn filter_key(&mut self, key: &KeyEvent) {
        let count = self.visible().len();
        match key.code {
            KeyCode::Down => {
                self.selected = (self.selected + 1).min(count.saturating_sub(1));
                return;
            }
            KeyCode::Up => {
                self.selected = self.selected.saturating_sub(1);
                return;
            }
            _ => {}
        }
        // The filter changes: stay on the same routine while it matches, else go to the first
        // match (a row number means nothing in a different list).
        let keep = self.selected_row().map(|r| r.stem.clone());
        match key.code {
            KeyCode::Enter => self.prompt = Prompt::None,
            KeyCode::Esc => {
                self.filter.clear();
                self.prompt = Prompt::None;
            }
            KeyCode::Backspace => {
                self.filter.pop();
            }
            KeyCode::Char(c) if !c.is_control() && self.filter.chars().count() < 40 => self.filter.push(c),
            _ => {}
        }
        self.select_stem(keep.as_deref());
    }

    fn name_key(&mut self, key: &KeyEvent, mut name: String) -> Option<HomeAction> {
        match key.code {
            KeyCode::Esc => self.prompt = Prompt::None,
            KeyCode::Enter if !name.is_empty() => {
                self.prompt = Prompt::None;
                // Shown at once, with the key that does it here rather than a command to type.
                if let Some(stem) = self.library.find(&name).map(|entry| entry.stem.clone()) {
                    self.select(&stem);
                    self.message = Some(format!("{stem} exists already · press e to edit it"));
                    return None;
                }
                return Some(HomeAction::New(name));
            }
            KeyCode::Backspace => {
                name.pop();
                self.prompt = Prompt::NewName(name);
            }
            // Only characters a routine file name may hold; others are ignored as typed.
            KeyCode::Char(c) if (c.is_ascii_alphanumeric() || c == '-' || c == '_') && name.len() < 60 => {
                name.push(c);
                self.prompt = Prompt::NewName(name);
            }
            _ => {}
        }
        None
    }
}

fn row(entry: &crate::routine::library::Entry, history: &HomeHistory) -> Row {
    let stats = history.per_routine.get(&entry.stem.to_lowercase()).cloned().unwrap_or_default();
    match &entry.routine {
        Ok(routine) => Row {
            stem: sanitize::line(&entry.stem),
            title: Ok(routine.name.clone()),
            estimated: Some(Plan::new(routine).total()),
            tags: routine.tags.clone(),
            source: entry.source,
            overrides_bundled: entry.overrides_bundled,
            history: stats,
        },
        Err(errors) => Row {
            stem: sanitize::line(&entry.stem),
            title: Err(errors.first().map(ToString::to_string).unwrap_or_default()),
            estimated: None,
            tags: Vec::new(),
            source: entry.source,
            overrides_bundled: entry.overrides_bundled,
            history: stats,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::Pauses;

    fn press(home: &mut Home, code: KeyCode) -> Option<HomeAction> {
        home.key(&KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn typed(home: &mut Home, text: &str) {
        for c in text.chars() {
            press(home, KeyCode::Char(c));
        }
    }

    #[test]
    fn enter_runs_the_selected_routine_and_arrows_move() {
        let mut home = Home::new(Library::bundled(Pauses::default()), HomeHistory::default());
        assert_eq!(home.selected_row().unwrap().stem, "bedtime");
        press(&mut home, KeyCode::Down);
        assert_eq!(press(&mut home, KeyCode::Enter), Some(HomeAction::Run("core-stability".into())));
        press(&mut home, KeyCode::End);
        assert_eq!(press(&mut home, KeyCode::Char('e')), Some(HomeAction::Edit("post-ride".into())));
        assert_eq!(press(&mut home, KeyCode::Char('h')), Some(HomeAction::History));
        assert_eq!(press(&mut home, KeyCode::Char('q')), Some(HomeAction::Quit));
    }

    #[test]
    fn the_filter_narrows_by_name_title_or_tag_and_escape_clears_it() {
        let mut home = Home::new(Library::bundled(Pauses::default()), HomeHistory::default());
        press(&mut home, KeyCode::Char('/'));
        typed(&mut home, "pre-ride");
        assert_eq!(home.visible().iter().map(|r| r.stem.as_str()).collect::<Vec<_>>(), ["glute-activation"]);
        press(&mut home, KeyCode::Enter);
        assert_eq!(press(&mut home, KeyCode::Enter), Some(HomeAction::Run("glute-activation".into())));
        press(&mut home, KeyCode::Esc);
        assert_eq!(home.visible().len(), 6);
    }

    #[test]
    fn the_filter_keeps_the_selected_routine_while_it_matches_and_else_picks_the_first_match() {
        let mut home = Home::new(Library::bundled(Pauses::default()), HomeHistory::default());
        let selected = |home: &Home| home.selected_row().map(|r| r.stem.clone()).unwrap_or_default();
        // "hip" matches bedtime (tag hips), hip-flexors and post-ride (tag hips).
        home.selected = 3;
        assert_eq!(selected(&home), "hip-flexors");
        press(&mut home, KeyCode::Char('/'));
        typed(&mut home, "hip");
        assert_eq!(selected(&home), "hip-flexors", "the fourth row was selected, not the fourth match");
        press(&mut home, KeyCode::Esc);
        assert_eq!(selected(&home), "hip-flexors", "clearing the filter keeps the routine");
        home.selected = 2;
        assert_eq!(selected(&home), "glute-activation");
        press(&mut home, KeyCode::Char('/'));
        typed(&mut home, "hip");
        assert_eq!(selected(&home), "bedtime", "not matching any more: the first match");
    }

    #[test]
    fn n_with_the_name_of_a_routine_there_selects_it_and_points_to_e() {
        let mut home = Home::new(Library::bundled(Pauses::default()), HomeHistory::default());
        press(&mut home, KeyCode::Char('n'));
        typed(&mut home, "Post-Ride");
        assert_eq!(press(&mut home, KeyCode::Enter), None);
        assert_eq!(home.message.as_deref(), Some("post-ride exists already · press e to edit it"));
        assert_eq!(press(&mut home, KeyCode::Char('e')), Some(HomeAction::Edit("post-ride".into())));
    }

    #[test]
    fn n_asks_for_a_file_name_and_ignores_characters_a_file_name_cannot_hold() {
        let mut home = Home::new(Library::bundled(Pauses::default()), HomeHistory::default());
        press(&mut home, KeyCode::Char('n'));
        typed(&mut home, "my stretch/!");
        assert_eq!(home.prompt, Prompt::NewName("mystretch".into()));
        assert_eq!(press(&mut home, KeyCode::Enter), Some(HomeAction::New("mystretch".into())));
    }

    #[test]
    fn reloading_keeps_the_selection_on_the_same_routine() {
        let mut home = Home::new(Library::bundled(Pauses::default()), HomeHistory::default());
        press(&mut home, KeyCode::End);
        let mut library = Library::bundled(Pauses::default());
        library.entries.remove(0);
        home.reload(library);
        assert_eq!(home.selected_row().unwrap().stem, "post-ride");
    }

    #[test]
    fn select_moves_onto_a_routine_even_one_the_filter_hides() {
        let mut home = Home::new(Library::bundled(Pauses::default()), HomeHistory::default());
        home.select("hip-flexors");
        assert_eq!(home.selected_row().unwrap().stem, "hip-flexors");
        press(&mut home, KeyCode::Char('/'));
        typed(&mut home, "bed");
        press(&mut home, KeyCode::Enter);
        home.select("post-ride");
        assert_eq!((home.selected_row().unwrap().stem.as_str(), home.filter.as_str()), ("post-ride", ""));
        // An unknown name leaves the selection (and a filter) alone.
        press(&mut home, KeyCode::Char('/'));
        typed(&mut home, "bed");
        press(&mut home, KeyCode::Enter);
        home.select("no-such-routine");
        assert_eq!((home.selected_row().unwrap().stem.as_str(), home.filter.as_str()), ("bedtime", "bed"));
    }

    #[test]
    fn a_broken_routine_is_not_run_but_explained() {
        let mut library = Library::bundled(Pauses::default());
        library.entries[0].routine = Err(vec![crate::routine::diagnostic::Diagnostic::file("x.toml", "no such file")]);
        let mut home = Home::new(library, HomeHistory::default());
        assert_eq!(press(&mut home, KeyCode::Enter), None);
        assert!(home.message.as_deref().unwrap().contains("x.toml:1:1: no such file"));
    }
}
