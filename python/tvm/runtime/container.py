# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Array, Map and String: the runtime containers, usable like list, dict and str."""
from .._ffi.base import _core
from .._ffi.registry import get_global_func, register_object
from .object import Object

_FUNCS = {}


def _func(name):
    """The global function name, looked up once (containers are read in hot loops)."""
    f = _FUNCS.get(name)
    if f is None:
        f = _FUNCS[name] = get_global_func(name)
    return f


@register_object("Array")
class Array(Object):
    """An immutable list of objects (ints print and convert as IntImm)."""

    def __getitem__(self, index):
        size = len(self)
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(size))]
        if index < -size or index >= size:
            raise IndexError(f"Array index {index} out of range for size {size}")
        if index < 0:
            index += size
        return _func("runtime.ArrayGetItem")(self, index)

    def __len__(self):
        return _func("runtime.ArraySize")(self)

    def __iter__(self):
        get = _func("runtime.ArrayGetItem")
        for i in range(len(self)):
            yield get(self, i)

    def __repr__(self):
        return "[" + ", ".join(_item_repr(x) for x in self) + "]"


@register_object("Map")
class Map(Object):
    """An immutable dict of objects; iteration follows insertion order."""

    def __getitem__(self, key):
        return _func("runtime.MapGetItem")(self, key)

    def __contains__(self, key):
        return _func("runtime.MapCount")(self, key) != 0

    def __len__(self):
        return _func("runtime.MapSize")(self)

    def items(self):
        flat = _func("runtime.MapItems")(self)
        return [(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]

    def keys(self):
        return [k for k, _ in self.items()]

    def values(self):
        return [v for _, v in self.items()]

    def __iter__(self):
        return iter(self.keys())

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __repr__(self):
        return "{" + ", ".join(f"{_item_repr(k)}: {_item_repr(v)}" for k, v in self.items()) + "}"


def _item_repr(value):
    # Strings print double-quoted, as TVM prints them, so that a container of
    # numbers and strings prints as JSON.
    if isinstance(value, str):
        import json

        return json.dumps(value)
    return repr(value)


@register_object("runtime.ShapeTuple")
class ShapeTuple(Object):
    """A tensor shape as a runtime object; compares equal to a list or tuple of the same ints."""

    def __init__(self, shape):
        self.__init_handle_by_constructor__(get_global_func("runtime.ShapeTuple"), *[int(x) for x in shape])

    def __len__(self):
        return _func("runtime.GetShapeTupleSize")(self)

    def __getitem__(self, index):
        size = len(self)
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(size))]
        if index < -size or index >= size:
            raise IndexError(f"ShapeTuple index {index} out of range for size {size}")
        return _func("runtime.GetShapeTupleElem")(self, index % size if size else index)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __eq__(self, other):
        if isinstance(other, (ShapeTuple, list, tuple)):
            return len(self) == len(other) and all(int(a) == int(b) for a, b in zip(self, other))
        return NotImplemented

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash(tuple(self))

    def __reduce__(self):
        return (ShapeTuple, (list(self),))

    def __repr__(self):
        return "(" + ", ".join(str(x) for x in self) + ("," if len(self) == 1 else "") + ")"


@register_object("runtime.ADT")
class ADT(Object):
    """A value of an algebraic data type: its constructor's tag and fields (a tuple has tag 0)."""

    def __init__(self, tag, fields):
        self.__init_handle_by_constructor__(get_global_func("runtime.ADT"), int(tag), *fields)

    @property
    def tag(self):
        return _func("runtime.GetADTTag")(self)

    def __len__(self):
        return _func("runtime.GetADTSize")(self)

    def __getitem__(self, index):
        size = len(self)
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(size))]
        if index < -size or index >= size:
            raise IndexError(f"ADT field index {index} out of range for {size} fields")
        return _func("runtime.GetADTFields")(self, index % size)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __repr__(self):
        return f"ADT(tag={self.tag}, fields=[" + ", ".join(repr(f) for f in self) + "])"


def tuple_object(fields=None):
    """A tuple value (an ADT of tag 0) holding fields."""
    return ADT(0, list(fields or []))


class String(str):
    """TVM strings are returned as Python str; this name exists for compatibility."""


def convert(value):
    """Convert a Python value (int, float, str, list, dict, callable, ...) to a TVM object."""
    return _core.convert_to_object(value)


convert_to_object = convert
