//! How long `check` takes over 1,000 routine files (SPEC target: <= 200 ms), measured on the
//! same code path as `supple check DIR`, with files of realistic size generated into a tempdir.

use criterion::{Criterion, criterion_group, criterion_main};
use std::fmt::Write;
use std::hint::black_box;

fn routine_text(i: usize) -> String {
    let mut text = format!(
        "name = \"Generated routine {i}\"\ndescription = \"For the benchmark.\"\ntags = [\"bench\", \"hips\"]\n\
         [defaults]\nprepare = \"5s\"\nrest = \"10s\"\n"
    );
    for e in 0..8 {
        let dose =
            if e % 2 == 0 { "duration = \"45s\"\neach_side = true" } else { "reps = 12\ntempo = \"3s\"\nsets = 2" };
        let _ = write!(
            text,
            "[[exercise]]\nname = \"Exercise {e}\"\n{dose}\nnotes = \"Keep the back long and breathe out slowly.\"\n"
        );
    }
    text
}

fn check_thousand_files(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..1000 {
        std::fs::write(dir.path().join(format!("r{i:04}.toml")), routine_text(i)).unwrap();
    }
    let library = supple::routine::library::Library::default();
    let paths = vec![dir.path().to_path_buf()];
    c.bench_function("check 1000 routine files", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            let mut err = Vec::new();
            let result = supple::command::check::run(black_box(&paths), &library, &mut out, &mut err);
            assert!(result.is_ok(), "{}", String::from_utf8_lossy(&err));
            out
        });
    });
}

criterion_group!(benches, check_thousand_files);
criterion_main!(benches);
