//! When the audio output is open: only around cues. An open output stream costs about 1 % CPU
//! and hundreds of wakeups a second (program plus sound server) even while it plays silence,
//! so the engine opens it on `prepare` (a cue is coming) or `play`, and closes it once no cue
//! has sounded for `HOLD_OPEN`.
//!
//! The engine is handed the time and talks to the device through the small [`Device`] trait,
//! so this logic is tested with a fake device and made-up instants; the real device lives in
//! `rodio_sink.rs` and the thread that drives the engine in `audio.rs`.

use std::time::{Duration, Instant};

use crate::audio::sounds::Sounds;
use crate::cue::Cue;

/// How long the output stays open after `prepare`, or after a cue ends, when nothing else comes.
/// Long enough that the ticks of a countdown (one a second) share one open stream, instead of
/// opening the device anew for each (which may pop on some hardware); short because an open
/// stream wakes supple and the sound server every period. Measured over a 60 s routine with a
/// 3-2-1 countdown every 15 s, 1 s instead of 1.5 s cut supple's wakeups by about a tenth.
pub const HOLD_OPEN: Duration = Duration::from_secs(1);

/// After the device failed to open, wait this long before trying again: a machine without a
/// sound card would otherwise retry on every tick.
pub const RETRY_AFTER: Duration = Duration::from_secs(30);

/// What the audio output is doing, shown by `supple sounds`, `supple doctor` and the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioStatus {
    /// No attempt to open the device has finished yet.
    Unknown,
    /// The device opened (it may be closed again now, while idle).
    Ready {
        /// The output device, as the system names it (sanitized).
        device: String,
        /// The audio host or API, e.g. "ALSA".
        host: String,
    },
    /// The device could not be opened; `reason` is one line.
    Unavailable { reason: String },
    /// The stream stopped working while open (e.g. the device was unplugged); the next cue
    /// tries to open the device again.
    Failed { reason: String },
}

/// The audio output device: opened around cues, closed by dropping the output.
pub trait Device {
    type Output: Output;
    /// Opens the output. `failed` is for errors that happen later, while the stream runs.
    /// `Err` is a one-line reason such as "no default output device".
    fn open(&mut self, failed: StreamFailed) -> Result<Self::Output, String>;
}

/// An open output stream. Dropping it closes the stream.
pub trait Output {
    /// Starts `sound` now, at `volume` (0.0-1.0), mixed over anything still playing.
    fn play(&mut self, sound: &crate::audio::sounds::Sound, volume: f32);
    /// Which device and host the stream plays on.
    fn device(&self) -> (String, String);
}

/// What drives the engine.
#[derive(Debug, Clone)]
pub enum Command {
    Prepare,
    Play(Cue),
    /// Speech made by the voice (a decoded WAV from the speech program), played like a cue.
    Speak(Box<crate::audio::sounds::Sound>),
    Volume(f32),
    /// The stream opened as `generation` failed while running.
    StreamFailed {
        generation: u64,
        reason: String,
    },
    Shutdown,
}

/// Handed to the device on open so that a stream error, reported on the device's own thread,
/// comes back to the engine as a [`Command`]. Errors from an older, already closed stream are
/// recognised by their generation and ignored.
#[derive(Clone)]
pub struct StreamFailed {
    generation: u64,
    report: std::sync::mpsc::Sender<Command>,
}

impl StreamFailed {
    pub fn new(generation: u64, report: std::sync::mpsc::Sender<Command>) -> StreamFailed {
        StreamFailed { generation, report }
    }

    /// Reports that the stream stopped working. Never blocks.
    pub fn report(&self, reason: String) {
        // The engine may already be gone at shutdown; then nobody needs to know.
        let _ = self.report.send(Command::StreamFailed { generation: self.generation, reason });
    }
}

/// The open/close state machine around a [`Device`].
pub struct Engine<D: Device> {
    device: D,
    sounds: Sounds,
    volume: f32,
    output: Option<D::Output>,
    generation: u64,
    /// When the open output closes unless a cue or `prepare` comes first.
    close_at: Option<Instant>,
    /// When the last cue started ends: shutdown waits for it so "done" is heard in full.
    playing_until: Option<Instant>,
    last_failure: Option<Instant>,
    status: AudioStatus,
    report: std::sync::mpsc::Sender<Command>,
}

