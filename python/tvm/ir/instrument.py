# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Pass instruments: hooks run around every pass of a PassContext."""
import functools
import inspect

from .._ffi.registry import get_global_func, register_object
from ..runtime.object import Object


@register_object("instrument.PassInstrument")
class PassInstrument(Object):
    """An instrument. Subclass with @pass_instrument and define any of
    enter_pass_ctx(), exit_pass_ctx(), should_run(mod, info),
    run_before_pass(mod, info), run_after_pass(mod, info)."""

    def __init__(self):
        name = type(self).__name__

        def bound(method_name):
            method = getattr(self, method_name, None)
            return method if callable(method) else None

        handle = get_global_func("instrument.PassInstrument")(
            name, bound("enter_pass_ctx"), bound("exit_pass_ctx"), bound("should_run"),
            bound("run_before_pass"), bound("run_after_pass"))
        self.handle = handle.handle


def pass_instrument(pi_cls=None):
    """Decorate a class to make its instances pass instruments."""

    def create(cls):
        if not inspect.isclass(cls):
            raise TypeError("pass_instrument decorates a class")

        class PyPassInstrument(cls, PassInstrument):
            def __init__(self, *args, **kwargs):
                cls.__init__(self, *args, **kwargs)
                PassInstrument.__init__(self)

        functools.update_wrapper(PyPassInstrument.__init__, cls.__init__)
        PyPassInstrument.__name__ = cls.__name__
        PyPassInstrument.__doc__ = cls.__doc__
        PyPassInstrument.__module__ = cls.__module__
        return PyPassInstrument

    return create(pi_cls) if pi_cls is not None else create


class PassTimingInstrument(Object):
    """Times every pass; render() gives the table of the current context."""

    def __init__(self):
        self.handle = get_global_func("instrument.MakePassTimingInstrument")().handle

    @staticmethod
    def render():
        return get_global_func("instrument.RenderTimePassProfiles")()


@pass_instrument
class PrintBeforeAll:
    """Print the module before every pass."""

    def run_before_pass(self, mod, info):
        print(f"Before Running Pass: {info}")
        print(mod)


@pass_instrument
class PrintAfterAll:
    """Print the module after every pass."""

    def run_after_pass(self, mod, info):
        print(f"After Running Pass: {info}")
        print(mod)
