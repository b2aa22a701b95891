//! `meshplug site` on the bundled example: snapshots of the pages, deterministic bytes, escaping
//! of hostile catalog text, and the output-directory guards.

use crate::support::*;
use predicates::prelude::*;
use std::path::Path;

fn site(repo: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    meshplug()
        .arg("site")
        .arg(repo)
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn example_site_matches_snapshots() {
    let (dir, repo) = example_copy();
    let out = dir.path().join("site");
    site(&repo, &out, &[])
        .success()
        .stderr(predicate::str::contains("site: 26 pages for 15 plugins"));
    assert!(page(&out, ".meshplug-output").contains("meshplug site"));
    for (name, rel) in [
        ("site_index", "index.html"),
        ("site_plugin_key_auth", "plugins/key-auth.html"),
        ("site_traffic_prod_east", "traffic/prod-east.html"),
        (
            "site_service_ingress_gateway",
            "services/istio-ingress/istio-ingressgateway.html",
        ),
    ] {
        insta::assert_snapshot!(name, page(&out, rel));
    }
}

#[test]
fn same_repo_same_bytes_and_lang_only_changes_the_default() {
    let (dir, repo) = example_copy();
    let (a, b, zh) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("zh"),
    );
    site(&repo, &a, &[]).success();
    site(&repo, &b, &["--lang", "en"]).success();
    site(&repo, &b, &[]).success(); // replaces its own previous output
    site(&repo, &zh, &["--lang", "zh"]).success();
    let (ta, tb, tz) = (snapshot_tree(&a), snapshot_tree(&b), snapshot_tree(&zh));
    assert_eq!(ta, tb);
    assert_eq!(ta.keys().collect::<Vec<_>>(), tz.keys().collect::<Vec<_>>());
    let index = page(&zh, "index.html");
    assert!(index.contains(r#"<html lang="zh-Hans" class="lang-zh""#));
    assert!(index.contains("<option value=\"\" data-i18n-en=\"All categories\" data-i18n-zh=\"全部分类\">全部分类</option>"));
    // Both languages are in every page either way.
    assert!(page(&a, "index.html").contains("Key 认证"));
}

#[test]
fn pages_are_self_contained_and_well_formed() {
    let (dir, repo) = example_copy();
    let out = dir.path().join("site");
    site(&repo, &out, &[]).success();
    assert!(balanced("<p><b></p>").is_err() && balanced("<div><p>").is_err());
    for (rel, bytes) in snapshot_tree(&out) {
        let text = String::from_utf8(bytes).unwrap();
        if rel.ends_with(".html") {
            if let Err(e) = balanced(&text) {
                panic!("{rel}: {e}");
            }
            assert_eq!(text.matches("<h1").count(), 1, "{rel}: one h1");
            assert!(text.contains("<main") && text.contains("<nav") && text.contains("<header"));
            for img in text.split("<img ").skip(1) {
                assert!(img.contains(" alt=\""), "{rel}: an img without alt");
            }
        }
        for (attr, value) in attributes(&text) {
            if attr == "src" || (attr == "href" && !value.starts_with("http")) {
                assert!(
                    !value.contains("://") && !value.starts_with("//"),
                    "{rel}: {attr}={value} loads from elsewhere"
                );
                let target = value.split('#').next().unwrap_or_default();
                if !target.is_empty() && !target.starts_with("data:") {
                    let base = Path::new(&rel).parent().unwrap_or(Path::new(""));
                    assert!(
                        out.join(base).join(target).is_file(),
                        "{rel}: {attr}={value} points to a missing file"
                    );
                }
            }
        }
    }
}

const HOSTILE_PLUGIN: &str = r#"apiVersion: meshplug.io/v1alpha1
kind: Plugin
metadata:
  name: hostile
spec:
  title:
    en: "<script>alert(1)</script>"
    zh: "\" onmouseover=\"alert(2)"
  description:
    en: "Breaks out: </p><script>alert(3)</script> and `<img src=x onerror=alert(4)>`"
    zh: "' onfocus='alert(5)"
  category: security
  homepage: "javascript:alert(6)"
  license: "<i>MIT</i>"
  maintainers:
  - name: "<b onclick=alert(7)>evil</b>"
    url: "javascript:alert(8)"
    email: "\"><script>alert(9)</script>"
  versions:
  - version: 1.0.0
    url: "https://example.com/x.wasm?a=\"><script>alert(10)</script>"
    sha256: 0000000000000000000000000000000000000000000000000000000000000000
  defaults:
    phase: STATS
    priority: 77
    pluginConfig:
      "</pre><script>alert(11)</script>": x
  configSchema:
    type: object
    description: "<style>body{display:none}</style>"
    required: ["<svg onload=alert(12)>"]
    properties:
      "<svg onload=alert(12)>":
        type: string
        description: "<script>alert(13)</script>"
        default: "</code><script>alert(14)</script>"
"#;

const HOSTILE_BINDING: &str = r#"apiVersion: meshplug.io/v1alpha1
kind: Binding
metadata:
  name: hostile-user
  namespace: bookinfo
spec:
  selector:
    matchLabels:
      app: "x"
  plugins:
  - plugin: hostile
    pluginConfig:
      "<svg onload=alert(12)>": "y"
"#;

#[test]
fn hostile_catalog_text_renders_as_text() {
    let (dir, repo) = example_copy();
    std::fs::write(repo.join("catalog/hostile.yaml"), HOSTILE_PLUGIN).unwrap();
    std::fs::write(
        repo.join("bindings/bookinfo/hostile-user.yaml"),
        HOSTILE_BINDING,
    )
    .unwrap();
    let out = dir.path().join("site");
    site(&repo, &out, &[]).success();

    let tree = snapshot_tree(&out);
    for (rel, bytes) in &tree {
        if !(rel.ends_with(".html") || rel.ends_with(".svg")) {
            continue;
        }
        let text = String::from_utf8(bytes.clone()).unwrap();
        if rel.ends_with(".html")
            && let Err(e) = balanced(&text)
        {
            panic!("{rel}: {e}");
        }
        let scripts = text.matches("<script").count();
        assert_eq!(
            scripts,
            usize::from(rel.ends_with(".html")),
            "{rel}: only the site's own script tag may appear"
        );
        assert!(!text.contains("<style"), "{rel}: a style element leaked");
        for (attr, value) in attributes(&text) {
            assert!(!attr.starts_with("on"), "{rel}: event handler `{attr}`");
            if attr == "href" || attr == "src" {
                let lower = value.to_ascii_lowercase();
                assert!(
                    !lower.starts_with("javascript:") && !lower.starts_with("data:text"),
                    "{rel}: {attr}={value}"
                );
            }
        }
    }

    let index = page(&out, "index.html");
    assert!(index.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(index.contains("&quot; onmouseover=&quot;alert(2)"));
    let plugin = page(&out, "plugins/hostile.html");
    for expected in [
        "Breaks out: &lt;/p&gt;&lt;script&gt;alert(3)&lt;/script&gt; and <code>&lt;img src=x onerror=alert(4)&gt;</code>",
        "&#39; onfocus=&#39;alert(5)",
        r#"<span class="url">javascript:alert(6)</span>"#,
        "&lt;i&gt;MIT&lt;/i&gt;",
        "&lt;b onclick=alert(7)&gt;evil&lt;/b&gt; <span class=\"url\">javascript:alert(8)</span>",
        "&lt;&quot;&gt;&lt;script&gt;alert(9)&lt;/script&gt;&gt;",
        "&lt;style&gt;body{display:none}&lt;/style&gt;",
        "<code>&lt;svg onload=alert(12)&gt;</code>",
        "&lt;script&gt;alert(13)&lt;/script&gt;",
        "&lt;/code&gt;&lt;script&gt;alert(14)&lt;/script&gt;",
        "&lt;/pre&gt;&lt;script&gt;alert(11)&lt;/script&gt;",
    ] {
        assert!(
            plugin.contains(expected),
            "plugins/hostile.html lacks {expected}"
        );
    }
    // An http(s) url is linked, with its quotes escaped inside the attribute.
    assert!(plugin.contains(
        r#"<span class="url">https://example.com/x.wasm?a=&quot;&gt;&lt;script&gt;alert(10)&lt;/script&gt;</span>"#
    ), "a url with quotes and brackets is shown, not linked");
    let service = page(&out, "services/bookinfo/hostile-user.html");
    assert!(service.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn refuses_directories_it_did_not_write_and_input_dirs() {
    let (dir, repo) = example_copy();
    let foreign = dir.path().join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
    site(&repo, &foreign, &[]).code(2).stderr(
        predicate::str::contains("refusing to replace")
            .and(predicate::str::contains(".meshplug-output")),
    );
    assert_eq!(
        std::fs::read_to_string(foreign.join("keep.txt")).unwrap(),
        "mine"
    );
    site(&repo, &repo.join("bindings/site"), &[])
        .code(2)
        .stderr(predicate::str::contains("overlaps the input dir"));
    site(&repo, &repo, &[])
        .code(2)
        .stderr(predicate::str::contains("repository root"));
}

#[test]
fn an_invalid_repository_builds_no_site() {
    let (dir, repo) = example_copy();
    edit(
        &repo.join("bindings/bookinfo/productpage.yaml"),
        "plugin: key-auth",
        "plugin: key-atuh",
    );
    let out = dir.path().join("site");
    site(&repo, &out, &[])
        .code(1)
        .stderr(predicate::str::contains("MP012").and(predicate::str::contains("key-auth")));
    assert!(!out.exists());
}

/// Whether every non-void element of `html` is closed in order.
fn balanced(html: &str) -> Result<(), String> {
    const VOID: [&str; 6] = ["meta", "link", "img", "input", "br", "hr"];
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').ok_or("a tag is not closed")?;
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with('!') {
            continue;
        }
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default();
        if closing {
            match open.pop() {
                Some(top) if top == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
        } else if !VOID.contains(&name) && !tag.ends_with('/') {
            open.push(name);
        }
    }
    match open.as_slice() {
        [] => Ok(()),
        left => Err(format!("never closed: {left:?}")),
    }
}

/// Every `name="value"` attribute of every tag in `html` (tags are the raw `<` the templates
/// wrote: text from the repository has its `<` escaped).
fn attributes(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        if !tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let mut chars = tag.char_indices().peekable();
        // Skip the tag name.
        while chars.next_if(|(_, c)| !c.is_whitespace()).is_some() {}
        loop {
            while chars
                .next_if(|(_, c)| c.is_whitespace() || *c == '/')
                .is_some()
            {}
            let Some(&(name_start, _)) = chars.peek() else {
                break;
            };
            while chars
                .next_if(|(_, c)| !c.is_whitespace() && *c != '=')
                .is_some()
            {}
            let name_end = chars.peek().map_or(tag.len(), |(i, _)| *i);
            let name = tag[name_start..name_end].to_ascii_lowercase();
            let value = if chars.next_if(|(_, c)| *c == '=').is_some() {
                match chars.next() {
                    Some((i, q @ ('"' | '\''))) => {
                        let close = tag[i + 1..].find(q).map_or(tag.len(), |j| i + 1 + j);
                        while chars.next_if(|(j, _)| *j <= close).is_some() {}
                        tag[i + 1..close].to_string()
                    }
                    Some((i, _)) => {
                        while chars.next_if(|(_, c)| !c.is_whitespace()).is_some() {}
                        let stop = chars.peek().map_or(tag.len(), |(j, _)| *j);
                        tag[i..stop].to_string()
                    }
                    None => String::new(),
                }
            } else {
                String::new()
            };
            out.push((name, value));
        }
    }
    out
}
