//! `meshplug completions` and `meshplug man`: shell completions and a man page, generated from
//! the command-line definition.

use std::path::Path;
use std::process::ExitCode;

/// Print the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut cmd = super::command();
    clap_complete::generate(shell, &mut cmd, "meshplug", &mut std::io::stdout());
    ExitCode::SUCCESS
}

/// The man page (roff) of meshplug, with a section for every command, on stdout; with `out`,
/// written to `out/meshplug.1` with one page per command beside it (`meshplug-bind.1`,
/// `meshplug-catalog-add.1`, ...), the pages the main one refers to.
pub fn man(out: Option<&Path>) -> ExitCode {
    let page = match main_page() {
        Ok(p) => p,
        Err(e) => return super::common::fatal(format!("cannot write the man page: {e}"), "retry"),
    };
    let Some(dir) = out else {
        super::common::print_out(&page);
        return ExitCode::SUCCESS;
    };
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| clap_mangen::generate_to(command(), dir))
        .and_then(|()| crate::atomic::write_atomic(&dir.join("meshplug.1"), page.as_bytes()));
    if let Err(e) = written {
        return super::common::fatal(
            format!("cannot write the man pages into {}: {e}", dir.display()),
            "check that the directory is writable",
        );
    }
    let count = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with(".1"))
                .count()
        })
        .unwrap_or(0);
    eprintln!(
        "man: wrote {count} pages into {} (`man -M {} meshplug`)",
        dir.display(),
        dir.display()
    );
    ExitCode::SUCCESS
}

/// The command-line definition as the man pages show it (no `help` command: `--help` is on
/// every page).
fn command() -> clap::Command {
    super::command().disable_help_subcommand(true)
}

/// The main page: every command's synopsis, description and options, and the exit status.
fn main_page() -> std::io::Result<String> {
    let mut cmd = command();
    cmd.build();
    let mut out = Vec::new();
    let page = clap_mangen::Man::new(cmd.clone());
    page.render_title(&mut out)?;
    page.render_name_section(&mut out)?;
    page.render_synopsis_section(&mut out)?;
    page.render_description_section(&mut out)?;
    page.render_options_section(&mut out)?;
    page.render_subcommands_section(&mut out)?;
    for sub in cmd.get_subcommands() {
        let sub = sub.clone().bin_name(format!("meshplug {}", sub.get_name()));
        let page = clap_mangen::Man::new(sub);
        page.render_synopsis_section(&mut out)?;
        page.render_description_section(&mut out)?;
        page.render_options_section(&mut out)?;
    }
    roff_exit_status(&mut out)?;
    page.render_version_section(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn roff_exit_status(out: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Write;
    writeln!(
        out,
        ".SH \"EXIT STATUS\"\n.TP\n0\nsuccess (warnings allowed)\n.TP\n1\ninvalid input, refused change, or drift (render --check, status --live)\n.TP\n2\nusage or I/O error"
    )
}
