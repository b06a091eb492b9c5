//! History speed: `stats` over 100,000 sessions (target: `supple stats --json` <= 150 ms in
//! all) and what the home screen's history data costs with 20,000 sessions (target: <= 5 ms).
//!
//! The databases are generated once into a temporary folder: about three sessions a day going
//! back from a fixed day, several routines, five steps each, check-ins on a third of them.
//! "unbroken" histories have a session every day (one streak spans all of it); the others
//! skip every tenth day and every twentieth week, as a person does.
//! `scripts/bench-history.sh` measures the real binary end to end.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::{Span, Zoned};
use supple::plan::{Side, StepKind};
use supple::record::{SessionRecord, Status, StepRecord};
use supple::stats::{HistoryData, HomeSummary, Stats, today};
use supple::store::Store;
use supple::streak::StreakSettings;

const ROUTINES: [&str; 6] =
    ["post-ride", "morning-mobility", "bedtime", "glute-activation", "core-stability", "hip-flexors"];

fn now() -> Zoned {
    "2026-11-23T19:00:00+01:00[Europe/Berlin]".parse().unwrap()
}

/// `count` sessions, about three a day going back from `now`, written in one import; with
/// `gaps`, none on every tenth day nor in every twentieth week.
fn fill(path: &Path, count: u64, gaps: bool) {
    let mut store = Store::open(path).unwrap();
    let base = now();
    let sessions: Vec<SessionRecord> = (0..count)
        .filter(|n| !gaps || ((n / 3) % 10 != 4 && (n / 21) % 20 != 7))
        .map(|n| {
            let started = base.checked_sub(Span::new().hours(i64::try_from(n).unwrap() * 8 + 1)).unwrap();
            let steps = (0..5)
                .map(|i| StepRecord {
                    index: i,
                    exercise: format!("Exercise {i}"),
                    side: (i % 2 == 0).then_some(Side::Left),
                    set: 1,
                    round: 1,
                    kind: if i % 2 == 0 { StepKind::Work } else { StepKind::Rest },
                    planned_secs: 30,
                    active_secs: 30,
                    reps_target: None,
                    reps_done: None,
                    skipped: false,
                })
                .collect();
            SessionRecord {
                id: uuid::Uuid::from_u128(u128::from(n) + 1),
                routine: ROUTINES[(n % 6) as usize].into(),
                title: "A routine".into(),
                routine_hash: "0".repeat(64),
                ended_at: Some(started.checked_add(Span::new().minutes(5)).unwrap()),
                started_at: started,
                status: if n % 10 == 0 { Status::Stopped } else { Status::Completed },
                planned_secs: 300,
                active_secs: 290,
                steps_total: 5,
                steps_done: 5,
                steps_skipped: 0,
                pain_before: (n % 3 == 0).then_some(6),
                pain_after: (n % 3 == 0).then_some(3),
                note: None,
                quit_reason: None,
                steps,
            }
        })
        .collect();
    store.import(&sessions, &[]).unwrap();
}

fn history(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("100k.db");
    let home = dir.path().join("20k.db");
    let unbroken = dir.path().join("20k-unbroken.db");
    fill(&big, 100_000, false);
    fill(&home, 23_700, true);
    fill(&unbroken, 20_000, false);
    let settings = StreakSettings::default();
    let now = now();
    let today = today(&now, &settings);

    let mut group = c.benchmark_group("history");
    group.sample_size(20);
    group.bench_function("stats_json_100k_sessions", |b| {
        b.iter(|| {
            let store = Store::open_existing(&big).unwrap();
            let stats = Stats::gather(store.as_ref(), &settings, &now).unwrap();
            black_box(serde_json::to_string_pretty(&stats.to_json()).unwrap())
        });
    });
    for (name, path) in [("home_20k_sessions", &home), ("home_20k_sessions_unbroken_streak", &unbroken)] {
        group.bench_function(format!("{name}_with_open"), |b| {
            b.iter(|| {
                let store = Store::open_existing(path).unwrap();
                black_box(HomeSummary::load(store.as_ref(), &settings, today).unwrap())
            });
        });
        group.bench_function(name, |b| {
            let store = Store::open_existing(path).unwrap();
            b.iter(|| black_box(HomeSummary::load(store.as_ref(), &settings, today).unwrap()));
        });
    }
    group.bench_function("history_screen_20k_sessions", |b| {
        let store = Store::open_existing(&home).unwrap();
        b.iter(|| black_box(HistoryData::load(store.as_ref(), &settings, &now).unwrap()));
    });
    group.finish();
}

criterion_group!(benches, history);
criterion_main!(benches);
