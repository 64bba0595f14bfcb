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


@register_object("tir.IndexMap")
class IndexMap(Object):
    """A map from one tuple of indices to another: ``(i) -> [i // 4, i % 4]``.

    ``initial_indices`` are variables, ``final_indices`` expressions of them.
    ``inverse(shape)`` exists for bijections of boxes made of reorders, splits
    and fuses of axes with constant extents.
    """

    # Returned by a mapping function between the axes that become separate physical axes.
    AXIS_SEPARATOR = "axis_separator"

    def __init__(self, initial_indices, final_indices, inverse_index_map=None):
        if callable(inverse_index_map) and not isinstance(inverse_index_map, IndexMap):
            inverse_index_map = IndexMap.from_func(inverse_index_map, ndim=len(final_indices))
        self.__init_handle_by_constructor__(
            _ffi_api.IndexMap, list(initial_indices), list(final_indices), inverse_index_map
        )

    @staticmethod
    def from_func(mapping_function, ndim=None, inverse_index_map=None, *, index_dtype="int64"):
        """The map ``mapping_function`` computes: it is called with one variable per
        parameter (``*args`` gets ``ndim`` minus the named ones) and returns an
        expression or a list of them."""
        index_map, axis_separators = IndexMap.from_func_with_separators(
            mapping_function, ndim, inverse_index_map, index_dtype=index_dtype
        )
        if axis_separators:
            raise _ERROR_TYPES["ValueError"](
                "IndexMap.from_func: the mapping returned IndexMap.AXIS_SEPARATOR; "
                "use IndexMap.from_func_with_separators"
            )
        return index_map

    @staticmethod
    def from_func_with_separators(mapping_function, ndim=None, inverse_index_map=None, *, index_dtype="int64"):
        """Like from_func, also returning the positions of ``AXIS_SEPARATOR`` in the result."""
        import inspect  # pylint: disable=import-outside-toplevel

        from ..ir.expr import PrimExpr  # pylint: disable=import-outside-toplevel

        args, kwargs, var_args = [], {}, None
        for name, param in inspect.signature(mapping_function).parameters.items():
            if param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
                args.append(Var(name, index_dtype))
            elif param.kind == param.VAR_POSITIONAL:
                var_args = name
            elif param.kind == param.KEYWORD_ONLY:
                kwargs[name] = Var(name, index_dtype)
            else:
                raise _ERROR_TYPES["ValueError"](
                    f"IndexMap.from_func: parameter **{name} of the mapping function is not an index"
                )
        if var_args is not None:
            if ndim is None:
                raise _ERROR_TYPES["ValueError"](
                    "IndexMap.from_func: the mapping function takes *args; give ndim"
                )
            count = ndim - len(args) - len(kwargs)
            if count < 0:
                raise _ERROR_TYPES["ValueError"](
                    f"IndexMap.from_func: the mapping function names {len(args) + len(kwargs)} "
                    f"indices but ndim is {ndim}"
                )
            args.extend(Var(f"{var_args}_{i}", index_dtype) for i in range(count))
        initial = args + list(kwargs.values())
        if ndim is not None and len(initial) != ndim:
            raise _ERROR_TYPES["ValueError"](
                f"IndexMap.from_func: the mapping function takes {len(initial)} indices "
                f"({', '.join(v.name_hint for v in initial)}) but {ndim} are expected"
            )
        result = mapping_function(*args, **kwargs)
        if isinstance(result, (PrimExpr, int)) or not hasattr(result, "__iter__"):
            result = [result]
        final, separators = [], []
        for value in result:
            if isinstance(value, str) and value == IndexMap.AXIS_SEPARATOR:
                separators.append(len(final))
            elif isinstance(value, (PrimExpr, int)):
                final.append(value if isinstance(value, PrimExpr) else convert(value))
            else:
                raise _ERROR_TYPES["TypeError"](
                    "IndexMap.from_func: the mapping function must return index expressions or "
                    f"IndexMap.AXIS_SEPARATOR, got {value!r} of type {type(value).__name__}"
                )
        return IndexMap(initial, final, inverse_index_map), separators

    def map_indices(self, indices):
        """The final indices for these initial ones."""
        return _ffi_api.IndexMapMapIndices(self, list(indices))

    def map_shape(self, shape):
        """The shape of a buffer of ``shape`` after the map."""
        return _ffi_api.IndexMapMapShape(self, list(shape))

    def map_ndarray(self, arr_src):
        """A copy of ``arr_src`` (an NDArray) stored in the mapped layout: element
        ``idx`` moves to ``map_indices(idx)``; positions nothing maps to are zero."""
        import numpy as np  # pylint: disable=import-outside-toplevel

        from ..runtime import ndarray as _nd  # pylint: disable=import-outside-toplevel

        src = arr_src.numpy()
        if src.ndim != len(self.initial_indices):
            raise _ERROR_TYPES["ValueError"](
                f"IndexMap.map_ndarray: the map takes {len(self.initial_indices)} indices, "
                f"the array has {src.ndim} dimensions {src.shape}"
            )
        grid = np.indices(src.shape, dtype="int64")
        env = [(v, grid[i]) for i, v in enumerate(self.initial_indices)]
        targets = tuple(_eval_index(e, env) for e in self.final_indices)
        shape = [int(x) for x in self.map_shape(list(src.shape))]
        out = np.zeros(shape, dtype=src.dtype)
        out[tuple(np.broadcast_to(t, src.shape) for t in targets)] = src
        return _nd.array(out, device=arr_src.device)

    def inverse(self, shape):
        """The inverse map, over initial indices ranging over ``shape``."""
        shape = [r.extent if hasattr(r, "extent") else r for r in shape]
        return _ffi_api.IndexMapInverse(self, shape)

    def is_equivalent_to(self, other_map):
        """Whether both maps give the same final indices for the same initial ones."""
        if not isinstance(other_map, IndexMap):
            return False
        return bool(_ffi_api.IndexMapIsEquivalentTo(self, other_map))

    def __str__(self):
        return _ffi_api.IndexMapToString(self)


def _eval_index(expr, env):
    """An integer index expression evaluated over numpy arrays (env: [(Var, array)])."""
    import numpy as np  # pylint: disable=import-outside-toplevel

    from . import expr as _e  # pylint: disable=import-outside-toplevel

    if isinstance(expr, _e.Var):
        for var, value in env:
            if var.same_as(expr):
                return value
        raise _ERROR_TYPES["ValueError"](f"IndexMap: {expr} is not an initial index")
    if isinstance(expr, _e.IntImm):
        return np.int64(expr.value)
    if isinstance(expr, _e.Cast):
        return _eval_index(expr.value, env)
    binary = {
        _e.Add: np.add,
        _e.Sub: np.subtract,
        _e.Mul: np.multiply,
        _e.FloorDiv: np.floor_divide,
        _e.FloorMod: np.mod,
        _e.Min: np.minimum,
        _e.Max: np.maximum,
    }
    for kind, fn in binary.items():
        if isinstance(expr, kind):
            return fn(_eval_index(expr.a, env), _eval_index(expr.b, env))
    raise _ERROR_TYPES["TypeError"](f"IndexMap.map_ndarray: cannot evaluate {type(expr).__name__} {expr}")
