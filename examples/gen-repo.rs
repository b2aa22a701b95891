//! Deterministic synthetic marketplace repositories for benchmarks and large-scale tests.
//!
//! ```sh
//! cargo run --release --example gen-repo -- --plugins 200 --bindings 5000 --seed 7 OUT
//! ```
//!
//! The same arguments always produce the same files. Plugins carry config schemas and pinned
//! (synthetic) digests; bindings apply 1-3 plugins each with selectors, pluginConfig and env vars,
//! with priorities chosen so the repository validates cleanly.

use std::fmt::Write;
use std::path::{Path, PathBuf};

/// A small deterministic generator (xorshift64*), so output never depends on a crate version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const PHASES: [&str; 4] = ["AUTHN", "AUTHZ", "STATS", "UNSPECIFIED_PHASE"];

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut plugins, mut bindings, mut seed, mut out) =
        (200usize, 5000usize, 7u64, None::<PathBuf>);
    while let Some(a) = args.next() {
        let mut num = |name: &str| -> u64 {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} needs a number"))
        };
        match a.as_str() {
            "--plugins" => plugins = num("--plugins") as usize,
            "--bindings" => bindings = num("--bindings") as usize,
            "--seed" => seed = num("--seed"),
            "-h" | "--help" => {
                println!("usage: gen-repo [--plugins N] [--bindings N] [--seed S] OUT");
                return;
            }
            other => out = Some(PathBuf::from(other)),
        }
    }
    let out = out.expect("usage: gen-repo [--plugins N] [--bindings N] [--seed S] OUT");
    generate(&out, plugins.max(1), bindings, seed.max(1));
    eprintln!(
        "gen-repo: {plugins} plugins, {bindings} bindings in {}",
        out.display()
    );
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Write the repository for `plugins` catalog entries and `bindings` bindings into `out`.
pub fn generate(out: &Path, plugins: usize, bindings: usize, seed: u64) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    write(
        &out.join("meshplug.yaml"),
        "apiVersion: meshplug.io/v1alpha1\nkind: Marketplace\nmetadata:\n  name: generated\nspec:\n  clusters:\n  - {name: east, istioVersion: \"1.27\"}\n  - {name: west, istioVersion: \"1.26\"}\n",
    );
    for p in 0..plugins {
        let phase = PHASES[p % 4];
        let digest = format!(
            "{:016x}{:016x}{:016x}{:016x}",
            rng.next(),
            rng.next(),
            rng.next(),
            rng.next()
        );
        let mut s = String::new();
        writeln!(s, "apiVersion: meshplug.io/v1alpha1\nkind: Plugin\nmetadata:\n  name: plugin-{p:04}\nspec:").unwrap();
        writeln!(s, "  title: {{en: Plugin {p}, zh: 插件 {p}}}\n  description:\n    en: Synthetic plugin number {p} for benchmarks.\n    zh: 用于基准测试的合成插件 {p}。").unwrap();
        writeln!(
            s,
            "  category: {}\n  type: HTTP\n  license: Apache-2.0",
            ["auth", "security", "traffic", "observability"][p % 4]
        )
        .unwrap();
        writeln!(s, "  versions:\n  - version: 1.1.0\n    url: oci://registry.example.com/plugins/plugin-{p:04}:1.1.0\n    sha256: {digest}").unwrap();
        writeln!(s, "  - version: 1.0.0\n    url: oci://registry.example.com/plugins/plugin-{p:04}:1.0.0\n    sha256: {}", &digest.chars().rev().collect::<String>()).unwrap();
        writeln!(s, "  defaults:\n    phase: {phase}\n    failStrategy: FAIL_CLOSE\n    pluginConfig:\n      timeout_ms: 200\n      enabled: true").unwrap();
        writeln!(
            s,
            "  configSchema:\n    type: object\n    additionalProperties: false\n    properties:"
        )
        .unwrap();
        writeln!(s, "      timeout_ms: {{type: integer, minimum: 1, maximum: 60000}}\n      enabled: {{type: boolean}}").unwrap();
        writeln!(s, "      header: {{type: string, pattern: \"^[a-z0-9-]+$\"}}\n      paths: {{type: array, items: {{type: string}}}}").unwrap();
        writeln!(s, "      limits:\n        type: object\n        properties:\n          rps: {{type: integer, minimum: 0}}\n          burst: {{type: integer, minimum: 0}}").unwrap();
        write(&out.join(format!("catalog/plugin-{p:04}.yaml")), &s);
    }
    let namespaces = (bindings / 50).max(1);
    for b in 0..bindings {
        let ns = format!("ns-{:03}", b % namespaces);
        let svc = format!("svc-{b:05}");
        let count = 1 + rng.below(3) as usize;
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < count.min(plugins) {
            let p = rng.below(plugins as u64) as usize;
            if !chosen.contains(&p) {
                chosen.push(p);
            }
        }
        let mut s = String::new();
        writeln!(s, "apiVersion: meshplug.io/v1alpha1\nkind: Binding\nmetadata:\n  name: {svc}\n  namespace: {ns}\nspec:").unwrap();
        writeln!(
            s,
            "  selector:\n    matchLabels:\n      app: {svc}\n      tier: {}\n  plugins:",
            ["web", "api", "db"][b % 3]
        )
        .unwrap();
        for (i, p) in chosen.iter().enumerate() {
            writeln!(
                s,
                "  - plugin: plugin-{p:04}\n    priority: {}",
                100 * (i + 1) + rng.below(90) as usize
            )
            .unwrap();
            if rng.below(2) == 0 {
                writeln!(s, "    version: 1.0.0").unwrap();
            }
            writeln!(s, "    pluginConfig:\n      timeout_ms: {}\n      header: x-svc-{b}\n      paths: [/api/v{}, /health]", 1 + rng.below(5000), 1 + rng.below(3)).unwrap();
            writeln!(
                s,
                "      limits: {{rps: {}, burst: {}}}",
                rng.below(1000),
                rng.below(100)
            )
            .unwrap();
            writeln!(s, "    vmConfig:\n      env:\n      - {{name: SERVICE, value: {svc}}}\n      - {{name: POD_NAME, valueFrom: HOST}}").unwrap();
            if rng.below(4) == 0 {
                writeln!(
                    s,
                    "    match:\n    - mode: SERVER\n      ports: [{{number: {}}}]",
                    8000 + rng.below(1000)
                )
                .unwrap();
            }
        }
        write(&out.join(format!("bindings/{ns}/{svc}.yaml")), &s);
    }
}
