# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The ONNX operator converters of the Relay frontend (see onnx.py for the design).

Each converter is a class; `_impl_vN(cls, inputs, attr, g)` converts the operator
as defined since opset N. `inputs` holds Relay expressions (None for an omitted
optional input), `attr` the node's attributes as Python values, `g` the
GraphProto (shape/type inference and import-time evaluation helpers).
"""
import math

import numpy as np

from ... import error as _error
from .. import expr as _expr
from .. import op as _op

_nn = _op.nn


class NeedsConstant(_error.OpError):
    """A converter needs, at import, the value of a tensor computed from a graph input."""


class OnnxOpConverter:
    """Base class: picks the `_impl_vN` for an opset."""

    @classmethod
    def versions(cls):
        return sorted(int(n[len("_impl_v"):]) for n in dir(cls) if n.startswith("_impl_v"))

    @classmethod
    def get_converter(cls, opset):
        usable = [v for v in cls.versions() if v <= opset]
        if not usable:
            raise NotImplementedError(
                "opset %d of %s is not supported (versions %s)" % (opset, cls.__name__, cls.versions())
            )
        return getattr(cls, "_impl_v%d" % max(usable))


# ----------------------------------------------------------------------------- helpers
def _np_const(arr):
    """A constant keeping the array's dtype (relay.const narrows 64-bit arrays given no dtype)."""
    arr = np.asarray(arr)
    return _expr.const(arr, dtype=str(arr.dtype))


def _const(value, dtype=None):
    return _np_const(np.array(value, dtype=dtype) if dtype else np.asarray(value))


def _static(g, expr, what):
    """The numpy value of an input the converter needs at import (shape, axes, pads, ...)."""
    if expr is None:
        return None
    if g.is_const(expr):
        return g.value(expr)
    from .. import analysis  # pylint: disable=import-outside-toplevel

    free = [v.name_hint for v in analysis.free_vars(expr) if v.name_hint not in g._params]
    if free:
        err = NeedsConstant(
            "%s: its %s must be known at import (static shapes), but it is computed from the graph input(s) %s"
            % (g._where(), what, ", ".join(repr(f) for f in free))
        )
        err.input_names = free
        raise err
    return g.value(expr)


def _known(g, expr):
    """The numpy value of expr when it can be computed at import (constants and parameters
    only), else None: the converter then builds the dynamic (dyn.*) form, run by the VM."""
    if expr is None:
        return None
    if g.is_const(expr):
        return g.value(expr)
    from .. import analysis  # pylint: disable=import-outside-toplevel

    if any(v.name_hint not in g._params for v in analysis.free_vars(expr)):
        return None
    return g.value(expr)


def _i64(g, expr):
    return expr if _dtype_of(g, expr) == "int64" else _op.cast(expr, "int64")


def _scalar(g, expr, dtype=None):
    """A one-element tensor as a scalar expression (of dtype when given)."""
    if g.rank(expr) != 0:
        expr = _op.reshape(expr, [])
    if dtype is not None and _dtype_of(g, expr) != dtype:
        expr = _op.cast(expr, dtype)
    return expr


def _vector_length(g, expr, what):
    n = g.dims(expr)
    if len(n) != 1 or n[0] is None:
        raise _error.OpAttributeUnImplemented(
            "%s: its %s has shape %s; a 1-D tensor of static length is needed (it fixes the output rank)"
            % (g._where(), what, tuple("?" if d is None else d for d in n)))
    return n[0]


def _broadcast_shapes_expr(g, a, b):
    """The broadcast of two 1-D int64 shape tensors of static lengths (numpy's rule: a 1 takes
    the other extent), padded with leading ones to the longer."""
    la, lb = _vector_length(g, a, "shape"), _vector_length(g, b, "shape")
    n = max(la, lb)
    if la < n:
        a = _op.concatenate([_const(np.ones(n - la, "int64")), a], 0)
    if lb < n:
        b = _op.concatenate([_const(np.ones(n - lb, "int64")), b], 0)
    return _op.where(_op.equal(a, _const(np.array(1, "int64"))), b, a)


def _ints(v):
    return [int(x) for x in np.asarray(v).reshape(-1)]


def _norm_axis(axis, rank):
    axis = int(axis)
    if axis < -rank or axis >= max(rank, 1):
        raise _error.OpAttributeInvalid("axis %d is out of range for rank %d" % (axis, rank))
    return axis + rank if axis < 0 else axis


def _dtype_of(g, e):
    return g.infer_dtype(e)


def _is_float(dtype):
    return dtype.startswith("float")