impl<D: Device> Engine<D> {
    /// `report` is where stream errors are sent back (the engine's own command channel).
    pub fn new(device: D, sounds: Sounds, volume: f32, report: std::sync::mpsc::Sender<Command>) -> Engine<D> {
        Engine {
            device,
            sounds,
            volume: clamp_volume(volume),
            output: None,
            generation: 0,
            close_at: None,
            playing_until: None,
            last_failure: None,
            status: AudioStatus::Unknown,
            report,
        }
    }

    /// Applies one command at time `now`. Returns false on `Shutdown`.
    pub fn handle(&mut self, command: Command, now: Instant) -> bool {
        match command {
            Command::Prepare => {
                if self.ensure_open(now) {
                    self.keep_open_until(now + HOLD_OPEN);
                }
            }
            Command::Play(cue) => {
                let sound = self.sounds.get(cue).clone();
                self.start(&sound, now);
            }
            Command::Speak(sound) => self.start(&sound, now),
            Command::Volume(volume) => self.volume = clamp_volume(volume),
            Command::StreamFailed { generation, reason } => {
                if generation == self.generation && self.output.is_some() {
                    self.close();
                    self.status = AudioStatus::Failed { reason };
                }
            }
            Command::Shutdown => return false,
        }
        true
    }

    /// Closes the output if its time has come. Call when `next_deadline` passes.
    /// Plays `sound` now, opening the output if needed, and keeps it open until it has ended.
    fn start(&mut self, sound: &crate::audio::sounds::Sound, now: Instant) {
        if self.ensure_open(now) {
            let ends = now + sound.duration();
            if let Some(output) = &mut self.output {
                output.play(sound, self.volume);
            }
            self.playing_until = Some(self.playing_until.map_or(ends, |t| t.max(ends)));
            self.keep_open_until(ends + HOLD_OPEN);
        }
    }

    pub fn tick(&mut self, now: Instant) {
        if self.close_at.is_some_and(|t| now >= t) {
            self.close();
        }
    }

    /// When `tick` next has something to do; `None` while closed (sleep until a command).
    pub fn next_deadline(&self) -> Option<Instant> {
        self.close_at
    }

    /// When the sounds already started will have finished, if any is still playing at `now`.
    pub fn playing_until(&self, now: Instant) -> Option<Instant> {
        self.playing_until.filter(|&t| t > now)
    }

    pub fn is_open(&self) -> bool {
        self.output.is_some()
    }

    pub fn status(&self) -> &AudioStatus {
        &self.status
    }

    /// Opens the output unless it is open, or failed less than `RETRY_AFTER` ago.
    /// Returns whether it is open.
    fn ensure_open(&mut self, now: Instant) -> bool {
        if self.output.is_some() {
            return true;
        }
        if self.last_failure.is_some_and(|t| now < t + RETRY_AFTER) {
            return false;
        }
        self.generation += 1;
        match self.device.open(StreamFailed::new(self.generation, self.report.clone())) {
            Ok(output) => {
                let (device, host) = output.device();
                self.status = AudioStatus::Ready { device, host };
                self.output = Some(output);
                self.last_failure = None;
                true
            }
            Err(reason) => {
                self.status = AudioStatus::Unavailable { reason };
                self.last_failure = Some(now);
                false
            }
        }
    }

    fn keep_open_until(&mut self, t: Instant) {
        self.close_at = Some(self.close_at.map_or(t, |c| c.max(t)));
    }

    fn close(&mut self) {
        self.output = None;
        self.close_at = None;
    }
}

