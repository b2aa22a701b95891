#!/usr/bin/env bash
# Rebuild the Rust proxy-wasm plugins of this directory and copy them next to this script:
# basic-auth.wasm, hello-world.wasm, deny-path-sdk.wasm, root-only.wasm. The build is
# reproducible: the bytes do not depend on where the repository is checked out or on the user's
# home (paths are remapped), only on the Rust toolchain, which is recorded in TOOLCHAIN.
#
#   ./build.sh          rebuild, copy the modules, write TOOLCHAIN
#   ./build.sh --check  rebuild into a temporary directory and compare with the modules here:
#                       exit 0 when identical, 1 when one differs (or is missing), 3 when the
#                       current toolchain is not the one in TOOLCHAIN (bytes cannot be compared)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
cd "$here"

target=wasm32-wasip1
# crate directory, file name of its artifact, name of the committed module
modules=(
  "basic-auth basic_auth.wasm basic-auth.wasm"
  "hello-world hello_world.wasm hello-world.wasm"
  "deny-path-sdk deny_path_sdk.wasm deny-path-sdk.wasm"
  "root-only root_only.wasm root-only.wasm"
)

check=0
case "${1-}" in
  "") ;;
  --check) check=1 ;;
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

toolchain="$(rustc --version)"
if [ "$check" = 1 ]; then
  recorded="$(cat TOOLCHAIN 2>/dev/null || echo "(no TOOLCHAIN file)")"
  if [ "$recorded" != "$toolchain" ]; then
    echo "build.sh --check: cannot compare bytes: the modules were built with '$recorded'," >&2
    echo "this machine has '$toolchain'; install that toolchain or rebuild with ./build.sh" >&2
    exit 3
  fi
fi

if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi

if [ "$check" = 1 ]; then
  target_dir="$(mktemp -d "${TMPDIR:-/tmp}/meshplug-plugins-check.XXXXXX")"
  trap 'rm -rf "$target_dir"' EXIT
else
  target_dir="$here/target"
fi

cargo_home="${CARGO_HOME:-$HOME/.cargo}"
cargo_home_real="$(cd "$cargo_home" 2>/dev/null && pwd -P || echo "$cargo_home")"
sysroot="$(rustc --print sysroot)"
# Later prefixes win when several match, so the most specific come last. The encoded form keeps
# paths with spaces intact; it also overrides any rustflags of the user's cargo configuration.
flags=(
  "--remap-path-prefix=$sysroot=/rust/sysroot"
  "--remap-path-prefix=$cargo_home_real=/cargo"
  "--remap-path-prefix=$cargo_home=/cargo"
  "--remap-path-prefix=$here=/meshplug/examples/plugins"
  "--remap-path-prefix=$target_dir=/meshplug/examples/plugins/target"
)
CARGO_ENCODED_RUSTFLAGS="$(IFS=$'\x1f'; echo "${flags[*]}")"
export CARGO_ENCODED_RUSTFLAGS CARGO_TARGET_DIR="$target_dir" CARGO_INCREMENTAL=0
unset RUSTFLAGS CARGO_BUILD_RUSTFLAGS

start=$(date +%s)
cargo build --release --locked --target "$target"
echo "built in $(( $(date +%s) - start ))s with $toolchain" >&2

out="$target_dir/$target/release"
status=0
for m in "${modules[@]}"; do
  read -r _crate artifact name <<<"$m"
  if [ "$check" = 1 ]; then
    new="$(sha256sum "$out/$artifact" | cut -d' ' -f1)"
    old="$(sha256sum "$name" 2>/dev/null | cut -d' ' -f1 || true)"
    if [ "$new" = "$old" ]; then
      echo "ok      $name  $new"
    else
      echo "DIFFERS $name  committed ${old:-(missing)}  rebuilt $new" >&2
      status=1
    fi
  else
    cp "$out/$artifact" "$name"
    echo "$(sha256sum "$name" | cut -d' ' -f1)  $(wc -c <"$name") bytes  $name"
  fi
done

if [ "$check" = 0 ]; then
  echo "$toolchain" >TOOLCHAIN
fi
exit "$status"
