//! `meshplug completions` and `meshplug man`: shell completions and a man page, generated from
//! the command-line definition.

use clap::CommandFactory;
use std::process::ExitCode;

/// Print the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut cmd = super::Cli::command();
    clap_complete::generate(shell, &mut cmd, "meshplug", &mut std::io::stdout());
    ExitCode::SUCCESS
}

/// Print the man page (roff) of meshplug, with a section for every command.
pub fn man() -> ExitCode {
    let cmd = super::Cli::command();
    let mut out = Vec::new();
    let page = clap_mangen::Man::new(cmd.clone());
    let rendered = page.render_title(&mut out).and_then(|_| {
        page.render_name_section(&mut out)?;
        page.render_synopsis_section(&mut out)?;
        page.render_description_section(&mut out)?;
        page.render_options_section(&mut out)?;
        page.render_subcommands_section(&mut out)?;
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let sub = sub.clone().bin_name(format!("meshplug {}", sub.get_name()));
            let page = clap_mangen::Man::new(sub);
            page.render_synopsis_section(&mut out)?;
            page.render_description_section(&mut out)?;
            page.render_options_section(&mut out)?;
        }
        roff_exit_status(&mut out)?;
        page.render_version_section(&mut out)
    });
    if let Err(e) = rendered {
        return super::common::fatal(format!("cannot write the man page: {e}"), "retry");
    }
    super::common::print_out(&String::from_utf8_lossy(&out));
    ExitCode::SUCCESS
}

fn roff_exit_status(out: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Write;
    writeln!(
        out,
        ".SH \"EXIT STATUS\"\n.TP\n0\nsuccess (warnings allowed)\n.TP\n1\ninvalid input, refused change, or drift (render --check, status --live)\n.TP\n2\nusage or I/O error"
    )
}
