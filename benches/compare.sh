#!/usr/bin/env bash
# meshplug side by side with the tools a user would otherwise reach for, on the same generated
# inputs, runs alternating, medians reported with ratios (peer time / meshplug time):
#   validate  vs check-jsonschema (with meshplug's own schemas, over the same files)
#   render    vs kubectl kustomize (building the rendered cluster directory)
#   pre-commit latency: validate on examples/bookinfo vs check-jsonschema on the same files
#   scale: 50,000 bindings vs 5,000 (time ratio, peak memory)
# Usage: benches/compare.sh [RUNS]   (default 5). Installs missing peers and says so.
#   KUSTOMIZE_RUNS=N   how many of the rounds also time kubectl kustomize (default 1: it takes
#                      minutes on 5,000 bindings and is far from its target either way)
# The lock job (500 tags vs skopeo) is benches/lock-vs-skopeo.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
kustomize_runs=${KUSTOMIZE_RUNS:-1}

if ! command -v check-jsonschema >/dev/null; then
  echo "compare: installing check-jsonschema from PyPI" >&2
  pip install -q check-jsonschema >&2
fi
command -v kubectl >/dev/null || { echo "compare: kubectl is required (it ships kustomize)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "compare: installing GNU time" >&2; apt-get install -y -qq time >&2; }

cargo build --release --quiet --bin meshplug --example gen-repo
bin=target/release/meshplug
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gen() { target/release/examples/gen-repo --plugins 200 --bindings "$1" --seed 7 "$work/repo-$1" 2>/dev/null; }
gen 5000
gen 50000

# Median wall time (seconds) of a command, measured `runs` times.
now() { date +%s.%N; }
declare -A samples
measure() { # name command...
  local name=$1; shift
  local t0 t1
  t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now)
  samples[$name]+="$(echo "$t1 - $t0" | bc -l) "
  echo "compare: $name $(echo "$t1 - $t0" | bc -l) s" >&2
}
median() { tr ' ' '\n' <<<"${samples[$1]}" | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

r5=$work/repo-5000
cjs_repo() { # check-jsonschema over the files of a repository, with meshplug's schemas
  check-jsonschema --schemafile schema/plugin.schema.json "$1"/catalog/*.yaml &&
    find "$1/bindings" -name '*.yaml' -print0 | xargs -0 check-jsonschema --schemafile schema/binding.schema.json
}
"$bin" render "$r5" >/dev/null 2>&1
ex=examples/bookinfo
cjs_example() {
  check-jsonschema --schemafile schema/plugin.schema.json "$ex"/catalog/*.yaml catalog/*.yaml &&
    find "$ex/bindings" -name '*.yaml' -print0 | xargs -0 check-jsonschema --schemafile schema/binding.schema.json
}

for ((i = 1; i <= runs; i++)); do
  echo "compare: round $i/$runs" >&2
  measure validate-5k "$bin" validate "$r5"
  measure cjs-5k cjs_repo "$r5"
  measure render-5k "$bin" render "$r5" --check
  if ((i <= kustomize_runs)); then measure kustomize-5k kubectl kustomize "$r5/rendered/east"; fi
  measure validate-example "$bin" validate "$ex"
  measure cjs-example cjs_example
  # Scale: validate (no file writes, so disk speed does not blur it), back to back each round.
  measure validate-50k "$bin" validate "$work/repo-50000"
  measure validate-5k-again "$bin" validate "$r5"
done
peak_of() { { /usr/bin/time -v "$@" >/dev/null; } 2>&1 | awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}' || true; }
peak=$(peak_of "$bin" validate "$work/repo-50000")
peak_render=$(peak_of "$bin" render "$work/repo-50000" --out "$work/out-50000")

ratio() { echo "scale=1; $(median "$1") / $(median "$2")" | bc -l; }
printf '\n%-58s %10s %10s %8s\n' "job (median of $runs, seconds)" peer meshplug ratio
printf '%-58s %10.3f %10.3f %7sx\n' "validate 5,000 bindings vs check-jsonschema" "$(median cjs-5k)" "$(median validate-5k)" "$(ratio cjs-5k validate-5k)"
printf '%-58s %10.3f %10.3f %7sx\n' "render --check 5,000 vs kubectl kustomize of its output" "$(median kustomize-5k)" "$(median render-5k)" "$(ratio kustomize-5k render-5k)"
printf '%-58s %10.3f %10.3f %7sx\n' "pre-commit: validate example vs check-jsonschema" "$(median cjs-example)" "$(median validate-example)" "$(ratio cjs-example validate-example)"
printf '%-58s %10.3f %10.3f %7sx\n' "validate 50,000 vs 5,000 bindings (time ratio)" "$(median validate-50k)" "$(median validate-5k-again)" "$(ratio validate-50k validate-5k-again)"
echo "peak memory, 50,000 bindings: validate $(( ${peak:-0} / 1024 )) MB, render $(( ${peak_render:-0} / 1024 )) MB"
