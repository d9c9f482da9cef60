#!/usr/bin/env bash
# Checks the fresh-machine promise of `npm test`: with no FerretDB anywhere (none on PATH, no FERRETDB_BIN,
# an empty GOBIN) the MongoDB tests still run, none skipped, because the jest global setup builds FerretDB
# itself. The Go module and build caches are kept, so this builds without downloading anything again.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# PATH without any directory that holds a ferretdb binary.
path=""
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -n "$d" ] && [ ! -e "$d/ferretdb" ] && path="${path:+$path:}$d"
done
mkdir -p "$tmp/gobin"
env -u FERRETDB_BIN -u MONGODB_URI PATH="$path" GOBIN="$tmp/gobin" \
  GOMODCACHE="$(go env GOMODCACHE)" GOCACHE="$(go env GOCACHE)" \
  npx jest --selectProjects integration --json --outputFile="$tmp/report.json" \
  test/integration/mongo.test.ts test/integration/mongo-outage.test.ts
[ -x "$tmp/gobin/ferretdb" ] || {
  echo "fresh machine: the global setup did not install ferretdb into the empty GOBIN"
  exit 1
}
node -e '
  const r = require(process.argv[1]);
  const line = `fresh machine: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`;
  console.log(line);
  if (r.numPassedTests === 0 || r.numFailedTests > 0 || r.numPendingTests + r.numTodoTests > 0 || !r.success) process.exit(1);
' "$tmp/report.json"
