//! Writing the rendered tree atomically, and comparing it with what is on disk (`--check`).

pub use crate::atomic::{MARKER, Tree, write_output, write_output_marked};
use std::io;
use std::path::{Path, PathBuf};

/// `p` made absolute, with `.` and `..` resolved and symlinks of its existing prefix followed.
fn resolved(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    normalize(&p)
}

/// Refuse an output directory configured in the repository (`spec.output`) that resolves, through
/// a symlink, to a place outside the repository: a repository must not make meshplug write
/// elsewhere on the machine.
pub fn output_inside(root: &Path, out: &Path) -> Result<(), String> {
    let (root, resolved_out) = (resolved(root), resolved(out));
    if resolved_out.starts_with(&root) {
        Ok(())
    } else {
        Err(format!(
            "spec.output {} resolves to {}, outside the repository (through a symlink)",
            out.display(),
            resolved_out.display()
        ))
    }
}

/// Refuse output directories that would destroy or feed back into the repository: the root, a
/// parent of it, or anything that contains or lies inside an input directory.
pub fn output_guard(root: &Path, out: &Path, inputs: &[PathBuf]) -> Result<(), String> {
    let abs = resolved;
    let (root, out) = (abs(root), abs(out));
    if root.starts_with(&out) {
        return Err(format!(
            "the output dir {} is the repository root or a parent of it",
            out.display()
        ));
    }
    for input in inputs {
        let input = abs(input);
        if input.starts_with(&out) || out.starts_with(&input) {
            return Err(format!(
                "the output dir {} overlaps the input dir {}",
                out.display(),
                input.display()
            ));
        }
    }
    Ok(())
}

/// Lexically resolve `.` and `..` and follow symlinks of the existing prefix.
fn normalize(p: &Path) -> PathBuf {
    let mut existing = p.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        if part == ".." {
            out.pop();
        } else if part != "." {
            out.push(part);
        }
    }
    out
}

/// How the tree on disk differs from the rendered one.
#[derive(Debug, Default)]
pub struct CheckResult {
    /// Unified diffs of changed files, then lines for added and removed ones.
    pub report: String,
    /// Number of files that differ.
    pub drifted: usize,
}

/// Compare `files` with the tree at `out`, reading one file on disk at a time.
pub fn check_output(out: &Path, files: &dyn Tree) -> io::Result<CheckResult> {
    let base = out.display().to_string();
    // Findings by path, so the report is in path order however the tree is walked.
    let mut findings = std::collections::BTreeMap::new();
    let mut rendered = std::collections::HashSet::new();
    files.each_file(&mut |rel, text| {
        rendered.insert(rel.to_string());
        match std::fs::read(out.join(rel)) {
            Ok(old) if old == text.as_bytes() => {}
            Ok(old) => {
                let old = String::from_utf8_lossy(&old);
                let diff = similar::TextDiff::from_lines(old.as_ref(), text);
                findings.insert(
                    rel.to_string(),
                    diff.unified_diff()
                        .header(
                            &format!("{base}/{rel}"),
                            &format!("{base}/{rel} (rendered)"),
                        )
                        .to_string(),
                );
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound || out.join(rel).is_dir() => {
                findings.insert(rel.to_string(), format!("missing: {base}/{rel}\n"));
            }
            Err(e) => return Err(e),
        }
        Ok(())
    })?;
    let mut stale = std::collections::BTreeSet::new();
    if out.exists() {
        for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
            let entry = entry.map_err(io::Error::other)?;
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                if rel != MARKER && !rendered.contains(&rel) {
                    stale.insert(rel);
                }
            }
        }
    }
    let mut result = CheckResult {
        drifted: findings.len() + stale.len(),
        report: findings.into_values().collect(),
    };
    for rel in stale {
        result
            .report
            .push_str(&format!("stale: {base}/{rel} (no binding renders it)\n"));
    }
    Ok(result)
}
