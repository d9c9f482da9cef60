#!/usr/bin/env bash
# Installs FerretDB 1.24.2 (the MongoDB-compatible server the MongoDB tests run against) into
# $(go env GOPATH)/bin. `go install …@v1.24.2` asks the module proxy for the module's version list to
# check deprecation, which some proxies refuse; in that case the module is downloaded by exact
# version and built from the module cache, which needs no list.
set -euo pipefail
version=v1.24.2
bin="$(go env GOPATH)/bin"
if [ -x "$bin/ferretdb" ]; then echo "ferretdb already at $bin/ferretdb"; exit 0; fi
mkdir -p "$bin"
if go install "github.com/FerretDB/FerretDB/cmd/ferretdb@$version"; then exit 0; fi
echo "go install refused; building from the downloaded module instead"
dir=$(go mod download -json "github.com/FerretDB/FerretDB@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || { echo "could not download github.com/FerretDB/FerretDB@$version"; exit 1; }
(cd "$dir" && GOFLAGS=-mod=mod go build -o "$bin/ferretdb" ./cmd/ferretdb)
echo "built $bin/ferretdb"
