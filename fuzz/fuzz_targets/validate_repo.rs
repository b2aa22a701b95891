//! The validator and renderer over a small repository held in one input: documents separated by
//! a line `---8<---`; the first is meshplug.yaml (a default one when it does not load), the rest
//! are catalog entries (when they say `kind: Plugin`) or bindings. Every rendered file must be
//! YAML that reads back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshplug::load::Repo;
use meshplug::model::{Binding, Kind, Marketplace, Plugin};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == b'\n').peekable();
    let mut docs: Vec<Vec<u8>> = vec![Vec::new()];
    while let Some(line) = parts.next() {
        if line == b"---8<---" {
            docs.push(Vec::new());
            continue;
        }
        let doc = docs.last_mut().expect("one document at least");
        doc.extend_from_slice(line);
        if parts.peek().is_some() {
            doc.push(b'\n');
        }
    }
    let config = meshplug_fuzz::load::<Marketplace>("meshplug.yaml", &docs[0], Kind::Marketplace)
        .unwrap_or_else(meshplug_fuzz::default_marketplace);
    let (mut plugins, mut bindings) = (Vec::new(), Vec::new());
    for (i, doc) in docs.iter().enumerate().skip(1) {
        if doc.windows(12).any(|w| w == b"kind: Plugin") {
            let name = format!("catalog/p{i}.yaml");
            plugins.extend(meshplug_fuzz::load::<Plugin>(&name, doc, Kind::Plugin));
        } else {
            let name = format!("bindings/ns/b{i}.yaml");
            bindings.extend(meshplug_fuzz::load::<Binding>(&name, doc, Kind::Binding));
        }
    }
    let repo = Repo {
        root: ".".into(),
        config,
        plugins,
        bindings,
    };
    let checked = meshplug::check::check(&repo);
    meshplug_fuzz::present(&checked.diagnostics);
    match meshplug::render::render(&repo, &checked, &meshplug::lock::NoPins, true) {
        Ok(files) => {
            for (path, text) in &files.files() {
                let source = meshplug::diag::SourceFile::new(path.clone(), text.clone());
                if let Err(d) = meshplug::load::parse(&source) {
                    panic!("rendered {path} does not read back: {}\n{text}", d.message);
                }
            }
        }
        Err(diags) => meshplug_fuzz::present(&diags),
    }
});
