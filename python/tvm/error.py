# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Errors raised by TVM.

Every error raised from C++ is a TVMError. An error whose C++ kind names a
Python exception (ValueError, TypeError, IndexError, AttributeError, ...) is
also an instance of that Python exception, so both `except tvm.error.TVMError`
and `except ValueError` catch it.
"""
import builtins

_ERROR_TYPES = {}


class TVMError(RuntimeError):
    """The base of errors raised by TVM."""


def register_error(func_name=None, cls=None):
    """Register an error class so that C++ errors of its kind raise it.

    Usable as a decorator: ``@register_error`` or ``@register_error("Kind")``.
    """
    if callable(func_name):
        cls = func_name
        func_name = cls.__name__

    def register(mycls):
        _ERROR_TYPES[func_name if isinstance(func_name, str) else mycls.__name__] = mycls
        return mycls

    return register(cls) if cls is not None else register


@register_error
class InternalError(TVMError):
    """A bug inside TVM (an internal invariant failed), not a problem with user input."""


@register_error
class RPCError(TVMError):
    """Error from the RPC layer."""


@register_error
class OpError(TVMError):
    """Error in an operator: bad attributes or inputs."""


@register_error
class OpNotImplemented(OpError, NotImplementedError):
    """The operator is not implemented for this target or these inputs."""


@register_error
class OpAttributeRequired(OpError, AttributeError):
    """A required operator attribute is missing."""


@register_error
class OpAttributeInvalid(OpError, AttributeError):
    """An operator attribute has an invalid value."""


@register_error
class OpAttributeUnImplemented(OpError, NotImplementedError):
    """An operator attribute is not supported."""


@register_error
class DiagnosticError(TVMError):
    """Errors reported through diagnostics (with source locations)."""


def _make_builtin_subclass(name):
    base = getattr(builtins, name)
    cls = type(name, (TVMError, base), {"__doc__": f"A TVM error that is also a Python {name}.",
                                        "__module__": __name__})
    _ERROR_TYPES[name] = cls
    return cls


# Python exception kinds that C++ code raises, e.g. Error("ValueError", ...).
for _name in ("ValueError", "TypeError", "IndexError", "KeyError", "AttributeError", "NotImplementedError",
              "OverflowError", "MemoryError", "OSError", "FileNotFoundError", "RuntimeError", "ZeroDivisionError",
              "AssertionError"):
    _make_builtin_subclass(_name)


def _raise_error(kind, message):
    """Called by the core: raise the Python exception for a C++ error of `kind`."""
    cls = _ERROR_TYPES.get(kind)
    if cls is None:
        if kind == "TVMError":
            cls = TVMError
        else:
            cls = TVMError
            message = f"{kind}: {message}"
    raise cls(message)
