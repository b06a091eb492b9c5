//! Tests for `session`, kept beside it in their own file so the module itself stays readable.

use proptest::prelude::*;

use super::*;
use crate::plan::StepKind;
use crate::routine::{Block, Exercise, Pauses, Routine};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn pauses(prepare: u64, rest: u64, switch: u64, set_rest: u64) -> Pauses {
    Pauses { prepare: secs(prepare), rest: secs(rest), switch: secs(switch), set_rest: secs(set_rest) }
}

fn exercise(name: &str, work: Work, each_side: bool, pauses: Pauses) -> Exercise {
    Exercise { name: name.into(), notes: None, work, each_side, sets: 1, pauses }
}

fn plan(exercises: Vec<Exercise>) -> Plan {
    Plan::new(&Routine {
        name: "t".into(),
        description: None,
        tags: vec![],
        blocks: vec![Block { rounds: 1, exercises }],
    })
}

/// prepare 5, hold 20, rest 10, prepare 5, hold 10: 50 s.
fn two_holds() -> Plan {
    plan(vec![
        exercise("Couch", Work::Hold(secs(20)), false, pauses(5, 10, 3, 15)),
        exercise("Dog", Work::Hold(secs(10)), false, pauses(5, 10, 3, 15)),
    ])
}

fn cues(events: &[Event]) -> Vec<Cue> {
    events.iter().filter_map(|e| if let Event::Cue(c) = e { Some(*c) } else { None }).collect()
}

fn finished(events: &[Event]) -> Vec<StepRecord> {
    events.iter().filter_map(|e| if let Event::StepFinished(r) = e { Some(r.clone()) } else { None }).collect()
}

/// Runs the session the way the shell does, waking exactly at each deadline, and returns
/// every cue with the active second (in ms) it was played at.
fn run_to_end(session: &mut Session, t0: Instant, late: impl Fn(usize) -> Duration) -> Vec<(u128, Cue)> {
    let mut played = Vec::new();
    let mut now = t0;
    for wake in 0.. {
        for e in session.advance(now) {
            if let Event::Cue(c) = e {
                played.push(((now - t0).as_millis(), c));
            }
        }
        let Some(deadline) = session.next_deadline(now) else { break };
        assert!(deadline >= now, "deadline in the past");
        now = deadline + late(wake);
    }
    played
}

#[test]
fn holds_and_pauses_cue_on_their_planned_seconds() {
    use Cue::{Done, Go, Rest, Tick};
    let t0 = Instant::now();
    let mut s = Session::new(two_holds(), t0);
    let played = run_to_end(&mut s, t0, |_| Duration::ZERO);
    let expected: Vec<(u128, Cue)> = vec![
        (2000, Tick),
        (3000, Tick),
        (4000, Tick),
        (5000, Go),
        (22000, Tick),
        (23000, Tick),
        (24000, Tick),
        (25000, Rest),
        (32000, Tick),
        (33000, Tick),
        (34000, Tick),
        (37000, Tick),
        (38000, Tick),
        (39000, Tick),
        (40000, Go),
        (47000, Tick),
        (48000, Tick),
        (49000, Tick),
        (50000, Done),
    ];
    assert_eq!(played, expected);
    assert_eq!(s.ended(), Some(Ending::Completed));
    assert_eq!(s.elapsed(t0 + secs(99)), secs(50));
    let active: Vec<u64> = s.records().iter().map(|r| r.active_secs).collect();
    assert_eq!(active, [5, 20, 10, 5, 10]);
    assert!(s.records().iter().all(|r| !r.skipped));
}

#[test]
fn the_countdown_shows_whole_seconds_rounded_up_and_wakes_on_their_boundaries() {
    let t0 = Instant::now();
    let mut s = Session::new(two_holds(), t0);
    assert_eq!(s.view(t0).face, Face::Down(5));
    assert_eq!(s.view(t0).routine_left, 50);
    s.advance(t0 + ms(300));
    assert_eq!(s.view(t0 + ms(300)).face, Face::Down(5));
    assert_eq!(s.next_deadline(t0 + ms(300)), Some(t0 + secs(1)));
    s.advance(t0 + secs(1));
    assert_eq!(s.view(t0 + secs(1)).face, Face::Down(4));
    assert_eq!(s.next_deadline(t0 + secs(1)), Some(t0 + secs(2)));
    s.advance(t0 + ms(5_999));
    let v = s.view(t0 + ms(5_999));
    assert_eq!((v.index, v.face, v.routine_left), (1, Face::Down(20), 45));
}

