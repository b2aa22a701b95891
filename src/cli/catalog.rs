//! `meshplug catalog list|show|add`.

use super::bind::commit;
use super::common::{fatal, load_and_check, note_problems, print_out};
use crate::check;
use crate::edit::overlay::Change;
use crate::load::{self, Repo};
use crate::model::url::{ModuleUrl, OciRef};
use crate::model::{
    API_VERSION, Defaults, Kind, Localized, ObjectMeta, Phase, Plugin, PluginSpec, PluginType,
    PluginVersion,
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
    let (repo, diags) = match open(repo, reporter) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let checked = check::check(&repo);
    note_problems(diags.iter().chain(&checked.diagnostics));
    let pins = match super::common::pins(&repo.root, reporter, "catalog") {
        Ok(p) => p,
        Err(code) => return code,
    };
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
    let (repo, diags) = match open(repo, reporter) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let checked = check::check(&repo);
    note_problems(diags.iter().chain(&checked.diagnostics));
    let pins = match super::common::pins(&repo.root, reporter, "catalog") {
        Ok(p) => p,
        Err(code) => return code,
    };
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

/// Ask for each missing field on stderr, reading answers from stdin.
fn ask(args: &mut AddArgs) -> Result<(), String> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut prompt =
        |question: &str, default: Option<&str>, required: bool| -> Result<Option<String>, String> {
            for _ in 0..3 {
                match default {
                    Some(d) => eprint!("{question} [{d}]: "),
                    None if required => eprint!("{question}: "),
                    None => eprint!("{question} (optional): "),
                }
                let _ = std::io::stderr().flush();
                let answer = match lines.next() {
                    Some(Ok(l)) => l.trim().to_string(),
                    Some(Err(e)) => return Err(format!("cannot read the answer: {e}")),
                    None => return Err(format!("no answer for `{question}` (end of input)")),
                };
                match (answer.is_empty(), default) {
                    (false, _) => return Ok(Some(answer)),
                    (true, Some(d)) => return Ok(Some(d.to_string())),
                    (true, None) if !required => return Ok(None),
                    _ => eprintln!("  an answer is required"),
                }
            }
            Err(format!("no answer for `{question}`"))
        };
    if args.name.is_none() {
        args.name = prompt("Name (lowercase, e.g. my-plugin)", None, true)?;
    }
    if args.url.is_none() {
        args.url = prompt(
            "Module url (oci://registry/repo:tag or https://...)",
            None,
            true,
        )?;
    }
    if args.version.is_none() {
        let guess = args.url.as_deref().and_then(version_from_url);
        args.version = prompt("Version", guess.as_deref(), true)?;
    }
    if args.title_en.is_none() {
        args.title_en = prompt("English title", None, true)?;
    }
    if args.title_zh.is_none() {
        args.title_zh = prompt("Chinese title (中文名称)", None, false)?;
    }
    if args.description_en.is_none() {
        args.description_en = prompt("English description", None, true)?;
    }
    if args.description_zh.is_none() {
        args.description_zh = prompt("Chinese description (中文描述)", None, false)?;
    }
    if args.category.is_none() {
        args.category = prompt(
            "Category (auth, security, traffic, transformation, observability, custom)",
            None,
            false,
        )?;
    }
    Ok(())
}

/// The catalog entry the fields describe.
fn plugin_of(args: &AddArgs, name: &str, url: &str, version: &str) -> Plugin {
    let defaults = Defaults {
        phase: args.phase,
        priority: args.priority,
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
    let (repo, load_diags) = match load_and_check(root, reporter) {
        Ok(x) => x,
        Err(code) => return code,
    };
    if (interactive || (!args.has_fields() && std::io::stdin().is_terminal()))
        && let Err(e) = ask(&mut args)
    {
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
            let root = match super::common::repo_root(repo.as_deref()) {
                Ok(r) => r,
                Err(code) => return code,
            };
            add(&root, a.fields, a.interactive, a.dry_run, reporter)
        }
    }
}
