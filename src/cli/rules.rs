//! `meshplug rules`.

use super::common::fatal;
use crate::check;
use std::process::ExitCode;

/// List the rules, or explain one.
pub fn run(rule: Option<&str>) -> ExitCode {
    match rule {
        None => {
            for r in check::rules::ALL {
                println!(
                    "{}  {:<24} {:<8} {}",
                    r.code,
                    r.name,
                    format!("{:?}", r.severity).to_lowercase(),
                    r.summary
                );
            }
            ExitCode::SUCCESS
        }
        Some(code) => match check::rules::find(code) {
            Some(r) => {
                println!(
                    "{} ({}), {}\n\n{}\n\nExamples: docs/rules.md#{}",
                    r.code,
                    r.name,
                    format!("{:?}", r.severity).to_lowercase(),
                    r.summary,
                    r.code.to_lowercase()
                );
                ExitCode::SUCCESS
            }
            None => fatal(format!("no rule `{code}`"), "`meshplug rules` lists them"),
        },
    }
}
