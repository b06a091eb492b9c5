//! Reading a WAV file into samples: the bundled cues, a user's own cue files and espeak-ng's
//! speech. Uncompressed WAV is a header and raw samples, so a small reader does here what a
//! general decoding library did, at a fifth of a megabyte less code in memory for every run.
//!
//! Accepted: integer PCM of 8, 16, 24 or 32 bits, float PCM of 32 or 64 bits, and the 8-bit
//! telephone encodings A-law and µ-law, plain or `WAVE_FORMAT_EXTENSIBLE`, any channel count
//! and rate. A data chunk whose size runs past the end of the file is read up to the end:
//! espeak-ng writes to a pipe and cannot know the size beforehand. Compressed formats (ADPCM,
//! MP3 in WAV...) are refused with a reason.

use std::fmt;
use std::num::NonZero;
use std::time::Duration;

/// Decoded samples, interleaved, in -1.0..=1.0.
#[derive(Debug, Clone, PartialEq)]
pub struct Wav {
    pub channels: NonZero<u16>,
    pub sample_rate: NonZero<u32>,
    pub samples: Vec<f32>,
}

/// Why a file cannot be used, in words for a one-line notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WavError {
    /// Not a RIFF/WAVE file at all.
    NotWav,
    /// A WAV this reader cannot turn into samples.
    Unsupported(String),
    /// Longer than the caller accepts: refused before any sample is decoded.
    TooLong,
}

impl fmt::Display for WavError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WavError::NotWav => write!(f, "not a WAV file"),
            WavError::Unsupported(why) => write!(f, "cannot decode it: {why}"),
            WavError::TooLong => write!(f, "too long"),
        }
    }
}

/// `WAVE_FORMAT_PCM`, `WAVE_FORMAT_IEEE_FLOAT` and `WAVE_FORMAT_EXTENSIBLE` (whose real format
/// is the first two bytes of its sub-format GUID).
const PCM: u16 = 1;
const FLOAT: u16 = 3;
const A_LAW: u16 = 6;
const MU_LAW: u16 = 7;

/// Sample rates taken, in Hz: from old telephone recordings to studio masters.
const RATES: std::ops::RangeInclusive<u32> = 1_000..=384_000;
const EXTENSIBLE: u16 = 0xFFFE;

/// Decodes a WAV held in memory, refusing it when it plays longer than `longest`, before a
/// sample is decoded: a long file must not take memory only to be refused.
pub fn decode(bytes: &[u8], longest: Duration) -> Result<Wav, WavError> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(WavError::NotWav);
    }
    let mut format = None;
    let mut data = None;
    let mut at = 12;
    while (format.is_none() || data.is_none()) && at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let size = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]) as usize;
        let body = &bytes[at + 8..bytes.len().min((at + 8).saturating_add(size))];
        match id {
            b"fmt " => format = Some(Format::read(body)?),
            b"data" => data = Some(body),
            _ => {}
        }
        // Chunks are padded to an even length.
        at = (at + 8).saturating_add(size).saturating_add(size % 2);
    }
    let format = format.ok_or_else(|| WavError::Unsupported("no format chunk".to_owned()))?;
    let data = data.ok_or_else(|| WavError::Unsupported("no data chunk".to_owned()))?;
    let width = format.bytes_per_sample();
    let count = data.len() / width;
    let limit = longest.as_millis() * u128::from(format.sample_rate.get()) * u128::from(format.channels.get()) / 1000;
    if count as u128 > limit {
        return Err(WavError::TooLong);
    }
    // Whole frames only: a file cut off mid-frame loses its last partial frame.
    let frames = count / usize::from(format.channels.get());
    let used = &data[..frames * usize::from(format.channels.get()) * width];
    let samples = used.chunks_exact(width).map(|s| format.sample(s)).collect();
    Ok(Wav { channels: format.channels, sample_rate: format.sample_rate, samples })
}

/// How the samples are stored.
#[derive(Clone, Copy)]
enum Encoding {
    Integer,
    Float,
    ALaw,
    MuLaw,
}

/// What the format chunk says, checked.
struct Format {
    encoding: Encoding,
    bits: u16,
    channels: NonZero<u16>,
    sample_rate: NonZero<u32>,
}

