#!/usr/bin/env bash
# The Node suites: installs the pinned npm packages once per build directory, then runs the
# scripts named (by default: lint schema/openapi/*.json, then the contract test) against the
# real emulator binary (KEYLESS_EMULATOR_BIN). `run.sh stream.js` runs the event stream's test
# with a stock EventSource client, `run.sh webhooks.js` the webhooks' with the stock
# standardwebhooks verifier.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
work="${CONTRACT_WORK_DIR:-$here}"

for tool in node npm; do
    if ! command -v "$tool" >/dev/null; then
        echo "contract: '$tool' is not installed; 'make deps' installs Debian's nodejs and npm" >&2
        exit 1
    fi
done

# node_modules lives in the build directory; it is (re)installed when missing or when the
# lock file changed, from npm's cache when it can.
mkdir -p "$work"
exec 9>"$work/.install.lock"
flock 9
if [ ! -d "$work/node_modules" ] || ! cmp -s "$here/package-lock.json" "$work/package-lock.json"; then
    cp "$here/package.json" "$here/package-lock.json" "$work/"
    (cd "$work" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
fi
flock -u 9

export NODE_PATH="$work/node_modules"
cd "$here"
[ $# -gt 0 ] || set -- lint.js contract.js
for script in "$@"; do
    node "$script"
done
