#!/usr/bin/env bash
# validate --run against validate alone, in the same run, on a generated repository of BINDINGS
# bindings (default 5000) over four real SDK/WAT modules of examples/plugins with more than 1000
# distinct configurations; plus `validate --run` of the bundled example and `replay` through a
# 5-plugin chain. Alternating rounds, medians, ratios; peak memory from /usr/bin/time.
#   benches/run-vs-validate.sh [ROUNDS] [BINDINGS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
bindings=${2:-5000}
cargo build --release --quiet
bin=$PWD/target/release/meshplug
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/repo" "$bindings" "$PWD/examples/plugins" <<'PY'
import hashlib, os, random, sys
out, n, plugins = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(7)
mods = {"hello-world": "hello-world.wasm", "deny-path": "deny-path-sdk.wasm",
        "add-header": "add-header.wasm", "basic-auth": "basic-auth.wasm"}
def w(path, text):
    p = os.path.join(out, path); os.makedirs(os.path.dirname(p), exist_ok=True); open(p, "w").write(text)
w("meshplug.yaml", "apiVersion: meshplug.io/v1alpha1\nkind: Marketplace\nmetadata: {name: bench}\nspec:\n"
  "  catalog: [catalog]\n  modules: [%s]\n  clusters:\n  - {name: east, istioVersion: \"1.27\"}\n  - {name: west, istioVersion: \"1.24\"}\n" % plugins)
lock = "apiVersion: meshplug.io/v1alpha1\nkind: Lock\nmodules:\n"
for i, (name, f) in enumerate(sorted(mods.items())):
    data = open(os.path.join(plugins, f), "rb").read()
    url = "oci://registry.example.com/bench/%s:1.0.0" % name
    w("catalog/%s.yaml" % name, "apiVersion: meshplug.io/v1alpha1\nkind: Plugin\nmetadata: {name: %s}\nspec:\n"
      "  title: {en: %s}\n  description: {en: bench}\n  type: HTTP\n  versions:\n  - version: 1.0.0\n    url: %s\n"
      "  defaults: {phase: %s, priority: %d}\n" % (name, name, url, ["AUTHN", "AUTHZ", "STATS", "STATS"][i], 100 + i))
    lock += "- url: %s\n  sha256: %s\n  format: oci-compat\n  moduleSize: %d\n  moduleSha256: %s\n  abi: \"0.2.1\"\n" % (
        url, hashlib.sha256(url.encode()).hexdigest(), len(data), hashlib.sha256(data).hexdigest())
w("meshplug.lock", lock)
for b in range(n):
    ns, svc = "ns-%03d" % (b % (n // 50 or 1)), "svc-%05d" % b
    uses = []
    for name in rng.sample(sorted(mods), 1 + rng.randrange(2)):
        if name == "hello-world":
            uses.append("  - plugin: hello-world\n    pluginConfig: {greeting: hello-%d}\n" % rng.randrange(1200))
        elif name == "deny-path":
            uses.append("  - plugin: deny-path\n    pluginConfig: {prefix: /admin-%d}\n" % rng.randrange(300))
        elif name == "basic-auth":
            uses.append("  - plugin: basic-auth\n    pluginConfig:\n      basic_auth_rules:\n      - prefix: /p%d\n"
                        "        request_methods: [GET]\n        credentials: [\"u:p%d\"]\n" % (rng.randrange(50), rng.randrange(50)))
        else:
            uses.append("  - plugin: add-header\n")
    w("bindings/%s/%s.yaml" % (ns, svc), "apiVersion: meshplug.io/v1alpha1\nkind: Binding\nmetadata: {name: %s, namespace: %s}\n"
      "spec:\n  selector: {matchLabels: {app: %s}}\n  plugins:\n%s" % (svc, ns, svc, "".join(uses)))
PY
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
: > "$work/v"; : > "$work/r"
for _ in $(seq "$rounds"); do
  time_ms "$bin" validate "$work/repo" >> "$work/v"
  time_ms "$bin" validate --run "$work/repo" >> "$work/r"
done
v=$(median < "$work/v"); r=$(median < "$work/r")
vms=$("$bin" validate --run "$work/repo" 2>&1 | grep -o '[0-9]* distinct VMs' | head -1)
echo "validate, $bindings bindings:        ${v} ms (median of $rounds), peak $(peak_kb "$bin" validate "$work/repo") KB"
echo "validate --run, $bindings bindings:  ${r} ms (median of $rounds), peak $(peak_kb "$bin" validate --run "$work/repo") KB, $vms"
echo "added by --run: $((r - v)) ms; ratio $(awk -v a="$r" -v b="$v" 'BEGIN { printf "%.2f", a / b }')x"
: > "$work/e"
for _ in $(seq "$rounds"); do time_ms "$bin" validate --run examples/bookinfo >> "$work/e"; done
echo "validate --run examples/bookinfo: $(median < "$work/e") ms"
