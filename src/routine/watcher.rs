//! Notices when routine files change on disk (an editor in another pane, a `git pull`), so the
//! home screen can reload them within a second.
//!
//! It compares a cheap fingerprint of the folder (names, sizes, modification times) instead of
//! using inotify: that works the same on every file system (network mounts, containers), needs
//! no watch limits, copes with the folder not existing yet, and a stat of a few hundred files
//! costs well under a millisecond once a second, only while the home screen is open.

use std::path::PathBuf;
use std::time::SystemTime;

/// Name, size and modification time of every `.toml` file, in name order.
type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// Watches one routines folder by polling.
#[derive(Debug)]
pub struct Watcher {
    dir: PathBuf,
    last: Fingerprint,
}

impl Watcher {
    /// Starts from the folder as it is now: only later changes count.
    #[must_use]
    pub fn new(dir: PathBuf) -> Watcher {
        let last = fingerprint(&dir);
        Watcher { dir, last }
    }

    /// True when a routine file was added, removed or modified since the last call.
    pub fn changed(&mut self) -> bool {
        let now = fingerprint(&self.dir);
        if now == self.last {
            return false;
        }
        self.last = now;
        true
    }
}

fn fingerprint(dir: &std::path::Path) -> Fingerprint {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Fingerprint = listing
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x.eq_ignore_ascii_case("toml")))
        .map(|e| {
            let meta = e.metadata().ok();
            (e.path(), meta.as_ref().map_or(0, std::fs::Metadata::len), meta.and_then(|m| m.modified().ok()))
        })
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_edited_and_removed_files_are_noticed_once() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("routines");
        let mut watcher = Watcher::new(folder.clone());
        assert!(!watcher.changed(), "a missing folder is simply empty");

        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("a.toml"), "name = 1").unwrap();
        assert!(watcher.changed());
        assert!(!watcher.changed(), "the same change is reported once");

        std::fs::write(folder.join("a.toml"), "name = \"longer now\"").unwrap();
        assert!(watcher.changed(), "a size change counts even within the same mtime tick");

        std::fs::write(folder.join("notes.txt"), "not a routine").unwrap();
        assert!(!watcher.changed(), "other files are ignored");

        std::fs::remove_file(folder.join("a.toml")).unwrap();
        assert!(watcher.changed());
    }
}
