//! The command line (clap derive) and the commands behind it.

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::paths::Paths;
use crate::record::Status;
use crate::routine::library::Library;
use crate::runtime::memory_recorder::MemoryRecorder;
use crate::runtime::muted_sink::MutedSink;
use crate::runtime::{self, Mode, Options, RunSpec};
use crate::ui::theme::Theme;

/// A terminal coach for stretching and mobility routines.
#[derive(Debug, Parser)]
#[command(name = "supple", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a routine: countdowns, rep counters and cues, step by step.
    Run(RunArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A routine name (e.g. `post-ride`) or a path to a .toml file.
    pub routine: String,
    /// Start with sound off (`m` turns it back on).
    #[arg(long)]
    pub mute: bool,
    /// One line per step instead of the full screen (automatic when not on a terminal).
    #[arg(long)]
    pub plain: bool,
}

/// `supple run`: resolves the routine, runs it, and says how it ended.
#[must_use]
pub fn run(args: &RunArgs) -> ExitCode {
    let paths = Paths::from_env();
    let library = Library::load(&paths);
    let (entry, routine) = match library.resolve(&args.routine) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("supple: {e}");
            return ExitCode::from(1);
        }
    };
    let options = Options {
        mode: Mode::choose(args.plain),
        theme: Theme::from_no_color(std::env::var_os("NO_COLOR").as_deref()),
        muted: args.mute,
    };
    // Until the audio and history branches are wired in: an honest silent sink and an
    // in-memory recorder, both of which say so on screen.
    let mut sink = MutedSink::default();
    let mut recorder = MemoryRecorder::default();
    let spec = RunSpec { routine: &routine, name: &entry.stem, hash: &entry.hash };
    match runtime::run(spec, options, &mut sink, &mut recorder) {
        Ok(record) if record.status == Status::Interrupted => ExitCode::from(1),
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("supple: {e}");
            ExitCode::from(1)
        }
    }
}
