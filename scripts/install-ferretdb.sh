#!/usr/bin/env bash
# Installs FerretDB 1.24.2 (the MongoDB-compatible server the MongoDB tests run against) into
# $GOBIN, or $(go env GOPATH)/bin when GOBIN is unset; `npm test` runs this itself when no FerretDB is found.
#
# It builds once, from the module source: `go install …@v1.24.2` would give a binary that panics at
# start, because the module zip lacks build/version/version.txt (FerretDB's release build generates it).
# So the module is downloaded by exact version (from the Go module cache when it is there), copied,
# given that file, and built.
set -euo pipefail
version=v1.24.2
bin="$(go env GOBIN)"
[ -n "$bin" ] || bin="$(go env GOPATH)/bin"
works() { [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }
if works "$bin/ferretdb"; then
  echo "ferretdb already at $bin/ferretdb"
  exit 0
fi
mkdir -p "$bin"
dir=$(go mod download -json "github.com/FerretDB/FerretDB@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || {
  echo "could not download github.com/FerretDB/FerretDB@$version"
  exit 1
}
src=$(mktemp -d)
trap 'rm -rf "$src" "$bin/.ferretdb.partial.$$"' EXIT
cp -r "$dir/." "$src"
chmod -R u+w "$src"
echo "$version" >"$src/build/version/version.txt"
# Build into a temporary name and move it into place, so that an interrupted build never leaves a
# half-written binary where the tests look.
(cd "$src" && GOFLAGS=-mod=mod go build -o "$bin/.ferretdb.partial.$$" ./cmd/ferretdb)
mv -f "$bin/.ferretdb.partial.$$" "$bin/ferretdb"
works "$bin/ferretdb" || {
  echo "the built ferretdb does not start"
  exit 1
}
echo "built $bin/ferretdb ($("$bin/ferretdb" --version 2>&1 | head -1))"
