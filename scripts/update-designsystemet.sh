#!/usr/bin/env bash
# Vendors Digdir's Designsystemet CSS from npm into static/designsystemet.
# Usage: scripts/update-designsystemet.sh [VERSION]   (default: the version pinned below)
set -euo pipefail
version="${1:-1.11.0}"
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@digdir/designsystemet-css@${version}" >/dev/null && tar xzf ./*.tgz)
dst="$here/static/designsystemet"
mkdir -p "$dst"
cp "$tmp/package/dist/src/index.css" "$dst/designsystemet.css"
cp "$tmp/package/dist/theme/designsystemet.css" "$dst/theme.css"
cp "$tmp/package/LICENSE" "$dst/LICENSE"
echo "$version" > "$dst/VERSION"
echo "vendored @digdir/designsystemet-css ${version} into static/designsystemet"
