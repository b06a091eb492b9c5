//! The home screen end to end, in a pseudo-terminal: run a routine from it and come back with
//! the streak updated, edit through `$EDITOR`, and pick up files changed by another program.

#[path = "support/tui.rs"]
mod tui;

use std::path::Path;

use tui::Tui;

const QUICK: &str =
    "name = \"Quick one\"\n[defaults]\nprepare = \"1s\"\n[[exercise]]\nname = \"Plank\"\nduration = \"2s\"\n";

fn user_routine(dir: &Path, file: &str, text: &str) {
    let folder = dir.join("config/routines");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(file), text).unwrap();
}

#[test]
fn a_routine_run_from_home_returns_home_with_the_streak_and_count_updated() {
    let dir = tempfile::tempdir().unwrap();
    user_routine(dir.path(), "aaa-quick.toml", QUICK);
    let mut tui = Tui::start(dir.path(), &[], &[]);
    tui.wait_text("no streak yet");
    tui.wait_text("› aaa-quick");
    tui.keys("\r");
    tui.wait_text("GET READY  Plank");
    tui.wait_text("Done! Well done.");
    // The summary counts the session in the streak as home will.
    tui.wait_text("1-day streak (longest 1)");
    tui.keys("\r");
    tui.wait_for("home with the count and streak", |s| {
        let text = s.contents();
        text.contains("› aaa-quick") && text.contains("1×") && text.contains("1-day streak (longest 1)")
    });
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn a_routine_stopped_from_home_says_so_with_its_reason_back_home() {
    let dir = tempfile::tempdir().unwrap();
    user_routine(dir.path(), "aaa-quick.toml", &QUICK.replace("2s", "60s"));
    let mut tui = Tui::start(dir.path(), &[], &[]);
    tui.wait_text("› aaa-quick");
    tui.wait_text("no streak yet");
    tui.keys("\r");
    tui.wait_text("Plank");
    tui.keys("q");
    tui.wait_text("Stop this session?");
    tui.keys("knee pain\r");
    tui.wait_text("Stopped: Quick one (reason: knee pain)");
    let screen = tui.contents();
    assert!(screen.contains("› aaa-quick"), "back home: {screen}");
    // The line is news about that run only: the next key clears it.
    tui.keys("j");
    tui.wait_for("the outcome line cleared", |s| !s.contents().contains("Stopped: Quick one"));
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn a_file_changed_by_another_program_is_reloaded_and_a_broken_one_shows_its_error() {
    let dir = tempfile::tempdir().unwrap();
    user_routine(dir.path(), "aaa-quick.toml", QUICK);
    let mut tui = Tui::start(dir.path(), &[], &[]);
    tui.wait_text("Quick one");
    user_routine(dir.path(), "aaa-quick.toml", &QUICK.replace("Quick one", "Renamed elsewhere"));
    tui.wait_text("Renamed elsewhere");
    user_routine(dir.path(), "aaa-quick.toml", &QUICK.replace("duration", "duraton"));
    tui.wait_text("did you mean `duration`?");
    user_routine(dir.path(), "zzz-new.toml", &QUICK.replace("Quick one", "Brand new"));
    tui.wait_text("zzz-new");
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn e_opens_the_editor_and_home_shows_the_result_of_the_edit() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    user_routine(dir.path(), "aaa-quick.toml", QUICK);
    let editor = dir.path().join("editor");
    std::fs::write(&editor, "#!/bin/sh\nsed -i 's/Quick one/Edited title/' \"$1\"\n").unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut tui = Tui::start(dir.path(), &[], &[("EDITOR", editor.to_str().unwrap()), ("VISUAL", "")]);
    tui.wait_text("› aaa-quick");
    tui.keys("e");
    tui.wait_text("saved Edited title");
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn a_bundled_routine_opened_and_left_unchanged_leaves_no_copy_behind() {
    let dir = tempfile::tempdir().unwrap();
    let mut tui = Tui::start(dir.path(), &[], &[("EDITOR", "true"), ("VISUAL", "")]);
    tui.wait_text("› bedtime");
    tui.keys("e");
    tui.wait_text("Bedtime unwind: not changed, the bundled routine stays in use");
    assert!(!dir.path().join("config/routines/bedtime.toml").exists());
    assert!(tui.contents().contains("bedtime · bundled"), "{}", tui.contents());
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn a_new_routine_left_unedited_is_not_called_saved_and_is_selected() {
    let dir = tempfile::tempdir().unwrap();
    user_routine(dir.path(), "aaa-quick.toml", QUICK);
    // An editor quit without saving: the file stays as it was.
    let mut tui = Tui::start(dir.path(), &[], &[("EDITOR", "true"), ("VISUAL", "")]);
    tui.wait_text("› aaa-quick");
    tui.keys("nzz-new\r");
    tui.wait_text("zz-new: created from the template, not edited yet · press e to edit");
    let screen = tui.contents();
    assert!(screen.contains("› zz-new") && !screen.contains("saved"), "{screen}");
    // `e` now opens the new routine, and an editor left again changes nothing.
    tui.keys("e");
    tui.wait_text("Zz new: not changed");
    assert!(tui.contents().contains("› zz-new"));
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn config_default_pauses_count_in_the_list_also_after_a_reload() {
    let dir = tempfile::tempdir().unwrap();
    let plain = "name = \"Plain\"\n[[exercise]]\nname = \"Plank\"\nduration = \"2s\"\n";
    user_routine(dir.path(), "aaa-plain.toml", plain);
    std::fs::write(dir.path().join("config/config.toml"), "[defaults]\nprepare = \"40s\"\n").unwrap();
    let mut tui = Tui::start(dir.path(), &[], &[]);
    tui.wait_text("42s");
    user_routine(dir.path(), "aaa-plain.toml", &plain.replace("2s", "3s"));
    tui.wait_text("43s");
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn keys_typed_at_launch_act_on_every_routine_not_only_those_on_the_first_screen() {
    // Home draws its first frame from the routines that fit in the window (30 rows here) and
    // reads the rest right after: a key typed at once must still reach the last of 60.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..60 {
        user_routine(dir.path(), &format!("r{i:02}.toml"), &QUICK.replace("Quick one", &format!("Routine {i:02}")));
    }
    let mut tui = Tui::start(dir.path(), &[], &[]);
    tui.keys("G");
    tui.wait_text("› r59");
    tui.wait_text("Routine 59");
    tui.wait_text("no streak yet");
    // The filter sees them all too.
    tui.keys("/9\r");
    tui.wait_for("only the routines with a 9", |screen| {
        let text = screen.contents();
        text.contains("r09") && text.contains("r59") && !text.contains("r58")
    });
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
}
