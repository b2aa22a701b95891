//! Reading and writing `meshplug.lock`.

use crate::check::Diagnostic;
use crate::load::load_document;
use crate::model::{Kind, Lock};
use crate::render::PinSource;
use std::path::Path;

/// The lock's file name, at the repository root.
pub const LOCK_FILE: &str = "meshplug.lock";

/// Read `ROOT/meshplug.lock`: `Ok(None)` when absent; diagnostics (file:line:col) when broken.
pub fn read(root: &Path) -> Result<Option<Lock>, Vec<Diagnostic>> {
    let path = root.join(LOCK_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(vec![
                Diagnostic::new(
                    &crate::check::rules::YAML,
                    format!("cannot read {}: {e}", path.display()),
                )
                .help("check the file's permissions"),
            ]);
        }
    };
    let mut diags = Vec::new();
    match load_document::<Lock>(LOCK_FILE, bytes, Kind::Lock, &mut diags) {
        Some(l) => Ok(Some(l.item)),
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

/// Write the lock through a temporary file and a rename; nothing is written when the content is
/// unchanged. Returns whether the file changed.
pub fn write(root: &Path, lock: &Lock) -> std::io::Result<bool> {
    let path = root.join(LOCK_FILE);
    let text = lock.to_yaml();
    if std::fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
        return Ok(false);
    }
    crate::edit::write_atomic(&path, text.as_bytes())?;
    Ok(true)
}

impl PinSource for Lock {
    fn pin(&self, url: &str) -> Option<String> {
        self.get(url).map(|m| m.sha256.clone())
    }
}
