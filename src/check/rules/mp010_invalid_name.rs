//! MP010 invalid-name (check): Names that become Kubernetes names are DNS-1123 labels and the
//! rendered WasmPlugin name is unique in its namespace.
//!
//! **Severity:** error
//!
//! Names that end up in Kubernetes objects must be DNS-1123 labels: lowercase letters, digits and
//! `-`, starting and ending with a letter or digit, at most 63 characters. That covers plugin names,
//! binding names and namespaces, cluster names and the root namespace. The API server rejects a
//! WasmPlugin whose name or namespace breaks this, which would only show up when Argo CD or Flux
//! syncs. The rendered name `<binding>-<plugin>` must also be unique in its namespace: two bindings
//! whose names combine to the same WasmPlugin name would overwrite each other.
//!
//! ```yaml bad file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: CartService       # MP010
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
//!   name: cart-service
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```
