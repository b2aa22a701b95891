//! The OCI artifact Flux's `OCIRepository` reads (the layout `flux push artifact` writes): an
//! OCI image manifest with a Flux config blob and one tar+gzip layer of the manifests, built
//! so the same files always give the same digest.

use super::image::{BuiltImage, digest_of, media};
use flate2::{Compression, GzBuilder};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// Media type of the config blob.
pub const CONFIG_MEDIA_TYPE: &str = "application/vnd.cncf.flux.config.v1+json";
/// Media type of the content layer (what `OCIRepository`'s `layerSelector.mediaType` selects).
pub const CONTENT_MEDIA_TYPE: &str = "application/vnd.cncf.flux.content.v1.tar+gzip";
/// Manifest annotation: where the content comes from (a repository url).
pub const SOURCE_ANNOTATION: &str = "org.opencontainers.image.source";
/// Manifest annotation: the revision of that source (`branch@sha1:HEX`).
pub const REVISION_ANNOTATION: &str = "org.opencontainers.image.revision";

const BLOCK: usize = 512;

/// Build the artifact holding `files` (relative `/`-separated paths to contents). Annotations
/// with a `None` value are left out; nothing else in the manifest varies (no creation time).
pub fn build(
    files: &BTreeMap<String, String>,
    source: Option<&str>,
    revision: Option<&str>,
) -> Result<BuiltImage, String> {
    let tar_bytes = tar(files)?;
    let mut gz = GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), Compression::new(9));
    gz.write_all(&tar_bytes).expect("writing to memory");
    let layer = gz.finish().expect("writing to memory");
    let config = b"{}".to_vec();
    let mut annotations = BTreeMap::new();
    if let Some(s) = source {
        annotations.insert(SOURCE_ANNOTATION, s);
    }
    if let Some(r) = revision {
        annotations.insert(REVISION_ANNOTATION, r);
    }
    let descriptor = |media_type: &str, blob: &[u8]| serde_json::json!({"mediaType": media_type, "digest": digest_of(blob), "size": blob.len()});
    // serde_json's maps keep keys sorted (no preserve_order feature): a fixed byte layout.
    let mut manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": media::OCI_MANIFEST,
        "config": descriptor(CONFIG_MEDIA_TYPE, &config),
        "layers": [descriptor(CONTENT_MEDIA_TYPE, &layer)],
    });
    if !annotations.is_empty() {
        manifest["annotations"] = serde_json::json!(annotations);
    }
    Ok(BuiltImage {
        config,
        layer,
        manifest: serde_json::to_vec(&manifest).expect("json"),
    })
}

/// A ustar archive of `files` and their parent directories, in tree order (a directory before
/// what it holds, names sorted), with fixed metadata: mode 0644 for files and 0755 for
/// directories, uid and gid 0, no owner names, mtime 0.
pub fn tar(files: &BTreeMap<String, String>) -> Result<Vec<u8>, String> {
    let mut entries: BTreeSet<(Vec<&str>, bool)> = BTreeSet::new();
    for path in files.keys() {
        let parts: Vec<&str> = path.split('/').collect();
        if parts
            .iter()
            .any(|p| p.is_empty() || *p == "." || *p == "..")
        {
            return Err(format!("`{path}` is not a plain relative path"));
        }
        for depth in 1..parts.len() {
            entries.insert((parts[..depth].to_vec(), true));
        }
        entries.insert((parts, false));
    }
    let mut out = Vec::new();
    for (parts, is_dir) in &entries {
        let path = parts.join("/");
        if *is_dir {
            header(&mut out, &format!("{path}/"), b'5', 0o755, 0)?;
        } else {
            let data = files[&path].as_bytes();
            header(&mut out, &path, b'0', 0o644, data.len())?;
            out.extend_from_slice(data);
            out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
        }
    }
    out.extend_from_slice(&[0u8; BLOCK * 2]);
    Ok(out)
}

/// Append the header block(s) of one entry; a path longer than ustar's name field goes into its
/// prefix field when it splits at a `/`, else into a pax extended header before the entry.
fn header(
    out: &mut Vec<u8>,
    path: &str,
    typeflag: u8,
    mode: u32,
    size: usize,
) -> Result<(), String> {
    let (prefix, name) = split_ustar(path).unwrap_or_else(|| {
        let record = pax_record("path", path);
        // The pax header's own name is informational; readers take the path from its record.
        let _ = raw_header(out, "", "pax_path", b'x', 0o644, record.len());
        out.extend_from_slice(record.as_bytes());
        out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
        ("", truncate(path, 100))
    });
    raw_header(out, prefix, name, typeflag, mode, size)
}

