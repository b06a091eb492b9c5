//! `supple sounds`: plays every cue once, naming it, after saying which device plays them (or
//! why none can). A quick way for a user to learn the cues and check the speakers.

use std::io::{self, Write};
use std::time::Duration;

use crate::audio::{AudioSettings, AudioSink, AudioStatus, QuietStderr, Sounds};
use crate::cue::{Cue, CueSink};
use crate::sanitize;

/// Silence after each cue, so that one cue is not heard as part of the next.
const GAP: Duration = Duration::from_millis(600);

/// How long opening the device may take before we give up and say so.
const OPEN_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs the check, writing to `out`. Exit status is success whether or not there is sound: a
/// missing device is an answer, not an error.
pub fn run(settings: &AudioSettings, out: &mut dyn Write) -> io::Result<()> {
    // ALSA prints its own errors to fd 2 while the device is probed; this command's output
    // goes to `out` (stdout), so diverting stderr hides only the audio stack's noise.
    let quiet = QuietStderr::divert_to_null();
    let (sounds, notices) = Sounds::load(&settings.files);
    for notice in &notices {
        writeln!(out, "{notice}")?;
    }
    let unmuted = AudioSettings { muted: false, ..settings.clone() };
    let mut sink = AudioSink::start(sounds.clone(), &unmuted);
    match sink.wait_for_status(OPEN_TIMEOUT) {
        AudioStatus::Ready { device, host } => {
            writeln!(out, "playing on {} ({})", sanitize::line(&device), sanitize::line(&host))?;
            for cue in Cue::ALL {
                writeln!(out, "  {}", cue.name())?;
                out.flush()?;
                sink.play(cue);
                std::thread::sleep(sounds.get(cue).duration() + GAP);
            }
            if let Some(notice) = sink.notice() {
                writeln!(out, "{notice}")?;
            }
        }
        AudioStatus::Unavailable { reason } | AudioStatus::Failed { reason } => {
            writeln!(out, "no audio device: {}", sanitize::line(&reason))?;
            writeln!(out, "cues will be shown as a flash on screen instead")?;
        }
        AudioStatus::Unknown => {
            writeln!(out, "no audio device: opening it took over {} s", OPEN_TIMEOUT.as_secs())?;
            writeln!(out, "cues will be shown as a flash on screen instead")?;
        }
    }
    // Close the device (after the last cue rings out) before stderr comes back.
    drop(sink);
    drop(quiet);
    Ok(())
}

/// The one-line audio status for `supple doctor`: the device cues play on, or why there is
/// none. Opens the device briefly (nothing is played) with ALSA's stderr diverted.
pub fn device_line() -> String {
    let quiet = QuietStderr::divert_to_null();
    let sink = AudioSink::start(Sounds::bundled(), &AudioSettings::default());
    let line = match sink.wait_for_status(OPEN_TIMEOUT) {
        AudioStatus::Ready { device, host } => format!("{} ({})", sanitize::line(&device), sanitize::line(&host)),
        AudioStatus::Unavailable { reason } | AudioStatus::Failed { reason } => {
            format!("none: {} (cues flash on screen)", sanitize::line(&reason))
        }
        AudioStatus::Unknown => format!("none: opening it took over {} s", OPEN_TIMEOUT.as_secs()),
    };
    drop(sink);
    drop(quiet);
    line
}
