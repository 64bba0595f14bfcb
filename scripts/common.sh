# shellcheck shell=bash
# Shared by scripts/test.sh and scripts/demo.sh; source it, do not run it.
#
# Installs missing system packages (scripts/setup.sh), configures the CMake
# build when it is not configured yet, builds everything, and exports the
# environment the Python package needs.
#
# Environment (all optional):
#   BUILD_DIR        build folder, relative to the repository root or absolute
#                    (default: build)
#   TVM_PYTHON       interpreter the Python extension is built for and the
#                    scripts run with (default: /usr/bin/python3, Debian's,
#                    which sees python3-numpy and python3-torch)
#   TVM_CMAKE_ARGS   extra arguments for the first CMake configure, split on
#                    spaces (e.g. "-DUSE_CUDA=OFF")
#   TVM_SKIP_SETUP=1 skip the package check
#   TVM_SKIP_BUILD=1 skip configure and build (use an existing build)
#
# Exports: REPO_ROOT, BUILD_DIR (absolute), TVM_PYTHON, PYTHONPATH,
#          TVM_LIBRARY_PATH.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

BUILD_DIR="${BUILD_DIR:-build}"
if [[ "$BUILD_DIR" != /* ]]; then
  BUILD_DIR="$REPO_ROOT/$BUILD_DIR"
fi
export BUILD_DIR

TVM_PYTHON="${TVM_PYTHON:-/usr/bin/python3}"
export TVM_PYTHON

bash "$REPO_ROOT/scripts/setup.sh"

# Configure when the build folder has no generated build system yet. An
# existing folder keeps the generator it was configured with.
tvm_configure() {
  local cache="$BUILD_DIR/CMakeCache.txt"
  local generator=""
  if [[ -f "$cache" ]]; then
    generator=$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "$cache")
    case "$generator" in
      Ninja) [[ -f "$BUILD_DIR/build.ninja" ]] && return 0 ;;
      *) [[ -f "$BUILD_DIR/Makefile" ]] && return 0 ;;
    esac
  fi

  local args=(-S "$REPO_ROOT" -B "$BUILD_DIR"
    -DCMAKE_BUILD_TYPE=Release
    -DPython3_EXECUTABLE="$TVM_PYTHON"
    -DTVM_TEST_PYTHON="$TVM_PYTHON")
  if [[ -z "$generator" ]] && command -v ninja >/dev/null 2>&1; then
    args+=(-G Ninja)
  fi
  if [[ -n "${TVM_CMAKE_ARGS:-}" ]]; then
    local extra
    read -r -a extra <<<"$TVM_CMAKE_ARGS"
    args+=("${extra[@]}")
  fi
  echo "configure: cmake ${args[*]}"
  cmake "${args[@]}"
}

tvm_build() {
  local start end
  start=$(date +%s.%N)
  cmake --build "$BUILD_DIR" -j"$(nproc)"
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "build: %.1f s\n", e - s }'
}

if [[ "${TVM_SKIP_BUILD:-0}" != "1" ]]; then
  tvm_configure
  tvm_build
fi

export PYTHONPATH="$REPO_ROOT/python${PYTHONPATH:+:$PYTHONPATH}"
export TVM_LIBRARY_PATH="$BUILD_DIR"
