//! `meshplug rules`: list the rules, explain one, or write and check `docs/rules.md`.

use super::common::fatal;
use crate::diag::rule;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// The generated rule reference, relative to the repository of meshplug itself.
const DOC: &str = "docs/rules.md";

/// List the rules, explain one, or write (`--write`) or check (`--check`) the generated doc.
pub fn run(code: Option<&str>, write: Option<&Path>, check: bool) -> ExitCode {
    if write.is_some() || check {
        return doc(write.unwrap_or(Path::new(DOC)), check);
    }
    let mut out = std::io::stdout().lock();
    let text = match code {
        None => rule::ALL
            .iter()
            .map(|r| {
                format!(
                    "{}  {:<24} {:<8} {:<9} {}\n",
                    r.code,
                    r.name,
                    format!("{:?}", r.severity).to_lowercase(),
                    r.stage.command(),
                    r.summary
                )
            })
            .collect::<String>(),
        Some(code) => match rule::find(code) {
            Some(r) => format!(
                "{} {}\n\n{}\n\nReported by: meshplug {}\n\n{}",
                r.code,
                r.name,
                r.summary,
                r.stage.command(),
                r.doc
            ),
            None => {
                let names = rule::ALL.iter().flat_map(|r| [r.code, r.name]);
                let help = match crate::diag::did_you_mean(code, names) {
                    Some(s) => format!("did you mean `{s}`? `meshplug rules` lists them"),
                    None => "`meshplug rules` lists them".to_string(),
                };
                return fatal(format!("no rule `{code}`"), help);
            }
        },
    };
    // A closed pipe (`meshplug rules | head`) is not an error.
    let _ = out.write_all(text.as_bytes());
    ExitCode::SUCCESS
}

fn doc(path: &Path, check: bool) -> ExitCode {
    let text = rule::markdown();
    if check {
        if std::fs::read_to_string(path).ok().as_deref() == Some(text.as_str()) {
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "rules --check: {} is stale; run `meshplug rules --write {}`",
            path.display(),
            path.display()
        );
        return ExitCode::from(1);
    }
    match crate::atomic::write_atomic(path, text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fatal(
            format!("cannot write {}: {e}", path.display()),
            "check the directory's permissions",
        ),
    }
}
