//! All the routines a user can run: the bundled ones compiled into the binary, the user's own
//! files in the config folder, and any file named by path. Resolves `<ROUTINE>` arguments.
//!
//! A user file with the same stem as a bundled routine overrides it, so editing a bundled
//! routine means copying it and changing the copy. A broken user file stays in the library
//! with its errors, because a routine that silently vanished from the list would be a mystery.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::diagnostic::Diagnostic;
use super::file;
use super::{Pauses, Routine};
use crate::paths::Paths;

/// The routines shipped with supple, embedded so the binary works from any folder.
pub const BUNDLED: &[(&str, &str)] = &[
    ("post-ride", include_str!("../../routines/post-ride.toml")),
    ("morning-mobility", include_str!("../../routines/morning-mobility.toml")),
    ("bedtime", include_str!("../../routines/bedtime.toml")),
    ("glute-activation", include_str!("../../routines/glute-activation.toml")),
    ("core-stability", include_str!("../../routines/core-stability.toml")),
    ("hip-flexors", include_str!("../../routines/hip-flexors.toml")),
];

/// Where a routine comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Bundled,
    /// A file in the user's routines folder.
    User,
    /// A file named by path on the command line.
    File,
}

impl Source {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Source::Bundled => "bundled",
            Source::User => "user",
            Source::File => "file",
        }
    }
}

/// One routine of the library, loaded or broken.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The name used on the command line and in history: the file stem.
    pub stem: String,
    pub source: Source,
    /// The file on disk; `None` for a bundled routine.
    pub path: Option<PathBuf>,
    /// The routine, or every problem found in its file.
    pub routine: Result<Routine, Vec<Diagnostic>>,
    /// Hex SHA-256 of the file's text, so history can tell which version was run.
    pub hash: String,
    /// The file's text as read (empty when it could not be read).
    pub text: String,
    /// This user file hides a bundled routine of the same name.
    pub overrides_bundled: bool,
}

impl Entry {
    /// How the file is named in messages: its path, or `bundled:NAME.toml`.
    #[must_use]
    pub fn display_path(&self) -> String {
        self.path.as_ref().map_or_else(|| format!("bundled:{}.toml", self.stem), |p| p.display().to_string())
    }

    fn from_text(
        stem: String,
        source: Source,
        path: Option<PathBuf>,
        shown: &str,
        text: String,
        defaults: Pauses,
    ) -> Entry {
        Entry {
            routine: file::parse(shown, &text, defaults),
            hash: hash(&text),
            text,
            stem,
            source,
            path,
            overrides_bundled: false,
        }
    }

    /// Loads a file from disk; an unreadable file becomes an entry holding that error.
    /// `defaults` are the pauses its exercises start from (see [`file::parse`]).
    #[must_use]
    pub fn from_file(path: &Path, source: Source, defaults: Pauses) -> Entry {
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let shown = path.display().to_string();
        match file::read_text(path) {
            Ok(text) => Entry::from_text(stem, source, Some(path.to_path_buf()), &shown, text, defaults),
            Err(message) => Entry {
                stem,
                source,
                path: Some(path.to_path_buf()),
                routine: Err(vec![Diagnostic::file(&shown, &message)]),
                hash: String::new(),
                text: String::new(),
                overrides_bundled: false,
            },
        }
    }
}

/// A `<ROUTINE>` argument names a file (contains a `/` or ends in `.toml`), not a routine.
#[must_use]
pub fn looks_like_path(arg: &str) -> bool {
    arg.contains(std::path::MAIN_SEPARATOR)
        || arg.contains('/')
        || Path::new(arg).extension().is_some_and(|x| x.eq_ignore_ascii_case("toml"))
}

/// Hex SHA-256 of a routine's text.
#[must_use]
pub fn hash(text: &str) -> String {
    use std::fmt::Write;
    Sha256::digest(text.as_bytes()).iter().fold(String::with_capacity(64), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

/// Why a `<ROUTINE>` argument did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// No routine has that name; carries the known names for the message.
    Unknown { name: String, known: Vec<String> },
    /// The routine exists but its file has errors.
    Invalid(Vec<Diagnostic>),
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResolveError::Unknown { name, known } => {
                write!(f, "no routine named `{}`", crate::sanitize::line(name))?;
                let names: Vec<&str> = known.iter().map(String::as_str).collect();
                if let Some(close) = super::suggestion::suggestion(name, &names) {
                    write!(f, "; did you mean `{close}`?")?;
                }
                write!(f, "\nknown routines: {} (or give a path to a .toml file)", known.join(", "))
            }
            ResolveError::Invalid(diagnostics) => {
                let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                f.write_str(&lines.join("\n"))
            }
        }
    }
}

