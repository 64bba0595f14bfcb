# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The containers IR objects hold (`tvm.ir.container`, also `tvm.container`).

They are the runtime's Array and Map; this module is where TVM v0.14 code
looks for them (`isinstance(bounds, tvm.container.Map)`).
"""
from ..runtime.container import Array, Map

__all__ = ["Array", "Map"]
