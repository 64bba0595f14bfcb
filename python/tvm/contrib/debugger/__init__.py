# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The debug graph executor: per-node timings and outputs (tvm.contrib.debugger.debug_executor)."""
