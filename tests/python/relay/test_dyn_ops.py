# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The dyn.* operators: type relations, the relay.* wrappers' dispatch, computes and shape
functions. Runs go through the debug executor, which builds each call's kernel for the shape
its shape function computes; shape functions are also built and run alone, and computes are
built once for symbolic output shapes and run at several sizes."""
import numpy as np
import pytest

import tvm
import tvm.testing
from tvm import relay, te, tir
from tvm.relay.op import dyn  # noqa: F401 (registers the computes)


def infer(expr):
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(expr))
    return mod["main"].body.checked_type


def ty(shape, dtype="float32"):
    return relay.TensorType([relay.Any() if d is None else d for d in shape], dtype)


def run(params, body, *args):
    func = relay.Function(params, body)
    mod = tvm.IRModule.from_expr(func)
    out = relay.create_executor("debug", mod=mod, device=tvm.cpu(), target="llvm").evaluate()(*args)
    if isinstance(out, (list, tuple, tvm.runtime.container.ADT)):
        return [o.numpy() for o in out]
    return out.numpy()


def shape_var(name, n, dtype="int64"):
    return relay.var(name, shape=(n,), dtype=dtype)


# ---------------------------------------------------------------- dispatch and relations


def test_wrappers_build_dyn_ops_for_tensor_arguments():
    x = relay.var("x", shape=(2, 3, 4))
    s = shape_var("s", 2)
    assert relay.reshape(x, s).op.name == "dyn.reshape"
    assert relay.reshape(x, relay.const([4, 6])).op.name == "reshape"
    assert relay.broadcast_to(x, shape_var("b", 4)).op.name == "dyn.broadcast_to"
    assert relay.zeros(s, "float32").op.name == "dyn.zeros"
    assert relay.ones(s, "float32").op.name == "dyn.ones"
    assert relay.full(relay.const(1.0), s, "float32").op.name == "dyn.full"
    assert relay.tile(x, shape_var("r", 3)).op.name == "dyn.tile"
    assert relay.expand_dims(x, relay.var("a", shape=(), dtype="int32")).op.name == "dyn.expand_dims"
    assert relay.squeeze(x, shape_var("a", 1)).op.name == "dyn.squeeze"
    k = relay.var("k", shape=(), dtype="int32")
    assert relay.topk(x, k).astuple().op.name == "dyn.topk"
    assert relay.topk(x, relay.const(2), ret_type="values").op.name == "topk"
    idx = relay.var("i", shape=(3,), dtype="int32")
    assert relay.one_hot(idx, relay.const(1), relay.const(0), k, -1, "int32").op.name == "dyn.one_hot"
    assert relay.one_hot(idx, relay.const(1), relay.const(0), relay.const(4), -1, "int32").op.name == "one_hot"
    img = relay.var("img", shape=(1, 3, 4, 4))
    assert relay.image.resize2d(img, shape_var("size", 2)).op.name == "dyn.image.resize2d"
    assert relay.image.resize2d(img, (8, 8)).op.name == "image.resize2d"
    pad = relay.var("p", shape=(4, 2), dtype="int64")
    assert relay.nn.pad(img, pad).op.name == "dyn.nn.pad"
    scale = relay.var("sc", shape=(), dtype="float64")
    assert relay.nn.upsampling(img, scale, 2.0).op.name == "dyn.nn.upsampling"
    assert relay.nn.upsampling(img, relay.const(2.0), 2.0).op.name == "nn.upsampling"
    vol = relay.var("v", shape=(1, 1, 2, 2, 2))
    assert relay.nn.upsampling3d(vol, scale, 1.0, 1.0).op.name == "dyn.nn.upsampling3d"
    # strided_slice: the begin of a dynamic slice is normalised (negative and past-the-end values)
    sl = relay.strided_slice(x, shape_var("b", 2), shape_var("e", 2), [1, 1])
    assert sl.op.name == "dyn.strided_slice"
    assert relay.sparse_to_dense(idx, relay.const([5]), relay.const(1.0)).op.name == "dyn.sparse_to_dense"


def test_relations():
    x = relay.var("x", shape=(2, 3, 4))
    s = shape_var("s", 2)
    assert infer(relay.Function([x, s], relay.reshape(x, s))) == ty((None, None))
    assert infer(relay.Function([x, s], relay.broadcast_to(x, shape_var("b", 4)))) == ty((None,) * 4)
    assert infer(relay.Function([s], relay.zeros(s, "int8"))) == ty((None, None), "int8")
    v = relay.var("v", shape=(), dtype="int32")
    assert infer(relay.Function([v, s], relay.full(v, s))) == ty((None, None), "int32")
    assert infer(relay.Function([v, s], relay.full(v, s, "float16"))) == ty((None, None), "float16")
    r = shape_var("r", 5)
    assert infer(relay.Function([x, r], relay.tile(x, r))) == ty((None,) * 5)
    a = relay.var("a", shape=(), dtype="int32")
    assert infer(relay.Function([x, a], relay.expand_dims(x, a, 2))) == ty((None,) * 5)
    ax = shape_var("ax", 1)
    assert infer(relay.Function([x, ax], relay.squeeze(x, ax))) == ty((None, None))
    idx = relay.var("i", shape=(3, 5), dtype="int32")
    k = relay.var("k", shape=(), dtype="int32")
    f = relay.Function([idx, k], relay.one_hot(idx, relay.const(1.0), relay.const(0.0), k, 1, "float32"))
    assert infer(f) == ty((3, None, 5))
    data = relay.var("d", shape=(4, 5, 6))
    b = shape_var("b", 2)
    assert infer(relay.Function([data, b], relay.strided_slice(data, b, b, b))) == ty((None, None, 6))
    out = relay.topk(data, k, axis=1, dtype="int64").astuple()
    assert infer(relay.Function([data, k], out)) == relay.TupleType([ty((4, None, 6)), ty((4, None, 6), "int64")])
    img = relay.var("img", shape=(1, 3, 4, 4))
    nhwc = relay.var("nhwc", shape=(1, 4, 4, 3))
    size = shape_var("size", 2)
    assert infer(relay.Function([img, size], relay.image.resize2d(img, size))) == ty((1, 3, None, None))
    assert infer(relay.Function([nhwc, size], relay.image.resize2d(nhwc, size, layout="NHWC"))) == ty(
        (1, None, None, 3))
    sc = relay.var("sc", shape=(), dtype="float32")
    assert infer(relay.Function([nhwc, sc], relay.nn.upsampling(nhwc, sc, sc, layout="NHWC"))) == ty(
        (1, None, None, 3))
    vol = relay.var("vol", shape=(1, 2, 3, 4, 5))
    assert infer(relay.Function([vol, sc], relay.nn.upsampling3d(vol, sc, sc, sc))) == ty((1, 2, None, None, None))
    pw = relay.var("pw", shape=(4, 2), dtype="int32")
    assert infer(relay.Function([img, pw], relay.nn.pad(img, pw, 1.0))) == ty((None,) * 4)
    ind = relay.var("ind", shape=(3, 2), dtype="int32")
    vals = relay.var("vals", shape=(3,), dtype="float32")
    osh = shape_var("osh", 2)
    assert infer(relay.Function([ind, vals, osh], relay.sparse_to_dense(ind, osh, vals))) == ty((None, None))


def _type_error(func, *needles):
    with pytest.raises(tvm.error.TVMError) as err:
        infer(func)
    for n in needles:
        assert n in str(err.value), str(err.value)


def test_relation_errors_name_op_and_argument():
    x = relay.var("x", shape=(2, 3))
    dyn_len = relay.var("s", ty((None,), "int64"))
    _type_error(relay.Function([x, dyn_len], relay.reshape(x, dyn_len)), "dyn.reshape", "newshape", "(?,)")
    two_d = relay.var("s2", shape=(2, 2), dtype="int64")
    _type_error(relay.Function([x, two_d], relay.broadcast_to(x, two_d)), "dyn.broadcast_to", "shape", "1-D")
    short = shape_var("s1", 1)
    _type_error(relay.Function([x, short], relay.broadcast_to(x, short)), "dyn.broadcast_to", "rank 1")
    k = relay.var("k", shape=(2,), dtype="int32")
    _type_error(relay.Function([x, k], relay.topk(x, k).astuple()), "dyn.topk", "k must be a scalar")
    pw = relay.var("pw", shape=(3, 2), dtype="int32")
    _type_error(relay.Function([x, pw], relay.nn.pad(x, pw)), "dyn.nn.pad", "pad_width", "(2, 2)")
    b = shape_var("b", 3)
    call = dyn._make.strided_slice(x, b, b, b, "end")  # the wrapper's begin normalisation would object first
    _type_error(relay.Function([x, b], call), "dyn.strided_slice", "begin has 3")
    a = relay.var("a", shape=(1,), dtype="int32")
    _type_error(relay.Function([x, a], relay.expand_dims(x, a)), "dyn.expand_dims", "axis must be a scalar")
    fill = relay.var("f", shape=(2,))
    s = shape_var("s", 2)
    _type_error(relay.Function([fill, s], relay.full(fill, s)), "dyn.full", "fill_value must be a scalar")


# ---------------------------------------------------------------- numeric runs (debug executor)


@pytest.mark.parametrize(
    "shape,newshape,allowzero",
    [((2, 3, 4), (6, 4), False), ((2, 3, 4), (-1, 4), False), ((2, 3, 4), (0, -1), False),
     ((2, 3, 4), (-3, 4), False), ((2, 3, 4, 5), (-3, -3), False), ((2, 3, 4), (4, 0, 2), False),
     ((2, 0, 4), (0, 4), True), ((6,), (1, -1, 2), False)],
)
def test_reshape(shape, newshape, allowzero):
    x = relay.var("x", shape=shape)
    s = shape_var("s", len(newshape))
    data = np.random.uniform(size=shape).astype("float32")
    out = run([x, s], relay.reshape(x, s, allowzero), data, np.array(newshape, "int64"))
    # numpy has no 0 (copy) or -3 (merge): the expected shape is spelled out
    dims, src, expect = list(shape), 0, []
    for v in newshape:
        if v == 0:
            expect.append(0 if allowzero else dims[src])
            src += 1
        elif v == -3:
            expect.append(dims[src] * dims[src + 1])
            src += 2
        else:
            expect.append(v)
            src += 1
    np.testing.assert_array_equal(out, data.reshape(expect))


def test_reshape_one_kernel_many_shapes():
    """The newshape changes between runs of one program; each run gets its own shape."""
    x = relay.var("x", shape=(4, 6))
    s = shape_var("s", 2)
    func = relay.Function([x, s], relay.reshape(x, s))
    ex = relay.create_executor("debug", mod=tvm.IRModule.from_expr(func), device=tvm.cpu(), target="llvm")
    f = ex.evaluate()
    data = np.arange(24, dtype="float32").reshape(4, 6)
    for new in [(3, 8), (12, 2), (24, 1), (-1, 3)]:
        np.testing.assert_array_equal(f(data, np.array(new, "int64")).numpy(), data.reshape(new))


def test_reshape_bad_values_fail_clearly():
    x = relay.var("x", shape=(2, 3))
    s = shape_var("s", 2)
    for bad, needle in [((4, 2), "as many elements"), ((-1, -1), "one -1"), ((-2, 3), "-2 and -4")]:
        with pytest.raises(tvm.error.TVMError, match=needle):
            run([x, s], relay.reshape(x, s), np.zeros((2, 3), "float32"), np.array(bad, "int64"))


@pytest.mark.parametrize("shape,target", [((3, 1), (3, 3)), ((4,), (2, 3, 4)), ((1, 1), (5, 6)), ((2, 1, 3), (2, 4, 3))])
def test_broadcast_to(shape, target):
    x = relay.var("x", shape=shape, dtype="uint8")
    s = shape_var("s", len(target), "int32")
    data = np.random.randint(0, 200, size=shape).astype("uint8")
    np.testing.assert_array_equal(run([x, s], relay.broadcast_to(x, s), data, np.array(target, "int32")),
                                  np.broadcast_to(data, target))


def test_broadcast_to_incompatible_shape_fails():
    x = relay.var("x", shape=(3, 2))
    s = shape_var("s", 2)
    with pytest.raises(tvm.error.TVMError, match="cannot broadcast"):
        run([x, s], relay.broadcast_to(x, s), np.zeros((3, 2), "float32"), np.array([3, 4], "int64"))


@pytest.mark.parametrize("dtype", ["float32", "int64", "int8"])
def test_zeros_ones_full(dtype):
    s = shape_var("s", 3)
    shape = np.array([2, 3, 4], "int64")
    np.testing.assert_array_equal(run([s], relay.zeros(s, dtype), shape), np.zeros((2, 3, 4), dtype))
    np.testing.assert_array_equal(run([s], relay.ones(s, dtype), shape), np.ones((2, 3, 4), dtype))
    v = relay.var("v", shape=(), dtype="float32")
    out = run([v, s], relay.full(v, s, dtype), np.array(7.0, "float32"), shape)
    np.testing.assert_array_equal(out, np.full((2, 3, 4), 7, dtype))


@pytest.mark.parametrize("shape,reps", [((2, 3, 4), (2, 1, 5)), ((4, 7), (4, 2)), ((3,), (2, 2, 2)), ((2, 3), (3,))])
def test_tile(shape, reps):
    x = relay.var("x", shape=shape)
    r = shape_var("r", len(reps), "int32")
    data = np.random.uniform(size=shape).astype("float32")
    np.testing.assert_array_equal(run([x, r], relay.tile(x, r), data, np.array(reps, "int32")), np.tile(data, reps))


@pytest.mark.parametrize("shape,axis,num_newaxis", [((2, 3), 0, 1), ((2, 3), 2, 2), ((2, 3), 1, 1), ((2, 3), -1, 1),
                                                     ((4,), -2, 3)])
def test_expand_dims(shape, axis, num_newaxis):
    x = relay.var("x", shape=shape)
    a = relay.var("a", shape=(), dtype="int32")
    data = np.random.uniform(size=shape).astype("float32")
    out = run([x, a], relay.expand_dims(x, a, num_newaxis), data, np.array(axis, "int32"))
    pos = axis if axis >= 0 else axis + len(shape) + 1
    expect = data.reshape(shape[:pos] + (1,) * num_newaxis + shape[pos:])
    np.testing.assert_array_equal(out, expect)


@pytest.mark.parametrize("axes", [(0,), (3,), (0, 3), (-1,)])
def test_squeeze(axes):
    x = relay.var("x", shape=(1, 3, 4, 1))
    a = shape_var("a", len(axes), "int32")
    data = np.random.uniform(size=(1, 3, 4, 1)).astype("float32")
    np.testing.assert_array_equal(run([x, a], relay.squeeze(x, a), data, np.array(axes, "int32")),
                                  np.squeeze(data, axes))


def test_squeeze_of_a_long_axis_fails():
    x = relay.var("x", shape=(1, 3))
    a = shape_var("a", 1)
    with pytest.raises(tvm.error.TVMError, match="extent is not 1"):
        run([x, a], relay.squeeze(x, a), np.zeros((1, 3), "float32"), np.array([1], "int64"))


@pytest.mark.parametrize("indices_shape,depth,axis", [((3,), 4, -1), ((2, 2), 5, 0), ((2, 3), 3, 1), ((3, 2, 4), 6, 2)])
def test_one_hot(indices_shape, depth, axis):
    idx = relay.var("i", shape=indices_shape, dtype="int32")
    d = relay.var("d", shape=(), dtype="int32")
    indices = np.random.randint(0, depth, size=indices_shape).astype("int32")
    out = run([idx, d], relay.one_hot(idx, relay.const(3.0), relay.const(-1.0), d, axis, "float32"), indices,
              np.array(depth, "int32"))
    expect = np.where(np.expand_dims(indices, -1) == np.arange(depth), 3.0, -1.0).astype("float32")
    np.testing.assert_array_equal(out, np.moveaxis(expect, -1, axis))


def _np_slice(data, begin, end, strides, size_mode):
    slices = []
    for i in range(len(begin)):
        s = strides[i] if len(strides) > 1 else strides[0]
        if size_mode:
            e = data.shape[i] if end[i] < 0 else begin[i] + end[i]
            slices.append(slice(begin[i], e, 1))
        else:
            slices.append(slice(begin[i], end[i], s))
    return data[tuple(slices)]


@pytest.mark.parametrize(
    "shape,begin,end,strides,mode",
    [((3, 4, 3), [1, 1, 0], [4, 4, 3], [2, 1, 1], "end"), ((3, 4, 3), [0, 0, 0], [4, -5, 4], [1, -1, 2], "end"),
     ((3, 4, 3), [1, -1, 0], [2, -3, 3], [1, -1, 1], "end"), ((3, 4, 3), [1, 1], [4, 1000], [1], "end"),
     ((3, 4, 3), [-2, 0, 0], [3, 3, 3], [1, 1, 1], "end"), ((3, 4, 3), [1, 0, 0], [-1, 2, 3], [1, 1, 1], "size"),
     ((10,), [8], [1], [-3], "end"), ((5, 6), [0, 2], [5, 2], [1, 1], "end")],
)
def test_strided_slice(shape, begin, end, strides, mode):
    x = relay.var("x", shape=shape)
    b, e, s = shape_var("b", len(begin)), shape_var("e", len(end)), shape_var("st", len(strides))
    data = np.random.uniform(size=shape).astype("float32")
    out = run([x, b, e, s], relay.strided_slice(x, b, e, s, slice_mode=mode), data, np.array(begin, "int64"),
              np.array(end, "int64"), np.array(strides, "int64"))
    np.testing.assert_array_equal(out, _np_slice(data, begin, end, strides, mode == "size"))


def test_strided_slice_zero_stride_fails():
    x = relay.var("x", shape=(4,))
    b = shape_var("b", 1)
    with pytest.raises(tvm.error.TVMError, match="stride is 0"):
        run([x, b], relay.strided_slice(x, b, b, b), np.zeros(4, "float32"), np.array([0], "int64"))


@pytest.mark.parametrize(
    "indices,values,default,shape",
    [([0, 1, 4], [3, 3, 3], 0, [5]), ([[0, 0], [1, 2]], [1.5, 2.5], 0.5, [3, 4]), (1, 3, 0, [5]),
     ([[0, 0, 0], [1, 2, 3]], [1, 2], 4, [2, 3, 4])],
)
def test_sparse_to_dense(indices, values, default, shape):
    indices, values = np.array(indices, "int32"), np.array(values)
    values = values.astype("float32" if values.dtype.kind == "f" else "int32")
    a = relay.var("a", shape=indices.shape, dtype="int32")
    v = relay.var("v", shape=values.shape, dtype=str(values.dtype))
    s = shape_var("s", len(shape))
    out = run([a, v, s], relay.sparse_to_dense(a, s, v, relay.const(default, str(values.dtype))), indices, values,
              np.array(shape, "int64"))
    expect = np.full(shape, default, dtype=values.dtype)
    if indices.ndim == 0:
        expect[indices] = values
    elif indices.ndim == 1:
        expect[indices] = values
    else:
        for row, val in zip(indices, values):
            expect[tuple(row)] = val
    np.testing.assert_array_equal(out, expect)


@pytest.mark.parametrize("k", [0, 1, 5, 200])
@pytest.mark.parametrize("axis", [0, -1])
@pytest.mark.parametrize("is_ascend", [False, True])
def test_topk(k, axis, is_ascend):
    shape = (20, 100)
    x = relay.var("x", shape=shape)
    kv = relay.var("k", shape=(), dtype="int32")
    data = np.random.uniform(size=shape).astype("float32")
    values, indices = run([x, kv], relay.topk(x, kv, axis, "both", is_ascend, "int64").astuple(), data,
                          np.array(k, "int32"))
    order = np.argsort(data if is_ascend else -data, axis=axis, kind="stable")
    n = shape[axis] if k < 1 else min(k, shape[axis])
    order = np.take(order, np.arange(n), axis=axis)
    np.testing.assert_array_equal(indices, order)
    np.testing.assert_array_equal(values, np.take_along_axis(data, order, axis=axis))
    only = run([x, kv], relay.topk(x, kv, axis, "values", is_ascend), data, np.array(k, "int32"))
    np.testing.assert_array_equal(only, values)


def _resize_nearest(data, size, layout):
    """Nearest neighbour with asymmetric coordinates: out[i] = in[floor(i * in / out)]."""
    h, w = layout.index("H"), layout.index("W")
    rows = np.floor(np.arange(size[0]) * data.shape[h] / size[0]).astype(int)
    cols = np.floor(np.arange(size[1]) * data.shape[w] / size[1]).astype(int)
    return np.take(np.take(data, rows, axis=h), cols, axis=w)


@pytest.mark.parametrize("layout", ["NCHW", "NHWC"])
def test_resize2d(layout):
    shape = (1, 3, 4, 5) if layout == "NCHW" else (1, 4, 5, 3)
    x = relay.var("x", shape=shape)
    size = relay.var("size", shape=(2,), dtype="float32")  # TVM's tests feed float sizes too
    data = np.random.uniform(size=shape).astype("float32")
    body = relay.image.resize2d(x, size, None, layout, "nearest_neighbor", "asymmetric", "floor")
    for out_size in [(8, 10), (2, 3), (7, 5)]:
        out = run([x, size], body, data, np.array(out_size, "float32"))
        np.testing.assert_array_equal(out, _resize_nearest(data, out_size, layout))


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect"])
def test_pad(mode):
    x = relay.var("x", shape=(3, 4), dtype="int32")
    pw = relay.var("pw", shape=(2, 2), dtype="int64")
    data = np.arange(12, dtype="int32").reshape(3, 4)
    widths = [[1, 2], [2, 0]]
    out = run([x, pw], relay.nn.pad(x, pw, 9, mode), data, np.array(widths, "int64"))
    if mode == "constant":
        expect = np.pad(data, widths, "constant", constant_values=9)
    else:
        expect = np.pad(data, widths, mode)
    np.testing.assert_array_equal(out, expect)


def test_pad_value_tensor():
    x = relay.var("x", shape=(2, 2, 2), dtype="float64")
    pw = relay.var("pw", shape=(3, 2), dtype="int32")
    pv = relay.var("pv", shape=(), dtype="float64")
    data = np.random.uniform(size=(2, 2, 2))
    widths = [[0, 1], [1, 1], [2, 0]]
    out = run([x, pw, pv], relay.nn.pad(x, pw, pv), data, np.array(widths, "int32"), np.array(-4.5))
    np.testing.assert_array_equal(out, np.pad(data, widths, "constant", constant_values=-4.5))


@pytest.mark.parametrize("layout", ["NCHW", "NHWC"])
def test_upsampling(layout):
    shape = (1, 2, 3, 4) if layout == "NCHW" else (1, 3, 4, 2)
    x = relay.var("x", shape=shape)
    sh, sw = relay.var("sh", shape=(), dtype="float64"), relay.var("sw", shape=(), dtype="float64")
    data = np.random.uniform(size=shape).astype("float32")
    out = run([x, sh, sw], relay.nn.upsampling(x, sh, sw, layout), data, np.array(2.0), np.array(3.0))
    h, w = layout.index("H"), layout.index("W")
    np.testing.assert_array_equal(out, np.repeat(np.repeat(data, 2, axis=h), 3, axis=w))


def test_upsampling3d():
    shape = (1, 2, 2, 3, 2)
    x = relay.var("x", shape=shape, dtype="int32")
    sd, sh, sw = (relay.var(n, shape=(), dtype="float32") for n in ("sd", "sh", "sw"))
    data = np.random.randint(0, 100, size=shape).astype("int32")
    body = relay.nn.upsampling3d(x, sd, sh, sw, coordinate_transformation_mode="asymmetric")
    out = run([x, sd, sh, sw], body, data, np.array(2.0, "float32"), np.array(1.0, "float32"),
              np.array(3.0, "float32"))
    np.testing.assert_array_equal(out, np.repeat(np.repeat(data, 2, axis=2), 3, axis=4))


@pytest.mark.parametrize("shape,ids,num", [((4, 3), [0, 0, 2, 1], None), ((5,), [1, 1, 0], None),
                                           ((3, 2, 2), [2, 0, 0], 4), ((4, 2), [1, 0], None)])
def test_segment_sum_with_run_time_count(shape, ids, num):
    """Without num_segments (or with dynamic shapes) segment_sum is built from dyn ops."""
    d = relay.var("d", shape=[relay.Any()] * len(shape))
    s = relay.var("s", shape=[relay.Any()], dtype="int32")
    data = np.random.uniform(size=shape).astype("float32")
    ids = np.array(ids, "int32")
    out = run([d, s], relay.segment_sum(d, s, num), data, ids)
    expect = np.zeros(((num or ids.max() + 1),) + shape[1:], "float32")
    for i, v in enumerate(ids):  # rows past the ids are not summed
        expect[v] += data[i]
    np.testing.assert_allclose(out, expect, rtol=1e-6)


# ---------------------------------------------------------------- shape functions alone


def _shape_func(op_name, attrs, inputs, out_ndims):
    fn = relay.op.get(op_name).get_attr("FShapeFunc")
    outs = list(fn(attrs, inputs, out_ndims))
    sch = te.create_schedule([o.op for o in outs])
    return tvm.build(sch, list(inputs) + outs, target="llvm"), outs


def _call(call):
    """The call's attrs (the op's constructor fills the defaults)."""
    return call.attrs


def test_shape_func_reshape_alone():
    x = relay.var("x", shape=(2, 3, 4))
    attrs = _call(relay.reshape(x, shape_var("s", 3)))
    ins = [te.placeholder((3,), "int64", "data_shape"), te.placeholder((3,), "int64", "newshape")]
    f, _ = _shape_func("dyn.reshape", attrs, ins, [3])
    out = tvm.nd.empty((3,), "int64")
    for data_shape, newshape, expect in [((2, 3, 4), (4, -1, 3), (4, 2, 3)), ((5, 6, 7), (0, 7, -1), (5, 7, 6)),
                                         ((1, 1, 24), (-1, 2, 3), (4, 2, 3))]:
        f(tvm.nd.array(np.array(data_shape, "int64")), tvm.nd.array(np.array(newshape, "int64")), out)
        np.testing.assert_array_equal(out.numpy(), expect)


def test_shape_func_strided_slice_and_topk_alone():
    x = relay.var("x", shape=(6, 7))
    attrs = _call(relay.strided_slice(x, shape_var("b", 2), shape_var("e", 2), shape_var("s", 2)))
    ins = [te.placeholder((2,), "int64", "dshape")] + [te.placeholder((2,), "int32", n) for n in "bes"]
    f, _ = _shape_func("dyn.strided_slice", attrs, ins, [2])
    out = tvm.nd.empty((2,), "int64")
    f(tvm.nd.array(np.array([6, 7], "int64")), tvm.nd.array(np.array([-1, 1], "int32")),
      tvm.nd.array(np.array([-7, 100], "int32")), tvm.nd.array(np.array([-2, 3], "int32")), out)
    np.testing.assert_array_equal(out.numpy(), [len(range(6)[-1:-7:-2]), len(range(7)[1:100:3])])

    n = te.size_var("n")
    data = te.placeholder((n, 9), "float32", "data")
    k = te.placeholder((), "int32", "k")
    attrs = _call(relay.topk(relay.var("d", shape=(3, 9)), relay.var("k", shape=(), dtype="int32"), axis=1).astuple())
    f, _ = _shape_func("dyn.topk", attrs, [data, k], [2, 2])
    vals, idx = tvm.nd.empty((2,), "int64"), tvm.nd.empty((2,), "int64")
    f(tvm.nd.array(np.zeros((5, 9), "float32")), tvm.nd.array(np.array(4, "int32")), vals, idx)
    np.testing.assert_array_equal(vals.numpy(), [5, 4])
    np.testing.assert_array_equal(idx.numpy(), [5, 4])
    f(tvm.nd.array(np.zeros((3, 9), "float32")), tvm.nd.array(np.array(0, "int32")), vals, idx)
    np.testing.assert_array_equal(vals.numpy(), [3, 9])


def test_every_dyn_op_has_compute_schedule_and_shape_func():
    names = ["dyn.reshape", "dyn.broadcast_to", "dyn.strided_slice", "dyn.topk", "dyn.full", "dyn.zeros", "dyn.ones",
             "dyn.tile", "dyn.one_hot", "dyn.expand_dims", "dyn.squeeze", "dyn.sparse_to_dense", "dyn.image.resize2d",
             "dyn.nn.pad", "dyn.nn.upsampling", "dyn.nn.upsampling3d"]
    for name in names:
        op = relay.op.get(name)
        for attr in ["FTVMCompute", "FTVMSchedule", "FShapeFunc", "TShapeDataDependent", "TOpPattern"]:
            assert op.get_attr(attr) is not None, (name, attr)


# ---------------------------------------------------------------- computes with symbolic output shapes


def test_compute_with_symbolic_shape_runs_at_many_sizes():
    """dyn.tile compiled once for an output of symbolic shape (n, m), run for several reps."""
    data = te.placeholder((2, 3), "float32", "data")
    reps = te.placeholder((2,), "int64", "reps")
    n, m = te.size_var("n"), te.size_var("m")
    attrs = _call(relay.tile(relay.var("x", shape=(2, 3)), shape_var("r", 2)))
    out = relay.op.get("dyn.tile").get_attr("FTVMCompute")(attrs, [data, reps], relay.TensorType((n, m), "float32"))
    out = out[0]
    sch = te.create_schedule(out.op)
    f = tvm.build(sch, [data, reps, out], target="llvm")
    x = np.random.uniform(size=(2, 3)).astype("float32")
    for r in [(1, 1), (2, 3), (4, 1)]:
        res = tvm.nd.empty((2 * r[0], 3 * r[1]), "float32")
        f(tvm.nd.array(x), tvm.nd.array(np.array(r, "int64")), res)
        np.testing.assert_array_equal(res.numpy(), np.tile(x, r))


def test_strided_slice_compute_with_symbolic_shape():
    data = te.placeholder((8, 5), "float32", "data")
    begin, end, strides = (te.placeholder((2,), "int64", n) for n in ("b", "e", "s"))
    n, m = te.size_var("n"), te.size_var("m")
    attrs = _call(relay.strided_slice(relay.var("x", shape=(8, 5)), shape_var("b", 2), shape_var("e", 2),
                                      shape_var("s", 2)))
    compute = relay.op.get("dyn.strided_slice").get_attr("FTVMCompute")
    out = compute(attrs, [data, begin, end, strides], relay.TensorType((n, m), "float32"))[0]
    schedule = relay.op.get("dyn.strided_slice").get_attr("FTVMSchedule")
    sch = schedule(attrs, [out], tvm.target.Target("llvm"))
    f = tvm.build(sch, [data, begin, end, strides, out], target="llvm")
    x = np.random.uniform(size=(8, 5)).astype("float32")
    for b, e, s in [((7, 0), (0, 5), (-2, 2)), ((1, 1), (8, 4), (3, 1))]:
        expect = x[b[0]:e[0]:s[0], b[1]:e[1]:s[1]]
        res = tvm.nd.empty(expect.shape, "float32")
        f(tvm.nd.array(x), *(tvm.nd.array(np.array(v, "int64")) for v in (b, e, s)), res)
        np.testing.assert_array_equal(res.numpy(), expect)


def test_compute_accepts_any_dims():
    """Called on an inferred type (relay.Any() dims), the compute gives its dims variables."""
    x = relay.var("x", shape=(2, 3))
    s = shape_var("s", 2)
    call = relay.reshape(x, s)
    out_type = infer(relay.Function([x, s], call))
    data, shape = te.placeholder((2, 3), "float32"), te.placeholder((2,), "int64")
    out = relay.op.get("dyn.reshape").get_attr("FTVMCompute")(call.attrs, [data, shape], out_type)[0]
    assert len(out.shape) == 2 and all(isinstance(d, tir.Var) for d in out.shape)


if __name__ == "__main__":
    tvm.testing.main()


def _calls():
    """One call of each dyn op, with the types of its arguments."""
    x = relay.var("x", shape=(2, 3, 4))
    s2, s3 = shape_var("s2", 2), shape_var("s3", 3)
    k = relay.var("k", shape=(), dtype="int32")
    img = relay.var("img", shape=(1, 3, 4, 4))
    vol = relay.var("vol", shape=(1, 1, 2, 2, 2))
    sc = relay.var("sc", shape=(), dtype="float64")
    idx = relay.var("idx", shape=(3,), dtype="int32")
    vals = relay.var("vals", shape=(3,))
    return [
        relay.reshape(x, s2), relay.broadcast_to(x, s3), relay.zeros(s2, "float32"), relay.ones(s3, "int32"),
        relay.full(relay.const(2.0), s2), relay.tile(x, s3), relay.expand_dims(x, k), relay.squeeze(x, shape_var("a", 1)),
        relay.one_hot(idx, relay.const(1.0), relay.const(0.0), k, -1, "float32"),
        dyn._make.strided_slice(x, s2, s2, s2, "end"), relay.sparse_to_dense(idx, s2, vals, relay.const(0.0)),
        relay.topk(x, k, axis=1).astuple(), relay.image.resize2d(img, shape_var("size", 2)),
        relay.nn.pad(img, relay.var("pw", shape=(4, 2), dtype="int64")), relay.nn.upsampling(img, sc, sc),
        relay.nn.upsampling3d(vol, sc, sc, sc),
    ]


@pytest.mark.parametrize("index_dtype", ["int32", "int64"])
def test_every_compute_builds_for_symbolic_output_shapes(index_dtype):
    """As the TE compiler passes them: the output type's unknown dims are variables (of either
    index dtype); each compute, scheduled by its op's schedule, compiles."""
    for call in _calls():
        func = relay.Function(relay.analysis.free_vars(call), call)
        out_type = infer(func)
        typed = relay.transform.InferType()(tvm.IRModule.from_expr(func))["main"].body

        def symbolic(t, tag):
            return relay.TensorType([te.size_var(f"d{tag}{i}", index_dtype) if isinstance(d, tir.Any) else d
                                     for i, d in enumerate(t.shape)], t.dtype)

        if isinstance(out_type, relay.TupleType):
            out_type = relay.TupleType([symbolic(f, j) for j, f in enumerate(out_type.fields)])
        else:
            out_type = symbolic(out_type, "")
        inputs = [te.placeholder([int(d) for d in a.checked_type.shape], a.checked_type.dtype, f"in{i}")
                  for i, a in enumerate(typed.args)]
        op = typed.op
        outs = list(op.get_attr("FTVMCompute")(typed.attrs, inputs, out_type))
        sch = op.get_attr("FTVMSchedule")(typed.attrs, outs, tvm.target.Target("llvm"))
        tvm.build(sch, inputs + outs, target="llvm", name="k_" + op.name.replace(".", "_"))


