//! Feeds arbitrary bytes to the routine loader and checks what a user would be shown.
//!
//! Valid UTF-8 goes straight to `routine::file::parse` (the path `check`, `list`, `show` and the
//! home screen take after reading a file). Anything else is written to a scratch file and goes
//! through `routine::file::load`, which must refuse it as "not UTF-8" with a located message.
//!
//! Beyond "does not panic or hang", every result must keep the format's promises:
//! an accepted routine plans to at most 2000 steps and 24 h, and no text taken from the file
//! (names, notes, description, tags) holds a control character or a bidi override; a refused
//! one has diagnostics located at line >= 1, column >= 1, whose printed form is equally clean.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use supple::plan::Plan;
use supple::routine::{Pauses, Routine};
use supple::routine::diagnostic::Diagnostic;
use supple::routine::file;

fuzz_target!(|data: &[u8]| {
    let result = match std::str::from_utf8(data) {
        Ok(text) => file::parse("fuzz.toml", text, Pauses::default()),
        Err(_) => {
            let path = scratch_file();
            std::fs::write(path, data).expect("scratch file is writable");
            let result = file::load(path, Pauses::default()).map(|(routine, _)| routine);
            let diagnostics = result.as_ref().expect_err("non-UTF-8 input must be refused");
            assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
            assert!(diagnostics[0].message.contains("not UTF-8"), "{diagnostics:?}");
            result
        }
    };
    match result {
        Ok(routine) => check_routine(&routine),
        Err(diagnostics) => check_diagnostics(&diagnostics),
    }
});

/// One file per fuzzing process, so parallel jobs (`-jobs=N`) do not overwrite each other's.
fn scratch_file() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| std::env::temp_dir().join(format!("supple-fuzz-{}.toml", std::process::id())))
}

fn check_routine(routine: &Routine) {
    let plan = Plan::new(routine);
    assert!(!plan.steps.is_empty(), "an accepted routine has at least one step");
    assert!(plan.steps.len() <= file::MAX_STEPS, "{} steps", plan.steps.len());
    assert!(plan.total() <= file::MAX_TOTAL, "total {:?}", plan.total());
    assert_clean_line(&routine.name);
    assert!(!routine.name.is_empty() && routine.name.chars().count() <= file::MAX_NAME_CHARS);
    if let Some(description) = &routine.description {
        assert_clean_multiline(description);
    }
    for tag in &routine.tags {
        assert_clean_line(tag);
    }
    for exercise in routine.exercises() {
        assert_clean_line(&exercise.name);
        if let Some(notes) = &exercise.notes {
            assert_clean_multiline(notes);
        }
    }
    for step in &plan.steps {
        assert!(!step.planned().is_zero(), "zero-length pauses are dropped and work lasts >= 1s");
        assert!(step.set >= 1 && step.set <= step.sets && step.round >= 1 && step.round <= step.rounds);
    }
}

fn check_diagnostics(diagnostics: &[Diagnostic]) {
    assert!(!diagnostics.is_empty(), "a refused routine says why");
    for d in diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        assert_clean_line(&d.to_string());
    }
}

/// Text shown on one line: no control characters at all, no bidi reordering.
fn assert_clean_line(text: &str) {
    assert!(!text.chars().any(|c| c.is_control() || is_bidi_control(c)), "{text:?}");
}

/// Free text may keep its line breaks, nothing else.
fn assert_clean_multiline(text: &str) {
    assert!(!text.chars().any(|c| (c.is_control() && c != '\n') || is_bidi_control(c)), "{text:?}");
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}
