//! MP001 yaml-syntax (load): The file is readable, UTF-8, at most 16 MiB, and holds exactly one
//! well-formed YAML document without duplicate keys.
//!
//! **Severity:** error
//!
//! The file must be readable, UTF-8 (a BOM is tolerated), at most 16 MiB, and hold exactly one YAML
//! document. Keys may not repeat within a mapping: most YAML parsers silently keep the last value, so a
//! copy-pasted block would quietly replace the one above it. Alias bombs, nesting deeper than 64
//! levels, empty files and symlinks that cannot be read are reported here too, as a clear error
//! rather than a crash.
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
//!     pluginConfig:
//!       keys: [x-api-key]
//!     pluginConfig:         # MP001
//!       keys: [x-cart-key]
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
//!       keys: [x-api-key, x-cart-key]
//! ```

// Found by the loader (`src/load/`), which reports it as `rule::YAML_SYNTAX`.
