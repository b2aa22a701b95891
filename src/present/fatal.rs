//! A fatal error ([`diag::Error`](crate::diag::Error)) for people on stderr, or as the JSON or
//! SARIF document a machine reading stdout expects: the one place fatal errors are printed.

use super::Format;
use crate::diag::Error;

/// Print `error` in `format`: `{"errors": [...]}` with the fields of a diagnostic for JSON, a
/// SARIF log of a failed run for SARIF (and the human line on stderr), the human line otherwise.
pub fn print(error: &Error, format: Format) {
    let human = || eprintln!("error: {}\n  help: {}", error.message, error.help);
    match format {
        Format::Sarif => {
            let log = super::sarif::fatal_log(&error.message, &error.help);
            println!("{log:#}");
            human();
        }
        Format::Json => {
            let doc = serde_json::json!({
                "errors": [{
                    "code": null,
                    "rule": null,
                    "severity": "error",
                    "file": null,
                    "line": null,
                    "column": null,
                    "message": error.message,
                    "help": error.help,
                }],
            });
            println!("{doc:#}");
        }
        Format::Human => human(),
    }
}