impl Format {
    fn read(body: &[u8]) -> Result<Format, WavError> {
        let short = || WavError::Unsupported("format chunk too short".to_owned());
        let u16_at = |i: usize| body.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]])).ok_or_else(short);
        let mut tag = u16_at(0)?;
        let channels = NonZero::new(u16_at(2)?).ok_or_else(|| WavError::Unsupported("no channels".to_owned()))?;
        let rate = body.get(4..8).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok_or_else(short)?;
        // A rate outside real-world ones means a broken header: it is named, rather than the
        // file played as a click (4 GHz: a few samples) or a five-second drone (1 Hz).
        let sample_rate = NonZero::new(rate)
            .filter(|r| RATES.contains(&r.get()))
            .ok_or_else(|| WavError::Unsupported(format!("a sample rate of {rate} Hz")))?;
        let bits = u16_at(14)?;
        if tag == EXTENSIBLE {
            tag = u16_at(24)?;
        }
        let encoding = match (tag, bits) {
            (PCM, 8 | 16 | 24 | 32) => Encoding::Integer,
            (FLOAT, 32 | 64) => Encoding::Float,
            (A_LAW, 8) => Encoding::ALaw,
            (MU_LAW, 8) => Encoding::MuLaw,
            (PCM | FLOAT | A_LAW | MU_LAW, _) => return Err(WavError::Unsupported(format!("{bits}-bit samples"))),
            _ => return Err(WavError::Unsupported(format!("compressed (format {tag}); save it as 16-bit PCM"))),
        };
        Ok(Format { encoding, bits, channels, sample_rate })
    }

    fn bytes_per_sample(&self) -> usize {
        usize::from(self.bits / 8)
    }

    /// One sample's bytes (little endian) as -1.0..=1.0.
    fn sample(&self, b: &[u8]) -> f32 {
        match (self.encoding, self.bits) {
            (Encoding::Float, 32) => full_scale(f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            (Encoding::Float, _) => {
                full_scale(f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) as f32)
            }
            (Encoding::ALaw, _) => f32::from(a_law(b[0])) / 32_768.0,
            (Encoding::MuLaw, _) => f32::from(mu_law(b[0])) / 32_768.0,
            // 8-bit WAV is unsigned, centred on 128.
            (Encoding::Integer, 8) => (f32::from(b[0]) - 128.0) / 128.0,
            (Encoding::Integer, 16) => f32::from(i16::from_le_bytes([b[0], b[1]])) / 32_768.0,
            // 24 bits placed in the top of an i32 keep their sign.
            (Encoding::Integer, 24) => (i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8) as f32 / 8_388_608.0,
            (Encoding::Integer, _) => i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32 / 2_147_483_648.0,
        }
    }
}

/// A float sample kept within full scale, and a broken one (NaN, infinite) made silent: a bad
/// file must not blast noise at the top of the mix.
fn full_scale(sample: f32) -> f32 {
    if sample.is_finite() { sample.clamp(-1.0, 1.0) } else { 0.0 }
}

/// G.711 A-law to 16-bit: every other bit is inverted, then a sign, a 3-bit segment (a power
/// of two) and a 4-bit step within it.
fn a_law(byte: u8) -> i16 {
    let a = byte ^ 0x55;
    let step = i16::from(a & 0x0F) << 4;
    let magnitude = match (a >> 4) & 0x07 {
        0 => step + 8,
        1 => step + 0x108,
        segment => (step + 0x108) << (segment - 1),
    };
    if a & 0x80 == 0 { -magnitude } else { magnitude }
}

