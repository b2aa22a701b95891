//! The pipeline's layers, lowest first. A module may use its own layer and the layers below it,
//! never one above: the test below reads every source file and fails on an upward `crate::` path.

/// Top-level modules by layer, in pipeline order.
pub const LAYERS: &[&[&str]] = &[
    &["diag", "model", "text", "atomic"],
    &["artifact"],
    &["load"],
    &["check"],
    &["lock"],
    &["run"],
    &["render"],
    &["manifests", "edit"],
    &["views", "synth"],
    &["present"],
    &["cli"],
];

#[cfg(test)]
mod tests {
    use super::LAYERS;
    use std::path::Path;

    fn layer_of(module: &str) -> Option<usize> {
        LAYERS.iter().position(|l| l.contains(&module))
    }

    /// Every `crate::NAME` in `text` outside comments.
    fn crate_refs(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            let mut rest = code;
            while let Some(i) = rest.find("crate::") {
                rest = &rest[i + "crate::".len()..];
                if let Some(group) = rest.strip_prefix('{') {
                    let end = group.find('}').unwrap_or(group.len());
                    for part in group[..end].split(',') {
                        let name = part.trim().split("::").next().unwrap_or("");
                        out.push(name.to_string());
                    }
                } else {
                    let end = rest
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len());
                    out.push(rest[..end].to_string());
                }
            }
        }
        out.retain(|n| !n.is_empty() && n != "self");
        out
    }

    fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }

    #[test]
    fn imports_only_point_down_the_pipeline() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        walk(&src, &mut files);
        files.sort();
        let mut upward = Vec::new();
        for file in &files {
            let rel = file.strip_prefix(&src).unwrap();
            let first = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            let module = first.trim_end_matches(".rs");
            if matches!(module, "lib" | "main" | "layers") {
                continue;
            }
            let own = layer_of(module)
                .unwrap_or_else(|| panic!("src/{module} is in no layer of src/layers.rs"));
            let text = std::fs::read_to_string(file).unwrap();
            for target in crate_refs(&text) {
                let Some(theirs) = layer_of(&target) else {
                    continue;
                };
                if theirs > own {
                    upward.push(format!("src/{} -> {target}", rel.display()));
                }
            }
        }
        upward.sort();
        upward.dedup();
        assert!(
            upward.is_empty(),
            "imports pointing up the pipeline:\n{}",
            upward.join("\n")
        );
    }

    #[test]
    fn every_top_level_module_has_a_layer() {
        let lib = include_str!("lib.rs");
        for line in lib.lines() {
            if let Some(name) = line
                .strip_prefix("pub mod ")
                .and_then(|l| l.strip_suffix(';'))
            {
                assert!(
                    layer_of(name).is_some() || name == "layers",
                    "{name} has no layer"
                );
            }
        }
    }
}
