#!/usr/bin/env bash
# The whole test suite, on any machine: installs the real components the tests talk to when they
# are missing (as root with apt-get; otherwise it prints the exact install line and stops), then
# runs `cargo test`. Extra arguments go to cargo test. `.ci/run` calls this same script.
set -euo pipefail
cd "$(dirname "$0")/.."

# command -> Debian package (real components, no mocks).
declare -A needs=(
  [docker-registry]=docker-registry # real OCI registry for lock/push/inspect/publish
  [htpasswd]=apache2-utils          # bcrypt htpasswd for the basic-auth registry
  [openssl]=openssl                 # test CA and server certificates for the TLS registry
  [pre-commit]=pre-commit           # the hooks of .pre-commit-hooks.yaml
  [git]=git
  [chromium]=chromium               # the site in a real headless browser
  [skopeo]=skopeo                   # an independent OCI client reads back what meshplug pushed
  [kubectl]=kubernetes-client       # `kubectl kustomize` of the rendered output
)
missing=()
for cmd in $(printf '%s\n' "${!needs[@]}" | sort); do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "test: missing $cmd (Debian package ${needs[$cmd]})"
    missing+=("${needs[$cmd]}")
  fi
done
# Chinese glyphs for the site's screenshots, not only empty boxes.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  echo "test: missing CJK fonts (Debian package fonts-noto-cjk)"
  missing+=(fonts-noto-cjk)
fi
if ((${#missing[@]})); then
  line="apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "test: $line"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "test: install them first, then run this again:" >&2
    echo "  sudo $line" >&2
    exit 1
  fi
fi
# The example plugins are rebuilt for wasm32-wasip1 by a test (examples/plugins/build.sh --check).
if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx wasm32-wasip1; then
  echo "test: rustup target add wasm32-wasip1"
  rustup target add wasm32-wasip1
fi
exec cargo test --locked "$@"
