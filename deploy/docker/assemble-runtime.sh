#!/bin/sh
# Copies what Tollgate needs at run time from a built, pruned workspace into DEST (the Dockerfile's
# runtime stage takes DEST as /app): the root package files, node_modules (production dependencies;
# node_modules/@tollgate/* are relative symlinks to the workspaces), and for each workspace its
# package.json, its compiled dist/ without tests, type declarations or source maps, and the store's
# SQL migrations. Run from the repository root after `npx tsc -b && npm prune --omit=dev`.
set -eu
DEST=${1:?usage: assemble-runtime.sh DEST}
[ -f package.json ] && [ -d node_modules ] || { echo "assemble-runtime: run from the built repository root" >&2; exit 1; }
mkdir -p "$DEST"
cp package.json package-lock.json "$DEST/"
cp -a node_modules "$DEST/"
for ws in $(node -p "require('./package.json').workspaces.join(' ')"); do
  [ -d "$ws/dist" ] || { echo "assemble-runtime: $ws/dist is missing (build first)" >&2; exit 1; }
  mkdir -p "$DEST/$ws"
  cp "$ws/package.json" "$DEST/$ws/"
  cp -a "$ws/dist" "$DEST/$ws/dist"
  if [ -d "$ws/migrations" ]; then cp -a "$ws/migrations" "$DEST/$ws/migrations"; fi
  find "$DEST/$ws/dist" -type f \( -name '*.test.js' -o -name '*.d.ts' -o -name '*.map' -o -name '*.tsbuildinfo' \) -delete
done
# Every workspace link in node_modules must resolve inside DEST, or the image would fail at start.
for link in "$DEST"/node_modules/@tollgate/*; do
  [ -f "$link/package.json" ] || { echo "assemble-runtime: $link does not resolve" >&2; exit 1; }
done
echo "assemble-runtime: $(du -sh "$DEST" | cut -f1) in $DEST"
