//! The decoded sound of every cue: the bundled WAVs in `assets/` (compiled in, so an installed
//! binary works from any directory), each replaceable by a file named in the user's config.
//!
//! Everything is decoded once, up front, into memory: a cue then starts by cloning a buffer
//! (a reference count), so nothing is read or decoded at the moment a cue must be heard.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rodio::Source;
use rodio::buffer::SamplesBuffer;

use super::wav::{self, WavError};

use crate::cue::Cue;
use crate::sanitize;

/// A user's sound file larger than this is refused before it is read: cues are short, and a
/// mistaken path to a film must not eat memory.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A cue longer than this would overlap the next one; a longer file is refused.
pub const MAX_CUE_LENGTH: Duration = Duration::from_secs(5);

/// One cue's sound, decoded.
#[derive(Clone)]
pub struct Sound {
    buffer: SamplesBuffer,
    duration: Duration,
}

impl Sound {
    /// Decodes a WAV held in memory. Errors are a short reason for a one-line notice.
    pub fn decode(bytes: &[u8]) -> Result<Sound, String> {
        let wav = wav::decode(bytes, MAX_CUE_LENGTH).map_err(|e| match e {
            WavError::TooLong => format!("longer than {} s", MAX_CUE_LENGTH.as_secs()),
            other => other.to_string(),
        })?;
        if wav.samples.is_empty() {
            return Err("contains no sound".to_owned());
        }
        let buffer = SamplesBuffer::new(wav.channels, wav.sample_rate, wav.samples);
        let duration = buffer.total_duration().unwrap_or_default();
        Ok(Sound { buffer, duration })
    }

    /// How long the sound plays.
    pub fn duration(&self) -> Duration {
        self.duration
    }

    /// A fresh source playing this sound from the start (shares the samples, copies nothing).
    pub fn source(&self) -> SamplesBuffer {
        self.buffer.clone()
    }

    /// The decoded samples (interleaved when there are several channels).
    pub fn samples(&self) -> Vec<f32> {
        self.buffer.clone().collect()
    }

    /// Samples per second of one channel.
    pub fn sample_rate(&self) -> u32 {
        self.buffer.sample_rate().get()
    }

    /// Number of interleaved channels.
    pub fn channels(&self) -> u16 {
        self.buffer.channels().get()
    }
}

impl fmt::Debug for Sound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sound")
            .field("duration", &self.duration)
            .field("channels", &self.channels())
            .field("sample_rate", &self.sample_rate())
            .finish_non_exhaustive()
    }
}

/// The bundled WAV for `cue`, as compiled into the binary.
pub fn bundled_bytes(cue: Cue) -> &'static [u8] {
    match cue {
        Cue::Tick => include_bytes!("../../assets/tick.wav"),
        Cue::Go => include_bytes!("../../assets/go.wav"),
        Cue::Rest => include_bytes!("../../assets/rest.wav"),
        Cue::Switch => include_bytes!("../../assets/switch.wav"),
        Cue::MayStop => include_bytes!("../../assets/may_stop.wav"),
        Cue::Done => include_bytes!("../../assets/done.wav"),
    }
}

/// The sound of every cue.
#[derive(Debug, Clone)]
pub struct Sounds {
    by_cue: HashMap<Cue, Sound>,
}

impl Sounds {
    /// Only the bundled sounds.
    pub fn bundled() -> Sounds {
        Sounds::load(&HashMap::new()).0
    }

    /// The bundled sounds, with the cues named in `files` replaced by those files. A file that
    /// cannot be used leaves the bundled sound in place and adds one line to the returned
    /// notices, saying which cue, which file and why (already sanitized for the terminal).
    pub fn load(files: &HashMap<Cue, PathBuf>) -> (Sounds, Vec<String>) {
        let mut by_cue = HashMap::new();
        let mut notices = Vec::new();
        for cue in Cue::ALL {
            let custom = files.get(&cue).and_then(|path| match read_sound(path) {
                Ok(sound) => Some(sound),
                Err(why) => {
                    notices.push(sanitize::line(&format!(
                        "sound for {}: {}: {why}; using the bundled sound",
                        cue.name(),
                        path.display()
                    )));
                    None
                }
            });
            let sound = custom.unwrap_or_else(|| bundled(cue));
            by_cue.insert(cue, sound);
        }
        (Sounds { by_cue }, notices)
    }

    /// The sound `cue` plays.
    pub fn get(&self, cue: Cue) -> &Sound {
        // `load` fills every cue of `Cue::ALL`, so the map is total.
        &self.by_cue[&cue]
    }
}

/// Decodes a bundled asset. The assets are checked by the tests below, so a failure here means
/// a broken build; an empty sound keeps the program running rather than panicking.
fn bundled(cue: Cue) -> Sound {
    Sound::decode(bundled_bytes(cue)).unwrap_or_else(|_| Sound {
        buffer: SamplesBuffer::new(std::num::NonZero::<u16>::MIN, std::num::NonZero::<u32>::MIN, Vec::<f32>::new()),
        duration: Duration::ZERO,
    })
}

