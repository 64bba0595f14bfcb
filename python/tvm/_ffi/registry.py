# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Global functions and object classes shared with C++."""
import sys

from .base import _core


def register_object(type_key=None):
    """Register a Python class for the C++ object type `type_key`.

    Objects of that type (or of a subtype with no class of its own) returned
    from C++ become instances of the class.

        @tvm._ffi.register_object("IRModule")
        class IRModule(Object): ...
    """

    def register(cls, key):
        index = _core.type_key_to_index(key)
        if index is None:
            # The type is not compiled into this build (an optional component).
            return cls
        _core.register_object_class(key, cls)
        return cls

    if isinstance(type_key, str):
        return lambda cls: register(cls, type_key)
    cls = type_key
    return register(cls, cls.__name__)


def get_global_func(name, allow_missing=False):
    """The global function `name` as a PackedFunc.

    Raises ValueError naming the function when it does not exist, unless
    allow_missing is true (then None is returned).
    """
    from ..runtime.packed_func import PackedFunc

    handle = _core.get_global_func(name)
    if handle is None:
        if allow_missing:
            return None
        from ..error import _ERROR_TYPES

        raise _ERROR_TYPES["ValueError"](f"no global function named '{name}' is registered")
    return PackedFunc._from_handle(handle)


def register_func(func_name, f=None, override=False):
    """Register a Python function (or PackedFunc) as global function `func_name`.

    Usable as ``register_func("name", f)`` or as a decorator
    ``@register_func("name")`` / ``@register_func`` (registers under f.__name__).
    Registering a name twice is an error unless override=True.
    """
    if callable(func_name) and f is None:
        f = func_name
        func_name = f.__name__
    if not isinstance(func_name, str):
        raise TypeError("register_func: the name must be a str")

    def register(myf):
        from ..runtime.object import Object

        target = myf.handle if isinstance(myf, Object) else myf
        _core.register_func(func_name, target, override)
        return myf

    if f is not None:
        return register(f)
    return register


def remove_global_func(name):
    """Remove the global function `name`."""
    _core.remove_global_func(name)


def list_global_func_names():
    """Names of all registered global functions."""
    return list(_core.list_global_func_names())


def _get_api(name):
    f = get_global_func(name)
    return f


def _init_api(namespace, target_module_name=None):
    """Expose the global functions `namespace.X` as attributes X of a module."""
    target_module_name = target_module_name or namespace
    module = sys.modules[target_module_name]
    prefix = namespace + "."
    for name in list_global_func_names():
        if not name.startswith(prefix):
            continue
        short = name[len(prefix):]
        if "." in short:
            continue
        f = get_global_func(name)
        f.__name__ = short
        f.__qualname__ = short
        setattr(module, short, f)