def test_every_shape_func_builds_for_symbolic_inputs():
    """As the VM lowers them: inputs it reads by value are placeholders whose dims may be
    variables; the others are int64 shape tensors of the input's rank."""
    for call in _calls():
        func = relay.Function(relay.analysis.free_vars(call), call)
        typed = relay.transform.InferType()(tvm.IRModule.from_expr(func))["main"].body
        op = typed.op
        flags = [bool(f) for f in op.get_attr("TShapeDataDependent")]
        inputs = []
        for i, a in enumerate(typed.args):
            t = a.checked_type
            by_value = flags[i] if len(flags) > 1 else flags[0]
            if by_value:
                # The first argument (the data) goes symbolic; shape arguments keep their static
                # length, which fixes the output rank.
                shape = [te.size_var(f"n{j}") if i == 0 else d for j, d in enumerate(t.shape)]
                inputs.append(te.placeholder(shape, t.dtype, f"in{i}"))
            else:
                inputs.append(te.placeholder((len(t.shape),), "int64", f"in{i}_shape"))
        out = typed.checked_type
        fields = out.fields if isinstance(out, relay.TupleType) else [out]
        outs = list(op.get_attr("FShapeFunc")(typed.attrs, inputs, [len(f.shape) for f in fields]))
        assert len(outs) == len(fields)
        for o, f in zip(outs, fields):
            assert [int(d) for d in o.shape] == [len(f.shape)] and o.dtype == "int64"
        sch = te.create_schedule([o.op for o in outs])
        tvm.build(sch, inputs + outs, target="llvm", name="shape_" + op.name.replace(".", "_"))


