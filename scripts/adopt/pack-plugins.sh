#!/usr/bin/env bash
# Builds every plugin package the way it is published and packs it into
# .tools/packs/<name>-<version>.tgz (yarn pack: prepack swaps main/types to
# dist/ and turns config.d.ts into config.schema.json, as upstream packages
# ship). Prints the time it took.
#
# Only what changed is packed again: a package's inputs (its files that git
# tracks or would track, the versions of all our packages, which its packed
# manifest names, and yarn.lock, which fixes the build tools) hash to
# .tools/packs/.inputs/<dir>; a tarball whose hash still matches is kept.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${PACKS_DIR:-$ROOT/.tools/packs}"
HASHES="$OUT/.inputs"
started=$SECONDS
cd "$ROOT"
mkdir -p "$OUT" "$HASHES"

versions="$(for f in plugins/*/package.json; do
  node -p "const p=require('./$f'); p.name + '@' + p.version"
done)"
shared="$(printf '%s\n' "$versions" | cat - yarn.lock | sha256sum | cut -d' ' -f1)"

# inputs_hash <dir>: the content hash of the package's inputs.
inputs_hash() {
  {
    echo "$shared"
    git ls-files -z --cached --others --exclude-standard -- "$1" |
      grep -zv -e '/dist/' -e '/node_modules/' |
      sort -z | xargs -0 -r sha256sum
  } | sha256sum | cut -d' ' -f1
}

tarball_of() {
  node -p "const p=require('./$1/package.json'); p.name.replace('/', '-') + '-' + p.version + '.tgz'"
}

changed=()
expected=()
for dir in plugins/*/; do
  dir="${dir%/}"
  [ -f "$dir/package.json" ] || continue
  name="$(basename "$dir")"
  tarball="$(tarball_of "$dir")"
  expected+=("$tarball")
  hash="$(inputs_hash "$dir")"
  if [ -f "$OUT/$tarball" ] && [ "$(cat "$HASHES/$name" 2>/dev/null)" = "$hash" ]; then
    continue
  fi
  rm -f "$HASHES/$name"
  printf '%s\n' "$hash" >"$HASHES/$name.next"
  changed+=("$dir")
done

# Tarballs of packages that are gone (or renamed, or of another version).
for file in "$OUT"/*.tgz; do
  [ -e "$file" ] || continue
  keep=""
  for t in "${expected[@]}"; do [ "$(basename "$file")" = "$t" ] && keep=1; done
  [ -n "$keep" ] || rm -f "$file"
done

if [ "${#changed[@]}" -gt 0 ]; then
  # Type declarations for every package (dist-types), which the builds bundle;
  # scripts/test.sh says when its typecheck stage has just emitted them.
  [ -n "${PACK_DIST_TYPES_CURRENT:-}" ] || yarn tsc
  # Two at a time: the machine has two cores. xargs fails if any build does.
  printf '%s\0' "${changed[@]}" | OUT="$OUT" HASHES="$HASHES" xargs -0 -P 2 -I{} bash -euo pipefail -c '
    cd "$1"
    yarn backstage-cli package build >/dev/null
    yarn pack --out "$OUT/%s-%v.tgz" >/dev/null
    mv "$HASHES/$(basename "$1").next" "$HASHES/$(basename "$1")"
  ' _ {}
fi
ls "$OUT"
echo "packed ${#changed[@]} of ${#expected[@]} packages ($((${#expected[@]} - ${#changed[@]})) unchanged, kept) in $((SECONDS - started))s"
