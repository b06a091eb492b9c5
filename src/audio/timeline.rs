//! What an open output stream plays, and when: sounds placed on the clock, mixed into the
//! device's buffer at the frame that will be heard at their moment.
//!
//! A countdown's cues are known seconds ahead, so the stream can run with a large buffer that
//! the device asks to refill only once a second or so (few wakeups for us and the sound
//! server) and still start each sound on its exact moment: each refill is told when its first
//! frame will be heard, and every clip due inside it is mixed in at its own frame. The price is
//! that audio handed to the device cannot be taken back: a change that touches it (a pause
//! while "go" is already buffered, a key that needs a sound right now) is refused with
//! [`Committed`], and the engine opens a fresh stream instead.
//!
//! Pure: handed the time and a buffer, so the placement is tested to the frame.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cue::Cue;

/// A clip whose moment passed less than this ago when its first frame is rendered starts whole
/// (a cue asked for "now" comes a few ms late); one further past resumes where it would be by
/// now (a sound carried over to a fresh stream goes on instead of starting again).
pub const LATE_WHOLE: Duration = Duration::from_millis(50);

/// Started clips are remembered this long after their moment, longer than any sound lasts,
/// so a clip still listed by the engine is never started twice.
const REMEMBER_STARTED: Duration = Duration::from_secs(10);

/// What a clip is: a cue, or one piece of speech (numbered, as each is different).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum What {
    Cue(Cue),
    Speech(u64),
}

/// A clip's identity: the same sound at the same moment is the same clip, however often the
/// schedule is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub at: Instant,
    pub what: What,
}

/// A sound to start at `key.at`, already in the stream's format (interleaved channels at the
/// stream's rate) and volume.
#[derive(Debug, Clone)]
pub struct Clip {
    pub key: Key,
    pub samples: Arc<[f32]>,
}

/// A clip being mixed.
#[derive(Debug)]
struct Sounding {
    clip: Clip,
    /// The next sample to take from the clip.
    next: usize,
    /// Samples of the next buffer to leave out before the clip begins (its first buffer only).
    lead: usize,
}

/// The change would alter audio already handed to the device: open a new stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Committed;

/// The clips of one open stream: waiting, sounding, and how far ahead audio is rendered.
#[derive(Debug)]
pub struct Timeline {
    rate: u32,
    channels: usize,
    waiting: Vec<Clip>,
    sounding: Vec<Sounding>,
    started: Vec<Key>,
    /// The moment the next rendered frame will be heard: audio before it is with the device.
    committed_until: Option<Instant>,
}

impl Timeline {
    /// An empty timeline for a stream of `rate` frames a second and `channels` channels.
    pub fn new(rate: u32, channels: u16) -> Timeline {
        Timeline {
            rate: rate.max(1),
            channels: usize::from(channels.max(1)),
            waiting: Vec::new(),
            sounding: Vec::new(),
            started: Vec::new(),
            committed_until: None,
        }
    }

    /// Until when audio has been handed to the device (`None` before the first refill).
    pub fn committed_until(&self) -> Option<Instant> {
        self.committed_until
    }

    /// Makes `clips` the sounds to play, at `now`. Clips already started play on. Refused when
    /// a clip that is rendered but not yet heard is no longer wanted, or a new clip's moment
    /// lies in audio already rendered (it would start late by up to a buffer).
    pub fn replace(&mut self, clips: Vec<Clip>, now: Instant) -> Result<(), Committed> {
        let wanted = |key: &Key| clips.iter().any(|c| c.key == *key);
        if self.started.iter().any(|k| k.at > now && !wanted(k)) {
            return Err(Committed);
        }
        let fresh: Vec<Clip> = clips.into_iter().filter(|c| !self.started.contains(&c.key)).collect();
        if let Some(committed) = self.committed_until
            && fresh.iter().any(|c| c.key.at < committed)
        {
            return Err(Committed);
        }
        self.waiting = fresh;
        Ok(())
    }

