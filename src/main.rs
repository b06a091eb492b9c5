//! The `supple` binary: parses the command line, runs one command, maps the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use supple::audio::{self, AudioSettings};
use supple::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Sounds) => {
            let mut out = std::io::stdout().lock();
            match audio::sound_check::run(&AudioSettings::default(), &mut out) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("supple: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        None => {
            println!("supple");
            ExitCode::SUCCESS
        }
    }
}
