//! PDF printing for `export --format pdf`: finds Chromium and prints one self-contained HTML
//! guide with it, headless, from a throwaway page and profile. Knows nothing of guides.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::ExportError;

/// How long Chromium may take to print one guide.
const PRINT_TIMEOUT: Duration = Duration::from_secs(90);

/// Chromium, to print PDFs: `$EXPLAINER_CHROMIUM` when set, else `/usr/bin/chromium`, else
/// `chromium` (or `chromium-browser`) on PATH.
pub fn chromium() -> Option<PathBuf> {
    if let Some(chosen) = std::env::var_os("EXPLAINER_CHROMIUM").map(PathBuf::from) {
        return chosen.is_file().then_some(chosen);
    }
    let fixed = PathBuf::from("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Prints `html` to PDF with headless Chromium, from a temp file and a fresh profile.
pub fn print_pdf(browser: &Path, html: &str) -> Result<Vec<u8>, ExportError> {
    let tmp = tempfile::tempdir().map_err(|e| ExportError::io("cannot make a temp folder", e))?;
    let (page, pdf, log) = (
        tmp.path().join("guide.html"),
        tmp.path().join("guide.pdf"),
        tmp.path().join("chromium.log"),
    );
    std::fs::write(&page, html)
        .map_err(|e| ExportError::io(format!("cannot write {}", page.display()), e))?;
    let log_file =
        std::fs::File::create(&log).map_err(|e| ExportError::io("cannot make a log file", e))?;
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
        ])
        .args([
            "--disable-component-update",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            tmp.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&page)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .map_err(|e| ExportError::io(format!("cannot run {}", browser.display()), e))?;
    let deadline = Instant::now() + PRINT_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ExportError::Browser(format!(
                    "no PDF after {} s",
                    PRINT_TIMEOUT.as_secs()
                )));
            }
            Err(e) => return Err(ExportError::io("cannot wait for Chromium", e)),
        }
    };
    match std::fs::read(&pdf) {
        Ok(bytes) if bytes.starts_with(b"%PDF-") => Ok(bytes),
        _ => {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            let lines: Vec<&str> = log.lines().collect();
            let tail = lines[lines.len().saturating_sub(5)..].join(" | ");
            Err(ExportError::Browser(format!("{status}; {tail}")))
        }
    }
}
