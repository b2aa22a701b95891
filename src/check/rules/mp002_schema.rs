//! MP002 schema (load): The document matches the JSON Schema of its kind: known fields, right
//! types, required fields present.
//!
//! **Severity:** error
//!
//! Every document must match the JSON Schema of its kind (`schema/*.schema.json`, generated from the
//! same types meshplug reads): no unknown fields, the right types, required fields present. An unknown
//! field is most often a typo, and Kubernetes-style tools would drop it without a word; the hint
//! suggests the closest known field. Point your editor's YAML language server at the schemas to see
//! these while typing (see `docs/formats.md`). Some schema violations have a rule of their own:
//! names (MP010), priorities (MP014), enum values (MP015) and ports (MP025).
//!
//! ```yaml bad file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: key-auth
//!     pluginconfig:         # MP002
//!       keys: [x-api-key]
//! ```
//!
//! ```yaml good file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```

// Found by the loader (`src/load/`), which reports it as `rule::SCHEMA`.
