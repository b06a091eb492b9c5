//! The real output device, on cpal (ALSA under Linux) as rodio uses it. This is the only file
//! that touches the audio stack; the engine decides when it is opened and closed.
//!
//! The stream is cpal's, through rodio's re-export, rather than rodio's `MixerDeviceSink`:
//! rodio's mixer starts a sound at whatever sample it happens to be rendering when the sound is
//! added, which with a large buffer is anywhere up to a buffer away from when it is heard. cpal
//! tells each refill when its first frame will be heard (`OutputCallbackInfo::timestamp`), and
//! that is what lets the [`Timeline`] put each cue on its moment while the device wakes us only
//! every [`PERIOD_MS`]. rodio still decodes every sound and converts it to the stream's rate
//! and channels.
//!
//! Nothing here may print: stream errors go back to the engine through our own callback, never
//! to stderr. What ALSA itself writes to fd 2 is kept off the screen by `QuietStderr`.

use std::collections::HashMap;
use std::num::NonZero;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use rodio::cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use rodio::cpal::{self, BufferSize, FromSample, SampleFormat, SizedSample, StreamConfig};
use rodio::source::UniformSourceIterator;

use crate::audio::engine::{Device, Output, StreamFailed, Timed};
use crate::audio::timeline::{Clip, Committed, Timeline, What};
use crate::clock::Clock;
use crate::sanitize;

/// The device period the stream asks for, in milliseconds: the device asks for more audio about
/// once a period. A sound server grants less and buffers more than asked: through `PulseAudio`,
/// 1 s gave 0.67 s periods and a 2 s buffer (2 s gave 1.33 s periods and over 5 s of buffer,
/// more than the runtime foresees, so every new cue needed a fresh stream). An open stream
/// then costs ~15 wakeups a second for us and the sound server together (10 ms periods cost
/// ~1,200), and cues still start on their moment because they are placed ahead (`Timeline`).
/// A device that refuses it gets its own default period: cues stay on time, the stream just
/// wakes more often.
pub const PERIOD_MS: u32 = 1000;

/// The format of the bundled cues and of espeak-ng's speech.
const CUE_RATE: u32 = 22_050;
const CUE_CHANNELS: u16 = 1;

/// Converted sounds kept per stream; speech adds one entry per utterance.
const MAX_CONVERTED: usize = 64;

/// The system's default output device.
pub struct RodioDevice {
    period_ms: u32,
    /// The audio host, kept from the first open. Under ALSA it holds the parsed configuration:
    /// once the last host, device and stream are dropped, cpal frees it, and the next open
    /// parses it again and reruns its hooks. Debian's `pulse.conf` has one that connects to
    /// the sound server to see whether it runs: one more client connection on every open.
    host: Option<cpal::Host>,
    /// The format found on the first open. Asking the device for its formats opens it (through
    /// a sound server: one more connection), so that is done once, not before every cue.
    format: Option<(StreamConfig, SampleFormat)>,
}

impl Default for RodioDevice {
    fn default() -> Self {
        RodioDevice::with_period_ms(PERIOD_MS)
    }
}

impl RodioDevice {
    /// A device asking for another period than [`PERIOD_MS`]: for measuring the trade-off
    /// between wakeups and how far ahead cues must be known (`examples/idle_cues.rs`).
    pub fn with_period_ms(period_ms: u32) -> RodioDevice {
        RodioDevice { period_ms: period_ms.max(1), host: None, format: None }
    }
}

impl std::fmt::Debug for RodioDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RodioDevice")
            .field("period_ms", &self.period_ms)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// An open output stream; dropping it closes the stream and drops what it had buffered.
pub struct RodioOutput {
    stream: cpal::Stream,
    timeline: Arc<Mutex<Timeline>>,
    config: StreamConfig,
    converted: HashMap<(What, u32), Arc<[f32]>>,
    device: String,
    host: String,
}

impl Device for RodioDevice {
    type Output = RodioOutput;

