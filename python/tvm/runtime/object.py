# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Object: the Python face of every C++ object."""
from .._ffi.base import _core
from .._ffi.registry import get_global_func


class Object:
    """A reference to a C++ object.

    Fields declared by the C++ node (through reflection) read as attributes;
    `==` is identity (as in TVM); structural comparison is
    tvm.ir.structural_equal.
    """

    __slots__ = ("handle", "__weakref__")

    def __getattr__(self, name):
        if name == "handle" or name.startswith("__"):
            raise AttributeError(name)
        try:
            return _NodeGetAttr(self, name)
        except AttributeError:
            raise AttributeError(f"'{self.handle.type_key}' object has no attribute '{name}'") from None

    def __dir__(self):
        names = list(_NodeListAttrNames(self))
        return sorted(set(names) | set(super().__dir__()))

    def __repr__(self):
        return _AsRepr(self)

    def __eq__(self, other):
        return self.same_as(other)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self.handle.address)

    def same_as(self, other):
        """Whether both refer to the same C++ object."""
        return isinstance(other, Object) and self.handle.same_as(other.handle)

    def __getstate__(self):
        return {"json": get_global_func("node.SaveJSON")(self)}

    def __setstate__(self, state):
        loaded = get_global_func("node.LoadJSON")(state["json"])
        self.handle = loaded.handle

    def __reduce__(self):
        return (_object_from_json, (get_global_func("node.SaveJSON")(self),))

    @property
    def type_key(self):
        return self.handle.type_key

    def _move(self):
        return self

    @classmethod
    def _from_handle(cls, handle):
        obj = cls.__new__(cls)
        obj.handle = handle
        return obj

    def __init_handle_by_constructor__(self, constructor, *args):
        """Construct the C++ object by calling a global function and adopt it."""
        result = constructor(*args)
        if not isinstance(result, Object):
            from ..error import _ERROR_TYPES

            raise _ERROR_TYPES["TypeError"](f"constructor returned {type(result).__name__}, not an Object")
        self.handle = result.handle


class ObjectGeneric:
    """A Python value that stands for a TVM object wherever one is expected:
    arguments of TVM functions, list and dict elements convert through
    `asobject()`."""

    def asobject(self):
        raise NotImplementedError(f"{type(self).__name__} does not define asobject()")


def _object_from_json(text):
    return get_global_func("node.LoadJSON")(text)


_NodeGetAttr = None
_NodeListAttrNames = None
_AsRepr = None


def _init_hooks():
    global _NodeGetAttr, _NodeListAttrNames, _AsRepr
    _NodeGetAttr = get_global_func("node.NodeGetAttr")
    _NodeListAttrNames = get_global_func("node.NodeListAttrNames")
    _AsRepr = get_global_func("node.AsRepr")
