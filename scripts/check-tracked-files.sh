#!/usr/bin/env bash
# Fails when git tracks a build output: a file over 1 MiB, or an executable
# binary (ELF, Mach-O, PE or WebAssembly), whatever its name.
# Usage: check-tracked-files.sh [repository] (default: this one)
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"

limit=$((1 << 20))
bad=0
while IFS= read -r -d '' file; do
  [ -f "$file" ] || continue # deleted in the work tree
  size=$(wc -c <"$file")
  if [ "$size" -gt "$limit" ]; then
    echo "tracked file over 1 MiB: $file ($size bytes)"
    bad=1
  fi
  magic=$(head -c 4 "$file" | od -An -tx1 | tr -d ' \n')
  case "$magic" in
    7f454c46 | cffaedfe | cefaedfe | feedfacf | feedface | cafebabe | 0061736d | 4d5a*)
      echo "tracked executable binary: $file"
      bad=1
      ;;
  esac
done < <(git ls-files -z)
[ "$bad" -eq 0 ] && echo "tracked files: none over 1 MiB, no binaries"
exit "$bad"