/// Every routine known, sorted by name.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub entries: Vec<Entry>,
    /// The user's routines folder could not be listed (other than not existing).
    pub folder_problem: Option<String>,
    /// Routines listed after `entries` that were not read (see [`Library::load_first`]); 0 when
    /// the library is complete.
    pub unread: usize,
    /// The pauses every routine here starts from: the format's defaults under the config's
    /// `[defaults]`. Kept so that a file named later by path is read the same way.
    pub defaults: Pauses,
}

fn bundled_entry(stem: &str, text: &str, defaults: Pauses) -> Entry {
    let shown = format!("bundled:{stem}.toml");
    Entry::from_text(stem.to_string(), Source::Bundled, None, &shown, text.to_string(), defaults)
}

/// Where a listed routine's text is, before it is read.
enum Origin {
    Bundled(&'static str),
    User(PathBuf),
}

impl Library {
    /// Bundled routines plus the user's folder (`<config>/routines/*.toml`). A missing folder
    /// is normal (nothing is created on read); an unreadable one is reported, not fatal.
    /// `defaults` are the pauses every routine starts from (see [`file::parse`]).
    #[must_use]
    pub fn load(paths: &Paths, defaults: Pauses) -> Library {
        Library::load_first(paths, usize::MAX, defaults)
    }

    /// The first `count` routines of [`Library::load`]'s list, read and parsed, and how many
    /// more there are in [`Library::unread`]. The home screen's first frame can only show as
    /// many rows as the window is high, and listing a folder costs a fraction of parsing every
    /// file in it (200 files: ~0.3 ms against ~10 ms), so it draws those first.
    #[must_use]
    pub fn load_first(paths: &Paths, count: usize, defaults: Pauses) -> Library {
        let (listed, folder_problem) = list(Some(&paths.routines_dir()));
        Library::read(listed, folder_problem, count, defaults)
    }

    /// Reads the first `count` listed routines in list order (name order, ignoring case: the
    /// order of `list` and the home screen).
    fn read(
        mut listed: Vec<(String, Origin)>,
        folder_problem: Option<String>,
        count: usize,
        defaults: Pauses,
    ) -> Library {
        listed.sort_by_cached_key(|(stem, _)| stem.to_lowercase());
        let unread = listed.len().saturating_sub(count);
        let entries = listed
            .into_iter()
            .take(count)
            .map(|(stem, origin)| match origin {
                Origin::Bundled(text) => bundled_entry(&stem, text, defaults),
                Origin::User(path) => {
                    let mut entry = Entry::from_file(&path, Source::User, defaults);
                    entry.overrides_bundled = is_bundled(&entry.stem);
                    entry
                }
            })
            .collect();
        Library { entries, folder_problem, unread, defaults }
    }

    /// Only the routines compiled into the binary.
    #[must_use]
    pub fn bundled(defaults: Pauses) -> Library {
        let (listed, _) = list(None);
        Library::read(listed, None, usize::MAX, defaults)
    }

    /// The entry named `name` (case-insensitive stem), if any, broken or not.
    #[must_use]
    pub fn find(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.stem.eq_ignore_ascii_case(name))
    }

