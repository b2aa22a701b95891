//! `meshplug catalog list|show|add`.

use super::bind::commit;
use super::common::{fatal, load_and_check, note_problems, print_out};
use crate::check;
use crate::edit::overlay::Change;
use crate::load::{self, Repo};
use crate::model::url::{ModuleUrl, OciRef};
use crate::model::{
    API_VERSION, Defaults, FailStrategy, Kind, Localized, ObjectMeta, Phase, Plugin, PluginSpec,
    PluginType, PluginVersion,
};
use crate::present::{DataFormat, Reporter, format_data};
use crate::text::{Table, WIDTH};
use crate::views::browse::{self, Page};
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

/// Display language of titles and descriptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// Chinese (简体中文), falling back to English.
    Zh,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// The repository to browse: `repo` when given (it must be one), else the one found from the
/// current directory up, else the builtin catalog.
fn open(
    repo: Option<&Path>,
    reporter: &Reporter,
) -> Result<(Repo, Vec<crate::diag::Diagnostic>), ExitCode> {
    match super::common::locate_repo(repo) {
        Some(root) => load_and_check(&root, reporter),
        None => Ok((browse::builtin_repo(), Vec::new())),
    }
}

/// `catalog list`.
pub fn list(
    repo: Option<&Path>,
    lang: Lang,
    category: Option<&str>,
    format: DataFormat,
    reporter: &Reporter,
) -> ExitCode {
    let (repo, diags) = exit_on_err!(open(repo, reporter));
    let checked = check::check(&repo);
    note_problems(diags.iter().chain(&checked.diagnostics));
    let pins = exit_on_err!(super::common::pins(&repo.root, reporter, "catalog"));
    let entries = browse::list(&checked, pins.as_ref(), lang.code(), category);
    print_out(&format_data(format, &entries, || {
        let mut t = Table::new(&["NAME", "TITLE", "CATEGORY", "LATEST", "PINNED", "SERVICES"])
            .flexible(&[1]);
        for e in &entries {
            t.row(vec![
                e.name.clone(),
                e.title.clone(),
                e.category.clone().unwrap_or_default(),
                e.latest.clone(),
                if e.pinned { "yes" } else { "no" }.into(),
                e.services.to_string(),
            ]);
        }
        if t.is_empty() {
            return match category {
                Some(c) => format!("no plugin in category `{c}`\n"),
                None => "the catalog is empty\n".into(),
            };
        }
        t.render(WIDTH)
    }));
    ExitCode::SUCCESS
}

/// `catalog show`.
pub fn show(
    repo: Option<&Path>,
    name: &str,
    lang: Lang,
    format: DataFormat,
    reporter: &Reporter,
) -> ExitCode {
    let (repo, diags) = exit_on_err!(open(repo, reporter));
    let checked = check::check(&repo);
    note_problems(diags.iter().chain(&checked.diagnostics));
    let pins = exit_on_err!(super::common::pins(&repo.root, reporter, "catalog"));
    let Some(page) = browse::page(&checked, pins.as_ref(), name, lang.code()) else {
        let hint = match crate::diag::did_you_mean(name, checked.catalog.names()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "`meshplug catalog list` shows the plugins".into(),
        };
        return fatal(format!("no plugin `{name}` in the catalog"), hint);
    };
    print_out(&format_data(format, &page, || page_text(&page)));
    ExitCode::SUCCESS
}

