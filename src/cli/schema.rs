//! `meshplug schema`.

use super::common::fatal;
use crate::model::Kind;
use std::path::Path;
use std::process::ExitCode;

/// Write (or check) the JSON Schemas of the three document kinds.
pub fn run(out: &Path, check_only: bool) -> ExitCode {
    let mut stale = Vec::new();
    for kind in Kind::ALL {
        let text = format!(
            "{}\n",
            serde_json::to_string_pretty(&kind.json_schema()).expect("json")
        );
        let path = out.join(kind.schema_file());
        if check_only {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(path.display().to_string());
            }
            continue;
        }
        if let Err(e) = std::fs::create_dir_all(out)
            .and_then(|_| crate::atomic::write_atomic(&path, text.as_bytes()))
        {
            return fatal(
                format!("cannot write {}: {e}", path.display()),
                "check the directory's permissions",
            );
        }
    }
    if !stale.is_empty() {
        eprintln!(
            "schema --check: stale: {}; run `meshplug schema`",
            stale.join(", ")
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
