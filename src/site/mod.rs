//! Site: the marketplace as a static, bilingual website (`meshplug site`).
//!
//! [`build`] turns a checked repository into a sorted map of relative paths to file contents:
//! `index.html` (plugin cards with a category and text filter), `plugins/<name>.html`,
//! `traffic/<cluster>.html` (services × plugins), `services/<ns>/<name>.html` (the filter chain),
//! `icons/<name>.svg` and `assets/`. Templates and assets are embedded in the binary; every page
//! works from `file://` with no network. Everything taken from the repository is HTML-escaped by
//! minijinja's auto-escaping (templates end in `.html` or `.svg`), and only http(s) urls become
//! links. Same repository, same bytes.

mod chain;
mod i18n;
mod icon;
mod model;
mod paths;
mod plugins;
mod schema_table;
mod services;
mod snippets;

pub use i18n::Lang;
pub use model::{LockEntry, Locks};

use crate::check::Checked;
use crate::load::Repo;
use crate::render::Files;
use i18n::Text;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// The templates, by name.
const TEMPLATES: [(&str, &str); 7] = [
    ("macros.html", include_str!("templates/macros.html")),
    ("base.html", include_str!("templates/base.html")),
    ("index.html", include_str!("templates/index.html")),
    ("plugin.html", include_str!("templates/plugin.html")),
    ("traffic.html", include_str!("templates/traffic.html")),
    ("service.html", include_str!("templates/service.html")),
    ("icon.svg", include_str!("templates/icon.svg")),
];

/// The static assets, by output path.
const ASSETS: [(&str, &str); 2] = [
    ("assets/site.css", include_str!("assets/site.css")),
    ("assets/site.js", include_str!("assets/site.js")),
];

/// A failure to produce the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteError {
    /// What went wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl fmt::Display for SiteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl From<minijinja::Error> for SiteError {
    fn from(e: minijinja::Error) -> SiteError {
        let mut message = format!("cannot render the site: {e}");
        if let Some(detail) = e.detail() {
            message.push_str(&format!(" ({detail})"));
        }
        SiteError {
            message,
            help: "this is a bug in meshplug's site templates; please report it with the repository that triggers it".into(),
        }
    }
}

/// Data shared by every page.
#[derive(Serialize)]
struct SiteInfo {
    name: String,
    lang: &'static str,
    lang_tag: &'static str,
    clusters: Vec<ClusterLink>,
}

#[derive(Serialize)]
struct ClusterLink {
    name: String,
    href: String,
    title: Text,
}

/// The whole site for `repo`, opening in `lang`; `locks` adds pins, formats and ABI versions
/// from `meshplug.lock` (pass an empty map when there is none).
pub fn build(
    repo: &Repo,
    checked: &Checked<'_>,
    lang: Lang,
    locks: &Locks,
) -> Result<Files, SiteError> {
    let env = environment()?;
    let titles = plugins::titles(checked);
    let (services, _refs) = services::services(repo, checked, &titles);
    let clusters = services::clusters(repo, &services, &titles);
    let plugins = plugins::plugins(checked, &services, locks);
    let categories = plugins::categories(&plugins);
    let name = repo.config.item.metadata.name.clone();
    let site = SiteInfo {
        name: name.clone(),
        lang: lang.code(),
        lang_tag: lang.tag(),
        clusters: clusters
            .iter()
            .map(|c| ClusterLink {
                name: c.name.clone(),
                href: c.href.clone(),
                title: c.title.clone(),
            })
            .collect(),
    };
    let pages = Pages {
        env: &env,
        site: to_value(&site),
        ui: to_value(i18n::ui()),
    };

    let mut files = Files::new();
    for (path, text) in ASSETS {
        files.insert(path.to_string(), text.to_string());
    }
    let intro = Text::new(
        format!(
            "The Istio WebAssembly plugins of the {name} marketplace: versions, configuration, and the services they run on."
        ),
        format!("{name} 市场中的 Istio WebAssembly 插件：版本、配置，以及运行它们的服务。"),
    );
    pages.page(
        &mut files,
        "index.html",
        "index.html",
        "index",
        &i18n::ui()["plugins"],
        [
            ("plugins", to_value(&plugins)),
            ("categories", to_value(&categories)),
            ("clusters", to_value(&clusters)),
            ("intro", to_value(&intro)),
        ],
    )?;
    let icon_tpl = env.get_template("icon.svg")?;
    for p in &plugins {
        pages.page(
            &mut files,
            &p.href,
            "plugin.html",
            "plugin",
            &p.title,
            [("p", to_value(p))],
        )?;
        let initials = icon::initials(&p.title.en, &p.name);
        let svg = icon_tpl.render(minijinja::context! {
            label => p.title.en.clone(),
            colour => icon::colour(&p.name),
            size => if initials.chars().count() > 1 { 26 } else { 32 },
            initials => initials,
        })?;
        files.insert(p.icon.clone(), format!("{svg}\n"));
    }
    for c in &clusters {
        pages.page(
            &mut files,
            &c.href,
            "traffic.html",
            &format!("traffic-{}", c.name),
            &c.title,
            [("c", to_value(c))],
        )?;
    }
    for s in &services {
        pages.page(
            &mut files,
            &s.service.href,
            "service.html",
            "service",
            &Text::same(&s.service.key),
            [("s", to_value(s))],
        )?;
    }
    check_paths(&files)?;
    Ok(files)
}

