# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""BaseFunc."""
from .._ffi.registry import register_object
from .expr import RelayExpr


@register_object("BaseFunc")
class BaseFunc(RelayExpr):
    """The base of functions held by an IRModule."""
