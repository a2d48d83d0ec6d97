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
bad=()
for f in "${files[@]}"; do
  "$clang_format" --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]} > 0)); then
  printf '  %s\n' "${bad[@]}" >&2
  echo "check-format: ${#bad[@]} of ${#files[@]} files are not formatted; run: make format" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
