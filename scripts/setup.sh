#!/usr/bin/env bash
# Install the Debian 12 packages the project builds and tests with.
#
# Idempotent: when every package is already installed this prints nothing
# and returns at once. Otherwise it runs `apt-get update` once and installs
# only what is missing. Non-interactive (works under CI with no stdin).
#
# Environment:
#   TVM_SKIP_SETUP=1   do nothing (for machines managed some other way)
set -euo pipefail

TVM_REQUIRED_DEBS=(
  build-essential cmake ninja-build ccache git
  llvm-19-dev clang-19 pybind11-dev libdlpack-dev libxgboost-dev libgtest-dev
  python3-dev python3-numpy python3-pytest python3-torch python3-pip python3-venv
  # Peers for tests/benchmarks: OpenBLAS behind numpy (Debian's default
  # libblas3 is the slow reference BLAS), oneDNN's sgemm, Halide 14, and
  # threadpoolctl to cap OpenBLAS to the benchmark's thread count.
  libopenblas0-pthread libdnnl-dev python3-halide python3-threadpoolctl
  # scipy: TVM's relay and topi tests import it.
  python3-scipy
  # Frontends (issue 17): ONNX and its backend node tests, torchvision's models.
  python3-onnx libonnx-testdata python3-torchvision
  # C++ embedding (issue 20): the example inference server (apps/inference_server).
  libcpp-httplib-dev nlohmann-json3-dev pkg-config
)

tvm_setup_main() {
  if [[ "${TVM_SKIP_SETUP:-0}" == "1" ]]; then
    return 0
  fi
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "setup: dpkg-query not found; not a Debian system, skipping package checks" >&2
    return 0
  fi

  local missing=() pkg status
  for pkg in "${TVM_REQUIRED_DEBS[@]}"; do
    # "ii " = wanted install, currently installed, no error.
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != ii* ]]; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi

  local sudo=()
  if [[ "$(id -u)" != "0" ]]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo -n env DEBIAN_FRONTEND=noninteractive)
    else
      echo "setup: missing packages (${missing[*]}) and not root, and sudo is not available" >&2
      return 1
    fi
  fi

  export DEBIAN_FRONTEND=noninteractive
  echo "setup: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -q </dev/null
  "${sudo[@]}" apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" </dev/null
  echo "setup: done"
}

tvm_setup_main "$@"