fn read_sound(path: &Path) -> Result<Sound, String> {
    let file = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("larger than {} MB", MAX_FILE_BYTES / 1024 / 1024));
    }
    Sound::decode(&bytes)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rms(samples: &[f32]) -> f32 {
        (samples.iter().map(|s| s * s).sum::<f32>() / samples.len() as f32).sqrt()
    }

    /// Rising zero crossings per second: a fair stand-in for the pitch a
    /// listener hears, computed without any FFT.
    fn crossings_per_second(sound: &Sound) -> f32 {
        let s = sound.samples();
        let rising = s.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count();
        rising as f32 / sound.duration().as_secs_f32()
    }

    /// Where in time the energy sits, as a fraction of the length: tells a short double beep
    /// from a long falling pair even at similar pitches.
    fn energy_centre(sound: &Sound) -> f32 {
        let s = sound.samples();
        let total: f32 = s.iter().map(|x| x * x).sum();
        let weighted: f32 = s.iter().enumerate().map(|(i, x)| i as f32 * x * x).sum();
        weighted / total / s.len() as f32
    }

    #[test]
    fn every_bundled_cue_is_audible_short_and_mono_16_bit() {
        for cue in Cue::ALL {
            let bytes = bundled_bytes(cue);
            // WAV header: channels at 22, bits per sample at 34 (little endian).
            assert_eq!(u16::from_le_bytes([bytes[22], bytes[23]]), 1, "{} is mono", cue.name());
            assert_eq!(u16::from_le_bytes([bytes[34], bytes[35]]), 16, "{} is 16-bit", cue.name());
            let sound = Sound::decode(bytes).expect("bundled sounds decode");
            let samples = sound.samples();
            assert!(rms(&samples) > 0.03, "{} is too quiet: rms {}", cue.name(), rms(&samples));
            let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
            assert!(peak < 0.9, "{} clips or is harsh: peak {peak}", cue.name());
            let max = if cue == Cue::Tick { 80 } else { 700 };
            let ms = sound.duration().as_millis();
            assert!((30..=max).contains(&ms), "{} lasts {ms} ms", cue.name());
        }
        let total: usize = Cue::ALL.iter().map(|&c| bundled_bytes(c).len()).sum();
        assert!(total < 150 * 1024, "bundled sounds take {total} bytes");
    }

    #[test]
    fn bundled_cues_differ_in_pitch_or_rhythm() {
        let sounds = Sounds::bundled();
        for (i, &a) in Cue::ALL.iter().enumerate() {
            for &b in &Cue::ALL[i + 1..] {
                let (sa, sb) = (sounds.get(a), sounds.get(b));
                let length = sa.duration().abs_diff(sb.duration()) > Duration::from_millis(50);
                let (pa, pb) = (crossings_per_second(sa), crossings_per_second(sb));
                let pitch = (pa - pb).abs() / pa.max(pb) > 0.15;
                let centre = (energy_centre(sa) - energy_centre(sb)).abs() > 0.1;
                assert!(
                    length || pitch || centre,
                    "{} and {} sound alike: {pa:.0} vs {pb:.0} crossings/s",
                    a.name(),
                    b.name()
                );
            }
        }
    }

    #[test]
    fn a_missing_file_falls_back_to_the_bundled_sound_with_a_notice() {
        let files = HashMap::from([(Cue::Go, PathBuf::from("/no/such/dir/go.wav"))]);
        let (sounds, notices) = Sounds::load(&files);
        assert_eq!(notices, ["sound for go: /no/such/dir/go.wav: file not found; using the bundled sound"]);
        assert_eq!(sounds.get(Cue::Go).samples(), Sounds::bundled().get(Cue::Go).samples());
    }

    #[test]
    fn a_file_that_is_not_audio_falls_back_with_a_notice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rest.wav");
        std::fs::write(&path, "[not] = \"a sound\"\n").unwrap();
        let (sounds, notices) = Sounds::load(&HashMap::from([(Cue::Rest, path)]));
        assert_eq!(notices.len(), 1);
        assert!(notices[0].starts_with("sound for rest: "), "{}", notices[0]);
        assert!(notices[0].contains("not a WAV file"), "{}", notices[0]);
        assert_eq!(sounds.get(Cue::Rest).duration(), Sounds::bundled().get(Cue::Rest).duration());
    }

    #[test]
    fn a_good_file_replaces_only_its_cue() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.wav");
        // The "done" sound stands in for a user's own WAV for the tick.
        std::fs::write(&path, bundled_bytes(Cue::Done)).unwrap();
        let (sounds, notices) = Sounds::load(&HashMap::from([(Cue::Tick, path)]));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(sounds.get(Cue::Tick).duration(), sounds.get(Cue::Done).duration());
        assert_eq!(sounds.get(Cue::Go).duration(), Sounds::bundled().get(Cue::Go).duration());
    }

    #[test]
    fn a_file_name_with_control_characters_is_sanitized_in_the_notice() {
        let files = HashMap::from([(Cue::Switch, PathBuf::from("/nope/\u{1b}[31mred.wav"))]);
        let (_, notices) = Sounds::load(&files);
        assert!(!notices[0].contains('\u{1b}'), "{:?}", notices[0]);
    }
}
