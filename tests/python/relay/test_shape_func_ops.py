# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Shape functions of the static operators, checked against type inference.

For each operator and several random static shapes and attributes: infer the call's type
(the reference), build the operator's registered shape function on its own (inputs as int64
shape tensors, or the data where it is data dependent), run it, and compare. Each is also
built once with symbolic input extents, to show it compiles when nothing is known.
"""
import random

import numpy as np
import pytest

import tvm
from tvm import relay, te
from tvm.relay import op as _op

CASES = {}


def case(op_name):
    """Register a generator of calls of op_name: gen(rng) -> relay call expr (vars or
    constants as arguments, static shapes)."""

    def wrap(gen):
        CASES.setdefault(op_name, []).append(gen)
        return gen

    return wrap


def _var(shape, dtype="float32", name="x"):
    return relay.var(name, shape=tuple(shape), dtype=dtype)


def _rand_shape(rng, ndim, lo=1, hi=6):
    return [rng.randint(lo, hi) for _ in range(ndim)]


def _flat_types(ty):
    if isinstance(ty, relay.TupleType):
        out = []
        for f in ty.fields:
            out.extend(_flat_types(f))
        return out
    return [ty]


def _arg_values(arg, ty, rng):
    """(relay type, numpy value) per flattened tensor of a call argument."""
    if isinstance(arg, relay.Tuple):
        out = []
        for f in arg.fields:
            out.extend(_arg_values(f, f.checked_type, rng))
        return out
    if isinstance(ty, relay.TupleType):
        return [(f, None) for f in ty.fields]
    if isinstance(arg, relay.Constant):
        return [(ty, arg.data.numpy())]
    shape = [int(d) for d in ty.shape]
    data = np.random.default_rng(rng.randint(0, 1 << 30)).uniform(-2, 2, size=shape)
    return [(ty, data.astype(ty.dtype))]


def _infer(expr):
    mod = tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(expr), expr))
    mod = relay.transform.InferType()(mod)
    return mod["main"].body


def build_shape_func(call, symbolic=False, rng=None):
    """Build call.op's shape function for this call: returns (func, placeholders' values,
    expected output shapes)."""
    rng = rng or random.Random(0)
    op = call.op
    fshape = op.get_attr("FShapeFunc")
    assert fshape is not None, f"{op.name} has no shape function"
    dep = [bool(d) for d in op.get_attr("TShapeDataDependent")]
    inputs, values = [], []
    for i, arg in enumerate(call.args):
        data_dependent = dep[0] if len(dep) == 1 else dep[i]
        for k, (ty, value) in enumerate(_arg_values(arg, arg.checked_type, rng)):
            ndim = len(ty.shape)
            if data_dependent:
                shape = [te.var(f"n{i}_{k}_{d}", "int64") if symbolic else int(s) for d, s in enumerate(ty.shape)]
                inputs.append(te.placeholder(shape, ty.dtype, name=f"data{i}_{k}"))
                values.append(value)
            else:
                # a scalar's shape is a (0,) tensor, as the VM passes it (TVM's own compiler
                # passes a 0-d one; test_scalar_shape_tensor_zero_d checks that)
                inputs.append(te.placeholder((ndim,), "int64", name=f"shape{i}_{k}"))
                values.append(np.array([int(d) for d in ty.shape], "int64"))
    out_types = _flat_types(call.checked_type)
    out_ndims = [tvm.tir.IntImm("int32", len(t.shape)) for t in out_types]
    outs = fshape(call.attrs, inputs, out_ndims)
    assert len(outs) == len(out_types)
    for o, t in zip(outs, out_types):
        assert o.dtype == "int64" and [int(d) for d in o.shape] == [len(t.shape)], (o.shape, t)
    sched = te.create_schedule([o.op for o in outs])
    func = tvm.build(sched, inputs + list(outs), "llvm")
    return func, values, [[int(d) for d in t.shape] for t in out_types]


def check_call(expr, rng):
    call = _infer(expr)
    func, values, expected = build_shape_func(call, rng=rng)
    args = [tvm.nd.array(v) for v in values]
    outs = [tvm.nd.empty((len(e),), "int64") for e in expected]
    func(*args, *outs)
    got = [list(o.numpy()) for o in outs]
    assert got == expected, f"{call.op.name} {call.attrs}: shape func gives {got}, InferType {expected}"


def _params():
    out = []
    registered = set(tvm.ir.Op.list_op_names())
    for name, gens in CASES.items():
        for k, _ in enumerate(gens):
            marks = [] if name in registered else [pytest.mark.skip(reason=f"{name} is not in this build")]
            out.append(pytest.param(name, k, id=f"{name}-{k}", marks=marks))
    return out


# ---------------------------------------------------------------- cases: transform

@case("reshape")
def _reshape_infer(rng):
    s = _rand_shape(rng, 3)
    return relay.reshape(_var(s), [s[0], -1])


@case("reshape")
def _reshape_codes(rng):
    s = _rand_shape(rng, 4)
    newshape = rng.choice([[0, -1], [-2], [0, 0, -3], [-3, -3], [-4, s[0], -1, -2], [0, -1, s[3]], [s[0] * s[1], -1]])
    return relay.reshape(_var(s), newshape)


@case("reshape")
def _reshape_split(rng):
    s = _rand_shape(rng, 2)
    s[0] = s[0] * 2
    return relay.reshape(_var(s), [-4, -1, 2, 0])


@case("contrib_reverse_reshape")
def _reverse_reshape(rng):
    s = _rand_shape(rng, 3)
    return relay.reverse_reshape(_var(s), rng.choice([[-1, 0], [0, -1], [-1]]))


@case("reshape_like")
def _reshape_like(rng):
    s = _rand_shape(rng, 3)
    return relay.reshape_like(_var(s), _var([s[0] * s[1], s[2]], name="y"))


@case("reshape_like")
def _reshape_like_range(rng):
    s = _rand_shape(rng, 3)
    return relay.reshape_like(_var(s), _var([2, s[1] * s[2], 7], name="y"), lhs_begin=1, rhs_begin=1, rhs_end=2)


@case("transpose")
def _transpose(rng):
    s = _rand_shape(rng, 4)
    axes = list(range(4))
    rng.shuffle(axes)
    return relay.transpose(_var(s), rng.choice([axes, None, [-1, 0, 2, 1]]))


@case("squeeze")
def _squeeze(rng):
    s = _rand_shape(rng, 4, 2, 5)
    s[1] = 1
    s[3] = 1
    return relay.squeeze(_var(s), rng.choice([None, [1], [-1], [1, 3]]))


@case("squeeze")
def _squeeze_all(rng):
    return relay.squeeze(_var([1, rng.randint(2, 5), 1, 1, rng.randint(2, 5)]))


@case("expand_dims")
def _expand_dims(rng):
    s = _rand_shape(rng, 3)
    return relay.expand_dims(_var(s), rng.randint(-4, 3), rng.randint(0, 3))


@case("concatenate")
def _concatenate(rng):
    s = _rand_shape(rng, 3)
    axis = rng.randint(-3, 2)
    xs = []
    for k in range(rng.randint(1, 4)):
        t = list(s)
        t[axis] = rng.randint(1, 5)
        xs.append(_var(t, name=f"x{k}"))
    return relay.concatenate(xs, axis)


@case("stack")
def _stack(rng):
    s = _rand_shape(rng, 2)
    return relay.stack([_var(s, name=f"x{k}") for k in range(rng.randint(1, 4))], rng.randint(-3, 2))


@case("split")
def _split_sections(rng):
    s = _rand_shape(rng, 3)
    s[1] = 3 * rng.randint(1, 3)
    return relay.split(_var(s), 3, axis=1).astuple()


@case("split")
def _split_indices(rng):
    s = _rand_shape(rng, 2, 6, 9)
    return relay.split(_var(s), [1, 4], axis=-1).astuple()


@case("strided_slice")
def _strided_slice(rng):
    s = _rand_shape(rng, 3, 1, 9)
    begin = [rng.randint(-10, 10) for _ in range(3)]
    end = [rng.randint(-10, 10) for _ in range(3)]
    strides = [rng.choice([1, 2, 3, -1, -2]) for _ in range(3)]
    return relay.strided_slice(_var(s), begin, end, strides)


@case("strided_slice")
def _strided_slice_partial(rng):
    s = _rand_shape(rng, 3, 1, 9)
    return relay.strided_slice(_var(s), [rng.randint(0, 3)], [rng.randint(-2, 9)], [rng.choice([1, -1, 2])])


@case("strided_slice")
def _strided_slice_axes(rng):
    s = _rand_shape(rng, 3, 1, 9)
    return relay.strided_slice(_var(s), [1, 0], [8, -1], axes=[2, 0])


@case("strided_slice")
def _strided_slice_size(rng):
    s = _rand_shape(rng, 3, 1, 9)
    begin = [rng.randint(-12, 12) for _ in range(rng.randint(1, 3))]
    size = [rng.choice([-1, rng.randint(0, 12)]) for _ in begin]
    return relay.strided_slice(_var(s), begin, size, slice_mode="size")


@case("slice_like")
def _slice_like(rng):
    s = _rand_shape(rng, 3, 4, 8)
    return relay.slice_like(_var(s), _var(_rand_shape(rng, 3, 1, 4), name="y"), rng.choice([None, [1, 2], [-1]]))


@case("take")
def _take(rng):
    s = _rand_shape(rng, 3)
    return relay.take(_var(s), _var(_rand_shape(rng, 2), "int32", "i"), rng.choice([None, 0, 1, -1]))


@case("take")
def _take_batch(rng):
    s = _rand_shape(rng, 3)
    return relay.take(_var(s), _var([s[0], 4], "int32", "i"), axis=1, batch_dims=1)


@case("gather")
def _gather(rng):
    s = _rand_shape(rng, 3)
    i = list(s)
    i[1] = rng.randint(1, 6)
    return relay.gather(_var(s), 1, _var(i, "int32", "i"))


@case("gather_nd")
def _gather_nd(rng):
    s = _rand_shape(rng, 4)
    m = rng.randint(1, 3)
    return relay.gather_nd(_var(s), _var([m] + _rand_shape(rng, 2), "int32", "i"))


@case("gather_nd")
def _gather_nd_batch(rng):
    s = _rand_shape(rng, 4)
    return relay.gather_nd(_var(s), _var([2, s[0], 3], "int32", "i"), batch_dims=1, index_rank=2)


@case("adv_index")
def _adv_index(rng):
    s = _rand_shape(rng, 4)
    a = _var([rng.randint(1, 4), 1], "int32", "i")
    b = _var([rng.randint(1, 4)], "int32", "j")
    return relay.adv_index([_var(s), a, b])


@case("one_hot")
def _one_hot(rng):
    s = _rand_shape(rng, 2)
    return relay.one_hot(_var(s, "int32"), relay.const(1.0), relay.const(0.0), rng.randint(1, 9),
                         rng.choice([-1, 0, 1]), "float32")


@case("tile")
def _tile(rng):
    return relay.tile(_var(_rand_shape(rng, rng.randint(1, 3))), _rand_shape(rng, rng.randint(1, 4), 1, 4))


@case("repeat")
def _repeat(rng):
    return relay.repeat(_var(_rand_shape(rng, 3)), rng.randint(1, 4), rng.randint(-3, 2))


@case("broadcast_to")
def _broadcast_to(rng):
    s = _rand_shape(rng, 3)
    return relay.broadcast_to(_var([1, s[2]]), s)


@case("collapse_sum_to")
def _collapse_sum_to(rng):
    s = _rand_shape(rng, 3)
    return relay.collapse_sum_to(_var(s), [1, s[2]])


@case("broadcast_to_like")
def _broadcast_to_like(rng):
    s = _rand_shape(rng, 3)
    return relay.broadcast_to_like(_var([s[1], 1]), _var(s, name="y"))


@case("collapse_sum_like")
def _collapse_sum_like(rng):
    s = _rand_shape(rng, 3)
    return relay.collapse_sum_like(_var(s), _var([s[2]], name="y"))


@case("where")
def _where(rng):
    s = _rand_shape(rng, 3)
    return relay.where(_var([s[0], 1, 1], "bool", "c"), _var([s[1], 1]), _var([s[2]], name="y"))


@case("zeros")
def _zeros(rng):
    return relay.zeros(_rand_shape(rng, rng.randint(0, 3)), "float32")


@case("ones")
def _ones(rng):
    return relay.ones(_rand_shape(rng, 2), "int32")


@case("full")
def _full(rng):
    return relay.full(relay.const(3.0), _rand_shape(rng, 3), "float32")


@case("zeros_like")
def _zeros_like(rng):
    return relay.zeros_like(_var(_rand_shape(rng, 3)))


@case("full_like")
def _full_like(rng):
    return relay.full_like(_var(_rand_shape(rng, 2)), relay.const(2.0))


@case("arange")
def _arange(rng):
    start = rng.uniform(-5, 5)
    return relay.arange(relay.const(start), relay.const(start + rng.uniform(-3, 9)),
                        relay.const(rng.choice([0.5, 1.0, 2.0, -1.0])))


@case("arange")
def _arange_int(rng):
    return relay.arange(relay.const(rng.randint(0, 5)), relay.const(rng.randint(5, 20)),
                        relay.const(rng.randint(1, 4)), dtype="int32")


@case("layout_transform")
def _layout_transform(rng):
    c = 4 * rng.randint(1, 4)
    return relay.layout_transform(_var([2, c, 3, 5]), "NCHW", rng.choice(["NHWC", "NCHW4c", "NCHW2c"]))


@case("layout_transform")
def _layout_transform_back(rng):
    return relay.layout_transform(_var([2, rng.randint(1, 4), 3, 5, 4]), "NCHW4c", rng.choice(["NCHW", "NHWC"]))


@case("cumsum")
def _cumsum(rng):
    return relay.cumsum(_var(_rand_shape(rng, 3)), rng.choice([None, 0, -1]))


@case("cumprod")
def _cumprod(rng):
    return relay.cumprod(_var(_rand_shape(rng, 2)), rng.choice([None, 1]))


@case("sort")
def _sort(rng):
    return relay.sort(_var(_rand_shape(rng, 2)))


@case("argsort")
def _argsort(rng):
    return relay.argsort(_var(_rand_shape(rng, 3)), axis=1)


@case("topk")
def _topk(rng):
    s = _rand_shape(rng, 3, 3, 8)
    return relay.topk(_var(s), rng.choice([0, 1, 2]), axis=rng.randint(-3, 2), ret_type="both").astuple()


@case("topk")
def _topk_values(rng):
    return relay.topk(_var(_rand_shape(rng, 2, 3, 8)), 2, ret_type=rng.choice(["values", "indices"]))


@case("shape_of")
def _shape_of(rng):
    return relay.shape_of(_var(_rand_shape(rng, rng.randint(0, 4))))


@case("ndarray_size")
def _ndarray_size(rng):
    return relay.ndarray_size(_var(_rand_shape(rng, 3)))


@case("reverse")
def _reverse(rng):
    return relay.reverse(_var(_rand_shape(rng, 3)), 1)


@case("reverse_sequence")
def _reverse_sequence(rng):
    s = _rand_shape(rng, 3)
    return relay.reverse_sequence(_var(s), _var([s[0]], "int32", "l"), 1, 0)


@case("sequence_mask")
def _sequence_mask(rng):
    s = _rand_shape(rng, 3)
    return relay.sequence_mask(_var(s), _var([s[1]], "int32", "l"))


@case("scatter_elements")
def _scatter_elements(rng):
    s = _rand_shape(rng, 2)
    return relay.scatter_elements(_var(s), _var(s, "int32", "i"), _var(s, name="u"), 0)


@case("scatter_nd")
def _scatter_nd(rng):
    s = _rand_shape(rng, 3)
    return relay.scatter_nd(_var(s), _var([1, 4], "int32", "i"), _var([4, s[1], s[2]], name="u"))


@case("strided_set")
def _strided_set(rng):
    s = _rand_shape(rng, 2)
    return relay.strided_set(_var(s), _var([1, 1], name="v"), relay.const([0, 0]), relay.const([1, 1]))


@case("trilu")
def _trilu(rng):
    return relay.trilu(_var(_rand_shape(rng, 3)), relay.const(0))


@case("matrix_set_diag")
def _matrix_set_diag(rng):
    s = _rand_shape(rng, 3, 2, 6)
    return relay.matrix_set_diag(_var(s), _var(s[:1] + [min(s[1:])], name="d"))


@case("copy")
def _copy(rng):
    return relay.copy(_var(_rand_shape(rng, 2)))


@case("searchsorted")
def _searchsorted(rng):
    s = _rand_shape(rng, 2)
    return relay.searchsorted(_var(s), _var([s[0], rng.randint(1, 7)], name="v"))


@case("unique")
def _unique(rng):
    return relay.unique(_var([rng.randint(1, 9)], "int32"), return_counts=rng.choice([True, False])).astuple()


@case("sparse_to_dense")
def _sparse_to_dense(rng):
    return relay.sparse_to_dense(_var([3, 2], "int32", "i"), [5, 6], _var([3], name="v"), relay.const(0.0))


@case("sparse_reshape")
def _sparse_reshape(rng):
    n = rng.randint(1, 6)
    return relay.sparse_reshape(_var([n, 2], "int64", "i"), _var([2], "int64", "p"),
                                _var([rng.randint(1, 4)], "int64", "q")).astuple()


@case("unravel_index")
def _unravel_index(rng):
    return relay.unravel_index(_var(rng.choice([[], [rng.randint(1, 5)]]), "int32", "i"), _var([3], "int32", "s"))


@case("einsum")
def _einsum(rng):
    a, b, c = _rand_shape(rng, 3)
    eq = rng.choice(["ij,jk->ik", "ij,jk", "ij->ji", "ii->i", "ij,jk->"])
    if eq == "ii->i":
        return relay.einsum([_var([a, a])], eq)
    if eq == "ij->ji":
        return relay.einsum([_var([a, b])], eq)
    return relay.einsum([_var([a, b]), _var([b, c], name="y")], eq)


@case("einsum")
def _einsum_ellipsis(rng):
    a, b, c, d = _rand_shape(rng, 4)
    return relay.einsum([_var([d, 1, a, b]), _var([c, b, a], name="y")], "...ij,...ji->...i")


@case("meshgrid")
def _meshgrid(rng):
    return relay.meshgrid([_var([rng.randint(1, 5)], name=f"x{k}") for k in range(3)],
                          rng.choice(["ij", "xy"])).astuple()


@case("sliding_window")
def _sliding_window(rng):
    s = _rand_shape(rng, 3, 5, 9)
    return relay.sliding_window(_var(s), 1, [2, 3], [1, 2])


@case("stft")
def _stft(rng):
    return relay.stft(_var([2, rng.randint(16, 40)]), 8, 2, 8, _var([8], name="w"), onesided=rng.choice([True, False]))


# ---------------------------------------------------------------- cases: reductions

def _reduce_case(op_name, dtype="float32"):
    @case(op_name)
    def _reduce(rng):
        s = _rand_shape(rng, 4)
        axis = rng.choice([None, 1, [0, 2], [-1], [1, 3]])
        kwargs = dict(axis=axis, keepdims=rng.choice([True, False]), exclude=rng.choice([True, False]))
        return getattr(relay, op_name)(_var(s, dtype), **kwargs)

    return _reduce


for _name in ["sum", "mean", "max", "min", "prod", "argmax", "argmin"]:
    _reduce_case(_name)
for _name in ["all", "any"]:
    _reduce_case(_name, "bool")


@case("variance")
def _variance(rng):
    s = _rand_shape(rng, 3)
    return relay.variance(_var(s), axis=[1], keepdims=rng.choice([True, False]))


# ---------------------------------------------------------------- cases: nn

def _identity_case(op_name, make):
    @case(op_name)
    def _identity(rng):
        return make(_var(_rand_shape(rng, 4)), rng)

    return _identity


_identity_case("nn.relu", lambda x, rng: relay.nn.relu(x))
_identity_case("nn.leaky_relu", lambda x, rng: relay.nn.leaky_relu(x, 0.1))
_identity_case("nn.softmax", lambda x, rng: relay.nn.softmax(x, rng.randint(-4, 3)))
_identity_case("nn.log_softmax", lambda x, rng: relay.nn.log_softmax(x, -1))
_identity_case("nn.lrn", lambda x, rng: relay.nn.lrn(x))
_identity_case("nn.l2_normalize", lambda x, rng: relay.nn.l2_normalize(x, 1e-5, [1]))
_identity_case("nn.dropout", lambda x, rng: relay.nn.dropout_raw(x, 0.3))


@case("nn.bias_add")
def _bias_add(rng):
    s = _rand_shape(rng, 4)
    return relay.nn.bias_add(_var(s), _var([s[1]], name="b"))


@case("nn.prelu")
def _prelu(rng):
    s = _rand_shape(rng, 4)
    return relay.nn.prelu(_var(s), _var([s[1]], name="a"))


@case("nn.batch_norm")
def _batch_norm(rng):
    s = _rand_shape(rng, 4)
    axis = rng.randint(0, 3)
    vs = [_var([s[axis]], name=f"v{k}") for k in range(4)]
    return relay.nn.batch_norm(_var(s), *vs, axis=axis).astuple()


@case("nn.layer_norm")
def _layer_norm(rng):
    s = _rand_shape(rng, 3)
    return relay.nn.layer_norm(_var(s), _var([s[-1]], name="g"), _var([s[-1]], name="b"))


@case("nn.instance_norm")
def _instance_norm(rng):
    s = _rand_shape(rng, 4)
    return relay.nn.instance_norm(_var(s), _var([s[1]], name="g"), _var([s[1]], name="b"))


@case("nn.group_norm")
def _group_norm(rng):
    s = _rand_shape(rng, 4)
    s[1] = 2 * rng.randint(1, 3)
    return relay.nn.group_norm(_var(s), _var([s[1]], name="g"), _var([s[1]], name="b"), 2)


def _conv_case(op_name, n, make, transpose=False):
    @case(op_name)
    def _conv(rng):
        groups = rng.choice([1, 2])
        cin, cout = 2 * rng.randint(1, 3), 2 * rng.randint(1, 3)
        kernel = _rand_shape(rng, n, 1, 4)
        strides = _rand_shape(rng, n, 1, 3)
        dilation = _rand_shape(rng, n, 1, 3) if not transpose else [1] * n
        spatial = [(k - 1) * d + rng.randint(1, 9) for k, d in zip(kernel, dilation)]
        padding = _rand_shape(rng, 2 * n, 0, 3)
        data = _var([rng.randint(1, 3), cin] + spatial)
        if transpose:
            weight = _var([cin, cout // groups] + kernel, name="w")
            return make(data, weight, strides=strides, padding=padding, groups=groups,
                        output_padding=[rng.randint(0, min(strides) - 1) for _ in range(n)])
        weight = _var([cout, cin // groups] + kernel, name="w")
        return make(data, weight, strides=strides, padding=padding, dilation=dilation, groups=groups)

    return _conv


_conv_case("nn.conv1d", 1, relay.nn.conv1d)
_conv_case("nn.conv2d", 2, relay.nn.conv2d)
_conv_case("nn.conv3d", 3, relay.nn.conv3d)
_conv_case("nn.conv1d_transpose", 1, relay.nn.conv1d_transpose, True)
_conv_case("nn.conv2d_transpose", 2, relay.nn.conv2d_transpose, True)
_conv_case("nn.conv3d_transpose", 3, relay.nn.conv3d_transpose, True)


@case("nn.conv2d")
def _conv2d_nhwc(rng):
    s = _rand_shape(rng, 2, 4, 12)
    return relay.nn.conv2d(_var([1] + s + [3]), _var([3, 3, 3, 8], name="w"), strides=(2, 1), padding=(1, 1),
                           data_layout="NHWC", kernel_layout="HWIO")


@case("nn.conv2d")
def _conv2d_depthwise(rng):
    c = rng.randint(2, 5)
    return relay.nn.conv2d(_var([1, c, 7, 9]), _var([c, 1, 3, 3], name="w"), groups=c, padding=(1, 1))


@case("nn.conv2d")
def _conv2d_nchwc(rng):
    return relay.nn.conv2d(_var([1, 2, 9, 9, 4]), _var([4, 2, 3, 3, 4, 4], name="w"), padding=(1, 1),
                           data_layout="NCHW4c", kernel_layout="OIHW4i4o", out_layout=rng.choice(["", "NCHW"]))


@case("nn.contrib_conv2d_NCHWc")
def _conv2d_nchwc_op(rng):
    ib, ob = rng.choice([2, 4]), rng.choice([2, 4])
    h, w = rng.randint(3, 10), rng.randint(3, 10)
    return relay.nn.contrib_conv2d_nchwc(
        _var([rng.randint(1, 3), 2, h, w, ib]), _var([3, 2, 3, 3, ib, ob], name="w"), strides=(rng.randint(1, 2), 1),
        padding=(1, rng.randint(0, 1)), channels=3 * ob, kernel_size=(3, 3), data_layout=f"NCHW{ib}c",
        kernel_layout=f"OIHW{ib}i{ob}o", out_layout=f"NCHW{ob}c")


@case("nn.contrib_depthwise_conv2d_NCHWc")
def _depthwise_conv2d_nchwc_op(rng):
    b, chunks = rng.choice([2, 4]), rng.randint(1, 3)
    h, w = rng.randint(3, 10), rng.randint(3, 10)
    return relay.nn.contrib_depthwise_conv2d_nchwc(
        _var([1, chunks, h, w, b]), _var([chunks, 1, 3, 3, 1, b], name="w"), padding=(1, 1), groups=chunks * b,
        channels=chunks * b, kernel_size=(3, 3), data_layout=f"NCHW{b}c", kernel_layout=f"OIHW1i{b}o",
        out_layout=f"NCHW{b}c")


@case("nn.deformable_conv2d")
def _deformable_conv2d(rng):
    h, w = rng.randint(4, 9), rng.randint(4, 9)
    out = [h - 2, w - 2]
    return relay.nn.deformable_conv2d(_var([1, 4, h, w]), _var([1, 18] + out, name="o"),
                                      _var([6, 4, 3, 3], name="w"), kernel_size=(3, 3), channels=6)


@case("image.dilation2d")
def _dilation2d(rng):
    h, w = rng.randint(5, 9), rng.randint(5, 9)
    return relay.image.dilation2d(_var([1, 3, h, w]), _var([3, 2, 3], name="w"), strides=(1, 2), padding=(1, 0),
                                  dilations=(2, 1))


@case("nn.correlation")
def _correlation(rng):
    h, w = rng.randint(8, 14), rng.randint(8, 14)
    return relay.nn.correlation(_var([1, 3, h, w]), _var([1, 3, h, w], name="y"), 1, 2, 1, 1, 2, True, "NCHW")


def _pool_case(op_name, n, make):
    @case(op_name)
    def _pool(rng):
        size = _rand_shape(rng, n, 1, 4)
        dilation = _rand_shape(rng, n, 1, 3)
        spatial = [(k - 1) * d + rng.randint(1, 9) for k, d in zip(size, dilation)]
        layout = rng.choice([{1: "NCW", 2: "NCHW", 3: "NCDHW"}[n], {1: "NWC", 2: "NHWC", 3: "NDHWC"}[n]])
        shape = [2, 3] + spatial if layout.index("C") == 1 else [2] + spatial + [3]
        return make(_var(shape), pool_size=size, strides=_rand_shape(rng, n, 1, 3),
                    dilation=dilation, padding=_rand_shape(rng, 2 * n, 0, 2), layout=layout,
                    ceil_mode=rng.choice([True, False]))

    return _pool


for _n in (1, 2, 3):
    _pool_case(f"nn.max_pool{_n}d", _n, getattr(relay.nn, f"max_pool{_n}d"))
    _pool_case(f"nn.avg_pool{_n}d", _n, getattr(relay.nn, f"avg_pool{_n}d"))


def _adaptive_case(op_name, n, make):
    @case(op_name)
    def _adaptive(rng):
        size = rng.choice([None, _rand_shape(rng, n, 1, 4), [rng.randint(1, 4)]])
        return make(_var([2, 3] + _rand_shape(rng, n, 3, 9)), size)

    return _adaptive


for _n in (1, 2, 3):
    _adaptive_case(f"nn.adaptive_max_pool{_n}d", _n, getattr(relay.nn, f"adaptive_max_pool{_n}d"))
    _adaptive_case(f"nn.adaptive_avg_pool{_n}d", _n, getattr(relay.nn, f"adaptive_avg_pool{_n}d"))


@case("nn.global_avg_pool2d")
def _global_avg_pool2d(rng):
    return relay.nn.global_avg_pool2d(_var(_rand_shape(rng, 4)), rng.choice(["NCHW", "NHWC"]))


@case("nn.global_max_pool2d")
def _global_max_pool2d(rng):
    return relay.nn.global_max_pool2d(_var(_rand_shape(rng, 4)))


@case("nn.upsampling")
def _upsampling(rng):
    return relay.nn.upsampling(_var(_rand_shape(rng, 4, 1, 9)), rng.choice([1, 2, 1.5, 0.5]),
                               rng.choice([2, 3, 2.5]), rng.choice(["NCHW", "NHWC"]))


@case("nn.upsampling3d")
def _upsampling3d(rng):
    return relay.nn.upsampling3d(_var(_rand_shape(rng, 5, 1, 9)), 2, 1.5, 0.5)


@case("nn.dense")
def _dense(rng):
    s = _rand_shape(rng, rng.randint(2, 3))
    return relay.nn.dense(_var(s), _var([rng.randint(1, 9), s[-1]], name="w"))


@case("nn.matmul")
def _matmul(rng):
    m, k, n = _rand_shape(rng, 3)
    ta, tb = rng.choice([True, False]), rng.choice([True, False])
    return relay.nn.matmul(_var([k, m] if ta else [m, k]), _var([n, k] if tb else [k, n], name="w"),
                           transpose_a=ta, transpose_b=tb)


@case("nn.contrib_dense_pack")
def _dense_pack(rng):
    s = _rand_shape(rng, 2)
    return relay.nn.contrib_dense_pack(_var(s), _var([rng.randint(1, 4), s[1], 4], name="w"), "NC4n")


@case("nn.batch_matmul")
def _batch_matmul(rng):
    b, m, k, n = _rand_shape(rng, 4)
    ta, tb = rng.choice([True, False]), rng.choice([True, False])
    bx, by = rng.choice([(b, b), (1, b), (b, 1)])
    return relay.nn.batch_matmul(_var([bx, k, m] if ta else [bx, m, k]), _var([by, n, k] if tb else [by, k, n], name="y"),
                                 transpose_a=ta, transpose_b=tb)


@case("nn.pad")
def _pad(rng):
    s = _rand_shape(rng, 3)
    return relay.nn.pad(_var(s), [(rng.randint(0, 3), rng.randint(0, 3)) for _ in s])


@case("nn.mirror_pad")
def _mirror_pad(rng):
    s = _rand_shape(rng, 3, 3, 6)
    return relay.nn.mirror_pad(_var(s), [(rng.randint(0, 2), rng.randint(0, 2)) for _ in s])


@case("nn.dilate")
def _dilate(rng):
    return relay.nn.dilate(_var(_rand_shape(rng, 3)), _rand_shape(rng, 3, 1, 4))


@case("nn.batch_flatten")
def _batch_flatten(rng):
    return relay.nn.batch_flatten(_var(_rand_shape(rng, rng.randint(2, 5))))


@case("nn.depth_to_space")
def _depth_to_space(rng):
    b = rng.randint(1, 3)
    layout = rng.choice(["NCHW", "NHWC"])
    s = [1, 4 * b * b, 3, 5] if layout == "NCHW" else [1, 3, 5, 4 * b * b]
    return relay.nn.depth_to_space(_var(s), b, layout)


@case("nn.space_to_depth")
def _space_to_depth(rng):
    b = rng.randint(1, 3)
    return relay.nn.space_to_depth(_var([1, 3, 2 * b, 4 * b]), b)


@case("nn.space_to_batch_nd")
def _space_to_batch_nd(rng):
    return relay.nn.space_to_batch_nd(_var([2, 5, 6, 3]), [2, 3], [[1, 0], [0, 3]])


@case("nn.batch_to_space_nd")
def _batch_to_space_nd(rng):
    return relay.nn.batch_to_space_nd(_var([12, 3, 4, 3]), [2, 3], [[1, 0], [0, 2]])


@case("nn.bitpack")
def _bitpack(rng):
    return relay.nn.bitpack(_var([1, 64, 5, 5], "int16"), bits=2, pack_axis=1, bit_axis=rng.choice([2, -1]),
                            pack_type=rng.choice(["uint32", "uint8"]))


@case("nn.bitserial_dense")
def _bitserial_dense(rng):
    return relay.nn.bitserial_dense(_var([rng.randint(1, 5), 32], "int16"), _var([rng.randint(1, 9), 32], "int16", "w"))


@case("nn.bitserial_conv2d")
def _bitserial_conv2d(rng):
    h = rng.randint(5, 9)
    return relay.nn.bitserial_conv2d(_var([1, 8, h, h + 1], "int16"), _var([16, 8, 3, 3], "int16", "w"),
                                     padding=(1, 0), channels=16, kernel_size=(3, 3), out_dtype="int16")


@case("nn.nll_loss")
def _nll_loss(rng):
    n, c = _rand_shape(rng, 2)
    return relay.nn.nll_loss(_var([n, c, 3]), _var([n, 3], "int32", "t"), _var([c], name="w"),
                             rng.choice(["none", "mean", "sum"]))


@case("nn.cross_entropy")
def _cross_entropy(rng):
    s = _rand_shape(rng, 2)
    return relay.nn.cross_entropy(_var(s), _var(s, name="y"))


# ---------------------------------------------------------------- cases: image and vision

@case("image.resize2d")
def _resize2d(rng):
    layout = rng.choice(["NCHW", "NHWC"])
    return relay.image.resize2d(_var(_rand_shape(rng, 4)), _rand_shape(rng, 2, 1, 20), layout=layout)


@case("image.resize1d")
def _resize1d(rng):
    return relay.image.resize1d(_var(_rand_shape(rng, 3)), [rng.randint(1, 20)])


@case("image.resize3d")
def _resize3d(rng):
    return relay.image.resize3d(_var(_rand_shape(rng, 5)), _rand_shape(rng, 3, 1, 9))


@case("image.crop_and_resize")
def _crop_and_resize(rng):
    n = rng.randint(1, 5)
    layout = rng.choice(["NCHW", "NHWC"])
    return relay.image.crop_and_resize(_var([2, 3, 8, 8]), _var([n, 4], name="b"), _var([n], "int32", "i"),
                                       _rand_shape(rng, 2, 1, 9), layout)


@case("image.affine_grid")
def _affine_grid(rng):
    return relay.image.affine_grid(_var([rng.randint(1, 4), 2, 3]), _rand_shape(rng, 2, 1, 9))


@case("image.grid_sample")
def _grid_sample(rng):
    return relay.image.grid_sample(_var([2, 3, 8, 8]), _var([2, 2] + _rand_shape(rng, 2, 1, 9), name="g"))


@case("vision.multibox_prior")
def _multibox_prior(rng):
    return relay.vision.multibox_prior(_var([1, 3] + _rand_shape(rng, 2, 1, 9)), sizes=(1.0, 0.5), ratios=(1.0, 2.0, 0.5))


@case("vision.multibox_transform_loc")
def _multibox_transform_loc(rng):
    n = rng.randint(1, 9)
    return relay.vision.multibox_transform_loc(_var([1, 3, n]), _var([1, 4 * n], name="l"),
                                               _var([1, n, 4], name="a")).astuple()


@case("vision.get_valid_counts")
def _get_valid_counts(rng):
    return relay.vision.get_valid_counts(_var([rng.randint(1, 3), rng.randint(1, 9), 6]), 0.5).astuple()


@case("vision.non_max_suppression")
def _non_max_suppression(rng):
    b, n = rng.randint(1, 3), rng.randint(1, 9)
    out = relay.vision.non_max_suppression(_var([b, n, 6]), _var([b], "int32", "v"), _var([b, n], "int32", "i"),
                                           return_indices=rng.choice([True, False]))
    return out.astuple() if isinstance(out, relay.TupleWrapper) else out


@case("vision.all_class_non_max_suppression")
def _all_class_nms(rng):
    b, c, n = _rand_shape(rng, 3)
    out = relay.vision.all_class_non_max_suppression(_var([b, n, 4]), _var([b, c, n], name="s"), 3, 0.5, 0.1,
                                                     output_format=rng.choice(["onnx", "tensorflow"]))
    return out.astuple() if isinstance(out, relay.TupleWrapper) else out


@case("vision.roi_align")
def _roi_align(rng):
    layout = rng.choice(["NCHW", "NHWC"])
    return relay.vision.roi_align(_var([1, 3, 8, 8]), _var([rng.randint(1, 5), 5], name="r"),
                                  _rand_shape(rng, 2, 1, 5), 1.0, layout=layout)


@case("vision.roi_pool")
def _roi_pool(rng):
    return relay.vision.roi_pool(_var([1, 3, 8, 8]), _var([rng.randint(1, 5), 5], name="r"),
                                 _rand_shape(rng, 2, 1, 5), 1.0)


@case("vision.proposal")
def _proposal(rng):
    b, h, w = rng.randint(1, 3), rng.randint(2, 5), rng.randint(2, 5)
    return relay.vision.proposal(_var([b, 6, h, w]), _var([b, 12, h, w], name="bb"), _var([b, 3], name="im"),
                                 [1.0, 2.0, 3.0], [1.0], 16, 0.7, 100, rng.randint(1, 9), 0, False)


@case("vision.yolo_reorg")
def _yolo_reorg(rng):
    s = rng.randint(1, 3)
    return relay.vision.yolo_reorg(_var([1, 3, 2 * s, 4 * s]), s)


# ---------------------------------------------------------------- the tests

@pytest.mark.parametrize("op_name,index", _params())
def test_shape_func_matches_type_inference(op_name, index):
    rng = random.Random(hash((op_name, index)) & 0xFFFF)
    for _ in range(6):
        check_call(CASES[op_name][index](rng), rng)


@pytest.mark.parametrize("op_name,index", _params())
def test_shape_func_builds_symbolic(op_name, index):
    call = _infer(CASES[op_name][index](random.Random(1)))
    build_shape_func(call, symbolic=True)


def test_data_dependent_flags_follow_tvm():
    for name in ["arange", "stft"]:
        assert [bool(d) for d in _op.get(name).get_attr("TShapeDataDependent")] == [True]
    for name in ["reshape", "strided_slice", "concatenate", "sum", "topk", "unique"]:
        assert [bool(d) for d in _op.get(name).get_attr("TShapeDataDependent")] == [False]


def test_squeeze_drops_ones_known_only_at_run_time():
    # squeeze without axes on (Any, 1, 3): the relation keeps Any; at run time the Any is 1
    # too, and the shape function still gives the rank the caller compiled for.
    call = _infer(relay.squeeze(relay.var("x", shape=(relay.Any(), 1, 3))))
    fshape = call.op.get_attr("FShapeFunc")
    x = te.placeholder((3,), "int64")
    (out,) = fshape(call.attrs, [x], [2])
    func = tvm.build(te.create_schedule(out.op), [x, out], "llvm")
    res = tvm.nd.empty((2,), "int64")
    func(tvm.nd.array(np.array([1, 1, 3], "int64")), res)
    assert list(res.numpy()) == [1, 3]


def test_rank_mismatch_is_a_clear_error():
    call = _infer(relay.transpose(_var([2, 3])))
    x = te.placeholder((2,), "int64")
    with pytest.raises(ValueError, match="rank 2, the caller expects 3"):
        call.op.get_attr("FShapeFunc")(call.attrs, [x], [3])


def test_reshape_of_empty_tensor_does_not_trap():
    # -1 with a zero-sized known part at run time: the division must not reach the hardware
    call = _infer(relay.reshape(_var([2, 4]), [0, -1]))
    func, values, _ = build_shape_func(call)
    out = tvm.nd.empty((2,), "int64")
    func(tvm.nd.array(np.array([0, 4], "int64")), out)
    assert out.numpy()[0] == 0  # an empty result (numpy would reject the -1), not a SIGFPE


def test_argwhere_counts_nonzeros_of_any_extent():
    # argwhere is not an operator of every build: call its shape function directly, on a
    # data tensor of symbolic extents
    from tvm.relay.op._transform_shape import argwhere  # pylint: disable=import-outside-toplevel

    n, m = te.var("n", "int64"), te.var("m", "int64")
    data = te.placeholder((n, m), "float32", name="data")
    (out,) = argwhere(None, [data], [2])
    func = tvm.build(te.create_schedule(out.op), [data, out], "llvm")
    for shape in [(3, 4), (1, 7), (5, 1)]:
        x = np.random.default_rng(0).integers(-1, 2, size=shape).astype("float32")
        res = tvm.nd.empty((2,), "int64")
        func(tvm.nd.array(x), res)
        assert list(res.numpy()) == list(np.argwhere(x).shape)


def test_scalar_shape_tensor_zero_d():
    # TVM's compiler passes a scalar's shape as a 0-d tensor rather than a (0,) one: the
    # shape functions here take both
    call = _infer(relay.stack([relay.var("a", shape=()), relay.var("b", shape=())], 0))
    ins = [te.placeholder((), "int64", name=f"s{k}") for k in range(2)]
    (out,) = call.op.get_attr("FShapeFunc")(call.attrs, ins, [1])
    func = tvm.build(te.create_schedule(out.op), ins + [out], "llvm")
    res = tvm.nd.empty((1,), "int64")
    func(tvm.nd.array(np.array(0, "int64")), tvm.nd.array(np.array(0, "int64")), res)
    assert list(res.numpy()) == [2]


def _vm_runs_dynamic_shapes():
    x = relay.var("x", shape=(relay.Any(),))
    try:
        relay.vm.compile(tvm.IRModule.from_expr(relay.Function([x], relay.nn.relu(x))), "llvm")
    except NotImplementedError:
        return False
    return True


def _vm_case(expr, inputs):
    mod = tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(expr), expr))
    vm = tvm.runtime.vm.VirtualMachine(relay.vm.compile(mod, "llvm"), tvm.cpu())
    return vm.invoke("main", *[tvm.nd.array(v) for v in inputs]).numpy()


def test_shape_funcs_drive_the_vm():
    # end to end where the VM compiles relay.Any() shapes: each result's shape comes from
    # these shape functions composed over the fused function
    if not _vm_runs_dynamic_shapes():
        pytest.skip("the VM compiles static shapes only in this build")
    any_ = relay.Any()
    rng = np.random.default_rng(0)
    x = relay.var("x", shape=(any_, any_, 4))
    xv = rng.standard_normal((3, 5, 4)).astype("float32")
    cases = [
        (relay.reshape(x, [0, -1]), lambda a: a.reshape(3, -1)),
        (relay.transpose(x, [2, 0, 1]), lambda a: a.transpose(2, 0, 1)),
        (relay.concatenate([x, x], 1), lambda a: np.concatenate([a, a], 1)),
        (relay.strided_slice(x, [1, 0], [3, 4], [1, 2]), lambda a: a[1:3, 0:4:2]),
        (relay.sum(x, axis=[1]), lambda a: a.sum(1)),
        (relay.squeeze(relay.expand_dims(x, 1), [1]), lambda a: a),
        (relay.tile(x, [2, 1, 1]), lambda a: np.tile(a, [2, 1, 1])),
        # the same operator twice in one fused function, and shapes through several operators
        (relay.transpose(relay.transpose(x, [1, 0, 2]), [2, 1, 0]), lambda a: a.transpose(1, 0, 2).transpose(2, 1, 0)),
        (relay.strided_slice(relay.concatenate([x, x], 0), [2], [5]), lambda a: np.concatenate([a, a])[2:5]),
        (relay.nn.pad(relay.nn.relu(relay.nn.pad(x, [(1, 0), (0, 2), (0, 0)])), [(0, 1), (1, 1), (0, 0)]),
         lambda a: np.pad(np.maximum(np.pad(a, [(1, 0), (0, 2), (0, 0)]), 0), [(0, 1), (1, 1), (0, 0)])),
        (relay.nn.batch_flatten(relay.nn.relu(x)), lambda a: np.maximum(a, 0).reshape(3, -1)),
    ]
    for expr, ref in cases:
        np.testing.assert_allclose(_vm_case(expr, [xv]), ref(xv), rtol=1e-5, atol=1e-6)
    image = relay.var("image", shape=(1, 3, any_, any_))
    weight = relay.var("weight", shape=(4, 3, 3, 3))
    iv = rng.standard_normal((1, 3, 9, 7)).astype("float32")
    wv = rng.standard_normal((4, 3, 3, 3)).astype("float32")
    pooled = relay.nn.max_pool2d(relay.nn.conv2d(image, weight, padding=(1, 1)), (2, 2), (2, 2))
    out = _vm_case(pooled, [iv, wv])
    assert out.shape == (1, 4, 4, 3)
    # data dependent: arange's length is read from its stop argument at run time
    stop = relay.var("stop", shape=(), dtype="int32")
    counted = relay.arange(relay.const(2, "int32"), stop, relay.const(3, "int32"), dtype="int32")
    for n in [2, 3, 11]:
        np.testing.assert_array_equal(_vm_case(counted, [np.array(n, "int32")]), np.arange(2, n, 3, dtype="int32"))


def test_vm_names_an_operator_without_shape_function():
    # every operator has one now, so take softmax's away for the duration of the test
    if not _vm_runs_dynamic_shapes():
        pytest.skip("the VM compiles static shapes only in this build")
    op = _op.get("nn.softmax")
    saved = op.get_attr("FShapeFunc"), op.get_attr("TShapeDataDependent")
    op.reset_attr("FShapeFunc")
    op.reset_attr("TShapeDataDependent")
    try:
        x = relay.var("x", shape=(relay.Any(), 4))
        mod = tvm.IRModule.from_expr(relay.Function([x], relay.nn.softmax(x)))
        with pytest.raises(NotImplementedError, match="operator nn.softmax has no shape function"):
            relay.vm.compile(mod, "llvm")
    finally:
        _op.register_shape_func("nn.softmax", list(saved[1]), saved[0])
    assert op.get_attr("FShapeFunc") is not None
