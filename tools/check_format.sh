#!/usr/bin/env bash
# Fails when a C file of src/ or tests/ is not as clang-format writes it (.clang-format), with
# the version pinned to Debian 12's, 14: another version formats some constructs otherwise.
# Usage: check_format.sh SOURCE_ROOT
set -euo pipefail
cd "${1:-.}"
cf=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$cf" ]; then
    echo "check_format: clang-format is not installed ('make deps' installs Debian's)" >&2
    exit 1
fi
if ! "$cf" --version | grep -q 'version 14\.'; then
    echo "check_format: $("$cf" --version) — the format is pinned to clang-format 14" >&2
    exit 1
fi
mapfile -t files < <(git ls-files 'src/*.[ch]' 'tests/*.[ch]' 2>/dev/null ||
                     find src tests -name '*.[ch]')
"$cf" --dry-run --Werror "${files[@]}"
echo "check_format: ${#files[@]} files as clang-format 14 writes them"