fn page_text(p: &Page) -> String {
    let mut out = format!("{}: {}\n\n", p.name, p.title);
    for line in crate::text::wrap(&p.description, WIDTH) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
    let mut facts = vec![format!("type {}", p.plugin_type)];
    if let Some(c) = &p.category {
        facts.insert(0, format!("category {c}"));
    }
    if let Some(l) = &p.license {
        facts.push(format!("license {l}"));
    }
    out.push_str(&format!("{}\n", facts.join(", ")));
    if let Some(h) = &p.homepage {
        out.push_str(&format!("homepage {h}\n"));
    }
    out.push_str(&format!("defined in {}\n", p.file));

    out.push_str("\nVERSIONS\n");
    let mut t = Table::new(&["VERSION", "PINNED", "SERVICES", "URL"]).flexible(&[3]);
    for v in &p.versions {
        t.row(vec![
            v.version.clone(),
            v.sha256.as_ref().map_or("no".into(), |s| {
                format!("sha256:{}", s.get(..12).unwrap_or(s))
            }),
            v.services.len().to_string(),
            v.url.clone(),
        ]);
    }
    out.push_str(&t.render(WIDTH));

    out.push_str("\nDEFAULTS\n");
    let defaults = crate::edit::to_yaml(&p.defaults);
    if defaults.trim() == "{}" {
        out.push_str("(none)\n");
    } else {
        out.push_str(&defaults);
    }

    out.push_str("\nCONFIG\n");
    if p.config.is_empty() {
        out.push_str("(no config schema)\n");
    } else {
        let mut t = Table::new(&["FIELD", "TYPE", "REQUIRED", "DEFAULT", "DESCRIPTION"])
            .flexible(&[4, 1, 0])
            .wrap(&[4]);
        for f in &p.config {
            t.row(vec![
                f.field.clone(),
                f.ty.clone(),
                if f.required { "yes" } else { "" }.into(),
                f.default.clone().unwrap_or_default(),
                f.description.clone(),
            ]);
        }
        out.push_str(&t.render(WIDTH));
    }

    out.push_str("\nEXAMPLE BINDING\n");
    out.push_str(&p.example);
    out
}

/// The fields of `catalog add`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AddArgs {
    /// Catalog name (a DNS label, e.g. my-plugin).
    pub name: Option<String>,
    /// Module url: oci://registry/repo:tag (recommended), https://, http:// or file://.
    #[arg(long)]
    pub url: Option<String>,
    /// Version string (default: the url's tag).
    #[arg(long)]
    pub version: Option<String>,
    /// Pinned digest: 64 lowercase hex (for oci:// the image manifest digest).
    #[arg(long)]
    pub sha256: Option<String>,
    /// English title.
    #[arg(long)]
    pub title_en: Option<String>,
    /// Chinese title.
    #[arg(long)]
    pub title_zh: Option<String>,
    /// English description.
    #[arg(long)]
    pub description_en: Option<String>,
    /// Chinese description.
    #[arg(long)]
    pub description_zh: Option<String>,
    /// Category: auth, security, traffic, transformation, observability, custom.
    #[arg(long)]
    pub category: Option<String>,
    /// Filter type: HTTP (default) or NETWORK.
    #[arg(long = "type", ignore_case = true, value_parser = super::args::plugin_types())]
    pub plugin_type: Option<PluginType>,
    /// Default phase for bindings.
    #[arg(long, ignore_case = true, value_parser = super::args::phases())]
    pub phase: Option<Phase>,
    /// Default priority for bindings, 1..1000.
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..=1000))]
    pub priority: Option<i64>,
    /// Default fail strategy for bindings: FAIL_CLOSE, FAIL_OPEN or FAIL_RELOAD.
    #[arg(long, ignore_case = true, value_parser = fail_strategies())]
    pub fail_strategy: Option<FailStrategy>,
    /// Documentation page.
    #[arg(long)]
    pub homepage: Option<String>,
    /// SPDX license expression.
    #[arg(long)]
    pub license: Option<String>,
}

impl AddArgs {
    fn has_fields(&self) -> bool {
        self.url.is_some()
            || self.title_en.is_some()
            || self.description_en.is_some()
            || self.version.is_some()
    }
}

/// The version a url's tag names, when it is a usable version string.
fn version_from_url(url: &str) -> Option<String> {
    let parsed = ModuleUrl::parse(url);
    let rest = if parsed.scheme.is_none() || parsed.scheme == Some("oci") {
        parsed.rest
    } else {
        return None;
    };
    let r = OciRef::parse(rest).ok()?;
    let tag = r.tag()?;
    let ok = tag
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        && tag != "latest"
        && tag.len() <= 63;
    ok.then(|| tag.to_string())
}

