//! Sound cues made audible. [`AudioSink`] is the [`CueSink`] the session shell talks to: `play`
//! and `prepare` only send a message to a dedicated audio thread, so the caller never waits on
//! the device. That thread runs the [`engine`], which places foreseen cues on the clock in a
//! [`timeline`] and opens the output only around them (an open stream costs CPU and wakeups
//! even in silence), on the real device in `rodio_sink`. [`SilentSink`] stands in when sound
//! is off on purpose. Cue files and speech are read by our own [`wav`] reader into [`sounds`].
//!
//! Nothing from the audio stack may reach the screen: rodio's own messages are turned off in
//! `rodio_sink`, and ALSA's direct writes to stderr are diverted by [`QuietStderr`], which the
//! binary holds while the TUI runs or while `supple sounds` plays.

pub mod engine;
pub mod quiet_stderr;
pub mod rodio_sink;
pub mod sound_check;
pub mod sounds;
pub mod timeline;
pub mod voice;
pub mod wav;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

pub use engine::AudioStatus;
use engine::{Command, Device, Engine};
pub use quiet_stderr::QuietStderr;
pub use sounds::Sounds;

use crate::clock::Clock;
use crate::config::Config;
use crate::cue::{Cue, CueSink};

/// How long the audio thread waits for the session's first foreseen cues before it probes the
/// device. Only the first command is waited for, and [`AudioSink::wait_for_status`] sends one
/// at once (`supple sounds`, `doctor` and plain mode have no cues to send first).
const FIRST_CUES_WAIT: Duration = Duration::from_millis(150);

/// Shutdown lets a cue that is still playing ring out, but never for longer than this.
const LAST_CUE_GRACE: Duration = Duration::from_secs(1);

/// The audio part of the user's config.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioSettings {
    /// 0.0 (silent) to 1.0 (the sounds as recorded); out-of-range values are clamped.
    pub volume: f32,
    /// Start muted (`--mute`); the `m` key toggles it during a session.
    pub muted: bool,
    /// A WAV file replacing the bundled sound of some cues.
    pub files: HashMap<Cue, PathBuf>,
    /// Speak exercise, side and what comes next (config `voice = true`), when a speech
    /// program is installed.
    pub voice: bool,
}

impl Default for AudioSettings {
    fn default() -> Self {
        AudioSettings::from_config(&Config::default())
    }
}

impl AudioSettings {
    /// The audio part of the user's config (`volume`, `mute`, `[sounds]`).
    pub fn from_config(config: &Config) -> AudioSettings {
        AudioSettings {
            volume: config.volume,
            muted: config.mute,
            files: config.sounds.iter().cloned().collect(),
            voice: config.voice,
        }
    }
}

/// The status line's text for a status in which cues cannot be heard.
fn notice_for(status: &AudioStatus) -> Option<String> {
    match status {
        AudioStatus::Unknown | AudioStatus::Ready { .. } => None,
        AudioStatus::Unavailable { .. } => Some("no audio device: cues are shown as a flash".to_owned()),
        AudioStatus::Failed { .. } => Some("audio output failed: cues are shown as a flash".to_owned()),
    }
}

/// The audio thread's latest status, shared with the sink.
#[derive(Debug)]
struct Shared {
    status: Mutex<AudioStatus>,
    changed: Condvar,
}

impl Shared {
    fn get(&self) -> AudioStatus {
        self.status.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn set(&self, status: &AudioStatus) {
        let mut current = self.status.lock().unwrap_or_else(PoisonError::into_inner);
        if *current != *status {
            current.clone_from(status);
            self.changed.notify_all();
        }
    }
}

/// Starts the audio thread; returns its command channel.
type Starter = Box<dyn FnOnce(Arc<Shared>) -> Result<(Sender<Command>, JoinHandle<()>), String>>;

/// Cues played on the default audio device from a dedicated thread.
pub struct AudioSink {
    commands: Option<Sender<Command>>,
    shared: Arc<Shared>,
    muted: bool,
    worker: Option<JoinHandle<()>>,
    /// Until the thread is started (a sink that starts muted waits to be unmuted).
    starter: Option<Starter>,
    /// The speech program, when voice is on and one is installed.
    voice: Option<voice::Voice>,
    /// The schedule last sent, so that an unchanged one is not sent again.
    scheduled: Vec<(std::time::Instant, Cue)>,
}

impl AudioSink {
    /// Starts the audio thread on the system's default output device. The thread opens the
    /// device once straight away, so that [`CueSink::notice`] knows within a moment whether
    /// cues can be heard; it then closes it until the first cue. Never fails: without a
    /// device (or a thread) the sink stays silent and says why in its notice.
    pub fn start(sounds: Sounds, settings: &AudioSettings) -> AudioSink {
        AudioSink::with_device(rodio_sink::RodioDevice::default(), sounds, settings)
    }

