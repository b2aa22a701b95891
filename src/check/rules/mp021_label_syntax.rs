//! MP021 label-syntax (check): Selector labels: no empty key, no '*' in keys or values, valid
//! Kubernetes label syntax, values at most 63 characters.
//!
//! **Severity:** error
//!
//! Selector labels follow Kubernetes label syntax: a key is an optional DNS-subdomain prefix and `/`,
//! then a name of at most 63 letters, digits, `-`, `_` and `.` that starts and ends with a letter or
//! digit; a value is empty or such a name. Istio's CRD adds that neither may contain `*` and a key may
//! not be empty: there are no wildcards, and a pattern would match no pod at all. An empty
//! `matchLabels` is a warning under the same code, since it selects the whole namespace.
//!
//! ```yaml bad file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   selector:
//!     matchLabels:
//!       app: cart-*         # MP021
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
//!   selector:
//!     matchLabels:
//!       app.kubernetes.io/part-of: cart
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```
