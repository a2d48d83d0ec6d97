#!/usr/bin/env bash
# The format check of `make test`: every C/C++ file of the repository is as clang-format (the
# repository's .clang-format: Google style, 100 columns) would write it. `make format` rewrites
# them. Uses clang-format 14 (Debian 12), so everyone formats the same way.
#   scripts/check-format.sh [--fix]
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format=$(command -v clang-format-14 || command -v clang-format || true)
[[ -n "$clang_format" ]] || { echo "check-format: clang-format is not installed (apt-get install clang-format)" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.cpp' '*.h' '*.c')
if [[ "${1:-}" == "--fix" ]]; then
  "$clang_format" -i "${files[@]}"
  exit 0
fi
# One clang-format for every file (one process per file took 90 s on CI's 2 cores): it names each
# file it would change in a "FILE:LINE:COL: error: code should be clang-formatted" line.
report=$("$clang_format" --dry-run -Werror "${files[@]}" 2>&1) && status=0 || status=$?
mapfile -t bad < <(sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' <<<"$report" | sort -u)
if ((status != 0 && ${#bad[@]} == 0)); then
  printf '%s\n' "$report" >&2
  echo "check-format: clang-format failed (exit $status)" >&2
  exit 1
fi
if ((${#bad[@]} > 0)); then
  printf '  %s\n' "${bad[@]}" >&2
  echo "check-format: ${#bad[@]} of ${#files[@]} files are not formatted; run: make format" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