    /// As [`AudioSink::start`], on any device (a fake one in tests). A sink that starts muted
    /// starts its thread (and loads the audio libraries, some 2.5 MB) only once it is unmuted.
    pub fn with_device<D>(device: D, sounds: Sounds, settings: &AudioSettings) -> AudioSink
    where
        D: Device + Send + 'static,
    {
        AudioSink::with_device_waiting(device, sounds, settings, FIRST_CUES_WAIT)
    }

    /// As [`AudioSink::with_device`], the audio thread waiting up to `first_wait` for the first
    /// command before it probes the device (a test makes the wait long to see what ends it).
    fn with_device_waiting<D>(device: D, sounds: Sounds, settings: &AudioSettings, first_wait: Duration) -> AudioSink
    where
        D: Device + Send + 'static,
    {
        let shared = Arc::new(Shared { status: Mutex::new(AudioStatus::Unknown), changed: Condvar::new() });
        let volume = settings.volume;
        let starter: Starter = Box::new(move |shared: Arc<Shared>| {
            let (tx, rx) = mpsc::channel();
            let report = tx.clone();
            // The engine is built on the audio thread: an open output (a cpal stream) need not
            // be `Send`, and it never leaves that thread.
            let worker = std::thread::Builder::new().name("supple-audio".to_owned()).spawn(move || {
                run(Engine::new(device, sounds, volume, report), &rx, &shared, Clock, first_wait);
            });
            worker.map(|worker| (tx, worker)).map_err(|e| format!("could not start the audio thread: {e}"))
        });
        let mut sink = AudioSink {
            commands: None,
            shared,
            muted: settings.muted,
            worker: None,
            starter: Some(starter),
            voice: if settings.voice { voice::Voice::find() } else { None },
            scheduled: Vec::new(),
        };
        if !sink.muted {
            sink.start_thread();
        }
        sink
    }

    /// Starts the audio thread, once.
    fn start_thread(&mut self) {
        if let Some(starter) = self.starter.take() {
            match starter(Arc::clone(&self.shared)) {
                Ok((tx, worker)) => (self.commands, self.worker) = (Some(tx), Some(worker)),
                Err(reason) => self.shared.set(&AudioStatus::Failed { reason }),
            }
        }
    }

    /// What the audio output is doing right now.
    pub fn status(&self) -> AudioStatus {
        self.shared.get()
    }

    /// Waits (at most `timeout`) until the first attempt to open the device has finished, and
    /// returns the outcome. For `supple sounds` and `supple doctor`; the TUI polls `notice`.
    pub fn wait_for_status(&self, timeout: Duration) -> AudioStatus {
        // No cues will come first: the audio thread need not wait for them to probe.
        self.send(Command::ProbeNow);
        let guard = self.shared.status.lock().unwrap_or_else(PoisonError::into_inner);
        let (status, _) = self
            .shared
            .changed
            .wait_timeout_while(guard, timeout, |s| *s == AudioStatus::Unknown)
            .unwrap_or_else(PoisonError::into_inner);
        status.clone()
    }

    /// Sets the volume (0.0-1.0) for the cues that follow.
    pub fn set_volume(&mut self, volume: f32) {
        self.send(Command::Volume(volume));
    }

    fn send(&self, command: Command) {
        if let Some(tx) = &self.commands {
            // The thread only stops when we tell it to; a send can fail only after a panic
            // there, and then the notice already says sound is unavailable.
            let _ = tx.send(command);
        }
    }
}

impl std::fmt::Debug for AudioSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AudioSink").field("status", &self.status()).field("muted", &self.muted).finish_non_exhaustive()
    }
}

impl CueSink for AudioSink {
    fn play(&mut self, cue: Cue) {
        if !self.muted {
            self.send(Command::Play(cue));
        }
    }

    fn schedule(&mut self, upcoming: &[(std::time::Instant, Cue)]) {
        if !self.muted && self.scheduled != upcoming {
            self.scheduled = upcoming.to_vec();
            self.send(Command::Schedule(self.scheduled.clone()));
        }
    }

    fn announce(&mut self, text: &str) {
        if let (false, Some(voice), Some(tx)) = (self.muted, &self.voice, &self.commands) {
            voice.speak(text, tx.clone());
        }
    }

    fn notice(&self) -> Option<String> {
        notice_for(&self.status())
    }

