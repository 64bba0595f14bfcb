# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Module: compiled code that hands out functions."""
import os

from .._ffi.registry import get_global_func, register_object
from .object import Object


@register_object("runtime.Module")
class Module(Object):
    """A compiled module. `mod["name"]` or `mod.get_function("name")` gives a PackedFunc."""

    @property
    def type_key(self):
        return get_global_func("runtime.ModuleGetTypeKey")(self)

    @property
    def imported_modules(self):
        n = get_global_func("runtime.ModuleGetImportsSize")(self)
        get = get_global_func("runtime.ModuleGetImport")
        return [get(self, i) for i in range(n)]

    @property
    def entry_func(self):
        return self.get_function("__tvm_main__")

    def get_function(self, name, query_imports=False):
        """The function `name`; AttributeError naming it and the module when absent."""
        f = get_global_func("runtime.ModuleGetFunction")(self, name, query_imports)
        if f is None:
            from ..error import _ERROR_TYPES

            raise _ERROR_TYPES["AttributeError"](f"module of type '{self.type_key}' has no function '{name}'")
        f.__name__ = name
        return f

    def implements_function(self, name, query_imports=False):
        return get_global_func("runtime.ModuleGetFunction")(self, name, query_imports) is not None

    def __getitem__(self, name):
        if not isinstance(name, str):
            raise TypeError("module functions are looked up by name (a str)")
        return self.get_function(name)

    def __call__(self, *args):
        return self.entry_func(*args)

    def import_module(self, module):
        get_global_func("runtime.ModuleImport")(self, module)

    def get_source(self, fmt=""):
        return get_global_func("runtime.ModuleGetSource")(self, fmt)

    def save(self, file_name, fmt=""):
        get_global_func("runtime.ModuleSaveToFile")(self, file_name, fmt)

    def __repr__(self):
        return f"Module({self.type_key}, {self.handle.address:x})"


def load_module(path, fmt=""):
    """Load a module from a file (a shared library built by tvm.build/export_library, ...).

    Raises FileNotFoundError naming the path when it does not exist.
    """
    path = os.fspath(path)
    return get_global_func("runtime.ModuleLoadFromFile")(path, fmt)