#[test]
fn a_late_wake_plays_each_missed_cue_once_and_a_repeat_call_plays_nothing() {
    let t0 = Instant::now();
    let mut s = Session::new(two_holds(), t0);
    assert_eq!(cues(&s.advance(t0 + ms(4_500))), [Cue::Tick, Cue::Tick, Cue::Tick]);
    assert_eq!(s.advance(t0 + ms(4_500)), []);
    let events = s.advance(t0 + secs(27));
    assert_eq!(cues(&events), [Cue::Go, Cue::Tick, Cue::Tick, Cue::Tick, Cue::Rest]);
    let done: Vec<(u32, u64)> = finished(&events).iter().map(|r| (r.index, r.active_secs)).collect();
    assert_eq!(done, [(0, 5), (1, 20)]);
    // The rest started at 25 s, when the hold ended, not at 27 s when we noticed.
    assert_eq!(s.view(t0 + secs(27)).face, Face::Down(8));
    assert_eq!(cues(&s.advance(t0 + secs(27))), []);
}

#[test]
fn pausing_freezes_the_countdown_and_plays_nothing() {
    let t0 = Instant::now();
    let mut s = Session::new(two_holds(), t0);
    s.advance(t0 + secs(3));
    assert_eq!(s.handle(Command::TogglePause, t0 + ms(3_500)), [Event::Paused]);
    assert_eq!(s.next_deadline(t0 + secs(100)), None);
    assert_eq!(s.advance(t0 + secs(100)), []);
    assert_eq!(s.view(t0 + secs(100)).face, Face::Down(2));
    assert!(s.view(t0 + secs(100)).paused);
    assert_eq!(s.handle(Command::TogglePause, t0 + secs(200)), [Event::Resumed]);
    // 1.5 s of prepare were left; the tick at 4 s of active time is at 200.5 s.
    assert_eq!(s.next_deadline(t0 + secs(200)), Some(t0 + ms(200_500)));
    assert_eq!(cues(&s.advance(t0 + ms(201_500))), [Cue::Tick, Cue::Go]);
    assert_eq!(s.view(t0 + ms(201_500)).elapsed, secs(5));
}

#[test]
fn finish_back_and_restart_move_between_steps_and_record_what_was_done() {
    let t0 = Instant::now();
    let mut s = Session::new(two_holds(), t0);
    let events = s.handle(Command::Finish, t0 + ms(1_500));
    assert_eq!(cues(&events), [Cue::Go]);
    let rec = &finished(&events)[0];
    assert_eq!((rec.index, rec.kind, rec.active_secs, rec.skipped), (0, StepKind::Prepare, 2, true));
    // The hold starts when the key was pressed and runs its full 20 s.
    assert_eq!(s.view(t0 + ms(1_500)).face, Face::Down(20));
    assert_eq!(s.view(t0 + ms(11_500)).face, Face::Down(10));
    // Going back does not record the hold; it is recorded when it is done.
    let events = s.handle(Command::Previous, t0 + ms(11_500));
    assert_eq!(events, [Event::StepStarted(0)]);
    assert_eq!(s.view(t0 + ms(11_500)).face, Face::Down(5));
    s.advance(t0 + ms(16_500));
    assert_eq!(s.index(), 1);
    let events = s.handle(Command::Restart, t0 + secs(30));
    assert_eq!(events.last(), Some(&Event::Cue(Cue::Go)));
    assert_eq!(s.view(t0 + secs(30)).face, Face::Down(20));
    // Enter in the last second counts as done, not skipped.
    let events = s.handle(Command::Finish, t0 + ms(49_500));
    let rec = &finished(&events)[0];
    assert_eq!((rec.index, rec.active_secs, rec.skipped), (1, 20, false));
    // The prepare done again replaced its earlier, skipped record.
    assert_eq!(s.records().iter().map(|r| (r.index, r.skipped)).collect::<Vec<_>>(), [(0, false), (1, false)]);
}

