//! The `omfang` binary: parses the command line and hands over to [`omfang::cli`].

use std::process::ExitCode;

fn main() -> ExitCode {
    omfang::cli::main()
}
