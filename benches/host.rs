//! The embedded proxy-wasm host on the SDK-built modules of examples/plugins: compile, start and
//! configure one module; and one request through a 5-plugin chain (basic-auth with credentials,
//! deny-path, add-header, hello-world twice), request and response phases. Run:
//! `cargo bench --bench host`.

use meshplug::run::{self, Compiled, Mocks, PluginSpec, PluginVm, Request};
use std::path::Path;

fn main() {
    divan::main();
}

fn module(name: &str) -> Compiled {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/plugins/{name}.wasm"));
    let bytes = std::fs::read(path).unwrap();
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    Compiled::new(&bytes, &sha).unwrap()
}

const BASIC_AUTH: &str = r#"{"basic_auth_rules":[{"prefix":"/productpage","request_methods":["GET","POST"],"credentials":["ok:test","YWRtaW4zOmFkbWluMw=="]}]}"#;

fn chain() -> Vec<PluginVm> {
    let specs = [
        ("basic-auth", BASIC_AUTH.to_string()),
        ("deny-path-sdk", r#"{"prefix":"/admin"}"#.to_string()),
        ("add-header", String::new()),
        ("hello-world", r#"{"greeting":"one"}"#.to_string()),
        ("hello-world", r#"{"greeting":"two"}"#.to_string()),
    ];
    specs
        .iter()
        .enumerate()
        .map(|(i, (name, config))| {
            let spec = PluginSpec::new(&format!("bench.p{i}"), config.as_bytes().to_vec());
            run::start(&module(name), &spec).unwrap()
        })
        .collect()
}

#[divan::bench]
fn compile_start_configure_basic_auth(bencher: divan::Bencher) {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plugins/basic-auth.wasm"),
    )
    .unwrap();
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    bencher.bench(|| {
        let c = Compiled::new(&bytes, &sha).unwrap();
        run::start(
            &c,
            &PluginSpec::new("bench.p", BASIC_AUTH.as_bytes().to_vec()),
        )
        .unwrap()
    });
}

#[divan::bench]
fn start_configure_compiled_hello_world(bencher: divan::Bencher) {
    let c = module("hello-world");
    bencher.bench(|| {
        run::start(
            &c,
            &PluginSpec::new("bench.p", b"{\"greeting\":\"x\"}".to_vec()),
        )
        .unwrap()
    });
}

#[divan::bench]
fn replay_one_request_through_5_plugins(bencher: divan::Bencher) {
    let mut vms = chain();
    let mocks = Mocks::new();
    let req = Request::get("/productpage").header("authorization", "Basic YWRtaW4zOmFkbWluMw==");
    bencher.bench_local(|| {
        let r = run::replay(&mut vms, req.clone(), &mocks);
        assert_eq!(r.response.status, Some(200));
        r
    });
}
