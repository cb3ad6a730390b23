#!/usr/bin/env bash
# The Nu HTML Checker (vnu, the W3C validator) over every page of a build: 0 errors.
#
#   scripts/validate-html.sh            builds the bundled site with the release binary twice
#                                       (as it is, and with a base URL and drafts, so the
#                                       canonical links, cards and draft banner are checked
#                                       too) and checks every .html, .css and .svg of both
#   scripts/validate-html.sh DIR...     checks the .html, .css and .svg files under each DIR
#
# Needs Java (Debian: default-jre-headless) and, the first time, npm: vnu.jar comes from the
# npm package vnu-jar, pinned below, kept in target/vnu/ (or $CARGO_TARGET_DIR/vnu/) and
# reused. Errors only (warnings are advice); prints each error at file:line.col and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

VNU_VERSION=26.9.27
cache="${CARGO_TARGET_DIR:-target}/vnu"
jar="$cache/vnu-$VNU_VERSION.jar"

if ! command -v java >/dev/null 2>&1; then
  echo "validate-html: no java; install one: apt-get install default-jre-headless" >&2
  exit 2
fi
if [ ! -f "$jar" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "validate-html: no $jar and no npm to fetch it; install one: apt-get install npm" >&2
    exit 2
  fi
  mkdir -p "$cache"
  fetched="$(mktemp -d)"
  (cd "$fetched" && npm pack --silent "vnu-jar@$VNU_VERSION" >/dev/null)
  tar -xzf "$fetched"/vnu-jar-*.tgz -C "$fetched" package/build/dist/vnu.jar
  mv "$fetched/package/build/dist/vnu.jar" "$jar.part" && mv "$jar.part" "$jar"
  rm -rf "$fetched"
fi

dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
  site="$(mktemp -d)"
  trap 'rm -rf "$site"' EXIT
  cargo run --release --quiet -- build --out "$site/public"
  cargo run --release --quiet -- build --base-url https://example.org/sub/ --drafts \
    --out "$site/based"
  dirs=("$site/public" "$site/based")
fi

files=()
while IFS= read -r -d '' f; do files+=("$f"); done < <(
  find "${dirs[@]}" -type f \( -name '*.html' -o -name '*.css' -o -name '*.svg' \) -print0 | sort -z
)
if [ ${#files[@]} -eq 0 ]; then
  echo "validate-html: no .html file under ${dirs[*]}" >&2
  exit 2
fi

start=$(date +%s%N)
status=0
java -jar "$jar" --errors-only --also-check-css --also-check-svg "${files[@]}" || status=$?
took_ms=$((($(date +%s%N) - start) / 1000000))
if [ "$status" -eq 0 ]; then
  printf 'validate-html: %d files, 0 errors (vnu %s, %d ms)\n' "${#files[@]}" "$VNU_VERSION" "$took_ms"
else
  printf 'validate-html: errors above in %d files checked (vnu %s)\n' "${#files[@]}" "$VNU_VERSION" >&2
fi
exit "$status"
