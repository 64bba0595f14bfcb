# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""PrimFunc: a function of the loop IR."""
from .._ffi.registry import register_object
from ..error import _ERROR_TYPES
from ..ir.function import BaseFunc
from ..ir.type import PrimType, TupleType
from ..runtime.container import convert
from ..runtime.object import Object
from . import _ffi_api
from .buffer import Buffer
from .expr import Var
from .stmt import _Scriptable


@register_object("tir.PrimFunc")
class PrimFunc(BaseFunc, _Scriptable):
    """PrimFunc(params, body, ret_type=None, buffer_map=None, attrs=None).

    params holds Vars and Buffers; a Buffer parameter becomes a handle Var
    bound to it in buffer_map.
    """

    def __init__(self, params, body, ret_type=None, buffer_map=None, attrs=None, span=None):
        param_list = []
        buffer_map = dict(buffer_map.items()) if buffer_map is not None else {}
        for param in params:
            if hasattr(param, "asobject"):
                param = param.asobject()  # an ir_builder BufferVar stands for its buffer
            if not isinstance(param, Object):
                param = convert(param)
            if isinstance(param, Buffer):
                # An opaque handle, typed PrimType(handle) as te and TVMScript make it.
                var = Var(param.name, PrimType("handle"))
                param_list.append(var)
                buffer_map[var] = param
            elif isinstance(param, Var):
                param_list.append(param)
            else:
                raise _ERROR_TYPES["TypeError"](
                    f"PrimFunc: parameters must be Vars or Buffers, got {type(param).__name__}"
                )
        if ret_type is None:
            ret_type = TupleType([])
        self.__init_handle_by_constructor__(_ffi_api.PrimFunc, param_list, body, ret_type, buffer_map, attrs)

    def with_attr(self, attr_key_or_dict, attr_value=None):
        """A copy with attribute attr_key set to attr_value (or every pair of a dict)."""
        if isinstance(attr_key_or_dict, dict):
            result = self
            for key, value in attr_key_or_dict.items():
                result = _ffi_api.PrimFuncWithAttr(result, key, convert(value))
            return result
        return _ffi_api.PrimFuncWithAttr(self, attr_key_or_dict, convert(attr_value))

    def with_body(self, new_body, span=None):
        """A copy with body new_body."""
        return PrimFunc(self.params, new_body, self.ret_type, self.buffer_map, self.attrs)