    fn set_muted(&mut self, muted: bool) {
        if !muted {
            self.start_thread();
        }
        if muted && !self.muted {
            // Foreseen cues may already be with the device: take them back.
            self.scheduled.clear();
            self.send(Command::Schedule(Vec::new()));
        }
        self.muted = muted;
    }

    fn muted(&self) -> bool {
        self.muted
    }
}

impl Drop for AudioSink {
    /// Stops the audio thread after the cue it is playing (at most `LAST_CUE_GRACE`), so the
    /// "done" sound is heard in full when the program quits right after it.
    fn drop(&mut self) {
        self.send(Command::Shutdown);
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// The audio thread: sleeps until a command arrives or the open output is due to close.
fn run<D: Device>(
    mut engine: Engine<D>,
    commands: &mpsc::Receiver<Command>,
    shared: &Shared,
    clock: Clock,
    first_wait: Duration,
) {
    // A session foresees its first cues just after its first frame, a few ms after this thread
    // starts. Waiting a moment for them lets the probe's stream start with them in place
    // (see `Engine::probe`); otherwise they often came just after its first refills and
    // needed a stream of their own, ~110 wakeups of program and sound server.
    if let Ok(command) = commands.recv_timeout(first_wait)
        && !engine.handle(command, clock.now())
    {
        return;
    }
    // Probe the device now: the status line can say "no audio device" before the first cue,
    // and the slow first open (loading the audio libraries) is not paid at a cue's moment.
    engine.probe(clock.now());
    shared.set(engine.status());
    loop {
        let received = match engine.next_deadline(clock.now()) {
            Some(deadline) => commands.recv_timeout(deadline.saturating_duration_since(clock.now())),
            None => commands.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match received {
            Ok(command) => {
                let go_on = engine.handle(command, clock.now());
                shared.set(engine.status());
                if !go_on {
                    break;
                }
            }
            Err(RecvTimeoutError::Timeout) => engine.tick(clock.now()),
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    let now = clock.now();
    if let Some(until) = engine.playing_until(now) {
        std::thread::sleep((until - now).min(LAST_CUE_GRACE));
    }
}

/// A sink that plays nothing: sound turned off on purpose, or no audio at all. Its notice says
/// which, in the words given to [`SilentSink::new`].
#[derive(Debug, Clone)]
pub struct SilentSink {
    notice: String,
    muted: bool,
}

impl SilentSink {
    /// `notice` is the one line the status bar shows, e.g. "sound off: cues are shown as a flash".
    pub fn new(notice: impl Into<String>) -> SilentSink {
        SilentSink { notice: notice.into(), muted: true }
    }
}

impl CueSink for SilentSink {
    fn play(&mut self, _cue: Cue) {}

    fn notice(&self) -> Option<String> {
        Some(self.notice.clone())
    }

    fn set_muted(&mut self, muted: bool) {
        self.muted = muted;
    }

    fn muted(&self) -> bool {
        self.muted
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::Receiver;

    use super::*;
    use std::time::Instant;

    use crate::audio::engine::{Output, StreamFailed, Timed};
    use crate::audio::timeline::{Committed, Key};

    /// A device whose every event is sent to the test, across the audio thread.
    struct ReportingDevice {
        events: Sender<String>,
        available: bool,
    }

    struct ReportingOutput {
        events: Sender<String>,
        reported: Vec<Key>,
    }

    impl Device for ReportingDevice {
        type Output = ReportingOutput;
        fn open(&mut self, _failed: StreamFailed, sounds: &[Timed], now: Instant) -> Result<ReportingOutput, String> {
            if !self.available {
                return Err("no default output device (ALSA)".into());
            }
            let _ = self.events.send("open".into());
            // Sounds given with the open are in the stream from its first refill.
            for t in sounds {
                let _ = self.events.send(format!("{} from the start", play(t)));
            }
            let reported = sounds.iter().map(|t| t.key).collect();
            let mut output = ReportingOutput { events: self.events.clone(), reported };
            let _ = output.set_sounds(sounds, now);
            Ok(output)
        }
    }

    impl Output for ReportingOutput {
        fn set_sounds(&mut self, sounds: &[Timed], _now: Instant) -> Result<(), Committed> {
            for t in sounds {
                if self.reported.contains(&t.key) {
                    continue;
                }
                self.reported.push(t.key);
                let _ = self.events.send(play(t));
            }
            Ok(())
        }
        fn committed_until(&self) -> Option<Instant> {
            None
        }
        fn device(&self) -> (String, String) {
            ("Test Card".into(), "TEST".into())
        }
    }

    fn play(t: &Timed) -> String {
        format!("play {} ms at {}", t.sound.duration().as_millis(), t.volume)
    }

    impl Drop for ReportingOutput {
        fn drop(&mut self) {
            let _ = self.events.send("close".into());
        }
    }

    fn sink(available: bool, settings: &AudioSettings) -> (AudioSink, Receiver<String>) {
        let (tx, rx) = mpsc::channel();
        let device = ReportingDevice { events: tx, available };
        (AudioSink::with_device(device, Sounds::bundled(), settings), rx)
    }

    /// Waits for the audio thread's next event; generous, since the thread may be descheduled.
    fn next(rx: &Receiver<String>) -> String {
        rx.recv_timeout(Duration::from_secs(10)).expect("the audio thread reports")
    }

    #[test]
    fn cues_reach_the_device_through_the_audio_thread_and_shutdown_closes_it() {
        let settings = AudioSettings { volume: 0.25, ..AudioSettings::default() };
        let (mut sink, rx) = sink(true, &settings);
        assert_eq!(
            sink.wait_for_status(Duration::from_secs(10)),
            AudioStatus::Ready { device: "Test Card".into(), host: "TEST".into() }
        );
        assert_eq!(sink.notice(), None);
        assert_eq!([next(&rx), next(&rx)], ["open", "close"], "probed at start, closed while idle");
        sink.play(Cue::Go);
        let go = Sounds::bundled().get(Cue::Go).duration().as_millis();
        assert_eq!([next(&rx), next(&rx)], ["open".to_owned(), format!("play {go} ms at 0.25 from the start")]);
        drop(sink);
        let rest: Vec<String> = rx.iter().collect();
        assert_eq!(rest, ["close"], "closed exactly once, on shutdown or when idle");
    }

    #[test]
    fn whoever_waits_for_the_status_does_not_wait_for_cues_that_will_not_come() {
        // `supple sounds`, `doctor` and plain mode wait for the status before any cue. Were the
        // thread to keep waiting for a session's first cues (an hour here), so would they.
        let (tx, rx) = mpsc::channel();
        let device = ReportingDevice { events: tx, available: true };
        let hour = Duration::from_secs(3600);
        let sink = AudioSink::with_device_waiting(device, Sounds::bundled(), &AudioSettings::default(), hour);
        let status = sink.wait_for_status(Duration::from_secs(10));
        assert_eq!(status, AudioStatus::Ready { device: "Test Card".into(), host: "TEST".into() });
        assert_eq!(next(&rx), "open");
    }

    #[test]
    fn the_first_cues_of_a_session_are_in_the_probes_stream_from_its_start() {
        let (mut sink, rx) = sink(true, &AudioSettings::default());
        // As a session does just after its first frame, while the audio thread is starting.
        sink.schedule(&[(Instant::now() + Duration::from_millis(500), Cue::Tick)]);
        let tick = Sounds::bundled().get(Cue::Tick).duration().as_millis();
        let volume = AudioSettings::default().volume;
        assert_eq!([next(&rx), next(&rx)], ["open".to_owned(), format!("play {tick} ms at {volume} from the start")]);
    }

    #[test]
    fn muted_cues_never_reach_the_device() {
        let settings = AudioSettings { muted: true, volume: 1.0, ..AudioSettings::default() };
        let (mut sink, rx) = sink(true, &settings);
        let status = sink.wait_for_status(Duration::from_millis(300));
        assert_eq!(status, AudioStatus::Unknown, "a sink started muted leaves the device alone");
        assert!(rx.try_recv().is_err(), "not even probed");
        assert!(sink.muted());
        sink.schedule(&[(Instant::now() + Duration::from_millis(100), Cue::Go)]);
        sink.play(Cue::Tick);
        sink.set_muted(false);
        sink.play(Cue::Done);
        drop(sink);
        let events: Vec<String> = rx.iter().filter(|e| e.starts_with("play")).collect();
        let done = Sounds::bundled().get(Cue::Done).duration().as_millis();
        assert_eq!(events, [format!("play {done} ms at 1 from the start")]);
    }

    #[test]
    fn without_a_device_the_notice_says_so_in_one_line() {
        let (mut sink, _rx) = sink(false, &AudioSettings::default());
        let status = sink.wait_for_status(Duration::from_secs(10));
        assert_eq!(status, AudioStatus::Unavailable { reason: "no default output device (ALSA)".into() });
        assert_eq!(sink.notice().as_deref(), Some("no audio device: cues are shown as a flash"));
        sink.play(Cue::Tick);
    }

    #[test]
    fn the_silent_sink_is_honest_about_being_silent() {
        let mut sink = SilentSink::new("sound off (--mute): cues are shown as a flash");
        sink.play(Cue::Go);
        assert_eq!(sink.notice().as_deref(), Some("sound off (--mute): cues are shown as a flash"));
        assert!(sink.muted());
    }
}
