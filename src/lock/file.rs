//! Reading and writing `meshplug.lock`.

use crate::diag::Diagnostic;
use crate::diag::Places as _;
use crate::load::load_document;
use crate::lock::PinSource;
use crate::model::{Kind, Lock};
use std::path::Path;

/// The lock's file name, at the repository root.
pub const LOCK_FILE: &str = "meshplug.lock";

/// Read `ROOT/meshplug.lock`: `Ok(None)` when absent; diagnostics (file:line:col) when broken.
pub fn read(root: &Path) -> Result<Option<Lock>, Vec<Diagnostic>> {
    let path = root.join(LOCK_FILE);
    let bytes = match crate::load::read_in_repo(root, LOCK_FILE) {
        Ok(Ok(b)) => b,
        Ok(Err(d)) => return Err(vec![d]),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(vec![
                Diagnostic::new(
                    &crate::diag::rule::YAML_SYNTAX,
                    format!("cannot read {}: {e}", path.display()),
                )
                .help("check the file's permissions"),
            ]);
        }
    };
    parse(bytes).map(Some)
}

/// Parse the bytes of a `meshplug.lock`; diagnostics (file:line:col) when broken.
pub fn parse(bytes: Vec<u8>) -> Result<Lock, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    match load_document::<Lock>(LOCK_FILE, bytes, Kind::Lock, &mut diags) {
        Some(l) => {
            let twice = duplicate_urls(&l);
            if twice.is_empty() {
                Ok(l.item)
            } else {
                Err(twice)
            }
        }
        None => {
            for d in &mut diags {
                if d.help.is_none() {
                    d.help = Some(
                        "meshplug.lock is generated: delete it and run `meshplug lock`".into(),
                    );
                }
            }
            Err(diags)
        }
    }
}

/// A url pinned twice (a bad merge, or a hand edit): which pin wins would be a guess.
fn duplicate_urls(l: &crate::load::Loaded<Lock>) -> Vec<Diagnostic> {
    let mut seen = std::collections::BTreeMap::new();
    let mut out = Vec::new();
    for (i, m) in l.item.modules.iter().enumerate() {
        if let Some(first) = seen.insert(m.url.as_str(), i) {
            out.push(
                l.doc
                    .diag(
                        &crate::diag::rule::SCHEMA,
                        &format!("/modules/{i}/url"),
                        format!(
                            "{} is pinned twice (also on line {})",
                            m.url,
                            l.doc.line(&format!("/modules/{first}/url"))
                        ),
                    )
                    .label("pinned again")
                    .help("meshplug.lock is generated: resolve the merge by deleting it and running `meshplug lock`"),
            );
            seen.insert(m.url.as_str(), first);
        }
    }
    out
}

/// Write the lock through a temporary file and a rename; nothing is written when the content is
/// unchanged. Returns whether the file changed.
pub fn write(root: &Path, lock: &Lock) -> std::io::Result<bool> {
    let path = root.join(LOCK_FILE);
    let text = lock.to_yaml();
    if std::fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
        return Ok(false);
    }
    crate::atomic::write_atomic(&path, text.as_bytes())?;
    Ok(true)
}

impl PinSource for Lock {
    fn pin(&self, url: &str) -> Option<String> {
        self.get(url).map(|m| m.sha256.clone())
    }
}