#[test]
fn finishing_the_last_step_completes_the_routine_with_done() {
    let t0 = Instant::now();
    let mut s = Session::new(plan(vec![exercise("Plank", Work::Hold(secs(30)), false, pauses(0, 0, 0, 0))]), t0);
    let events = s.handle(Command::Finish, t0 + secs(10));
    assert_eq!(cues(&events), [Cue::Done]);
    assert_eq!(events.last(), Some(&Event::Ended(Ending::Completed)));
    assert!(finished(&events)[0].skipped);
    assert_eq!(s.handle(Command::Finish, t0 + secs(11)), []);
    assert_eq!(s.next_deadline(t0 + secs(11)), None);
}

#[test]
fn quitting_records_the_step_in_progress_as_skipped_and_ends() {
    let t0 = Instant::now();
    let mut s = Session::new(two_holds(), t0);
    s.advance(t0 + secs(9));
    let events = s.handle(Command::Quit, t0 + secs(9));
    assert_eq!(finished(&events)[0].active_secs, 4);
    assert!(finished(&events)[0].skipped);
    assert_eq!(events.last(), Some(&Event::Ended(Ending::Quit)));
    assert_eq!(s.records().len(), 2);
    assert_eq!(s.elapsed(t0 + secs(60)), secs(9));
}

#[test]
fn plus_and_minus_move_the_end_of_a_timed_step_but_keep_a_second() {
    let t0 = Instant::now();
    let mut s = Session::new(plan(vec![exercise("Plank", Work::Hold(secs(30)), false, pauses(0, 0, 0, 0))]), t0);
    s.handle(Command::More, t0 + secs(1));
    assert_eq!(s.view(t0 + secs(1)).face, Face::Down(39));
    assert_eq!(s.view(t0 + secs(1)).routine_left, 39);
    s.handle(Command::Less, t0 + secs(35));
    assert_eq!(s.view(t0 + secs(35)).face, Face::Down(1));
    s.handle(Command::Less, t0 + ms(35_500));
    assert_eq!(s.ended(), None);
    assert_eq!(cues(&s.advance(t0 + secs(36))), [Cue::Done]);
    assert!(!s.records()[0].skipped);
}

#[test]
fn a_range_hold_counts_up_may_stop_at_its_minimum_and_ends_at_its_maximum() {
    let t0 = Instant::now();
    let range = Work::RangeHold { min: secs(60), max: secs(90) };
    let p = plan(vec![exercise("Plank", range, false, pauses(0, 0, 0, 0))]);
    let mut s = Session::new(p.clone(), t0);
    assert_eq!(s.view(t0 + ms(59_900)).face, Face::Up(59));
    assert_eq!(s.view(t0 + ms(59_900)).range, Some((secs(60), secs(90), false)));
    assert_eq!(cues(&s.advance(t0 + secs(60))), [Cue::MayStop]);
    assert_eq!(s.view(t0 + secs(60)).range, Some((secs(60), secs(90), true)));
    let played = run_to_end(&mut s, t0 + secs(60), |_| Duration::ZERO);
    let relative: Vec<(u128, Cue)> = played.into_iter().map(|(at, c)| (at + 60_000, c)).collect();
    assert_eq!(relative, [(87_000, Cue::Tick), (88_000, Cue::Tick), (89_000, Cue::Tick), (90_000, Cue::Done)]);
    assert_eq!(s.records()[0].active_secs, 90);

    // Enter inside the range records the actual hold; before the minimum it is a skip.
    let mut s = Session::new(p.clone(), t0);
    let rec = finished(&s.handle(Command::Finish, t0 + ms(72_400)))[0].clone();
    assert_eq!((rec.active_secs, rec.skipped), (72, false));
    let mut s = Session::new(p, t0);
    assert!(finished(&s.handle(Command::Finish, t0 + secs(30)))[0].skipped);
}

#[test]
fn self_paced_reps_run_a_stopwatch_until_enter_and_record_the_adjusted_count() {
    let t0 = Instant::now();
    let reps = Work::Reps { count: 15, tempo: None };
    let mut s = Session::new(plan(vec![exercise("Clamshell", reps, false, pauses(0, 0, 0, 0))]), t0);
    assert_eq!(s.advance(t0 + secs(600)), []);
    let v = s.view(t0 + secs(600));
    assert_eq!((v.face, v.reps), (Face::Up(600), Some(Reps::SelfPaced { target: 15, recorded: 15 })));
    assert_eq!(s.next_deadline(t0 + secs(600)), Some(t0 + secs(601)));
    s.handle(Command::Less, t0 + secs(601));
    s.handle(Command::Less, t0 + secs(601));
    s.handle(Command::More, t0 + secs(601));
    let rec = finished(&s.handle(Command::Finish, t0 + secs(602)))[0].clone();
    assert_eq!((rec.reps_target, rec.reps_done, rec.active_secs, rec.skipped), (Some(15), Some(14), 602, false));
}

