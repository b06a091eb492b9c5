//! Tests for `engine`: a fake device whose stream renders through a real `Timeline`, driven
//! with made-up instants, so what would be heard (and when) is checked to the millisecond.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::mpsc;

use super::*;
use crate::audio::timeline::{Clip, Timeline};

/// Everything the fake device saw and played. The fake stream runs at 1,000 frames a second,
/// mono, so one frame is one millisecond.
struct Log {
    t0: Instant,
    events: Vec<String>,
    stream: Option<Timeline>,
    opens: usize,
    fail_opens: usize,
    /// Onsets heard (ms after t0) and their level.
    heard: Vec<(u64, f32)>,
    /// Where the device has rendered to, while a stream is open.
    rendered: Option<Instant>,
    /// The last sample rendered, to tell an onset from a sound going on.
    last_level: f32,
    /// The stream the device is rendering (its number), so a change is noticed.
    playing: usize,
}

struct FakeDevice {
    log: Rc<RefCell<Log>>,
}

struct FakeOutput {
    log: Rc<RefCell<Log>>,
}

impl Device for FakeDevice {
    type Output = FakeOutput;
    fn open(&mut self, _failed: StreamFailed, sounds: &[Timed], now: Instant) -> Result<FakeOutput, String> {
        let mut log = self.log.borrow_mut();
        if log.fail_opens > 0 {
            log.fail_opens -= 1;
            log.events.push("open failed".into());
            return Err("no default output device".into());
        }
        log.events.push("open".into());
        log.opens += 1;
        let mut stream = Timeline::new(1000, 1);
        stream.replace(clips(sounds), now).expect("a new stream has rendered nothing");
        log.stream = Some(stream);
        // Like a real stream, it asks for its first refills the moment it starts.
        log.refill(now);
        Ok(FakeOutput { log: self.log.clone() })
    }
}

/// The sounds as the fake stream plays them: one sample per millisecond, at their volume.
fn clips(sounds: &[Timed]) -> Vec<Clip> {
    let samples = |t: &Timed| -> Arc<[f32]> {
        let ms = usize::try_from(t.sound.duration().as_millis()).unwrap_or(0).max(1);
        vec![t.volume; ms].into()
    };
    sounds.iter().map(|t| Clip { key: t.key, samples: samples(t) }).collect()
}

impl Output for FakeOutput {
    fn set_sounds(&mut self, sounds: &[Timed], now: Instant) -> Result<(), Committed> {
        self.log.borrow_mut().stream.as_mut().expect("open").replace(clips(sounds), now)
    }
    fn committed_until(&self) -> Option<Instant> {
        self.log.borrow().stream.as_ref().and_then(Timeline::committed_until)
    }
    fn device(&self) -> (String, String) {
        ("Fake Card".into(), "FAKE".into())
    }
}

impl Drop for FakeOutput {
    fn drop(&mut self) {
        let mut log = self.log.borrow_mut();
        log.events.push("close".into());
        log.stream = None;
    }
}

/// The fake device refills one period at a time and holds two, like a real stream.
const REFILL: Duration = Duration::from_millis(300);
const AHEAD: Duration = Duration::from_millis(600);

impl Log {
    /// The device asks for audio up to `AHEAD` of `now`, as a stream does. Audio rendered
    /// by a stream closed before it was heard never was: it is struck from what was heard.
    fn refill(&mut self, now: Instant) {
        let current = if self.stream.is_some() { self.opens } else { 0 };
        if current != self.playing {
            let cut = u64::try_from((now - self.t0).as_millis()).unwrap_or(0);
            self.heard.retain(|h| h.0 < cut);
            (self.playing, self.rendered, self.last_level) = (current, None, 0.0);
        }
        let Some(stream) = self.stream.as_mut() else {
            self.rendered = None;
            return;
        };
        let mut from = self.rendered.unwrap_or(now).max(now);
        while from < now + AHEAD {
            let mut out = vec![0.0; usize::try_from(REFILL.as_millis()).unwrap_or(0)];
            stream.render(&mut out, from);
            for (i, &s) in out.iter().enumerate() {
                let before = if i == 0 { self.last_level } else { out[i - 1] };
                if s != 0.0 && before == 0.0 {
                    let at = from + ms(i as u64) - self.t0;
                    self.heard.push((u64::try_from(at.as_millis()).unwrap_or(0), s));
                }
            }
            self.last_level = out.last().copied().unwrap_or(0.0);
            from += REFILL;
        }
        self.rendered = Some(from);
    }
}

