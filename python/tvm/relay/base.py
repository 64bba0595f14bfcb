# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Shared base classes of Relay's IR."""
from ..ir import Node, Span, SourceName, SequentialSpan  # noqa: F401  (re-exported as in TVM)
from .._ffi.registry import register_object
from ..runtime.object import Object  # noqa: F401

__all__ = ["Node", "Span", "SourceName", "SequentialSpan", "Object", "Id"]


@register_object("relay.Id")
class Id(Object):
    """The identity of a local variable (Var.vid): copies of a Var share it."""

    def __init__(self):
        raise RuntimeError("relay.Id is made by relay.Var; it has no constructor of its own")
