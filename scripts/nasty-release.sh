#!/usr/bin/env bash
# Runs the nasty-input corpus (tests/nasty.rs) against the release binary, one input at a time,
# with the release bounds (2 s and 200 MB peak RSS per run), and prints time and peak RSS per
# input and command. Extra arguments go to the test binary (e.g. a test name to filter on).
set -uo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cargo test --release --quiet --test nasty -- --nocapture --test-threads=1 "$@" >"$log" 2>&1
rc=$?
echo "input                        cmd   exit   time    peak RSS"
grep -o 'nasty: .*' "$log" | sed 's/^nasty: //'
if [ "$rc" -ne 0 ]; then
  echo
  sed -n '/^failures:$/,$p' "$log" | grep -v '^\s*[0-9]*: \|^\s*at ' | head -80
fi
exit "$rc"
