//! Pins the exact messages for every rule of the routine format, one fixture file per theme
//! under `tests/fixtures/`, so a change in wording is a reviewed change.

use std::path::Path;
use std::time::Duration;

use super::*;
use crate::routine::Work;

fn messages(path: &Path) -> String {
    let name = format!("fixtures/{}", path.file_name().unwrap().to_string_lossy());
    match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => match parse(&name, &text, Pauses::default()) {
            Ok(r) => format!("OK: {}", r.name),
            Err(errors) => errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
        },
        _ => match load(path, Pauses::default()) {
            Ok(_) => "OK".into(),
            Err(errors) => errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("\n"),
        },
    }
}

#[test]
fn bad_fixtures_report_every_error_with_place_and_field() {
    insta::glob!("../../../tests/fixtures/bad", "*.toml", |path| {
        let out = messages(path);
        assert!(!out.starts_with("OK"), "{} should be rejected", path.display());
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "control character in {out:?}");
        insta::assert_snapshot!(out);
    });
}

#[test]
fn good_fixtures_parse() {
    insta::glob!("../../../tests/fixtures/good", "*.toml", |path| {
        let out = messages(path);
        assert!(out.starts_with("OK"), "{}: {out}", path.display());
    });
}

#[test]
fn every_key_is_read_into_the_routine() {
    let text = std::fs::read_to_string("tests/fixtures/good/every-key.toml").unwrap();
    let r = parse("every-key.toml", &text, Pauses::default()).unwrap();
    assert_eq!(r.description.as_deref(), Some("Two lines\nof description."));
    assert_eq!(r.tags, ["test", "all-keys"]);
    assert_eq!(r.blocks.len(), 2);
    assert_eq!(r.blocks[0].rounds, 3);
    let couch = &r.blocks[0].exercises[0];
    assert_eq!(couch.work, Work::Hold(Duration::from_secs(90)));
    assert!(couch.each_side);
    assert_eq!(couch.pauses.prepare, Duration::from_secs(10));
    assert_eq!(couch.pauses.rest, Duration::from_secs(60));
    assert_eq!(couch.pauses.switch, Duration::from_secs(5));
    assert_eq!(couch.pauses.set_rest, Duration::from_secs(20));
    let cat = &r.blocks[0].exercises[1];
    assert_eq!(cat.work, Work::Reps { count: 20, tempo: Some(Duration::from_secs(3)) });
    assert_eq!((cat.pauses.prepare, cat.pauses.rest), (Duration::ZERO, Duration::ZERO));
    let clam = &r.blocks[1].exercises[0];
    assert_eq!(
        (clam.sets, clam.pauses.switch, clam.pauses.set_rest),
        (2, Duration::from_secs(2), Duration::from_secs(30))
    );
    assert_eq!(clam.work, Work::Reps { count: 15, tempo: None });
    assert_eq!(r.blocks[1].rounds, 1);
    let plank = &r.blocks[1].exercises[1];
    assert_eq!(plank.name, "Plank 🧘 猫");
    assert_eq!(plank.work, Work::RangeHold { min: Duration::from_secs(60), max: Duration::from_secs(90) });
}

#[test]
fn a_file_over_one_mebibyte_is_refused_before_parsing() {
    let huge = format!("name = \"x\"\n# {}\n", "a".repeat(1024 * 1024));
    let errors = parse("huge.toml", &huge, Pauses::default()).unwrap_err();
    assert_eq!(errors[0].to_string(), "huge.toml:1:1: is larger than 1 MiB; a routine file may be at most 1 MiB");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.toml");
    std::fs::write(&path, huge).unwrap();
    assert!(
        load(&path, Pauses::default()).unwrap_err()[0]
            .message
            .starts_with("is 1024 KiB; a routine file may be at most 1 MiB")
    );
}

#[test]
fn folders_missing_files_and_symlink_loops_are_errors_not_hangs() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(load(dir.path(), Pauses::default()).unwrap_err()[0].message, "is a folder, not a routine file");
    assert_eq!(load(&dir.path().join("nope.toml"), Pauses::default()).unwrap_err()[0].message, "no such file");
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    assert!(load(&a, Pauses::default()).unwrap_err()[0].message.starts_with("cannot be read:"));
}

#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        assert_eq!(load(&fifo, Pauses::default()).unwrap_err()[0].message, "is not a regular file (a pipe or device?)");
    }
}

#[test]
fn a_routine_asking_for_millions_of_steps_is_refused_quickly() {
    let mut text = String::from("name = \"Hostile\"\n[[block]]\nrounds = 100\n");
    for i in 0..5000 {
        text += "[[block.exercise]]\nname = \"E";
        text += &i.to_string();
        text += "\"\nreps = 1000\nsets = 100\neach_side = true\n";
    }
    let errors = parse("hostile.toml", &text, Pauses::default()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.starts_with("the routine expands to 200000000 steps"), "{}", errors[0]);
}

#[test]
fn exactly_two_thousand_steps_is_allowed() {
    // 1000 rounds is over the rounds limit, so 10 blocks of 100 rounds of one two-sided
    // exercise: 2 work steps per round, no pauses.
    let mut text = String::from("name = \"Edge\"\n[defaults]\nprepare = 0\nswitch = 0\n");
    for _ in 0..10 {
        text.push_str("[[block]]\nrounds = 100\n[[block.exercise]]\nname = \"Squat\"\nreps = 1\neach_side = true\n");
    }
    let routine = parse("edge.toml", &text, Pauses::default()).unwrap();
    assert_eq!(Plan::new(&routine).steps.len(), 2000);
    let over = text.replace("name = \"Edge\"", "name = \"Over\"")
        + "[[block]]\n[[block.exercise]]\nname = \"One more\"\nreps = 1\n";
    assert!(parse("over.toml", &over, Pauses::default()).unwrap_err()[0].message.contains("2001 steps"));
}

