//! The module cache: module bytes by their sha256, in the user's cache directory, so the dry run
//! (`validate --run`, `replay`, `test`) works offline after `meshplug lock`. Every read is
//! verified against its name; a file that does not match is ignored.
//!
//! Besides the cache, directories of local builds (`spec.modules` of `meshplug.yaml`, e.g.
//! `examples/plugins`) are searched by content: any `.wasm` whose sha256 is the pin will do.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Module files larger than this are never read (Envoy's own limit is lower).
const MAX_MODULE_BYTES: u64 = 64 << 20;

/// The cache directory: `$MESHPLUG_CACHE_DIR`, else `$XDG_CACHE_HOME/meshplug`, else
/// `~/.cache/meshplug`. `None` when none of them can be determined.
pub fn dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("MESHPLUG_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d).join("meshplug"));
    }
    std::env::var_os("HOME")
        .filter(|d| !d.is_empty())
        .map(|h| PathBuf::from(h).join(".cache").join("meshplug"))
}

/// sha256 hex of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn path_in(dir: &Path, sha256: &str) -> PathBuf {
    dir.join("modules").join(format!("{sha256}.wasm"))
}

/// Keep `bytes` in the cache under their digest. Failures are ignored: the cache is an
/// optimisation, `lock` itself has succeeded.
pub fn store(bytes: &[u8]) {
    let Some(dir) = dir() else { return };
    let path = path_in(&dir, &sha256_hex(bytes));
    if !path.is_file() {
        let _ = crate::atomic::write_atomic(&path, bytes);
    }
}

/// Where a module was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// In the user's cache.
    Cache(PathBuf),
    /// A local build in one of the module directories.
    Local(PathBuf),
}

/// The module whose sha256 is `sha256`: from the cache, else from any `.wasm` file directly in
/// one of `dirs`. Bytes are verified; `None` when no file matches.
pub fn find(sha256: &str, dirs: &[PathBuf]) -> Option<(Vec<u8>, Found)> {
    if let Some(d) = dir() {
        let path = path_in(&d, sha256);
        if let Some(bytes) = read_verified(&path, sha256) {
            return Some((bytes, Found::Cache(path)));
        }
    }
    for d in dirs {
        let Ok(entries) = std::fs::read_dir(d) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
            .collect();
        files.sort();
        for path in files {
            if let Some(bytes) = read_verified(&path, sha256) {
                return Some((bytes, Found::Local(path)));
            }
        }
    }
    None
}

fn read_verified(path: &Path, sha256: &str) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_MODULE_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    (sha256_hex(&bytes) == sha256).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_bytes_that_match_their_digest() {
        let dir = tempfile::tempdir().unwrap();
        let good = b"\0asm\x01\0\0\0";
        std::fs::write(dir.path().join("a.wasm"), b"other bytes").unwrap();
        std::fs::write(dir.path().join("b.wasm"), good).unwrap();
        std::fs::write(dir.path().join("c.txt"), good).unwrap();
        let want = sha256_hex(good);
        let dirs = [dir.path().to_path_buf()];
        // The user's cache is not consulted for a digest nobody stored.
        let (bytes, found) = find(&want, &dirs).unwrap();
        assert_eq!(bytes, good);
        assert_eq!(found, Found::Local(dir.path().join("b.wasm")));
        assert!(find(&sha256_hex(b"missing"), &dirs).is_none());
        // A cached file whose bytes changed is not used.
        let cache = tempfile::tempdir().unwrap();
        let p = path_in(cache.path(), &want);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, b"tampered").unwrap();
        assert!(read_verified(&p, &want).is_none());
    }
}
