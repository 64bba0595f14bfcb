#!/usr/bin/env bash
# The main job: set up, build, and run the runtime demo (scripts/demo.py).
#
# Usage: scripts/demo.sh [arguments for demo.py, e.g. --n 4096]
# Environment: see scripts/common.sh (BUILD_DIR, TVM_PYTHON, ...).
set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

exec "$TVM_PYTHON" "$REPO_ROOT/scripts/demo.py" "$@"