def _auto_pad(attr, in_spatial, kernel, strides, dilations):
    """ONNX pads [b1, b2, ..., e1, e2, ...] after resolving auto_pad."""
    n = len(in_spatial)
    mode = attr.get("auto_pad", "NOTSET")
    if mode in ("NOTSET", ""):
        pads = attr.get("pads", [0] * (2 * n))
        return list(pads)
    if mode == "VALID":
        return [0] * (2 * n)
    if mode not in ("SAME_UPPER", "SAME_LOWER"):
        raise _error.OpAttributeInvalid("auto_pad %r is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID" % mode)
    if None in in_spatial:
        raise _error.OpAttributeUnImplemented(
            "auto_pad %s over dynamic spatial dimensions (the padding depends on the run-time size)" % mode)
    begin, end = [], []
    for i in range(n):
        out = -(-in_spatial[i] // strides[i])
        total = max((out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in_spatial[i], 0)
        small = total // 2
        if mode == "SAME_UPPER":
            begin.append(small)
            end.append(total - small)
        else:
            begin.append(total - small)
            end.append(small)
    return begin + end


def _relay_pad(pads):
    """ONNX's [begins..., ends...] is also Relay's padding order."""
    return list(pads)


def _prod(xs):
    out = 1
    for x in xs:
        out *= int(x)
    return out


# ----------------------------------------------------------------------------- elementwise
def _unary(name, fn):
    return type(name, (OnnxOpConverter,), {"_impl_v1": classmethod(lambda cls, i, a, g: fn(i[0]))})


def _binary(name, fn, since=1):
    def impl(cls, inputs, attr, g):
        a, b = inputs[0], inputs[1]
        if attr.get("broadcast", 1) == 1 and "axis" in attr:  # opset < 7 broadcast with axis
            ra, rb = len(g.infer_shape(a)), len(g.infer_shape(b))
            axis = attr["axis"] % ra if ra else 0
            trailing = ra - axis - rb
            if trailing > 0:
                b = _op.reshape(b, list(g.infer_shape(b)) + [1] * trailing)
        return fn(a, b)

    return type(name, (OnnxOpConverter,), {"_impl_v%d" % since: classmethod(impl)})


Abs = _unary("Abs", _op.abs)
Acos = _unary("Acos", _op.acos)
Acosh = _unary("Acosh", _op.acosh)
Asin = _unary("Asin", _op.asin)
Asinh = _unary("Asinh", _op.asinh)
Atan = _unary("Atan", _op.atan)
Atanh = _unary("Atanh", _op.atanh)
Ceil = _unary("Ceil", _op.ceil)
Cos = _unary("Cos", _op.cos)
Cosh = _unary("Cosh", _op.cosh)
Erf = _unary("Erf", _op.erf)
Exp = _unary("Exp", _op.exp)
Floor = _unary("Floor", _op.floor)
Log = _unary("Log", _op.log)
Neg = _unary("Neg", _op.negative)
Not = _unary("Not", _op.logical_not)
Relu = _unary("Relu", _nn.relu)
Sigmoid = _unary("Sigmoid", _op.sigmoid)
Sign = _unary("Sign", _op.sign)
Sin = _unary("Sin", _op.sin)
Sinh = _unary("Sinh", _op.sinh)
Sqrt = _unary("Sqrt", _op.sqrt)
Tan = _unary("Tan", _op.tan)
Tanh = _unary("Tanh", _op.tanh)
IsNaN = _unary("IsNaN", _op.isnan)
Identity = _unary("Identity", lambda x: x)
BitwiseNot = _unary("BitwiseNot", _op.bitwise_not)

Add = _binary("Add", _op.add)
Sub = _binary("Sub", _op.subtract)
Mul = _binary("Mul", _op.multiply)
Equal = _binary("Equal", _op.equal)
Greater = _binary("Greater", _op.greater)
Less = _binary("Less", _op.less)
GreaterOrEqual = _binary("GreaterOrEqual", _op.greater_equal)
LessOrEqual = _binary("LessOrEqual", _op.less_equal)
And = _binary("And", _op.logical_and)
Or = _binary("Or", _op.logical_or)
Xor = _binary("Xor", _op.logical_xor)
BitwiseAnd = _binary("BitwiseAnd", _op.bitwise_and)
BitwiseOr = _binary("BitwiseOr", _op.bitwise_or)
BitwiseXor = _binary("BitwiseXor", _op.bitwise_xor)


class Div(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        a, b = inputs
        if not _is_float(_dtype_of(g, a)):
            # integer division truncates toward zero (C semantics)
            q = _op.trunc(_op.divide(_op.cast(a, "float64"), _op.cast(b, "float64")))
            return _op.cast(q, _dtype_of(g, a))
        return _op.divide(a, b)


class Round(OnnxOpConverter):
    """Rounds half to even (numpy's rint), as ONNX requires."""

    @classmethod
    def _impl_v11(cls, inputs, attr, g):
        return _round_half_even(inputs[0], _dtype_of(g, inputs[0]))


def _round_half_even(x, dtype):
    f = _op.floor(x)
    diff = _op.subtract(x, f)
    half = _const(0.5, dtype)
    up = _op.add(f, _const(1.0, dtype))
    two = _const(2.0, dtype)
    f_even = _op.equal(_op.subtract(f, _op.multiply(_op.floor(_op.divide(f, two)), two)), _const(0.0, dtype))
    tie = _op.where(f_even, f, up)
    return _op.where(_op.less(diff, half), f, _op.where(_op.greater(diff, half), up, tie))


class Reciprocal(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        return _op.divide(_const(1.0, _dtype_of(g, inputs[0])), inputs[0])


class Pow(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        a, b = inputs
        da, db = _dtype_of(g, a), _dtype_of(g, b)
        if not _is_float(da):
            return _op.cast(_op.power(_op.cast(a, "float64"), _op.cast(b, "float64")), da)
        if db != da:
            b = _op.cast(b, da)
        return _op.power(a, b)


class Mod(OnnxOpConverter):
    @classmethod
    def _impl_v10(cls, inputs, attr, g):
        a, b = inputs
        if attr.get("fmod", 0) == 1:
            dt = _dtype_of(g, a)
            if _is_float(dt):
                return _op.subtract(a, _op.multiply(_op.trunc(_op.divide(a, b)), b))
            return _op.mod(a, b)
        return _op.floor_mod(a, b)


class BitShift(OnnxOpConverter):
    @classmethod
    def _impl_v11(cls, inputs, attr, g):
        direction = attr.get("direction", "")
        if direction == "LEFT":
            return _op.left_shift(*inputs)
        if direction == "RIGHT":
            return _op.right_shift(*inputs)
        raise _error.OpAttributeInvalid("BitShift direction must be LEFT or RIGHT, got %r" % direction)


class IsInf(OnnxOpConverter):
    @classmethod
    def _impl_v10(cls, inputs, attr, g):
        x = inputs[0]
        dt = _dtype_of(g, x)
        neg, pos = attr.get("detect_negative", 1), attr.get("detect_positive", 1)
        out = _op.isinf(x)
        if not neg:
            out = _op.logical_and(out, _op.greater(x, _const(0, dt)))
        if not pos:
            out = _op.logical_and(out, _op.less(x, _const(0, dt)))
        return out


def _variadic(name, fn, mean=False):
    def impl(cls, inputs, attr, g):
        out = inputs[0]
        for x in inputs[1:]:
            out = fn(out, x)
        if mean:
            out = _op.divide(out, _const(len(inputs), _dtype_of(g, out)))
        return out

    return type(name, (OnnxOpConverter,), {"_impl_v1": classmethod(impl)})


Max = _variadic("Max", _op.maximum)
Min = _variadic("Min", _op.minimum)
Sum = _variadic("Sum", _op.add)
Mean = _variadic("Mean", _op.add, mean=True)


# ----------------------------------------------------------------------------- activations
def _scalar_act(name, body, since=1):
    def impl(cls, inputs, attr, g):
        x = inputs[0]
        return body(x, attr, _dtype_of(g, x))

    return type(name, (OnnxOpConverter,), {"_impl_v%d" % since: classmethod(impl)})


def _elu(x, a, dt):
    alpha = a.get("alpha", 1.0)
    return _op.where(_op.greater(x, _const(0, dt)), x, _op.multiply(_const(alpha, dt), _op.subtract(_op.exp(x), _const(1, dt))))


def _selu(x, a, dt):
    alpha, gamma = a.get("alpha", 1.67326319217681884765625), a.get("gamma", 1.05070102214813232421875)
    neg = _op.multiply(_const(alpha, dt), _op.subtract(_op.exp(x), _const(1, dt)))
    return _op.multiply(_const(gamma, dt), _op.where(_op.greater(x, _const(0, dt)), x, neg))


def _celu(x, a, dt):
    alpha = a.get("alpha", 1.0)
    neg = _op.multiply(_const(alpha, dt), _op.subtract(_op.exp(_op.divide(x, _const(alpha, dt))), _const(1, dt)))
    return _op.add(_op.maximum(x, _const(0, dt)), _op.minimum(_const(0, dt), neg))


def _hard_sigmoid(x, a, dt):
    alpha, beta = a.get("alpha", 0.2), a.get("beta", 0.5)
    y = _op.add(_op.multiply(x, _const(alpha, dt)), _const(beta, dt))
    return _op.minimum(_op.maximum(y, _const(0, dt)), _const(1, dt))


def _hard_swish(x, a, dt):
    return _op.multiply(x, _hard_sigmoid(x, {"alpha": 1.0 / 6, "beta": 0.5}, dt))


def _softplus(x, a, dt):
    # log(1 + e^x) without overflow: max(x, 0) + log(1 + e^-|x|)
    return _op.add(_op.maximum(x, _const(0, dt)), _op.log(_op.add(_const(1, dt), _op.exp(_op.negative(_op.abs(x))))))


def _softsign(x, a, dt):
    return _op.divide(x, _op.add(_const(1, dt), _op.abs(x)))


def _thresholded_relu(x, a, dt):
    alpha = a.get("alpha", 1.0)
    return _op.where(_op.greater(x, _const(alpha, dt)), x, _op.zeros_like(x))


def _leaky(x, a, dt):
    alpha = a.get("alpha", 0.01)
    return _op.where(_op.greater_equal(x, _const(0, dt)), x, _op.multiply(x, _const(alpha, dt)))


def _shrink(x, a, dt):
    lambd, bias = a.get("lambd", 0.5), a.get("bias", 0.0)
    zero = _op.zeros_like(x)
    lo = _op.where(_op.less(x, _const(-lambd, dt)), _op.add(x, _const(bias, dt)), zero)
    return _op.where(_op.greater(x, _const(lambd, dt)), _op.subtract(x, _const(bias, dt)), lo)


def _gelu(x, a, dt):
    if a.get("approximate", "none") == "tanh":
        inner = _op.multiply(_const(math.sqrt(2 / math.pi), dt),
                             _op.add(x, _op.multiply(_const(0.044715, dt), _op.multiply(x, _op.multiply(x, x)))))
        return _op.multiply(_op.multiply(_const(0.5, dt), x), _op.add(_const(1, dt), _op.tanh(inner)))
    return _op.multiply(_op.multiply(_const(0.5, dt), x),
                        _op.add(_const(1, dt), _op.erf(_op.multiply(x, _const(1 / math.sqrt(2), dt)))))


def _mish(x, a, dt):
    return _op.multiply(x, _op.tanh(_softplus(x, a, dt)))


Elu = _scalar_act("Elu", _elu)
Selu = _scalar_act("Selu", _selu)
Celu = _scalar_act("Celu", _celu, 12)
HardSigmoid = _scalar_act("HardSigmoid", _hard_sigmoid)
HardSwish = _scalar_act("HardSwish", _hard_swish, 14)
Softplus = _scalar_act("Softplus", _softplus)
Softsign = _scalar_act("Softsign", _softsign)
ThresholdedRelu = _scalar_act("ThresholdedRelu", _thresholded_relu, 10)
LeakyRelu = _scalar_act("LeakyRelu", _leaky)
Shrink = _scalar_act("Shrink", _shrink, 9)
Gelu = _scalar_act("Gelu", _gelu, 1)
Mish = _scalar_act("Mish", _mish, 1)


class PRelu(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        x, slope = inputs
        return _op.where(_op.greater_equal(x, _const(0, _dtype_of(g, x))), x, _op.multiply(x, slope))


def _coerce_2d(g, x, axis, fn):
    shape = g.dims(x)
    axis = _norm_axis(axis, len(shape))
    if None in shape:  # reshape to 2-D and back through the run-time shape
        if None in shape[axis:]:
            raise _error.OpAttributeUnImplemented(
                "%s: the axes from %d on must be static (shape %s)" % (g._where(), axis, shape))
        flat = _op.reshape(x, [-1, _prod(shape[axis:])])
        return _op.reshape(fn(flat, 1), _op.shape_of(x, "int64"))
    flat = _op.reshape(x, [_prod(shape[:axis]), _prod(shape[axis:])])
    return _op.reshape(fn(flat, 1), list(shape))


class Softmax(OnnxOpConverter):
    _fn = staticmethod(_nn.softmax)

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        return _coerce_2d(g, inputs[0], attr.get("axis", 1), cls._fn)

    @classmethod
    def _impl_v13(cls, inputs, attr, g):
        x = inputs[0]
        return cls._fn(x, _norm_axis(attr.get("axis", -1), g.rank(x)))


class LogSoftmax(Softmax):
    _fn = staticmethod(_nn.log_softmax)


def _hardmax(x, axis, g):
    shape = g.infer_shape(x)
    idx = _op.argmax(x, axis=[axis], keepdims=False)
    dt = _dtype_of(g, x)
    oh = _op.one_hot(idx, _const(1, dt), _const(0, dt), shape[axis], axis, dt)
    return oh


class Hardmax(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        return _coerce_2d(g, inputs[0], attr.get("axis", 1), lambda y, ax: _hardmax(y, ax, g))

    @classmethod
    def _impl_v13(cls, inputs, attr, g):
        x = inputs[0]
        return _hardmax(x, _norm_axis(attr.get("axis", -1), len(g.infer_shape(x))), g)


# ----------------------------------------------------------------------------- nn
class Conv(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        x, w = inputs[0], inputs[1]
        b = inputs[2] if len(inputs) > 2 else None
        xs, ws = g.dims(x), g.infer_shape(w)
        nd = len(xs) - 2
        if nd not in (1, 2, 3):
            raise _error.OpAttributeUnImplemented("Conv on a rank-%d input (1-3 spatial dimensions supported)" % len(xs))
        kernel = attr.get("kernel_shape", list(ws[2:]))
        strides = attr.get("strides", [1] * nd)
        dil = attr.get("dilations", [1] * nd)
        pads = _auto_pad(attr, xs[2:], kernel, strides, dil)
        fn = {1: _nn.conv1d, 2: _nn.conv2d, 3: _nn.conv3d}[nd]
        out = fn(x, w, strides=strides, padding=_relay_pad(pads), dilation=dil, groups=attr.get("group", 1),
                 channels=ws[0], kernel_size=kernel)
        if b is not None:
            out = _nn.bias_add(out, b, axis=1)
        return out


class ConvTranspose(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        x, w = inputs[0], inputs[1]
        b = inputs[2] if len(inputs) > 2 else None
        xs, ws = g.infer_shape(x), g.infer_shape(w)
        nd = len(xs) - 2
        if nd not in (1, 2, 3):
            raise _error.OpAttributeUnImplemented("ConvTranspose on a rank-%d input" % len(xs))
        group = attr.get("group", 1)
        kernel = attr.get("kernel_shape", list(ws[2:]))
        strides = attr.get("strides", [1] * nd)
        dil = attr.get("dilations", [1] * nd)
        out_pad = list(attr.get("output_padding", [0] * nd))
        mode = attr.get("auto_pad", "NOTSET")
        if "output_shape" in attr:
            oshape = list(attr["output_shape"])[-nd:]
            pads_b, pads_e = [], []
            for i in range(nd):
                total = strides[i] * (xs[2 + i] - 1) + out_pad[i] + ((kernel[i] - 1) * dil[i] + 1) - oshape[i]
                if total < 0:  # a larger output than the default: grow the trailing edge
                    out_pad[i] += -total
                    total = 0
                if mode == "SAME_UPPER":
                    pads_b.append(total // 2)
                    pads_e.append(total - total // 2)
                else:
                    pads_b.append(total - total // 2)
                    pads_e.append(total // 2)
            pads = pads_b + pads_e
        elif mode in ("SAME_UPPER", "SAME_LOWER"):
            pads_b, pads_e = [], []
            for i in range(nd):
                target = xs[2 + i] * strides[i]
                total = max(strides[i] * (xs[2 + i] - 1) + out_pad[i] + ((kernel[i] - 1) * dil[i] + 1) - target, 0)
                if mode == "SAME_UPPER":
                    pads_b.append(total // 2)
                    pads_e.append(total - total // 2)
                else:
                    pads_b.append(total - total // 2)
                    pads_e.append(total // 2)
            pads = pads_b + pads_e
        else:
            pads = list(attr.get("pads", [0] * (2 * nd)))
        fn = {1: _nn.conv1d_transpose, 2: _nn.conv2d_transpose, 3: _nn.conv3d_transpose}[nd]
        out = fn(x, w, strides=strides, padding=pads, dilation=dil, groups=group, channels=ws[1] * group,
                 kernel_size=kernel, output_padding=out_pad)
        if b is not None:
            out = _nn.bias_add(out, b, axis=1)
        return out


class _Pool(OnnxOpConverter):
    kind = "max"

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        x = inputs[0]
        xs = g.dims(x)
        nd = len(xs) - 2
        if nd not in (1, 2, 3):
            raise _error.OpAttributeUnImplemented("%sPool on a rank-%d input" % (cls.kind, len(xs)))
        kernel = attr["kernel_shape"]
        strides = attr.get("strides", [1] * nd)
        dil = attr.get("dilations", [1] * nd)
        pads = _auto_pad(attr, xs[2:], kernel, strides, dil)
        ceil_mode = bool(attr.get("ceil_mode", 0))
        if cls.kind == "max":
            node = g.current_node
            if node is not None and len(node.output) > 1 and node.output[1]:
                return _max_pool_with_indices(g, x, xs, kernel, strides, dil, pads, ceil_mode,
                                              attr.get("storage_order", 0))
            if attr.get("storage_order", 0) != 0:
                raise _error.OpAttributeUnImplemented("MaxPool storage_order=1 is not supported")
            fn = {1: _nn.max_pool1d, 2: _nn.max_pool2d, 3: _nn.max_pool3d}[nd]
            return fn(x, pool_size=kernel, strides=strides, dilation=dil, padding=pads, ceil_mode=ceil_mode)
        fn = {1: _nn.avg_pool1d, 2: _nn.avg_pool2d, 3: _nn.avg_pool3d}[nd]
        count_pad = bool(attr.get("count_include_pad", 0))
        if attr.get("auto_pad", "NOTSET") in ("SAME_UPPER", "SAME_LOWER") and not count_pad:
            count_pad = False
        return fn(x, pool_size=kernel, strides=strides, dilation=dil, padding=pads, ceil_mode=ceil_mode,
                  count_include_pad=count_pad)


def _max_pool_with_indices(g, x, xs, kernel, strides, dil, pads, ceil_mode, storage_order):
    """MaxPool and the flat index of each maximum: the windows are gathered with a static
    table (output position, kernel offset) -> input position, then reduced with argmax."""
    nd = len(xs) - 2
    spatial = list(xs[2:])
    out_sp = []
    for i in range(nd):
        span = spatial[i] + pads[i] + pads[i + nd] - ((kernel[i] - 1) * dil[i] + 1)
        o = (-(-span // strides[i]) if ceil_mode else span // strides[i]) + 1
        if ceil_mode and (o - 1) * strides[i] >= spatial[i] + pads[i]:
            o -= 1
        out_sp.append(o)
    s_total = _prod(spatial)
    outs = np.stack(np.meshgrid(*[np.arange(o) for o in out_sp], indexing="ij"), -1).reshape(-1, nd)
    offs = np.stack(np.meshgrid(*[np.arange(k) for k in kernel], indexing="ij"), -1).reshape(-1, nd)
    pos = outs[:, None, :] * np.array(strides) - np.array(pads[:nd]) + offs[None, :, :] * np.array(dil)
    inside = np.all((pos >= 0) & (pos < np.array(spatial)), axis=-1)
    row_major = np.ravel_multi_index(tuple(np.clip(pos, 0, np.array(spatial) - 1).transpose(2, 0, 1)), spatial)
    col_major = np.ravel_multi_index(tuple(np.clip(pos, 0, np.array(spatial) - 1).transpose(2, 0, 1)[::-1]),
                                     spatial[::-1])
    table = np.where(inside, row_major, s_total)  # s_total reads the -inf pad cell
    report = col_major if storage_order else row_major
    n, c = xs[0], xs[1]
    p, k = table.shape
    dt = _dtype_of(g, x)
    lowest = np.finfo(dt).min if _is_float(dt) else np.iinfo(dt).min
    xf = _op.concatenate([_op.reshape(x, [n, c, s_total]), _op.full(_const(lowest, dt), [n, c, 1], dt)], 2)
    win = _op.reshape(_op.take(xf, _const(table.reshape(-1).astype("int64")), axis=2), [n, c, p, k])
    arg = _op.argmax(win, axis=[3], keepdims=True)
    vals = _op.reshape(_op.max(win, axis=[3]), [n, c] + out_sp)
    rep = _op.broadcast_to(_const(report.astype("int64")), [n, c, p, k])
    spatial_idx = _op.gather(rep, 3, _op.cast(arg, "int64"))
    base = (np.arange(n * c).reshape(n, c, 1, 1) * s_total).astype("int64")
    idx = _op.reshape(_op.add(spatial_idx, _const(base)), [n, c] + out_sp)
    return [vals, idx]


class MaxPool(_Pool):
    kind = "max"


class AveragePool(_Pool):
    kind = "avg"


class LpPool(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        x = inputs[0]
        dt = _dtype_of(g, x)
        p = float(attr.get("p", 2))
        xs = g.infer_shape(x)
        nd = len(xs) - 2
        kernel = attr["kernel_shape"]
        strides = attr.get("strides", [1] * nd)
        dil = attr.get("dilations", [1] * nd)
        pads = _auto_pad(attr, xs[2:], kernel, strides, dil)
        fn = {1: _nn.avg_pool1d, 2: _nn.avg_pool2d, 3: _nn.avg_pool3d}[nd]
        s = fn(_op.power(_op.abs(x), _const(p, dt)), pool_size=kernel, strides=strides, dilation=dil,
               padding=pads, ceil_mode=bool(attr.get("ceil_mode", 0)), count_include_pad=True)
        s = _op.multiply(s, _const(float(_prod(kernel)), dt))
        return _op.power(s, _const(1.0 / p, dt))


class _GlobalPool(OnnxOpConverter):
    reduce = staticmethod(_op.max)

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        x = inputs[0]
        rank = g.rank(x)
        return cls.reduce(x, axis=list(range(2, rank)), keepdims=True)


class GlobalMaxPool(_GlobalPool):
    reduce = staticmethod(_op.max)


class GlobalAveragePool(_GlobalPool):
    reduce = staticmethod(_op.mean)


class GlobalLpPool(OnnxOpConverter):
    @classmethod
    def _impl_v2(cls, inputs, attr, g):
        x = inputs[0]
        dt = _dtype_of(g, x)
        p = float(attr.get("p", 2))
        rank = len(g.infer_shape(x))
        s = _op.sum(_op.power(_op.abs(x), _const(p, dt)), axis=list(range(2, rank)), keepdims=True)
        return _op.power(s, _const(1.0 / p, dt))


class Gemm(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        a, b = inputs[0], inputs[1]
        c = inputs[2] if len(inputs) > 2 else None
        dt = _dtype_of(g, a)
        alpha, beta = attr.get("alpha", 1.0), attr.get("beta", 1.0)
        if attr.get("transA", 0):
            a = _op.transpose(a, [1, 0])
        if not attr.get("transB", 0):
            b = _op.transpose(b, [1, 0])
        out = _nn.dense(a, b)
        if alpha != 1.0:
            out = _op.multiply(out, _const(alpha, dt))
        if c is not None:
            out = _op.add(out, c if beta == 1.0 else _op.multiply(c, _const(beta, dt)))
        return out


def _tail(shape, start, stop=None):
    return _op.strided_slice(shape, [start], [stop if stop is not None else np.iinfo(np.int64).max])


def _matmul_dynamic(g, a, b, out_dtype):
    """numpy's matmul of tensors with dynamic dimensions: the batch axes are flattened (and
    broadcast) through their run-time shapes."""
    squeeze = []
    if g.rank(a) == 1:
        a, squeeze = _op.expand_dims(a, 0), [-2]
    if g.rank(b) == 1:
        b, squeeze = _op.expand_dims(b, 1), squeeze + [-1]
    da, db = g.dims(a), g.dims(b)
    sa, sb = g.shape_of(a), g.shape_of(b)
    minus_one = _const(np.array([-1], "int64"))
    if len(db) == 2:
        a2 = a if len(da) == 2 else _op.reshape(a, _op.concatenate([minus_one, _tail(sa, len(da) - 1)], 0))
        out = _nn.dense(a2, _op.transpose(b, [1, 0]), out_dtype=out_dtype)
        if len(da) != 2:
            out = _op.reshape(out, _op.concatenate([_tail(sa, 0, len(da) - 1), _tail(sb, 1)], 0))
    else:
        # batch axes that agree as far as types tell (a dynamic one against a dynamic one is
        # taken to agree) are not broadcast
        if len(da) == len(db) and da[:-2] == db[:-2]:
            batch = _tail(sa, 0, len(da) - 2)
        else:
            batch = _broadcast_shapes_expr(g, _tail(sa, 0, len(da) - 2), _tail(sb, 0, len(db) - 2))
            a = _op.broadcast_to(a, _op.concatenate([batch, _tail(sa, len(da) - 2)], 0))
            b = _op.broadcast_to(b, _op.concatenate([batch, _tail(sb, len(db) - 2)], 0))
            da = db = None
        a3 = _op.reshape(a, _op.concatenate([minus_one, _tail(sa, len(g.dims(a)) - 2)], 0))
        b3 = _op.reshape(b, _op.concatenate([minus_one, _tail(sb, len(g.dims(b)) - 2)], 0))
        out = _nn.batch_matmul(a3, b3, out_dtype=out_dtype, transpose_b=False)
        rows = _tail(sa, len(g.dims(a)) - 2, len(g.dims(a)) - 1)
        out = _op.reshape(out, _op.concatenate([batch, rows, _tail(sb, len(g.dims(b)) - 1)], 0))
    if squeeze:
        out = _op.squeeze(out, [g.rank(out) + k for k in squeeze])
    return out


def _matmul(g, a, b, out_dtype=""):
    if g.is_dynamic(a) or g.is_dynamic(b):
        return _matmul_dynamic(g, a, b, out_dtype)
    sa, sb = list(g.infer_shape(a)), list(g.infer_shape(b))
    squeeze_a = squeeze_b = False
    if len(sa) == 1:
        a, sa, squeeze_a = _op.reshape(a, [1, sa[0]]), [1, sa[0]], True
    if len(sb) == 1:
        b, sb, squeeze_b = _op.reshape(b, [sb[0], 1]), [sb[0], 1], True
    if len(sb) == 2:
        lead = sa[:-1]
        a2 = _op.reshape(a, [_prod(lead), sa[-1]]) if len(sa) != 2 else a
        out = _nn.dense(a2, _op.transpose(b, [1, 0]), out_dtype=out_dtype)
        out_shape = lead + [sb[1]]
        if len(sa) != 2:
            out = _op.reshape(out, out_shape)
    else:
        batch = list(np.broadcast_shapes(tuple(sa[:-2]), tuple(sb[:-2])))
        fa, fb = batch + sa[-2:], batch + sb[-2:]
        if fa != sa:
            a = _op.broadcast_to(a, fa)
        if fb != sb:
            b = _op.broadcast_to(b, fb)
        n = _prod(batch)
        out = _nn.batch_matmul(_op.reshape(a, [n] + sa[-2:]), _op.reshape(b, [n] + sb[-2:]),
                               out_dtype=out_dtype, transpose_b=False)
        out_shape = batch + [sa[-2], sb[-1]]
        out = _op.reshape(out, out_shape)
    if squeeze_a or squeeze_b:
        final = out_shape[:-2] + ([] if squeeze_a else [out_shape[-2]]) + ([] if squeeze_b else [out_shape[-1]])
        out = _op.reshape(out, final)
    return out


class MatMul(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        # The output type spelled out (the inputs' dtype), as TVM's importer writes it.
        return _matmul(g, inputs[0], inputs[1], out_dtype=g.infer_dtype(inputs[0]))


class MatMulInteger(OnnxOpConverter):
    @classmethod
    def _impl_v10(cls, inputs, attr, g):
        a, b = _op.cast(inputs[0], "int32"), _op.cast(inputs[1], "int32")
        if len(inputs) > 2 and inputs[2] is not None:
            a = _op.subtract(a, _op.cast(inputs[2], "int32"))
        if len(inputs) > 3 and inputs[3] is not None:
            b = _op.subtract(b, _op.cast(inputs[3], "int32"))
        return _matmul(g, a, b, out_dtype="int32")


class BatchNormalization(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        x, scale, bias, mean, var = inputs[:5]
        eps = attr.get("epsilon", 1e-5)
        if attr.get("training_mode", 0):
            dt = _dtype_of(g, x)
            rank = len(g.infer_shape(x))
            axes = [0] + list(range(2, rank))
            m = _op.mean(x, axes)
            v = _op.mean(_op.power(_op.subtract(x, _op.expand_dims(m, 1, rank - 2)), _const(2.0, dt)), axes)
            y = _nn.batch_norm(x, scale, bias, m, v, axis=1, epsilon=eps)[0]
            mom = _const(attr.get("momentum", 0.9), dt)
            one_m = _const(1 - attr.get("momentum", 0.9), dt)
            rm = _op.add(_op.multiply(mean, mom), _op.multiply(m, one_m))
            rv = _op.add(_op.multiply(var, mom), _op.multiply(v, one_m))
            return [y, rm, rv]
        return _nn.batch_norm(x, scale, bias, mean, var, axis=1, epsilon=eps)[0]


class InstanceNormalization(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        return _nn.instance_norm(inputs[0], inputs[1], inputs[2], axis=1, epsilon=attr.get("epsilon", 1e-5))


class LayerNormalization(OnnxOpConverter):
    @classmethod
    def _impl_v17(cls, inputs, attr, g):
        x, scale = inputs[0], inputs[1]
        bias = inputs[2] if len(inputs) > 2 else None
        shape = g.dims(x)
        dt = _dtype_of(g, x)
        axis = _norm_axis(attr.get("axis", -1), len(shape))
        axes = list(range(axis, len(shape)))
        eps = attr.get("epsilon", 1e-5)
        stash = attr.get("stash_type", 1)
        xc = _op.cast(x, "float32") if stash == 1 and dt != "float32" else x
        sdt = "float32" if stash == 1 else dt
        mean = _op.mean(xc, axes, keepdims=True)
        d = _op.subtract(xc, mean)
        var = _op.mean(_op.multiply(d, d), axes, keepdims=True)
        inv = _op.divide(_const(1.0, sdt), _op.sqrt(_op.add(var, _const(eps, sdt))))
        y = _op.multiply(d, inv)
        if sdt != dt:
            y = _op.cast(y, dt)
        y = _op.multiply(y, scale)
        if bias is not None:
            y = _op.add(y, bias)
        return [y, mean, inv]


class MeanVarianceNormalization(OnnxOpConverter):
    @classmethod
    def _impl_v9(cls, inputs, attr, g):
        x = inputs[0]
        dt = _dtype_of(g, x)
        axes = attr.get("axes", [0, 2, 3])
        mean = _op.mean(x, axes, keepdims=True)
        var = _op.subtract(_op.mean(_op.multiply(x, x), axes, keepdims=True), _op.multiply(mean, mean))
        return _op.divide(_op.subtract(x, mean), _op.add(_op.sqrt(var), _const(1e-9, dt)))


class LRN(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        return _nn.lrn(inputs[0], size=attr["size"], axis=1, bias=attr.get("bias", 1.0),
                       alpha=attr.get("alpha", 1e-4), beta=attr.get("beta", 0.75))


class Dropout(OnnxOpConverter):
    """Inference: the identity and an all-true mask. Training mode with a non-zero ratio draws
    a random mask, which the frontend does not do (a clear error rather than a silent identity)."""

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        x = inputs[0]
        if attr.get("is_test", 1) == 0 and g.opset < 7:
            raise _error.OpAttributeUnImplemented("Dropout with is_test=0 (training) is not supported")
        return [x, _op.cast(_op.ones_like(x), "bool")]

    @classmethod
    def _impl_v12(cls, inputs, attr, g):
        x = inputs[0]
        training = len(inputs) > 2 and inputs[2] is not None and \
            bool(np.asarray(_static(g, inputs[2], "training_mode")).reshape(-1)[0])
        if training:
            ratio = 0.5
            if len(inputs) > 1 and inputs[1] is not None:
                ratio = float(np.asarray(_static(g, inputs[1], "ratio")).reshape(-1)[0])
            if ratio != 0.0:
                raise _error.OpAttributeUnImplemented(
                    "Dropout in training mode with ratio %g draws a random mask; not supported" % ratio)
        return [x, _op.cast(_op.ones_like(x), "bool")]


class Flatten(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        x = inputs[0]
        shape = g.dims(x)
        axis = attr.get("axis", 1)
        axis = axis + len(shape) if axis < 0 else axis
        head, tail = shape[:axis], shape[axis:]
        if None not in head:
            return _op.reshape(x, [_prod(head), -1])
        if None not in tail:
            return _op.reshape(x, [-1, _prod(tail)])
        sizes = _op.shape_of(x, "int64")
        rows = _op.prod(_op.strided_slice(sizes, [0], [axis]), axis=[0], keepdims=True)
        return _op.reshape(x, _op.concatenate([rows, _const(np.array([-1], "int64"))], 0))


class DepthToSpace(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        return _nn.depth_to_space(inputs[0], attr["blocksize"], mode=attr.get("mode", "DCR"))


class SpaceToDepth(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        return _nn.space_to_depth(inputs[0], attr["blocksize"])


# ----------------------------------------------------------------------------- shapes and data movement
class Reshape(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        return _op.reshape(inputs[0], attr["shape"])

    @classmethod
    def _impl_v5(cls, inputs, attr, g):
        allowzero = bool(attr.get("allowzero", 0))
        shape = _known(g, inputs[1])
        if shape is None:  # given at run time: dyn.reshape (0 copies, -1 infers, as ONNX)
            return _op.reshape(inputs[0], _i64(g, inputs[1]), allowzero=allowzero)
        shape = _ints(shape)
        in_shape = g.dims(inputs[0])
        out = []
        for i, s in enumerate(shape):
            # a 0 copies the input's dimension; a dynamic one stays 0 (Relay's reshape copies it too)
            out.append(in_shape[i] if s == 0 and not allowzero and in_shape[i] is not None else s)
        return _op.reshape(inputs[0], out, allowzero=allowzero)


class Shape(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        dims = g.dims(inputs[0])
        start, end = attr.get("start", 0), attr.get("end", None)
        picked = list(range(len(dims)))[slice(start, end)]
        if all(dims[i] is not None for i in picked):
            return _const(np.array([dims[i] for i in picked], dtype="int64"))
        out = _op.shape_of(inputs[0], "int64")
        if len(picked) != len(dims):
            out = _op.strided_slice(out, [picked[0] if picked else 0], [picked[-1] + 1 if picked else 0])
        return out


class Size(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        dims = g.dims(inputs[0])
        if any(d is None for d in dims):
            return _op.ndarray_size(inputs[0], "int64")
        return _const(np.array(_prod(dims), dtype="int64"))


class Transpose(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        perm = attr.get("perm")
        if perm is None:
            perm = list(reversed(range(g.rank(inputs[0]))))
        return _op.transpose(inputs[0], perm)


class Concat(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        xs = [x for x in inputs if x is not None]
        rank = g.rank(xs[0])
        return _op.concatenate(xs, _norm_axis(attr.get("axis", 1), rank))


class Split(OnnxOpConverter):
    @classmethod
    def _split(cls, g, x, split, axis, n_out):
        shape = g.infer_shape(x)
        axis = _norm_axis(axis, len(shape))
        if split is None or len(split) == 0:
            if shape[axis] % n_out == 0:
                split = [shape[axis] // n_out] * n_out
            else:  # opset 18: the last chunk is smaller
                c = -(-shape[axis] // n_out)
                split = [c] * (n_out - 1) + [shape[axis] - c * (n_out - 1)]
        indices = list(np.cumsum(split)[:-1])
        if sum(split) != shape[axis]:
            raise _error.OpAttributeInvalid("split %s does not sum to the axis length %d" % (split, shape[axis]))
        if len(split) == 1:
            return [x]
        out = _op.split(x, [int(i) for i in indices], axis)
        return [out[i] for i in range(len(split))]

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        split = attr.get("split")
        if split is None and len(inputs) > 1 and inputs[1] is not None:
            split = _ints(_static(g, inputs[1], "split"))
        return cls._split(g, inputs[0], split, attr.get("axis", 0), len(g.current_node.output))

    @classmethod
    def _impl_v13(cls, inputs, attr, g):
        split = None
        x = inputs[0]
        axis = _norm_axis(attr.get("axis", 0), g.rank(x))
        if len(inputs) > 1 and inputs[1] is not None:
            known = _known(g, inputs[1])
            if known is None or g.dims(x)[axis] is None:
                return cls._split_dynamic(g, x, inputs[1] if known is None else _const(np.array(_ints(known), "int64")),
                                          axis)
            split = _ints(known)
        n = attr.get("num_outputs", len(g.current_node.output))
        return cls._split(g, x, split, axis, n)

    @classmethod
    def _split_dynamic(cls, g, x, split, axis):
        """Split sizes known at run time (or an axis of dynamic extent): one slice per output."""
        n = _vector_length(g, split, "split")
        split = _i64(g, split)
        ends = _op.cumsum(split, 0)
        starts = _op.subtract(ends, split)
        outs = []
        for i in range(n):
            pick = lambda v: _op.strided_slice(v, [i], [i + 1])  # noqa: E731
            outs.append(_dynamic_slice(g, x, pick(starts), pick(ends), [axis], None))
        return outs


def _dynamic_slice(g, x, starts, ends, axes, steps):
    """Slice with starts/ends/steps known at run time, or of a tensor with dynamic dimensions:
    full-rank begin/end/strides vectors for dyn.strided_slice (numpy's clamping, as ONNX)."""
    rank = g.rank(x)
    n = _vector_length(g, starts, "starts") if isinstance(starts, _expr.Expr) else len(starts)
    big = np.iinfo(np.int64).max
    if isinstance(axes, _expr.Expr):  # axes known at run time: scatter into full-rank vectors
        ax = _i64(g, axes)
        ax = _op.where(_op.less(ax, _const(np.array(0, "int64"))), _op.add(ax, _const(np.array(rank, "int64"))), ax)

        def full(v, default):
            v = _i64(g, v) if isinstance(v, _expr.Expr) else _const(np.array(v, "int64"))
            return _op.scatter_elements(_const(np.full(rank, default, "int64")), ax, v, 0, "update")

        return _op.strided_slice(x, full(starts, 0), full(ends, big),
                                 full(steps if steps is not None else [1] * n, 1))
    if axes is None:
        axes = list(range(n))
    axes = [_norm_axis(a, rank) for a in axes]
    big = np.iinfo(np.int64).max

    def piece(v, j):
        if isinstance(v, _expr.Expr):
            return _op.strided_slice(_i64(g, v), [j], [j + 1])
        return _const(np.array([max(min(int(v[j]), big), -big)], "int64"))

    begin, end, stride = [], [], []
    for k in range(rank):
        if k in axes:
            j = axes.index(k)
            begin.append(piece(starts, j))
            end.append(piece(ends, j))
            stride.append(piece(steps, j) if steps is not None else _const(np.array([1], "int64")))
        else:
            begin.append(_const(np.array([0], "int64")))
            end.append(_const(np.array([big], "int64")))
            stride.append(_const(np.array([1], "int64")))
    cat = lambda xs: _op.concatenate(xs, 0)  # noqa: E731
    begin, end, stride = cat(begin), cat(end), cat(stride)
    if all(isinstance(v, _expr.Constant) for v in (begin, end, stride)):
        return _op.strided_slice(x, _ints(begin.data.numpy()), _ints(end.data.numpy()), _ints(stride.data.numpy()))
    return _op.strided_slice(x, begin, end, stride)


def _slice(g, x, starts, ends, axes, steps):
    if g.is_dynamic(x) or any(isinstance(v, _expr.Expr) for v in (starts, ends, axes, steps)):
        return _dynamic_slice(g, x, starts, ends, axes, steps)
    shape = g.infer_shape(x)
    rank = len(shape)
    if axes is None:
        axes = list(range(len(starts)))
    if steps is None:
        steps = [1] * len(starts)
    out = x
    begin, end, strides = [0] * rank, list(shape), [1] * rank
    gathers = []
    for s, e, ax, st in zip(starts, ends, axes, steps):
        ax = _norm_axis(ax, rank)
        if st == 0:
            raise _error.OpAttributeInvalid("Slice step 0 on axis %d" % ax)
        big = np.iinfo(np.int64).max
        s = max(min(s, big), -big)
        e = max(min(e, big), -big)
        idx = np.arange(shape[ax])[slice(s, e, st)]
        if st == 1 or len(idx) == 0:
            begin[ax] = int(idx[0]) if len(idx) else 0
            end[ax] = int(idx[-1]) + 1 if len(idx) else 0
        else:
            gathers.append((ax, idx))
    out = _op.strided_slice(out, begin, end, strides)
    for ax, idx in gathers:
        out = _op.take(out, _const(idx.astype("int64")), axis=ax)
    return out


class Slice(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        return _slice(g, inputs[0], attr["starts"], attr["ends"], attr.get("axes"), None)

    @classmethod
    def _impl_v10(cls, inputs, attr, g):
        def opt(i):
            if len(inputs) > i and inputs[i] is not None:
                v = _known(g, inputs[i])
                return inputs[i] if v is None else _ints(v)
            return None

        return _slice(g, inputs[0], opt(1), opt(2), opt(3), opt(4))


def _wrap_indices(g, idx, dim):
    """Negative indices count from the end of an axis of extent dim (an int, or a scalar
    expression for a dynamic axis)."""
    dt = _dtype_of(g, idx)
    if g.is_const(idx):
        v = g.value(idx)
        if not isinstance(dim, _expr.Expr):
            return _const(np.where(v < 0, v + dim, v).astype(dt))
        if (np.asarray(v) >= 0).all():
            return idx
    dim = _op.cast(dim, dt) if isinstance(dim, _expr.Expr) else _const(dim, dt)
    return _op.where(_op.less(idx, _const(0, dt)), _op.add(idx, dim), idx)


def _axis_extent(g, x, axis):
    d = g.dims(x)[axis]
    return d if d is not None else g.dim(x, axis)


class Gather(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        x, idx = inputs
        axis = _norm_axis(attr.get("axis", 0), g.rank(x))
        return _op.take(x, _wrap_indices(g, idx, _axis_extent(g, x, axis)), axis=axis, mode="fast")


class GatherElements(OnnxOpConverter):
    @classmethod
    def _impl_v11(cls, inputs, attr, g):
        x, idx = inputs
        axis = _norm_axis(attr.get("axis", 0), g.rank(x))
        return _op.gather(x, axis, _wrap_indices(g, idx, _axis_extent(g, x, axis)))


class GatherND(OnnxOpConverter):
    @classmethod
    def _impl_v11(cls, inputs, attr, g):
        x, idx = inputs
        ishape = g.infer_shape(idx)
        rank = len(ishape)
        idx_t = _op.transpose(idx, [rank - 1] + list(range(rank - 1)))
        return _op.gather_nd(x, idx_t, batch_dims=attr.get("batch_dims", 0), index_rank=ishape[-1])


_REDUCTIONS = {"none": "update", "add": "add", "mul": "mul", "max": "max", "min": "min"}


class ScatterElements(OnnxOpConverter):
    @classmethod
    def _impl_v11(cls, inputs, attr, g):
        x, idx, upd = inputs
        shape = g.infer_shape(x)
        axis = _norm_axis(attr.get("axis", 0), len(shape))
        red = attr.get("reduction", "none")
        if red not in _REDUCTIONS:
            raise _error.OpAttributeInvalid("reduction %r" % red)
        return _op.scatter_elements(x, _wrap_indices(g, idx, shape[axis]), upd, axis, _REDUCTIONS[red])


class Scatter(ScatterElements):
    @classmethod
    def _impl_v9(cls, inputs, attr, g):
        return ScatterElements._impl_v11(inputs, attr, g)


class ScatterND(OnnxOpConverter):
    """Through scatter_elements on a (cells, rest) view of the data."""

    @classmethod
    def _impl_v11(cls, inputs, attr, g):
        x, idx, upd = inputs
        xs, ish = g.infer_shape(x), g.infer_shape(idx)
        k = ish[-1]
        n = _prod(ish[:-1])
        rest = _prod(xs[k:])
        strides = [_prod(xs[j + 1:k]) for j in range(k)]
        idt = _dtype_of(g, idx)
        idx2 = _op.reshape(idx, [n, k])
        lin = _op.sum(_op.multiply(idx2, _const(np.array(strides, dtype=idt))), axis=[1], keepdims=True)
        lin = _op.broadcast_to(lin, [n, rest])
        data2 = _op.reshape(x, [_prod(xs[:k]), rest])
        upd2 = _op.reshape(upd, [n, rest])
        red = attr.get("reduction", "none")
        out = _op.scatter_elements(data2, lin, upd2, 0, _REDUCTIONS[red])
        return _op.reshape(out, list(xs))


class Squeeze(OnnxOpConverter):
    @classmethod
    def _do(cls, g, x, axes):
        shape = g.dims(x)
        if axes is None:
            if None in shape:
                raise _error.OpAttributeUnImplemented(
                    "%s: Squeeze without axes of a tensor with dynamic dimensions (which are 1 is known only "
                    "at run time)" % g._where())
            axes = [i for i, d in enumerate(shape) if d == 1]
        axes = [_norm_axis(a, len(shape)) for a in axes]
        if None in shape:
            return _op.squeeze(x, axes)
        return _op.reshape(x, [d for i, d in enumerate(shape) if i not in axes])

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        return cls._do(g, inputs[0], attr.get("axes"))

    @classmethod
    def _impl_v13(cls, inputs, attr, g):
        axes = None
        if len(inputs) > 1 and inputs[1] is not None:
            known = _known(g, inputs[1])
            if known is None:  # axes given at run time: dyn.squeeze
                rank = np.array(g.rank(inputs[0]), "int64")
                a = _i64(g, inputs[1])
                a = _op.where(_op.less(a, _const(np.array(0, "int64"))), _op.add(a, _const(rank)), a)
                return _op.squeeze(inputs[0], a)
            axes = _ints(known)
        return cls._do(g, inputs[0], axes)


class Unsqueeze(OnnxOpConverter):
    @classmethod
    def _do(cls, g, x, axes):
        shape = list(g.dims(x))
        rank = len(shape) + len(axes)
        axes = sorted(_norm_axis(a, rank) for a in axes)
        if None in shape:
            for a in axes:
                x = _op.expand_dims(x, a)
            return x
        for a in axes:
            shape.insert(a, 1)
        return _op.reshape(x, shape)

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        return cls._do(g, inputs[0], attr["axes"])

    @classmethod
    def _impl_v13(cls, inputs, attr, g):
        known = _known(g, inputs[1])
        if known is not None:
            return cls._do(g, inputs[0], _ints(known))
        # axes given at run time (their count, so the output rank, is static): position p of the
        # output is 1 where inserted, else the input extent at p minus the insertions up to p
        x = inputs[0]
        rank = g.rank(x) + _vector_length(g, inputs[1], "axes")
        i64 = lambda v: _const(np.array(v, "int64"))  # noqa: E731
        a = _i64(g, inputs[1])
        a = _op.where(_op.less(a, i64(0)), _op.add(a, i64(rank)), a)
        positions = i64(np.arange(rank))
        inserted = _op.any(_op.equal(_op.expand_dims(positions, 1), _op.expand_dims(a, 0)), axis=[1])
        if g.rank(x) == 0:
            return _op.reshape(x, [1] * rank)
        src = _op.subtract(positions, _op.cumsum(_op.cast(inserted, "int64"), 0))
        src = _op.minimum(_op.maximum(src, i64(0)), i64(g.rank(x) - 1))
        shape = _op.where(inserted, i64(np.ones(rank, "int64")), _op.take(g.shape_of(x), src))
        return _op.reshape(x, shape)


class Expand(OnnxOpConverter):
    @classmethod
    def _impl_v8(cls, inputs, attr, g):
        shape = _known(g, inputs[1])
        in_shape = g.dims(inputs[0])
        if shape is not None and None not in in_shape:
            out = list(np.broadcast_shapes(tuple(in_shape), tuple(_ints(shape))))
            return _op.broadcast_to(inputs[0], out)
        target = _i64(g, inputs[1]) if shape is None else _const(np.array(_ints(shape), "int64"))
        return _op.broadcast_to(inputs[0], _broadcast_shapes_expr(g, g.shape_of(inputs[0]), target))


class Tile(OnnxOpConverter):
    @classmethod
    def _impl_v6(cls, inputs, attr, g):
        reps = _known(g, inputs[1])
        if reps is None:
            return _op.tile(inputs[0], _i64(g, inputs[1]))
        return _op.tile(inputs[0], _ints(reps))


def _cast(g, x, to_bf16, target_dtype):
    """Cast, with bfloat16 values carried as uint16 bit patterns (the upper half of a float32;
    float32 -> bfloat16 truncates, as ONNX 1.12's reference does)."""
    node = g.current_node
    from_bf16 = node is not None and node.input[0] in g.bf16
    if to_bf16:
        if node is not None:
            g.bf16.add(node.output[0])
        if from_bf16:
            return x
        bits = _op.reinterpret(_op.cast(x, "float32"), "uint32")
        return _op.cast(_op.right_shift(bits, _const(16, "uint32")), "uint16")
    if from_bf16:
        x = _op.reinterpret(_op.left_shift(_op.cast(x, "uint32"), _const(16, "uint32")), "float32")
    return _op.cast(x, target_dtype)


class Cast(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        to = attr["to"]
        from .onnx import onnx_dtype  # pylint: disable=import-outside-toplevel

        if isinstance(to, str):
            return _op.cast(inputs[0], to.lower())
        return _cast(g, inputs[0], int(to) == 16, onnx_dtype(to))


class CastLike(OnnxOpConverter):
    @classmethod
    def _impl_v15(cls, inputs, attr, g):
        like_bf16 = g.current_node is not None and g.current_node.input[1] in g.bf16
        return _cast(g, inputs[0], like_bf16, _dtype_of(g, inputs[1]))


class Constant(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        if "value" in attr:
            return _np_const(np.asarray(attr["value"]))
        if "value_float" in attr:
            return _const(np.array(attr["value_float"], "float32"))
        if "value_floats" in attr:
            return _const(np.array(attr["value_floats"], "float32"))
        if "value_int" in attr:
            return _const(np.array(attr["value_int"], "int64"))
        if "value_ints" in attr:
            return _const(np.array(attr["value_ints"], "int64"))
        raise _error.OpAttributeUnImplemented(
            "Constant with attribute(s) %s (only tensor, float(s) and int(s) values are supported)" % list(attr)
        )


class ConstantOfShape(OnnxOpConverter):
    @classmethod
    def _impl_v9(cls, inputs, attr, g):
        shape = _known(g, inputs[0])
        value = attr.get("value", np.zeros([1], "float32"))
        value = np.asarray(value).reshape(-1)
        if shape is None:  # dyn.full
            return _op.full(_np_const(value[:1].reshape([])), _i64(g, inputs[0]), str(value.dtype))
        return _np_const(np.full(_ints(shape), value[0], dtype=value.dtype))


class Where(OnnxOpConverter):
    @classmethod
    def _impl_v9(cls, inputs, attr, g):
        return _op.where(*inputs)


class Pad(OnnxOpConverter):
    @classmethod
    def _do(cls, g, x, pads, value, mode):
        shape = g.infer_shape(x)
        rank = len(shape)
        begin, end = pads[:rank], pads[rank:]
        if any(p < 0 for p in pads):
            x = _op.strided_slice(x, [max(-b, 0) for b in begin],
                                  [shape[i] - max(-end[i], 0) for i in range(rank)])
            begin = [max(b, 0) for b in begin]
            end = [max(e, 0) for e in end]
        mode = {"constant": "constant", "edge": "edge", "reflect": "reflect"}.get(mode)
        if mode is None:
            raise _error.OpAttributeInvalid("Pad mode must be constant, edge or reflect")
        if value is None:
            value = _const(0, _dtype_of(g, x))
        return _nn.pad(x, list(zip(begin, end)), value, mode)

    @classmethod
    def _impl_v2(cls, inputs, attr, g):
        dt = _dtype_of(g, inputs[0])
        return cls._do(g, inputs[0], attr["pads"], _const(attr.get("value", 0.0), dt), attr.get("mode", "constant"))

    @classmethod
    def _impl_v11(cls, inputs, attr, g):
        x = inputs[0]
        known = _known(g, inputs[1])
        no_axes = len(inputs) <= 3 or inputs[3] is None
        if known is None and no_axes:  # pads given at run time: dyn.nn.pad of a (rank, 2) tensor
            rank = g.rank(x)
            width = _op.transpose(_op.reshape(_i64(g, inputs[1]), [2, rank]), [1, 0])
            value = inputs[2] if len(inputs) > 2 and inputs[2] is not None else _const(0, _dtype_of(g, x))
            if g.rank(value) != 0:
                value = _op.reshape(value, [])
            mode = attr.get("mode", "constant")
            if mode not in ("constant", "edge", "reflect"):
                raise _error.OpAttributeInvalid("Pad mode must be constant, edge or reflect")
            return _nn.pad(x, width, value, mode)
        pads = _ints(_static(g, inputs[1], "pads"))
        value = None
        if len(inputs) > 2 and inputs[2] is not None:
            value = inputs[2]
            if len(g.infer_shape(value)) != 0:
                value = _op.reshape(value, [])
        if len(inputs) > 3 and inputs[3] is not None:
            axes = _ints(_static(g, inputs[3], "axes"))
            rank = len(g.infer_shape(x))
            full = [0] * (2 * rank)
            for j, a in enumerate(axes):
                a = _norm_axis(a, rank)
                full[a] = pads[j]
                full[a + rank] = pads[j + len(axes)]
            pads = full
        return cls._do(g, x, pads, value, attr.get("mode", "constant"))


class Clip(OnnxOpConverter):
    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        x = inputs[0]
        dt = _dtype_of(g, x)
        lo, hi = attr.get("min", -3.4028234663852886e38), attr.get("max", 3.4028234663852886e38)
        return _op.minimum(_op.maximum(x, _const(lo, dt)), _const(hi, dt))

    @classmethod
    def _impl_v11(cls, inputs, attr, g):
        x = inputs[0]
        if len(inputs) > 1 and inputs[1] is not None:
            x = _op.maximum(x, inputs[1])
        if len(inputs) > 2 and inputs[2] is not None:
            x = _op.minimum(x, inputs[2])
        return x


class Einsum(OnnxOpConverter):
    @classmethod
    def _impl_v12(cls, inputs, attr, g):
        eq = attr["equation"].replace(" ", "")
        if "..." in eq:
            eq = cls._expand_ellipsis(eq, [g.rank(x) for x in inputs])
        return _op.einsum(list(inputs), eq)

    @staticmethod
    def _expand_ellipsis(eq, ranks):
        """Spell '...' out with letters the equation does not use (ranks are static)."""
        lhs, _, rhs = eq.partition("->")
        terms = lhs.split(",")
        free = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" if c not in eq]
        width = 0
        for t, r in zip(terms, ranks):
            if "..." in t:
                width = max(width, r - (len(t) - 3))
        dots = "".join(free[:width])
        out_terms = []
        for t, r in zip(terms, ranks):
            if "..." in t:
                n = r - (len(t) - 3)
                t = t.replace("...", dots[width - n:])
            out_terms.append(t)
        if "->" in eq:
            rhs = rhs.replace("...", dots)
            return ",".join(out_terms) + "->" + rhs
        return ",".join(out_terms)


class TopK(OnnxOpConverter):
    @classmethod
    def _do(cls, g, x, k, attr):
        axis = _norm_axis(attr.get("axis", -1), g.rank(x))
        largest = attr.get("largest", 1)
        k = int(k) if not isinstance(k, _expr.Expr) else k  # a tensor expression: dyn.topk
        vals, idx = _op.topk(x, k=k, axis=axis, ret_type="both", is_ascend=not largest, dtype="int64")
        return [vals, idx]

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        return cls._do(g, inputs[0], attr["k"], attr)

    @classmethod
    def _impl_v10(cls, inputs, attr, g):
        k = _known(g, inputs[1])
        return cls._do(g, inputs[0], _ints(k)[0] if k is not None else _scalar(g, inputs[1], "int64"), attr)


class _ArgReduce(OnnxOpConverter):
    fn = staticmethod(_op.argmax)

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        x = inputs[0]
        axis = _norm_axis(attr.get("axis", 0), g.rank(x))
        out = cls.fn(x, axis=[axis], keepdims=bool(attr.get("keepdims", 1)),
                     select_last_index=bool(attr.get("select_last_index", 0)))
        return _op.cast(out, "int64")


class ArgMax(_ArgReduce):
    fn = staticmethod(_op.argmax)


class ArgMin(_ArgReduce):
    fn = staticmethod(_op.argmin)


class _Reduce(OnnxOpConverter):
    """Reductions; axes moved from attribute to input at opset 13 (ReduceSum) or 18 (others)."""

    input_axes_since = 18

    @classmethod
    def apply(cls, x, axes, keepdims, g):
        raise NotImplementedError

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        x = inputs[0]
        rank = g.rank(x)
        axes = attr.get("axes")
        if g.opset >= cls.input_axes_since and len(inputs) > 1 and inputs[1] is not None:
            known = _known(g, inputs[1])
            if known is None and _vector_length(g, inputs[1], "axes") > 0:
                return cls._run_time_axes(x, inputs[1], bool(attr.get("keepdims", 1)), g)
            axes = _ints(known) if known is not None else []
        if not axes:
            if g.opset >= cls.input_axes_since and attr.get("noop_with_empty_axes", 0):
                return x
            axes = list(range(rank))
        axes = [_norm_axis(a, rank) for a in axes]
        return cls.apply(x, axes, bool(attr.get("keepdims", 1)), g)


def _run_time_axes(cls, x, axes, keepdims, g):
    """Axes given at run time (their count is static): every candidate set of axes is reduced
    (kept as extents of 1, broadcast back) and the one that matches is selected; the result is
    then sliced to 1 on the chosen axes (and those squeezed without keepdims)."""
    import itertools  # pylint: disable=import-outside-toplevel

    rank = g.rank(x)
    n = _vector_length(g, axes, "axes")
    i64 = lambda v: _const(np.array(v, "int64"))  # noqa: E731
    a = _i64(g, axes)
    a = _op.where(_op.less(a, i64(0)), _op.add(a, i64(rank)), a)
    chosen = [_op.any(_op.equal(a, i64(k)), axis=[0]) for k in range(rank)]
    subsets = [c for m in range(1, min(n, rank) + 1) for c in itertools.combinations(range(rank), m)]
    if len(subsets) > 64:
        raise _error.OpAttributeUnImplemented(
            "%s: %d axes of a rank-%d tensor given at run time (%d candidate sets; at most 64 are built)"
            % (g._where(), n, rank, len(subsets)))
    full = g.shape_of(x)
    out = None
    for subset in subsets:
        reduced = _op.broadcast_to(cls.apply(x, list(subset), True, g), full)
        match = None
        for k in range(rank):
            c = chosen[k] if k in subset else _op.logical_not(chosen[k])
            match = c if match is None else _op.logical_and(match, c)
        out = reduced if out is None else _op.where(match, reduced, out)
    end = _op.where(_op.stack(chosen, 0), i64(np.ones(rank, "int64")), g.shape_of(x))
    out = _op.strided_slice(out, i64(np.zeros(rank, "int64")), end)
    if not keepdims:
        out = _op.squeeze(out, a)
    return out


_Reduce._run_time_axes = classmethod(_run_time_axes)


def _reduce(name, body, since=18):
    return type(name, (_Reduce,), {"apply": classmethod(lambda cls, x, ax, kd, g: body(x, ax, kd, g)),
                                   "input_axes_since": since})


def _l2(x, ax, kd, g):
    return _op.sqrt(_op.sum(_op.multiply(x, x), ax, kd))


def _logsum(x, ax, kd, g):
    return _op.log(_op.sum(x, ax, kd))


def _logsumexp(x, ax, kd, g):
    m = _op.max(x, ax, keepdims=True)
    s = _op.log(_op.sum(_op.exp(_op.subtract(x, m)), ax, kd))
    return _op.add(s, m if kd else _op.squeeze(m, ax))


ReduceSum = _reduce("ReduceSum", lambda x, ax, kd, g: _op.sum(x, ax, kd), 13)
ReduceMean = _reduce("ReduceMean", lambda x, ax, kd, g: _op.mean(x, ax, kd))
ReduceMax = _reduce("ReduceMax", lambda x, ax, kd, g: _op.max(x, ax, kd))
ReduceMin = _reduce("ReduceMin", lambda x, ax, kd, g: _op.min(x, ax, kd))
ReduceProd = _reduce("ReduceProd", lambda x, ax, kd, g: _op.prod(x, ax, kd))
ReduceL1 = _reduce("ReduceL1", lambda x, ax, kd, g: _op.sum(_op.abs(x), ax, kd))
ReduceL2 = _reduce("ReduceL2", _l2)
ReduceLogSum = _reduce("ReduceLogSum", _logsum)
ReduceLogSumExp = _reduce("ReduceLogSumExp", _logsumexp)
ReduceSumSquare = _reduce("ReduceSumSquare", lambda x, ax, kd, g: _op.sum(_op.multiply(x, x), ax, kd))


class Trilu(OnnxOpConverter):
    @classmethod
    def _impl_v14(cls, inputs, attr, g):
        k = _const(0, "int64")
        if len(inputs) > 1 and inputs[1] is not None:
            known = _known(g, inputs[1])
            k = _const(_ints(known)[0], "int64") if known is not None else _scalar(g, inputs[1], "int64")
        return _op.trilu(inputs[0], k, upper=bool(attr.get("upper", 1)))


class Range(OnnxOpConverter):
    @classmethod
    def _impl_v11(cls, inputs, attr, g):
        vals = [_known(g, i) for i in inputs]
        if any(v is None for v in vals):  # an arange whose length is known at run time
            dt = _dtype_of(g, inputs[0])
            start, limit, delta = [_scalar(g, i) for i in inputs]
            return _op.arange(start, limit, delta, dtype=dt)
        dt = str(np.asarray(vals[0]).dtype)
        return _np_const(np.arange(vals[0], vals[1], vals[2]).astype(dt))


class OneHot(OnnxOpConverter):
    @classmethod
    def _impl_v9(cls, inputs, attr, g):
        idx, depth, values = inputs
        known = _known(g, depth)
        if known is not None:
            depth = int(np.asarray(known).reshape(-1)[0])
        else:  # a depth given at run time: dyn.one_hot
            depth = _scalar(g, depth, "int64")
        idx = _wrap_indices(g, _op.cast(idx, "int64"), depth)
        dt = _dtype_of(g, values)
        on = _op.take(values, _const(1, "int64"))
        off = _op.take(values, _const(0, "int64"))
        rank = g.rank(idx) + 1
        axis = _norm_axis(attr.get("axis", -1), rank)
        return _op.one_hot(idx, on, off, depth, axis, dt)


class CumSum(OnnxOpConverter):
    @classmethod
    def _impl_v11(cls, inputs, attr, g):
        x = inputs[0]
        known = _known(g, inputs[1])
        if known is None:  # an axis given at run time: the rank is static, so every axis is a candidate
            rank = g.rank(x)
            ax = _scalar(g, inputs[1], "int64")
            ax = _op.where(_op.less(ax, _const(np.array(0, "int64"))), _op.add(ax, _const(np.array(rank, "int64"))), ax)
            out = None
            for k in reversed(range(rank)):
                one = cls._impl_v11([x, _const(np.array(k, "int64"))], attr, g)
                out = one if out is None else _op.where(_op.equal(ax, _const(np.array(k, "int64"))), one, out)
            return out
        axis = _norm_axis(_ints(known)[0], g.rank(x))
        if attr.get("reverse", 0):
            x = _op.reverse(x, axis)
        out = _op.cumsum(x, axis, exclusive=attr.get("exclusive", 0))
        if attr.get("reverse", 0):
            out = _op.reverse(out, axis)
        return out


class ReverseSequence(OnnxOpConverter):
    @classmethod
    def _impl_v10(cls, inputs, attr, g):
        return _op.reverse_sequence(inputs[0], inputs[1], attr.get("time_axis", 0), attr.get("batch_axis", 1))


class EyeLike(OnnxOpConverter):
    @classmethod
    def _impl_v9(cls, inputs, attr, g):
        shape = g.infer_shape(inputs[0])
        from .onnx import onnx_dtype  # pylint: disable=import-outside-toplevel

        dt = onnx_dtype(attr["dtype"]) if "dtype" in attr else _dtype_of(g, inputs[0])
        return _np_const(np.eye(shape[0], shape[1], k=attr.get("k", 0), dtype=dt))


def _nonzero_flat(g, mask):
    """The flat (row-major) positions of the true elements of a bool tensor, in order: a 1-D
    int64 tensor whose length is known only at run time. Each true element's rank among the
    true ones (a cumulative sum) is its slot; the false ones all go to one spare slot past
    the end, which the final slice (to the count) drops."""
    flat = _op.cast(_op.reshape(mask, [-1]), "int64")
    n = _axis_extent(g, flat, 0)
    n_expr = n if isinstance(n, _expr.Expr) else _const(np.array(n, "int64"))
    slot = _op.subtract(_op.cumsum(flat, 0), _const(np.array(1, "int64")))
    slot = _op.where(_op.cast(flat, "bool"), slot, n_expr)
    positions = _op.arange(_const(np.array(0, "int64")), n_expr, _const(np.array(1, "int64")), dtype="int64")
    if isinstance(n, _expr.Expr):
        size = _op.reshape(_op.add(n, _const(np.array(1, "int64"))), [1])
        buf = _op.zeros(size, "int64")
    else:
        buf = _op.zeros([n + 1], "int64")
    buf = _op.scatter_elements(buf, slot, positions, 0, "update")
    count = _op.sum(flat, axis=[0], keepdims=True)
    return _op.strided_slice(buf, _const(np.array([0], "int64")), count)


class Compress(OnnxOpConverter):
    @classmethod
    def _impl_v9(cls, inputs, attr, g):
        x = inputs[0]
        known = _known(g, inputs[1])
        if known is None:  # a condition given at run time: the output length is data-dependent
            cond = _op.cast(inputs[1], "bool")
            axis = None if "axis" not in attr else _norm_axis(attr["axis"], g.rank(x))
            # a condition shorter than the axis leaves the rest out: its positions stop there
            idx = _nonzero_flat(g, cond)
            if axis is None:
                return _op.take(_op.reshape(x, [-1]), idx, axis=0)
            return _op.take(x, idx, axis=axis)
        cond = np.asarray(known).astype(bool)
        idx = np.nonzero(cond)[0].astype("int64")
        if "axis" not in attr:
            x = _op.reshape(x, [-1])
            return _op.take(x, _const(idx), axis=0)
        axis = _norm_axis(attr["axis"], g.rank(x))
        return _op.take(x, _const(idx), axis=axis)


class NonZero(OnnxOpConverter):
    """The (rank, count) coordinates of the non-zero elements, in row-major order; count is
    data-dependent (computed at import when the input is a constant)."""

    @classmethod
    def _impl_v9(cls, inputs, attr, g):
        x = inputs[0]
        known = _known(g, x)
        if known is not None:
            return _np_const(np.array(np.nonzero(known), dtype="int64"))
        if g.rank(x) == 0:
            raise _error.OpAttributeUnImplemented("%s: NonZero of a scalar" % g._where())
        dt = _dtype_of(g, x)
        mask = _op.not_equal(x, _const(0, dt)) if dt != "bool" else x
        flat = _nonzero_flat(g, mask)
        return _op.unravel_index(flat, g.shape_of(x))


class NonMaxSuppression(OnnxOpConverter):
    """Greedy NMS per batch and class (vision.all_class_non_max_suppression); the selected
    (batch, class, box) rows are sliced to their count, known only at run time."""

    @classmethod
    def _impl_v10(cls, inputs, attr, g):
        boxes, scores = inputs[0], inputs[1]

        def opt(i, default, dtype):
            if len(inputs) > i and inputs[i] is not None:
                return _scalar(g, inputs[i], dtype)
            return _const(np.array(default, dtype))

        # ONNX's default of max_output_boxes_per_class is 0: nothing is selected
        max_out = opt(2, 0, "int32")
        iou = opt(3, 0.0, "float32")
        score_thr = opt(4, float("-inf"), "float32")
        if _dtype_of(g, boxes) != "float32":
            boxes = _op.cast(boxes, "float32")
        if _dtype_of(g, scores) != "float32":
            scores = _op.cast(scores, "float32")
        if attr.get("center_point_box", 0) == 1:  # (x_center, y_center, width, height) -> corners
            xc, yc, w, h = [_op.strided_slice(boxes, [0, 0, k], [np.iinfo(np.int64).max] * 2 + [k + 1])
                            for k in range(4)]
            half = _const(np.array(0.5, "float32"))
            hw, hh = _op.multiply(w, half), _op.multiply(h, half)
            boxes = _op.concatenate([_op.subtract(yc, hh), _op.subtract(xc, hw), _op.add(yc, hh), _op.add(xc, hw)], 2)
        elif attr.get("center_point_box", 0) != 0:
            raise _error.OpAttributeInvalid("NonMaxSuppression center_point_box must be 0 or 1, got %r"
                                            % attr["center_point_box"])
        # ONNX suppresses a box whose IoU with a kept one is above the threshold; the operator
        # suppresses at or above it: the next float32 up turns one test into the other (at 0,
        # the default, disjoint boxes are kept).
        up = _op.reinterpret(_op.add(_op.reinterpret(iou, "int32"), _const(np.array(1, "int32"))), "float32")
        iou = _op.where(_op.greater_equal(iou, _const(np.array(0, "float32"))),
                        _op.maximum(up, _const(np.array(1e-30, "float32"))), iou)
        selected, count = _op.vision.all_class_non_max_suppression(boxes, scores, max_out, iou, score_thr, "onnx")
        end = _op.concatenate([count, _const(np.array([3], "int64"))], 0)
        return _op.strided_slice(selected, _const(np.array([0, 0], "int64")), end)


def _unique_slices(g, x, axis, is_sorted):
    """Unique along an axis (static shape): the slices are compared pairwise. A slice is the
    first of its kind when no earlier slice equals it; its output position is the number of
    such firsts before it (first-occurrence order) or lexicographically smaller (sorted)."""
    shape = g.infer_shape(x)
    n = shape[axis]
    rest = _prod(shape[:axis] + shape[axis + 1:])
    xt = _op.reshape(_op.transpose(x, [axis] + [i for i in range(len(shape)) if i != axis]), [n, rest])
    a, b = _op.expand_dims(xt, 1), _op.expand_dims(xt, 0)  # (n, 1, rest), (1, n, rest)
    diff = _op.not_equal(a, b)  # (n, n, rest)
    eq = _op.logical_not(_op.any(diff, axis=[2]))  # (n, n)
    first_of = _op.cast(_op.argmax(_op.cast(eq, "int32"), axis=[1]), "int64")  # first j equal to i
    ids = _const(np.arange(n, dtype="int64"))
    is_first = _op.equal(first_of, ids)
    firsts = _op.cast(is_first, "int64")
    if is_sorted:
        k = _op.expand_dims(_op.cast(_op.argmax(_op.cast(diff, "int32"), axis=[2]), "int64"), 2)  # first difference
        av = _op.gather(_op.broadcast_to(a, [n, n, rest]), 2, k)
        bv = _op.gather(_op.broadcast_to(b, [n, n, rest]), 2, k)
        before = _op.logical_and(_op.logical_not(eq), _op.squeeze(_op.less(bv, av), [2]))  # [i, j]: j < i
    else:
        before = _const(np.tril(np.ones((n, n), bool), -1))  # [i, j]: j comes before i
    key = _op.sum(_op.multiply(_op.cast(before, "int64"), _op.expand_dims(firsts, 0)), axis=[1])  # (n,)
    inverse = _op.take(key, first_of, axis=0)
    n1 = _const(np.array(n, "int64"))
    slot = _op.where(is_first, key, n1)
    order = _op.scatter_elements(_op.zeros([n + 1], "int64"), slot, ids, 0, "update")
    count = _op.sum(firsts, axis=[0], keepdims=True)
    indices = _op.strided_slice(order, _const(np.array([0], "int64")), count)
    counts = _op.take(_op.sum(_op.cast(eq, "int64"), axis=[1]), indices, axis=0)
    return [_op.take(x, indices, axis=axis), indices, inverse, counts]


class Unique(OnnxOpConverter):
    """The distinct values (sorted, or in order of first occurrence), the index of each one's
    first occurrence, each input element's index among them, and their counts; the count of
    distinct values is known only at run time. With axis: distinct slices."""

    @classmethod
    def _impl_v11(cls, inputs, attr, g):
        x = inputs[0]
        is_sorted = bool(attr.get("sorted", 1))
        if "axis" in attr and g.rank(x) > 1:
            return _unique_slices(g, x, _norm_axis(attr["axis"], g.rank(x)), is_sorted)
        flat = _op.reshape(x, [-1])
        out = _op.unique(flat, is_sorted=is_sorted, return_counts=True)
        num = _op.cast(out[3], "int64")
        zero = _const(np.array([0], "int64"))

        def head(t):
            return _op.strided_slice(t, zero, num)

        return [head(out[0]), _op.cast(head(out[1]), "int64"), _op.cast(out[2], "int64"),
                _op.cast(head(out[4]), "int64")]


class Resize(OnnxOpConverter):
    @classmethod
    def _resize(cls, g, x, scales, sizes, attr, roi=None):
        shape = g.infer_shape(x)
        rank = len(shape)
        if sizes is None:
            if scales is None or len(scales) != rank:
                raise _error.OpAttributeInvalid("Resize needs scales or sizes for every axis")
            sizes = [int(math.floor(shape[i] * scales[i] + 1e-6)) for i in range(rank)]
        given = scales if scales is not None else [sizes[i] / shape[i] for i in range(rank)]
        inexact = any(abs(shape[i] * given[i] - sizes[i]) > 1e-6 for i in range(rank))
        if inexact or sizes[0] != shape[0] or sizes[1] != shape[1]:
            return _resize_by_matrices(g, x, shape, sizes, given, attr, roi)
            raise _error.OpAttributeUnImplemented("Resize of the batch or channel axis is not supported")
        mode = attr.get("mode", "nearest")
        method = {"nearest": "nearest_neighbor", "linear": "linear", "cubic": "cubic"}.get(mode)
        if method is None:
            raise _error.OpAttributeInvalid("Resize mode %r" % mode)
        coord = attr.get("coordinate_transformation_mode", "half_pixel")
        nearest = attr.get("nearest_mode", "round_prefer_floor")
        nd = rank - 2
        if nd not in (1, 2, 3):
            raise _error.OpAttributeUnImplemented("Resize of a rank-%d tensor" % rank)
        fn = {1: _op.image.resize1d, 2: _op.image.resize2d, 3: _op.image.resize3d}[nd]
        roi_arg = None
        if coord == "tf_crop_and_resize" and roi is not None:
            roi_arg = [float(r) for r in list(roi[2:rank]) + list(roi[rank + 2:])]
        return fn(x, sizes[2:], roi_arg, method=method, coordinate_transformation_mode=coord,
                  rounding_method=nearest if method == "nearest_neighbor" else "",
                  cubic_alpha=attr.get("cubic_coeff_a", -0.75), cubic_exclude=attr.get("exclude_outside", 0),
                  extrapolation_value=attr.get("extrapolation_value", 0.0))

    @classmethod
    def _resize_dynamic(cls, g, x, scales, sizes, roi, attr):
        """Scales, sizes or roi known at run time (or a dynamic input): ONNX's resampling done in
        the graph, one axis after the other: each output position's source coordinate from the
        run-time scale (as ONNX defines it, not the size ratio), then the taps gathered with take
        and weighted."""
        rank = g.rank(x)
        dt = _dtype_of(g, x)
        work = x if _is_float(dt) else _op.cast(x, "float32")
        wdt = dt if _is_float(dt) else "float32"
        f64 = lambda v: _const(np.array(v, "float64"))  # noqa: E731
        mask = None
        for ax in range(rank):
            n_in = _op.cast(g.dim(x, ax), "float64")
            if sizes is not None:
                n_out = _op.take(_i64(g, sizes), _const(np.array(ax, "int64")))
                scale = _op.divide(_op.cast(n_out, "float64"), n_in)
                if scales is not None:
                    raise _error.OpAttributeInvalid("Resize takes scales or sizes, not both")
            else:
                scale = _op.cast(_op.take(scales, _const(np.array(ax, "int64"))), "float64")
                n_out = _op.cast(_op.floor(_op.add(_op.multiply(n_in, scale), f64(1e-6))), "int64")
            if roi is not None:
                r = _op.cast(roi, "float64")
                start = _op.take(r, _const(np.array(ax, "int64")))
                stop = _op.take(r, _const(np.array(ax + rank, "int64")))
            else:
                start, stop = f64(0.0), f64(1.0)
            work, valid = _resample_axis(work, ax, rank, n_in, n_out, scale, start, stop, attr, wdt)
            # each axis's result is materialised: fused together, every tap of an axis would
            # recompute all the taps of the axes before it (4^rank reads for cubic)
            work = _op.annotation.stop_fusion(work)
            if valid is not None:
                mask = valid if mask is None else _op.logical_and(mask, valid)
        if mask is not None:
            work = _op.where(mask, work, _const(np.array(attr.get("extrapolation_value", 0.0), wdt)))
        if not _is_float(dt):
            work = _op.cast(_round_half_even(work, "float32"), dt)
        return work

    @classmethod
    def _impl_v10(cls, inputs, attr, g):
        attr = dict(attr)
        attr.setdefault("coordinate_transformation_mode", "asymmetric")
        attr.setdefault("nearest_mode", "floor")
        known = _known(g, inputs[1])
        if known is None or g.is_dynamic(inputs[0]):
            return cls._resize_dynamic(g, inputs[0], inputs[1] if known is None else _np_const(known), None, None,
                                       attr)
        scales = [float(s) for s in np.asarray(known).reshape(-1)]
        return cls._resize(g, inputs[0], scales, None, attr)

    @classmethod
    def _impl_v11(cls, inputs, attr, g):
        x = inputs[0]

        def opt(i):
            if len(inputs) > i and inputs[i] is not None:
                v = _known(g, inputs[i])
                return (inputs[i], False) if v is None else (v, True)
            return None, True

        (roi, roi_known), (scales, scales_known), (sizes, sizes_known) = opt(1), opt(2), opt(3)
        if scales_known and scales is not None and np.asarray(scales).size == 0:
            scales = None
        if sizes_known and sizes is not None and np.asarray(sizes).size == 0:
            sizes = None
        if not (roi_known and scales_known and sizes_known) or g.is_dynamic(x):
            def as_expr(v, known):
                return v if not known or v is None else _np_const(np.asarray(v))
            return cls._resize_dynamic(g, x, as_expr(scales, scales_known), as_expr(sizes, sizes_known),
                                       as_expr(roi, roi_known), attr)
        if scales is not None:
            scales = [float(v) for v in np.asarray(scales).reshape(-1)]
        if sizes is not None:
            sizes = _ints(sizes)
        if roi is not None and np.asarray(roi).size:
            roi = [float(r) for r in np.asarray(roi).reshape(-1)]
        else:
            roi = None
        return cls._resize(g, x, scales, sizes, attr, roi)


def _resample_axis(x, ax, rank, n_in, n_out, scale, start, stop, attr, wdt):
    """x resampled along ax to n_out positions (float64 scalar expressions n_in, scale, roi
    start/stop; n_out int64), as _resize_matrix computes the weights; returns the result and,
    for tf_crop_and_resize, the mask of positions inside the input (broadcastable), else None."""
    f64 = lambda v: _const(np.array(v, "float64"))  # noqa: E731
    coord = attr.get("coordinate_transformation_mode", "half_pixel")
    mode = attr.get("mode", "nearest")
    pos = _op.arange(f64(0.0), _op.cast(n_out, "float64"), f64(1.0), dtype="float64")
    out_len = _op.cast(n_out, "float64")
    one, half = f64(1.0), f64(0.5)
    if coord in ("half_pixel", "pytorch_half_pixel"):
        xo = _op.subtract(_op.divide(_op.add(pos, half), scale), half)
        if coord == "pytorch_half_pixel":
            xo = _op.where(_op.greater(out_len, one), xo, _op.zeros_like(xo))
    elif coord == "align_corners":
        length = _op.multiply(n_in, scale)
        xo = _op.divide(_op.multiply(pos, _op.subtract(n_in, one)), _op.subtract(length, one))
        xo = _op.where(_op.greater(length, one), xo, _op.zeros_like(xo))
    elif coord == "asymmetric":
        xo = _op.divide(pos, scale)
    elif coord == "tf_half_pixel_for_nn":
        xo = _op.divide(_op.add(pos, half), scale)
    elif coord == "tf_crop_and_resize":
        span = _op.multiply(_op.subtract(stop, start), _op.subtract(n_in, one))
        many = _op.add(_op.multiply(start, _op.subtract(n_in, one)),
                       _op.divide(_op.multiply(pos, span), _op.subtract(out_len, one)))
        single = _op.multiply(_op.multiply(half, _op.add(start, stop)), _op.subtract(n_in, one))
        xo = _op.where(_op.greater(out_len, one), many, _op.add(_op.zeros_like(pos), single))
    else:
        raise _error.OpAttributeInvalid("Resize coordinate_transformation_mode %r" % coord)
    last = _op.subtract(n_in, one)
    zero = f64(0.0)

    def along(v):  # a per-position vector shaped to broadcast along ax
        return _op.reshape(v, [1] * ax + [-1] + [1] * (rank - ax - 1))

    def tap(idx):
        i = _op.cast(_op.minimum(_op.maximum(idx, zero), last), "int64")
        return _op.take(x, i, axis=ax, mode="fast")

    if mode == "nearest":
        nm = attr.get("nearest_mode", "round_prefer_floor")
        pick = {"round_prefer_floor": lambda v: _op.ceil(_op.subtract(v, half)),
                "round_prefer_ceil": lambda v: _op.floor(_op.add(v, half)),
                "floor": _op.floor, "ceil": _op.ceil}.get(nm)
        if pick is None:
            raise _error.OpAttributeInvalid("Resize nearest_mode %r" % nm)
        out = tap(pick(xo))
    elif mode == "linear":
        xc = _op.minimum(_op.maximum(xo, zero), last)
        x0 = _op.floor(xc)
        r = _op.cast(_op.subtract(xc, x0), wdt)
        x1 = _op.minimum(_op.add(x0, one), last)
        out = _op.add(_op.multiply(tap(x0), along(_op.subtract(_const(np.array(1, wdt)), r))),
                      _op.multiply(tap(x1), along(r)))
    elif mode == "cubic":
        a = attr.get("cubic_coeff_a", -0.75)
        x0 = _op.floor(xo)
        r = _op.subtract(xo, x0)

        def cubic(d):
            d = _op.abs(d)
            d2, d3 = _op.multiply(d, d), _op.multiply(_op.multiply(d, d), d)
            near = _op.add(_op.subtract(_op.multiply(f64(a + 2), d3), _op.multiply(f64(a + 3), d2)), one)
            far = _op.add(_op.subtract(_op.multiply(f64(a), d3), _op.multiply(f64(5 * a), d2)),
                          _op.subtract(_op.multiply(f64(8 * a), d), f64(4 * a)))
            return _op.where(_op.less_equal(d, one), near, _op.where(_op.less(d, f64(2.0)), far, _op.zeros_like(d)))

        taps = [(_op.add(x0, f64(k)), cubic(_op.subtract(r, f64(k)))) for k in (-1, 0, 1, 2)]
        if attr.get("exclude_outside", 0):
            inside = [_op.logical_and(_op.greater_equal(i, zero), _op.less_equal(i, last)) for i, _ in taps]
            taps = [(i, _op.where(m, c, _op.zeros_like(c))) for (i, c), m in zip(taps, inside)]
            total = taps[0][1]
            for _, c in taps[1:]:
                total = _op.add(total, c)
            taps = [(i, _op.divide(c, total)) for i, c in taps]
        out = None
        for i, c in taps:
            term = _op.multiply(tap(i), along(_op.cast(c, wdt)))
            out = term if out is None else _op.add(out, term)
    else:
        raise _error.OpAttributeInvalid("Resize mode %r" % mode)
    valid = None
    if coord == "tf_crop_and_resize":
        valid = along(_op.logical_and(_op.greater_equal(xo, zero), _op.less_equal(xo, last)))
    return out, valid


def _resize_matrix(n_in, n_out, scale, attr, roi_start, roi_end):
    """(out, in) interpolation weights of one axis, exactly as ONNX defines them, and
    the mask of output positions inside the input (tf_crop_and_resize extrapolates the rest)."""
    coord = attr.get("coordinate_transformation_mode", "half_pixel")
    mode = attr.get("mode", "nearest")
    x = np.arange(n_out, dtype="float64")
    if coord == "half_pixel":
        xo = (x + 0.5) / scale - 0.5
    elif coord == "pytorch_half_pixel":
        xo = (x + 0.5) / scale - 0.5 if n_out > 1 else np.zeros(n_out)
    elif coord == "align_corners":
        # ONNX divides by the unrounded output length (input length times scale)
        length = n_in * scale
        xo = x * (n_in - 1) / (length - 1) if length > 1 else np.zeros(n_out)
    elif coord == "asymmetric":
        xo = x / scale
    elif coord == "tf_half_pixel_for_nn":
        xo = (x + 0.5) / scale
    elif coord == "tf_crop_and_resize":
        if n_out > 1:
            xo = roi_start * (n_in - 1) + x * (roi_end - roi_start) * (n_in - 1) / (n_out - 1)
        else:
            xo = np.full(n_out, 0.5 * (roi_start + roi_end) * (n_in - 1))
    else:
        raise _error.OpAttributeInvalid("Resize coordinate_transformation_mode %r" % coord)
    valid = (xo >= 0) & (xo <= n_in - 1) if coord == "tf_crop_and_resize" else np.ones(n_out, bool)
    w = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    if mode == "nearest":
        nm = attr.get("nearest_mode", "round_prefer_floor")
        idx = {"round_prefer_floor": np.ceil(xo - 0.5), "round_prefer_ceil": np.floor(xo + 0.5),
               "floor": np.floor(xo), "ceil": np.ceil(xo)}.get(nm)
        if idx is None:
            raise _error.OpAttributeInvalid("Resize nearest_mode %r" % nm)
        w[rows, np.clip(idx, 0, n_in - 1).astype(int)] = 1.0
    elif mode == "linear":
        xc = np.clip(xo, 0, n_in - 1)
        x0 = np.floor(xc).astype(int)
        r = xc - x0
        x1 = np.minimum(x0 + 1, n_in - 1)
        np.add.at(w, (rows, x0), 1 - r)
        np.add.at(w, (rows, x1), r)
    elif mode == "cubic":
        a = attr.get("cubic_coeff_a", -0.75)
        x0 = np.floor(xo).astype(int)
        r = xo - x0

        def cubic(d):
            d = np.abs(d)
            return np.where(d <= 1, (a + 2) * d ** 3 - (a + 3) * d ** 2 + 1,
                            np.where(d < 2, a * d ** 3 - 5 * a * d ** 2 + 8 * a * d - 4 * a, 0.0))

        taps = [(x0 + k, cubic(r - k)) for k in (-1, 0, 1, 2)]
        if attr.get("exclude_outside", 0):
            inside = [(i >= 0) & (i < n_in) for i, _ in taps]
            total = sum(c * m for (_, c), m in zip(taps, inside))
            taps = [(i, np.where(m, c / total, 0.0)) for (i, c), m in zip(taps, inside)]
        for i, c in taps:
            np.add.at(w, (rows, np.clip(i, 0, n_in - 1)), c)
    else:
        raise _error.OpAttributeInvalid("Resize mode %r" % mode)
    return w, valid


def _resize_by_matrices(g, x, shape, sizes, scales, attr, roi):
    """Resize as one small matrix product per resized axis (separable interpolation), for
    scales whose output is not an exact multiple of the input (ONNX then samples with the
    given scale, not the size ratio) and for resizing any axis."""
    rank = len(shape)
    dt = _dtype_of(g, x)
    work = x if _is_float(dt) else _op.cast(x, "float32")
    wdt = dt if _is_float(dt) else "float32"
    cur = list(shape)
    mask = None
    for ax in range(rank):
        if sizes[ax] == shape[ax] and abs(scales[ax] - 1.0) < 1e-12 and \
                attr.get("coordinate_transformation_mode") != "tf_crop_and_resize":
            continue
        start = roi[ax] if roi is not None else 0.0
        end = roi[ax + rank] if roi is not None else 1.0
        w, valid = _resize_matrix(shape[ax], sizes[ax], scales[ax], attr, start, end)
        perm = [i for i in range(rank) if i != ax] + [ax]
        moved = _op.transpose(work, perm)
        lead = [cur[i] for i in range(rank) if i != ax]
        flat = _op.reshape(moved, [_prod(lead), cur[ax]])
        out = _nn.dense(flat, _const(w.astype(wdt)))
        cur[ax] = sizes[ax]
        out = _op.reshape(out, lead + [sizes[ax]])
        inv = list(np.argsort(perm))
        work = _op.transpose(out, inv)
        if not valid.all():
            m = valid.reshape([-1 if i == ax else 1 for i in range(rank)])
            mask = m if mask is None else (mask & m)
    if mask is not None:
        full = np.broadcast_to(mask, sizes)
        work = _op.where(_const(full), work, _const(attr.get("extrapolation_value", 0.0), wdt))
    if not _is_float(dt):
        work = _op.cast(_round_half_even(work, "float32"), dt)
    return work


class Upsample(OnnxOpConverter):
    @classmethod
    def _impl_v7(cls, inputs, attr, g):
        attr = dict(attr)
        attr["coordinate_transformation_mode"] = "asymmetric"
        attr["nearest_mode"] = "floor"
        if len(inputs) > 1 and inputs[1] is not None:
            known = _known(g, inputs[1])
            if known is None or g.is_dynamic(inputs[0]):
                scales = inputs[1] if known is None else _np_const(np.asarray(known, "float32"))
                return Resize._resize_dynamic(g, inputs[0], scales, None, None, attr)
            scales = [float(s) for s in np.asarray(known).reshape(-1)]
        else:
            scales = attr["scales"]
        return Resize._resize(g, inputs[0], scales, None, attr)


class RoiAlign(OnnxOpConverter):
    """Bilinear samples on a regular grid of each bin, averaged (or maxed), as ONNX defines it;
    written with gathers so that the roi coordinates may be computed at run time."""

    @classmethod
    def _impl_v10(cls, inputs, attr, g):
        x, rois, batch_idx = inputs
        n, c, h, w = g.infer_shape(x)
        r = g.infer_shape(rois)[0]
        dt = _dtype_of(g, x)
        mode = attr.get("mode", "avg")
        oh, ow = attr.get("output_height", 1), attr.get("output_width", 1)
        ratio = attr.get("sampling_ratio", 0)
        scale = attr.get("spatial_scale", 1.0)
        half = attr.get("coordinate_transformation_mode", "output_half_pixel") == "half_pixel"
        if ratio <= 0:
            # the adaptive grid (ceil(roi size / bin count)) is data dependent: needs the rois at import
            rv = np.asarray(_static(g, rois, "rois (sampling_ratio=0 sizes the grid from them)"), "float64")
            sizes = np.maximum(rv[:, 2:] - rv[:, :2], 0) * scale
            if not half:
                sizes = np.maximum(sizes, 1.0)
            counts = np.ceil(sizes / np.array([ow, oh]))
            if len(set(counts[:, 0])) > 1 or len(set(counts[:, 1])) > 1:
                raise _error.OpAttributeUnImplemented("RoiAlign with sampling_ratio=0 and rois of different grid sizes")
            sx, sy = int(counts[0, 0]), int(counts[0, 1])
        else:
            sx = sy = int(ratio)
        off = 0.5 if half else 0.0

        def col(k):
            return _op.strided_slice(rois, [0, k], [r, k + 1])  # (R, 1)

        x1 = _op.subtract(_op.multiply(col(0), _const(scale, dt)), _const(off, dt))
        y1 = _op.subtract(_op.multiply(col(1), _const(scale, dt)), _const(off, dt))
        rw = _op.subtract(_op.subtract(_op.multiply(col(2), _const(scale, dt)), _const(off, dt)), x1)
        rh = _op.subtract(_op.subtract(_op.multiply(col(3), _const(scale, dt)), _const(off, dt)), y1)
        if not half:
            rw, rh = _op.maximum(rw, _const(1.0, dt)), _op.maximum(rh, _const(1.0, dt))
        bw, bh = _op.divide(rw, _const(float(ow), dt)), _op.divide(rh, _const(float(oh), dt))
        # sample offsets in bins, ordered (oh, ow, sy, sx)
        ph, pw, iy, ix = np.meshgrid(np.arange(oh), np.arange(ow), np.arange(sy), np.arange(sx), indexing="ij")
        offy = (ph + (iy + 0.5) / sy).reshape(-1).astype(dt)
        offx = (pw + (ix + 0.5) / sx).reshape(-1).astype(dt)
        ys = _op.add(y1, _op.multiply(bh, _const(offy)))  # (R, P)
        xs = _op.add(x1, _op.multiply(bw, _const(offx)))
        zero, one = _const(0.0, dt), _const(1.0, dt)
        valid = _op.logical_and(
            _op.logical_and(_op.greater_equal(ys, _const(-1.0, dt)), _op.less_equal(ys, _const(float(h), dt))),
            _op.logical_and(_op.greater_equal(xs, _const(-1.0, dt)), _op.less_equal(xs, _const(float(w), dt))))

        def corners(v, size):
            v = _op.maximum(v, zero)
            low = _op.floor(v)
            at_end = _op.greater_equal(low, _const(size - 1.0, dt))
            low = _op.where(at_end, _const(size - 1.0, dt), low)
            v = _op.where(at_end, low, v)
            high = _op.minimum(_op.add(low, one), _const(size - 1.0, dt))
            frac = _op.subtract(v, low)
            return low, high, frac

        yl, yh, ly = corners(ys, h)
        xl, xh, lx = corners(xs, w)
        hy, hx = _op.subtract(one, ly), _op.subtract(one, lx)
        b = _op.multiply(_op.expand_dims(_op.cast(batch_idx, "int64"), 1), _const(h * w, "int64"))
        xf = _op.reshape(_op.transpose(x, [1, 0, 2, 3]), [c, n * h * w])
        total = r * oh * ow * sy * sx
        vals = []
        for yy, wy in ((yl, hy), (yh, ly)):
            for xx, wx in ((xl, hx), (xh, lx)):
                lin = _op.add(b, _op.add(_op.multiply(_op.cast(yy, "int64"), _const(w, "int64")), _op.cast(xx, "int64")))
                v = _op.take(xf, _op.reshape(lin, [total]), axis=1, mode="fast")  # (C, R*P)
                wgt = _op.reshape(_op.where(valid, _op.multiply(wy, wx), _op.zeros_like(wy)), [1, total])
                vals.append(_op.multiply(v, wgt))
        if mode == "avg":
            out = _op.add(_op.add(vals[0], vals[1]), _op.add(vals[2], vals[3]))
            out = _op.mean(_op.reshape(out, [c, r, oh, ow, sy * sx]), [4])
        elif mode == "max":
            out = _op.maximum(_op.maximum(vals[0], vals[1]), _op.maximum(vals[2], vals[3]))
            out = _op.max(_op.reshape(out, [c, r, oh, ow, sy * sx]), [4])
        else:
            raise _error.OpAttributeInvalid("RoiAlign mode %r" % mode)
        return _op.transpose(out, [1, 0, 2, 3])

    @classmethod
    def _impl_v16(cls, inputs, attr, g):
        attr = dict(attr)
        attr.setdefault("coordinate_transformation_mode", "half_pixel")
        return cls._impl_v10(inputs, attr, g)


# ----------------------------------------------------------------------------- quantization
def _per_axis(g, v, x_rank, axis):
    shape = g.infer_shape(v)
    if len(shape) == 1 and shape[0] > 1:
        axis = _norm_axis(axis, x_rank)
        return _op.reshape(v, [shape[0]] + [1] * (x_rank - axis - 1))
    return v


class QuantizeLinear(OnnxOpConverter):
    @classmethod
    def _impl_v10(cls, inputs, attr, g):
        x, scale = inputs[0], inputs[1]
        zp = inputs[2] if len(inputs) > 2 else None
        rank = len(g.infer_shape(x))
        axis = attr.get("axis", 1)
        out_dt = _dtype_of(g, zp) if zp is not None else "uint8"
        scale = _per_axis(g, scale, rank, axis)
        y = _round_half_even(_op.divide(x, scale), _dtype_of(g, x))
        if zp is not None:
            y = _op.add(y, _op.cast(_per_axis(g, zp, rank, axis), _dtype_of(g, x)))
        info = np.iinfo(out_dt)
        y = _op.minimum(_op.maximum(y, _const(float(info.min), _dtype_of(g, x))), _const(float(info.max), _dtype_of(g, x)))
        return _op.cast(y, out_dt)


class DequantizeLinear(OnnxOpConverter):
    @classmethod
    def _impl_v10(cls, inputs, attr, g):
        x, scale = inputs[0], inputs[1]
        zp = inputs[2] if len(inputs) > 2 else None
        rank = len(g.infer_shape(x))
        axis = attr.get("axis", 1)
        y = _op.cast(x, "int32")
        if zp is not None:
            y = _op.subtract(y, _op.cast(_per_axis(g, zp, rank, axis), "int32"))
        return _op.multiply(_op.cast(y, _dtype_of(g, scale)), _per_axis(g, scale, rank, axis))


class DynamicQuantizeLinear(OnnxOpConverter):
    @classmethod
    def _impl_v11(cls, inputs, attr, g):
        x = inputs[0]
        dt = _dtype_of(g, x)
        zero = _const(0.0, dt)
        hi = _op.maximum(zero, _op.max(x))
        lo = _op.minimum(zero, _op.min(x))
        scale = _op.divide(_op.subtract(hi, lo), _const(255.0, dt))
        zp = _op.minimum(_op.maximum(_round_half_even(_op.divide(_op.negative(lo), scale), dt), zero), _const(255.0, dt))
        y = _op.add(_round_half_even(_op.divide(x, scale), dt), zp)
        y = _op.minimum(_op.maximum(y, zero), _const(255.0, dt))
        return [_op.cast(y, "uint8"), scale, _op.cast(zp, "uint8")]


class ConvInteger(OnnxOpConverter):
    @classmethod
    def _impl_v10(cls, inputs, attr, g):
        x, w = _op.cast(inputs[0], "int32"), _op.cast(inputs[1], "int32")
        if len(inputs) > 2 and inputs[2] is not None:
            x = _op.subtract(x, _op.cast(inputs[2], "int32"))
        if len(inputs) > 3 and inputs[3] is not None:
            wzp = inputs[3]
            ws = g.infer_shape(inputs[1])
            w = _op.subtract(w, _per_axis(g, _op.cast(wzp, "int32"), len(ws), 0))
        return Conv._impl_v1([x, w], attr, g)


class QLinearConv(OnnxOpConverter):
    @classmethod
    def _impl_v10(cls, inputs, attr, g):
        x, xs, xz, w, ws, wz, ys, yz = inputs[:8]
        b = inputs[8] if len(inputs) > 8 else None
        xf = DequantizeLinear._impl_v10([x, xs, xz], {}, g)
        wf = DequantizeLinear._impl_v10([w, ws, wz], {"axis": 0}, g)
        y = Conv._impl_v1([xf, wf], attr, g)
        if b is not None:
            bias = _op.multiply(_op.cast(b, "float32"), _op.multiply(xs, _per_axis(g, ws, 1, 0)))
            y = _nn.bias_add(y, bias, axis=1)
        return QuantizeLinear._impl_v10([y, ys, yz], {"axis": 1}, g)


class QLinearMatMul(OnnxOpConverter):
    @classmethod
    def _impl_v10(cls, inputs, attr, g):
        a, asc, az, b, bsc, bz, ysc, yz = inputs
        af = DequantizeLinear._impl_v10([a, asc, az], {}, g)
        bf = DequantizeLinear._impl_v10([b, bsc, bz], {"axis": -1}, g)
        y = _matmul(g, af, bf)
        return QuantizeLinear._impl_v10([y, ysc, yz], {"axis": -1}, g)


# ----------------------------------------------------------------------------- losses
class NegativeLogLikelihoodLoss(OnnxOpConverter):
    @classmethod
    def _do(cls, g, x, target, weight, reduction, ignore_index):
        t = _op.cast(target, "int64")
        valid = None
        if ignore_index is not None:
            valid = _op.not_equal(t, _const(ignore_index, "int64"))
            t = _op.where(valid, t, _const(0, "int64"))
        picked = _op.squeeze(_op.gather(x, 1, _op.expand_dims(t, 1)), [1])
        loss = _op.negative(picked)
        if weight is not None:
            w = _op.take(weight, t, axis=0, mode="fast")
        else:
            w = _op.ones_like(loss)
        if valid is not None:
            w = _op.where(valid, w, _op.zeros_like(w))
        loss = _op.multiply(loss, w)
        if reduction == "none":
            return loss
        if reduction == "sum":
            return _op.sum(loss)
        if reduction == "mean":
            if weight is None and valid is None:
                return _op.mean(loss)
            return _op.divide(_op.sum(loss), _op.sum(w))
        raise _error.OpAttributeInvalid("reduction %r" % reduction)

    @classmethod
    def _impl_v12(cls, inputs, attr, g):
        x, t = inputs[0], inputs[1]
        w = inputs[2] if len(inputs) > 2 else None
        return cls._do(g, x, t, w, attr.get("reduction", "mean"), attr.get("ignore_index"))


class SoftmaxCrossEntropyLoss(OnnxOpConverter):
    @classmethod
    def _impl_v12(cls, inputs, attr, g):
        x, t = inputs[0], inputs[1]
        w = inputs[2] if len(inputs) > 2 else None
        logp = _nn.log_softmax(x, 1)
        loss = NegativeLogLikelihoodLoss._do(g, logp, t, w, attr.get("reduction", "mean"), attr.get("ignore_index"))
        return [loss, logp]


# ----------------------------------------------------------------------------- recurrent
def _act(name, alpha, beta, dt):
    name = name.lower()
    if name == "sigmoid":
        return _op.sigmoid
    if name == "tanh":
        return _op.tanh
    if name == "relu":
        return _nn.relu
    if name == "hardsigmoid":
        return lambda x: _hard_sigmoid(x, {"alpha": alpha if alpha is not None else 0.2,
                                           "beta": beta if beta is not None else 0.5}, dt)
    if name == "leakyrelu":
        return lambda x: _leaky(x, {"alpha": alpha if alpha is not None else 0.01}, dt)
    if name == "affine":
        return lambda x: _op.add(_op.multiply(x, _const(alpha, dt)), _const(beta, dt))
    if name == "elu":
        return lambda x: _elu(x, {"alpha": alpha if alpha is not None else 1.0}, dt)
    if name == "softsign":
        return lambda x: _softsign(x, {}, dt)
    if name == "softplus":
        return lambda x: _softplus(x, {}, dt)
    raise _error.OpAttributeUnImplemented("recurrent activation %r" % name)


class _RNNBase(OnnxOpConverter):
    """RNN, GRU and LSTM unrolled over the (static) sequence length."""

    gates = 1
    default_acts = ["Tanh"]

    @classmethod
    def cell(cls, x_t, states, W, R, B, acts, attr, hidden, dt, P=None):
        raise NotImplementedError

    @classmethod
    def _impl_v7(cls, inputs, attr, g):
        def inp(i):
            return inputs[i] if len(inputs) > i else None

        X, W, R, B, seq_lens, H0 = inp(0), inp(1), inp(2), inp(3), inp(4), inp(5)
        C0 = inp(6)
        P = inp(7)
        if attr.get("layout", 0):
            X = _op.transpose(X, [1, 0, 2])
            if H0 is not None:
                H0 = _op.transpose(H0, [1, 0, 2])
            if C0 is not None:
                C0 = _op.transpose(C0, [1, 0, 2])
        xs = g.infer_shape(X)
        seq, batch = xs[0], xs[1]
        dt = _dtype_of(g, X)
        hidden = attr.get("hidden_size") or g.infer_shape(R)[-1]
        direction = attr.get("direction", "forward")
        ndir = 2 if direction == "bidirectional" else 1
        acts = attr.get("activations", cls.default_acts * ndir)
        alphas = attr.get("activation_alpha", [])
        betas = attr.get("activation_beta", [])
        nact = len(cls.default_acts)
        clip = attr.get("clip")
        if seq_lens is not None:
            lens = np.asarray(_static(g, seq_lens, "sequence_lens")).reshape(-1)
            if np.all(lens == g.infer_shape(X)[0]):
                seq_lens = None
        if seq_lens is not None:
            raise _error.OpAttributeUnImplemented("%s with sequence_lens" % cls.__name__)
        ys, hs, cs = [], [], []
        for d in range(ndir):
            fns = [_act(acts[d * nact + k], alphas[d * nact + k] if len(alphas) > d * nact + k else None,
                        betas[d * nact + k] if len(betas) > d * nact + k else None, dt) for k in range(nact)]
            Wd = _op.squeeze(_op.strided_slice(W, [d, 0, 0], [d + 1] + list(g.infer_shape(W)[1:])), [0])
            Rd = _op.squeeze(_op.strided_slice(R, [d, 0, 0], [d + 1] + list(g.infer_shape(R)[1:])), [0])
            Bd = None
            if B is not None:
                Bd = _op.squeeze(_op.strided_slice(B, [d, 0], [d + 1, g.infer_shape(B)[1]]), [0])
            Pd = None
            if P is not None:
                Pd = _op.squeeze(_op.strided_slice(P, [d, 0], [d + 1, g.infer_shape(P)[1]]), [0])
            h = _op.zeros([batch, hidden], dt) if H0 is None else _op.squeeze(
                _op.strided_slice(H0, [d, 0, 0], [d + 1, batch, hidden]), [0])
            c = None
            if cls.gates == 4:
                c = _op.zeros([batch, hidden], dt) if C0 is None else _op.squeeze(
                    _op.strided_slice(C0, [d, 0, 0], [d + 1, batch, hidden]), [0])
            steps = range(seq) if (d == 0 and direction != "reverse") else range(seq - 1, -1, -1)
            outs = [None] * seq
            for t in steps:
                x_t = _op.squeeze(_op.strided_slice(X, [t, 0, 0], [t + 1, batch, xs[2]]), [0])
                h, c = cls.cell(x_t, (h, c), Wd, Rd, Bd, fns, attr, hidden, dt, Pd, clip)
                outs[t] = h
            ys.append(_op.stack(outs, 0))
            hs.append(h)
            cs.append(c)
        Y = _op.stack(ys, 1)  # (seq, ndir, batch, hidden)
        Yh = _op.stack(hs, 0)
        Yc = _op.stack(cs, 0) if cls.gates == 4 else None
        if attr.get("layout", 0):
            Y = _op.transpose(Y, [2, 0, 1, 3])
            Yh = _op.transpose(Yh, [1, 0, 2])
            if Yc is not None:
                Yc = _op.transpose(Yc, [1, 0, 2])
        return [Y, Yh] + ([Yc] if Yc is not None else [])


def _dense(x, w):
    return _nn.dense(x, w)


def _clip(v, clip, dt):
    if clip is None:
        return v
    return _op.minimum(_op.maximum(v, _const(-clip, dt)), _const(clip, dt))


class RNN(_RNNBase):
    gates = 1
    default_acts = ["Tanh"]

    @classmethod
    def cell(cls, x_t, states, W, R, B, fns, attr, hidden, dt, P=None, clip=None):
        h = states[0]
        v = _op.add(_dense(x_t, W), _dense(h, R))
        if B is not None:
            v = _op.add(v, _op.add(_op.strided_slice(B, [0], [hidden]), _op.strided_slice(B, [hidden], [2 * hidden])))
        return fns[0](_clip(v, clip, dt)), None


class GRU(_RNNBase):
    gates = 3
    default_acts = ["Sigmoid", "Tanh"]

    @classmethod
    def cell(cls, x_t, states, W, R, B, fns, attr, hidden, dt, P=None, clip=None):
        h = states[0]
        H = hidden

        def part(t, i):
            return _op.strided_slice(t, [i * H, 0], [(i + 1) * H, int(1e9)])

        def bpart(i):
            return _op.strided_slice(B, [i * H], [(i + 1) * H])

        xw = [_dense(x_t, part(W, i)) for i in range(3)]
        if B is not None:
            xw = [_op.add(xw[i], bpart(i)) for i in range(3)]
        rb = [bpart(3 + i) if B is not None else None for i in range(3)]

        def hr(i, hh):
            v = _dense(hh, part(R, i))
            return _op.add(v, rb[i]) if rb[i] is not None else v

        z = fns[0](_clip(_op.add(xw[0], hr(0, h)), clip, dt))
        r = fns[0](_clip(_op.add(xw[1], hr(1, h)), clip, dt))
        if attr.get("linear_before_reset", 0):
            n = fns[1](_clip(_op.add(xw[2], _op.multiply(r, hr(2, h))), clip, dt))
        else:
            n = fns[1](_clip(_op.add(xw[2], hr(2, _op.multiply(r, h))), clip, dt))
        one = _const(1.0, dt)
        return _op.add(_op.multiply(_op.subtract(one, z), n), _op.multiply(z, h)), None


class LSTM(_RNNBase):
    gates = 4
    default_acts = ["Sigmoid", "Tanh", "Tanh"]

    @classmethod
    def cell(cls, x_t, states, W, R, B, fns, attr, hidden, dt, P=None, clip=None):
        h, c = states
        H = hidden
        v = _op.add(_dense(x_t, W), _dense(h, R))
        if B is not None:
            v = _op.add(v, _op.add(_op.strided_slice(B, [0], [4 * H]), _op.strided_slice(B, [4 * H], [8 * H])))

        def gate(i):
            return _op.strided_slice(v, [0, i * H], [int(1e9), (i + 1) * H])

        gi, go, gf, gc = gate(0), gate(1), gate(2), gate(3)
        if P is not None:
            pi, po, pf = [_op.strided_slice(P, [k * H], [(k + 1) * H]) for k in range(3)]
            gi = _op.add(gi, _op.multiply(pi, c))
            gf = _op.add(gf, _op.multiply(pf, c))
        i = fns[0](_clip(gi, clip, dt))
        f = fns[0](_clip(gf, clip, dt))
        ct = fns[1](_clip(gc, clip, dt))
        c_new = _op.add(_op.multiply(f, c), _op.multiply(i, ct))
        if P is not None:
            go = _op.add(go, _op.multiply(po, c_new))
        o = fns[0](_clip(go, clip, dt))
        return _op.multiply(o, fns[2](c_new)), c_new


# ----------------------------------------------------------------------------- signal windows
class _Window(OnnxOpConverter):
    coeffs = (0.5, 0.5)

    @classmethod
    def _impl_v17(cls, inputs, attr, g):
        from .onnx import onnx_dtype  # pylint: disable=import-outside-toplevel

        dt = onnx_dtype(attr.get("output_datatype", 1))
        periodic = attr.get("periodic", 1)
        known = _known(g, inputs[0])
        if known is None:  # a length given at run time: the same sum of cosines over arange(n)
            n = _op.cast(_scalar(g, inputs[0]), "float64")
            f64 = lambda v: _const(np.array(v, "float64"))  # noqa: E731
            k = _op.arange(f64(0.0), n, f64(1.0), dtype="float64")
            denom = n if periodic else _op.subtract(n, f64(1.0))
            w = None
            for j, a in enumerate(cls.coeffs):
                term = _op.multiply(f64(((-1) ** j) * a),
                                    _op.cos(_op.divide(_op.multiply(f64(2 * np.pi * j), k), denom)))
                w = term if w is None else _op.add(w, term)
            return _op.cast(w, dt)
        n = int(np.asarray(known).reshape(-1)[0])
        denom = n if periodic else n - 1
        k = np.arange(n, dtype="float64")
        w = np.zeros(n)
        for j, a in enumerate(cls.coeffs):
            w = w + ((-1) ** j) * a * np.cos(2 * np.pi * j * k / denom)
        return _np_const(w.astype(dt))


class HannWindow(_Window):
    coeffs = (0.5, 0.5)


class HammingWindow(_Window):
    coeffs = (25.0 / 46, 21.0 / 46)


class BlackmanWindow(_Window):
    coeffs = (0.42, 0.5, 0.08)


# ----------------------------------------------------------------------------- registry
_MAP = None


# ----------------------------------------------------------------------------- ai.onnx.preview.training
def _training_inputs(inputs, groups):
    """R, T and the n tensors of each of `groups` groups (X..., G..., ...)."""
    r, t, rest = inputs[0], inputs[1], inputs[2:]
    n = len(rest) // groups
    if n * groups != len(rest):
        raise _error.OpAttributeInvalid("expected R, T and %d groups of tensors, got %d inputs" % (groups, len(inputs)))
    return r, t, [rest[k * n:(k + 1) * n] for k in range(groups)]


def _f(g, value, like):
    return _const(np.array(value, _dtype_of(g, like)))


class _Adagrad(OnnxOpConverter):
    """One ADAGRAD step of each (X, G, H): the learning rate decays with the step count T."""

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        r, t, (xs, gs, hs) = _training_inputs(inputs, 3)
        decay, eps, norm = attr.get("decay_factor", 0.0), attr.get("epsilon", 1e-6), attr.get("norm_coefficient", 0.0)
        rate = _op.divide(r, _op.add(_f(g, 1.0, r), _op.multiply(_op.cast(t, _dtype_of(g, r)), _f(g, decay, r))))
        new_x, new_h = [], []
        for x, grad, h in zip(xs, gs, hs):
            rate_x = _op.cast(rate, _dtype_of(g, x))
            reg = _op.add(_op.multiply(_f(g, norm, x), x), grad)
            h2 = _op.add(h, _op.multiply(reg, reg))
            new_h.append(h2)
            new_x.append(_op.subtract(x, _op.divide(_op.multiply(rate_x, reg), _op.add(_op.sqrt(h2), _f(g, eps, x)))))
        return new_x + new_h


class _Momentum(OnnxOpConverter):
    """One step of SGD with (standard or Nesterov) momentum; the gradient's coefficient is 1 at T = 0."""

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        r, t, (xs, gs, vs) = _training_inputs(inputs, 3)
        alpha, beta, norm = attr["alpha"], attr["beta"], attr["norm_coefficient"]
        mode = attr.get("mode", "standard")
        if mode not in ("standard", "nesterov"):
            raise _error.OpAttributeInvalid("Momentum mode must be standard or nesterov, got %r" % mode)
        first = _op.equal(t, _const(np.array(0, _dtype_of(g, t))))
        new_x, new_v = [], []
        for x, grad, v in zip(xs, gs, vs):
            b = _op.where(first, _f(g, 1.0, x), _f(g, beta, x))
            reg = _op.add(_op.multiply(_f(g, norm, x), x), grad)
            v2 = _op.add(_op.multiply(_f(g, alpha, x), v), _op.multiply(b, reg))
            rate = _op.cast(r, _dtype_of(g, x))
            step = v2 if mode == "standard" else _op.add(reg, _op.multiply(_f(g, alpha, x), v2))
            new_x.append(_op.subtract(x, _op.multiply(rate, step)))
            new_v.append(v2)
        return new_x + new_v


class _Adam(OnnxOpConverter):
    """One Adam step of each (X, G, V, H), with bias correction for T > 0."""

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        r, t, (xs, gs, vs, hs) = _training_inputs(inputs, 4)
        alpha, beta = attr.get("alpha", 0.9), attr.get("beta", 0.999)
        eps, norm, post = attr.get("epsilon", 1e-6), attr.get("norm_coefficient", 0.0), attr.get("norm_coefficient_post", 0.0)
        rdt = _dtype_of(g, r)
        tf = _op.cast(t, rdt)
        corrected = _op.divide(_op.multiply(r, _op.sqrt(_op.subtract(_f(g, 1.0, r), _op.power(_f(g, beta, r), tf)))),
                               _op.subtract(_f(g, 1.0, r), _op.power(_f(g, alpha, r), tf)))
        rate = _op.where(_op.greater(t, _const(np.array(0, _dtype_of(g, t)))), corrected, r)
        new_x, new_v, new_h = [], [], []
        for x, grad, v, h in zip(xs, gs, vs, hs):
            reg = _op.add(_op.multiply(_f(g, norm, x), x), grad)
            v2 = _op.add(_op.multiply(_f(g, alpha, x), v), _op.multiply(_f(g, 1 - alpha, x), reg))
            h2 = _op.add(_op.multiply(_f(g, beta, x), h), _op.multiply(_f(g, 1 - beta, x), _op.multiply(reg, reg)))
            step = _op.divide(v2, _op.add(_op.sqrt(h2), _f(g, eps, x)))
            x2 = _op.subtract(x, _op.multiply(_op.cast(rate, _dtype_of(g, x)), step))
            new_x.append(_op.multiply(_f(g, 1 - post, x), x2))
            new_v.append(v2)
            new_h.append(h2)
        return new_x + new_v + new_h


_TRAINING = {"ai.onnx.preview.training.Adagrad": _Adagrad, "ai.onnx.preview.training.Momentum": _Momentum,
             "ai.onnx.preview.training.Adam": _Adam}


def convert_map():
    """ONNX operator name -> converter class (other domains as "<domain>.<op_type>")."""
    global _MAP  # pylint: disable=global-statement
    if _MAP is None:
        g = globals()
        _MAP = {
            name: cls
            for name, cls in g.items()
            if isinstance(cls, type) and issubclass(cls, OnnxOpConverter) and not name.startswith("_")
            and cls is not OnnxOpConverter and cls.versions()
        }
        _MAP.update(_TRAINING)
    return _MAP


# ----------------------------------------------------------------------------- sampling
def _reflect(x, lo, hi, dt):
    """Reflect coordinates into [lo, hi] (any number of bounces), elementwise."""
    rng = hi - lo
    if rng <= 0:
        return _op.full_like(x, _const(lo, dt))
    c_lo, c_hi, c_rng = _const(lo, dt), _const(hi, dt), _const(rng, dt)
    two = _const(2.0, dt)

    def bounce(d, near, far):
        n = _op.floor(_op.divide(d, c_rng))
        r = _op.subtract(d, _op.multiply(n, c_rng))
        even = _op.equal(_op.subtract(n, _op.multiply(_op.floor(_op.divide(n, two)), two)), _const(0.0, dt))
        return _op.where(even, near(r), far(r))

    below = bounce(_op.subtract(c_lo, x), lambda r: _op.add(c_lo, r), lambda r: _op.subtract(c_hi, r))
    above = bounce(_op.subtract(x, c_hi), lambda r: _op.subtract(c_hi, r), lambda r: _op.add(c_lo, r))
    return _op.where(_op.less(x, c_lo), below, _op.where(_op.greater(x, c_hi), above, x))


class _Sampler:
    """Reads X (N, C, H, W) at per-sample integer taps (N, P) with ONNX's padding modes."""

    def __init__(self, x, shape, dt, padding, bounds):
        self.n, self.c, self.h, self.w = shape
        self.flat = _op.reshape(x, [self.n, self.c, self.h * self.w])
        self.dt, self.padding, self.bounds = dt, padding, bounds

    def fetch(self, ix, iy, weight):
        """weight * X[n, :, iy, ix] for float tap coordinates ix, iy and weights of shape (N, P)."""
        dt = self.dt
        if self.padding == "zeros":
            inside = _op.logical_and(
                _op.logical_and(_op.greater_equal(ix, _const(0.0, dt)), _op.less_equal(ix, _const(self.w - 1.0, dt))),
                _op.logical_and(_op.greater_equal(iy, _const(0.0, dt)), _op.less_equal(iy, _const(self.h - 1.0, dt))))
            weight = _op.where(inside, weight, _op.zeros_like(weight))
        elif self.padding == "reflection":
            ix = _op.trunc(_reflect(ix, self.bounds[0], self.bounds[2], dt))
            iy = _op.trunc(_reflect(iy, self.bounds[1], self.bounds[3], dt))
        ix = _op.cast(_op.clip(ix, 0, self.w - 1), "int64")
        iy = _op.cast(_op.clip(iy, 0, self.h - 1), "int64")
        return _op.add(_op.multiply(iy, _const(self.w, "int64")), ix), weight  # (N, P)

    def gather(self, lin, count):
        idx = _op.broadcast_to(_op.expand_dims(lin, 1), [self.n, self.c, count])
        return _op.gather(self.flat, 2, idx)


def _cubic_coeffs(t, dt, a=-0.75):
    """The 4 cubic convolution weights for fractional offsets t (taps at -1, 0, 1, 2)."""
    def c1(d):  # |d| <= 1
        return _op.add(_op.multiply(_op.multiply(_op.multiply(d, d), d), _const(a + 2, dt)),
                       _op.add(_op.multiply(_op.multiply(d, d), _const(-(a + 3), dt)), _const(1.0, dt)))

    def c2(d):  # 1 < |d| < 2
        d2 = _op.multiply(d, d)
        return _op.add(_op.add(_op.multiply(_op.multiply(d2, d), _const(a, dt)), _op.multiply(d2, _const(-5 * a, dt))),
                       _op.add(_op.multiply(d, _const(8 * a, dt)), _const(-4 * a, dt)))

    one, two = _const(1.0, dt), _const(2.0, dt)
    return [c2(_op.add(t, one)), c1(t), c1(_op.subtract(one, t)), c2(_op.subtract(two, t))]


def _sample_2d(sampler, x, y, mode, count, dt):
    """Interpolate at float coordinates x, y of shape (N, P): (N, C, P)."""
    taps = []
    if mode == "nearest":
        taps.append((_round_half_even(x, dt), _round_half_even(y, dt), _op.ones_like(x)))
    elif mode in ("bilinear", "linear"):
        x0, y0 = _op.floor(x), _op.floor(y)
        one = _const(1.0, dt)
        x1, y1 = _op.add(x0, one), _op.add(y0, one)
        wx1, wy1 = _op.subtract(x, x0), _op.subtract(y, y0)
        wx0, wy0 = _op.subtract(one, wx1), _op.subtract(one, wy1)
        for xx, wx in ((x0, wx0), (x1, wx1)):
            for yy, wy in ((y0, wy0), (y1, wy1)):
                taps.append((xx, yy, _op.multiply(wx, wy)))
    elif mode in ("bicubic", "cubic"):
        x0, y0 = _op.floor(x), _op.floor(y)
        cx = _cubic_coeffs(_op.subtract(x, x0), dt)
        cy = _cubic_coeffs(_op.subtract(y, y0), dt)
        for i in range(4):
            for j in range(4):
                taps.append((_op.add(x0, _const(i - 1.0, dt)), _op.add(y0, _const(j - 1.0, dt)),
                             _op.multiply(cx[i], cy[j])))
    else:
        raise _error.OpAttributeInvalid("sampling mode %r" % mode)
    out = None
    for xx, yy, w in taps:
        lin, w = sampler.fetch(xx, yy, w)
        v = _op.multiply(sampler.gather(lin, count), _op.expand_dims(w, 1))
        out = v if out is None else _op.add(out, v)
    return out


class GridSample(OnnxOpConverter):
    @classmethod
    def _impl_v16(cls, inputs, attr, g):
        x, grid = inputs
        xs, gs = g.infer_shape(x), g.infer_shape(grid)
        if len(xs) != 4:
            raise _error.OpAttributeUnImplemented("GridSample of a rank-%d input (4-D supported)" % len(xs))
        dt = _dtype_of(g, x)
        n, _, h, w = xs
        ho, wo = gs[1], gs[2]
        align = attr.get("align_corners", 0)
        mode = attr.get("mode", "bilinear")
        padding = attr.get("padding_mode", "zeros")
        gflat = _op.reshape(grid, [n, ho * wo, 2])
        gx = _op.squeeze(_op.strided_slice(gflat, [0, 0, 0], [n, ho * wo, 1]), [2])
        gy = _op.squeeze(_op.strided_slice(gflat, [0, 0, 1], [n, ho * wo, 2]), [2])

        def denorm(v, size):
            if align:
                return _op.multiply(_op.add(v, _const(1.0, dt)), _const((size - 1) / 2.0, dt))
            return _op.divide(_op.subtract(_op.multiply(_op.add(v, _const(1.0, dt)), _const(float(size), dt)),
                                           _const(1.0, dt)), _const(2.0, dt))

        fx, fy = denorm(gx, w), denorm(gy, h)
        bounds = (0.0, 0.0, w - 1.0, h - 1.0) if align else (-0.5, -0.5, w - 0.5, h - 0.5)
        if padding == "border":
            if mode != "bicubic":  # bicubic clamps each tap instead (as torch, whose outputs ONNX's tests hold)
                fx, fy = _op.clip(fx, 0, w - 1), _op.clip(fy, 0, h - 1)
        elif padding == "reflection":
            fx, fy = _reflect(fx, bounds[0], bounds[2], dt), _reflect(fy, bounds[1], bounds[3], dt)
        elif padding != "zeros":
            raise _error.OpAttributeInvalid("GridSample padding_mode %r" % padding)
        sampler = _Sampler(x, xs, dt, padding, bounds)
        out = _sample_2d(sampler, fx, fy, mode, ho * wo, dt)
        return _op.reshape(out, [n, xs[1], ho, wo])


# ----------------------------------------------------------------------------- signal
def _dft_last(g, re, im, n_in, length, onesided, inverse, dt):
    """DFT along the last axis of re/im (im may be None) as matrix products: (re, im) of the result."""
    shape = list(g.infer_shape(re))
    lead = shape[:-1]
    m = length // 2 + 1 if onesided else length
    k = np.arange(length)
    j = np.arange(m)
    theta = 2 * np.pi * np.outer(j, k) / length
    cos, sin = np.cos(theta), np.sin(theta)
    # a signal longer than dft_length is truncated, a shorter one zero padded
    use = min(n_in, length)
    cos, sin = cos[:, :use], sin[:, :use]
    if use < n_in:
        re = _op.strided_slice(re, [0] * len(shape), lead + [use])
        im = _op.strided_slice(im, [0] * len(shape), lead + [use]) if im is not None else None
    scale = 1.0 / length if inverse else 1.0
    sgn = 1.0 if inverse else -1.0

    def mat(a, w):
        flat = _op.reshape(a, [_prod(lead), use])
        return _op.reshape(_nn.dense(flat, _const((w * scale).astype(dt))), lead + [m])

    # forward: re = xr cos + xi sin, im = xi cos - xr sin; inverse flips the sine terms
    out_re = mat(re, cos)
    out_im = mat(re, sgn * sin)
    if im is not None:
        out_re = _op.subtract(out_re, mat(im, sgn * sin))
        out_im = _op.add(out_im, mat(im, cos))
    return out_re, out_im


def _split_complex(g, x):
    shape = g.infer_shape(x)
    rank = len(shape)
    re = _op.squeeze(_op.strided_slice(x, [0] * rank, list(shape[:-1]) + [1]), [rank - 1])
    im = None
    if shape[-1] == 2:
        im = _op.squeeze(_op.strided_slice(x, [0] * (rank - 1) + [1], list(shape)), [rank - 1])
    elif shape[-1] != 1:
        raise _error.OpAttributeInvalid("the last axis of a signal must be 1 (real) or 2 (complex), got %d" % shape[-1])
    return re, im


class DFT(OnnxOpConverter):
    @classmethod
    def _impl_v17(cls, inputs, attr, g):
        x = inputs[0]
        shape = g.infer_shape(x)
        rank = len(shape)
        dt = _dtype_of(g, x)
        axis = _norm_axis(attr.get("axis", 1), rank)
        if axis == rank - 1:
            raise _error.OpAttributeInvalid("DFT axis cannot be the last (real/imaginary) axis")
        n = shape[axis]
        length = n
        if len(inputs) > 1 and inputs[1] is not None:
            length = _ints(_static(g, inputs[1], "dft_length"))[0]
        inverse, onesided = attr.get("inverse", 0), attr.get("onesided", 0)
        re, im = _split_complex(g, x)
        perm = [i for i in range(rank - 1) if i != axis] + [axis]
        re = _op.transpose(re, perm)
        im = _op.transpose(im, perm) if im is not None else None
        ore, oim = _dft_last(g, re, im, n, length, onesided, inverse, dt)
        inv = [int(i) for i in np.argsort(perm)]
        ore, oim = _op.transpose(ore, inv), _op.transpose(oim, inv)
        return _op.stack([ore, oim], rank - 1)


class STFT(OnnxOpConverter):
    @classmethod
    def _impl_v17(cls, inputs, attr, g):
        sig = inputs[0]
        shape = g.infer_shape(sig)
        dt = _dtype_of(g, sig)
        step = _ints(_static(g, inputs[1], "frame_step"))[0]
        window = inputs[2] if len(inputs) > 2 else None
        if len(inputs) > 3 and inputs[3] is not None:
            flen = _ints(_static(g, inputs[3], "frame_length"))[0]
        elif window is not None:
            flen = g.infer_shape(window)[0]
        else:
            raise _error.OpAttributeRequired("STFT needs a window or a frame_length")
        onesided = attr.get("onesided", 1)
        length = shape[1]
        frames = (length - flen) // step + 1
        idx = (np.arange(frames)[:, None] * step + np.arange(flen)[None, :]).astype("int64")
        re, im = _split_complex(g, sig)  # (batch, length)
        re = _op.take(re, _const(idx), axis=1)  # (batch, frames, flen)
        im = _op.take(im, _const(idx), axis=1) if im is not None else None
        if window is not None:
            re = _op.multiply(re, window)
            im = _op.multiply(im, window) if im is not None else None
        ore, oim = _dft_last(g, re, im, flen, flen, onesided, 0, dt)
        return _op.stack([ore, oim], 3)


class MaxUnpool(OnnxOpConverter):
    @classmethod
    def _impl_v9(cls, inputs, attr, g):
        x, idx = inputs[0], inputs[1]
        xs = g.infer_shape(x)
        nd = len(xs) - 2
        kernel = attr["kernel_shape"]
        strides = attr.get("strides", [1] * nd)
        pads = attr.get("pads", [0] * (2 * nd))
        # the indices address the tensor MaxPool saw, whose shape is the default output shape
        out_shape = list(xs[:2]) + [(xs[2 + i] - 1) * strides[i] + kernel[i] - pads[i] - pads[i + nd]
                                    for i in range(nd)]
        flat = _op.zeros([_prod(out_shape)], _dtype_of(g, x))
        out = _op.scatter_elements(flat, _op.reshape(idx, [-1]), _op.reshape(x, [-1]), 0, "update")
        out = _op.reshape(out, out_shape)
        if len(inputs) > 2 and inputs[2] is not None and _known(g, inputs[2]) is None:
            # an output shape given at run time: pad the trailing edges up to it (dyn.nn.pad)
            grow = _op.subtract(_i64(g, inputs[2]), _const(np.array(out_shape, "int64")))
            width = _op.stack([_op.zeros_like(grow), grow], 1)
            return _nn.pad(out, width, _const(np.array(0, _dtype_of(g, x))))
        if len(inputs) > 2 and inputs[2] is not None:
            want = _ints(_static(g, inputs[2], "output_shape"))
            if any(w < o for w, o in zip(want, out_shape)):
                raise _error.OpAttributeInvalid("MaxUnpool output_shape %s is smaller than %s" % (want, out_shape))
            out = _nn.pad(out, [(0, w - o) for w, o in zip(want, out_shape)])
        return out


# ----------------------------------------------------------------------------- control flow
class If(OnnxOpConverter):
    """A constant condition picks its branch; otherwise both branches are computed and the
    outputs selected elementwise (they must agree in shape, as Relay's types are static)."""

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        cond = inputs[0]
        if g.is_const(cond):
            branch = attr["then_branch"] if bool(np.asarray(g.value(cond)).reshape(-1)[0]) else attr["else_branch"]
            return g.run_subgraph(branch, {})
        then_out = g.run_subgraph(attr["then_branch"], {})
        else_out = g.run_subgraph(attr["else_branch"], {})
        outs = []
        c = _op.reshape(cond, [])
        for k, (t, e) in enumerate(zip(then_out, else_out)):
            ts, es = g.infer_shape(t), g.infer_shape(e)
            if ts != es:
                raise _error.OpAttributeUnImplemented(
                    "If output %d has shape %s in one branch and %s in the other; with a condition computed "
                    "at run time both must agree" % (k, ts, es))
            outs.append(_op.where(c, t, e))
        return outs


class Loop(OnnxOpConverter):
    """Unrolled: the trip count and the condition must be known at import."""

    MAX_TRIPS = 4096

    @classmethod
    def _impl_v1(cls, inputs, attr, g):
        body = attr["body"]
        trip = inputs[0] if inputs else None
        cond = inputs[1] if len(inputs) > 1 else None
        carried = list(inputs[2:])
        n_trip = cls.MAX_TRIPS + 1
        if trip is not None:
            n_trip = int(np.asarray(_static(g, trip, "trip count M")).reshape(-1)[0])
        keep = True
        if cond is not None:
            keep = bool(np.asarray(_static(g, cond, "condition")).reshape(-1)[0])
        names = [i.name for i in body.input]
        scans = []
        i = 0
        while keep and i < n_trip:
            if i >= cls.MAX_TRIPS:
                raise _error.OpAttributeUnImplemented("Loop runs over %d iterations (unrolled at import)" % cls.MAX_TRIPS)
            binds = {names[0]: _const(np.array(i, "int64")), names[1]: _const(np.array(keep))}
            binds.update({n: v for n, v in zip(names[2:], carried)})
            outs = g.run_subgraph(body, binds)
            cond_out, carried = outs[0], outs[1:1 + len(carried)]
            scans.append(outs[1 + len(carried):])
            keep = bool(np.asarray(_static(g, cond_out, "loop condition (computed by the body)")).reshape(-1)[0])
            i += 1
        n_scan = len(body.output) - 1 - len(carried)
        stacked = []
        for k in range(n_scan):
            if not scans:
                raise _error.OpAttributeUnImplemented("Loop with scan outputs that runs zero times")
            stacked.append(_op.stack([s[k] for s in scans], 0))
        return list(carried) + stacked


class Scan(OnnxOpConverter):
    """Unrolled over the static scan length."""

    @classmethod
    def _scan(cls, g, states, xs, attr):
        body = attr["body"]
        m = len(xs)
        in_axes = attr.get("scan_input_axes", [0] * m)
        in_dirs = attr.get("scan_input_directions", [0] * m)
        names = [i.name for i in body.input]
        n_state = len(states)
        n_out = len(body.output) - n_state
        out_axes = attr.get("scan_output_axes", [0] * n_out)
        out_dirs = attr.get("scan_output_directions", [0] * n_out)
        shapes = [g.infer_shape(x) for x in xs]
        axes = [_norm_axis(a, len(s)) for a, s in zip(in_axes, shapes)]
        length = shapes[0][axes[0]] if xs else 0
        collected = [[] for _ in range(n_out)]
        for t in range(length):
            binds = {n: v for n, v in zip(names[:n_state], states)}
            for k, x in enumerate(xs):
                pos = length - 1 - t if in_dirs[k] else t
                binds[names[n_state + k]] = _op.take(x, _const(np.array(pos, "int64")), axis=axes[k])
            outs = g.run_subgraph(body, binds)
            states = outs[:n_state]
            for k in range(n_out):
                collected[k].append(outs[n_state + k])
        results = list(states)
        for k in range(n_out):
            seq = collected[k][::-1] if out_dirs[k] else collected[k]
            rank = len(g.infer_shape(seq[0])) + 1
            results.append(_op.stack(seq, _norm_axis(out_axes[k], rank)))
        return results

    @classmethod
    def _impl_v8(cls, inputs, attr, g):
        if inputs[0] is not None:
            raise _error.OpAttributeUnImplemented("Scan (opset 8) with sequence_lens")
        m = attr["num_scan_inputs"]
        rest = inputs[1:]
        states, xs = rest[:len(rest) - m], rest[len(rest) - m:]
        batch = g.infer_shape(xs[0])[0]
        per = []
        for b in range(batch):
            pick = _const(np.array(b, "int64"))
            a = dict(attr)
            a["scan_input_axes"] = [0] * m
            a["scan_input_directions"] = attr.get("directions", [0] * m)
            per.append(cls._scan(g, [_op.take(s, pick, axis=0) for s in states],
                                 [_op.take(x, pick, axis=0) for x in xs], a))
        return [_op.stack([p[k] for p in per], 0) for k in range(len(per[0]))]

    @classmethod
    def _impl_v9(cls, inputs, attr, g):
        m = attr["num_scan_inputs"]
        return cls._scan(g, list(inputs[:len(inputs) - m]), list(inputs[len(inputs) - m:]), attr)


class Det(OnnxOpConverter):
    """Determinant of small static matrices (n <= 4) as its permutation expansion."""

    @classmethod
    def _impl_v11(cls, inputs, attr, g):
        import itertools  # pylint: disable=import-outside-toplevel

        x = inputs[0]
        shape = g.infer_shape(x)
        n = shape[-1]
        if n != shape[-2] or n > 4:
            raise _error.OpAttributeUnImplemented("Det of %s matrices (square, n <= 4 supported)" % (shape[-2:],))
        lead = list(shape[:-2])
        flat = _op.reshape(x, lead + [n * n])

        def el(i, j):
            return _op.take(flat, _const(np.array(i * n + j, "int64")), axis=len(lead))

        total = None
        for perm in itertools.permutations(range(n)):
            sign = 1
            for a in range(n):
                for b in range(a + 1, n):
                    if perm[a] > perm[b]:
                        sign = -sign
            term = el(0, perm[0])
            for r in range(1, n):
                term = _op.multiply(term, el(r, perm[r]))
            if total is None:
                total = term if sign > 0 else _op.negative(term)
            else:
                total = _op.add(total, term) if sign > 0 else _op.subtract(total, term)
        return total


class TfIdfVectorizer(OnnxOpConverter):
    """N-gram counts of integer sequences against a static pool: each (gram length, skip) is a
    gather of static positions compared with every pool n-gram; the counts land in their
    output columns through a one-hot matrix product."""

    @classmethod
    def _impl_v9(cls, inputs, attr, g):
        x = inputs[0]
        if "pool_strings" in attr:
            raise _error.OpAttributeUnImplemented("TfIdfVectorizer over strings (pool_strings) is not supported")
        shape = g.infer_shape(x)
        x2 = _op.reshape(x, [1, shape[0]]) if len(shape) == 1 else x
        b, c = g.infer_shape(x2)
        pool = np.asarray(attr.get("pool_int64s", []), "int64")
        starts = list(attr["ngram_counts"]) + [len(pool)]
        out_cols = np.asarray(attr["ngram_indexes"], "int64")
        out_dim = int(out_cols.max()) + 1 if out_cols.size else 0
        lo, hi = attr.get("min_gram_length", 1), attr.get("max_gram_length", 1)
        max_skip = attr.get("max_skip_count", 0)
        xdt = _dtype_of(g, x)
        total = None
        gram_base = 0
        for n in range(1, len(starts)):
            grams = pool[starts[n - 1]:starts[n]].reshape(-1, n)
            cols = out_cols[gram_base:gram_base + len(grams)]
            gram_base += len(grams)
            if n < lo or n > hi or len(grams) == 0:
                continue
            counts = None
            for s in range(max_skip + 1 if n > 1 else 1):
                first = np.arange(c - (n - 1) * (s + 1)) if c - (n - 1) * (s + 1) > 0 else np.zeros(0, int)
                if first.size == 0:
                    continue
                pos = first[:, None] + np.arange(n)[None, :] * (s + 1)  # (P, n)
                win = _op.reshape(_op.take(x2, _const(pos.reshape(-1)), axis=1), [b, len(first), 1, n])
                hit = _op.all(_op.equal(win, _const(grams.astype(xdt).reshape(1, 1, len(grams), n))), axis=[3])
                k = _op.sum(_op.cast(hit, "float32"), axis=[1])  # (B, G)
                counts = k if counts is None else _op.add(counts, k)
            if counts is None:
                continue
            onehot = np.zeros((out_dim, len(grams)), "float32")
            onehot[cols, np.arange(len(grams))] = 1.0
            part = _nn.dense(counts, _const(onehot))
            total = part if total is None else _op.add(total, part)
        if total is None:
            total = _op.zeros([b, out_dim], "float32")
        mode = attr.get("mode", "TF")
        weights = np.asarray(attr.get("weights", np.ones(out_dim)), "float32")
        if mode == "IDF":
            total = _op.where(_op.greater(total, _const(0.0, "float32")), _op.broadcast_to(_const(weights), [b, out_dim]),
                              _op.zeros_like(total))
        elif mode == "TFIDF":
            total = _op.multiply(total, _const(weights))
        elif mode != "TF":
            raise _error.OpAttributeInvalid("TfIdfVectorizer mode %r" % mode)
        return _op.reshape(total, [out_dim]) if len(shape) == 1 else total