# ---------------------------------------------------------------- the VM


def _vm(params, body):
    func = relay.Function(params, body)
    return relay.create_executor("vm", mod=tvm.IRModule.from_expr(func), device=tvm.cpu(), target="llvm").evaluate()


def test_vm_runs_dyn_ops_at_several_shapes():
    """One VM executable per program, run with shape arguments of several values: the shape
    functions size the outputs at run time."""
    x = relay.var("x", shape=(relay.Any(), 6))
    s = shape_var("s", 3)
    f = _vm([x, s], relay.reshape(x, s))
    for rows, new, expect in [(4, (2, -1, 3), (2, 4, 3)), (2, (0, 3, 2), (2, 3, 2)), (8, (-3, 1, -1), (48, 1, 1))]:
        data = np.random.uniform(size=(rows, 6)).astype("float32")
        np.testing.assert_array_equal(f(data, np.array(new, "int64")).numpy(), data.reshape(expect))

    y = relay.var("y", shape=(relay.Any(), 1), dtype="int8")
    b = shape_var("b", 2)
    f = _vm([y, b], relay.broadcast_to(y, b))  # a symbolic input dim that is 1 at run time
    for rows, target in [(3, (3, 4)), (1, (5, 2))]:
        data = np.random.randint(-9, 9, size=(rows, 1)).astype("int8")
        np.testing.assert_array_equal(f(data, np.array(target, "int64")).numpy(), np.broadcast_to(data, target))

    d = relay.var("d", shape=(relay.Any(), 10))
    k = relay.var("k", shape=(), dtype="int32")
    f = _vm([d, k], relay.topk(d, k, axis=1, ret_type="values", is_ascend=True))
    data = np.random.uniform(size=(3, 10)).astype("float32")
    for kk in [1, 4, 0]:
        n = 10 if kk < 1 else kk
        np.testing.assert_array_equal(f(data, np.array(kk, "int32")).numpy(), np.sort(data, axis=1)[:, :n])

    img = relay.var("img", shape=(1, 2, relay.Any(), relay.Any()))
    pw = relay.var("pw", shape=(4, 2), dtype="int64")
    f = _vm([img, pw], relay.nn.pad(img, pw, 0.5))
    for h, w, widths in [(3, 4, [[0, 0], [0, 1], [1, 2], [3, 0]]), (5, 2, [[1, 0], [0, 0], [0, 0], [2, 2]])]:
        data = np.random.uniform(size=(1, 2, h, w)).astype("float32")
        np.testing.assert_array_equal(f(data, np.array(widths, "int64")).numpy(),
                                      np.pad(data, widths, constant_values=0.5))