/// The test's view of the fake: the engine, and what the device heard.
struct Rig {
    e: Engine<FakeDevice>,
    log: Rc<RefCell<Log>>,
    t0: Instant,
    _rx: mpsc::Receiver<Command>,
}

fn rig(fail_opens: usize) -> Rig {
    let t0 = Instant::now();
    let log = Rc::new(RefCell::new(Log {
        t0,
        events: Vec::new(),
        stream: None,
        opens: 0,
        fail_opens,
        heard: Vec::new(),
        rendered: None,
        last_level: 0.0,
        playing: 0,
    }));
    let (tx, rx) = mpsc::channel();
    let device = FakeDevice { log: log.clone() };
    let e = Engine::new(device, Sounds::bundled(), 0.5, tx);
    Rig { e, log, t0, _rx: rx }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

impl Rig {
    fn at(&self, n: u64) -> Instant {
        self.t0 + ms(n)
    }

    /// Runs engine and device together up to `until` ms: the engine wakes at its
    /// deadlines, the device refills every `REFILL`, rendering up to `AHEAD` of now.
    fn run(&mut self, until: u64) {
        let until = self.at(until);
        let rendered = self.log.borrow().rendered;
        let mut now = rendered.map_or(self.t0, |r| r.checked_sub(AHEAD).unwrap_or(r));
        loop {
            self.refill(now);
            let wake = self.e.next_deadline(now);
            let rendered = self.log.borrow().rendered;
            let refill = rendered.map(|r| r.checked_sub(AHEAD.saturating_sub(REFILL)).unwrap_or(r));
            let next = [wake, refill].into_iter().flatten().filter(|&t| t > now).min();
            match next {
                Some(t) if t <= until => {
                    now = t;
                    self.e.tick(now);
                }
                _ => break,
            }
        }
    }

    fn refill(&mut self, now: Instant) {
        self.log.borrow_mut().refill(now);
    }

    fn handle(&mut self, command: Command, at: u64) -> bool {
        let now = self.at(at);
        self.run(at);
        let go_on = self.e.handle(command, now);
        self.refill(now);
        go_on
    }

    fn schedule(&mut self, at: u64, cues: &[(u64, Cue)]) {
        let cues = cues.iter().map(|&(t, c)| (self.at(t), c)).collect();
        self.handle(Command::Schedule(cues), at);
    }

    fn events(&self) -> Vec<String> {
        self.log.borrow().events.clone()
    }

    fn opens(&self) -> usize {
        self.events().iter().filter(|e| *e == "open").count()
    }

    fn onsets(&self) -> Vec<u64> {
        self.log.borrow().heard.iter().map(|h| h.0).collect()
    }
}

/// A 3-2-1 countdown and "go" at 10 s, as the session foresees it from `from` ms.
fn countdown(from: u64) -> Vec<(u64, Cue)> {
    [(7000, Cue::Tick), (8000, Cue::Tick), (9000, Cue::Tick), (10_000, Cue::Go)]
        .into_iter()
        .filter(|&(t, _)| t > from && t <= from + 4000)
        .collect()
}

#[test]
fn a_foreseen_countdown_is_heard_on_its_moments_from_one_short_lived_stream() {
    let mut r = rig(0);
    for second in 0..12 {
        // The shell sends what it foresees every second, and each cue at its moment.
        r.schedule(second * 1000, &countdown(second * 1000));
        if let Some(&(_, cue)) =
            countdown(second * 1000 - 1000.min(second * 1000)).iter().find(|c| c.0 == second * 1000)
        {
            r.handle(Command::Play(cue), second * 1000);
        }
        if second == 6 {
            assert!(!r.e.is_open(), "closed until shortly before the first tick");
        }
    }
    r.run(20_000);
    assert_eq!(r.onsets(), [7000, 8000, 9000, 10_000], "each at its moment, once");
    assert_eq!(r.events(), ["open", "close"], "one stream for the whole countdown");
    assert!(!r.e.is_open());
    assert_eq!(r.e.next_deadline(r.at(20_000)), None, "nothing to wake for while idle");
}

#[test]
fn the_stream_opens_just_before_the_first_sound_and_closes_once_it_is_heard() {
    let mut r = rig(0);
    r.schedule(0, &[(3000, Cue::Rest)]);
    assert_eq!(r.e.next_deadline(r.at(0)), r.at(3000).checked_sub(OPEN_LEAD));
    r.run(2700);
    assert!(!r.e.is_open());
    r.run(2900);
    assert!(r.e.is_open());
    let rest = Sounds::bundled().get(Cue::Rest).duration();
    let heard = r.at(3000) + rest + DRAIN;
    r.run(u64::try_from((heard - r.t0).as_millis()).unwrap() + 1);
    assert!(!r.e.is_open(), "closed once the sound has been heard");
    assert_eq!(r.onsets(), [3000]);
}

#[test]
fn a_pause_cancels_foreseen_cues_even_when_the_device_already_has_them() {
    let mut r = rig(0);
    r.schedule(6000, &countdown(6000));
    r.run(7500);
    // Paused at 7.5 s: the session foresees nothing; the tick at 8 s is already buffered.
    r.schedule(7500, &[]);
    r.run(20_000);
    assert_eq!(r.onsets(), [7000], "only what came before the pause");
    assert!(!r.e.is_open());
}

#[test]
fn a_cue_nobody_foresaw_is_heard_at_once_on_a_fresh_stream() {
    let mut r = rig(0);
    r.schedule(6000, &countdown(6000));
    r.run(7500);
    // A key at 7.5 s finishes the step: "go" now, and the countdown is gone.
    r.schedule(7500, &[]);
    r.handle(Command::Play(Cue::Go), 7500);
    r.run(20_000);
    assert_eq!(r.onsets(), [7000, 7500]);
    assert_eq!(r.opens(), 2, "the buffered countdown was dropped with its stream: {:?}", r.events());
}

#[test]
fn the_foreseen_cues_after_an_unforeseen_one_play_from_the_fresh_stream() {
    let mut r = rig(0);
    // Ticks at 7, 8, 10 and 11 s are foreseen; at 9.7 s one more comes from a key.
    let foreseen = [(7000, Cue::Tick), (8000, Cue::Tick), (10_000, Cue::Tick), (11_000, Cue::Tick)];
    for second in 3..13 {
        let now = second * 1000;
        let ahead: Vec<(u64, Cue)> = foreseen.iter().copied().filter(|&(t, _)| t > now && t <= now + 6000).collect();
        r.schedule(now, &ahead);
        if second == 9 {
            r.handle(Command::Play(Cue::Tick), 9700);
        }
        r.run(now + 999);
    }
    r.run(20_000);
    // The fresh stream renders its first refills (past 10 s) the moment it starts: the tick
    // at 10 s must be in it from the start, not refused a moment later as already rendered.
    assert_eq!(r.onsets(), [7000, 8000, 9700, 10_000, 11_000], "{:?}", r.events());
    assert_eq!(r.opens(), 2, "{:?}", r.events());
}

#[test]
fn a_fresh_stream_is_not_replaced_again_for_a_sound_that_is_already_over() {
    let mut r = rig(0);
    r.schedule(6000, &countdown(6000));
    // 100 ms after the first tick (over, but still remembered) a key asks for "go" now.
    r.run(7100);
    r.schedule(7100, &[]);
    r.handle(Command::Play(Cue::Go), 7100);
    // Any command soon after (the runtime sends a schedule every second) must not count
    // the first tick, over but remembered, as new audio for the fresh stream.
    r.handle(Command::Volume(0.5), 7150);
    r.run(20_000);
    assert_eq!(r.onsets(), [7000, 7100]);
    assert_eq!(r.opens(), 2, "one fresh stream, not one per wakeup: {:?}", r.events());
}

#[test]
fn speech_starts_at_once_after_what_is_sounding_and_the_countdown_goes_on() {
    let mut r = rig(0);
    r.schedule(6000, &countdown(6000));
    r.run(7100);
    let speech = Sounds::bundled().get(Cue::Switch).clone();
    r.handle(Command::Speak(Box::new(speech)), 7100);
    r.run(20_000);
    assert_eq!(r.onsets(), [7000, 7100, 8000, 9000, 10_000], "speech now, every tick once");
    assert_eq!(r.opens(), 2, "the stream had rendered past now: a fresh one");
}

#[test]
fn no_device_is_reported_and_retried_only_after_a_while_without_busy_waking() {
    let mut r = rig(usize::MAX);
    r.e.probe(r.at(0));
    assert_eq!(*r.e.status(), AudioStatus::Unavailable { reason: "no default output device".into() });
    for s in 1..10 {
        r.handle(Command::Play(Cue::Tick), s * 1000);
        let next = r.e.next_deadline(r.at(s * 1000));
        assert!(next.is_none_or(|t| t > r.at(s * 1000)), "a deadline in the past would spin");
    }
    assert_eq!(r.events(), ["open failed"], "no retry on every tick");
    r.handle(Command::Play(Cue::Tick), u64::try_from(RETRY_AFTER.as_millis()).unwrap());
    assert_eq!(r.events(), ["open failed", "open failed"]);
}

#[test]
fn a_device_that_appears_later_is_used() {
    let mut r = rig(1);
    r.e.probe(r.at(0));
    assert!(matches!(r.e.status(), AudioStatus::Unavailable { .. }));
    r.handle(Command::Play(Cue::Go), u64::try_from(RETRY_AFTER.as_millis()).unwrap());
    assert!(r.e.is_open());
    assert_eq!(*r.e.status(), AudioStatus::Ready { device: "Fake Card".into(), host: "FAKE".into() });
}

#[test]
fn the_probe_warms_the_device_up_and_closes_it() {
    let mut r = rig(0);
    r.e.probe(r.at(0));
    assert_eq!(r.e.next_deadline(r.at(0)), Some(r.at(0) + WARM_UP));
    r.run(1000);
    assert_eq!(r.events(), ["open", "close"]);
    assert_eq!(*r.e.status(), AudioStatus::Ready { device: "Fake Card".into(), host: "FAKE".into() });
}

#[test]
fn the_first_cues_foreseen_during_the_warm_up_play_from_the_probes_stream() {
    let mut r = rig(0);
    r.e.probe(r.at(0));
    // A session foresees its first ticks just after start, while the probe's stream is open:
    // they are placed in it, and no second stream is opened for them.
    r.schedule(10, &[(1000, Cue::Tick), (2000, Cue::Tick), (3000, Cue::Go)]);
    r.run(8000);
    assert_eq!(r.onsets(), [1000, 2000, 3000]);
    assert_eq!(r.events(), ["open", "close"]);
}

#[test]
fn cues_scheduled_before_the_probe_start_in_its_stream() {
    let mut r = rig(0);
    // The audio thread waits for the session's first schedule before probing: the tick lies
    // inside the probe stream's first refills, so it must be there when the stream starts.
    r.schedule(0, &[(300, Cue::Tick), (1300, Cue::Tick)]);
    r.e.probe(r.at(10));
    r.run(5000);
    assert_eq!(r.onsets(), [300, 1300]);
    assert_eq!(r.events(), ["open", "close"]);
}

#[test]
fn a_failed_stream_closes_and_the_next_cue_reopens_it() {
    let mut r = rig(0);
    r.schedule(0, &[(100, Cue::Tick), (1100, Cue::Tick)]);
    assert!(r.e.is_open());
    // An error from an older stream (generation 0) is ignored.
    r.handle(Command::StreamFailed { generation: 0, reason: "old".into() }, 150);
    assert!(r.e.is_open());
    r.handle(Command::StreamFailed { generation: 1, reason: "device unplugged".into() }, 200);
    assert_eq!(*r.e.status(), AudioStatus::Failed { reason: "device unplugged".into() });
    r.run(1000);
    assert!(r.e.is_open(), "a stream failure is not a missing device: retry at once");
    assert_eq!(r.opens(), 2);
}

#[test]
fn volume_is_clamped_and_applies_to_later_cues() {
    let mut r = rig(0);
    r.handle(Command::Volume(3.0), 0);
    r.handle(Command::Play(Cue::Tick), 0);
    r.handle(Command::Volume(-1.0), 500);
    r.handle(Command::Play(Cue::Tick), 500);
    r.run(3000);
    let levels: Vec<f32> = r.log.borrow().heard.iter().map(|h| h.1).collect();
    assert_eq!(levels, [1.0], "full volume, then silence (a silent sound has no onset)");
}

#[test]
fn shutdown_knows_how_long_the_last_cue_still_plays() {
    let mut r = rig(0);
    r.handle(Command::Play(Cue::Done), 0);
    let done = Sounds::bundled().get(Cue::Done).duration();
    assert_eq!(r.e.playing_until(r.at(100)), Some(r.at(0) + done + DRAIN));
    assert_eq!(r.e.playing_until(r.at(0) + done + DRAIN), None);
    assert!(!r.handle(Command::Shutdown, 100));
}
