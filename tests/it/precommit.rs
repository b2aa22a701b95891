//! The hooks of `.pre-commit-hooks.yaml`, run by real `pre-commit` in a temporary git repository:
//! a commit that breaks the marketplace is rejected, a good one is accepted. Offline: the hooks
//! are `language: system` and run the meshplug binary built for these tests.

use crate::support::*;
use std::path::Path;
use std::process::Command;

fn run(dir: &Path, path_env: &std::ffi::OsStr, home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(args[0])
        .args(&args[1..])
        .current_dir(dir)
        .env("PATH", path_env)
        .env("PRE_COMMIT_HOME", home.join("pre-commit-cache"))
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("GIT_AUTHOR_NAME", "test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap()
}

/// stdout and stderr together (git shows hook output on stderr).
fn both(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn ok(out: &std::process::Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn pre_commit_rejects_a_bad_commit_and_accepts_a_good_one() {
    let pre_commit = require_tool("pre-commit", "apt-get install -y pre-commit");
    require_tool("git", "apt-get install -y git");
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_meshplug")).parent().unwrap();
    let path_env = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let pc = pre_commit.to_str().unwrap();

    // The hook repository: this project's .pre-commit-hooks.yaml, committed.
    let hooks = home.join("hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::copy(
        project().join(".pre-commit-hooks.yaml"),
        hooks.join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    ok(
        &run(
            &hooks,
            &path_env,
            home,
            &["git", "init", "-q", "-b", "main"],
        ),
        "git init",
    );
    ok(
        &run(&hooks, &path_env, home, &["git", "add", "-A"]),
        "git add",
    );
    ok(
        &run(&hooks, &path_env, home, &["git", "commit", "-qm", "hooks"]),
        "git commit",
    );
    let rev = run(&hooks, &path_env, home, &["git", "rev-parse", "HEAD"]);
    let rev = String::from_utf8_lossy(&rev.stdout).trim().to_string();

    // A marketplace using both hooks.
    let market = home.join("market");
    meshplug().arg("init").arg(&market).assert().success();
    std::fs::write(
        market.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n- repo: {}\n  rev: {rev}\n  hooks:\n  - id: meshplug-validate\n  - id: meshplug-render-check\n",
            hooks.display()
        ),
    )
    .unwrap();
    ok(
        &run(
            &market,
            &path_env,
            home,
            &["git", "init", "-q", "-b", "main"],
        ),
        "git init",
    );
    ok(
        &run(&market, &path_env, home, &[pc, "install"]),
        "pre-commit install",
    );
    ok(
        &run(&market, &path_env, home, &["git", "add", "-A"]),
        "git add",
    );
    let first = run(&market, &path_env, home, &["git", "commit", "-m", "init"]);
    ok(&first, "the first (good) commit");
    let log = both(&first);
    assert!(
        log.contains("meshplug validate") && log.contains("Passed"),
        "{log}"
    );

    // Bad: a binding of a plugin that does not exist.
    write_files(
        &market,
        &[(
            "bindings/shop/web.yaml",
            "apiVersion: meshplug.io/v1alpha1\nkind: Binding\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  plugins:\n  - plugin: no-such-plugin\n",
        )],
    );
    ok(
        &run(&market, &path_env, home, &["git", "add", "-A"]),
        "git add",
    );
    let bad = run(&market, &path_env, home, &["git", "commit", "-m", "bad"]);
    let text = both(&bad);
    assert!(
        !bad.status.success(),
        "the bad commit went through:\n{text}"
    );
    assert!(text.contains("MP012") && text.contains("Failed"), "{text}");

    // Good: a real plugin, but the rendered output not updated yet: render --check rejects it.
    std::fs::remove_file(market.join("bindings/shop/web.yaml")).unwrap();
    meshplug()
        .args([
            "bind",
            "shop/web",
            "istio-example",
            "--priority",
            "10",
            "--repo",
        ])
        .arg(&market)
        .assert()
        .success();
    ok(
        &run(&market, &path_env, home, &["git", "add", "-A"]),
        "git add",
    );
    let stale = run(&market, &path_env, home, &["git", "commit", "-m", "stale"]);
    let text = both(&stale);
    assert!(
        !stale.status.success(),
        "a stale rendered/ went through:\n{text}"
    );
    assert!(
        text.contains("meshplug render --check") && text.contains("Failed"),
        "{text}"
    );

    // Rendered and committed together: accepted.
    meshplug().arg("render").arg(&market).assert().success();
    ok(
        &run(&market, &path_env, home, &["git", "add", "-A"]),
        "git add",
    );
    let good = run(&market, &path_env, home, &["git", "commit", "-m", "good"]);
    ok(&good, "the good commit");
    let count = run(
        &market,
        &path_env,
        home,
        &["git", "rev-list", "--count", "HEAD"],
    );
    assert_eq!(String::from_utf8_lossy(&count.stdout).trim(), "2");
}
