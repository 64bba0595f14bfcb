# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""TensorType: a tensor of a shape and a dtype."""
from .._ffi.registry import register_object
from ..runtime import convert
from .type import Type
from . import _ffi_api


@register_object("relay.TensorType")
class TensorType(Type):
    """A tensor type: shape (ints, expressions, or tvm.tir.Any()) and dtype."""

    def __init__(self, shape, dtype="float32"):
        shape = [convert(int(d)) if isinstance(d, int) else d for d in shape]
        self.__init_handle_by_constructor__(_ffi_api.TensorType, shape, dtype)

    @property
    def concrete_shape(self):
        """The shape as a tuple of Python ints (all dimensions must be constant)."""
        return tuple(int(d) for d in self.shape)

    @property
    def size(self):
        return _ffi_api.TensorTypeSize(self)
