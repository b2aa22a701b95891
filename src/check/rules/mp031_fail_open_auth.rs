//! MP031 fail-open-auth (check): AUTHN and AUTHZ plugins fail closed: FAIL_OPEN would let requests
//! through unauthenticated while the plugin is broken.
//!
//! **Severity:** warning
//!
//! `failStrategy` says what happens when the module cannot be fetched or its VM fails. With
//! `FAIL_CLOSE` (the default) requests are denied; with `FAIL_OPEN` the plugin is skipped and requests
//! go through. For a plugin in the `AUTHN` or `AUTHZ` phase, failing open means a broken deployment
//! lets every request through unauthenticated, which Istio's own API documentation warns against. It
//! is a warning because some teams accept that trade-off deliberately.
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
//!     failStrategy: FAIL_OPEN  # MP031
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
//!     failStrategy: FAIL_CLOSE
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```
