# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.instrument: pass instruments (see tvm.ir.instrument)."""
from .ir.instrument import (  # noqa: F401
    PassInstrument,
    pass_instrument,
    PassTimingInstrument,
    PrintBeforeAll,
    PrintAfterAll,
)