#[test]
fn paced_reps_tick_once_per_rep_and_end_after_the_last() {
    let t0 = Instant::now();
    let reps = Work::Reps { count: 4, tempo: Some(secs(3)) };
    let mut s = Session::new(plan(vec![exercise("Cat-camel", reps, false, pauses(0, 0, 0, 0))]), t0);
    assert_eq!(s.view(t0 + secs(4)).reps, Some(Reps::Paced { current: 2, target: 4 }));
    s.handle(Command::More, t0 + secs(4));
    let played = run_to_end(&mut s, t0 + secs(4), |_| Duration::ZERO);
    let at: Vec<(u128, Cue)> = played.into_iter().map(|(t, c)| (t + 4_000, c)).collect();
    assert_eq!(at, [(6_000, Cue::Tick), (9_000, Cue::Tick), (12_000, Cue::Tick), (15_000, Cue::Done)]);
    assert_eq!(s.records()[0].reps_done, Some(5));
}

#[test]
fn a_second_side_without_a_switch_pause_is_announced_as_a_switch() {
    let t0 = Instant::now();
    let mut s = Session::new(plan(vec![exercise("Couch", Work::Hold(secs(5)), true, pauses(0, 0, 0, 0))]), t0);
    assert_eq!(cues(&s.advance(t0 + secs(5))), [Cue::Tick, Cue::Tick, Cue::Tick, Cue::Switch]);
    let mut s = Session::new(plan(vec![exercise("Couch", Work::Hold(secs(5)), true, pauses(0, 0, 4, 0))]), t0);
    assert_eq!(cues(&s.advance(t0 + secs(5))), [Cue::Tick, Cue::Tick, Cue::Tick, Cue::Switch]);
    assert_eq!(s.view(t0 + secs(5)).step.kind, StepKind::Switch);
    assert_eq!(cues(&s.advance(t0 + secs(9))), [Cue::Tick, Cue::Tick, Cue::Tick, Cue::Go]);
}

#[test]
fn a_thirty_minute_routine_woken_late_every_time_ends_exactly_on_time() {
    let work = Work::Hold(secs(45));
    let exercises = (0..30).map(|i| exercise(&format!("E{i}"), work, false, pauses(5, 10, 3, 15))).collect();
    let p = plan(exercises);
    assert_eq!(p.total(), secs(30 * 60 - 10));
    let t0 = Instant::now();
    let mut s = Session::new(p, t0);
    // Every wake is 0-37 ms late, as a busy machine would make it.
    let played = run_to_end(&mut s, t0, |wake| ms((wake as u64 * 7919) % 38));
    assert_eq!(s.ended(), Some(Ending::Completed));
    assert_eq!(s.elapsed(t0 + secs(3600)), secs(30 * 60 - 10));
    assert_eq!(played.iter().filter(|(_, c)| *c == Cue::Go).count(), 30);
    // The last cue was heard at most one wake's lateness after the planned end.
    let (at, cue) = *played.last().unwrap();
    assert_eq!(cue, Cue::Done);
    assert!((1_790_000..1_790_038).contains(&at), "{at}");
}

fn any_command() -> impl Strategy<Value = Command> {
    prop_oneof![
        Just(Command::TogglePause),
        Just(Command::Finish),
        Just(Command::Previous),
        Just(Command::Restart),
        Just(Command::More),
        Just(Command::Less),
        Just(Command::Quit),
    ]
}

/// Every shape of step, with sides, sets and pauses.
fn every_shape() -> Plan {
    plan(vec![
        exercise("Hold", Work::Hold(secs(7)), true, pauses(2, 3, 1, 2)),
        exercise("Range", Work::RangeHold { min: secs(4), max: secs(6) }, false, pauses(1, 0, 0, 0)),
        exercise("Paced", Work::Reps { count: 3, tempo: Some(secs(2)) }, false, pauses(0, 2, 0, 0)),
        exercise("Self", Work::Reps { count: 2, tempo: None }, true, pauses(1, 0, 0, 0)),
    ])
}

