#!/usr/bin/env bash
# Run every test: GoogleTest and pytest, both through ctest.
#
# Usage: scripts/test.sh [extra ctest arguments, e.g. -R pytest -L cpp]
# Environment: see scripts/common.sh (BUILD_DIR, TVM_PYTHON, ...).
# Exit status: non-zero if the build or any test fails.
set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ctest_out="$(mktemp)"
trap 'rm -f "$ctest_out"' EXIT

status=0
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 "$@" 2>&1 | tee "$ctest_out" || status=$?

echo
echo "================================ summary ================================"

# pytest's own summary line per pytest.* ctest entry, from ctest's log.
log="$BUILD_DIR/Testing/Temporary/LastTest.log"
if [[ -f "$log" ]]; then
  awk '
    # "3/17 Test: pytest.runtime" opens the block of one test.
    /^[0-9]+\/[0-9]+ Test: / { name = $3; last = ""; next }
    name ~ /^pytest\./ && /(passed|failed|error|errors|skipped|no tests ran).* in [0-9.]+s/ {
      line = $0
      gsub(/^=+ */, "", line); gsub(/ *=+$/, "", line)
      last = line
    }
    /^<end of output>/ {
      if (name ~ /^pytest\./) printf "%-28s %s\n", name ":", (last == "" ? "(no pytest summary found)" : last)
      name = ""
    }
  ' "$log" | sort
fi

# The failed tests, as ctest lists them.
awk '/^The following tests FAILED:/ { on = 1; print "failed:"; next }
     on && /^[[:space:]]+[0-9]+ - / { print; next }
     on { on = 0 }' "$ctest_out"

# ctest's "N% tests passed, M tests failed out of T" goes last.
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$ctest_out" | tail -n 1 || true)
if [[ -z "$summary" ]]; then
  if ((status == 0)); then status=1; fi
  summary="0 passed, 1 failed (ctest printed no summary; were any tests found?)"
fi
echo "$summary"
exit "$status"