/// A template value from anything serializable.
fn to_value<T: Serialize>(data: T) -> Value {
    Value::from(minijinja::value::Serde(data))
}

/// Renders pages with the shared context.
struct Pages<'e> {
    env: &'e Environment<'static>,
    site: Value,
    ui: Value,
}

impl Pages<'_> {
    fn page<const N: usize>(
        &self,
        files: &mut Files,
        path: &str,
        template: &str,
        page: &str,
        title: &Text,
        extra: [(&str, Value); N],
    ) -> Result<(), SiteError> {
        let mut ctx: BTreeMap<&str, Value> = extra.into_iter().collect();
        ctx.insert("site", self.site.clone());
        ctx.insert("ui", self.ui.clone());
        ctx.insert("root", Value::from(paths::to_root(path)));
        ctx.insert("page", Value::from(page));
        ctx.insert("title", to_value(title));
        let html = self.env.get_template(template)?.render(Value::from(ctx))?;
        files.insert(path.to_string(), format!("{}\n", html.trim_end()));
        Ok(())
    }
}

/// Every output path is made of plain segments (names come from DNS-1123 labels; this guards
/// against a schema change letting a `..` through).
fn check_paths(files: &Files) -> Result<(), SiteError> {
    match files
        .keys()
        .find(|p| !p.split('/').all(paths::is_safe_segment))
    {
        Some(bad) => Err(SiteError {
            message: format!("refusing to write `{bad}`: the path is not made of plain names"),
            help: "plugin, namespace, binding and cluster names must be DNS-1123 labels (lowercase letters, digits, `-`)".into(),
        }),
        None => Ok(()),
    }
}

/// The template environment: embedded templates, strict undefined values, HTML escaping for
/// `.html` and `.svg` (strings through [`escape_html`], which leaves `/` readable), and the
/// `inline_code` filter.
fn environment() -> Result<Environment<'static>, SiteError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") || name.ends_with(".svg") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(|out, state, value| {
        if *state.auto_escape() == AutoEscape::Html
            && !value.is_safe()
            && let Some(text) = value.as_str()
        {
            return out
                .write_str(&escape_html(text))
                .map_err(minijinja::Error::from);
        }
        minijinja::escape_formatter(out, state, value)
    });
    env.add_filter("inline_code", inline_code);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    Ok(env)
}

/// Escape `text` for HTML, turning `` `code` `` spans into `<code>` (only when the backticks pair
/// up; otherwise they stay as they are).
fn inline_code(text: &str) -> Value {
    let parts: Vec<&str> = text.split('`').collect();
    let mut out = String::with_capacity(text.len() + 16);
    if parts.len() % 2 == 0 {
        out.push_str(&escape_html(text));
    } else {
        for (i, part) in parts.iter().enumerate() {
            let escaped = escape_html(part);
            if i % 2 == 1 {
                out.push_str(&format!("<code>{escaped}</code>"));
            } else {
                out.push_str(&escaped);
            }
        }
    }
    Value::from_safe_string(out)
}

/// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities: safe in element content and in
/// quoted attribute values.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_code_escapes_inside_and_out() {
        assert_eq!(
            inline_code("a `<b>` & <script>").to_string(),
            "a <code>&lt;b&gt;</code> &amp; &lt;script&gt;"
        );
        assert_eq!(inline_code("odd ` <i>").to_string(), "odd ` &lt;i&gt;");
    }

    #[test]
    fn templates_compile() {
        assert!(environment().is_ok());
    }
}
