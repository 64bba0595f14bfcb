# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Converters of the PyTorch frontend: one function per aten operator (family).

Each converter takes the converted inputs of a node (Relay expressions,
Python values, torch constants) and the node, and returns the Relay value of
its output (a list for several outputs). Shapes are static: converters read
them from the Relay types (`conv.shape_of`).
"""
import math

import numpy as np

from ...error import OpNotImplemented
from .. import expr as _expr
from ... import ir as _ir
from .. import op as _op
from ..op import nn as _nn
from ..op import image as _image
from ..op import vision as _vision
from .pytorch_utils import scalar_type_to_str


def build_convert_map(conv):
    """{aten op name: fn(inputs, node)} for the converter `conv` (a PyTorchOpConverter)."""
    torch = conv.torch
    E = conv.as_expr
    shape_of = conv.shape_of
    dtype_of = conv.dtype_of

    def axis(dim, rank):
        dim = int(dim)
        if not -rank <= dim < max(rank, 1):
            raise ValueError("dimension %d is out of range for a tensor of rank %d" % (dim, rank))
        return dim + rank if dim < 0 else dim

    def ints(values):
        if isinstance(values, int):
            return [values]
        if isinstance(values, torch.Tensor):
            return [int(v) for v in values.reshape(-1).tolist()]
        out = []
        for v in values:
            if _expr_like(v):
                raise OpNotImplemented("a shape or size computed from tensor values is not supported (static "
                                       "shapes only)")
            out.append(int(v))
        return out

    def _expr_like(v):
        return isinstance(v, _expr.RelayExpr)

    def static_int(value, what):
        if _expr_like(value):
            raise OpNotImplemented("its %s is computed at run time; only static values are supported (the graph "
                                   "has static shapes)" % what)
        return int(value)

    def is_float(dtype):
        return dtype.startswith("float") or dtype == "bfloat16"

    convert = {}

    def register(*names):
        def wrap(fn):
            for name in names:
                convert[name] = fn
                if not name.endswith("_") and name.startswith("aten::"):
                    convert.setdefault(name + "_", fn)
            return fn
        return wrap

    # ---------------------------------------------------------------- elementwise
    def unary(relay_fn, float_only=True):
        def fn(inputs, node):
            x = E(inputs[0])
            if float_only and not is_float(dtype_of(x)):
                x = _op.cast(x, conv.default_dtype)
            return relay_fn(x)
        return fn

    for name, relay_fn in [
        ("exp", _op.exp), ("log", _op.log), ("log2", _op.log2), ("log10", _op.log10), ("sqrt", _op.sqrt),
        ("rsqrt", _op.rsqrt), ("sigmoid", _op.sigmoid), ("tanh", _op.tanh), ("sin", _op.sin), ("cos", _op.cos),
        ("tan", _op.tan), ("asin", _op.asin), ("acos", _op.acos), ("atan", _op.atan), ("sinh", _op.sinh),
        ("cosh", _op.cosh), ("erf", _op.erf), ("asinh", _op.asinh), ("acosh", _op.acosh), ("atanh", _op.atanh),
    ]:
        register("aten::" + name)(unary(relay_fn))
    for name, relay_fn in [
        ("abs", _op.abs), ("neg", _op.negative), ("floor", _op.floor), ("ceil", _op.ceil), ("round", _op.round),
        ("trunc", _op.trunc), ("sign", _op.sign), ("bitwise_not", _op.bitwise_not),
        ("relu", _nn.relu), ("isnan", _op.isnan), ("isinf", _op.isinf), ("isfinite", _op.isfinite),
    ]:
        register("aten::" + name)(unary(relay_fn, float_only=False))
    register("aten::negative")(unary(_op.negative, float_only=False))

    @register("aten::logical_not")
    def _logical_not(inputs, node):
        return _op.logical_not(_op.cast(E(inputs[0]), "bool"))

    @register("aten::__not__")
    def _not(inputs, node):
        return _op.logical_not(_op.cast(E(inputs[0]), "bool"))

    @register("aten::log1p")
    def _log1p(inputs, node):
        x = E(inputs[0])
        return _op.log(_op.add(x, E(1.0, dtype_of(x))))

    @register("aten::expm1")
    def _expm1(inputs, node):
        x = E(inputs[0])
        return _op.subtract(_op.exp(x), E(1.0, dtype_of(x)))

    @register("aten::reciprocal")
    def _reciprocal(inputs, node):
        x = E(inputs[0])
        if not is_float(dtype_of(x)):
            x = _op.cast(x, conv.default_dtype)
        return _op.divide(E(1.0, dtype_of(x)), x)

    @register("aten::square")
    def _square(inputs, node):
        x = E(inputs[0])
        return _op.multiply(x, x)

    def scalar(value, like):
        return E(value, dtype_of(like))

    @register("aten::gelu")
    def _gelu(inputs, node):
        x = E(inputs[0])
        approximate = inputs[1] if len(inputs) > 1 else "none"
        half = scalar(0.5, x)
        if approximate == "tanh":
            inner = _op.multiply(scalar(math.sqrt(2.0 / math.pi), x),
                                 _op.add(x, _op.multiply(scalar(0.044715, x), _op.multiply(x, _op.multiply(x, x)))))
            return _op.multiply(_op.multiply(half, x), _op.add(scalar(1.0, x), _op.tanh(inner)))
        erf = _op.erf(_op.multiply(x, scalar(1.0 / math.sqrt(2.0), x)))
        return _op.multiply(_op.multiply(x, half), _op.add(scalar(1.0, x), erf))

    @register("aten::silu")
    def _silu(inputs, node):
        x = E(inputs[0])
        return _op.multiply(x, _op.sigmoid(x))

    def softplus(x, beta=1.0, threshold=20.0):
        bx = _op.multiply(x, scalar(beta, x)) if beta != 1.0 else x
        soft = _op.log(_op.add(_op.exp(bx), scalar(1.0, x)))
        if beta != 1.0:
            soft = _op.divide(soft, scalar(beta, x))
        return _op.where(_op.greater(bx, scalar(threshold, x)), x, soft)

    @register("aten::softplus")
    def _softplus(inputs, node):
        return softplus(E(inputs[0]), float(inputs[1]), float(inputs[2]))

    @register("aten::mish")
    def _mish(inputs, node):
        x = E(inputs[0])
        return _op.multiply(x, _op.tanh(softplus(x)))

    @register("aten::hardsigmoid")
    def _hardsigmoid(inputs, node):
        x = E(inputs[0])
        return _op.divide(_op.clip(_op.add(x, scalar(3.0, x)), 0.0, 6.0), scalar(6.0, x))

    @register("aten::hardswish")
    def _hardswish(inputs, node):
        x = E(inputs[0])
        return _op.multiply(x, _hardsigmoid(inputs, node))

    @register("aten::hardtanh")
    def _hardtanh(inputs, node):
        return _op.clip(E(inputs[0]), float(inputs[1]), float(inputs[2]))

    @register("aten::relu6")
    def _relu6(inputs, node):
        return _op.clip(E(inputs[0]), 0.0, 6.0)

    @register("aten::leaky_relu")
    def _leaky_relu(inputs, node):
        return _nn.leaky_relu(E(inputs[0]), float(inputs[1]) if len(inputs) > 1 else 0.01)

    @register("aten::elu")
    def _elu(inputs, node):
        x = E(inputs[0])
        alpha = float(inputs[1]) if len(inputs) > 1 else 1.0
        scale = float(inputs[2]) if len(inputs) > 2 else 1.0
        input_scale = float(inputs[3]) if len(inputs) > 3 else 1.0
        neg = _op.multiply(scalar(alpha, x), _op.subtract(_op.exp(_op.multiply(x, scalar(input_scale, x))),
                                                          scalar(1.0, x)))
        out = _op.where(_op.greater(x, scalar(0.0, x)), x, neg)
        return _op.multiply(out, scalar(scale, x)) if scale != 1.0 else out

    @register("aten::selu")
    def _selu(inputs, node):
        alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
        return _elu([inputs[0], alpha, scale, 1.0], node)

    @register("aten::celu")
    def _celu(inputs, node):
        alpha = float(inputs[1])
        return _elu([inputs[0], alpha, 1.0, 1.0 / alpha], node)

    @register("aten::prelu")
    def _prelu(inputs, node):
        x, alpha = E(inputs[0]), E(inputs[1])
        if shape_of(alpha) in ((1,), ()) or len(shape_of(x)) < 2:
            alpha = _op.reshape(alpha, [])
            return _op.where(_op.greater_equal(x, scalar(0.0, x)), x, _op.multiply(alpha, x))
        return _nn.prelu(x, alpha, axis=1)

    @register("aten::threshold")
    def _threshold(inputs, node):
        x = E(inputs[0])
        return _op.where(_op.greater(x, scalar(float(inputs[1]), x)), x, scalar(float(inputs[2]), x))

    @register("aten::clamp", "aten::clip")
    def _clamp(inputs, node):
        x = E(inputs[0])
        low, high = inputs[1], inputs[2]
        if _expr_like(low) or _expr_like(high) or isinstance(low, torch.Tensor) or isinstance(high, torch.Tensor):
            out = x
            if low is not None:
                out = _op.maximum(out, E(low, dtype_of(x)))
            if high is not None:
                out = _op.minimum(out, E(high, dtype_of(x)))
            return out
        dtype = dtype_of(x)
        if is_float(dtype):
            big = float(np.finfo(np.float32).max)
            return _op.clip(x, -big if low is None else float(low), big if high is None else float(high))
        # Integers: only the bounds given (a stand-in bound would wrap in small types such as uint8).
        info = np.iinfo(dtype)
        if low is not None:
            x = _op.maximum(x, E(int(min(max(math.ceil(float(low)), info.min), info.max)), dtype))
        if high is not None:
            x = _op.minimum(x, E(int(min(max(math.floor(float(high)), info.min), info.max)), dtype))
        return x

    @register("aten::clamp_min")
    def _clamp_min(inputs, node):
        return _clamp([inputs[0], inputs[1], None], node)

    @register("aten::clamp_max")
    def _clamp_max(inputs, node):
        return _clamp([inputs[0], None, inputs[1]], node)

    # ---------------------------------------------------------------- binary
    def binary(relay_fn, true_divide=False, bool_only=False):
        def fn(inputs, node):
            (a, b), dtype = conv.promote(inputs[0], inputs[1])
            if true_divide and not is_float(dtype):
                a, b = _op.cast(a, conv.default_dtype), _op.cast(b, conv.default_dtype)
            if bool_only:
                a, b = _op.cast(a, "bool"), _op.cast(b, "bool")
            return relay_fn(a, b)
        return fn

    def list_compare(equal_fn):
        """aten::eq/ne of two lists (scripted `a.shape == b.shape`): decided at import when
        every pair is equal ints or the same run-time size (the same dimension of the same
        tensor), or when a pair of ints differs; else the elementwise tensor comparison."""
        base = binary(equal_fn)

        def fn(inputs, node):
            a, b = inputs[0], inputs[1]
            if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
                same = len(a) == len(b)
                decided = True
                for x, y in zip(a, b) if same else []:
                    if _expr_like(x) or _expr_like(y):
                        if x is not y and not (_expr_like(x) and _expr_like(y) and _ir.structural_equal(x, y)):
                            decided = False
                    elif x != y:
                        same, decided = False, True
                        break
                if decided:
                    return same if equal_fn is _op.equal else not same
                raise OpNotImplemented("comparing sizes known only at run time (%s with %s)" % (a, b))
            return base(inputs, node)
        return fn

    register("aten::eq")(list_compare(_op.equal))
    register("aten::ne")(list_compare(_op.not_equal))
    for name, relay_fn in [
        ("mul", _op.multiply), ("multiply", _op.multiply), ("maximum", _op.maximum), ("minimum", _op.minimum),
        ("pow", _op.power), ("lt", _op.less), ("le", _op.less_equal),
        ("gt", _op.greater), ("ge", _op.greater_equal), ("floor_divide", _op.floor_divide),
        ("bitwise_and", _op.bitwise_and), ("bitwise_or", _op.bitwise_or), ("bitwise_xor", _op.bitwise_xor),
        ("__and__", _op.bitwise_and), ("__or__", _op.bitwise_or), ("__xor__", _op.bitwise_xor),
        ("greater", _op.greater), ("less", _op.less), ("greater_equal", _op.greater_equal),
        ("less_equal", _op.less_equal), ("not_equal", _op.not_equal), ("fmod", _op.mod),
    ]:
        register("aten::" + name)(binary(relay_fn))
    for name, relay_fn in [("logical_and", _op.logical_and), ("logical_or", _op.logical_or),
                           ("logical_xor", _op.logical_xor)]:
        register("aten::" + name)(binary(relay_fn, bool_only=True))

    def bool_binary(relay_fn, int_fn):
        base = binary(int_fn)

        def fn(inputs, node):
            if dtype_of(inputs[0]) == "bool" and dtype_of(inputs[1]) == "bool":
                return relay_fn(E(inputs[0]), E(inputs[1]))
            return base(inputs, node)
        return fn

    register("aten::__and__", "aten::bitwise_and")(bool_binary(_op.logical_and, _op.bitwise_and))
    register("aten::__or__", "aten::bitwise_or")(bool_binary(_op.logical_or, _op.bitwise_or))
    register("aten::__xor__", "aten::bitwise_xor")(bool_binary(_op.logical_xor, _op.bitwise_xor))

    @register("aten::remainder")
    def _remainder(inputs, node):
        (a, b), dtype = conv.promote(inputs[0], inputs[1])
        return _op.floor_mod(a, b)

    def add_sub(relay_fn):
        def fn(inputs, node):
            a, b = inputs[0], inputs[1]
            if isinstance(a, list) and isinstance(b, list) and relay_fn is _op.add:
                # List concatenation (`xs += [x]` in scripted code); in place for add_.
                if node.kind().endswith("_"):
                    a.extend(b)
                    return a
                return a + b
            alpha = inputs[2] if len(inputs) > 2 else 1
            if alpha is not None and alpha != 1:
                b = _op.multiply(E(b), E(alpha, dtype_of(b))) if _expr_like(b) else b * alpha
            (a, b), dtype = conv.promote(a, b)
            if dtype == "bool":
                return (_op.logical_or if relay_fn is _op.add else _op.logical_xor)(a, b)
            return relay_fn(a, b)
        return fn

    register("aten::add")(add_sub(_op.add))
    register("aten::sub", "aten::subtract")(add_sub(_op.subtract))

    @register("aten::rsub")
    def _rsub(inputs, node):
        alpha = inputs[2] if len(inputs) > 2 else 1
        return add_sub(_op.subtract)([inputs[1], inputs[0], alpha], node)

    @register("aten::div", "aten::divide", "aten::true_divide")
    def _div(inputs, node):
        mode = inputs[2] if len(inputs) > 2 else None
        (a, b), dtype = conv.promote(inputs[0], inputs[1])
        if mode == "floor":
            return _op.floor_divide(a, b)
        if mode == "trunc":
            if is_float(dtype):
                return _op.trunc(_op.divide(a, b))
            return _op.divide(a, b)
        if not is_float(dtype):
            a, b = _op.cast(a, conv.default_dtype), _op.cast(b, conv.default_dtype)
        return _op.divide(a, b)

    @register("aten::max", "aten::min")
    def _max_min(inputs, node):
        is_max = node.kind().startswith("aten::max")
        if len(inputs) == 2:  # elementwise
            return binary(_op.maximum if is_max else _op.minimum)(inputs, node)
        x = E(inputs[0])
        if len(inputs) == 1:
            return (_op.max if is_max else _op.min)(x)
        dim, keepdim = int(inputs[1]), bool(inputs[2])
        values = (_op.max if is_max else _op.min)(x, axis=dim, keepdims=keepdim)
        indices = (_op.argmax if is_max else _op.argmin)(x, axis=dim, keepdims=keepdim)
        return [values, _op.cast(indices, "int64")]

    @register("aten::amax", "aten::amin")
    def _amax(inputs, node):
        x = E(inputs[0])
        dims = ints(inputs[1]) if inputs[1] is not None else []
        fn = _op.max if node.kind().startswith("aten::amax") else _op.min
        return fn(x, axis=dims or None, keepdims=bool(inputs[2]) if len(inputs) > 2 else False)

    # ---------------------------------------------------------------- data-dependent output counts
    def i64(value):
        return _expr.const(np.array(value, "int64"), "int64")

    def nonzero_flat(mask):
        """The row-major positions of mask's true elements (a 1-D int64 tensor whose length is
        known at run time): each true element's slot is its rank among the true ones (a
        cumulative sum); the false ones share a spare slot past the end, cut off by the slice."""
        flat = _op.cast(_op.reshape(mask, [-1]), "int64")
        shape = shape_of(mask)
        n = i64(int(np.prod(shape, dtype=np.int64))) if None not in shape else \
            _op.ndarray_size(mask, "int64")
        slot = _op.where(_op.cast(flat, "bool"), _op.subtract(_op.cumsum(flat, 0), i64(1)), n)
        positions = _op.arange(i64(0), n, i64(1), dtype="int64")
        buf = _op.zeros(_op.reshape(_op.add(n, i64(1)), [1]), "int64") if None in shape else \
            _op.zeros([int(np.prod(shape, dtype=np.int64)) + 1], "int64")
        buf = _op.scatter_elements(buf, slot, positions, 0, "update")
        return _op.strided_slice(buf, i64([0]), _op.sum(flat, axis=[0], keepdims=True))

    def nonzero_coords(x):
        """(count, rank) coordinates of x's non-zero elements, row-major order (torch.nonzero)."""
        mask = _op.cast(x, "bool") if dtype_of(x) != "bool" else x
        if not shape_of(x):
            mask = _op.reshape(mask, [1])
        coords = _op.unravel_index(nonzero_flat(mask), _op.shape_of(mask, "int64"))
        return _op.transpose(coords, [1, 0])

    @register("aten::nonzero")
    def _nonzero(inputs, node):
        return nonzero_coords(E(inputs[0]))

    @register("aten::nonzero_numpy")
    def _nonzero_numpy(inputs, node):
        coords = _op.transpose(nonzero_coords(E(inputs[0])), [1, 0])
        return [_op.take(coords, i64(k), axis=0) for k in range(max(len(shape_of(inputs[0])), 1))]

    @register("aten::masked_select")
    def _masked_select(inputs, node):
        x, mask = E(inputs[0]), _op.cast(E(inputs[1]), "bool")
        if shape_of(x) != shape_of(mask):  # both broadcast to one shape first, as torch does
            x, mask = _op.add(x, _op.zeros_like(_op.cast(mask, dtype_of(x)))), \
                _op.logical_or(mask, _op.cast(_op.zeros_like(x), "bool"))
        return _op.take(_op.reshape(x, [-1]), nonzero_flat(mask), axis=0)

    @register("aten::_unique2")
    def _unique2(inputs, node):
        # (values sorted, inverse indices shaped as the input, counts); torch sorts the values
        x = E(inputs[0])
        out = _op.unique(_op.reshape(x, [-1]), is_sorted=True, return_counts=True)
        num = _op.cast(out[3], "int64")

        def head(t):
            return _op.strided_slice(t, i64([0]), num)

        inverse = _op.cast(out[2], "int64")
        if shape_of(x) and None not in shape_of(x):
            inverse = _op.reshape(inverse, list(shape_of(x)))
        return [head(out[0]), inverse, _op.cast(head(out[4]), "int64")]

    @register("aten::where")
    def _where(inputs, node):
        if len(inputs) == 1:  # torch.where(condition): the coordinates of its true elements
            return _nonzero_numpy(inputs, node)
        cond = _op.cast(E(inputs[0]), "bool")
        (x, y), _ = conv.promote(inputs[1], inputs[2])
        return _op.where(cond, x, y)

    @register("aten::masked_fill")
    def _masked_fill(inputs, node):
        x = E(inputs[0])
        value = E(inputs[2], dtype_of(x))
        return _op.where(_op.cast(E(inputs[1]), "bool"), value, x)

    @register("aten::lerp")
    def _lerp(inputs, node):
        (a, b, w), _ = conv.promote(inputs[0], inputs[1], inputs[2])
        return _op.add(a, _op.multiply(w, _op.subtract(b, a)))

    @register("aten::addcmul", "aten::addcdiv")
    def _addcmul(inputs, node):
        (x, t1, t2), dtype = conv.promote(inputs[0], inputs[1], inputs[2])
        fn = _op.multiply if "addcmul" in node.kind() else _op.divide
        return _op.add(x, _op.multiply(E(inputs[3], dtype), fn(t1, t2)))

    @register("aten::atan2")
    def _atan2(inputs, node):
        (y, x), dtype = conv.promote(inputs[0], inputs[1])
        base = _op.atan(_op.divide(y, x))
        pi = E(math.pi, dtype)
        zero = E(0.0, dtype)
        adjust = _op.where(_op.less(x, zero), _op.where(_op.less(y, zero), _op.negative(pi), pi), zero)
        return _op.add(base, adjust)

    # ---------------------------------------------------------------- casts and copies
    def cast_to(x, dtype):
        x = E(x)
        return x if dtype is None or dtype_of(x) == dtype else _op.cast(x, dtype)

    @register("aten::to")
    def _to(inputs, node):
        args = list(node.inputs())
        kind1 = args[1].type().kind() if len(args) > 1 else ""
        if kind1 == "TensorType":
            return cast_to(inputs[0], dtype_of(inputs[1]))
        if kind1 == "DeviceObjType" or kind1 == "OptionalType" and isinstance(inputs[1], torch.device):
            return cast_to(inputs[0], scalar_type_to_str(inputs[2]))
        if len(inputs) > 1 and isinstance(inputs[1], int) and not isinstance(inputs[1], bool):
            return cast_to(inputs[0], scalar_type_to_str(inputs[1]))
        if len(inputs) > 2 and isinstance(inputs[2], int) and not isinstance(inputs[2], bool):
            return cast_to(inputs[0], scalar_type_to_str(inputs[2]))
        return E(inputs[0])

    @register("aten::type_as")
    def _type_as(inputs, node):
        return cast_to(inputs[0], dtype_of(inputs[1]))

    for name, dtype in [("float", "float32"), ("double", "float64"), ("half", "float16"), ("long", "int64"),
                        ("int", "int32"), ("bool", "bool"), ("byte", "uint8"), ("char", "int8"),
                        ("short", "int16")]:
        register("aten::" + name)(lambda inputs, node, dtype=dtype: cast_to(inputs[0], dtype))

    def identity(inputs, node):
        return E(inputs[0]) if not isinstance(inputs[0], (list, tuple)) else inputs[0]

    for name in ["contiguous", "clone", "detach", "dropout", "feature_dropout", "alpha_dropout",
                 "feature_alpha_dropout", "lift_fresh", "resolve_conj", "resolve_neg", "alias", "positive",
                 "lift", "requires_grad_", "cpu", "cuda", "pin_memory", "_shape_as_tensor_"]:
        register("aten::" + name)(identity)
    # Scalars computed from tensor values stay 0-d Relay tensors (static ones fold through torch first).
    for name in ["prim::NumToTensor", "aten::Int", "aten::Float", "aten::Bool", "aten::ScalarImplicit",
                 "prim::ImplicitTensorToNum", "aten::item"]:
        register(name)(identity)

    @register("aten::copy_")
    def _copy(inputs, node):
        x = E(inputs[0])
        return _op.broadcast_to(cast_to(inputs[1], dtype_of(x)), list(shape_of(x)))

    @register("aten::fill_")
    def _fill(inputs, node):
        x = E(inputs[0])
        return _op.full(E(inputs[1], dtype_of(x)), list(shape_of(x)), dtype_of(x))

    @register("aten::zero_")
    def _zero(inputs, node):
        x = E(inputs[0])
        return _op.zeros(list(shape_of(x)), dtype_of(x))

    # ---------------------------------------------------------------- creation from a tensor's shape
    def like(fill):
        def fn(inputs, node):
            x = inputs[0]
            dtype = scalar_type_to_str(inputs[2 if fill is None else 1]) or dtype_of(x)
            value = inputs[1] if fill is None else fill
            return _op.full(E(value, dtype), list(shape_of(x)), dtype)
        return fn

    register("aten::zeros_like")(like(0))
    register("aten::ones_like")(like(1))
    register("aten::full_like")(like(None))

    def new(fill):
        def fn(inputs, node):
            x = inputs[0]
            size = ints(inputs[1])
            dtype = scalar_type_to_str(inputs[3 if fill is None else 2]) or dtype_of(x)
            value = inputs[2] if fill is None else fill
            return _op.full(E(value, dtype), size, dtype)
        return fn

    register("aten::new_zeros")(new(0))
    register("aten::new_ones")(new(1))
    register("aten::new_full")(new(None))

    @register("aten::full")
    def _full(inputs, node):
        dtype = scalar_type_to_str(inputs[2]) or dtype_of(inputs[1])
        return _op.full(E(inputs[1], dtype), ints(inputs[0]), dtype)

    @register("aten::arange")
    def _arange(inputs, node):
        # Static bounds fold through torch; here a bound is a Relay scalar.
        count = {5: 1, 6: 2, 7: 3}.get(len(inputs))
        if count is None:
            raise OpNotImplemented("this overload of arange")
        bounds = list(inputs[:count])
        dtype = scalar_type_to_str(inputs[count])
        if dtype is None:
            dtype = "int64" if all(dtype_of(b).startswith("int") for b in bounds) else conv.default_dtype
        return _op.arange(*[cast_to(E(b), dtype) for b in bounds], dtype=dtype)

    # ---------------------------------------------------------------- shapes
    @register("aten::size")
    def _size(inputs, node):
        # a dynamic dimension is a 0-d int64 expression (its arithmetic runs in the graph)
        shape = shape_of(inputs[0])
        if len(inputs) > 1 and inputs[1] is not None:
            return conv.dim_expr(inputs[0], axis(inputs[1], len(shape)))
        return [conv.dim_expr(inputs[0], i) for i in range(len(shape))]

    @register("aten::numel")
    def _numel(inputs, node):
        return int(np.prod(shape_of(inputs[0]), dtype=np.int64))

    @register("aten::dim")
    def _dim(inputs, node):
        return len(shape_of(inputs[0]))

    @register("aten::view", "aten::reshape", "aten::_reshape_alias")
    def _reshape(inputs, node):
        if isinstance(inputs[1], (list, tuple)) and any(_expr_like(v) for v in inputs[1]):
            return _op.reshape(E(inputs[0]), conv.shape_arg(inputs[1]))  # sizes computed at run time
        return _op.reshape(E(inputs[0]), ints(inputs[1]))

    @register("aten::view_as", "aten::reshape_as")
    def _reshape_as(inputs, node):
        return _op.reshape(E(inputs[0]), list(shape_of(inputs[1])))

    @register("aten::flatten")
    def _flatten(inputs, node):
        x = E(inputs[0])
        shape = list(shape_of(x))
        if not shape:
            return _op.reshape(x, [1])
        start = axis(inputs[1], len(shape)) if len(inputs) > 1 else 0
        end = axis(inputs[2], len(shape)) if len(inputs) > 2 else len(shape) - 1
        new = shape[:start] + [int(np.prod(shape[start:end + 1], dtype=np.int64))] + shape[end + 1:]
        return _op.reshape(x, new)

    @register("aten::unflatten")
    def _unflatten(inputs, node):
        x = E(inputs[0])
        shape = list(shape_of(x))
        dim = axis(inputs[1], len(shape))
        return _op.reshape(x, shape[:dim] + ints(inputs[2]) + shape[dim + 1:])

    @register("aten::permute")
    def _permute(inputs, node):
        x = E(inputs[0])
        rank = len(shape_of(x))
        return _op.transpose(x, [axis(d, rank) for d in ints(inputs[1])])

    @register("aten::transpose", "aten::swapaxes", "aten::swapdims")
    def _transpose(inputs, node):
        x = E(inputs[0])
        rank = len(shape_of(x))
        if rank == 0:
            return x
        a, b = axis(inputs[1], rank), axis(inputs[2], rank)
        perm = list(range(rank))
        perm[a], perm[b] = perm[b], perm[a]
        return _op.transpose(x, perm)

    @register("aten::t", "aten::numpy_T")
    def _t(inputs, node):
        x = E(inputs[0])
        rank = len(shape_of(x))
        return x if rank < 2 else _op.transpose(x, list(reversed(range(rank))))

    @register("aten::unsqueeze")
    def _unsqueeze(inputs, node):
        x = E(inputs[0])
        return _op.expand_dims(x, axis(inputs[1], len(shape_of(x)) + 1))

    @register("aten::squeeze")
    def _squeeze(inputs, node):
        x = E(inputs[0])
        shape = shape_of(x)
        if len(inputs) < 2 or inputs[1] is None:
            return _op.squeeze(x)
        if not shape:
            return x
        dims = ints(inputs[1])
        dims = [axis(d, len(shape)) for d in dims]
        dims = [d for d in dims if shape[d] == 1]
        return _op.squeeze(x, dims) if dims else x

    @register("aten::expand")
    def _expand(inputs, node):
        x = E(inputs[0])
        shape = list(shape_of(x))
        sizes = ints(inputs[1])
        lead = len(sizes) - len(shape)
        target = [shape[i - lead] if s == -1 else s for i, s in enumerate(sizes)]
        return _op.broadcast_to(x, target)

    @register("aten::expand_as", "aten::broadcast_to")
    def _expand_as(inputs, node):
        target = shape_of(inputs[1]) if node.kind() == "aten::expand_as" else inputs[1]
        return _expand([inputs[0], list(target)], node)

    @register("aten::repeat", "aten::tile")
    def _repeat(inputs, node):
        x = E(inputs[0])
        reps = ints(inputs[1])
        rank = len(shape_of(x))
        if len(reps) > rank:
            x = _op.reshape(x, [1] * (len(reps) - rank) + list(shape_of(x)))
        elif len(reps) < rank:
            reps = [1] * (rank - len(reps)) + reps
        return _op.tile(x, reps)

    @register("aten::repeat_interleave")
    def _repeat_interleave(inputs, node):
        x = E(inputs[0])
        if not isinstance(inputs[1], int):
            raise OpNotImplemented("repeat_interleave with a tensor of repeats")
        if inputs[2] is None:
            return _op.repeat(_op.reshape(x, [-1]), inputs[1], 0)
        return _op.repeat(x, inputs[1], axis(inputs[2], len(shape_of(x))))

    @register("aten::cat", "aten::concat", "aten::concatenate")
    def _cat(inputs, node):
        tensors = [t for t in inputs[0]]
        (exprs), _ = conv.promote(*tensors) if len(tensors) > 1 else ([E(tensors[0])], None)
        exprs = [e for e, t in zip(exprs, tensors) if not (isinstance(t, torch.Tensor) and t.numel() == 0
                                                            and t.dim() == 1)]
        rank = len(shape_of(exprs[0]))
        return _op.concatenate(exprs, axis(inputs[1], rank))

    @register("aten::stack")
    def _stack(inputs, node):
        exprs, _ = conv.promote(*inputs[0]) if len(inputs[0]) > 1 else ([E(inputs[0][0])], None)
        rank = len(shape_of(exprs[0])) + 1
        return _op.stack(exprs, axis(inputs[1], rank))

    def split_points(sizes):
        points, total = [], 0
        for s in sizes[:-1]:
            total += s
            points.append(total)
        return points

    def split_by_sizes(x, sizes, dim):
        if len(sizes) == 1:
            return [x]
        parts = _op.split(x, split_points(sizes), dim)
        return [parts[i] for i in range(len(sizes))]

    @register("aten::split", "aten::split_with_sizes", "aten::unsafe_split")
    def _split(inputs, node):
        x = E(inputs[0])
        shape = shape_of(x)
        dim = axis(inputs[2] if len(inputs) > 2 else 0, len(shape))
        if isinstance(inputs[1], int):
            step = inputs[1]
            sizes = [min(step, shape[dim] - s) for s in range(0, shape[dim], step)]
        else:
            sizes = ints(inputs[1])
        return split_by_sizes(x, sizes, dim)

    @register("aten::chunk", "aten::unsafe_chunk")
    def _chunk(inputs, node):
        x = E(inputs[0])
        shape = shape_of(x)
        dim = axis(inputs[2], len(shape))
        step = -(-shape[dim] // int(inputs[1]))
        sizes = [min(step, shape[dim] - s) for s in range(0, shape[dim], step)]
        return split_by_sizes(x, sizes, dim)

    @register("aten::tensor_split")
    def _tensor_split(inputs, node):
        x = E(inputs[0])
        shape = shape_of(x)
        dim = axis(inputs[2], len(shape))
        sections = inputs[1]
        if isinstance(sections, torch.Tensor) and sections.dim() == 0:
            sections = int(sections)  # a 0-d tensor is a number of sections
        if isinstance(sections, int):
            n, length = sections, shape[dim]
            sizes = [length // n + (1 if i < length % n else 0) for i in range(n)]
        else:
            points = [0] + ints(sections) + [shape[dim]]
            sizes = [max(b - a, 0) for a, b in zip(points, points[1:])]
        return split_by_sizes(x, sizes, dim)

    @register("aten::unbind")
    def _unbind(inputs, node):
        x = E(inputs[0])
        shape = shape_of(x)
        dim = axis(inputs[1], len(shape))
        return [_op.squeeze(p, [dim]) for p in split_by_sizes(x, [1] * shape[dim], dim)]

    @register("aten::select")
    def _select(inputs, node):
        x = E(inputs[0])
        shape = shape_of(x)
        dim = axis(inputs[1], len(shape))
        index = inputs[2]
        if isinstance(index, int):
            if not -shape[dim] <= index < shape[dim]:
                raise IndexError("index %d is out of range for dimension %d of size %d" % (index, dim, shape[dim]))
            index = index % shape[dim]
        return _op.take(x, E(index, "int64"), axis=dim)

    @register("aten::slice")
    def _slice(inputs, node):
        x = E(inputs[0])
        shape = shape_of(x)
        if not shape:
            return x
        dim = axis(inputs[1], len(shape))
        size = shape[dim]
        start = 0 if inputs[2] is None else static_int(inputs[2], "start")
        end = size if inputs[3] is None else static_int(inputs[3], "end")
        step = static_int(inputs[4], "step") if len(inputs) > 4 else 1
        start = max(0, min(size, start + size if start < 0 else start))
        end = max(start, min(size, end + size if end < 0 else end))
        if start == 0 and end == size and step == 1:
            return x
        return _op.strided_slice(x, [start], [end], [step], axes=[dim])

    @register("aten::narrow")
    def _narrow(inputs, node):
        start = static_int(inputs[2], "start")
        return _slice([inputs[0], inputs[1], start, start + static_int(inputs[3], "length"), 1], node)

    @register("aten::index_select")
    def _index_select(inputs, node):
        x = E(inputs[0])
        return _op.take(x, E(inputs[2], "int64"), axis=axis(inputs[1], len(shape_of(x))))

    @register("aten::gather")
    def _gather(inputs, node):
        x = E(inputs[0])
        return _op.gather(x, axis(inputs[1], len(shape_of(x))), E(inputs[2], "int64"))

    @register("aten::embedding")
    def _embedding(inputs, node):
        return _op.take(E(inputs[0]), cast_to(inputs[1], "int64"), axis=0)

    @register("aten::index")
    def _index(inputs, node):
        x = E(inputs[0])
        shape = shape_of(x)
        indices = list(inputs[1])
        positions = []
        tensors = []
        for pos, index in enumerate(indices):
            if index is None:
                continue
            if dtype_of(index) in ("bool", "uint8"):
                if isinstance(index, torch.Tensor):
                    nonzero = index.nonzero(as_tuple=True)
                    for k, part in enumerate(nonzero):
                        positions.append(pos + k)
                        tensors.append(E(part, "int64"))
                    continue
                raise OpNotImplemented("boolean-mask indexing with a computed mask has a data-dependent shape")
            positions.append(pos)
            tensors.append(cast_to(index, "int64"))
        if not tensors:
            return x
        # Negative indices count from the end.
        tensors = [_op.where(_op.less(t, E(0, "int64")), _op.add(t, E(shape[p], "int64")), t)
                   for t, p in zip(tensors, positions)]
        if len(tensors) == 1:
            return _op.take(x, tensors[0], axis=positions[0])
        shapes = [shape_of(t) for t in tensors]
        common = list(np.broadcast_shapes(*shapes))
        tensors = [_op.broadcast_to(t, common) for t in tensors]
        rest = [d for d in range(len(shape)) if d not in positions]
        moved = _op.transpose(x, positions + rest)
        out = _op.gather_nd(moved, _op.stack(tensors, 0))
        consecutive = positions == list(range(positions[0], positions[0] + len(positions)))
        if consecutive and positions[0] > 0:
            # torch keeps the indexed block in place when the indexed dimensions are adjacent.
            nb = len(common)
            lead = positions[0]
            order = list(range(nb, nb + lead)) + list(range(nb)) + list(range(nb + lead, nb + len(rest)))
            out = _op.transpose(out, order)
        return out

    @register("aten::flip")
    def _flip(inputs, node):
        x = E(inputs[0])
        rank = len(shape_of(x))
        for d in ints(inputs[1]):
            x = _op.reverse(x, axis(d, rank))
        return x

    @register("aten::roll")
    def _roll(inputs, node):
        x = E(inputs[0])
        shape = shape_of(x)
        shifts = ints(inputs[1])
        dims = ints(inputs[2]) if inputs[2] is not None and len(ints(inputs[2])) else None
        if dims is None:
            flat = _op.reshape(x, [-1])
            return _op.reshape(_roll([flat, shifts, [0]], node), list(shape))
        for shift, d in zip(shifts, dims):
            d = axis(d, len(shape))
            n = shape[d]
            shift %= n
            if shift:
                idx = E(np.array([(i - shift) % n for i in range(n)], dtype="int64"), "int64")
                x = _op.take(x, idx, axis=d)
        return x

    @register("aten::tril", "aten::triu")
    def _trilu(inputs, node):
        x = E(inputs[0])
        k = int(inputs[1]) if len(inputs) > 1 else 0
        shape = shape_of(x)
        rows, cols = shape[-2], shape[-1]
        r = np.arange(rows)[:, None]
        c = np.arange(cols)[None, :]
        mask = (c - r <= k) if node.kind().startswith("aten::tril") else (c - r >= k)
        return _op.where(E(mask, "bool"), x, _op.zeros_like(x))

    # ---------------------------------------------------------------- reductions
    def reduce_axes(inputs, index, rank):
        if len(inputs) <= index or inputs[index] is None:
            return None
        dims = ints(inputs[index])
        return [axis(d, rank) for d in dims] or None

    def reduction(relay_fn, accumulate=False):
        def fn(inputs, node):
            x = E(inputs[0])
            rank = len(shape_of(x))
            if len(inputs) <= 2:  # sum(x, dtype)
                dtype = scalar_type_to_str(inputs[1]) if len(inputs) == 2 else None
                dims, keepdim = None, False
            else:
                dims = reduce_axes(inputs, 1, rank)
                keepdim = bool(inputs[2])
                dtype = scalar_type_to_str(inputs[3]) if len(inputs) > 3 else None
            if dtype is None and accumulate and dtype_of(x) in ("bool", "int8", "uint8", "int16", "int32"):
                dtype = "int64"
            if dtype is not None:
                x = cast_to(x, dtype)
            return relay_fn(x, axis=dims, keepdims=keepdim)
        return fn

    register("aten::sum")(reduction(_op.sum, accumulate=True))
    register("aten::mean")(reduction(_op.mean))
    register("aten::nansum")(reduction(_op.sum, accumulate=True))

    @register("aten::prod")
    def _prod(inputs, node):
        x = E(inputs[0])
        if len(inputs) <= 2:
            return _op.prod(x)
        dim = axis(inputs[1], len(shape_of(x)))
        return _op.prod(x, axis=[dim], keepdims=bool(inputs[2]))

    @register("aten::all", "aten::any")
    def _all_any(inputs, node):
        x = _op.cast(E(inputs[0]), "bool")
        fn = _op.all if node.kind().startswith("aten::all") else _op.any
        if len(inputs) == 1:
            return fn(x)
        return fn(x, axis=[axis(inputs[1], len(shape_of(x)))], keepdims=bool(inputs[2]))

    @register("aten::logsumexp")
    def _logsumexp(inputs, node):
        x = E(inputs[0])
        return _op.logsumexp(x, axis=reduce_axes(inputs, 1, len(shape_of(x))), keepdims=bool(inputs[2]))

    def var_args(inputs):
        """(dims, correction, keepdim) of var/std over their overloads."""
        x = inputs[0]
        rank = len(shape_of(x))
        if len(inputs) == 2:  # var(x, unbiased)
            return None, int(bool(inputs[1])), False
        if len(inputs) == 4 and isinstance(inputs[2], bool):  # var(x, dim, unbiased, keepdim)
            return reduce_axes(inputs, 1, rank), int(inputs[2]), bool(inputs[3])
        # var.correction(x, dim, correction, keepdim)
        correction = 1 if inputs[2] is None else int(inputs[2])
        return reduce_axes(inputs, 1, rank), correction, bool(inputs[3]) if len(inputs) > 3 else False

    def variance(x, dims, correction, keepdim):
        shape = shape_of(x)
        count = int(np.prod([shape[d] for d in (dims if dims is not None else range(len(shape)))]))
        mean = _op.mean(x, axis=dims, keepdims=True)
        diff = _op.subtract(x, mean)
        total = _op.sum(_op.multiply(diff, diff), axis=dims, keepdims=keepdim)
        return _op.divide(total, E(float(max(count - correction, 0)), dtype_of(x)))

    @register("aten::var")
    def _var(inputs, node):
        dims, correction, keepdim = var_args(inputs)
        return variance(E(inputs[0]), dims, correction, keepdim)

    @register("aten::std")
    def _std(inputs, node):
        return _op.sqrt(_var(inputs, node))

    @register("aten::var_mean", "aten::std_mean")
    def _var_mean(inputs, node):
        x = E(inputs[0])
        dims, correction, keepdim = var_args(inputs)
        var = variance(x, dims, correction, keepdim)
        if node.kind().startswith("aten::std"):
            var = _op.sqrt(var)
        return [var, _op.mean(x, axis=dims, keepdims=keepdim)]

    @register("aten::norm", "aten::linalg_vector_norm", "aten::frobenius_norm", "aten::linalg_norm")
    def _norm(inputs, node):
        x = E(inputs[0])
        rank = len(shape_of(x))
        kind = node.kind()
        if kind == "aten::frobenius_norm":
            p, dims, keepdim = 2.0, reduce_axes(inputs, 1, rank), bool(inputs[2]) if len(inputs) > 2 else False
        else:
            p = 2.0 if len(inputs) < 2 or inputs[1] is None else inputs[1]
            dims = reduce_axes(inputs, 2, rank)
            keepdim = bool(inputs[3]) if len(inputs) > 3 else False
        if isinstance(p, str):
            if p != "fro":
                raise OpNotImplemented("norm with p=%r" % p)
            p = 2.0
        p = float(p)
        ax = _op.abs(x)
        if p == float("inf"):
            return _op.max(ax, axis=dims, keepdims=keepdim)
        if p == float("-inf"):
            return _op.min(ax, axis=dims, keepdims=keepdim)
        if p == 0.0:
            return _op.sum(_op.cast(_op.not_equal(x, E(0.0, dtype_of(x))), dtype_of(x)), axis=dims,
                           keepdims=keepdim)
        if p == 1.0:
            return _op.sum(ax, axis=dims, keepdims=keepdim)
        if p == 2.0:
            return _op.sqrt(_op.sum(_op.multiply(x, x), axis=dims, keepdims=keepdim))
        total = _op.sum(_op.power(ax, E(p, dtype_of(x))), axis=dims, keepdims=keepdim)
        return _op.power(total, E(1.0 / p, dtype_of(x)))

    @register("aten::argmax", "aten::argmin")
    def _argmax(inputs, node):
        x = E(inputs[0])
        fn = _op.argmax if node.kind().startswith("aten::argmax") else _op.argmin
        if inputs[1] is None:
            out = fn(_op.reshape(x, [-1]), axis=[0], keepdims=False)
            if bool(inputs[2]):
                out = _op.reshape(out, [1] * len(shape_of(x)))
        else:
            out = fn(x, axis=[axis(inputs[1], len(shape_of(x)))], keepdims=bool(inputs[2]))
        return _op.cast(out, "int64")

    @register("aten::cumsum", "aten::cumprod")
    def _cumsum(inputs, node):
        x = E(inputs[0])
        dim = axis(inputs[1], len(shape_of(x)))
        dtype = scalar_type_to_str(inputs[2]) if len(inputs) > 2 else None
        if dtype is None and dtype_of(x) in ("bool", "int8", "uint8", "int16", "int32"):
            dtype = "int64"
        fn = _op.cumsum if node.kind().startswith("aten::cumsum") else _op.cumprod
        return fn(cast_to(x, dtype), axis=dim)

    @register("aten::topk")
    def _topk(inputs, node):
        x = E(inputs[0])
        k, dim = int(inputs[1]), axis(inputs[2], len(shape_of(x)))
        largest = bool(inputs[3]) if len(inputs) > 3 else True
        out = _op.topk(x, k=k, axis=dim, ret_type="both", is_ascend=not largest, dtype="int64")
        return [out[0], out[1]]

    @register("aten::sort")
    def _sort(inputs, node):
        x = E(inputs[0])
        dim = axis(inputs[1], len(shape_of(x)))
        descending = bool(inputs[2])
        indices = _op.argsort(x, axis=dim, is_ascend=not descending, dtype="int64")
        return [_op.gather(x, dim, indices), indices]

    @register("aten::argsort")
    def _argsort(inputs, node):
        x = E(inputs[0])
        return _op.argsort(x, axis=axis(inputs[1], len(shape_of(x))), is_ascend=not bool(inputs[2]), dtype="int64")

    @register("aten::one_hot")
    def _one_hot(inputs, node):
        x = E(inputs[0])
        depth = int(inputs[1])
        if depth < 0:
            raise OpNotImplemented("one_hot needs num_classes (it is data-dependent otherwise)")
        return _op.one_hot(x, E(1, "int64"), E(0, "int64"), depth, -1, "int64")

    # ---------------------------------------------------------------- neural network
    @register("aten::_convolution", "aten::conv1d", "aten::conv2d", "aten::conv3d", "aten::conv_transpose1d",
              "aten::conv_transpose2d", "aten::conv_transpose3d", "aten::convolution", "aten::_convolution_mode")
    def _convolution(inputs, node):
        kind = node.kind()
        data, weight, bias = E(inputs[0]), E(inputs[1]), inputs[2]
        if kind == "aten::_convolution_mode":
            stride, padding, dilation, groups = inputs[3:7]
            transposed, output_padding = False, 0
        elif kind in ("aten::_convolution", "aten::convolution"):
            stride, padding, dilation, transposed, output_padding, groups = inputs[3:9]
        elif "transpose" in kind:
            stride, padding, output_padding, groups, dilation = inputs[3:8]
            transposed = True
        else:
            stride, padding, dilation, groups = inputs[3:7]
            transposed, output_padding = False, 0
        wshape = shape_of(weight)
        n = len(wshape) - 2
        squeeze_batch = len(shape_of(data)) == n + 1  # unbatched input
        if squeeze_batch:
            data = _op.expand_dims(data, 0)
        rep = lambda v: ints(v) * n if len(ints(v)) == 1 else ints(v)
        stride, dilation = rep(stride), rep(dilation)
        if isinstance(padding, str):
            if padding == "valid":
                padding = [0] * n
            else:  # "same": total padding k_eff - 1, the extra one at the end
                pads_before, pads_after = [], []
                for i in range(n):
                    total = dilation[i] * (wshape[2 + i] - 1)
                    pads_before.append(total // 2)
                    pads_after.append(total - total // 2)
                padding = pads_before + pads_after
        else:
            padding = rep(padding)
        groups = int(groups)
        layouts = {1: ("NCW", "OIW"), 2: ("NCHW", "OIHW"), 3: ("NCDHW", "OIDHW")}
        if n not in layouts:
            raise OpNotImplemented("%d-d convolution" % n)
        data_layout, kernel_layout = layouts[n]
        if transposed:
            output_padding = rep(output_padding)
            fn = {1: _nn.conv1d_transpose, 2: _nn.conv2d_transpose, 3: _nn.conv3d_transpose}[n]
            out = fn(data, weight, strides=stride, padding=padding, dilation=dilation, groups=groups,
                     channels=wshape[1] * groups, kernel_size=list(wshape[2:]), data_layout=data_layout,
                     kernel_layout=kernel_layout.replace("OI", "IO"), output_padding=output_padding)
        else:
            fn = {1: _nn.conv1d, 2: _nn.conv2d, 3: _nn.conv3d}[n]
            out = fn(data, weight, strides=stride, padding=padding, dilation=dilation, groups=groups,
                     channels=wshape[0], kernel_size=list(wshape[2:]), data_layout=data_layout,
                     kernel_layout=kernel_layout)
        if bias is not None:
            out = _nn.bias_add(out, E(bias), axis=1)
        if squeeze_batch:
            out = _op.squeeze(out, [0])
        return out

    def ones_or(value, like, count, fill):
        if value is not None:
            return E(value)
        return E(np.full((count,), fill, dtype=dtype_of(like)), dtype_of(like))

    @register("aten::batch_norm")
    def _batch_norm(inputs, node):
        data = E(inputs[0])
        channels = shape_of(data)[1]
        gamma = ones_or(inputs[1], data, channels, 1.0)
        beta = ones_or(inputs[2], data, channels, 0.0)
        training = bool(inputs[5])
        if training or inputs[3] is None:
            # Normalise with the batch's own statistics (as torch does in training mode).
            rank = len(shape_of(data))
            dims = [0] + list(range(2, rank))
            mean = _op.mean(data, axis=dims, keepdims=True)
            var = variance(data, dims, 0, True)
            shape = [1, channels] + [1] * (rank - 2)
            norm = _op.divide(_op.subtract(data, mean), _op.sqrt(_op.add(var, E(float(inputs[7]), dtype_of(data)))))
            return _op.add(_op.multiply(norm, _op.reshape(gamma, shape)), _op.reshape(beta, shape))
        out = _nn.batch_norm(data, gamma, beta, E(inputs[3]), E(inputs[4]), axis=1, epsilon=float(inputs[7]),
                             center=inputs[2] is not None, scale=inputs[1] is not None)
        return out[0]

    @register("aten::instance_norm")
    def _instance_norm(inputs, node):
        data = E(inputs[0])
        channels = shape_of(data)[1]
        gamma = ones_or(inputs[1], data, channels, 1.0)
        beta = ones_or(inputs[2], data, channels, 0.0)
        if not bool(inputs[5]) and inputs[3] is not None:
            # use_input_stats=False (track_running_stats in eval): normalise with the running statistics.
            return _nn.batch_norm(data, gamma, beta, E(inputs[3]), E(inputs[4]), axis=1,
                                  epsilon=float(inputs[7]))[0]
        return _nn.instance_norm(data, gamma, beta, axis=1, epsilon=float(inputs[7]))

    @register("aten::layer_norm")
    def _layer_norm(inputs, node):
        data = E(inputs[0])
        normalized = ints(inputs[1])
        eps = float(inputs[4])
        rank = len(shape_of(data))
        if len(normalized) == 1:
            gamma = ones_or(inputs[2], data, normalized[0], 1.0)
            beta = ones_or(inputs[3], data, normalized[0], 0.0)
            return _nn.layer_norm(data, gamma, beta, axis=-1, epsilon=eps)
        dims = list(range(rank - len(normalized), rank))
        mean = _op.mean(data, axis=dims, keepdims=True)
        var = variance(data, dims, 0, True)
        out = _op.divide(_op.subtract(data, mean), _op.sqrt(_op.add(var, E(eps, dtype_of(data)))))
        if inputs[2] is not None:
            out = _op.multiply(out, E(inputs[2]))
        if inputs[3] is not None:
            out = _op.add(out, E(inputs[3]))
        return out

    @register("aten::group_norm")
    def _group_norm(inputs, node):
        data = E(inputs[0])
        channels = shape_of(data)[1]
        gamma = ones_or(inputs[2], data, channels, 1.0)
        beta = ones_or(inputs[3], data, channels, 0.0)
        return _nn.group_norm(data, gamma, beta, num_groups=int(inputs[1]), axis=1, epsilon=float(inputs[4]))

    @register("aten::linear")
    def _linear(inputs, node):
        data, weight = E(inputs[0]), E(inputs[1])
        if len(shape_of(weight)) == 1:
            out = _op.sum(_op.multiply(data, weight), axis=[-1])
        else:
            out = dense(data, weight)
        if len(inputs) > 2 and inputs[2] is not None:
            bias = E(inputs[2])
            if len(shape_of(weight)) == 2 and len(shape_of(bias)) == 1:
                return _nn.bias_add(out, bias, axis=-1)  # TVM's form: the per-feature bias
            out = _op.add(out, bias)
        return out

    def dense(data, weight):
        """data (..., k) times weight (n, k) transposed."""
        shape = shape_of(data)
        if len(shape) == 2:
            return _nn.dense(data, weight)
        if len(shape) == 1:
            return _op.squeeze(_nn.dense(_op.expand_dims(data, 0), weight), [0])
        flat = _op.reshape(data, [-1, shape[-1]])
        out = _nn.dense(flat, weight)
        if None in shape:  # leading dimensions known at run time: data's, the last one static
            return _op.reshape_like(out, data, lhs_begin=0, lhs_end=1, rhs_begin=0, rhs_end=len(shape) - 1)
        return _op.reshape(out, list(shape[:-1]) + [shape_of(weight)[0]])

    def matmul(a, b):
        sa, sb = shape_of(a), shape_of(b)
        if len(sa) == 1 and len(sb) == 1:
            return _op.reshape(_nn.dense(_op.reshape(a, [1, -1]), _op.reshape(b, [1, -1])), [])
        if len(sa) == 1:
            return _op.squeeze(matmul(_op.expand_dims(a, 0), b), [-2])
        if len(sb) == 1:
            return _op.squeeze(matmul(a, _op.expand_dims(b, 1)), [-1])
        if len(sb) == 2 and len(sa) == 2:
            return dense(a, _op.transpose(b, [1, 0]))
        if len(sa) == len(sb) == 3 and sa[0] == sb[0] and (None in sa or None in sb):
            # one batch axis that agrees (a dynamic one taken to agree with a dynamic one)
            return _nn.batch_matmul(a, b, transpose_a=False, transpose_b=False)
        batch = list(np.broadcast_shapes(tuple(sa[:-2]), tuple(sb[:-2])))
        a3 = _op.reshape(_op.broadcast_to(a, batch + list(sa[-2:])), [-1] + list(sa[-2:]))
        b3 = _op.reshape(_op.broadcast_to(b, batch + list(sb[-2:])), [-1] + list(sb[-2:]))
        out = _nn.batch_matmul(a3, b3, transpose_a=False, transpose_b=False)
        return _op.reshape(out, batch + [sa[-2], sb[-1]])

    @register("aten::matmul", "aten::mm", "aten::bmm")
    def _matmul(inputs, node):
        (a, b), _ = conv.promote(inputs[0], inputs[1])
        return matmul(a, b)

    @register("aten::addmm", "aten::baddbmm", "aten::addbmm")
    def _addmm(inputs, node):
        x, a, b = E(inputs[0]), E(inputs[1]), E(inputs[2])
        beta = float(inputs[3]) if len(inputs) > 3 else 1.0
        alpha = float(inputs[4]) if len(inputs) > 4 else 1.0
        product = matmul(a, b)
        if node.kind() == "aten::addbmm":
            product = _op.sum(product, axis=[0])
        if alpha != 1.0:
            product = _op.multiply(product, E(alpha, dtype_of(product)))
        if beta == 0.0:
            return product
        if beta != 1.0:
            x = _op.multiply(x, E(beta, dtype_of(x)))
        return _op.add(x, product)

    @register("aten::dot", "aten::vdot")
    def _dot(inputs, node):
        return _op.sum(_op.multiply(E(inputs[0]), E(inputs[1])))

    @register("aten::einsum")
    def _einsum(inputs, node):
        return _op.einsum([E(t) for t in inputs[1]], inputs[0])

    def softmax_fn(relay_fn):
        def fn(inputs, node):
            x = E(inputs[0])
            dtype = scalar_type_to_str(inputs[2]) if len(inputs) > 2 else None
            x = cast_to(x, dtype)
            return relay_fn(x, axis=axis(inputs[1], len(shape_of(x))))
        return fn

    register("aten::softmax", "aten::_softmax")(softmax_fn(_nn.softmax))
    register("aten::log_softmax", "aten::_log_softmax")(softmax_fn(_nn.log_softmax))

    @register("aten::softmin")
    def _softmin(inputs, node):
        return softmax_fn(_nn.softmax)([_op.negative(E(inputs[0]))] + list(inputs[1:]), node)

    def pool_args(inputs, n):
        rep = lambda v: ints(v) * n if len(ints(v)) == 1 else ints(v)
        kernel = rep(inputs[1])
        stride = rep(inputs[2]) if inputs[2] is not None and len(ints(inputs[2])) else kernel
        padding = rep(inputs[3])
        return kernel, stride, padding

    def max_pool(n):
        def fn(inputs, node):
            x = E(inputs[0])
            kernel, stride, padding = pool_args(inputs, n)
            dilation = ints(inputs[4]) * n if len(ints(inputs[4])) == 1 else ints(inputs[4])
            unbatched = len(shape_of(x)) == n + 1
            if unbatched:
                x = _op.expand_dims(x, 0)
            make = {1: _nn.max_pool1d, 2: _nn.max_pool2d, 3: _nn.max_pool3d}[n]
            layout = {1: "NCW", 2: "NCHW", 3: "NCDHW"}[n]
            out = make(x, pool_size=kernel, strides=stride, dilation=dilation, padding=padding, layout=layout,
                       ceil_mode=bool(inputs[5]))
            return _op.squeeze(out, [0]) if unbatched else out
        return fn

    for n in (1, 2, 3):
        register("aten::max_pool%dd" % n)(max_pool(n))

    def avg_pool(n):
        def fn(inputs, node):
            x = E(inputs[0])
            kernel, stride, padding = pool_args(inputs, n)
            ceil_mode = bool(inputs[4])
            count_include_pad = bool(inputs[5])
            divisor = inputs[6] if len(inputs) > 6 else None
            unbatched = len(shape_of(x)) == n + 1
            if unbatched:
                x = _op.expand_dims(x, 0)
            make = {1: _nn.avg_pool1d, 2: _nn.avg_pool2d, 3: _nn.avg_pool3d}[n]
            layout = {1: "NCW", 2: "NCHW", 3: "NCDHW"}[n]
            if divisor is not None:
                out = make(x, pool_size=kernel, strides=stride, padding=padding, layout=layout,
                           ceil_mode=ceil_mode, count_include_pad=True)
                out = _op.multiply(out, E(float(np.prod(kernel)) / float(divisor), dtype_of(x)))
            else:
                out = make(x, pool_size=kernel, strides=stride, padding=padding, layout=layout,
                           ceil_mode=ceil_mode, count_include_pad=count_include_pad)
            return _op.squeeze(out, [0]) if unbatched else out
        return fn

    for n in (1, 2, 3):
        register("aten::avg_pool%dd" % n)(avg_pool(n))

    def adaptive_pool(n, is_max):
        def fn(inputs, node):
            x = E(inputs[0])
            shape = shape_of(x)
            unbatched = len(shape) == n + 1
            if unbatched:
                x = _op.expand_dims(x, 0)
                shape = (1,) + tuple(shape)
            sizes = [shape[2 + i] if s is None else int(s) for i, s in enumerate(
                list(inputs[1]) * n if len(list(inputs[1])) == 1 else list(inputs[1]))]
            name = ("adaptive_max_pool%dd" if is_max else "adaptive_avg_pool%dd") % n
            layout = {1: "NCW", 2: "NCHW", 3: "NCDHW"}[n]
            out = getattr(_nn, name)(x, output_size=sizes, layout=layout)
            if unbatched:
                out = _op.squeeze(out, [0])
            if is_max:
                return [out, _POISON_INDICES]
            return out
        return fn

    for n in (1, 2, 3):
        register("aten::adaptive_avg_pool%dd" % n)(adaptive_pool(n, False))
        register("aten::adaptive_max_pool%dd" % n)(adaptive_pool(n, True))

    def upsample(method, n):
        def fn(inputs, node):
            x = E(inputs[0])
            shape = shape_of(x)
            align_corners = False
            if method == "nearest":
                output_size, scales = inputs[1], inputs[2] if len(inputs) > 2 else None
            else:
                output_size, align_corners = inputs[1], bool(inputs[2])
                scales = inputs[3] if len(inputs) > 3 else None
            if output_size is not None and len(list(output_size)):
                size = ints(output_size)
            else:
                scales = list(scales) * n if len(list(scales)) == 1 else list(scales)
                size = [int(math.floor(shape[2 + i] * float(scales[i]))) for i in range(n)]
            layout = {1: "NCW", 2: "NCHW", 3: "NCDHW"}[n]
            if method == "nearest":
                kwargs = dict(method="nearest_neighbor", coordinate_transformation_mode="asymmetric",
                              rounding_method="floor")
            else:
                kwargs = dict(method="linear" if method == "linear" else "cubic",
                              coordinate_transformation_mode="align_corners" if align_corners else "half_pixel",
                              cubic_alpha=-0.75)
            make = {1: _image.resize1d, 2: _image.resize2d}.get(n)
            if make is None:
                make = _image.resize3d
            return make(x, size, None, layout, **kwargs)
        return fn

    for n, suffix in ((1, "1d"), (2, "2d"), (3, "3d")):
        register("aten::upsample_nearest" + suffix)(upsample("nearest", n))
    register("aten::upsample_linear1d")(upsample("linear", 1))
    register("aten::upsample_bilinear2d")(upsample("linear", 2))
    register("aten::upsample_trilinear3d")(upsample("linear", 3))
    register("aten::upsample_bicubic2d")(upsample("cubic", 2))

    @register("aten::pixel_shuffle")
    def _pixel_shuffle(inputs, node):
        x = E(inputs[0])
        r = int(inputs[1])
        n, c, h, w = shape_of(x)
        out = _op.reshape(x, [n, c // (r * r), r, r, h, w])
        out = _op.transpose(out, [0, 1, 4, 2, 5, 3])
        return _op.reshape(out, [n, c // (r * r), h * r, w * r])

    @register("aten::pixel_unshuffle")
    def _pixel_unshuffle(inputs, node):
        x = E(inputs[0])
        r = int(inputs[1])
        n, c, h, w = shape_of(x)
        out = _op.reshape(x, [n, c, h // r, r, w // r, r])
        out = _op.transpose(out, [0, 1, 3, 5, 2, 4])
        return _op.reshape(out, [n, c * r * r, h // r, w // r])

    @register("aten::channel_shuffle")
    def _channel_shuffle(inputs, node):
        x = E(inputs[0])
        groups = int(inputs[1])
        shape = list(shape_of(x))
        out = _op.reshape(x, [shape[0], groups, shape[1] // groups] + shape[2:])
        out = _op.transpose(out, [0, 2, 1] + list(range(3, len(shape) + 1)))
        return _op.reshape(out, shape)

    def pad_widths(x, pads):
        rank = len(shape_of(x))
        widths = [[0, 0] for _ in range(rank)]
        for i in range(len(pads) // 2):
            widths[rank - 1 - i] = [pads[2 * i], pads[2 * i + 1]]
        return widths

    def crop_negative(x, widths):
        shape = shape_of(x)
        if all(a >= 0 and b >= 0 for a, b in widths):
            return x, widths
        begin = [max(-a, 0) for a, _ in widths]
        end = [s - max(-b, 0) for s, (_, b) in zip(shape, widths)]
        return _op.strided_slice(x, begin, end), [[max(a, 0), max(b, 0)] for a, b in widths]

    @register("aten::constant_pad_nd")
    def _constant_pad(inputs, node):
        x = E(inputs[0])
        x, widths = crop_negative(x, pad_widths(x, ints(inputs[1])))
        value = float(inputs[2]) if len(inputs) > 2 and inputs[2] is not None else 0.0
        return _nn.pad(x, widths, E(value, dtype_of(x)))

    def mode_pad(mode):
        def fn(inputs, node):
            x = E(inputs[0])
            widths = pad_widths(x, ints(inputs[1]))
            return _nn.pad(x, widths, E(0.0, dtype_of(x)), pad_mode=mode)
        return fn

    for n in ("1d", "2d", "3d"):
        register("aten::reflection_pad" + n)(mode_pad("reflect"))
        register("aten::replication_pad" + n)(mode_pad("edge"))

    @register("aten::pad")
    def _pad(inputs, node):
        mode = inputs[2] if len(inputs) > 2 else "constant"
        if mode == "constant":
            return _constant_pad([inputs[0], inputs[1], inputs[3] if len(inputs) > 3 else 0.0], node)
        if mode == "reflect":
            return mode_pad("reflect")(inputs, node)
        if mode == "replicate":
            return mode_pad("edge")(inputs, node)
        raise OpNotImplemented("pad mode %r" % mode)

    @register("aten::scaled_dot_product_attention")
    def _sdpa(inputs, node):
        q, k, v = E(inputs[0]), E(inputs[1]), E(inputs[2])
        mask = inputs[3]
        causal = bool(inputs[5]) if len(inputs) > 5 else False
        d = shape_of(q)[-1]
        kt = _op.transpose(k, list(range(len(shape_of(k)) - 2)) + [len(shape_of(k)) - 1, len(shape_of(k)) - 2])
        scores = _op.multiply(matmul(q, kt), E(1.0 / math.sqrt(d), dtype_of(q)))
        if causal:
            lq, lk = shape_of(q)[-2], shape_of(k)[-2]
            keep = np.tril(np.ones((lq, lk), dtype=bool))
            scores = _op.where(E(keep, "bool"), scores, E(float("-inf"), dtype_of(q)))
        if mask is not None:
            if dtype_of(mask) == "bool":
                scores = _op.where(E(mask), scores, E(float("-inf"), dtype_of(q)))
            else:
                scores = _op.add(scores, E(mask))
        return matmul(_nn.softmax(scores, axis=-1), v)

    def attention(q, k, v, heads, qkv_weight, qkv_bias, proj_weight, proj_bias, mask, mask_type):
        """Multi-head attention of batch-first (B, L, E) tensors with packed projection weights
        (torch's fused kernels: nn.MultiheadAttention's and TransformerEncoderLayer's fast paths)."""
        batch, length, embed = shape_of(q)
        klen = shape_of(k)[1]
        head_dim = embed // heads
        w_q, w_k, w_v = [_op.strided_slice(qkv_weight, [i * embed], [(i + 1) * embed], axes=[0]) for i in range(3)]
        b_q, b_k, b_v = [_op.strided_slice(qkv_bias, [i * embed], [(i + 1) * embed], axes=[0]) for i in range(3)]

        def heads_of(x, w, b, n):
            x = _op.add(dense(x, w), b)
            return _op.transpose(_op.reshape(x, [batch, n, heads, head_dim]), [0, 2, 1, 3])

        qh, kh, vh = heads_of(q, w_q, b_q, length), heads_of(k, w_k, b_k, klen), heads_of(v, w_v, b_v, klen)
        scores = _op.multiply(matmul(qh, _op.transpose(kh, [0, 1, 3, 2])), E(1.0 / math.sqrt(head_dim), dtype_of(q)))
        if mask is not None:
            mask = E(mask)
            if mask_type == 1 or shape_of(mask) == (batch, klen):
                mask = _op.reshape(mask, [batch, 1, 1, klen])
            if dtype_of(mask) == "bool":
                scores = _op.where(mask, E(float("-inf"), dtype_of(q)), scores)
            else:
                scores = _op.add(scores, mask)
        weights = _nn.softmax(scores, axis=-1)
        out = _op.reshape(_op.transpose(matmul(weights, vh), [0, 2, 1, 3]), [batch, length, embed])
        return _op.add(dense(out, proj_weight), proj_bias), weights

    @register("aten::_native_multi_head_attention")
    def _native_mha(inputs, node):
        q, k, v = E(inputs[0]), E(inputs[1]), E(inputs[2])
        heads = int(inputs[4])
        mask_type = inputs[12] if len(inputs) > 12 else None
        out, weights = attention(q, k, v, heads, E(inputs[5]), E(inputs[6]), E(inputs[7]), E(inputs[8]),
                                 inputs[9], mask_type)
        need_weights = bool(inputs[10])
        if not need_weights:
            return [out, _op.zeros([0], dtype_of(q))]
        if bool(inputs[11]):
            weights = _op.mean(weights, axis=[1])
        return [out, weights]

    @register("aten::_transformer_encoder_layer_fwd")
    def _encoder_layer(inputs, node):
        (src, _embed, heads, qkv_w, qkv_b, proj_w, proj_b, use_gelu, norm_first, eps, n1_w, n1_b, n2_w, n2_b,
         f1_w, f1_b, f2_w, f2_b) = inputs[:18]
        mask = inputs[18] if len(inputs) > 18 else None
        mask_type = inputs[19] if len(inputs) > 19 else None
        x = E(src)
        eps = float(eps)
        norm1 = lambda t: _nn.layer_norm(t, E(n1_w), E(n1_b), axis=-1, epsilon=eps)
        norm2 = lambda t: _nn.layer_norm(t, E(n2_w), E(n2_b), axis=-1, epsilon=eps)

        def self_attention(t):
            return attention(t, t, t, int(heads), E(qkv_w), E(qkv_b), E(proj_w), E(proj_b), mask, mask_type)[0]

        def feed_forward(t):
            hidden = _op.add(dense(t, E(f1_w)), E(f1_b))
            hidden = _gelu([hidden, "none"], node) if bool(use_gelu) else _nn.relu(hidden)
            return _op.add(dense(hidden, E(f2_w)), E(f2_b))

        if bool(norm_first):
            x = _op.add(x, self_attention(norm1(x)))
            return _op.add(x, feed_forward(norm2(x)))
        x = norm1(_op.add(x, self_attention(x)))
        return norm2(_op.add(x, feed_forward(x)))

    # ---------------------------------------------------------------- more activations and math
    @register("aten::log_sigmoid")
    def _log_sigmoid(inputs, node):
        x = E(inputs[0])
        # log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), stable for large |x|.
        return _op.subtract(_op.minimum(x, scalar(0.0, x)),
                            _op.log(_op.add(scalar(1.0, x), _op.exp(_op.negative(_op.abs(x))))))

    @register("aten::softsign")
    def _softsign(inputs, node):
        x = E(inputs[0])
        return _op.divide(x, _op.add(scalar(1.0, x), _op.abs(x)))

    @register("aten::tanhshrink")
    def _tanhshrink(inputs, node):
        x = E(inputs[0])
        return _op.subtract(x, _op.tanh(x))

    @register("aten::hardshrink", "aten::softshrink")
    def _shrink(inputs, node):
        x = E(inputs[0])
        lam = float(inputs[1])
        keep = _op.greater(_op.abs(x), scalar(lam, x))
        if node.kind().startswith("aten::hardshrink"):
            return _op.where(keep, x, _op.zeros_like(x))
        return _op.where(keep, _op.subtract(x, _op.multiply(_op.sign(x), scalar(lam, x))), _op.zeros_like(x))

    @register("aten::glu")
    def _glu(inputs, node):
        x = E(inputs[0])
        dim = axis(inputs[1], len(shape_of(x)))
        half = shape_of(x)[dim] // 2
        a, b = split_by_sizes(x, [half, half], dim)
        return _op.multiply(a, _op.sigmoid(b))

    @register("aten::logit")
    def _logit(inputs, node):
        x = E(inputs[0])
        eps = inputs[1] if len(inputs) > 1 else None
        if eps is not None:
            x = _op.clip(x, float(eps), 1.0 - float(eps))
        return _op.log(_op.divide(x, _op.subtract(scalar(1.0, x), x)))

    @register("aten::frac")
    def _frac(inputs, node):
        x = E(inputs[0])
        return _op.subtract(x, _op.trunc(x))

    @register("aten::exp2")
    def _exp2(inputs, node):
        x = E(inputs[0])
        return _op.power(scalar(2.0, x), x)

    @register("aten::__lshift__", "aten::bitwise_left_shift")
    def _lshift(inputs, node):
        (a, b), _ = conv.promote(inputs[0], inputs[1])
        return _op.left_shift(a, b)

    @register("aten::__rshift__", "aten::bitwise_right_shift")
    def _rshift(inputs, node):
        (a, b), _ = conv.promote(inputs[0], inputs[1])
        return _op.right_shift(a, b)

    @register("aten::is_floating_point")
    def _is_floating_point(inputs, node):
        return is_float(dtype_of(inputs[0]))

    @register("aten::cosine_similarity")
    def _cosine_similarity(inputs, node):
        (a, b), dtype = conv.promote(inputs[0], inputs[1])
        dim, eps = int(inputs[2]), float(inputs[3])
        rank = max(len(shape_of(a)), len(shape_of(b)))
        dim = axis(dim, rank)
        dot = _op.sum(_op.multiply(a, b), axis=[dim])
        na = _op.sum(_op.multiply(a, a), axis=[dim])
        nb = _op.sum(_op.multiply(b, b), axis=[dim])
        # torch clamps the product of the squared norms by eps^2.
        return _op.divide(dot, _op.sqrt(_op.maximum(_op.multiply(na, nb), E(eps * eps, dtype))))

    @register("aten::pairwise_distance")
    def _pairwise_distance(inputs, node):
        (a, b), dtype = conv.promote(inputs[0], inputs[1])
        p, eps, keepdim = float(inputs[2]), float(inputs[3]), bool(inputs[4])
        diff = _op.add(_op.subtract(a, b), E(eps, dtype))
        rank = max(len(shape_of(a)), len(shape_of(b)))
        return _norm([diff, p, [rank - 1], keepdim], _FakeNode("aten::norm"))

    def reduce_loss(loss, reduction):
        # torch's Reduction enum: 0 none, 1 mean, 2 sum.
        if reduction == 1:
            return _op.mean(loss)
        if reduction == 2:
            return _op.sum(loss)
        return loss

    @register("aten::mse_loss", "aten::l1_loss")
    def _pointwise_loss(inputs, node):
        (a, b), _ = conv.promote(inputs[0], inputs[1])
        diff = _op.subtract(a, b)
        loss = _op.multiply(diff, diff) if node.kind().startswith("aten::mse") else _op.abs(diff)
        return reduce_loss(loss, int(inputs[2]))

    @register("aten::binary_cross_entropy")
    def _bce(inputs, node):
        x, y = E(inputs[0]), E(inputs[1])
        floor = scalar(-100.0, x)  # torch clamps the logs at -100
        log_x = _op.maximum(_op.log(x), floor)
        log_1mx = _op.maximum(_op.log(_op.subtract(scalar(1.0, x), x)), floor)
        loss = _op.negative(_op.add(_op.multiply(y, log_x), _op.multiply(_op.subtract(scalar(1.0, y), y), log_1mx)))
        if inputs[2] is not None:
            loss = _op.multiply(loss, E(inputs[2]))
        return reduce_loss(loss, int(inputs[3]))

    @register("aten::binary_cross_entropy_with_logits")
    def _bce_logits(inputs, node):
        x, y = E(inputs[0]), E(inputs[1])
        log_sig = _log_sigmoid([x], node)
        log_one_minus = _log_sigmoid([_op.negative(x)], node)
        if inputs[3] is not None:
            log_sig = _op.multiply(log_sig, E(inputs[3]))
        loss = _op.negative(_op.add(_op.multiply(y, log_sig), _op.multiply(_op.subtract(scalar(1.0, y), y),
                                                                           log_one_minus)))
        if inputs[2] is not None:
            loss = _op.multiply(loss, E(inputs[2]))
        return reduce_loss(loss, int(inputs[4]))

    @register("aten::nll_loss", "aten::nll_loss_nd", "aten::nll_loss2d")
    def _nll_loss(inputs, node):
        x, target = E(inputs[0]), cast_to(inputs[1], "int64")
        weight, reduction, ignore = inputs[2], int(inputs[3]), int(inputs[4])
        classes = shape_of(x)[1]
        picked = _op.squeeze(_op.gather(x, 1, _op.expand_dims(_op.clip(target, 0, classes - 1), 1)), [1])
        w = _op.take(E(weight), _op.clip(target, 0, classes - 1)) if weight is not None else _op.ones_like(picked)
        w = _op.where(_op.equal(target, E(ignore, "int64")), _op.zeros_like(w), w)
        loss = _op.negative(_op.multiply(picked, w))
        if reduction == 1:
            return _op.divide(_op.sum(loss), _op.sum(w))
        return reduce_loss(loss, reduction)

    @register("aten::cross_entropy_loss")
    def _cross_entropy(inputs, node):
        x = E(inputs[0])
        if inputs[5] is not None and float(inputs[5]) != 0.0:
            raise OpNotImplemented("cross_entropy with label_smoothing")
        log_probs = _nn.log_softmax(x, axis=1)
        if dtype_of(inputs[1]).startswith("float"):  # class probabilities as the target
            terms = _op.multiply(log_probs, E(inputs[1]))
            if inputs[2] is not None:
                shape = [1, shape_of(x)[1]] + [1] * (len(shape_of(x)) - 2)
                terms = _op.multiply(terms, _op.reshape(E(inputs[2]), shape))
            loss = _op.negative(_op.sum(terms, axis=[1]))
            if int(inputs[3]) == 1:
                count = int(np.prod(shape_of(loss), dtype=np.int64))
                return _op.divide(_op.sum(loss), E(float(count), dtype_of(x)))
            return reduce_loss(loss, int(inputs[3]))
        return _nll_loss([log_probs] + list(inputs[1:5]), node)

    # ---------------------------------------------------------------- scatter and assignment
    @register("aten::scatter", "aten::scatter_add", "aten::scatter_reduce")
    def _scatter(inputs, node):
        x = E(inputs[0])
        dim = axis(inputs[1], len(shape_of(x)))
        index = cast_to(inputs[2], "int64")
        src = inputs[3]
        reduction = "update"
        if node.kind().startswith("aten::scatter_add"):
            reduction = "add"
        elif node.kind().startswith("aten::scatter_reduce"):
            reduction = {"sum": "add", "prod": "mul", "amax": "max", "amin": "min"}.get(inputs[4])
            if reduction is None or (len(inputs) > 5 and not bool(inputs[5])):
                raise OpNotImplemented("scatter_reduce with reduce=%r, include_self=False" % (inputs[4],))
        elif len(inputs) > 4 and inputs[4] is not None:
            reduction = {"add": "add", "multiply": "mul"}[inputs[4]]
        if _expr_like(src) or isinstance(src, torch.Tensor):
            updates = cast_to(src, dtype_of(x))
            ishape = shape_of(index)
            if shape_of(updates) != ishape:
                updates = _op.strided_slice(updates, [0] * len(ishape), list(ishape))
        else:
            updates = _op.full(E(src, dtype_of(x)), list(shape_of(index)), dtype_of(x))
        return _op.scatter_elements(x, index, updates, dim, reduction)

    @register("aten::index_put")
    def _index_put(inputs, node):
        x = E(inputs[0])
        shape = shape_of(x)
        indices = [i for i in inputs[1]]
        accumulate = bool(inputs[3]) if len(inputs) > 3 else False
        values = cast_to(inputs[2], dtype_of(x))
        if len(indices) == 1 and dtype_of(indices[0]) in ("bool", "uint8") and shape_of(indices[0]) == shape:
            mask = cast_to(indices[0], "bool")
            if shape_of(values) not in ((), (1,)):
                raise OpNotImplemented("index_put with a mask and a tensor of values (data-dependent)")
            values = _op.reshape(values, [])
            return _op.where(mask, _op.add(x, values) if accumulate else values, x)
        if any(i is None for i in indices):
            raise OpNotImplemented("index_put with slices between the index tensors")
        # Scatter over the flattened leading dimensions the indices address.
        lead = len(indices)
        rest = list(shape[lead:])
        flat_index = None
        stride = 1
        for k in reversed(range(lead)):
            idx = cast_to(indices[k], "int64")
            idx = _op.where(_op.less(idx, E(0, "int64")), _op.add(idx, E(shape[k], "int64")), idx)
            term = _op.multiply(idx, E(stride, "int64")) if stride != 1 else idx
            flat_index = term if flat_index is None else _op.add(flat_index, term)
            stride *= shape[k]
        common = list(shape_of(flat_index))
        flat_index = _op.reshape(flat_index, [-1])
        count = int(np.prod(common, dtype=np.int64)) if common else 1
        updates = _op.reshape(_op.broadcast_to(values, common + rest), [count] + rest)
        expanded = _op.broadcast_to(_op.reshape(flat_index, [count] + [1] * len(rest)), [count] + rest)
        flat = _op.reshape(x, [stride] + rest)
        out = _op.scatter_elements(flat, expanded, updates, 0, "add" if accumulate else "update")
        return _op.reshape(out, list(shape))

    @register("aten::meshgrid")
    def _meshgrid(inputs, node):
        tensors = [E(t) for t in inputs[0]]
        indexing = inputs[1] if len(inputs) > 1 and inputs[1] is not None else "ij"
        sizes = [shape_of(t)[0] if shape_of(t) else 1 for t in tensors]
        if indexing == "xy" and len(tensors) >= 2:
            sizes[0], sizes[1] = sizes[1], sizes[0]
        out = []
        for i, t in enumerate(tensors):
            where_dim = i
            if indexing == "xy" and i < 2:
                where_dim = 1 - i
            shape = [1] * len(tensors)
            shape[where_dim] = sizes[where_dim]
            out.append(_op.broadcast_to(_op.reshape(t, shape), sizes))
        return out

    @register("aten::broadcast_tensors")
    def _broadcast_tensors(inputs, node):
        tensors = [E(t) for t in inputs[0]]
        common = list(np.broadcast_shapes(*[shape_of(t) for t in tensors]))
        return [_op.broadcast_to(t, common) for t in tensors]

    register("aten::__iand__")(bool_binary(_op.logical_and, _op.bitwise_and))
    register("aten::__ior__")(bool_binary(_op.logical_or, _op.bitwise_or))
    register("aten::__ixor__")(bool_binary(_op.logical_xor, _op.bitwise_xor))
    register("aten::IntImplicit", "aten::FloatImplicit")(identity)

    @register("aten::_shape_as_tensor")
    def _shape_as_tensor(inputs, node):
        return E(np.array(shape_of(inputs[0]), dtype="int64"), "int64")

    @register("aten::device")
    def _device(inputs, node):
        return torch.device("cpu")

    @register("aten::tensor", "aten::scalar_tensor", "aten::as_tensor")
    def _tensor(inputs, node):
        data = inputs[0]
        dtype = scalar_type_to_str(inputs[1]) if len(inputs) > 1 else None
        if isinstance(data, (list, tuple)):
            return _op.stack([E(d) for d in data], 0) if dtype is None else \
                _op.stack([cast_to(d, dtype) for d in data], 0)
        return cast_to(data, dtype)

    @register("aten::take")
    def _take(inputs, node):
        flat = _op.reshape(E(inputs[0]), [-1])
        index = cast_to(inputs[1], "int64")
        count = int(np.prod(shape_of(inputs[0]), dtype=np.int64))
        index = _op.where(_op.less(index, E(0, "int64")), _op.add(index, E(count, "int64")), index)
        return _op.take(flat, index, axis=0)

    @register("aten::_weight_norm")
    def _weight_norm(inputs, node):
        v, g = E(inputs[0]), E(inputs[1])
        rank = len(shape_of(v))
        dim = int(inputs[2])
        if dim == -1:
            norm = _op.sqrt(_op.sum(_op.multiply(v, v)))
        else:
            dim = axis(dim, rank)
            others = [d for d in range(rank) if d != dim]
            norm = _op.sqrt(_op.sum(_op.multiply(v, v), axis=others, keepdims=True))
        return _op.multiply(v, _op.divide(g, norm))

    @register("aten::max_pool2d_with_indices", "aten::max_pool1d_with_indices")
    def _max_pool_with_indices(inputs, node):
        n = 2 if "2d" in node.kind() else 1
        return [max_pool(n)(inputs, node), _POISON_INDICES]

    @register("aten::mv")
    def _mv(inputs, node):
        return matmul(E(inputs[0]), E(inputs[1]))

    @register("aten::outer", "aten::ger")
    def _outer(inputs, node):
        (a, b), _ = conv.promote(inputs[0], inputs[1])
        return _op.multiply(_op.expand_dims(a, 1), _op.expand_dims(b, 0))

    @register("aten::empty_like", "aten::new_empty", "aten::empty")
    def _empty(inputs, node):
        # Uninitialised memory in torch; zeros here (any content is valid).
        kind = node.kind()
        if kind == "aten::empty_like":
            dtype = scalar_type_to_str(inputs[1]) or dtype_of(inputs[0])
            return _op.zeros(list(shape_of(inputs[0])), dtype)
        if kind == "aten::new_empty":
            return _op.zeros(ints(inputs[1]), scalar_type_to_str(inputs[2]) or dtype_of(inputs[0]))
        return _op.zeros(ints(inputs[0]), scalar_type_to_str(inputs[1]) or conv.default_dtype)

    @register("torchvision::roi_align")
    def _roi_align(inputs, node):
        data, rois = E(inputs[0]), E(inputs[1])
        scale, pooled_h, pooled_w, ratio, aligned = float(inputs[2]), int(inputs[3]), int(inputs[4]), \
            int(inputs[5]), bool(inputs[6])
        if aligned:
            # torchvision's aligned boxes start half a pixel earlier (in feature-map units).
            shift = np.array([0.0] + [0.5 / scale] * 4, dtype=dtype_of(rois))
            rois = _op.subtract(rois, E(shift, dtype_of(rois)))
        return _vision.roi_align(data, rois, (pooled_h, pooled_w), scale, ratio)

    @register("torchvision::deform_conv2d")
    def _deform_conv2d(inputs, node):
        # (input, weight, offset, mask, bias, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w,
        #  groups, offset_groups, use_mask)
        data, weight, offset = E(inputs[0]), E(inputs[1]), E(inputs[2])
        if bool(inputs[13]):
            raise OpNotImplemented("deform_conv2d with a mask (DCNv2) is not supported; only offsets")
        kh, kw = shape_of(weight)[2:]
        out = _nn.deformable_conv2d(data, offset, weight, strides=(int(inputs[5]), int(inputs[6])),
                                    padding=(int(inputs[7]), int(inputs[8])),
                                    dilation=(int(inputs[9]), int(inputs[10])),
                                    deformable_groups=int(inputs[12]), groups=int(inputs[11]),
                                    channels=shape_of(weight)[0], kernel_size=(kh, kw))
        bias = inputs[4]
        if bias is not None and not (isinstance(bias, torch.Tensor) and not bias.any()):
            out = _nn.bias_add(out, E(bias))
        return out

    @register("aten::grid_sampler")
    def _grid_sampler(inputs, node):
        data, grid = E(inputs[0]), E(inputs[1])
        methods = {0: "bilinear", 1: "nearest", 2: "bicubic"}
        paddings = {0: "zeros", 1: "border", 2: "reflection"}
        method, padding = methods.get(int(inputs[2])), paddings.get(int(inputs[3]))
        if method is None or padding is None:
            raise OpNotImplemented("grid_sampler interpolation mode %s / padding mode %s is not supported"
                                   % (inputs[2], inputs[3]))
        rank = len(shape_of(data))
        # torch's grid is (N, out..., 2 or 3); Relay's has the coordinates second.
        grid = _op.transpose(grid, [0, rank - 1] + list(range(1, rank - 1)))
        layout = "NCHW" if rank == 4 else "NCDHW"
        return _image.grid_sample(data, grid, method, layout, padding, bool(inputs[4]))

    @register("aten::stft")
    def _stft(inputs, node):
        # (input, n_fft, hop_length, win_length, window, normalized, onesided, return_complex); torch's
        # centre padding has been traced into an aten::pad/reflection_pad before it.
        data = E(inputs[0])
        n_fft = int(inputs[1])
        hop = n_fft // 4 if inputs[2] is None else int(inputs[2])
        win = n_fft if inputs[3] is None else int(inputs[3])
        window = E(inputs[4]) if inputs[4] is not None else None
        if inputs[7] is not None and bool(inputs[7]):
            raise OpNotImplemented("stft with return_complex=True is not supported (complex tensors)")
        onesided = True if inputs[6] is None else bool(inputs[6])
        return _op.stft(data, n_fft, hop, win, window, bool(inputs[5]), onesided)

    @register("aten::searchsorted")
    def _searchsorted(inputs, node):
        # (sorted_sequence, values, out_int32, right, side, sorter)
        if len(inputs) > 5 and inputs[5] is not None:
            raise OpNotImplemented("searchsorted with a sorter is not supported")
        right = bool(inputs[3]) or (len(inputs) > 4 and inputs[4] == "right")
        (seq, values), _ = conv.promote(inputs[0], inputs[1])
        return _op.searchsorted(seq, values, right, "int32" if bool(inputs[2]) else "int64")

    @register("aten::bucketize")
    def _bucketize(inputs, node):
        # (values, boundaries, out_int32, right): the boundaries' searchsorted
        (values, boundaries), _ = conv.promote(inputs[0], inputs[1])
        return _op.searchsorted(boundaries, values, bool(inputs[3]), "int32" if bool(inputs[2]) else "int64")

    @register("aten::baddbmm_")
    def _baddbmm_inplace(inputs, node):
        return _addmm(inputs, node)

    return convert


class _FakeNode:
    """Stands for a node when one converter reuses another's with a different kind."""

    def __init__(self, kind):
        self._kind = kind

    def kind(self):
        return self._kind


class _NotComputed:
    """An output a converter does not compute; using it is a clear error, not a crash."""

    def __init__(self, reason):
        self.unsupported_reason = reason


_POISON_INDICES = _NotComputed("the indices output of max pooling is not supported (only its values are)")
