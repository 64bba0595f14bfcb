#!/usr/bin/env bash
# Build libtvm_runtime, its GoogleTest suite and the example inference server
# with sanitizers, and run them: the runtime tests (graph executor, GraphModel
# with N executors on N threads, VM, thread pool, ...) and the server test
# (tests/python/packaging/test_inference_server.py: ResNet-18 under concurrent
# clients and bad requests, compiled by the regular build).
#
# Usage: scripts/sanitize.sh [asan|tsan]...   (default: both)
#   asan = AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer at exit)
#   tsan = ThreadSanitizer
# Needs the regular build (scripts/common.sh) for the Python side of the server test.
# Builds go to build-san-<name>/ (ccache makes reruns quick). Exit status: non-zero on any report.
set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

declare -A flags=([asan]="address,undefined" [tsan]="thread")
kinds=("$@")
((${#kinds[@]})) || kinds=(asan tsan)

status=0
for kind in "${kinds[@]}"; do
  san="${flags[$kind]:-}"
  if [[ -z "$san" ]]; then
    echo "sanitize: unknown kind '$kind' (asan or tsan)" >&2
    exit 2
  fi
  dir="$root/build-san-$kind"
  echo "==== $kind (-fsanitize=$san) in $dir"
  cmake -S "$root" -B "$dir" -G Ninja -DTVM_RUNTIME_ONLY=ON -DTVM_SANITIZE="$san" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$dir" -j"$(nproc)"
  # allocator_may_return_null: a huge request fails as the runtime expects (a null), not as a report.
  export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:allocator_may_return_null=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:allocator_may_return_null=1"
  ctest --test-dir "$dir" --output-on-failure -j2 || status=1

  rm -rf "$dir/prefix"
  cmake --install "$dir" --prefix "$dir/prefix" >/dev/null
  cmake -S "$root/apps/inference_server" -B "$dir/server" -G Ninja -DCMAKE_PREFIX_PATH="$dir/prefix" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="-fsanitize=$san -fno-omit-frame-pointer" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=$san" >/dev/null
  cmake --build "$dir/server"
  TVM_SERVER_BINARY="$dir/server/inference_server" PYTHONPATH="$root/python" TVM_LIBRARY_PATH="$BUILD_DIR" \
    "$TVM_PYTHON" -m pytest -q -p no:cacheprovider "$root/tests/python/packaging/test_inference_server.py" \
    || status=1
done
if ((status == 0)); then
  echo "sanitize: clean (${kinds[*]})"
else
  echo "sanitize: FAILED (${kinds[*]})" >&2
fi
exit $status
