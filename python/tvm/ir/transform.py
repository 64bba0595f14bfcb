# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Passes and PassContext."""
import functools
import inspect

from .._ffi.registry import get_global_func, register_object
from ..runtime.object import Object


def _api(name):
    return get_global_func("transform." + name)


@register_object("transform.PassInfo")
class PassInfo(Object):
    """Name, optimisation level and required passes of a pass."""

    def __init__(self, opt_level, name, required=None, traceable=False):
        self.__init_handle_by_constructor__(_api("PassInfo"), opt_level, name, list(required or []), traceable)


@register_object("transform.PassContext")
class PassContext(Object):
    """Settings that passes read: opt_level, required/disabled passes, config, instruments.

        with tvm.transform.PassContext(opt_level=3, disabled_pass=["FoldConstant"]):
            mod = seq(mod)
    """

    def __init__(self, opt_level=2, required_pass=None, disabled_pass=None, instruments=None, config=None):
        required = list(required_pass or [])
        disabled = list(disabled_pass or [])
        for name, value in (("required_pass", required_pass), ("disabled_pass", disabled_pass)):
            if value is not None and not isinstance(value, (list, tuple, set)):
                raise TypeError(f"{name} must be a list, tuple or set of pass names")
        self.__init_handle_by_constructor__(_api("PassContext"), opt_level, required, disabled,
                                            list(instruments or []), dict(config or {}))

    def __enter__(self):
        _api("EnterPassContext")(self)
        return self

    def __exit__(self, ptype, value, trace):
        _api("ExitPassContext")(self)

    def override_instruments(self, instruments):
        _api("OverrideInstruments")(self, list(instruments))

    @staticmethod
    def current():
        """The innermost active PassContext."""
        return _api("GetCurrentPassContext")()

    @staticmethod
    def list_configs():
        """Known config options and the type each expects."""
        return dict(_api("ListConfigs")().items())


@register_object("transform.Pass")
class Pass(Object):
    """A transformation IRModule -> IRModule."""

    @property
    def info(self):
        return _api("Info")(self)

    def __call__(self, mod):
        return _api("RunPass")(self, mod)


@register_object("transform.ModulePass")
class ModulePass(Pass):
    """A pass over a whole module."""


@register_object("transform.Sequential")
class Sequential(Pass):
    """Passes run in order; each runs if the PassContext enables it."""

    def __init__(self, passes=None, opt_level=0, name="sequential", required=None, traceable=False):
        passes = list(passes or [])
        for p in passes:
            if not isinstance(p, Pass):
                raise TypeError(f"Sequential takes passes, got {type(p).__name__}")
        info = PassInfo(opt_level, name, required, traceable)
        self.__init_handle_by_constructor__(_api("Sequential"), passes, info)


def _wrap_class_module_pass(pass_cls, pass_info):
    class PyModulePass(ModulePass):
        def __init__(self, *args, **kwargs):
            inst = pass_cls(*args, **kwargs)

            def run(mod, ctx):
                return inst.transform_module(mod, ctx)

            self.__init_handle_by_constructor__(_api("MakeModulePass"), run, pass_info)
            self._inst = inst

        def __getattr__(self, name):
            return getattr(self._inst, name)

    functools.update_wrapper(PyModulePass.__init__, pass_cls.__init__)
    PyModulePass.__name__ = pass_cls.__name__
    PyModulePass.__doc__ = pass_cls.__doc__
    return PyModulePass


def module_pass(pass_func=None, opt_level=None, name=None, required=None, traceable=False):
    """Make a module pass from a function f(mod, ctx) -> mod or a class with transform_module.

        @tvm.transform.module_pass(opt_level=2)
        def my_pass(mod, ctx): ...
    """
    if opt_level is None:
        raise ValueError("module_pass needs an opt_level")
    required = list(required or [])

    def create(func):
        fname = name if name else func.__name__
        info = PassInfo(opt_level, fname, required, traceable)
        if inspect.isclass(func):
            return _wrap_class_module_pass(func, info)
        if not callable(func):
            raise TypeError("module_pass decorates a function or a class")
        return _api("MakeModulePass")(func, info)

    return create(pass_func) if pass_func is not None else create


def PrintIR(header="", show_meta_data=False):
    """A pass that prints the module."""
    return _api("PrintIR")(header)


def ApplyPassToFunction(transform, func_name_regex):
    raise NotImplementedError("ApplyPassToFunction is not supported yet")
