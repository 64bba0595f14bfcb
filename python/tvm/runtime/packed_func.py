# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""PackedFunc: a callable C++ (or registered Python) function."""
from .._ffi.base import _core
from .object import Object


class PackedFunc(Object):
    """A function from the C++ side (a global, a module function, a callback).

    Arguments are converted by value: numbers, strings, tvm objects,
    NDArrays (and numpy/torch arrays, zero-copy through DLPack), lists and
    dicts (to Array and Map), and Python callables.
    """

    def __call__(self, *args):
        return _core.call(self.handle, *args)

    def __repr__(self):
        name = self.__dict__.get("__name__") if hasattr(self, "__dict__") else None
        return f"<PackedFunc {name}>" if name else "<PackedFunc>"
