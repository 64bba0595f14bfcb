# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Computes and schedules of the elementwise and broadcast operators.

Each operator's compute calls the TOPI operator of the same meaning; all of
them are injective, so they share topi's generic injective schedule.
"""
from ... import topi
from ...ir import Op
from .op import register_compute, register_injective_schedule

# The elementwise operators of one tensor (log, exp, sigmoid, copy, ...) and the broadcast
# operators of two (add, multiply, less, ...) register their computes (the TOPI function of the
# same name) and their schedule (the target's injective schedule) in C++:
# src/relay/op/tensor/unary.cc and binary.cc. Their shape functions (for the VM) are here.
_UNARY = [
    "log", "log2", "log10", "tan", "cos", "cosh", "sin", "sinh", "acos", "acosh", "asin", "asinh", "atan",
    "atanh", "exp", "erf", "sqrt", "rsqrt", "sigmoid", "floor", "ceil", "trunc", "round", "sign", "abs",
    "tanh", "logical_not", "bitwise_not", "negative", "isnan", "isfinite", "isinf", "fast_exp", "fast_tanh",
    "fast_erf", "copy",
]
_BINARY = [
    "add", "subtract", "multiply", "divide", "floor_divide", "trunc_divide", "power", "mod", "floor_mod",
    "trunc_mod", "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor",
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "maximum", "minimum",
    "right_shift", "left_shift",
]


def op_exists(op_name):
    """Whether op_name is registered (some operators arrive with later work)."""
    return op_name in _OP_NAMES


_OP_NAMES = set(Op.list_op_names())


# where, the fills (zeros, ones, full and their _like forms), clip, cast and cast_like register
# in C++ too: src/relay/op/tensor/transform_compute.cc.


@register_compute("reinterpret")
def _reinterpret_compute(attrs, inputs, out_type):
    return [topi.reinterpret(inputs[0], out_type.dtype)]


@register_compute("fixed_point_multiply")
def _fixed_point_multiply_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.fixed_point_multiply(inputs[0], attrs.multiplier, attrs.shift)]


@register_compute("shape_of")
def _shape_of_compute(attrs, inputs, out_type):
    return [topi.shape(inputs[0], out_type.dtype)]


for _name in ["reinterpret", "fixed_point_multiply", "shape_of"]:
    register_injective_schedule(_name)
if op_exists("ndarray_size"):

    @register_compute("ndarray_size")
    def _ndarray_size_compute(attrs, inputs, out_type):
        return [topi.ndarray_size(inputs[0], out_type.dtype)]

    register_injective_schedule("ndarray_size")


# ------------------------------------------------------------ shape functions
# TVM's contract (relay.op.register_shape_func): fn(attrs, inputs, out_ndims) -> [te.Tensor],
# each input a 1-D int64 tensor holding an argument's shape (these operators never read
# values), each output a 1-D int64 tensor of length out_ndims[j]. The VM runs them to
# allocate results whose type has relay.Any() dimensions.
from ... import te as _te  # noqa: E402  pylint: disable=wrong-import-position
from ... import tir as _tir  # noqa: E402  pylint: disable=wrong-import-position
from .op import register_shape_func  # noqa: E402  pylint: disable=wrong-import-position


def _int64(value):
    return _tir.const(int(value), "int64")


def _rank_of(shape_tensor):
    return int(shape_tensor.shape[0])


def _broadcast_shapes(op_name, shapes, ndim):
    """The numpy broadcast of the given 1-D shape tensors into a 1-D tensor of length ndim:
    per dimension (aligned at the right) equal extents stay, a 1 stretches to the other; any
    other pair fails at run time with an error naming the operator and both extents."""
    ndim = int(ndim)

    def gen(ins, outs):
        ib = _tir.ir_builder.create()
        out = ib.buffer_ptr(outs[0])
        srcs = [(ib.buffer_ptr(b), _rank_of(b)) for b in ins]
        for i in range(ndim):
            dim = _int64(1)
            for src, rank in srcs:
                k = i - (ndim - rank)
                if k < 0:
                    continue
                d = src[k]
                ok = _tir.Or(_tir.Or(d == dim, d == _int64(1)), dim == _int64(1))
                msg = _tir.StringImm(
                    f"{op_name}: the input shapes do not broadcast (dimension {i} of the {ndim}-d result: "
                    "extents differ and neither is 1; Invalid broadcast shapes)")
                ib.emit(lambda body, ok=ok, msg=msg: _tir.AssertStmt(ok, msg, body))
                dim = _tir.Select(d == _int64(1), dim, d)
            out[i] = dim
        return ib.get()

    return _te.extern((ndim,), list(shapes), gen, name=f"{op_name}_shape", dtype="int64")


def _broadcast_shape_func(op_name):
    def shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
        return [_broadcast_shapes(op_name, inputs, out_ndims[0])]

    shape_func.__name__ = "broadcast_shape_func"
    return shape_func


def elemwise_shape_func(attrs, inputs, _):  # pylint: disable=unused-argument
    """The result has its first input's shape (unary elementwise operators and *_like)."""
    x = inputs[0]
    return [_te.compute(x.shape, lambda i: x[i], name="elemwise_shape")]


def _constant_shape(values):
    values = [int(v) for v in values]

    def value(i):
        out = _int64(0)
        for k in reversed(range(len(values))):
            out = _tir.Select(i == k, _int64(values[k]), out)
        return out

    return _te.compute((len(values),), value, name="constant_shape")


def no_data_full_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    """zeros / ones: the shape is the attribute."""
    return [_constant_shape(attrs.shape)]


def full_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    """full(fill_value, shape=...): the shape is the attribute."""
    return [_constant_shape(attrs.shape)]


def shape_of_shape_func(attrs, inputs, _):  # pylint: disable=unused-argument
    """shape_of: a 1-D tensor as long as the input's rank."""
    return [_constant_shape([_rank_of(inputs[0])])]


def ndarray_size_shape_func(attrs, inputs, _):  # pylint: disable=unused-argument
    """ndarray_size: a scalar."""
    return [_constant_shape([])]


def where_shape_func(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    """where(condition, x, y): the three shapes broadcast together."""
    return [_broadcast_shapes("where", inputs, out_ndims[0])]


for _name in _BINARY:
    if op_exists(_name):
        register_shape_func(_name, False, _broadcast_shape_func(_name))
for _name in _UNARY + [
    "zeros_like", "ones_like", "full_like", "clip", "cast", "cast_like", "reinterpret", "fixed_point_multiply",
]:
    if op_exists(_name):
        register_shape_func(_name, False, elemwise_shape_func)
register_shape_func("zeros", False, no_data_full_shape_func)
register_shape_func("ones", False, no_data_full_shape_func)
register_shape_func("full", False, full_shape_func)
register_shape_func("where", False, where_shape_func)
register_shape_func("shape_of", False, shape_of_shape_func)
if op_exists("ndarray_size"):
    register_shape_func("ndarray_size", False, ndarray_size_shape_func)
