//! The `supple` binary: parses the command line, runs one command, maps the outcome to an exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use supple::cli::{Cli, Command};
use supple::command::{self, Context};
use supple::streak::StreakSettings;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(command) = cli.command else {
        println!("supple");
        return ExitCode::SUCCESS;
    };
    let ctx = Context {
        paths: supple::paths::Paths::from_env(),
        now: supple::clock::Clock.wall(),
        settings: StreakSettings::default(),
        stdout_is_terminal: std::io::stdout().is_terminal(),
    };
    let mut out = std::io::BufWriter::new(QuietPipe(std::io::stdout().lock()));
    let result = match &command {
        Command::History(args) => command::history::history(args, &ctx, &mut out),
        Command::Stats(args) => command::stats::stats(args, &ctx, &mut out),
        Command::Export(args) => command::history::export(args, &ctx, &mut out),
        Command::Import(args) => command::history::import(args, &ctx, &mut out),
        Command::Log(args) => command::log::log(args, &ctx, &mut out),
        Command::Excuse(args) => command::log::excuse(args, &ctx, &mut out),
    };
    let flushed = out.flush();
    match result {
        Ok(()) => match flushed {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("supple: cannot write the output: {e}");
                ExitCode::from(1)
            }
        },
        Err(message) => {
            eprintln!("supple: {message}");
            ExitCode::from(1)
        }
    }
}

/// Standard output that goes quiet once the reader is gone (`supple history | head`): the
/// rest of the output is dropped instead of failing the command with "broken pipe".
struct QuietPipe<W>(W);

impl<W: Write> Write for QuietPipe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.0.write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(buf.len()),
            other => other,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.0.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
}