    /// Fills `out` (interleaved) with the mix of every clip sounding in it, given that its first
    /// frame will be heard at `start`. A clip whose moment has just passed starts whole at the
    /// first frame; one long past goes on from where it would be now (see [`LATE_WHOLE`]).
    pub fn render(&mut self, out: &mut [f32], start: Instant) {
        out.fill(0.0);
        let frames = out.len() / self.channels;
        let end = start + self.frames_to_duration(frames);
        let mut i = 0;
        while i < self.waiting.len() {
            if self.waiting[i].key.at < end {
                let clip = self.waiting.swap_remove(i);
                let offset = self.duration_to_frames(clip.key.at.saturating_duration_since(start)).min(frames);
                let late = start.saturating_duration_since(clip.key.at);
                let skip = if late > LATE_WHOLE { self.duration_to_frames(late) * self.channels } else { 0 };
                self.started.push(clip.key);
                let next = skip.min(clip.samples.len());
                self.sounding.push(Sounding { clip, next, lead: offset * self.channels });
            } else {
                i += 1;
            }
        }
        for sounding in &mut self.sounding {
            let lead = std::mem::take(&mut sounding.lead).min(out.len());
            let from = sounding.next;
            let take = (out.len() - lead).min(sounding.clip.samples.len() - from);
            for (o, s) in out[lead..lead + take].iter_mut().zip(&sounding.clip.samples[from..from + take]) {
                *o += s;
            }
            sounding.next = from + take;
        }
        self.sounding.retain(|s| s.next < s.clip.samples.len());
        for o in out.iter_mut() {
            *o = o.clamp(-1.0, 1.0);
        }
        self.committed_until = Some(end);
        self.started.retain(|k| k.at + REMEMBER_STARTED > start);
    }

    fn frames_to_duration(&self, frames: usize) -> Duration {
        Duration::from_nanos((frames as u64).saturating_mul(1_000_000_000) / u64::from(self.rate))
    }

    fn duration_to_frames(&self, d: Duration) -> usize {
        usize::try_from(d.as_nanos() * u128::from(self.rate) / 1_000_000_000).unwrap_or(usize::MAX)
    }
}

