//! Getting the module out of what was downloaded, the way Istio's agent does it.

use super::tar;
use crate::artifact::wasm::MAX_MODULE_BYTES;
use std::io::Read;

/// How many gzip/tar wrappers https unboxing peels before giving up.
const MAX_WRAPPERS: usize = 8;

fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

fn is_wasm(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && bytes.starts_with(b"\0asm")
}

/// Gunzip (every member, like Go's reader), refusing output over Istio's module size limit.
pub fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(MAX_MODULE_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot gunzip: {e}"))?;
    if out.len() > MAX_MODULE_BYTES {
        return Err(format!(
            "the unpacked content exceeds Istio's {} MiB limit",
            MAX_MODULE_BYTES >> 20
        ));
    }
    Ok(out)
}

/// The `plugin.wasm` of a compat layer (tar+gzip): the first entry whose base name is
/// `plugin.wasm`, as Istio looks for it.
pub fn plugin_wasm_from_layer(layer: &[u8]) -> Result<Vec<u8>, String> {
    let tar_bytes = gunzip(layer).map_err(|e| format!("the layer is not a valid tar+gzip: {e}"))?;
    let entries = tar::entries(&tar_bytes)?;
    entries
        .iter()
        .find(|e| e.name.rsplit('/').next() == Some("plugin.wasm"))
        .map(|e| e.data.to_vec())
        .ok_or_else(|| {
            let names: Vec<&str> = entries.iter().take(10).map(|e| e.name.as_str()).collect();
            format!(
                "the layer has no file named plugin.wasm (it holds: {}); Istio only looks for plugin.wasm: rename the module, or publish it with `meshplug push`",
                if names.is_empty() { "nothing".into() } else { names.join(", ") }
            )
        })
}

/// Istio's http(s) unboxing: peel gzip and POSIX tar (first entry) wrappers until the bytes
/// start with `\0asm`. Returns the inner module, or the input when it cannot be unboxed.
pub fn unbox(download: &[u8]) -> Vec<u8> {
    let mut current = download.to_vec();
    for _ in 0..MAX_WRAPPERS {
        if is_wasm(&current) {
            return current;
        }
        let next = if tar::is_posix_tar(&current) {
            tar::entries(&current)
                .ok()
                .and_then(|e| e.into_iter().next().map(|e| e.data.to_vec()))
        } else if is_gzip(&current) {
            gunzip(&current).ok()
        } else {
            None
        };
        match next {
            Some(n) => current = n,
            None => return download.to_vec(),
        }
    }
    download.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    fn gz(b: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn unboxing_like_istio() {
        let wasm = b"\0asm\x01\0\0\0rest".to_vec();
        assert_eq!(unbox(&wasm), wasm);
        assert_eq!(unbox(&gz(&wasm)), wasm);
        assert_eq!(
            unbox(&gz(&tar::single_file("x/any-name.wasm", &wasm))),
            wasm
        );
        assert_eq!(unbox(&tar::single_file("m", &gz(&wasm))), wasm);
        // Not unboxable: returned as is (and the module check then fails on it).
        assert_eq!(unbox(b"<html>"), b"<html>");
        assert_eq!(unbox(&gz(b"text")), gz(b"text"));
    }

    #[test]
    fn compat_layers() {
        let wasm = b"\0asm\x01\0\0\0".to_vec();
        let layer = gz(&tar::single_file("./plugin.wasm", &wasm));
        assert_eq!(plugin_wasm_from_layer(&layer).unwrap(), wasm);
        let wrong = gz(&tar::single_file("filter.wasm", &wasm));
        assert!(
            plugin_wasm_from_layer(&wrong)
                .unwrap_err()
                .contains("filter.wasm")
        );
        assert!(
            plugin_wasm_from_layer(b"nope")
                .unwrap_err()
                .contains("tar+gzip")
        );
    }
}
