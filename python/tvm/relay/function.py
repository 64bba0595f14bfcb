# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Relay functions."""
from .._ffi.registry import register_object
from ..ir import BaseFunc
from . import _ffi_api
from .expr import _as_array


@register_object("relay.Function")
class Function(BaseFunc):
    """fn (params) -> ret_type { body }"""

    def __init__(self, params, body, ret_type=None, type_params=None, attrs=None, span=None):
        if type_params is None:
            type_params = []
        self.__init_handle_by_constructor__(_ffi_api.Function, _as_array(params), body, ret_type, type_params, attrs, span)

    def __call__(self, *args):
        from .expr import Call  # pylint: disable=import-outside-toplevel

        return Call(self, args, None, None)

    def with_attr(self, attr_key, attr_value):
        from ..runtime import convert  # pylint: disable=import-outside-toplevel

        return _ffi_api.FunctionWithAttr(self, attr_key, convert(attr_value))


def FunctionWithFields(function, params=None, body=None, ret_type=None, ty_params=None, attrs=None,
                       virtual_device=None, span=None):
    """function with the fields given replaced (None keeps the function's own); the function itself
    when nothing changes."""
    from .expr import _no_virtual_device  # pylint: disable=import-outside-toplevel

    _no_virtual_device(virtual_device, "FunctionWithFields")
    return _ffi_api.FunctionWithFields(
        function, None if params is None else _as_array(params), body, ret_type,
        None if ty_params is None else _as_array(ty_params), attrs, span)
