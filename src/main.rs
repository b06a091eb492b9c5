//! The `supple` binary: parses the command line, runs one command, maps the outcome to an
//! exit code (0 success, 1 user error, 2 usage error) with errors as short lines on stderr.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use supple::cli::{Cli, Command};
use supple::command::{self, CommandResult, Context, Failure};
use supple::config::{Config, Loaded};
use supple::paths::Paths;
use supple::streak::StreakSettings;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let paths = Paths::from_env();
    let loaded = Config::load(&paths.config_file());
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let instead = if loaded.whole_file { "using the default settings" } else { "using the default for it" };
    // `doctor` lists the config's problems in its own report; said here too, they came twice.
    let doctor = matches!(cli.command, Some(Command::Doctor));
    for problem in loaded.errors.iter().filter(|_| !doctor) {
        let _ = writeln!(err, "supple: {problem} ({instead})");
    }
    let ctx = Context {
        paths,
        now: supple::clock::Clock.wall(),
        settings: StreakSettings {
            week_goal: loaded.config.week_goal,
            week_start: loaded.config.week_start,
            day_starts_at: loaded.config.day_starts_at,
        },
        defaults: loaded.config.defaults,
    };
    // Buffered: `check` and `history` write thousands of lines; the flush below sends them.
    let mut out = io::BufWriter::new(QuietPipe(io::stdout().lock()));
    let result = dispatch(cli.command, &ctx, &loaded, &mut out, &mut err);
    let flushed = out.flush();
    match (result, flushed) {
        (Ok(()), Ok(())) => ExitCode::SUCCESS,
        (Ok(()), Err(e)) => {
            let _ = writeln!(err, "supple: cannot write the output: {e}");
            ExitCode::from(1)
        }
        (Err(Failure { message }), _) => {
            if let Some(message) = message {
                let _ = writeln!(err, "supple: {message}");
            }
            ExitCode::from(1)
        }
    }
}

fn dispatch(
    command: Option<Command>,
    ctx: &Context,
    loaded: &Loaded,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> CommandResult {
    let paths = &ctx.paths;
    let config = &loaded.config;
    let string_error = |r: Result<(), String>| r.map_err(Failure::new);
    match command {
        None => command::run::home(ctx, config),
        Some(Command::Run { routine, mute, plain }) => command::run::run(&routine, mute, plain, ctx, config),
        Some(Command::Check { paths: files }) => command::check::run(&files, &ctx.library(), out, err),
        Some(Command::List { json }) => command::list::run(&ctx.library(), &command::list::last_done(ctx), json, out),
        Some(Command::Show { routine }) => command::show::run(&routine, &ctx.library(), out),
        Some(Command::New { name }) => command::edit::new(&name, paths, config.defaults, out, err),
        Some(Command::Edit { routine }) => command::edit::edit(&routine, paths, config.defaults, out, err),
        Some(Command::Doctor) => command::doctor::run(ctx, loaded, &supple::audio::sound_check::device_line(), out),
        Some(Command::Sounds) => {
            let settings = supple::audio::AudioSettings::from_config(config);
            supple::audio::sound_check::run(&settings, out).map_err(|e| Failure::new(e.to_string()))
        }
        Some(Command::History(args)) => string_error(command::history::history(&args, ctx, config.checkin, out)),
        Some(Command::Stats(args)) => string_error(command::stats::stats(&args, ctx, config.checkin, out)),
        Some(Command::Export(args)) => string_error(command::history::export(&args, ctx, out)),
        Some(Command::Import(args)) => string_error(command::history::import(&args, ctx, out)),
        Some(Command::Log(args)) => string_error(command::log::log(&args, ctx, out)),
        Some(Command::Excuse(args)) => string_error(command::log::excuse(&args, ctx, out)),
    }
}

/// Standard output that goes quiet once the reader is gone (`supple history | head`): the
/// rest of the output is dropped instead of failing the command with "broken pipe".
struct QuietPipe<W>(W);

impl<W: Write> Write for QuietPipe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.0.write(buf) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(buf.len()),
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.0.flush() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
}
