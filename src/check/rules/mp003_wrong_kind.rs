//! MP003 wrong-kind (load): apiVersion is meshplug.io/v1alpha1 and the kind fits the directory
//! (Plugin in catalog dirs, Binding in binding dirs).
//!
//! **Severity:** error
//!
//! `apiVersion` must be `meshplug.io/v1alpha1`, and the `kind` must fit where the file is: `Plugin`
//! in a catalog directory, `Binding` in a bindings directory, `Marketplace` in `meshplug.yaml`. A
//! document in the wrong directory would otherwise be read as the wrong thing, or skipped.
//!
//! ```yaml bad file=catalog/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding             # MP003
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
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

// Found by the loader (`src/load/`), which reports it as `rule::WRONG_KIND`.
