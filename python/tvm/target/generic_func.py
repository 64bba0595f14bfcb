# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Functions that dispatch on the current target (TVM v0.14's generic_func).

A generic function has a default body and overrides registered for target
keys ("cpu", "gpu", "cuda", ...). A call looks the current target's keys up in
order and runs the first override found, else the default::

    @tvm.target.generic_func
    def schedule_thing(outs):
        ...                                   # the default

    @schedule_thing.register(["cpu"])
    def _schedule_thing_cpu(outs):
        ...
"""
import functools

from .target import Target


class _GenericFunc:
    def __init__(self, fdefault, name):
        self.fdefault = fdefault
        self.name = name
        self.dispatch = {}
        functools.update_wrapper(self, fdefault)

    def register(self, key, func=None, override=False):
        """Register `func` for the target key(s) `key`; usable as a decorator."""
        keys = [key] if isinstance(key, str) else list(key)

        def _do_reg(f):
            for k in keys:
                if k in self.dispatch and not override:
                    raise ValueError(f"{self.name}: key {k!r} is already registered (pass override=True)")
                self.dispatch[k] = f
            return f

        return _do_reg(func) if func is not None else _do_reg

    def get_packed_func(self):
        return self.__call__

    def __call__(self, *args, **kwargs):
        target = Target.current(allow_none=True)
        if target is not None:
            for key in target.keys:
                f = self.dispatch.get(str(key))
                if f is not None:
                    return f(*args, **kwargs)
        return self.fdefault(*args, **kwargs)


def generic_func(fdefault):
    """Make `fdefault` a function that dispatches on the current target's keys."""
    return _GenericFunc(fdefault, fdefault.__name__)


def override_native_generic_func(func_name):
    """Like generic_func, naming the function `func_name` (TVM registers it in C++ too;
    here the dispatch lives in Python)."""

    def _wrap(fdefault):
        return _GenericFunc(fdefault, func_name)

    return _wrap


def get_native_generic_func(name):
    raise NotImplementedError(f"native generic function {name!r}: generic functions live in Python here")
