//! `supple run <ROUTINE>`: resolves the routine and hands it to the session runtime with the
//! sound output and history recorder of this build.

use crate::command::{CommandResult, Failure};
use crate::paths::Paths;
use crate::record::Status;
use crate::routine::library::Library;
use crate::runtime::memory_recorder::MemoryRecorder;
use crate::runtime::muted_sink::MutedSink;
use crate::runtime::{self, Mode, Options, RunSpec};
use crate::ui::theme::Theme;

/// Runs the routine named (or pointed to) by `routine`. An interrupted session (signal, lost
/// terminal) exits with status 1 after its summary line; completed and stopped ones with 0.
pub fn run(routine: &str, mute: bool, plain: bool, paths: &Paths) -> CommandResult {
    let library = Library::load(paths);
    let (entry, routine) = library.resolve(routine).map_err(|e| Failure::new(e.to_string()))?;
    let options = Options {
        mode: Mode::choose(plain),
        theme: Theme::from_no_color(std::env::var_os("NO_COLOR").as_deref()),
        muted: mute,
    };
    // Until the audio and history branches are wired in: a sink that plays nothing and a
    // recorder that keeps nothing, both of which say so on screen.
    let mut sink = MutedSink::default();
    let mut recorder = MemoryRecorder::default();
    let spec = RunSpec { routine: &routine, name: &entry.stem, hash: &entry.hash };
    match runtime::run(spec, options, &mut sink, &mut recorder) {
        Ok(record) if record.status == Status::Interrupted => Err(Failure::reported()),
        Ok(_) => Ok(()),
        Err(e) => Err(Failure::new(e.to_string())),
    }
}