fn clamp_volume(volume: f32) -> f32 {
    if volume.is_nan() { 1.0 } else { volume.clamp(0.0, 1.0) }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::sync::mpsc;

    use super::*;
    use crate::audio::sounds::Sound;

    /// Everything the fake device saw, in order.
    #[derive(Debug, Default)]
    struct Log {
        events: Vec<String>,
        open_now: bool,
    }

    struct FakeDevice {
        log: Rc<RefCell<Log>>,
        fail_opens: usize,
    }

    struct FakeOutput {
        log: Rc<RefCell<Log>>,
    }

    impl Device for FakeDevice {
        type Output = FakeOutput;
        fn open(&mut self, _failed: StreamFailed) -> Result<FakeOutput, String> {
            if self.fail_opens > 0 {
                self.fail_opens -= 1;
                self.log.borrow_mut().events.push("open failed".into());
                return Err("no default output device".into());
            }
            let mut log = self.log.borrow_mut();
            log.events.push("open".into());
            log.open_now = true;
            Ok(FakeOutput { log: self.log.clone() })
        }
    }

    impl Output for FakeOutput {
        fn play(&mut self, sound: &Sound, volume: f32) {
            let ms = sound.duration().as_millis();
            self.log.borrow_mut().events.push(format!("play {ms}ms at {volume}"));
        }
        fn device(&self) -> (String, String) {
            ("Fake Card".into(), "FAKE".into())
        }
    }

    impl Drop for FakeOutput {
        fn drop(&mut self) {
            let mut log = self.log.borrow_mut();
            log.events.push("close".into());
            log.open_now = false;
        }
    }

    fn engine(fail_opens: usize) -> (Engine<FakeDevice>, Rc<RefCell<Log>>, mpsc::Receiver<Command>) {
        let log = Rc::new(RefCell::new(Log::default()));
        let (tx, rx) = mpsc::channel();
        let device = FakeDevice { log: log.clone(), fail_opens };
        (Engine::new(device, Sounds::bundled(), 0.5, tx), log, rx)
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// Runs the engine the way the audio thread does: ticks at each deadline up to `until`.
    fn run_until(e: &mut Engine<FakeDevice>, until: Instant) {
        while let Some(d) = e.next_deadline() {
            if d > until {
                break;
            }
            e.tick(d);
        }
    }

    #[test]
    fn the_output_is_closed_until_a_cue_is_near_and_closes_again_when_idle() {
        let (mut e, log, _rx) = engine(0);
        let t0 = Instant::now();
        assert!(!e.is_open());
        assert_eq!(e.next_deadline(), None, "nothing to wake for while closed");

        e.handle(Command::Prepare, t0);
        assert!(e.is_open());
        e.handle(Command::Play(Cue::Tick), t0 + ms(300));
        let tick = Sounds::bundled().get(Cue::Tick).duration();
        assert_eq!(e.next_deadline(), Some(t0 + ms(300) + tick + HOLD_OPEN));

        run_until(&mut e, t0 + ms(1000));
        assert!(e.is_open(), "still open shortly after the cue");
        run_until(&mut e, t0 + ms(300) + tick + HOLD_OPEN);
        assert!(!e.is_open(), "closed once idle for HOLD_OPEN");
        assert_eq!(e.next_deadline(), None);
        assert_eq!(log.borrow().events, ["open", &format!("play {}ms at 0.5", tick.as_millis()), "close"]);
    }

    #[test]
    fn a_countdown_of_ticks_shares_one_open_stream() {
        let (mut e, log, _rx) = engine(0);
        let t0 = Instant::now();
        e.handle(Command::Prepare, t0);
        for second in 0..3 {
            let t = t0 + ms(300 + 1000 * second);
            run_until(&mut e, t);
            e.handle(Command::Play(Cue::Tick), t);
        }
        let go = t0 + ms(3300);
        run_until(&mut e, go);
        e.handle(Command::Play(Cue::Go), go);
        run_until(&mut e, go + ms(10_000));
        let events = log.borrow().events.clone();
        assert_eq!(events.iter().filter(|e| *e == "open").count(), 1, "{events:?}");
        assert_eq!(events.last().map(String::as_str), Some("close"));
        assert!(!log.borrow().open_now);
    }

    #[test]
    fn prepare_without_a_cue_closes_after_the_hold() {
        let (mut e, log, _rx) = engine(0);
        let t0 = Instant::now();
        e.handle(Command::Prepare, t0);
        run_until(&mut e, (t0 + HOLD_OPEN).checked_sub(ms(1)).unwrap());
        assert!(e.is_open());
        run_until(&mut e, t0 + HOLD_OPEN);
        assert!(!e.is_open());
        assert_eq!(log.borrow().events, ["open", "close"]);
    }

    #[test]
    fn a_cue_after_the_stream_closed_opens_it_again() {
        let (mut e, log, _rx) = engine(0);
        let t0 = Instant::now();
        e.handle(Command::Play(Cue::Rest), t0);
        run_until(&mut e, t0 + ms(5000));
        e.handle(Command::Play(Cue::Done), t0 + ms(6000));
        assert!(e.is_open());
        let opens = log.borrow().events.iter().filter(|e| *e == "open").count();
        assert_eq!(opens, 2);
    }

    #[test]
    fn no_device_is_reported_and_retried_only_after_a_while() {
        let (mut e, log, _rx) = engine(usize::MAX);
        let t0 = Instant::now();
        e.handle(Command::Prepare, t0);
        assert_eq!(*e.status(), AudioStatus::Unavailable { reason: "no default output device".into() });
        assert_eq!(e.next_deadline(), None, "a failed device leaves nothing to wake for");
        for s in 1..10 {
            e.handle(Command::Play(Cue::Tick), t0 + ms(1000 * s));
        }
        assert_eq!(log.borrow().events, ["open failed"], "no retry on every tick");
        e.handle(Command::Play(Cue::Tick), t0 + RETRY_AFTER);
        assert_eq!(log.borrow().events, ["open failed", "open failed"]);
    }

    #[test]
    fn a_device_that_appears_later_is_used() {
        let (mut e, _log, _rx) = engine(1);
        let t0 = Instant::now();
        e.handle(Command::Prepare, t0);
        assert!(matches!(e.status(), AudioStatus::Unavailable { .. }));
        e.handle(Command::Play(Cue::Go), t0 + RETRY_AFTER);
        assert!(e.is_open());
        assert_eq!(*e.status(), AudioStatus::Ready { device: "Fake Card".into(), host: "FAKE".into() });
    }

    #[test]
    fn a_failed_stream_closes_and_the_next_cue_reopens_it() {
        let (mut e, log, _rx) = engine(0);
        let t0 = Instant::now();
        e.handle(Command::Prepare, t0);
        // An error from an older stream (generation 0) is ignored.
        e.handle(Command::StreamFailed { generation: 0, reason: "old".into() }, t0);
        assert!(e.is_open());
        e.handle(Command::StreamFailed { generation: 1, reason: "device unplugged".into() }, t0);
        assert!(!e.is_open());
        assert_eq!(*e.status(), AudioStatus::Failed { reason: "device unplugged".into() });
        e.handle(Command::Play(Cue::Switch), t0 + ms(100));
        assert!(e.is_open(), "a stream failure is not a missing device: retry at once");
        assert_eq!(log.borrow().events.iter().filter(|e| *e == "open").count(), 2);
    }

    #[test]
    fn volume_is_clamped_and_applies_to_later_cues() {
        let (mut e, log, _rx) = engine(0);
        let t0 = Instant::now();
        e.handle(Command::Volume(3.0), t0);
        e.handle(Command::Play(Cue::Tick), t0);
        e.handle(Command::Volume(-1.0), t0);
        e.handle(Command::Play(Cue::Tick), t0);
        let events = log.borrow().events.clone();
        assert!(events[1].ends_with("at 1"), "{events:?}");
        assert!(events[2].ends_with("at 0"), "{events:?}");
    }

    #[test]
    fn shutdown_knows_how_long_the_last_cue_still_plays() {
        let (mut e, _log, _rx) = engine(0);
        let t0 = Instant::now();
        e.handle(Command::Play(Cue::Done), t0);
        let done = Sounds::bundled().get(Cue::Done).duration();
        assert_eq!(e.playing_until(t0 + ms(100)), Some(t0 + done));
        assert_eq!(e.playing_until(t0 + done), None);
        assert!(!e.handle(Command::Shutdown, t0));
    }
}