proptest! {
    /// Whatever keys come at whatever moments: nothing panics, deadlines are never in the
    /// past, the shown countdown never goes below one second, and records stay one per step.
    #[test]
    fn any_keys_at_any_times_keep_the_session_consistent(
        script in proptest::collection::vec((0u64..5_000, proptest::option::of(any_command())), 1..60),
    ) {
        let t0 = Instant::now();
        let mut s = Session::new(every_shape(), t0);
        let mut now = t0;
        for (wait, command) in script {
            now += ms(wait);
            s.advance(now);
            if let Some(command) = command {
                s.handle(command, now);
            }
            if let Some(deadline) = s.next_deadline(now) {
                prop_assert!(deadline >= now);
                prop_assert!(deadline <= now + secs(1));
            }
            let v = s.view(now);
            if let (Face::Down(left), None) = (v.face, v.ended) {
                prop_assert!(left >= 1);
            }
            prop_assert!((0.0..=1.0).contains(&v.routine_progress));
            let indexes: Vec<u32> = s.records().iter().map(|r| r.index).collect();
            prop_assert!(indexes.windows(2).all(|w| w[0] < w[1]));
        }
    }

    /// Pausing never changes what is left: at the same active time, a session that was
    /// paused any number of times shows the same step, countdown and routine time left.
    #[test]
    fn pausing_never_changes_remaining_time(
        pauses_ms in proptest::collection::vec((0u64..20_000, 1u64..600_000), 0..8),
        probe_ms in 0u64..60_000,
    ) {
        let t0 = Instant::now();
        let reference = Session::new(two_holds(), t0);
        let mut paused = Session::new(two_holds(), t0);
        let mut now = t0;
        let mut active = Duration::ZERO;
        for (run, pause) in pauses_ms {
            if active + ms(run) > ms(probe_ms) { break; }
            now += ms(run);
            active += ms(run);
            paused.handle(Command::Pause, now);
            now += ms(pause);
            paused.handle(Command::Resume, now);
        }
        now += ms(probe_ms).saturating_sub(active);
        let mut reference = reference;
        reference.advance(t0 + ms(probe_ms));
        paused.advance(now);
        let (a, b) = (reference.view(t0 + ms(probe_ms)), paused.view(now));
        prop_assert_eq!((a.index, a.face, a.routine_left, a.elapsed), (b.index, b.face, b.routine_left, b.elapsed));
        prop_assert_eq!(reference.records(), paused.records());
    }
}

#[test]
fn upcoming_cues_predict_exactly_what_advance_will_play() {
    let t0 = Instant::now();
    let mut s = Session::new(two_holds(), t0);
    let mut predicted: Vec<(Instant, Cue)> = Vec::new();
    let mut played: Vec<(Instant, Cue)> = Vec::new();
    let mut now = t0;
    loop {
        for e in s.advance(now) {
            if let Event::Cue(c) = e {
                played.push((now, c));
            }
        }
        for cue in s.upcoming_cues(now, secs(4)) {
            assert!(cue.0 > now && cue.0 <= now + secs(4), "outside the window: {cue:?}");
            if !predicted.contains(&cue) {
                predicted.push(cue);
            }
        }
        let Some(deadline) = s.next_deadline(now) else { break };
        now = deadline;
    }
    assert_eq!(played.len(), 19, "the whole routine's cues");
    assert_eq!(predicted, played, "every cue foreseen, at its exact moment, and none that did not come");
}

#[test]
fn nothing_is_upcoming_while_paused_and_the_moments_move_by_the_pause() {
    let t0 = Instant::now();
    let mut s = Session::new(two_holds(), t0);
    s.advance(t0 + secs(1));
    let before = s.upcoming_cues(t0 + secs(1), secs(4));
    assert_eq!(
        before,
        [(t0 + secs(2), Cue::Tick), (t0 + secs(3), Cue::Tick), (t0 + secs(4), Cue::Tick), (t0 + secs(5), Cue::Go)]
    );
    s.handle(Command::TogglePause, t0 + ms(1500));
    assert_eq!(s.upcoming_cues(t0 + secs(2), secs(4)), [], "paused: nothing will sound");
    s.handle(Command::TogglePause, t0 + ms(11_500));
    let after = s.upcoming_cues(t0 + ms(11_500), ms(2000));
    assert_eq!(after, [(t0 + secs(12), Cue::Tick), (t0 + secs(13), Cue::Tick)], "10 s later, cut at the window");
}
