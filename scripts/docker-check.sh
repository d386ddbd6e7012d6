#!/usr/bin/env bash
# docker-check.sh — what CI checks of the images (make docker-check), after
# make docker, through the documented commands:
#   1. `docker compose run --rm SERVICE info --json` of py312, py313t and
#      py313t-gil says the right build and GIL state;
#   2. `docker compose run --rm test $DOCKER_TEST_PYTHONS` passes (go test
#      -race per interpreter: every one the image holds, or those named);
#   3. `docker compose run --rm bench $DOCKER_BENCH_FLAGS` writes out/report.html,
#      owned by the user who ran it, and judges 3.13t's single-thread cost
#      against the 3.13 of the same tarball ("same source").
# Prints one line per check and fails at the first that does not hold.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/docker-lib.sh
. "$here/docker-lib.sh"
cd "$here/.."
bench_flags=${DOCKER_BENCH_FLAGS:---quick --runs 2 --max-runs 2 --warmup 0 --workers 1,2 --mode serial,threads,processes}
read -r -a test_pythons <<<"${DOCKER_TEST_PYTHONS:-}"

# expect SERVICE FREE_THREADED GIL_ENABLED
expect() {
	local json
	json=$(compose run --rm -T "$1" info --json) || die "$1: info --json failed"
	if ! grep -q "\"free_threaded\": $2," <<<"$json" || ! grep -q "\"gil_enabled\": $3," <<<"$json"; then
		echo "$json" >&2
		die "$1: expected free_threaded $2 and gil_enabled $3"
	fi
	log "$1: $(grep -o '"version": "[^"]*"' <<<"$json" | head -n1) free_threaded $2, gil_enabled $3: ok"
}

t0=$(date +%s)
expect py312 false true
expect py313t true false
expect py313t-gil true true

log "docker compose run --rm test ${test_pythons[*]}"
compose run --rm -T test "${test_pythons[@]}"
t1=$(date +%s)

rm -f out/report.html
log "docker compose run --rm bench $bench_flags"
# shellcheck disable=SC2086
compose run --rm -T bench $bench_flags
[ -s out/report.html ] || die "bench wrote no out/report.html"
[ "$(stat -c %u out/report.html)" = "$(id -u)" ] || die "out/report.html belongs to uid $(stat -c %u out/report.html), not to $(id -u) who ran bench"
log "out/report.html written ($(stat -c '%s bytes, owner %U' out/report.html))"
# Like with like: 3.13t and 3.13 were measured from the same tarball, so that
# check judges nogil-single-thread-cost against "same source" (when the cell
# was quiet enough to judge at all).
python3 - out/compare.json <<'PY' || die "bench did not compare 3.13t with a 3.13 of the same tarball (out/compare.json)"
import json, sys
src = {r["interpreter"]["name"]: (r["interpreter"].get("source") or {}).get("sha256")
       for r in json.load(open(sys.argv[1]))["results"]}
sys.exit(0 if src.get("3.13t") and src.get("3.13t") == src.get("3.13") else f"sources: {src}")
PY
log "bench compared 3.13t with 3.13 of the same tarball (same source)"
compose down --remove-orphans >/dev/null 2>&1 || true
log "checks passed: info and test in $((t1 - t0))s, bench in $(($(date +%s) - t1))s"