#[cfg(test)]
// The levels compared are exact binary fractions and their exact sums.
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// A mono clip of `len` samples, all `level`, at `at`.
    fn clip(at: Instant, what: What, len: usize, level: f32) -> Clip {
        Clip { key: Key { at, what }, samples: vec![level; len].into() }
    }

    /// 1,000 frames a second, mono: one frame per ms.
    fn timeline() -> Timeline {
        Timeline::new(1000, 1)
    }

    fn first_sound(buffer: &[f32]) -> Option<usize> {
        buffer.iter().position(|&s| s != 0.0)
    }

    #[test]
    fn a_clip_lands_on_the_frame_heard_at_its_moment_and_carries_into_the_next_refill() {
        let t0 = Instant::now();
        let mut t = timeline();
        t.replace(vec![clip(t0 + ms(1250), What::Cue(Cue::Tick), 100, 0.5)], t0).unwrap();
        let mut out = vec![0.0; 1000];
        t.render(&mut out, t0 + ms(300));
        assert_eq!(first_sound(&out), Some(950), "heard 950 ms after this buffer's start");
        assert_eq!(out.iter().filter(|&&s| s == 0.5).count(), 50);
        assert_eq!(t.committed_until(), Some(t0 + ms(1300)));
        t.render(&mut out, t0 + ms(1300));
        assert_eq!(&out[..50], &[0.5; 50], "the rest follows without a gap");
        assert!(out[50..].iter().all(|&s| s == 0.0));
        t.render(&mut out, t0 + ms(2300));
        assert_eq!(first_sound(&out), None, "played once");
    }

    #[test]
    fn a_clip_that_comes_late_starts_whole_at_once() {
        let t0 = Instant::now();
        let mut t = timeline();
        t.replace(vec![clip(t0, What::Cue(Cue::Go), 30, 0.25)], t0).unwrap();
        let mut out = vec![0.0; 100];
        t.render(&mut out, t0 + ms(20));
        assert_eq!(&out[..30], &[0.25; 30]);
        assert_eq!(first_sound(&out[30..]), None);
    }

    #[test]
    fn a_clip_carried_over_to_a_fresh_stream_goes_on_from_where_it_was() {
        let t0 = Instant::now();
        let mut t = timeline();
        let ramp: Arc<[f32]> = (0..500u16).map(|i| f32::from(i) / 1000.0).collect();
        t.replace(vec![Clip { key: Key { at: t0, what: What::Speech(1) }, samples: ramp }], t0).unwrap();
        let mut out = vec![0.0; 1000];
        t.render(&mut out, t0 + ms(200));
        assert_eq!(out[0], 0.2, "200 ms in, not from the start");
        assert_eq!(out[299], 0.499);
        assert_eq!(out[300], 0.0, "and it ends when it would have");
    }

    #[test]
    fn stereo_clips_start_on_a_frame_boundary() {
        let t0 = Instant::now();
        let mut t = Timeline::new(1000, 2);
        t.replace(vec![clip(t0 + ms(3), What::Cue(Cue::Tick), 4, 1.0)], t0).unwrap();
        let mut out = vec![0.0; 20];
        t.render(&mut out, t0);
        assert_eq!(first_sound(&out), Some(6), "frame 3 = sample 6 of interleaved L/R");
    }

    #[test]
    fn sounds_that_overlap_are_mixed_and_kept_in_range() {
        let t0 = Instant::now();
        let mut t = timeline();
        let clips = vec![clip(t0, What::Cue(Cue::Tick), 10, 0.75), clip(t0 + ms(5), What::Speech(1), 10, 0.75)];
        t.replace(clips, t0).unwrap();
        let mut out = vec![0.0; 20];
        t.render(&mut out, t0);
        assert_eq!(out[0], 0.75);
        assert_eq!(out[7], 1.0, "0.75 + 0.75 clamped");
        assert_eq!(out[12], 0.75);
    }

    #[test]
    fn the_same_schedule_sent_again_plays_each_clip_once() {
        let t0 = Instant::now();
        let mut t = timeline();
        let tick = || clip(t0 + ms(10), What::Cue(Cue::Tick), 5, 0.5);
        t.replace(vec![tick()], t0).unwrap();
        let mut out = vec![0.0; 100];
        t.render(&mut out, t0);
        assert_eq!(t.replace(vec![tick()], t0 + ms(5)), Ok(()), "already rendered and still wanted");
        t.render(&mut out, t0 + ms(100));
        assert_eq!(first_sound(&out), None, "not started twice");
    }

    #[test]
    fn a_cancelled_clip_goes_quietly_unless_it_is_already_with_the_device() {
        let t0 = Instant::now();
        let mut t = timeline();
        let go = clip(t0 + ms(1500), What::Cue(Cue::Go), 5, 0.5);
        let tick = clip(t0 + ms(500), What::Cue(Cue::Tick), 5, 0.5);
        t.replace(vec![tick.clone(), go], t0).unwrap();
        let mut out = vec![0.0; 1000];
        t.render(&mut out, t0);
        // The tick is in the buffer, "go" is not: dropping "go" is fine.
        assert_eq!(t.replace(vec![tick], t0 + ms(100)), Ok(()));
        t.render(&mut out, t0 + ms(1000));
        assert_eq!(first_sound(&out), None, "go was cancelled in time");
        // Dropping the buffered tick before it is heard is not.
        let mut t = timeline();
        let tick = clip(t0 + ms(500), What::Cue(Cue::Tick), 5, 0.5);
        t.replace(vec![tick], t0).unwrap();
        t.render(&mut out, t0);
        assert_eq!(t.replace(vec![], t0 + ms(100)), Err(Committed));
        assert_eq!(t.replace(vec![], t0 + ms(600)), Ok(()), "once heard, it is history");
    }

    #[test]
    fn a_new_clip_inside_rendered_audio_needs_a_new_stream() {
        let t0 = Instant::now();
        let mut t = timeline();
        let mut out = vec![0.0; 1000];
        t.render(&mut out, t0);
        let now = clip(t0 + ms(200), What::Cue(Cue::Go), 5, 0.5);
        assert_eq!(t.replace(vec![now], t0 + ms(200)), Err(Committed));
        let later = clip(t0 + ms(1200), What::Cue(Cue::Go), 5, 0.5);
        assert_eq!(t.replace(vec![later], t0 + ms(200)), Ok(()));
    }
}
