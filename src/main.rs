//! The `supple` binary: parses the command line, runs one command, maps the outcome to an exit code.

fn main() {
    println!("supple");
}
