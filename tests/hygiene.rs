//! Output hygiene: a routine whose name, notes, tags and file name are full of escape
//! sequences, C1 controls, bidi overrides and NUL goes through every command, and not one of
//! those characters reaches the terminal. JSON may carry them only as `\u` escapes.

#[path = "support/tui.rs"]
mod tui;

use std::path::Path;

use assert_cmd::Command;
use tui::Tui;

/// Each hostile character is followed by a marker, so the exact payload can be searched for
/// in the raw bytes of a full-screen run, whose own escape sequences are expected.
const HOSTILE: &str = r"\u001b[2Jpwn1 \u001b]0;pwn2\u0007 \u009bpwn3 \u202epwn4 \u0000pwn5";
const PAYLOADS: [&str; 5] = ["\x1b[2Jpwn1", "\x1b]0;pwn2", "\u{9b}pwn3", "\u{202e}pwn4", "\0pwn5"];
/// The routine's file stem, which is also how history names it.
const STEM: &str = "evil\x1b[2Jpwn1\u{202e}pwn4\u{9b}pwn3";

fn supple(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("supple").unwrap();
    cmd.env("SUPPLE_CONFIG_DIR", dir.join("config")).env("SUPPLE_DATA_DIR", dir.join("data")).env_remove("NO_COLOR");
    cmd
}

fn hostile_routine(dir: &Path) {
    let text = format!(
        "name = \"Evil {HOSTILE}\"\ndescription = \"{HOSTILE}\"\ntags = [\"t{HOSTILE}\", \"\\u202epwn4\"]\n\
         [defaults]\nprepare = \"1s\"\n[[exercise]]\nname = \"Plank {HOSTILE}\"\nduration = \"2s\"\nnotes = \"{HOSTILE}\"\n"
    );
    let folder = dir.join("config/routines");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(format!("{STEM}.toml")), text).unwrap();
}

/// The first character a terminal would act on or reorder text by, if any: ESC and the other
/// C0 controls but newline and tab, DEL, C1 controls, and the bidi embeddings, overrides and
/// isolates.
fn unsafe_char(bytes: &[u8]) -> Option<char> {
    String::from_utf8_lossy(bytes).chars().find(|&c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

fn assert_clean(args: &[&str], out: &std::process::Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        if let Some(c) = unsafe_char(bytes) {
            panic!("supple {args:?}: {c:?} in {stream}: {:?}", String::from_utf8_lossy(bytes));
        }
    }
}

#[test]
fn no_command_writes_a_control_character_from_a_hostile_routine() {
    let dir = tempfile::tempdir().unwrap();
    hostile_routine(dir.path());
    let commands: [&[&str]; 15] = [
        &["list"],
        &["list", "--json"],
        &["show", STEM],
        &["check"],
        &["run", "--plain", STEM],
        &["log", STEM, "--date", "2026-01-05"],
        &["history"],
        &["history", "--json"],
        &["history", "--csv"],
        &["stats"],
        &["stats", "--json"],
        &["export"],
        &["export", "--format", "csv"],
        &["doctor"],
        &["excuse", "2026-01-06", "--reason", "sick \x1b]0;pwn2\x07 \u{202e}pwn4"],
    ];
    for args in commands {
        let out = supple(dir.path()).args(args).write_stdin("").output().unwrap();
        assert_clean(args, &out);
        assert!(out.status.success(), "supple {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // The hostile text was really there to be shown: the run and the log are in the history.
    let out = supple(dir.path()).args(["history", "--json"]).output().unwrap();
    let history: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sessions = history["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    // The file name is stored as it is (it names the routine); titles are cleaned when parsed.
    assert!(sessions[0]["routine"].as_str().unwrap().contains("\u{202e}pwn4"), "{history}");
    // Written again after the excuse and its reason were stored.
    for args in [&["stats"][..], &["export"], &["history", "--csv"]] {
        assert_clean(args, &supple(dir.path()).args(args).output().unwrap());
    }
}

/// The window titles the program set (OSC 0 or 2, up to BEL or ST), as raw text.
fn titles(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let mut found = Vec::new();
    for start in ["\x1b]0;", "\x1b]2;"] {
        for (at, _) in text.match_indices(start) {
            let rest = &text[at + start.len()..];
            let end = rest.find(['\x07', '\x1b']).unwrap_or(rest.len());
            found.push(rest[..end].to_string());
        }
    }
    found
}

#[test]
fn the_full_screen_run_shows_hostile_text_as_text_and_never_as_a_title_change() {
    let dir = tempfile::tempdir().unwrap();
    hostile_routine(dir.path());
    let mut tui = Tui::start(dir.path(), &["run", STEM], &[]);
    tui.wait_text("WORK  Plank");
    let during = tui.contents();
    assert!(during.contains("pwn1") && during.contains("pwn5"), "the hostile text is not shown: {during}");
    tui.wait_text("Done! Well done.");
    tui.keys("\r");
    assert_eq!(tui.exit_code(), 0);
    let raw = tui.raw();
    for payload in PAYLOADS {
        let found = raw.windows(payload.len()).any(|w| w == payload.as_bytes());
        assert!(!found, "{payload:?} written to the terminal");
    }
    for text in [&during, &tui.contents()] {
        assert!(unsafe_char(text.as_bytes()).is_none(), "{text:?}");
    }
    let titles = titles(&raw);
    assert!(titles.iter().any(|t| t.starts_with("Plank ")), "{titles:?}");
    for title in &titles {
        assert!(unsafe_char(title.as_bytes()).is_none() && !title.starts_with("pwn2"), "{title:?}");
    }
}

#[test]
fn the_home_screen_lists_and_previews_a_hostile_routine_as_text() {
    let dir = tempfile::tempdir().unwrap();
    hostile_routine(dir.path());
    let mut tui = Tui::start(dir.path(), &[], &[]);
    // Filtered to the hostile one, so the preview shows its name, tags and notes.
    tui.wait_text("no streak yet");
    tui.keys("/evil\r");
    tui.wait_text("pwn5");
    let screen = tui.contents();
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
    assert!(unsafe_char(screen.as_bytes()).is_none(), "{screen:?}");
    let raw = tui.raw();
    for payload in PAYLOADS {
        let found = raw.windows(payload.len()).any(|w| w == payload.as_bytes());
        assert!(!found, "{payload:?} written to the terminal");
    }
}
