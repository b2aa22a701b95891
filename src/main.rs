//! The `meshplug` binary: a thin wrapper around [`meshplug::cli`].

fn main() -> std::process::ExitCode {
    meshplug::cli::main()
}