def _vm_cases():
    """(name, program, arguments) for each dyn op; the program's free variables take the arguments in order."""
    rng = np.random.default_rng(0)

    def data(*shape, dtype="float32"):
        return rng.uniform(size=shape).astype(dtype)

    def vec(values, dtype="int64"):
        return np.array(values, dtype)

    x = relay.var("x", shape=(2, 3, 4))
    xd = data(2, 3, 4)
    s2, s3, s4 = shape_var("s2", 2), shape_var("s3", 3), shape_var("s4", 4)
    k = relay.var("k", shape=(), dtype="int32")
    img, imgd = relay.var("img", shape=(1, 3, 4, 4)), data(1, 3, 4, 4)
    sc = relay.var("sc", shape=(), dtype="float64")
    idx = relay.var("idx", shape=(3,), dtype="int32")
    vals = relay.var("vals", shape=(3,))
    one = relay.var("one", shape=(2, 1, 4))
    return [
        ("reshape", relay.reshape(x, s2), [xd, vec([4, -1])]),
        ("broadcast_to", relay.broadcast_to(one, s4), [data(2, 1, 4), vec([5, 2, 3, 4])]),
        ("zeros", relay.zeros(s2, "float32"), [vec([3, 2])]),
        ("ones", relay.ones(s3, "int32"), [vec([1, 2, 3])]),
        ("full", relay.full(relay.const(2.5), s2), [vec([2, 2])]),
        ("tile", relay.tile(x, s3), [xd, vec([1, 2, 2])]),
        ("expand_dims", relay.expand_dims(x, k, 2), [xd, np.array(1, "int32")]),
        ("squeeze", relay.squeeze(one, relay.var("a", shape=(1,), dtype="int64")),
         [data(2, 1, 4), vec([1])]),
        ("one_hot", relay.one_hot(idx, relay.const(1.0), relay.const(0.0), k, -1, "float32"),
         [np.array([2, 0, 1], "int32"), np.array(4, "int32")]),
        ("strided_slice", relay.strided_slice(x, s3, relay.const([2, 3, 4]), relay.const([1, 2, 3])),
         [xd, vec([1, 0, 1])]),
        ("sparse_to_dense", relay.sparse_to_dense(idx, shape_var("s1", 1), vals, relay.const(0.0)),
         [np.array([2, 0, 1], "int32"), data(3), vec([4])]),
        ("topk", relay.topk(x, k, axis=1).astuple(), [xd, np.array(2, "int32")]),
        ("resize2d", relay.image.resize2d(img, s2, None, "NCHW", "nearest_neighbor", "asymmetric"),
         [imgd, vec([6, 5])]),
        ("pad", relay.nn.pad(img, relay.var("pw", shape=(4, 2), dtype="int64"), 1.0),
         [imgd, vec([[0, 1], [1, 0], [2, 1], [0, 2]])]),
        ("upsampling", relay.nn.upsampling(img, sc, sc), [imgd, np.array(2.0)]),
        ("upsampling3d", relay.nn.upsampling3d(relay.const(data(1, 1, 2, 2, 2)), sc, sc, sc),
         [np.array(2.0)]),
    ]


@pytest.mark.parametrize("case", range(16))
def test_vm_agrees_with_debug_executor(case):
    """Each dyn op on the VM against the debug executor (both size the output with its shape function)."""
    name, body, args = _vm_cases()[case]
    func = relay.Function(relay.analysis.free_vars(body), body)
    mod = tvm.IRModule.from_expr(func)
    want = relay.create_executor("debug", mod=mod, target="llvm").evaluate()(*args)
    got = relay.create_executor("vm", mod=mod, target="llvm").evaluate()(*args)

    def arrays(v):
        return [a.numpy() for a in v] if isinstance(v, (list, tuple, tvm.runtime.container.ADT)) else [v.numpy()]

    want, got = arrays(want), arrays(got)
    assert len(got) == len(want), name
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w, err_msg=name)