    /// Resolves `<ROUTINE>` reading only the file it names. `run` needs one routine, and
    /// parsing every file of a large folder first would delay its first frame; the result is
    /// the same as `Library::load(paths, defaults).resolve(arg)`, which still makes the error
    /// message (with its list of known names) when nothing matches.
    pub fn resolve_one(paths: &Paths, arg: &str, defaults: Pauses) -> Result<(Entry, Routine), ResolveError> {
        if looks_like_path(arg) {
            return Library { defaults, ..Library::default() }.resolve(arg);
        }
        let user_file = std::fs::read_dir(paths.routines_dir()).ok().and_then(|listing| {
            let mut matches: Vec<PathBuf> = listing
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("toml")))
                .filter(|p| p.file_stem().is_some_and(|s| s.to_string_lossy().eq_ignore_ascii_case(arg)))
                .collect();
            // Several spellings of one name: the last in name order wins, as in `load`.
            matches.sort();
            matches.pop()
        });
        let entry = match user_file {
            Some(path) => {
                let mut entry = Entry::from_file(&path, Source::User, defaults);
                entry.overrides_bundled = is_bundled(&entry.stem);
                entry
            }
            None => match BUNDLED.iter().find(|(stem, _)| stem.eq_ignore_ascii_case(arg)) {
                Some((stem, text)) => bundled_entry(stem, text, defaults),
                _ => return Library::load(paths, defaults).resolve(arg),
            },
        };
        match entry.routine.clone() {
            Ok(routine) => Ok((entry, routine)),
            Err(diagnostics) => Err(ResolveError::Invalid(diagnostics)),
        }
    }

    /// Resolves a `<ROUTINE>` argument: a path when it looks like one (contains a `/` or ends
    /// in `.toml`), else a routine name. Only a routine without errors resolves.
    pub fn resolve(&self, arg: &str) -> Result<(Entry, Routine), ResolveError> {
        let entry = if looks_like_path(arg) {
            Entry::from_file(Path::new(arg), Source::File, self.defaults)
        } else {
            self.find(arg).cloned().ok_or_else(|| ResolveError::Unknown {
                name: arg.to_string(),
                known: self.entries.iter().map(|e| crate::sanitize::line(&e.stem)).collect(),
            })?
        };
        match entry.routine.clone() {
            Ok(routine) => Ok((entry, routine)),
            Err(diagnostics) => Err(ResolveError::Invalid(diagnostics)),
        }
    }
}

/// A bundled routine has this (case-insensitive) name.
fn is_bundled(stem: &str) -> bool {
    BUNDLED.iter().any(|(bundled, _)| bundled.eq_ignore_ascii_case(stem))
}