/// The categories `catalog add` offers (the site and `catalog list --category` group by them).
const CATEGORIES: [(&str, &str); 6] = [
    ("auth", "who the caller is: keys, tokens, logins"),
    ("security", "what may pass: blocking, bot detection, WAF"),
    (
        "traffic",
        "where and how much: routing, rate limits, retries",
    ),
    (
        "transformation",
        "what requests and responses look like: headers, bodies",
    ),
    ("observability", "what is seen: logs, metrics, traces"),
    ("custom", "anything else"),
];

/// Questions on stderr, answers from stdin, one line each.
struct Prompter<L> {
    lines: L,
}

impl<L: Iterator<Item = std::io::Result<String>>> Prompter<L> {
    /// Ask `question` until the answer passes `check`: a problem is said and the question asked
    /// again (earlier answers are kept). An empty answer takes `default`, or, when the question
    /// is optional, gives `None`. `Err` only when the input ends or cannot be read.
    fn ask<T>(
        &mut self,
        question: &str,
        default: Option<&str>,
        required: bool,
        check: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, String> {
        loop {
            match default {
                Some(d) => eprint!("{question} [{d}]: "),
                None if required => eprint!("{question}: "),
                None => eprint!("{question} (optional): "),
            }
            let _ = std::io::stderr().flush();
            let answer = match self.lines.next() {
                Some(Ok(l)) => l.trim().to_string(),
                Some(Err(e)) => return Err(format!("cannot read the answer: {e}")),
                None => return Err(format!("no answer for `{question}` (end of input)")),
            };
            let answer = match (answer.is_empty(), default) {
                (false, _) => answer,
                (true, Some(d)) => d.to_string(),
                (true, None) if !required => return Ok(None),
                (true, None) => {
                    eprintln!("  an answer is required");
                    continue;
                }
            };
            match check(&answer) {
                Ok(v) => return Ok(Some(v)),
                Err(problem) => eprintln!("  {problem}; try again"),
            }
        }
    }
}

/// A catalog name: a DNS label no plugin of the repository (or the builtin catalog) has.
fn check_name(name: &str, taken: &[String]) -> Result<String, String> {
    let label = !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-');
    if !label {
        return Err(format!(
            "`{name}` is not a valid name: use a DNS label (lowercase letters, digits and '-', starting with a letter), e.g. my-plugin"
        ));
    }
    if taken.iter().any(|t| t == name) {
        return Err(format!("the catalog already has a plugin named `{name}`"));
    }
    Ok(name.to_string())
}

/// A module url Istio can fetch; an oci:// reference must parse and name a tag or a digest.
fn check_url(url: &str) -> Result<String, String> {
    let parsed = ModuleUrl::parse(url);
    match parsed.scheme {
        Some("oci") => {
            let r = OciRef::parse(parsed.rest).map_err(|e| format!("`{url}`: {e}"))?;
            if r.tag().is_none() && r.digest().is_none() {
                return Err(format!(
                    "`{url}` names no tag: write oci://registry/repo:TAG (a version, not latest)"
                ));
            }
        }
        Some("https" | "http" | "file") if !parsed.rest.is_empty() => {}
        Some(other) => {
            return Err(format!(
                "`{other}://` is not a scheme Istio fetches: use oci://, https://, http:// or file://"
            ));
        }
        None => {
            return Err(format!(
                "`{url}` has no scheme: write oci://{url} (or https://...)"
            ));
        }
    }
    Ok(url.to_string())
}

/// A version string: no blanks, at most 63 characters, not `latest`.
fn check_version(v: &str) -> Result<String, String> {
    if v.len() > 63 || v.contains(char::is_whitespace) || v == "latest" {
        return Err(format!(
            "`{v}` is not a usable version: a string like 1.2.0 (no blanks, not latest)"
        ));
    }
    Ok(v.to_string())
}

/// A category from [`CATEGORIES`], by name or number.
fn check_category(c: &str) -> Result<String, String> {
    let by_number = c
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| CATEGORIES.get(i));
    match by_number.or_else(|| CATEGORIES.iter().find(|(name, _)| *name == c)) {
        Some((name, _)) => Ok(name.to_string()),
        None => Err(format!(
            "`{c}` is not one of the categories: answer with a name or number from the list"
        )),
    }
}

