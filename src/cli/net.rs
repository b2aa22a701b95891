//! Helpers shared by the commands that use the network: runtime, connection settings, errors.

use crate::artifact::registry::{NetError, Settings};
use crate::model::RegistryConfig;
use std::path::PathBuf;
use std::time::Duration;

/// Connection flags shared by `lock`, `push` and `inspect`.
#[derive(Debug, Clone, clap::Args)]
pub struct NetArgs {
    /// A PEM file of CA certificates to trust besides the system's (repeatable).
    #[arg(long = "ca-file", value_name = "PEM")]
    pub ca_files: Vec<PathBuf>,
    /// Total time allowed for all network work, in seconds.
    #[arg(long, default_value_t = 300, value_name = "SECS")]
    pub timeout: u64,
}

impl NetArgs {
    /// Settings: `base` plus the flags.
    pub fn settings(&self, mut base: Settings) -> Settings {
        base.ca_files.extend(self.ca_files.iter().cloned());
        base.deadline = Duration::from_secs(self.timeout.max(1));
        base
    }
}

/// Settings for a single url given on the command line (`push`, `inspect`).
pub fn settings_for_target(args: &NetArgs, host: Option<&str>, insecure: bool) -> Settings {
    let mut s = Settings::default();
    if let Some(h) = host {
        let ca = args.ca_files.first().map(|p| p.display().to_string());
        if insecure || ca.is_some() {
            s.hosts.push(RegistryConfig {
                host: h.to_string(),
                insecure: Some(insecure),
                ca_file: ca,
            });
        }
    }
    args.settings(s)
}

/// A runtime for one command (two workers: network work is I/O bound); on failure the error is
/// printed and the exit code returned.
pub fn runtime() -> Result<tokio::runtime::Runtime, std::process::ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            super::common::fatal(
                format!("cannot start the async runtime: {e}"),
                "check the system's thread limits",
            )
        })
}

/// Print a network error the way every command does.
pub fn print_error(e: &NetError) {
    eprintln!("error: {e}\n  help: {}", e.help);
}
