#!/usr/bin/env bash
# Short fuzzing smoke run for CI: every target for SMOKE_SECONDS (default 40 s; 9 targets, about
# 6 minutes after the build), starting from the committed seeds. Any crash, panic, timeout
# (a single input taking over 30 s) or out-of-memory fails the run; the input that caused it is
# kept in fuzz/artifacts/TARGET/.
#
#   fuzz/smoke.sh                 all targets
#   fuzz/smoke.sh lock_parse      some targets
#   SMOKE_SECONDS=600 fuzz/smoke.sh wasm_inspect    a long run of one target
set -euo pipefail
cd "$(dirname "$0")"

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz/smoke.sh needs the nightly toolchain: rustup toolchain install nightly" >&2
  exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz/smoke.sh needs cargo-fuzz: cargo install cargo-fuzz --locked" >&2
  exit 2
fi

seconds=${SMOKE_SECONDS:-40}
# meshplug is safe Rust: without AddressSanitizer the build and every execution are faster, and
# panics, overflows (debug assertions), timeouts and memory blow-ups are still caught. The long
# runs in README.md used the default (address); SMOKE_SANITIZER=address does the same here.
sanitizer=${SMOKE_SANITIZER:-none}
mapfile -t all < <(cargo +nightly fuzz list)
targets=("$@")
if ((${#targets[@]} == 0)); then targets=("${all[@]}"); fi

cargo +nightly fuzz build --sanitizer "$sanitizer"
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  log="corpus/$t.log"
  echo "fuzz: $t for ${seconds}s"
  # New inputs go to corpus/TARGET (ignored by git); seeds/TARGET is read only.
  if ! cargo +nightly fuzz run --sanitizer "$sanitizer" "$t" "corpus/$t" "seeds/$t" -- \
      -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
      >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz: $t FAILED; the input is in fuzz/artifacts/$t/" >&2
    exit 1
  fi
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  echo "fuzz: $t ok, ${runs:-?} executions"
done
