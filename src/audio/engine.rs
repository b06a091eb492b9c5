//! When the audio output is open, and what it plays: sounds are placed on the clock ahead of
//! their moments and the stream is open only around them. An open output stream costs CPU and
//! wakeups (program plus sound server) even while it plays silence, so the engine opens it just
//! before the first sound it knows of ([`OPEN_LEAD`]) and closes it once nothing is due for a
//! while ([`KEEP_OPEN`]).
//!
//! The session shell sends the cues it foresees (`Schedule`) and still reports each cue at its
//! moment (`Play`): a cue that was foreseen is by then already placed in the stream's buffer,
//! at its exact frame; one that was not (a key was pressed) starts at once, in a fresh stream
//! if the open one has already rendered past now (what was sounding goes on in the new one).
//!
//! The engine is handed the time and talks to the device through the small [`Device`] and
//! [`Output`] traits, so this logic is tested with a fake device and made-up instants; the real
//! device lives in `rodio_sink.rs` and the thread that drives the engine in `audio.rs`.

use std::time::{Duration, Instant};

use crate::audio::sounds::{Sound, Sounds};
use crate::audio::timeline::{Committed, Key, What};
use crate::cue::Cue;

/// The output opens this long before the first sound it must play: opening a stream through a
/// sound server took 5-10 ms here, and the first refill must come before the sound's moment.
pub const OPEN_LEAD: Duration = Duration::from_millis(100);

/// The probe keeps its stream at least this long, so that the cues a session foresees just
/// after starting (its first 3-2-1) ride the probe's stream instead of opening another: each
/// open through a sound server costs ~140 wakeups of program and server together.
///
/// A fresh stream's first cues are on time, also the first stream of a process: recordings
/// that seemed to show it starting 0.2-0.7 s late had started the recorder only a second
/// before, and the null sink's monitor is still settling then. With the recorder started 3 s
/// ahead, a stream opened as the process starts played its ticks exactly 3.000 s apart.
pub const WARM_UP: Duration = Duration::from_millis(500);

/// The output stays open while another sound is due within this. Opening and closing a stream
/// through a sound server cost about as many wakeups (program and server, ~100) as five seconds
/// of an open stream with two-second periods, so the ticks of a countdown share one stream, and
/// so do the cues that come close together around a step's end.
pub const KEEP_OPEN: Duration = Duration::from_secs(4);

/// A sound counts as heard this long after it ends: the device's own latency.
pub const DRAIN: Duration = Duration::from_millis(150);

/// A cue reported within this of a foreseen moment of the same cue is that cue, not another.
pub const SAME_CUE: Duration = Duration::from_millis(250);

/// After the device failed to open, wait this long before trying again: a machine without a
/// sound card would otherwise retry on every cue.
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
    /// Opens the output, playing `sounds` (as [`Output::set_sounds`] at `now`). They are set
    /// before the stream starts: a stream's first refills come at once when it starts, and a
    /// sound set a moment later would find its moment already rendered, as silence. `failed`
    /// is for errors that happen later, while the stream runs. `Err` is a one-line reason
    /// such as "no default output device".
    fn open(&mut self, failed: StreamFailed, sounds: &[Timed], now: Instant) -> Result<Self::Output, String>;
}

/// A sound the open output should play at `key.at`, at `volume` (0.0-1.0).
#[derive(Clone)]
pub struct Timed {
    pub key: Key,
    pub sound: Sound,
    pub volume: f32,
}

impl Timed {
    /// When the sound has been heard in full.
    fn heard_by(&self) -> Instant {
        self.key.at + self.sound.duration() + DRAIN
    }
}