fn check_phase(p: &str) -> Result<Phase, String> {
    super::args::parse_phase(p)
}

fn check_priority(p: &str) -> Result<i64, String> {
    p.parse::<i64>()
        .ok()
        .filter(|n| (1..=1000).contains(n))
        .ok_or_else(|| format!("`{p}` is not a priority: a whole number from 1 to 1000"))
}

fn check_fail_strategy(s: &str) -> Result<FailStrategy, String> {
    parse_fail_strategy(s)
}

/// Parse FAIL_CLOSE, FAIL_OPEN or FAIL_RELOAD (any case).
fn parse_fail_strategy(s: &str) -> Result<FailStrategy, String> {
    match s.to_ascii_uppercase().as_str() {
        "FAIL_CLOSE" => Ok(FailStrategy::FailClose),
        "FAIL_OPEN" => Ok(FailStrategy::FailOpen),
        "FAIL_RELOAD" => Ok(FailStrategy::FailReload),
        _ => Err(format!(
            "`{s}` is not a fail strategy: FAIL_CLOSE, FAIL_OPEN or FAIL_RELOAD"
        )),
    }
}

/// `--fail-strategy`: the values offered by shell completion.
fn fail_strategies() -> impl clap::builder::TypedValueParser<Value = FailStrategy> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
    PossibleValuesParser::new([
        PossibleValue::new("FAIL_CLOSE").help("requests fail while the plugin is broken"),
        PossibleValue::new("FAIL_OPEN").help("the plugin is bypassed while it is broken"),
        PossibleValue::new("FAIL_RELOAD").help("a new VM is started after a crash (Istio 1.27+)"),
    ])
    .map(|s| parse_fail_strategy(&s).expect("a listed value"))
}

/// Ask for each missing field on stderr, reading answers from stdin: every answer is checked as
/// it is given and the question asked again on a problem. `taken`: the names already used.
fn ask(args: &mut AddArgs, taken: &[String]) -> Result<(), String> {
    let stdin = std::io::stdin();
    let mut p = Prompter {
        lines: stdin.lock().lines(),
    };
    if args.name.is_none() {
        args.name = p.ask("Name (a DNS label, e.g. my-plugin)", None, true, |a| {
            check_name(a, taken)
        })?;
    }
    if args.url.is_none() {
        args.url = p.ask(
            "Module url (oci://registry/repo:tag, https://, http:// or file://)",
            None,
            true,
            check_url,
        )?;
    }
    if args.version.is_none() {
        let guess = args.url.as_deref().and_then(version_from_url);
        args.version = p.ask("Version", guess.as_deref(), true, check_version)?;
    }
    let text = |a: &str| Ok::<_, String>(a.to_string());
    if args.title_en.is_none() {
        args.title_en = p.ask("English title", None, true, text)?;
    }
    if args.title_zh.is_none() {
        args.title_zh = p.ask("Chinese title (中文名称)", None, false, text)?;
    }
    if args.description_en.is_none() {
        args.description_en = p.ask("English description", None, true, text)?;
    }
    if args.description_zh.is_none() {
        args.description_zh = p.ask("Chinese description (中文描述)", None, false, text)?;
    }
    if args.category.is_none() {
        eprintln!("Categories:");
        for (i, (name, what)) in CATEGORIES.iter().enumerate() {
            eprintln!("  {}. {name:<15} {what}", i + 1);
        }
        args.category = p.ask("Category (name or number)", None, false, check_category)?;
    }
    if args.plugin_type.is_none() {
        eprintln!("Filter type: HTTP sees requests and responses; NETWORK sees TCP bytes.");
        args.plugin_type = p.ask("Type (HTTP or NETWORK)", Some("HTTP"), true, |a| {
            super::args::parse_plugin_type(a)
        })?;
    }
    if args.phase.is_none() {
        eprintln!("Phase, where bindings put the plugin in the chain by default:");
        eprintln!(
            "  AUTHN              before Istio's authentication (JWT): sees unauthenticated requests"
        );
        eprintln!("  AUTHZ              after authentication, before authorization (RBAC)");
        eprintln!(
            "  STATS              after authorization, before the stats filter: only allowed requests"
        );
        eprintln!("  UNSPECIFIED_PHASE  at the end of the chain, just before the router");
        args.phase = p.ask("Phase", None, false, check_phase)?;
    }
    if args.priority.is_none() {
        eprintln!(
            "Priority, the order within the phase: 1..1000, higher runs first (unset runs last)."
        );
        args.priority = p.ask("Priority", None, false, check_priority)?;
    }
    if args.fail_strategy.is_none() {
        eprintln!("Fail strategy, what happens while the module cannot be fetched or crashes:");
        eprintln!("  FAIL_CLOSE   requests fail (Istio's default: safe for auth plugins)");
        eprintln!("  FAIL_OPEN    the plugin is skipped and requests pass (for optional features)");
        eprintln!("  FAIL_RELOAD  a new VM is started after a crash (Istio 1.27 and later)");
        args.fail_strategy = p.ask("Fail strategy", None, false, check_fail_strategy)?;
    }
    if args.homepage.is_none() {
        args.homepage = p.ask("Homepage", None, false, |a| {
            if a.starts_with("https://") || a.starts_with("http://") {
                Ok(a.to_string())
            } else {
                Err(format!("`{a}` is not an http(s):// url"))
            }
        })?;
    }
    if args.license.is_none() {
        args.license = p.ask("License (SPDX, e.g. Apache-2.0)", None, false, |a| {
            if a.contains(char::is_whitespace) && !a.contains(" OR ") && !a.contains(" AND ") {
                Err(format!("`{a}` is not an SPDX expression"))
            } else {
                Ok(a.to_string())
            }
        })?;
    }
    Ok(())
}

