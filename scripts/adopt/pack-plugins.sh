#!/usr/bin/env bash
# Builds every plugin package the way it is published and packs it into
# .tools/packs/<name>-<version>.tgz (yarn pack: prepack swaps main/types to
# dist/ and turns config.d.ts into config.schema.json, as upstream packages
# ship). Prints the time it took.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${PACKS_DIR:-$ROOT/.tools/packs}"
started=$SECONDS
cd "$ROOT"
rm -rf "$OUT" && mkdir -p "$OUT"
# Type declarations for every package (dist-types), which the builds bundle.
yarn tsc
for dir in plugins/*/; do
  [ -f "$dir/package.json" ] || continue
  (
    cd "$dir"
    yarn backstage-cli package build >/dev/null
    yarn pack --out "$OUT/%s-%v.tgz" >/dev/null
  ) &
  # Two at a time: the machine has two cores.
  while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
done
wait
ls "$OUT"
echo "packed $(ls "$OUT" | wc -l) packages in $((SECONDS - started))s"
