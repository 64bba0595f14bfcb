# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Where in the user's source a node came from."""
from .._ffi.registry import register_object
from ..runtime.object import Object
from . import _ffi_api


@register_object("SourceName")
class SourceName(Object):
    def __init__(self, name):
        self.__init_handle_by_constructor__(_ffi_api.SourceName, name)


@register_object("Span")
class Span(Object):
    """A range of a source; lines and columns count from 1."""

    def __init__(self, source_name, line, end_line, column, end_column):
        if isinstance(source_name, str):
            source_name = SourceName(source_name)
        self.__init_handle_by_constructor__(_ffi_api.Span, source_name, line, end_line, column, end_column)


@register_object("SequentialSpan")
class SequentialSpan(Span):
    """The spans of several source nodes that one expression came from.

    A SequentialSpan among `spans` contributes its parts (the result is flat).
    Its own position fields are 0; `spans` lists the parts in order.
    """

    def __init__(self, spans):  # pylint: disable=super-init-not-called
        self.__init_handle_by_constructor__(_ffi_api.SequentialSpan, list(spans))
