//! The subcommands, a file each, between `main.rs` (which only parses arguments) and the
//! pipeline: `build`, `check`, `serve`, `export` (its CLI edge is `export::run`), `init` and `new`.
//! Every problem reaches the terminal through `diagnostics::report::eprint`.

pub mod build;
pub mod check;
pub mod diff;
pub mod export;
pub mod init;
pub mod new;
pub mod serve;

use std::path::Path;
use std::process::ExitCode;

use crate::diagnostics::report::eprint;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Reports one error of a command (a `WriteError`, `ServeError`, `InitError`, `ExportError`,
/// …, as a `Diagnostic`) the way every problem is reported, and fails.
pub fn fail(root: &Path, error: impl Into<Diagnostic>) -> ExitCode {
    eprint(root, &Diagnostics(vec![error.into()]));
    ExitCode::FAILURE
}
