//! Plugin cards and plugin pages: catalog entries with their versions, pins, config schema,
//! defaults, how to use them and where they run.

use super::i18n::{self, Text};
use super::model::{
    AppliedRow, CategoryView, DefaultRow, Link, Locks, MaintainerView, PluginView, ServiceView,
    VersionView,
};
use super::{paths, schema_table, snippets};
use crate::check::Checked;
use crate::model::url::{ModuleUrl, OciRef};
use crate::model::{Plugin, PluginVersion};
use std::collections::{BTreeMap, BTreeSet};

/// Every catalog entry, sorted by name.
pub fn plugins(checked: &Checked<'_>, services: &[ServiceView], locks: &Locks) -> Vec<PluginView> {
    checked
        .catalog
        .names()
        .filter_map(|name| checked.catalog.get(name))
        .map(|p| plugin(&p.item, services, locks))
        .collect()
}

/// The titles of every catalog entry, by name.
pub fn titles(checked: &Checked<'_>) -> BTreeMap<String, Text> {
    checked
        .catalog
        .names()
        .filter_map(|name| checked.catalog.get(name))
        .map(|p| (p.item.metadata.name.clone(), Text::from(&p.item.spec.title)))
        .collect()
}

/// The categories in use, sorted by id.
pub fn categories(plugins: &[PluginView]) -> Vec<CategoryView> {
    let ids: BTreeSet<&str> = plugins
        .iter()
        .filter_map(|p| p.category.as_ref().map(|c| c.id.as_str()))
        .collect();
    ids.into_iter()
        .map(|id| CategoryView {
            id: id.to_string(),
            label: i18n::category(id),
        })
        .collect()
}

fn plugin(p: &Plugin, services: &[ServiceView], locks: &Locks) -> PluginView {
    let name = p.metadata.name.clone();
    let spec = &p.spec;
    let title = Text::from(&spec.title);
    let description = Text::from(&spec.description);
    let category = spec.category.as_ref().map(|id| CategoryView {
        id: id.clone(),
        label: i18n::category(id),
    });
    let versions: Vec<VersionView> = spec.versions.iter().map(|v| version(v, locks)).collect();
    let applied = applied(&name, services);
    let used_by: BTreeSet<&str> = applied.iter().map(|a| a.service.key.as_str()).collect();
    let schema = spec.config_schema.as_ref();
    let fields = schema.map(schema_table::rows).unwrap_or_default();
    let search = [
        name.as_str(),
        &title.en,
        &title.zh,
        &description.en,
        &description.zh,
        category.as_ref().map_or("", |c| c.id.as_str()),
        category.as_ref().map_or("", |c| c.label.en.as_str()),
        category.as_ref().map_or("", |c| c.label.zh.as_str()),
    ]
    .join(" ")
    .to_lowercase();
    PluginView {
        href: paths::plugin(&name),
        icon: paths::icon(&name),
        icon_alt: Text::new(format!("{} icon", title.en), format!("{} 图标", title.zh)),
        latest: versions
            .first()
            .map(|v| v.version.clone())
            .unwrap_or_default(),
        pinned: versions.first().is_some_and(|v| v.pin.is_some()),
        services: used_by.len(),
        usage: usage(used_by.len()),
        search,
        plugin_type: spec
            .plugin_type
            .map_or("HTTP", |t| match t {
                crate::model::PluginType::Network => "NETWORK",
                _ => "HTTP",
            })
            .to_string(),
        root_id: spec.plugin_name.clone(),
        homepage: spec.homepage.as_deref().map(link),
        license: spec.license.clone(),
        maintainers: spec
            .maintainers
            .iter()
            .map(|m| MaintainerView {
                name: m.name.clone(),
                email: m.email.clone(),
                url: m.url.as_deref().map(link),
            })
            .collect(),
        schema_description: schema
            .and_then(|s| s.get("description"))
            .and_then(|d| d.as_str())
            .unwrap_or_default()
            .to_string(),
        defaults: defaults(p),
        default_config: spec
            .defaults
            .plugin_config
            .as_ref()
            .filter(|c| !c.is_empty())
            .and_then(|c| serde_json::to_string_pretty(c).ok()),
        env: spec
            .defaults
            .env()
            .iter()
            .map(|e| match (&e.value_from, &e.value) {
                (Some(crate::model::EnvValueSource::Host), _) => Text::new(
                    format!("{} (from the proxy's environment)", e.name),
                    format!("{}（取自代理的环境变量）", e.name),
                ),
                (_, value) => Text::same(format!("{}={}", e.name, value.as_deref().unwrap_or(""))),
            })
            .collect(),
        bind_command: snippets::bind_command(&name, &fields),
        binding_yaml: snippets::binding_yaml(
            &name,
            spec.versions.first().map(|v| v.version.as_str()),
            schema,
        ),
        name,
        title,
        description,
        category,
        versions,
        fields,
        applied,
    }
}