/// G.711 µ-law to 16-bit: all bits inverted, then a sign, a 3-bit exponent and a 4-bit
/// mantissa, with a bias of 0x84 that keeps the curve continuous through zero.
fn mu_law(byte: u8) -> i16 {
    const BIAS: i16 = 0x84;
    let u = !byte;
    let magnitude = ((i16::from(u & 0x0F) << 3) + BIAS) << ((u >> 4) & 0x07);
    if u & 0x80 == 0 { magnitude - BIAS } else { BIAS - magnitude }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    /// A WAV file as a writer would make it: `format` tag, `bits` per sample, the raw data.
    fn wav(format: u16, channels: u16, bits: u16, data: &[u8]) -> Vec<u8> {
        let mut fmt = Vec::new();
        let block = channels * bits / 8;
        fmt.extend_from_slice(&format.to_le_bytes());
        fmt.extend_from_slice(&channels.to_le_bytes());
        fmt.extend_from_slice(&8000u32.to_le_bytes());
        fmt.extend_from_slice(&(8000 * u32::from(block)).to_le_bytes());
        fmt.extend_from_slice(&block.to_le_bytes());
        fmt.extend_from_slice(&bits.to_le_bytes());
        if format == EXTENSIBLE {
            fmt.extend_from_slice(&22u16.to_le_bytes());
            fmt.extend_from_slice(&bits.to_le_bytes());
            fmt.extend_from_slice(&0u32.to_le_bytes());
            fmt.extend_from_slice(&FLOAT.to_le_bytes());
            fmt.extend_from_slice(&[0; 14]);
        }
        let mut out = b"RIFF\0\0\0\0WAVE".to_vec();
        // An odd-sized chunk the reader must skip, padding included.
        out.extend_from_slice(b"LIST\x03\0\0\0abc\0");
        out.extend_from_slice(b"fmt ");
        out.extend_from_slice(&(fmt.len() as u32).to_le_bytes());
        out.extend_from_slice(&fmt);
        out.extend_from_slice(b"data");
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(data);
        out
    }

    #[test]
    fn integer_samples_of_every_width_come_out_the_same() {
        let half_down = [(8, vec![64u8]), (16, vec![0, 0xC0]), (24, vec![0, 0, 0xC0]), (32, vec![0, 0, 0, 0xC0])];
        for (bits, bytes) in half_down {
            let decoded = decode(&wav(PCM, 1, bits, &bytes), SECOND).unwrap();
            assert_eq!(decoded.samples, [-0.5], "{bits}-bit");
        }
        let loudest = decode(&wav(PCM, 1, 16, &[0xFF, 0x7F, 0x00, 0x80]), SECOND).unwrap().samples;
        assert_eq!(loudest, [32_767.0 / 32_768.0, -1.0]);
    }

    #[test]
    fn float_and_extensible_files_are_read_with_their_channels() {
        let mut data = 0.25f32.to_le_bytes().to_vec();
        data.extend_from_slice(&(-0.75f32).to_le_bytes());
        let decoded = decode(&wav(EXTENSIBLE, 2, 32, &data), SECOND).unwrap();
        assert_eq!((decoded.channels.get(), decoded.sample_rate.get()), (2, 8000));
        assert_eq!(decoded.samples, [0.25, -0.75]);
        let double = decode(&wav(FLOAT, 1, 64, &0.5f64.to_le_bytes()), SECOND).unwrap();
        assert_eq!(double.samples, [0.5]);
        let mut broken = f32::NAN.to_le_bytes().to_vec();
        broken.extend_from_slice(&7.5f32.to_le_bytes());
        assert_eq!(decode(&wav(FLOAT, 1, 32, &broken), SECOND).unwrap().samples, [0.0, 1.0], "silent, then clipped");
    }

    #[test]
    fn telephone_encodings_decode_to_their_standard_values() {
        // G.711's own table ends: silence, the smallest steps and the loudest values.
        assert_eq!([mu_law(0xFF), mu_law(0x7F), mu_law(0x80), mu_law(0x00)], [0, 0, 32_124, -32_124]);
        assert_eq!([a_law(0xD5), a_law(0x55), a_law(0xAA), a_law(0x2A)], [8, -8, 32_256, -32_256]);
        let decoded = decode(&wav(MU_LAW, 1, 8, &[0x80, 0xFF]), SECOND).unwrap();
        assert_eq!(decoded.samples, [32_124.0 / 32_768.0, 0.0]);
    }

    #[test]
    fn a_data_size_past_the_end_reads_what_is_there_as_espeak_writes_it() {
        let mut bytes = wav(PCM, 2, 16, &[0, 0x40, 0, 0xC0, 0, 0x40]);
        let size_at = bytes.len() - 6 - 4;
        bytes[size_at..size_at + 4].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
        // Three samples in two channels: the partial frame at the end is dropped.
        assert_eq!(decode(&bytes, SECOND).unwrap().samples, [0.5, -0.5]);
    }

    #[test]
    fn what_cannot_be_read_says_why() {
        assert_eq!(decode(b"[not] = \"a sound\"\n", SECOND), Err(WavError::NotWav));
        assert_eq!(decode(b"RIFF", SECOND), Err(WavError::NotWav));
        let adpcm = decode(&wav(2, 1, 4, &[0; 8]), SECOND).unwrap_err().to_string();
        assert_eq!(adpcm, "cannot decode it: compressed (format 2); save it as 16-bit PCM");
        let twelve = decode(&wav(PCM, 1, 12, &[0; 8]), SECOND).unwrap_err().to_string();
        assert_eq!(twelve, "cannot decode it: 12-bit samples");
        let mut fast = wav(PCM, 1, 16, &[0; 4]);
        fast[24 + 12..28 + 12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode(&fast, SECOND).unwrap_err().to_string(), "cannot decode it: a sample rate of 4294967295 Hz");
        let no_data = b"RIFF\0\0\0\0WAVEfmt \x02\0\0\0\x01\0".to_vec();
        assert_eq!(decode(&no_data, SECOND).unwrap_err().to_string(), "cannot decode it: format chunk too short");
        // 15 samples at 8,000 a second last 1.875 ms.
        assert_eq!(decode(&wav(PCM, 1, 16, &[0; 30]), Duration::from_millis(1)), Err(WavError::TooLong));
        assert_eq!(decode(&wav(PCM, 1, 16, &[0; 30]), Duration::from_millis(2)).unwrap().samples.len(), 15);
    }

    proptest::proptest! {
        /// A user's cue file is untrusted: any bytes after a valid-looking start give samples or
        /// a reason, never a panic, and never more samples than five seconds allow.
        #[test]
        fn any_bytes_give_samples_or_a_reason(tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
                                              format in 0u16..8, bits in 0u16..70, channels in 0u16..4) {
            let mut bytes = wav(format, channels, bits, &tail[..tail.len() / 2]);
            bytes.extend_from_slice(&tail[tail.len() / 2..]);
            if let Ok(w) = decode(&bytes, Duration::from_secs(5)) {
                let most = 5 * u64::from(w.sample_rate.get()) * u64::from(w.channels.get());
                proptest::prop_assert!(w.samples.len() as u64 <= most);
                proptest::prop_assert!(w.samples.iter().all(|s| (-1.0..=1.0).contains(s)));
            }
            let _ = decode(&tail, Duration::from_secs(5));
        }
    }
}