/// An open output stream. Dropping it closes the stream (and drops what it had buffered).
pub trait Output {
    /// Makes `sounds` what the stream plays, each at its moment, at `now`; sounds already
    /// started play on. `Err(Committed)` when that would change audio the device already has:
    /// the engine then opens a fresh stream.
    fn set_sounds(&mut self, sounds: &[Timed], now: Instant) -> Result<(), Committed>;
    /// Until when audio has been handed to the device, if any has.
    fn committed_until(&self) -> Option<Instant>;
    /// Which device and host the stream plays on.
    fn device(&self) -> (String, String);
}

/// What drives the engine.
#[derive(Debug, Clone)]
pub enum Command {
    /// The cues foreseen from now on, each at its moment; replaces the previous schedule.
    Schedule(Vec<(Instant, Cue)>),
    /// A cue's moment has come.
    Play(Cue),
    /// Speech made by the voice (a decoded WAV from the speech program), played as soon as it
    /// can be without cutting anything off.
    Speak(Box<Sound>),
    Volume(f32),
    /// Someone waits for the device's status: the audio thread should probe now rather than
    /// wait for a first schedule. Changes nothing in the engine.
    ProbeNow,
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

/// The sounds to be heard, and the output opened and closed around them.
pub struct Engine<D: Device> {
    device: D,
    sounds: Sounds,
    volume: f32,
    output: Option<D::Output>,
    generation: u64,
    /// Sounds due, sounding, or just heard (kept until `heard_by`, or `SAME_CUE` after their
    /// moment, so that the `Play` of a foreseen cue is recognised), in order of their moments.
    wanted: Vec<Timed>,
    speeches: u64,
    /// The output stays open until then even with nothing to play (see [`WARM_UP`]).
    hold_until: Option<Instant>,
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
            wanted: Vec::new(),
            speeches: 0,
            hold_until: None,
            last_failure: None,
            status: AudioStatus::Unknown,
            report,
        }
    }

    /// Opens the device for a moment, so that the status says at once whether cues can be
    /// heard, and the slow first open and first start (loading the audio libraries, setting
    /// up the sound server's plugin) are not paid at a cue's moment.
    /// Sounds already wanted (a schedule that came first) start in the probe's stream: it
    /// renders its first refills the moment it starts, and a sound set later inside them
    /// would need another stream.
    pub fn probe(&mut self, now: Instant) {
        let unheard = self.unheard(now);
        if self.ensure_open(now, &unheard) {
            self.hold_until = Some(now + WARM_UP);
        }
        self.sync(now);
    }

    /// Applies one command at time `now`. Returns false on `Shutdown`.
    pub fn handle(&mut self, command: Command, now: Instant) -> bool {
        match command {
            Command::Schedule(cues) => {
                // Foreseen cues are replaced; what already sounds, and speech, stays.
                self.wanted.retain(|t| !matches!(t.key.what, What::Cue(_)) || t.key.at <= now);
                for (at, cue) in cues.into_iter().filter(|&(at, _)| at > now) {
                    self.want(at, What::Cue(cue), self.sounds.get(cue).clone());
                }
            }
            Command::Play(cue) => {
                let foreseen =
                    self.wanted.iter().any(|t| t.key.what == What::Cue(cue) && apart(t.key.at, now) <= SAME_CUE);
                if !foreseen {
                    self.want(now, What::Cue(cue), self.sounds.get(cue).clone());
                }
            }
            Command::Speak(sound) => {
                // After the sounds playing now, so that neither covers the other.
                let at = self
                    .wanted
                    .iter()
                    .filter(|t| t.key.at <= now)
                    .map(|t| t.key.at + t.sound.duration())
                    .fold(now, Instant::max);
                self.speeches += 1;
                self.want(at, What::Speech(self.speeches), *sound);
            }
            Command::Volume(volume) => self.volume = clamp_volume(volume),
            Command::ProbeNow => {}
            Command::StreamFailed { generation, reason } => {
                if generation == self.generation && self.output.is_some() {
                    self.output = None;
                    self.status = AudioStatus::Failed { reason };
                }
            }
            Command::Shutdown => return false,
        }
        self.sync(now);
        true
    }

    /// Opens or closes the output as its time has come. Call when `next_deadline` passes.
    pub fn tick(&mut self, now: Instant) {
        self.sync(now);
    }

    /// When `tick` next has something to do; `None` when nothing is due (sleep until a command).
    pub fn next_deadline(&self, now: Instant) -> Option<Instant> {
        let forget = self.wanted.iter().map(|t| Self::forget_at(t));
        let open = self
            .wanted
            .iter()
            .filter(|_| self.output.is_none())
            .filter_map(|t| t.key.at.checked_sub(OPEN_LEAD))
            .filter(|&at| at > now);
        forget.chain(open).chain(self.hold_until).min()
    }

    /// When the sounds already started will have been heard, if any is still playing at `now`.
    pub fn playing_until(&self, now: Instant) -> Option<Instant> {
        self.wanted.iter().filter(|t| t.key.at <= now).map(Timed::heard_by).max().filter(|&t| t > now)
    }

    pub fn is_open(&self) -> bool {
        self.output.is_some()
    }

    pub fn status(&self) -> &AudioStatus {
        &self.status
    }

    fn want(&mut self, at: Instant, what: What, sound: Sound) {
        let timed = Timed { key: Key { at, what }, sound, volume: self.volume };
        let place = self.wanted.partition_point(|t| t.key.at <= at);
        self.wanted.insert(place, timed);
    }

    fn forget_at(t: &Timed) -> Instant {
        t.heard_by().max(t.key.at + SAME_CUE)
    }

    /// Brings the output in line with what is wanted at `now`.
    fn sync(&mut self, now: Instant) {
        let forget: Vec<Instant> = self.wanted.iter().map(|t| Self::forget_at(t)).collect();
        let mut keep = forget.iter().map(|&f| f > now);
        self.wanted.retain(|_| keep.next().unwrap_or(false));
        // What the device still has to play. Sounds already over are kept in `wanted` a while
        // (to recognise their `Play`) but never sent: a fresh stream does not have them, and
        // sending them would look like new sounds in audio it has rendered.
        let unheard = self.unheard(now);
        if let Some(output) = &mut self.output
            && output.set_sounds(&unheard, now).is_err()
        {
            // Audio already with the device is wrong now (a pause, a key): drop it. A fresh
            // stream carries on with what was sounding, from where it was.
            self.output = None;
        }
        let soon = unheard.iter().any(|t| t.key.at <= now + OPEN_LEAD);
        if self.output.is_none() && soon {
            self.ensure_open(now, &unheard);
        }
        self.hold_until = self.hold_until.filter(|&t| t > now);
        if self.output.is_some()
            && self.hold_until.is_none()
            && !self.wanted.iter().any(|t| t.key.at <= now + KEEP_OPEN)
        {
            self.output = None;
        }
    }

    /// The wanted sounds not yet over at `now`.
    fn unheard(&self, now: Instant) -> Vec<Timed> {
        self.wanted.iter().filter(|t| t.key.at + t.sound.duration() > now).cloned().collect()
    }

    /// Opens the output with `sounds` unless it is open, or failed less than `RETRY_AFTER`
    /// ago. Returns whether it is open.
    fn ensure_open(&mut self, now: Instant, sounds: &[Timed]) -> bool {
        if self.output.is_some() {
            return true;
        }
        if self.last_failure.is_some_and(|t| now < t + RETRY_AFTER) {
            return false;
        }
        self.generation += 1;
        match self.device.open(StreamFailed::new(self.generation, self.report.clone()), sounds, now) {
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
}

/// How far apart two instants are, whichever comes first.
fn apart(a: Instant, b: Instant) -> Duration {
    a.saturating_duration_since(b).max(b.saturating_duration_since(a))
}

fn clamp_volume(volume: f32) -> f32 {
    if volume.is_nan() { 1.0 } else { volume.clamp(0.0, 1.0) }
}

#[cfg(test)]
mod tests;