/// Every routine's name and origin, without reading any file. A user file hides a bundled routine of the same name; of several spellings of one
/// name (`Stretch.toml`, `stretch.toml`) the last in path order wins.
fn list(dir: Option<&Path>) -> (Vec<(String, Origin)>, Option<String>) {
    let mut listed: Vec<(String, Origin)> =
        BUNDLED.iter().map(|(stem, text)| ((*stem).to_string(), Origin::Bundled(text))).collect();
    let Some(dir) = dir else {
        return (listed, None);
    };
    let mut problem = None;
    match std::fs::read_dir(dir) {
        Ok(listing) => {
            let mut files: Vec<PathBuf> = listing
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("toml")))
                .collect();
            files.sort();
            // Lower-case name -> place in `listed`: a folder of hundreds stays linear.
            let mut place: HashMap<String, usize> =
                listed.iter().enumerate().map(|(i, (stem, _))| (stem.to_ascii_lowercase(), i)).collect();
            for path in files {
                let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                match place.get(&stem.to_ascii_lowercase()) {
                    Some(&i) => listed[i] = (stem, Origin::User(path)),
                    None => {
                        place.insert(stem.to_ascii_lowercase(), listed.len());
                        listed.push((stem, Origin::User(path)));
                    }
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => problem = Some(crate::sanitize::line(&format!("cannot read {}: {e}", dir.display()))),
    }
    (listed, problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths_in(dir: &Path) -> Paths {
        Paths { config_dir: dir.to_path_buf(), data_dir: dir.join("data") }
    }

    #[test]
    fn every_bundled_routine_is_valid() {
        for entry in Library::bundled(Pauses::default()).entries {
            if let Err(errors) = &entry.routine {
                panic!("{}: {errors:?}", entry.stem);
            }
        }
    }

    #[test]
    fn a_user_file_overrides_the_bundled_one_and_a_broken_file_stays_listed() {
        let dir = tempfile::tempdir().unwrap();
        let routines = dir.path().join("routines");
        std::fs::create_dir_all(&routines).unwrap();
        std::fs::write(
            routines.join("Post-Ride.toml"),
            "name = \"Mine\"\n[[exercise]]\nname = \"Plank\"\nduration = 30\n",
        )
        .unwrap();
        std::fs::write(routines.join("broken.toml"), "name = \"Broken\"\n").unwrap();
        let library = Library::load(&paths_in(dir.path()), Pauses::default());

        let mine = library.find("post-ride").unwrap();
        assert_eq!(mine.source, Source::User);
        assert!(mine.overrides_bundled);
        assert_eq!(mine.routine.as_ref().unwrap().name, "Mine");
        assert_eq!(library.entries.iter().filter(|e| e.stem.eq_ignore_ascii_case("post-ride")).count(), 1);

        let broken = library.find("BROKEN").unwrap();
        assert!(broken.routine.is_err());
        assert!(matches!(library.resolve("broken"), Err(ResolveError::Invalid(_))));
    }

    #[test]
    fn the_first_rows_are_those_of_the_whole_list_and_the_rest_is_counted() {
        let dir = tempfile::tempdir().unwrap();
        let routines = dir.path().join("routines");
        std::fs::create_dir_all(&routines).unwrap();
        let quick = |name: &str| format!("name = \"{name}\"\n[[exercise]]\nname = \"P\"\nduration = 3\n");
        // Interleaved with the bundled names, one overriding a bundled routine, two spellings
        // of one name, and a broken file.
        for stem in ["aaa", "Bedtime", "crane", "CRANE", "zzz", "morning"] {
            std::fs::write(routines.join(format!("{stem}.toml")), quick(stem)).unwrap();
        }
        std::fs::write(routines.join("broken.toml"), "name = 1\n").unwrap();
        let paths = paths_in(dir.path());
        let whole = Library::load(&paths, Pauses::default());
        assert_eq!(whole.unread, 0);
        let shown = |library: &Library| -> Vec<(String, Source, bool, String, bool)> {
            library
                .entries
                .iter()
                .map(|e| (e.stem.clone(), e.source, e.overrides_bundled, e.hash.clone(), e.routine.is_ok()))
                .collect()
        };
        let names: Vec<String> = whole.entries.iter().map(|e| e.stem.clone()).collect();
        assert_eq!(
            names,
            [
                "aaa",
                "Bedtime",
                "broken",
                "core-stability",
                "crane",
                "glute-activation",
                "hip-flexors",
                "morning",
                "morning-mobility",
                "post-ride",
                "zzz"
            ]
        );
        assert!(whole.find("bedtime").unwrap().overrides_bundled);
        for count in [0, 1, 3, 10, 11, 50] {
            let first = Library::load_first(&paths, count, Pauses::default());
            let expected: Vec<_> = shown(&whole).into_iter().take(count).collect();
            assert_eq!(shown(&first), expected, "first {count}");
            assert_eq!(first.unread, whole.entries.len().saturating_sub(count), "first {count}");
        }
    }

    #[test]
    fn resolving_one_routine_gives_what_the_whole_library_gives() {
        let dir = tempfile::tempdir().unwrap();
        let routines = dir.path().join("routines");
        std::fs::create_dir_all(&routines).unwrap();
        std::fs::write(routines.join("Post-Ride.toml"), "name = \"Mine\"\n[[exercise]]\nname = \"P\"\nduration = 3\n")
            .unwrap();
        std::fs::write(routines.join("broken.toml"), "name = \"B\"\n").unwrap();
        let paths = paths_in(dir.path());
        // Pauses unlike the format's, so that both ways must pass them on.
        let defaults = Pauses { rest: std::time::Duration::from_secs(20), ..Pauses::default() };
        let library = Library::load(&paths, defaults);
        let mine = library.find("post-ride").unwrap().routine.as_ref().unwrap();
        assert_eq!(mine.exercises().next().unwrap().pauses, defaults);
        let by_path = routines.join("Post-Ride.toml").display().to_string();
        for name in ["post-ride", "POST-RIDE", "bedtime", "broken", "nope", "post-rid", by_path.as_str()] {
            let one = Library::resolve_one(&paths, name, defaults);
            let all = library.resolve(name);
            match (one, all) {
                (Ok((a, ra)), Ok((b, rb))) => {
                    assert_eq!(
                        (a.stem, a.source, a.overrides_bundled, a.hash, ra),
                        (b.stem, b.source, b.overrides_bundled, b.hash, rb)
                    );
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "{name}"),
                (a, b) => panic!("{name}: {a:?} vs {b:?}"),
            }
        }
    }

    #[test]
    fn unknown_names_list_the_known_ones_and_paths_load_directly() {
        let library = Library::bundled(Pauses::default());
        let err = library.resolve("post-rid").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("no routine named `post-rid`; did you mean `post-ride`?\nknown routines: bedtime,"),
            "{err}"
        );

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.toml");
        std::fs::write(&path, "name = \"X\"\n[[exercise]]\nname = \"Dog\"\nduration = \"20s\"\n").unwrap();
        let (entry, routine) = library.resolve(path.to_str().unwrap()).unwrap();
        assert_eq!((entry.source, entry.stem.as_str(), routine.name.as_str()), (Source::File, "x", "X"));
        assert_eq!(entry.hash, hash(&std::fs::read_to_string(&path).unwrap()));
    }
}
