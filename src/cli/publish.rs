//! `meshplug publish`: one cluster's rendered tree as the OCI artifact Flux's `OCIRepository`
//! pulls.

use super::common::fatal;
use super::net::{NetArgs, print_error, runtime};
use super::render::cluster_files;
use crate::artifact::flux;
use crate::artifact::registry::{Client, Settings};
use crate::model::RegistryConfig;
use crate::model::url::redact;
use crate::present::{ColorChoice, Format, Reporter};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// Arguments of `meshplug publish`.
#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    /// Where to: oci://HOST/REPO:TAG.
    pub target: String,
    /// Same as --repo (kept for compatibility).
    #[arg(id = "repo_arg", hide = true, value_name = "REPO")]
    pub repo: Option<PathBuf>,
    /// The cluster whose manifests to publish (needed when the repository declares several).
    #[arg(long)]
    pub cluster: Option<String>,
    /// The `org.opencontainers.image.source` annotation (default: the url of the git remote
    /// `origin`, without credentials; an empty value leaves the annotation out).
    #[arg(long, value_name = "URL")]
    pub source: Option<String>,
    /// The `org.opencontainers.image.revision` annotation (default: `BRANCH@sha1:COMMIT` of the
    /// git checkout; an empty value leaves the annotation out).
    #[arg(long, value_name = "REVISION")]
    pub revision: Option<String>,
    /// Publish remote modules that have no sha256 pin (Istio will not verify them).
    #[arg(long)]
    pub allow_unpinned: bool,
    /// Allow plain http to this registry (loopback hosts use http unless --ca-file is given).
    #[arg(long)]
    pub insecure: bool,
    /// Connection flags.
    #[command(flatten)]
    pub net: NetArgs,
}

/// Render one cluster in memory (from the repository and meshplug.lock; `rendered/` is not
/// read) and push it; prints the manifest digest on stdout.
pub fn run(a: &PublishArgs, color: ColorChoice) -> ExitCode {
    let target = redact(&a.target);
    let r = exit_on_err!(super::common::push_target(&a.target, "publish"));
    let reporter = Reporter::new(Format::Human, color);
    let root = a.repo.as_deref().unwrap_or(Path::new("."));
    let rendered = exit_on_err!(cluster_files(
        root,
        a.cluster.as_deref(),
        a.allow_unpinned,
        &reporter,
        "publish",
    ));
    let source = match &a.source {
        Some(s) => Some(s.clone()).filter(|s| !s.is_empty()),
        None => git(root, &["remote", "get-url", "origin"]).map(|u| without_userinfo(&u)),
    };
    let revision = match &a.revision {
        Some(s) => Some(s.clone()).filter(|s| !s.is_empty()),
        None => git_revision(root),
    };
    let img = match flux::build(&rendered.files, source.as_deref(), revision.as_deref()) {
        Ok(img) => img,
        Err(e) => return fatal(e, "rename the file so its path is a plain relative path"),
    };
    // The repository's spec.registries, as for `lock`; the command line's --insecure and
    // --ca-file for the target host first, as for `push`.
    let mut settings = Settings::from_config(&rendered.registries, root);
    let ca = a.net.ca_files.first().map(|p| p.display().to_string());
    if a.insecure || ca.is_some() {
        settings.hosts.insert(
            0,
            RegistryConfig {
                host: r.api_host().to_string(),
                insecure: Some(a.insecure),
                ca_file: ca,
            },
        );
    }
    let settings = a.net.settings(settings);
    let rt = exit_on_err!(runtime());
    let result = rt.block_on(async {
        let client = Client::new(settings)?;
        client.push(&r, &img).await
    });
    match result {
        Ok(digest) => {
            println!("{digest}");
            let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
            eprintln!(
                "publish: {} files of cluster {} ({} bytes compressed) -> {target}\n  digest {digest} (the same rendered files and annotations always give this digest)\n  source {}\n  revision {}\n  paste into the OCIRepository:  ref: {{digest: \"{digest}\"}}",
                rendered.files.len(),
                rendered.cluster,
                img.layer.len(),
                shown(&source),
                shown(&revision),
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_error(&e);
            ExitCode::from(1)
        }
    }
}

/// `git -C dir ARGS` trimmed stdout, when git is installed, `dir` is in a checkout and the
/// command succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// `BRANCH@sha1:COMMIT` (Flux's revision format; `sha1:COMMIT` on a detached HEAD); warns when
/// the checkout has uncommitted changes, which the published files may include.
fn git_revision(dir: &Path) -> Option<String> {
    let commit = git(dir, &["rev-parse", "--verify", "-q", "HEAD"])?;
    if git(dir, &["status", "--porcelain", "--", "."]).is_some() {
        eprintln!(
            "warning: {} has uncommitted changes; the revision annotation names {commit}, which may not hold what is published (commit first, or pass --revision)",
            dir.display()
        );
    }
    Some(match git(dir, &["symbolic-ref", "--short", "-q", "HEAD"]) {
        Some(branch) => format!("{branch}@sha1:{commit}"),
        None => format!("sha1:{commit}"),
    })
}

/// `url` without a `user[:password]@` part (a token in a clone url must not be published).
fn without_userinfo(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        let authority_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            return format!("{scheme}://{}", &rest[at + 1..]);
        }
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::without_userinfo;

    #[test]
    fn clone_urls_lose_their_credentials() {
        assert_eq!(
            without_userinfo("https://x-access-token:ghp_abc@github.com/o/r.git"),
            "https://github.com/o/r.git"
        );
        assert_eq!(
            without_userinfo("https://github.com/o/r@v"),
            "https://github.com/o/r@v"
        );
        assert_eq!(
            without_userinfo("git@github.com:o/r.git"),
            "git@github.com:o/r.git"
        );
    }
}
