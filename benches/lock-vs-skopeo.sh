#!/usr/bin/env bash
# Lock resolution of 500 distinct tags on a loopback docker-registry versus `skopeo inspect`
# (sequential and 8-way parallel). Prints timings and ratios; every process it starts is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
for bin in docker-registry htpasswd skopeo; do
  command -v "$bin" >/dev/null || { echo "missing $bin: apt-get install -y docker-registry apache2-utils skopeo" >&2; exit 1; }
done
exec cargo bench --bench lock
