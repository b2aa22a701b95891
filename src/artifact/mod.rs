//! Module artifacts: the OCI registry client ([`registry`]), image layouts and layers
//! ([`image`]) and the static proxy-wasm check of module bytes ([`wasm`]). Used by `lock`,
//! `push` and `inspect`; depends only on the base layer and the model.

pub mod flux;
pub mod image;
pub mod registry;
pub mod wasm;
