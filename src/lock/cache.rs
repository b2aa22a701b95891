//! The module cache: module bytes by their sha256, in the user's cache directory, so the dry run
//! (`validate --run`, `replay`, `test`) works offline after `meshplug lock`. Every read is
//! verified against its name; a file that does not match is ignored.
//!
//! Besides the cache, directories of local builds (`spec.modules` of `meshplug.yaml`, e.g.
//! `examples/plugins`) are searched by content: any `.wasm` whose sha256 is the pin will do.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
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

/// The `.wasm` files directly in some directories (local builds), each hashed once: their
/// paths by sha256. The first file in directory then name order wins for equal bytes.
#[derive(Debug, Default)]
pub struct LocalModules {
    by_digest: BTreeMap<String, PathBuf>,
}

impl LocalModules {
    /// Hash every `.wasm` file directly in `dirs` (unreadable dirs and files are skipped).
    pub fn scan(dirs: &[PathBuf]) -> LocalModules {
        let mut by_digest = BTreeMap::new();
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
                if let Some(bytes) = read_bounded(&path) {
                    by_digest.entry(sha256_hex(&bytes)).or_insert(path);
                }
            }
        }
        LocalModules { by_digest }
    }
}

/// The module whose sha256 is `sha256`: from the cache, else from `local`. Bytes are verified
/// on every read; `None` when nothing matches.
pub fn find(sha256: &str, local: &LocalModules) -> Option<Vec<u8>> {
    if let Some(d) = dir()
        && let Some(bytes) = read_verified(&path_in(&d, sha256), sha256)
    {
        return Some(bytes);
    }
    local
        .by_digest
        .get(sha256)
        .and_then(|path| read_verified(path, sha256))
}

fn read_bounded(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_MODULE_BYTES {
        return None;
    }
    std::fs::read(path).ok()
}

fn read_verified(path: &Path, sha256: &str) -> Option<Vec<u8>> {
    read_bounded(path).filter(|bytes| sha256_hex(bytes) == sha256)
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
        let local = LocalModules::scan(&[dir.path().to_path_buf()]);
        // The user's cache is not consulted for a digest nobody stored.
        assert_eq!(find(&want, &local).unwrap(), good);
        assert_eq!(local.by_digest.get(&want), Some(&dir.path().join("b.wasm")));
        assert!(find(&sha256_hex(b"missing"), &local).is_none());
        // A local file changed after the scan is not used.
        std::fs::write(dir.path().join("b.wasm"), b"changed").unwrap();
        assert!(find(&want, &local).is_none());
        // A cached file whose bytes changed is not used.
        let cache = tempfile::tempdir().unwrap();
        let p = path_in(cache.path(), &want);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, b"tampered").unwrap();
        assert!(read_verified(&p, &want).is_none());
    }
}