/// The catalog entry the fields describe.
fn plugin_of(args: &AddArgs, name: &str, url: &str, version: &str) -> Plugin {
    let defaults = Defaults {
        phase: args.phase,
        priority: args.priority,
        fail_strategy: args.fail_strategy,
        ..Defaults::default()
    };
    Plugin {
        api_version: API_VERSION.into(),
        kind: "Plugin".into(),
        metadata: ObjectMeta {
            name: name.into(),
            labels: None,
            annotations: None,
        },
        spec: PluginSpec {
            title: Localized {
                en: args.title_en.clone().unwrap_or_default(),
                zh: args.title_zh.clone(),
            },
            description: Localized {
                en: args.description_en.clone().unwrap_or_default(),
                zh: args.description_zh.clone(),
            },
            category: args.category.clone(),
            plugin_type: args.plugin_type,
            plugin_name: None,
            versions: vec![PluginVersion {
                version: version.into(),
                url: url.into(),
                sha256: args.sha256.clone(),
                abi: None,
            }],
            defaults,
            config_schema: None,
            homepage: args.homepage.clone(),
            license: args.license.clone(),
            maintainers: Vec::new(),
            examples: Vec::new(),
        },
    }
}

/// `catalog add`.
pub fn add(
    root: &Path,
    mut args: AddArgs,
    interactive: bool,
    dry_run: bool,
    reporter: &Reporter,
) -> ExitCode {
    let (repo, load_diags) = exit_on_err!(load_and_check(root, reporter));
    let asked = interactive || (!args.has_fields() && std::io::stdin().is_terminal());
    let taken: Vec<String> = repo
        .plugins
        .iter()
        .map(|p| p.item.metadata.name.clone())
        .collect();
    if asked && let Err(e) = ask(&mut args, &taken) {
        return fatal(
            e,
            "answer each question, or pass the fields as flags (see --help)",
        );
    }
    let missing: Vec<&str> = [
        ("NAME", args.name.is_none()),
        ("--url", args.url.is_none()),
        ("--title-en", args.title_en.is_none()),
        ("--description-en", args.description_en.is_none()),
    ]
    .into_iter()
    .filter_map(|(flag, absent)| absent.then_some(flag))
    .collect();
    if !missing.is_empty() {
        return fatal(
            format!("catalog add needs {}", missing.join(", ")),
            "pass them as flags, or run on a terminal (or with --interactive) to be asked",
        );
    }
    let (name, url) = (
        args.name.clone().unwrap_or_default(),
        args.url.clone().unwrap_or_default(),
    );
    let Some(version) = args.version.clone().or_else(|| version_from_url(&url)) else {
        return fatal(
            format!("no version for `{url}`: its url has no usable tag"),
            "pass --version, e.g. --version 1.0.0",
        );
    };
    let Some(dir) = repo
        .config
        .item
        .spec
        .catalog
        .iter()
        .find(|d| *d != load::BUILTIN)
    else {
        return fatal(
            "meshplug.yaml lists no catalog directory of its own (only `builtin`)",
            "add one, e.g. `catalog: [builtin, catalog]` under spec in meshplug.yaml",
        );
    };
    let rel = format!("{}/{name}.yaml", dir.trim_end_matches('/'));
    if repo.root.join(&rel).exists() {
        return fatal(
            format!("{rel} already exists"),
            format!("edit it to add a version, or choose another name than `{name}`"),
        );
    }
    let plugin = plugin_of(&args, &name, &url, &version);
    let text = crate::edit::plugin_file(
        &plugin,
        &crate::edit::schema_modeline(&repo.root, &rel, "plugin.schema.json"),
    );
    if asked && !dry_run {
        // The answers, as the file they make, before it is checked and written.
        eprintln!("catalog add: {rel} will be:\n");
        for line in text.lines() {
            eprintln!("    {line}");
        }
        eprintln!();
    }
    let done = format!("catalog add: wrote {rel}");
    let change = Change::Write {
        path: rel,
        kind: Kind::Plugin,
        text,
    };
    commit(
        repo,
        &load_diags,
        change,
        dry_run,
        reporter,
        "catalog add",
        &done,
    )
}