    fn open(&mut self, failed: StreamFailed, sounds: &[Timed], now: Instant) -> Result<RodioOutput, String> {
        let host = self.host.get_or_insert_with(cpal::default_host);
        let host_name = host.id().name().to_owned();
        let device = host.default_output_device().ok_or_else(|| format!("no default output device ({host_name})"))?;
        let device_name = device.description().map_or_else(|_| "default".to_owned(), |d| sanitize::line(d.name()));
        let (config, format) = match self.format {
            Some(known) => known,
            None => {
                let supported = match cue_format(&device) {
                    Some(cue) => cue,
                    None => device.default_output_config().map_err(|e| open_failure(&e, &host_name))?,
                };
                (supported.config(), supported.sample_format())
            }
        };
        let timeline = Arc::new(Mutex::new(Timeline::new(config.sample_rate, config.channels)));
        let period = (config.sample_rate * self.period_ms / 1000).max(64);
        let sized = StreamConfig { buffer_size: BufferSize::Fixed(period), ..config };
        let default = StreamConfig { buffer_size: BufferSize::Default, ..config };
        let stream = build(&device, sized, format, &timeline, &failed)
            .or_else(|_| build(&device, default, format, &timeline, &failed))
            .map_err(|e| {
                // The device may have changed since its format was learnt: ask again next time.
                self.format = None;
                stream_failure(&e.to_string(), &host_name)
            })?;
        let mut output = RodioOutput {
            stream,
            timeline,
            config,
            converted: HashMap::new(),
            device: device_name,
            host: host_name.clone(),
        };
        // cpal's worker renders nothing before `play`, so this cannot be refused.
        let _ = output.set_sounds(sounds, now);
        output.stream.play().map_err(|e| stream_failure(&e.to_string(), &host_name))?;
        self.format = Some((config, format));
        Ok(output)
    }
}

/// The cues' own format (mono, 16 bit, 22,050 Hz), when the device takes it, as a sound server
/// does. A second of it is 44 kB, against 384 kB in the usual 48 kHz stereo float: the device
/// moves a ninth of the data, and each refill wakes the program and the sound server fewer
/// times (opening a stream and filling its buffer cost some 70 wakeups of the server in
/// 48 kHz float). The server converts it for the hardware.
fn cue_format(device: &cpal::Device) -> Option<cpal::SupportedStreamConfig> {
    device
        .supported_output_configs()
        .ok()?
        .filter(|range| range.channels() == CUE_CHANNELS && range.sample_format() == SampleFormat::I16)
        .find_map(|range| range.try_with_sample_rate(CUE_RATE))
}

/// Builds a stream of samples of type `T` that plays `timeline`.
fn build_typed<T>(
    device: &cpal::Device,
    config: StreamConfig,
    timeline: &Arc<Mutex<Timeline>>,
    failed: &StreamFailed,
) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample + FromSample<f32>,
{
    let timeline = Arc::clone(timeline);
    let failed = failed.clone();
    let mut mix: Vec<f32> = Vec::new();
    let refill = move |data: &mut [T], info: &cpal::OutputCallbackInfo| {
        let stamp = info.timestamp();
        let heard_at = Clock.now() + stamp.playback.duration_since(stamp.callback);
        mix.resize(data.len(), 0.0);
        timeline.lock().unwrap_or_else(PoisonError::into_inner).render(&mut mix, heard_at);
        for (out, &sample) in data.iter_mut().zip(&mix) {
            *out = T::from_sample(sample);
        }
    };
    let on_error = move |e: cpal::Error| {
        if is_fatal(e.kind()) {
            failed.report(one_line(&e.to_string()));
        }
    };
    device.build_output_stream::<T, _, _>(config, refill, on_error, None)
}

/// Builds a stream in the device's own sample format.
fn build(
    device: &cpal::Device,
    config: StreamConfig,
    format: SampleFormat,
    timeline: &Arc<Mutex<Timeline>>,
    failed: &StreamFailed,
) -> Result<cpal::Stream, cpal::Error> {
    match format {
        SampleFormat::I16 => build_typed::<i16>(device, config, timeline, failed),
        SampleFormat::I32 => build_typed::<i32>(device, config, timeline, failed),
        SampleFormat::U16 => build_typed::<u16>(device, config, timeline, failed),
        SampleFormat::F64 => build_typed::<f64>(device, config, timeline, failed),
        // f32 is what nearly every device and sound server offers; try it for anything rarer.
        _ => build_typed::<f32>(device, config, timeline, failed),
    }
}

