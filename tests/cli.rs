//! The real binary, run as a user would: `check`, `list` and `show`, their exit codes, and
//! that no byte of a hostile routine file reaches the terminal as a control character.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

/// `supple` with its folders pointed into `dir`, so tests never see the developer's routines.
fn supple(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("supple").unwrap();
    cmd.env("SUPPLE_CONFIG_DIR", dir.join("config")).env("SUPPLE_DATA_DIR", dir.join("data")).env_remove("NO_COLOR");
    cmd
}

fn user_routine(dir: &Path, file: &str, text: &str) {
    let folder = dir.join("config/routines");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(file), text).unwrap();
}

fn has_control_bytes(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.chars().any(|c| c.is_control() && c != '\n') || text.contains('\u{202E}')
}

#[test]
fn list_shows_every_bundled_routine_with_its_length() {
    let dir = tempfile::tempdir().unwrap();
    supple(dir.path())
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("post-ride").and(predicate::str::contains("4m01s")))
        .stdout(predicate::str::contains("morning-mobility").and(predicate::str::contains("bundled")));
}

#[test]
fn list_json_has_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    let out = supple(dir.path()).args(["list", "--json"]).output().unwrap();
    assert!(out.status.success());
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let post_ride = items.as_array().unwrap().iter().find(|i| i["name"] == "post-ride").unwrap();
    assert_eq!(post_ride["source"], "bundled");
    assert_eq!(post_ride["estimated_secs"], 241);
    assert_eq!(post_ride["exercises"], 3);
    assert_eq!(post_ride["path"], serde_json::Value::Null);
    assert!(post_ride["tags"].as_array().unwrap().contains(&"post-ride".into()));
    for key in ["title", "last_done"] {
        assert!(post_ride.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn a_user_routine_overrides_the_bundled_one_and_a_broken_one_is_listed_with_its_error() {
    let dir = tempfile::tempdir().unwrap();
    user_routine(
        dir.path(),
        "post-ride.toml",
        "name = \"My post-ride\"\n[[exercise]]\nname = \"Plank\"\nduration = 45\n",
    );
    user_routine(dir.path(), "broken.toml", "name = \"Broken\"\n[[exercise]]\nname = \"Plank\"\nduraton = 45\n");
    supple(dir.path())
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("My post-ride").and(predicate::str::contains("user*")))
        .stdout(predicate::str::contains("broken.toml:4:1: exercise 1 (\"Plank\"): duraton: unknown key"));
    supple(dir.path()).args(["show", "post-ride"]).assert().success().stdout(predicate::str::contains("My post-ride"));
    supple(dir.path()).arg("check").assert().code(1).stderr(predicate::str::contains("did you mean `duration`?"));
}

#[test]
fn show_prints_every_step_with_start_times_and_the_total() {
    let dir = tempfile::tempdir().unwrap();
    supple(dir.path())
        .args(["show", "POST-RIDE"])
        .assert()
        .success()
        .stdout(predicate::str::contains("   2    0:05       20s  work     Couch stretch · left · round 1/2"))
        .stdout(predicate::str::contains("  14    2:31    60-90s  work     Plank"))
        .stdout(predicate::str::contains("Total: 4m01s in 14 steps"));
}

/// Three 10 s holds; `defaults` is the file's own `[defaults]` table, if any.
fn three_holds(defaults: &str) -> String {
    let mut text = format!("name = \"Three\"\n{defaults}");
    for name in ["One", "Two", "Three"] {
        text.push_str(&format!("[[exercise]]\nname = \"{name}\"\nduration = 10\n"));
    }
    text
}

fn estimated_secs(dir: &Path, name: &str) -> serde_json::Value {
    let out = supple(dir).args(["list", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    items.as_array().unwrap().iter().find(|i| i["name"] == name).unwrap()["estimated_secs"].clone()
}

#[test]
fn config_defaults_fill_the_pauses_a_routine_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    user_routine(dir.path(), "plain.toml", &three_holds(""));
    user_routine(dir.path(), "own.toml", &three_holds("[defaults]\nrest = \"5s\"\n"));
    // 3 prepares of 5 s and 3 holds of 10 s; the own routine adds 2 rests of 5 s.
    assert_eq!((estimated_secs(dir.path(), "plain"), estimated_secs(dir.path(), "own")), (45.into(), 55.into()));

    std::fs::write(dir.path().join("config/config.toml"), "[defaults]\nrest = \"20s\"\n").unwrap();
    assert_eq!(estimated_secs(dir.path(), "plain"), 85, "two rests of 20 s between the three holds");
    assert_eq!(estimated_secs(dir.path(), "own"), 55, "a routine's own rest wins over the config's");
    supple(dir.path())
        .args(["show", "plain"])
        .assert()
        .success()
        .stdout(predicate::str::contains("   3    0:15       20s  rest     One"))
        .stdout(predicate::str::contains("Total: 1m25s in 8 steps"));
    supple(dir.path())
        .args(["show", "own"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Total: 55s in 8 steps"));
    supple(dir.path())
        .arg("check")
        .arg(dir.path().join("config/routines/plain.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("plain.toml  (8 steps, 1m25s)"));
    supple(dir.path()).arg("doctor").assert().success().stdout(predicate::str::contains(
        "pauses          prepare 5s, rest 20s, switch 3s, set_rest 15s (rest from the config's [defaults]; \
             a routine's own [defaults] win)",
    ));
}

#[test]
fn a_bad_config_default_is_located_and_the_format_s_pauses_are_used() {
    let dir = tempfile::tempdir().unwrap();
    user_routine(dir.path(), "plain.toml", &three_holds(""));
    std::fs::write(dir.path().join("config/config.toml"), "[defaults]\nrest = \"20s\"\nprepare = \"2h\"\n").unwrap();
    let out = supple(dir.path()).args(["list", "--json"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "config.toml:3:11: defaults: prepare: must be between 0s and 1h, got \"2h\" (using the default for it)"
        ),
        "{stderr}"
    );
    assert_eq!(estimated_secs(dir.path(), "plain"), 45);
}

#[test]
fn show_accepts_a_path() {
    supple(tempfile::tempdir().unwrap().path())
        .args(["show", "tests/fixtures/good/every-key.toml"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Every key").and(predicate::str::contains("every-key (file)")));
}

#[test]
fn unknown_routines_and_usage_errors_have_distinct_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    supple(dir.path()).args(["show", "post-rid"]).assert().code(1).stderr(predicate::str::starts_with(
        "supple: no routine named `post-rid`; did you mean `post-ride`?\nknown routines: bedtime,",
    ));
    supple(dir.path()).args(["show"]).assert().code(2);
    supple(dir.path()).args(["frobnicate"]).assert().code(2);
}

#[test]
fn check_passes_every_bundled_routine_and_the_good_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    supple(dir.path())
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("6 routine files checked, all valid"));
    supple(dir.path()).args(["check", "tests/fixtures/good"]).assert().success();
}

#[test]
fn check_reports_every_error_of_every_bad_fixture_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = supple(dir.path()).args(["check", "tests/fixtures/bad"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tests/fixtures/bad/bounds.toml:6:12: exercise 1 (\"Plank\"): duration: must be between 1s and 1h, got \"0s\""), "{stderr}");
    assert!(stderr.contains("tests/fixtures/bad/types.toml:12:8: exercise 2 (\"Clam\"): reps:"), "{stderr}");
    let bad_files = std::fs::read_dir("tests/fixtures/bad").unwrap().count();
    assert!(stderr.contains(&format!("{bad_files} routine files checked: {bad_files} with errors")), "{stderr}");
    assert!(!has_control_bytes(&out.stderr) && !has_control_bytes(&out.stdout));
}

#[test]
fn hostile_names_never_reach_the_terminal_as_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "name = \"Evil \\u001b]0;owned\\u0007 \\u009b31m \\u202e txt\"\ntags = [\"\\u001b[2J\"]\n\
                   description = \"\\u001b[31mred\"\n[[exercise]]\nname = \"Plank\\u001b[5m\"\nduration = 30\n\
                   notes = \"\\u0000\\u001b[?1049h\"\n";
    user_routine(dir.path(), "evil\x1b[31m.toml", hostile);
    user_routine(dir.path(), "bad\x1b[31m.toml", "name = \"x\"\n[[exercise]]\nname = \"\\u001b[2J\"\nduraton = 1\n");
    for args in [&["list"][..], &["list", "--json"], &["show", "evil\x1b[31m"], &["check"]] {
        let out = supple(dir.path()).args(args).output().unwrap();
        assert!(!has_control_bytes(&out.stdout), "{args:?} stdout: {:?}", String::from_utf8_lossy(&out.stdout));
        assert!(!has_control_bytes(&out.stderr), "{args:?} stderr: {:?}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn binary_and_missing_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    supple(dir.path())
        .args(["check", "tests/fixtures/bad/binary.toml", "no/such.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("binary.toml:1:1: is not UTF-8 text (binary file?)"))
        .stderr(predicate::str::contains("\nno/such.toml: no such file\n"));
}

#[test]
fn check_takes_a_routine_name_like_run_and_show() {
    let dir = tempfile::tempdir().unwrap();
    user_routine(dir.path(), "mine.toml", "name = \"Mine\"\n[[exercise]]\nname = \"Plank\"\nduraton = 45\n");
    supple(dir.path()).args(["check", "post-ride"]).assert().success().stdout(
        predicate::str::starts_with("ok    bundled:post-ride.toml  (")
            .and(predicate::str::contains("1 routine file checked, all valid")),
    );
    supple(dir.path()).args(["check", "mine"]).assert().code(1).stderr(predicate::str::contains(
        "config/routines/mine.toml:4:1: exercise 1 (\"Plank\"): duraton: unknown key",
    ));
    supple(dir.path())
        .args(["check", "post-rid"])
        .assert()
        .code(1)
        .stderr("post-rid: no such file or routine; did you mean `post-ride`?\n");
}

/// Writes an executable editor script into `dir` and returns its path.
fn editor_script(dir: &Path, body: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("fake-editor");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn new_creates_a_valid_routine_from_the_template_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    supple(dir.path())
        .args(["new", "evening-stretch"])
        .env("EDITOR", "true")
        .env_remove("VISUAL")
        .assert()
        .success()
        .stdout(predicate::str::contains("ok: Evening stretch"));
    let file = dir.path().join("config/routines/evening-stretch.toml");
    assert!(std::fs::read_to_string(&file).unwrap().contains("name = \"Evening stretch\""));
    supple(dir.path()).args(["show", "evening-stretch"]).assert().success();
    supple(dir.path())
        .args(["new", "evening-stretch"])
        .env("EDITOR", "true")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("exists already"));
    supple(dir.path())
        .args(["new", "bad name!"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot be a routine name"));
}

#[test]
fn edit_reports_errors_offers_to_edit_again_and_keeps_the_fixed_file() {
    let dir = tempfile::tempdir().unwrap();
    // First run breaks the file (a typo); the second run fixes it.
    let editor = editor_script(
        dir.path(),
        r#"if [ -f "$1.broken-once" ]; then sed -i 's/duraton/duration/; s/Post-ride reset/Post-ride reset, mine/' "$1"; else sed -i 's/duration/duraton/' "$1"; touch "$1.broken-once"; fi"#,
    );
    let out = supple(dir.path())
        .args(["edit", "post-ride"])
        .env("EDITOR", &editor)
        .env_remove("VISUAL")
        .write_stdin("y\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("copied the bundled routine to"), "{stdout}");
    assert!(stderr.contains("post-ride.toml:11:3: block 1, exercise 1 (\"Couch stretch\"): duraton: unknown key; did you mean `duration`?"), "{stderr}");
    assert!(stdout.contains("Edit again? [Y/n] ") && stdout.contains("ok: Post-ride reset, mine"), "{stdout}");
    supple(dir.path()).arg("list").assert().success().stdout(predicate::str::contains("user*"));
}

#[test]
fn editing_a_bundled_routine_without_a_change_leaves_no_copy_overriding_it() {
    let dir = tempfile::tempdir().unwrap();
    supple(dir.path())
        .args(["edit", "post-ride"])
        .env("EDITOR", "true")
        .env_remove("VISUAL")
        .assert()
        .success()
        .stdout(predicate::str::contains("not changed: Post-ride reset stays the bundled routine"));
    assert!(!dir.path().join("config/routines/post-ride.toml").exists());
    supple(dir.path()).arg("list").assert().success().stdout(predicate::str::contains("user*").not());
}

#[test]
fn editing_a_new_path_left_unsaved_asks_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.toml");
    let out = supple(dir.path()).arg("edit").arg(&path).env("EDITOR", "true").env_remove("VISUAL").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("supple: {} was not saved, so there is nothing to check\n", path.display())
    );
}

#[test]
fn an_editor_that_fails_is_reported_with_its_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    user_routine(dir.path(), "mine.toml", "name = \"Mine\"\n[[exercise]]\nname = \"Plank\"\nduration = 45\n");
    supple(dir.path())
        .args(["edit", "mine"])
        .env("EDITOR", "false")
        .env_remove("VISUAL")
        .assert()
        .code(1)
        .stderr("supple: the editor `false` exited with code 1; the file was kept\n");
}

#[test]
fn edit_without_an_answer_keeps_the_broken_file_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let editor = editor_script(dir.path(), r#"echo 'oops = 1' >> "$1""#);
    supple(dir.path())
        .args(["edit", "bedtime"])
        .env("EDITOR", &editor)
        .env_remove("VISUAL")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("oops: unknown key").and(predicate::str::contains("kept")));
    let kept = std::fs::read_to_string(dir.path().join("config/routines/bedtime.toml")).unwrap();
    assert!(kept.ends_with("oops = 1\n"));
}

#[test]
fn doctor_reports_paths_config_and_routine_errors_without_creating_anything() {
    let dir = tempfile::tempdir().unwrap();
    user_routine(dir.path(), "broken.toml", "name = \"Broken\"\n[[exercise]]\nname = \"Plank\"\nduraton = 45\n");
    std::fs::write(dir.path().join("config/config.toml"), "week_goal = 9\n").unwrap();
    supple(dir.path())
        .arg("doctor")
        .assert()
        .success()
        .stdout(predicate::str::contains("config.toml:1:13: week_goal: must be from 1 to 7 sessions, got 9"))
        .stdout(predicate::str::contains("6 bundled, 1 yours"))
        .stdout(predicate::str::contains("broken.toml:4:1: exercise 1 (\"Plank\"): duraton: unknown key"))
        .stdout(predicate::str::contains("not created yet: it starts with the first session"))
        // The config's error, the typo, and the dose the typo leaves missing.
        .stdout(predicate::str::contains("3 problem(s) found"))
        // Said once, in the report, not also as the notice other commands print first.
        .stderr("");
    assert!(!dir.path().join("data").exists(), "doctor must not create the history");
}

#[test]
fn help_lists_the_commands_in_the_order_of_the_readme() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let documented: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("| `supple "))
        .filter_map(|l| l.split([' ', '`']).next())
        .collect();
    let out = supple(Path::new("/nonexistent")).arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let listed: Vec<&str> = help
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert_eq!(listed, documented, "{help}");
}