#[test]
fn text_that_is_only_invisible_characters_is_refused_or_dropped_not_shown_blank() {
    // Bidi controls used to pass the "not empty" check and were then removed
    // by `sanitize`, leaving a routine, exercise or tag named "" (a blank row on the home screen).
    let text = "name = \"\\u202e\"\ntags = [\"\\u2066\"]\n[[exercise]]\nname = \" \\u200e \"\nduration = 5\n";
    let errors: Vec<String> =
        parse("blank.toml", text, Pauses::default()).unwrap_err().iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        [
            "blank.toml:1:8: name: must be 1 to 80 characters on one line, got only invisible characters",
            "blank.toml:2:9: tags: each tag must be 1 to 40 characters on one line, got only invisible characters",
            "blank.toml:4:8: exercise 1: name: must be 1 to 80 characters on one line, got only invisible characters",
        ]
    );
    let text = "name = \" \\u2067Couch\\u2069 \"\ndescription = \"\\u202e\"\n[[exercise]]\nname = \"a\"\nduration = 5\n\
                notes = \"\\u200f\\n\"\n";
    let routine = parse("clean.toml", text, Pauses::default()).unwrap();
    assert_eq!(routine.name, "Couch");
    assert_eq!(routine.description, None);
    assert_eq!(routine.exercises().next().unwrap().notes, None);
}

#[test]
fn pauses_come_from_the_exercise_then_the_file_then_the_base_then_the_format() {
    let base = Pauses { prepare: Duration::from_secs(8), rest: Duration::from_secs(20), ..Pauses::default() };
    let text = "name = \"Layers\"\n[defaults]\nprepare = \"2s\"\n\
                [[exercise]]\nname = \"Own\"\nduration = 5\nprepare = 1\nrest = \"1s\"\n\
                [[exercise]]\nname = \"Plain\"\nduration = 5\n";
    let routine = parse("layers.toml", text, base).unwrap();
    let pauses: Vec<Pauses> = routine.exercises().map(|e| e.pauses).collect();
    let secs = |p: &Pauses| [p.prepare, p.rest, p.switch, p.set_rest].map(|d| d.as_secs());
    assert_eq!(secs(&pauses[0]), [1, 1, 3, 15], "the exercise's own values win");
    assert_eq!(secs(&pauses[1]), [2, 20, 3, 15], "the file's prepare, the base's rest, the format's others");
}

#[test]
fn a_routine_too_long_only_because_of_the_config_pauses_says_so() {
    let mut text = String::from("name = \"Many\"\n");
    for i in 0..30 {
        text.push_str(&format!("[[exercise]]\nname = \"E{i}\"\nduration = 5\n"));
    }
    assert!(parse("many.toml", &text, Pauses::default()).is_ok());
    let base = Pauses { rest: Duration::from_secs(3600), ..Pauses::default() };
    let errors: Vec<String> = parse("many.toml", &text, base).unwrap_err().iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        ["many.toml:1:1: the routine would take 29h05m; at most 24h is allowed (counting the pauses from your \
          config's [defaults])"]
    );
    let own = text.replace("name = \"Many\"\n", "name = \"Many\"\n[defaults]\nrest = \"1h\"\n");
    let errors = parse("many.toml", &own, base).unwrap_err();
    assert!(!errors[0].message.contains("config"), "the file alone is too long: {}", errors[0]);
}

#[test]
fn an_exercise_s_dose_is_reported_whole_a_typo_leaves_none_and_a_clash_hides_no_bad_value() {
    let text = "name = \"Dose\"\n\
                [[exercise]]\nname = \"Plank\"\nduraton = \"30s\"\n\
                [[exercise]]\nname = \"Bridge\"\nduration = \"90sec\"\nreps = 0\ntempo = \"0s\"\n\
                [[exercise]]\nname = \"Dog\"\n";
    let errors: Vec<String> =
        parse("dose.toml", text, Pauses::default()).unwrap_err().iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        [
            "dose.toml:4:1: exercise 1 (\"Plank\"): duraton: unknown key; did you mean `duration`?",
            "dose.toml:4:1: exercise 1 (\"Plank\"): duration: missing, as `duraton` is not a key; give `duration = \"30s\"` \
             (a hold) or `reps = 10`",
            "dose.toml:7:12: exercise 2 (\"Bridge\"): duration: must be a duration like \"45s\", \"1m30s\" or \"1:30\" \
             (between 1s and 1h), got \"90sec\"",
            "dose.toml:8:8: exercise 2 (\"Bridge\"): reps: must be from 1 to 1000, got 0",
            "dose.toml:8:8: exercise 2 (\"Bridge\"): reps: an exercise has either `duration` (a hold) or `reps`, not both",
            "dose.toml:9:9: exercise 2 (\"Bridge\"): tempo: must be between 1s and 1h, got \"0s\"",
            "dose.toml:10:1: exercise 3 (\"Dog\"): duration: missing; give `duration = \"30s\"` (a hold) or `reps = 10`",
        ]
    );
}
