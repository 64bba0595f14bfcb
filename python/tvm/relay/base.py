# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Shared base classes of Relay's IR."""
from ..ir import Node, Span, SourceName  # noqa: F401  (re-exported as in TVM)
from ..runtime.object import Object  # noqa: F401

__all__ = ["Node", "Span", "SourceName", "Object"]
