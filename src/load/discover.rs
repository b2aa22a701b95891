//! Find the catalog and binding files of a repository, refusing paths that leave it.

use super::Loaded;
use super::builtin;
use crate::diag::Places as _;
use crate::diag::{Diagnostic, rule};
use crate::model::{Kind, Marketplace};
use std::path::{Component, Path};

/// The catalog directory name that means "the catalog embedded in meshplug".
pub const BUILTIN: &str = "builtin";

/// A file to load.
pub struct FoundFile {
    /// Display path (repo-relative, `/`-separated, or `builtin:catalog/..`).
    pub display: String,
    /// What the directory it is in holds.
    pub kind: Kind,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Whether `p` is a relative path that stays inside the directory it is relative to.
pub fn is_safe_relative(p: &str) -> bool {
    let path = Path::new(p);
    !p.is_empty()
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Every YAML file of every catalog and bindings dir, in configuration then path order.
pub fn discover(
    root: &Path,
    config: &Loaded<Marketplace>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<FoundFile> {
    let root_canon = match root.canonicalize() {
        Ok(p) => p,
        Err(_) => root.to_path_buf(),
    };
    let spec = &config.item.spec;
    let mut files = Vec::new();
    let dirs = spec
        .catalog
        .iter()
        .enumerate()
        .map(|(i, d)| (Kind::Plugin, d, format!("/spec/catalog/{i}")))
        .chain(
            spec.bindings
                .iter()
                .enumerate()
                .map(|(i, d)| (Kind::Binding, d, format!("/spec/bindings/{i}"))),
        );
    for (kind, dir, pointer) in dirs {
        if kind == Kind::Plugin && dir == BUILTIN {
            files.extend(builtin::FILES.iter().map(|(name, text)| FoundFile {
                display: format!("builtin:catalog/{name}"),
                kind,
                bytes: text.as_bytes().to_vec(),
            }));
            continue;
        }
        if !is_safe_relative(dir) {
            diags.push(
                config
                    .doc
                    .diag(
                        &rule::UNSAFE_PATH,
                        &pointer,
                        format!("directory `{dir}` is not a relative path inside the repository"),
                    )
                    .label("leaves the repository")
                    .help("use a path relative to the repository root, without `..`"),
            );
            continue;
        }
        let base = root.join(dir);
        if !base.exists() {
            if kind == Kind::Binding || dir != "catalog" {
                diags.push(
                    config
                        .doc
                        .diag(
                            &rule::UNSAFE_PATH,
                            &pointer,
                            format!("directory `{dir}` does not exist"),
                        )
                        .severity(crate::diag::Severity::Warning)
                        .help(format!("create `{dir}/` or remove it from meshplug.yaml")),
                );
            }
            continue;
        }
        walk(root, &root_canon, &base, kind, &mut files, diags);
    }
    files
}

fn walk(
    root: &Path,
    root_canon: &Path,
    base: &Path,
    kind: Kind,
    files: &mut Vec<FoundFile>,
    diags: &mut Vec<Diagnostic>,
) {
    let display = |p: &Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    };
    let mut walker = walkdir::WalkDir::new(base)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    // Each step yields one entry of a finite, loop-checked walk.
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(display).unwrap_or_default();
                diags.push(file_diag(
                    &path,
                    format!("cannot read {path}: {e}"),
                    "check the file's permissions, or remove a symlink loop",
                ));
                continue;
            }
        };
        let path = entry.path();
        let inside = || {
            path.canonicalize()
                .map(|c| c.starts_with(root_canon))
                .unwrap_or(false)
        };
        if entry.path_is_symlink() && !inside() {
            let shown = display(path);
            diags.push(file_diag(
                &shown,
                format!("{shown} is a symlink that leads out of the repository"),
                "copy the file into the repository instead of linking to it",
            ));
            // Nothing under a directory outside the repository is read.
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if !is_yaml {
            continue;
        }
        let shown = display(path);
        if !inside() {
            diags.push(file_diag(
                &shown,
                format!("{shown} lies outside the repository (reached through a symlink)"),
                "copy the file into the repository instead of linking to it",
            ));
            continue;
        }
        match std::fs::metadata(path) {
            Ok(m) if m.len() as usize > super::MAX_FILE_BYTES => {
                diags.push(file_diag(
                    &shown,
                    format!(
                        "{shown} is {} bytes; the limit is {} MiB",
                        m.len(),
                        super::MAX_FILE_BYTES >> 20
                    ),
                    "split the file, or move large data out of the repository",
                ));
                continue;
            }
            _ => {}
        }
        match std::fs::read(path) {
            Ok(bytes) => files.push(FoundFile {
                display: shown,
                kind,
                bytes,
            }),
            Err(e) => diags.push(file_diag(
                &shown,
                format!("cannot read {shown}: {e}"),
                "check the file's permissions",
            )),
        }
    }
}

/// Read the file `name` at the repository root (`meshplug.yaml`, `meshplug.lock`): an I/O
/// error as is (absent, unreadable), or a diagnostic when the file is a symlink that leads out of
/// the repository or is over the size limit (checked before reading it).
pub fn read_in_repo(root: &Path, name: &str) -> std::io::Result<Result<Vec<u8>, Diagnostic>> {
    let path = root.join(name);
    let meta = std::fs::symlink_metadata(&path)?;
    if meta.file_type().is_symlink() {
        let root_canon = root.canonicalize()?;
        if !path
            .canonicalize()
            .is_ok_and(|c| c.starts_with(&root_canon))
        {
            return Ok(Err(file_diag(
                name,
                format!("{name} is a symlink that leads out of the repository"),
                "keep the file itself in the repository instead of linking to it",
            )));
        }
    }
    let size = std::fs::metadata(&path)?.len();
    if size > super::MAX_FILE_BYTES as u64 {
        return Ok(Err(file_diag(
            name,
            format!(
                "{name} is {size} bytes; the limit is {} MiB",
                super::MAX_FILE_BYTES >> 20
            ),
            "this file is never that large; restore it from version control",
        )));
    }
    std::fs::read(&path).map(Ok)
}

fn file_diag(path: &str, message: String, help: &str) -> Diagnostic {
    let rule = if message.contains("symlink") || message.contains("outside the repository") {
        &rule::UNSAFE_PATH
    } else {
        &rule::YAML_SYNTAX
    };
    Diagnostic::new(rule, message)
        .in_file(&crate::diag::SourceFile::new(path, String::new()))
        .help(help)
}
