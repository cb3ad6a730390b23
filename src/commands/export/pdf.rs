//! PDF printing for `export --format pdf`: finds Chromium and prints one self-contained HTML
//! guide with it, headless, from a throwaway page and profile. Knows nothing of guides.
//!
//! The page's margins (address, as-of date, "Page N of M") are the HTML's own CSS `@page`
//! margin boxes, which Chromium prints from version 131 on; Chromium's own header and footer
//! (a date, the temp file's `file://` address) stay off.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use super::ExportError;

/// How long Chromium may take to print one guide.
const PRINT_TIMEOUT: Duration = Duration::from_secs(90);

/// The first Chromium that prints CSS `@page` margin boxes.
const MARGIN_BOXES_SINCE: u32 = 131;

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
    let status = wait(&mut child, PRINT_TIMEOUT)?.ok_or_else(|| {
        ExportError::Browser(format!("no PDF after {} s", PRINT_TIMEOUT.as_secs()))
    })?;
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

/// Waits for `child` up to `timeout`; on timeout it is killed and the answer is `None`.
fn wait(child: &mut Child, timeout: Duration) -> Result<Option<ExitStatus>, ExportError> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(Some(status)),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Ok(None);
            }
            Err(e) => return Err(ExportError::io("cannot wait for Chromium", e)),
        }
    }
}

/// A warning when `browser` is a Chromium too old to print the page margins (page numbers,
/// address, as-of date); nothing when it is recent enough or its version cannot be told.
pub fn margins_warning(browser: &Path) -> Option<String> {
    let tmp = tempfile::tempdir().ok()?;
    let out = tmp.path().join("version");
    let mut child = Command::new(browser)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).ok()?)
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    wait(&mut child, Duration::from_secs(15)).ok()??;
    let major = major_version(&std::fs::read_to_string(&out).ok()?)?;
    (major < MARGIN_BOXES_SINCE).then(|| {
        format!(
            "Chromium {major} prints no page numbers, address or date in the PDF's margins \
             (CSS @page margin boxes need Chromium {MARGIN_BOXES_SINCE} or later); update it"
        )
    })
}

/// The major version in `chromium --version`'s answer (`Chromium 156.0.8078.114 built on …`).
fn major_version(answer: &str) -> Option<u32> {
    answer
        .split_whitespace()
        .find(|w| w.contains('.') && w.starts_with(|c: char| c.is_ascii_digit()))?
        .split('.')
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::major_version;

    #[test]
    fn reads_the_major_version() {
        let debian = "Chromium 156.0.8078.114 built on Debian GNU/Linux 12 (bookworm)\n";
        assert_eq!(major_version(debian), Some(156));
        assert_eq!(major_version("Google Chrome 120.0.6099.71 "), Some(120));
        assert_eq!(major_version("chromium: not found"), None);
    }
}
