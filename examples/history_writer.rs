//! Test helper for the history's crash and concurrency tests (tests/history.rs): writes to a
//! history the way a running session does, from a separate process.
//!
//! `history_writer DB crash`: starts a session, records two steps, prints `ready`, then waits
//! for stdin to close (the test kills it with SIGKILL before that).
//! `history_writer DB sessions N`: records N complete sessions of three steps each.

use std::io::{BufRead, Write};
use std::path::Path;

use supple::plan::{Side, StepKind};
use supple::record::{Recorder, SessionRecord, Status, StepRecord};
use supple::store::recorder::HistoryRecorder;

fn step(index: u32) -> StepRecord {
    StepRecord {
        index,
        exercise: "Couch stretch".into(),
        side: Some(if index % 2 == 0 { Side::Left } else { Side::Right }),
        set: 1,
        round: 1,
        kind: StepKind::Work,
        planned_secs: 20,
        active_secs: 20,
        reps_target: None,
        reps_done: None,
        skipped: false,
    }
}

fn session() -> SessionRecord {
    SessionRecord {
        id: uuid::Uuid::new_v4(),
        routine: "post-ride".into(),
        title: "Post-ride reset".into(),
        routine_hash: String::new(),
        started_at: supple::clock::Clock.wall(),
        ended_at: None,
        status: Status::Running,
        planned_secs: 60,
        active_secs: 0,
        steps_total: 3,
        steps_done: 0,
        steps_skipped: 0,
        pain_before: None,
        pain_after: None,
        note: None,
        quit_reason: None,
        steps: Vec::new(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(db), Some(mode)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: history_writer DB crash | history_writer DB sessions N");
        std::process::exit(2);
    };
    let mut recorder = HistoryRecorder::open(Path::new(db));
    match mode.as_str() {
        "crash" => {
            let record = session();
            recorder.started(&record);
            recorder.step_finished(record.id, &step(0));
            recorder.step_finished(record.id, &step(1));
            if let Some(problem) = recorder.problem() {
                eprintln!("{problem}");
                std::process::exit(1);
            }
            println!("ready");
            let _ = std::io::stdout().flush();
            // Blocks until the test kills us.
            for _ in std::io::stdin().lock().lines() {}
        }
        "sessions" => {
            let n: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(1);
            for _ in 0..n {
                let mut record = session();
                recorder.started(&record);
                for i in 0..3 {
                    recorder.step_finished(record.id, &step(i));
                    record.steps.push(step(i));
                }
                record.status = Status::Completed;
                record.steps_done = 3;
                record.active_secs = 60;
                record.ended_at = Some(supple::clock::Clock.wall());
                recorder.finished(&record);
                if let Some(problem) = recorder.problem() {
                    eprintln!("{problem}");
                    std::process::exit(1);
                }
            }
        }
        other => {
            eprintln!("unknown mode {other}");
            std::process::exit(2);
        }
    }
}