/// "Used by N services".
fn usage(n: usize) -> Text {
    match n {
        0 => Text::new("Not used yet", "尚未使用"),
        1 => Text::new("Used by 1 service", "1 个服务在用"),
        n => Text::new(format!("Used by {n} services"), format!("{n} 个服务在用")),
    }
}

/// A url as a link: followed only when it is http(s) without spaces or control characters.
pub fn link(url: &str) -> Link {
    Link {
        text: url.to_string(),
        href: safe_href(url).map(str::to_string),
    }
}

/// `url` when a browser may follow it: `http://` or `https://`, nothing that could break out of
/// the attribute or hide a different target.
pub fn safe_href(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    let clean = url.chars().all(|c| {
        !c.is_whitespace() && !c.is_control() && !matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')
    });
    (web && clean && url.len() > "https://".len()).then_some(url)
}

fn version(v: &PluginVersion, locks: &Locks) -> VersionView {
    let parsed = ModuleUrl::parse(&v.url);
    let url_digest = (parsed.scheme == Some("oci"))
        .then(|| OciRef::parse(parsed.rest).ok())
        .flatten()
        .and_then(|r| r.digest_hex().map(str::to_string));
    let lock = locks.get(&v.url);
    VersionView {
        version: v.version.clone(),
        url: link(&v.url),
        pin: v
            .sha256
            .clone()
            .or(url_digest)
            .or_else(|| lock.and_then(|l| l.digest.clone())),
        format: lock.and_then(|l| l.format.clone()),
        abi: lock.and_then(|l| l.abi.clone()),
    }
}

fn defaults(p: &Plugin) -> Vec<DefaultRow> {
    let d = &p.spec.defaults;
    let mut out = Vec::new();
    let mut push = |key, value: Option<String>| {
        if let Some(value) = value {
            out.push(DefaultRow { key, value });
        }
    };
    push("phase", d.phase.map(|x| x.as_str().to_string()));
    push("priority", d.priority.map(|x| x.to_string()));
    push(
        "fail_strategy",
        d.fail_strategy.map(|x| x.as_str().to_string()),
    );
    push(
        "pull_policy",
        d.image_pull_policy
            .and_then(|x| serde_json::to_value(x).ok())
            .and_then(|v| v.as_str().map(str::to_string)),
    );
    out
}

/// Every (service, source, setting) whose chain includes `plugin`, clusters merged.
fn applied(plugin: &str, services: &[ServiceView]) -> Vec<AppliedRow> {
    let mut rows: Vec<AppliedRow> = Vec::new();
    for s in services {
        for c in &s.chains {
            for r in c
                .rows
                .iter()
                .filter(|r| r.kind == "plugin" && r.name == plugin)
            {
                let source = r.source.as_ref().map(|x| x.key.clone()).unwrap_or_default();
                let same = rows.iter_mut().find(|a| {
                    a.service == s.service
                        && a.source == source
                        && a.version == r.version
                        && a.phase == r.phase
                        && a.priority == r.priority
                });
                match same {
                    Some(a) => {
                        a.clusters.push_str(", ");
                        a.clusters.push_str(&c.cluster);
                    }
                    None => rows.push(AppliedRow {
                        service: s.service.clone(),
                        source,
                        clusters: c.cluster.clone(),
                        version: r.version.clone(),
                        phase: r.phase.clone(),
                        priority: r.priority,
                    }),
                }
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_links_are_followed() {
        assert_eq!(
            safe_href("https://example.com/a?b=c"),
            Some("https://example.com/a?b=c")
        );
        assert_eq!(safe_href("HTTP://example.com"), Some("HTTP://example.com"));
        for bad in [
            "javascript:alert(1)",
            " https://x.example",
            "https://x.example\" onmouseover=\"x",
            "data:text/html,hi",
            "oci://ghcr.io/a/b:1",
            "//evil.example",
            "https://",
            "https://a.example/\u{0}",
        ] {
            assert_eq!(safe_href(bad), None, "{bad}");
        }
    }
}