fn truncate(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `(prefix, name)` for ustar, when `path` fits.
fn split_ustar(path: &str) -> Option<(&str, &str)> {
    if path.len() <= 100 {
        return Some(("", path));
    }
    // A directory's trailing `/` stays with its name.
    let body = path.strip_suffix('/').unwrap_or(path);
    body.char_indices()
        .filter(|&(_, c)| c == '/')
        .map(|(i, _)| (&path[..i], &path[i + 1..]))
        .find(|(prefix, name)| prefix.len() <= 155 && name.len() <= 100 && !name.is_empty())
}

/// One pax record `LEN key=value\n`, where LEN counts the whole record including itself.
fn pax_record(key: &str, value: &str) -> String {
    let body = format!(" {key}={value}\n");
    let mut len = body.len() + 1;
    while format!("{len}{body}").len() != len {
        len += 1;
    }
    format!("{len}{body}")
}

fn raw_header(
    out: &mut Vec<u8>,
    prefix: &str,
    name: &str,
    typeflag: u8,
    mode: u32,
    size: usize,
) -> Result<(), String> {
    let mut h = [0u8; BLOCK];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h[100..108].copy_from_slice(format!("{mode:07o}\0").as_bytes());
    h[108..116].copy_from_slice(b"0000000\0");
    h[116..124].copy_from_slice(b"0000000\0");
    if size >= 1 << 33 {
        return Err(format!("{name}: {size} bytes is too large for a tar entry"));
    }
    h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    h[136..148].copy_from_slice(b"00000000000\0");
    h[156] = typeflag;
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[329..337].copy_from_slice(b"0000000\0");
    h[337..345].copy_from_slice(b"0000000\0");
    h[345..345 + prefix.len()].copy_from_slice(prefix.as_bytes());
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    out.extend_from_slice(&h);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::image::tar::entries;

    fn files(list: &[(&str, &str)]) -> BTreeMap<String, String> {
        list.iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn same_files_same_digest_and_readable_back() {
        let long = format!("{}/{}.yaml", "n".repeat(63), "w".repeat(63));
        let f = files(&[
            ("kustomization.yaml", "resources: [a]\n"),
            ("a/x.yaml", "kind: WasmPlugin\n"),
            ("a-b/y.yaml", "kind: WasmPlugin\n"),
            (long.as_str(), "long\n"),
        ]);
        let a = build(
            &f,
            Some("https://git.example.com/r.git"),
            Some("main@sha1:00"),
        )
        .unwrap();
        let b = build(
            &f,
            Some("https://git.example.com/r.git"),
            Some("main@sha1:00"),
        )
        .unwrap();
        assert_eq!(a.digest(), b.digest());
        assert_ne!(a.digest(), build(&f, None, None).unwrap().digest());
        let t = tar(&f).unwrap();
        let names: Vec<String> = entries(&t)
            .unwrap()
            .iter()
            .map(|e| e.name.clone())
            .collect();
        assert_eq!(
            names,
            [
                "a/x.yaml",
                "a-b/y.yaml",
                "kustomization.yaml",
                long.as_str()
            ]
        );
        // gzip header: no name flag, mtime 0.
        assert_eq!(&a.layer[3..8], &[0, 0, 0, 0, 0]);
        let m: serde_json::Value = serde_json::from_slice(&a.manifest).unwrap();
        assert_eq!(m["config"]["mediaType"], CONFIG_MEDIA_TYPE);
        assert_eq!(m["layers"][0]["mediaType"], CONTENT_MEDIA_TYPE);
        assert_eq!(m["annotations"][REVISION_ANNOTATION], "main@sha1:00");
        assert!(
            build(&f, None, None)
                .unwrap()
                .manifest
                .windows(11)
                .all(|w| w != b"annotations")
        );
    }

    #[test]
    fn paths_too_long_for_ustar_use_pax() {
        let long = format!("{}.yaml", "x".repeat(200));
        let t = tar(&files(&[(long.as_str(), "y\n")])).unwrap();
        let e = entries(&t).unwrap();
        assert_eq!(
            (e.len(), e[0].name.as_str(), e[0].data),
            (1, long.as_str(), &b"y\n"[..])
        );
        assert_eq!(pax_record("path", "ab"), "11 path=ab\n");
        assert!(tar(&files(&[("../x", "")])).is_err());
    }
}
