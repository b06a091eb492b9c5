//! The `supple` binary: parses the command line, runs one command, maps the outcome to an
//! exit code (0 success, 1 user error, 2 usage error) with errors as short lines on stderr.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use supple::cli::{Cli, Command};
use supple::command::{self, CommandResult, Failure};
use supple::paths::Paths;
use supple::routine::library::Library;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let paths = Paths::from_env();
    let stdout = io::stdout();
    let stderr = io::stderr();
    // Buffered: `check` and `history` write thousands of lines; the flush below sends them.
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    let result = dispatch(cli.command, &paths, &mut out, &mut err);
    let _ = out.flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `supple list | head` closes the pipe early: that is the reader's choice, not an error.
        Err(Failure { message: Some(m) }) if m.contains("Broken pipe") => ExitCode::SUCCESS,
        Err(Failure { message }) => {
            if let Some(message) = message {
                let _ = writeln!(err, "supple: {message}");
            }
            ExitCode::from(1)
        }
    }
}

fn dispatch(command: Option<Command>, paths: &Paths, out: &mut dyn Write, err: &mut dyn Write) -> CommandResult {
    match command {
        Some(Command::Run { routine, mute, plain }) => command::run::run(&routine, mute, plain, paths),
        Some(Command::Check { paths: files }) => command::check::run(&files, &Library::load(paths), out, err),
        Some(Command::List { json }) => {
            command::list::run(&Library::load(paths), &command::list::LastDone::new(), json, out)
        }
        Some(Command::Show { routine }) => command::show::run(&routine, &Library::load(paths), out),
        Some(Command::New { name }) => command::edit::new(&name, paths, out, err),
        Some(Command::Edit { routine }) => command::edit::edit(&routine, paths, out, err),
        None => Err(Failure::new("the home screen is not built yet; try `supple list` or `supple show post-ride`")),
    }
}
