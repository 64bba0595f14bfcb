# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.tir.schedule: TVM's scheduling of block-based TensorIR is not part of this
project (its loop IR has no blocks). Only `testing`, the comparison helper that
tests of loop-IR passes use, lives here."""
