//! meshplug: a git repository as a marketplace of Istio WebAssembly plugins.
//!
//! The pipeline, one module per stage: [`load`] (discover files, parse with spans) →
//! [`check`] (JSON Schema + named rules) → [`render`] (WasmPlugin manifests and kustomizations) →
//! [`present`] (diagnostics and output); [`site`] publishes the marketplace as a static website. [`model`] holds the typed file formats; [`cli`] wires the
//! commands.

#![forbid(unsafe_op_in_unsafe_fn)]

pub mod browse;
pub mod check;
pub mod cli;
pub mod edit;
pub mod explain;
pub mod image;
pub mod import;
pub mod lint;
pub mod load;
pub mod lock;
pub mod manifests;
pub mod model;
pub mod present;
pub mod registry;
pub mod render;
pub mod run;
pub mod site;
pub mod status;
pub mod synth;
pub mod wasm;
