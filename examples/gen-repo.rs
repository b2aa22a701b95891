//! Generate a deterministic synthetic marketplace repository (see `meshplug::synth`).
//!
//! ```sh
//! cargo run --release --example gen-repo -- --plugins 200 --bindings 5000 --seed 7 OUT
//! ```

use std::path::PathBuf;

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
    meshplug::synth::generate(&out, plugins, bindings, seed.max(1))
        .expect("writing the repository");
    eprintln!(
        "gen-repo: {plugins} plugins, {bindings} bindings in {}",
        out.display()
    );
}
