//! Spoken announcements (config `voice = true`): the exercise, the side and what comes next,
//! said by a local speech program (espeak-ng) and played through the same output as the cues.
//!
//! The program writes a WAV to its stdout, which is decoded and mixed like a cue, so a tick or
//! "go" never cuts a sentence off and a sentence never delays a cue. Speech is made on a
//! short-lived thread because espeak-ng takes a few tens of milliseconds to start.

use std::path::PathBuf;
use std::process::{Command as Process, Stdio};
use std::sync::mpsc::Sender;

use super::engine::Command;
use super::sounds::Sound;

/// Programs tried in order; both accept `--stdout` and write a WAV.
const PROGRAMS: [&str; 2] = ["espeak-ng", "espeak"];
/// Words per minute: a little slower than espeak's default, for someone mid-stretch.
const SPEED: &str = "150";

/// A speech program found on `PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voice {
    program: PathBuf,
}

impl Voice {
    /// The first speech program on `PATH`, if any.
    #[must_use]
    pub fn find() -> Option<Voice> {
        let path = std::env::var_os("PATH")?;
        PROGRAMS.iter().find_map(|name| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
                .map(|program| Voice { program })
        })
    }

    /// The program's file name, for `doctor`.
    #[must_use]
    pub fn name(&self) -> String {
        self.program.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }

    /// Says `text` without blocking: the sentence is made on its own thread and handed to the
    /// audio thread when ready. A failing program is silently skipped: voice is a nicety and
    /// the cues still sound.
    pub fn speak(&self, text: &str, audio: Sender<Command>) {
        // Routine text is passed as one argument, never through a shell; espeak-ng reads it
        // as plain text (no SSML without -m), so nothing in a name can run or inject anything.
        let (program, text) = (self.program.clone(), text.to_owned());
        let _ = std::thread::Builder::new().name("supple-voice".to_owned()).spawn(move || {
            let output = Process::new(&program)
                .args(["--stdout", "-s", SPEED, "--", &text])
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .output();
            let wav = output.ok().filter(|o| o.status.success() && !o.stdout.is_empty()).map(|o| o.stdout);
            if let Some(sound) = wav.and_then(|bytes| Sound::decode(&bytes).ok()) {
                let _ = audio.send(Command::Speak(Box::new(sound)));
            }
        });
    }
}
