//! The `supple` binary: parses the command line, runs one command, maps the outcome to an exit code.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use supple::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Run(args)) => supple::cli::run(&args),
        None => {
            let _ = Cli::command().print_help();
            ExitCode::from(2)
        }
    }
}
