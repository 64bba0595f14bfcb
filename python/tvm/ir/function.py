# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""BaseFunc and CallingConv."""
from enum import IntEnum

from .._ffi.registry import register_object
from .expr import RelayExpr


class CallingConv(IntEnum):
    """How a function is called: the "calling_conv" attribute of a function."""

    DEFAULT = 0
    C_PACKED_FUNC = 1
    DEVICE_KERNEL_LAUNCH = 2


@register_object("BaseFunc")
class BaseFunc(RelayExpr):
    """The base of functions held by an IRModule."""
