#!/usr/bin/env bash
# Installs FerretDB 1.24.2 (the MongoDB-compatible server the MongoDB tests run against) into
# $(go env GOPATH)/bin. `go install …@v1.24.2` asks the module proxy for the module's version list to
# check deprecation, which some proxies refuse; in that case the module is downloaded by exact
# version and built from a copy of it. The module zip lacks build/version/version.txt (FerretDB's
# release build generates it, and the binary panics at start without it), so the copy gets one.
set -euo pipefail
version=v1.24.2
bin="$(go env GOPATH)/bin"
works() { [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }
if works "$bin/ferretdb"; then echo "ferretdb already at $bin/ferretdb"; exit 0; fi
mkdir -p "$bin"
if go install "github.com/FerretDB/FerretDB/cmd/ferretdb@$version" && works "$bin/ferretdb"; then exit 0; fi
echo "go install refused or gave a binary that does not start; building from the downloaded module instead"
dir=$(go mod download -json "github.com/FerretDB/FerretDB@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || { echo "could not download github.com/FerretDB/FerretDB@$version"; exit 1; }
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
cp -r "$dir/." "$src"
chmod -R u+w "$src"
echo "$version" > "$src/build/version/version.txt"
(cd "$src" && GOFLAGS=-mod=mod go build -o "$bin/ferretdb" ./cmd/ferretdb)
works "$bin/ferretdb" || { echo "the built ferretdb does not start"; exit 1; }
echo "built $bin/ferretdb ($("$bin/ferretdb" --version 2>&1 | head -1))"
