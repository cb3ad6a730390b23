//! The `explainer export` command at the CLI edge: builds the site, exports each region in
//! each format, and writes the files; every problem goes through `report::eprint`. How a
//! guide becomes a file is the rest of `commands::export`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::commands::export::{ExportError, Exporter, Format};
use crate::commands::fail;
use crate::diagnostics::report::{counts, eprint};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pipeline;

impl From<ExportError> for Diagnostic {
    /// A template error as it was located; any other with its help line, where there is one.
    fn from(e: ExportError) -> Diagnostic {
        let help = e.help();
        match e {
            ExportError::Template(d) => d,
            e => {
                let d = Diagnostic::error(None, e.to_string());
                match help {
                    Some(help) => d.with_help(help),
                    None => d,
                }
            }
        }
    }
}

/// `export`: `region` (or every region when `None`) in each of `formats`, into `out` (a file,
/// or a folder when several files are written) or the current folder.
pub fn run(
    root: &Path,
    region: Option<&str>,
    formats: &[Format],
    out: Option<&Path>,
    options: &pipeline::Options,
) -> ExitCode {
    let built = match pipeline::build_with(root, options) {
        Ok(b) => b,
        Err(diags) => {
            eprint(root, &diags);
            eprintln!("export failed: {}", counts(&diags));
            return ExitCode::FAILURE;
        }
    };
    eprint(root, &built.warnings);
    let exporter = Exporter::new(&built);
    let regions = match region {
        Some(id) => match exporter.region(id) {
            Ok(r) => vec![r],
            Err(e) => return fail(root, e),
        },
        None => built.site.regions.iter().collect(),
    };
    let mut formats = formats.to_vec();
    formats.sort();
    formats.dedup();
    let into_dir = region.is_none() || formats.len() > 1 || out.is_some_and(Path::is_dir);
    let mut warned = BTreeSet::new();
    for r in regions {
        for &format in &formats {
            let name = format!("{}.{}", r.id, format.ext());
            let path = match out {
                Some(dir) if into_dir => dir.join(&name),
                Some(file) => file.to_path_buf(),
                None => PathBuf::from(&name),
            };
            let exported = match exporter.export(r, format) {
                Ok(x) => x,
                Err(e) => return fail(root, e),
            };
            for w in exported.warnings {
                if warned.insert(w.clone()) {
                    eprint(root, &Diagnostics(vec![Diagnostic::warning(None, w)]));
                }
            }
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            let written = parent.map_or(Ok(()), std::fs::create_dir_all);
            if let Err(e) = written.and_then(|()| std::fs::write(&path, &exported.bytes)) {
                let message = format!("cannot write {}: {e}", path.display());
                return fail(root, Diagnostic::error(None, message));
            }
            println!("exported {} ({}) to {}", r.id, format.ext(), path.display());
        }
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_errors_keep_their_help() {
        let d = Diagnostic::from(ExportError::UnknownRegion {
            id: "uk2".into(),
            help: "did you mean `uk`?".into(),
        });
        assert!(d.is_error() && d.loc.is_none());
        assert_eq!(d.message, "unknown region `uk2`");
        assert_eq!(d.help.as_deref(), Some("did you mean `uk`?"));
        let located = Diagnostic::error(
            Some(crate::diagnostics::Loc::new("templates/x.html", 2, 3)),
            "bad",
        );
        assert_eq!(
            Diagnostic::from(ExportError::Template(located.clone())),
            located
        );
        let d = Diagnostic::from(ExportError::NoBrowser);
        assert!(d.help.unwrap().contains("apt-get install chromium"));
    }
}
