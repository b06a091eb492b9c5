//! The real output device: rodio 0.23 (on cpal, on ALSA under Linux). This is the only file
//! that touches the audio stack; the engine decides when it is opened and closed.
//!
//! Nothing here may print: rodio's default stream-error callback and its "Dropping
//! `DeviceSink`" message both write to stderr, so we install our own callback (errors go back
//! to the engine) and turn the drop message off. What ALSA itself writes to fd 2 is kept off
//! the screen by `QuietStderr`.

use rodio::cpal::traits::HostTrait;
use rodio::cpal::{self, BufferSize};
use rodio::{DeviceSinkBuilder, DeviceTrait, MixerDeviceSink, Source};

use crate::audio::engine::{Device, Output, StreamFailed};
use crate::audio::sounds::Sound;
use crate::sanitize;

/// The device period the stream asks for, in milliseconds. A sound added to the mixer starts
/// at the next period and is heard after the (two-period) device buffer, so a 10 ms period
/// keeps a cue within about 20-30 ms of its moment. rodio's default (about 46 ms periods)
/// would make cues up to ~90 ms late. The cost, more wakeups while the stream is open, is
/// paid only around cues.
pub const PERIOD_MS: u32 = 10;

/// The system's default output device, opened through rodio.
#[derive(Debug)]
pub struct RodioDevice {
    period_ms: u32,
}

impl Default for RodioDevice {
    fn default() -> Self {
        RodioDevice { period_ms: PERIOD_MS }
    }
}

impl RodioDevice {
    /// A device asking for another period than [`PERIOD_MS`]: for measuring the trade-off
    /// between cue latency and wakeups (`examples/idle_cues.rs`).
    pub fn with_period_ms(period_ms: u32) -> RodioDevice {
        RodioDevice { period_ms: period_ms.max(1) }
    }
}

/// An open rodio output stream; dropping it closes the stream.
pub struct RodioOutput {
    sink: MixerDeviceSink,
    device: String,
    host: String,
}

impl Device for RodioDevice {
    type Output = RodioOutput;

    fn open(&mut self, failed: StreamFailed) -> Result<RodioOutput, String> {
        let host = cpal::default_host();
        let host_name = host.id().name().to_owned();
        let device = host.default_output_device().ok_or_else(|| format!("no default output device ({host_name})"))?;
        let device_name = device.description().map_or_else(|_| "default".to_owned(), |d| sanitize::line(d.name()));
        let config = device.default_output_config().map_err(|e| open_failure(&e, &host_name))?;
        let period = (config.sample_rate() * self.period_ms / 1000).max(64);
        let on_error = move |e: cpal::Error| {
            if is_fatal(e.kind()) {
                failed.report(one_line(&e.to_string()));
            }
        };
        let builder = DeviceSinkBuilder::default()
            .with_device(device)
            .with_supported_config(&config)
            .with_buffer_size(BufferSize::Fixed(period))
            .with_error_callback(on_error);
        // A device that refuses our small period gets rodio's fallback configurations.
        let mut sink = builder.open_sink_or_fallback().map_err(|e| stream_failure(&e.to_string(), &host_name))?;
        sink.log_on_drop(false);
        Ok(RodioOutput { sink, device: device_name, host: host_name })
    }
}

impl RodioOutput {
    /// The open stream's mixer, for measuring tools (`examples/cue-latency.rs`).
    pub fn mixer(&self) -> &rodio::mixer::Mixer {
        self.sink.mixer()
    }

    /// Frames per second of the open stream.
    pub fn sample_rate(&self) -> u32 {
        self.sink.config().sample_rate().get()
    }
}

impl Output for RodioOutput {
    fn play(&mut self, sound: &Sound, volume: f32) {
        // Straight into the mixer rather than through a `Player`: each cue is its own source
        // that ends (and is dropped by the mixer) with the sound, cues may overlap without
        // queueing behind each other, and nothing lingers in the mixer while idle.
        self.sink.mixer().add(sound.source().amplify(volume));
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