impl RodioOutput {
    /// The sound in this stream's format and at `volume`, converted once per stream.
    fn converted(&mut self, t: &Timed) -> Arc<[f32]> {
        if self.converted.len() > MAX_CONVERTED {
            self.converted.clear();
        }
        let (channels, rate) = (self.config.channels, self.config.sample_rate);
        self.converted
            .entry((t.key.what, t.volume.to_bits()))
            .or_insert_with(|| {
                let (Some(channels), Some(rate)) = (NonZero::new(channels), NonZero::new(rate)) else {
                    return Arc::from(Vec::new());
                };
                let volume = t.volume;
                UniformSourceIterator::new(t.sound.source(), channels, rate).map(|s| s * volume).collect()
            })
            .clone()
    }
}

impl Output for RodioOutput {
    fn set_sounds(&mut self, sounds: &[Timed], now: Instant) -> Result<(), Committed> {
        let clips = sounds.iter().map(|t| Clip { key: t.key, samples: self.converted(t) }).collect();
        self.timeline.lock().unwrap_or_else(PoisonError::into_inner).replace(clips, now)
    }

    fn committed_until(&self) -> Option<Instant> {
        self.timeline.lock().unwrap_or_else(PoisonError::into_inner).committed_until()
    }

    fn device(&self) -> (String, String) {
        (self.device.clone(), self.host.clone())
    }
}

/// Errors after which the stream will not play any more: cpal's ALSA worker stops only on
/// `DeviceNotAvailable`, other hosts ask for a rebuild with `StreamInvalidated`. Everything
/// else is survivable and must not close the stream: through the `PulseAudio` plugin, a loaded
/// machine reports bursts of `snd_pcm_avail_delay ... I/O error` (`BackendError`) while the
/// stream plays on, and treating those as fatal lost whole cues.
fn is_fatal(kind: cpal::ErrorKind) -> bool {
    matches!(
        kind,
        cpal::ErrorKind::DeviceNotAvailable | cpal::ErrorKind::StreamInvalidated | cpal::ErrorKind::HostUnavailable
    )
}

/// Why the device could not be opened, in words for a user: cpal's own text for a missing
/// card ("...may have been disconnected") suggests something was unplugged.
fn open_failure(e: &cpal::Error, host: &str) -> String {
    match e.kind() {
        cpal::ErrorKind::DeviceNotAvailable | cpal::ErrorKind::HostUnavailable => {
            format!("no sound card or sound server answered ({host})")
        }
        cpal::ErrorKind::DeviceBusy => format!("the sound device is busy ({host})"),
        cpal::ErrorKind::PermissionDenied => format!("no permission to use the sound device ({host})"),
        _ => stream_failure(&e.to_string(), host),
    }
}

/// Why the device or stream could not be opened. ALSA's "Connection refused" means its default device is
/// a sound server (`PulseAudio` or `PipeWire`) that is not running: say that in those words.
fn stream_failure(text: &str, host: &str) -> String {
    if text.contains("Connection refused") {
        format!("the sound server (PulseAudio or PipeWire) is not running ({host})")
    } else {
        one_line(&format!("{text} ({host})"))
    }
}

/// Error texts from the audio stack may span lines; the status line has one.
fn one_line(text: &str) -> String {
    sanitize::line(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_sound_server_is_named_and_other_errors_fit_on_one_line() {
        let refused = "ALSA function 'snd_pcm_open' failed with error 'Connection refused (111)'";
        assert_eq!(stream_failure(refused, "ALSA"), "the sound server (PulseAudio or PipeWire) is not running (ALSA)");
        let other = stream_failure("bad\nthing\u{7}", "ALSA");
        assert!(other.starts_with("bad thing"), "{other:?}");
        assert!(!other.chars().any(char::is_control), "{other:?}");
    }
}