/// `meshplug catalog` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum CatalogCommand {
    /// List the plugins: name, title, category, newest version, pinned, services using it.
    List {
        /// Language of the titles.
        #[arg(long, value_enum, default_value_t = Lang::En)]
        lang: Lang,
        /// Only this category.
        #[arg(long)]
        category: Option<String>,
        /// Output format.
        #[arg(long, default_value = "human", value_parser = super::args::data_formats())]
        format: DataFormat,
    },
    /// One plugin's page: description, versions and pins, config fields, defaults, an example.
    Show {
        /// Catalog name.
        plugin: String,
        /// Language of the texts.
        #[arg(long, value_enum, default_value_t = Lang::En)]
        lang: Lang,
        /// Output format.
        #[arg(long, default_value = "human", value_parser = super::args::data_formats())]
        format: DataFormat,
    },
    /// Add a plugin to the repository's catalog (validated before it is written). Without
    /// flags on a terminal, asks for each field.
    Add(Box<AddCommand>),
}

/// Arguments of `meshplug catalog add`.
#[derive(Debug, clap::Args)]
pub struct AddCommand {
    /// The entry's fields.
    #[command(flatten)]
    pub fields: AddArgs,
    /// Ask for each missing field (the default without flags on a terminal).
    #[arg(long)]
    pub interactive: bool,
    /// Print the new file instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
}

/// Run a `meshplug catalog` subcommand.
/// `repo` is the `--repo` option (outside a repository, list and show use the builtin catalog).
pub fn run(cmd: CatalogCommand, repo: Option<std::path::PathBuf>, reporter: &Reporter) -> ExitCode {
    match cmd {
        CatalogCommand::List {
            lang,
            category,
            format,
        } => list(repo.as_deref(), lang, category.as_deref(), format, reporter),
        CatalogCommand::Show {
            plugin,
            lang,
            format,
        } => show(repo.as_deref(), &plugin, lang, format, reporter),
        CatalogCommand::Add(a) => {
            let a = *a;
            let root = exit_on_err!(super::common::repo_root(repo.as_deref()));
            add(&root, a.fields, a.interactive, a.dry_run, reporter)
        }
    }
}
