# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""numpy references of TOPI operators and test helpers (tvm.topi.testing)."""
from .common import run_op
