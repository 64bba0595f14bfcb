# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Transform operators run end to end in the debug executor, against numpy."""
import numpy as np
import pytest

import tvm
from tvm import relay

RNG = np.random.default_rng(5)


def run(func, *args):
    mod = tvm.IRModule.from_expr(func)
    out = relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(*args)
    return [o.numpy() for o in out] if isinstance(out, tvm.runtime.container.ADT) else out.numpy()


def check(expr, inputs, expected, exact=True):
    params = [relay.var(name, shape=value.shape, dtype=str(value.dtype)) for name, value in inputs.items()]
    out = run(relay.Function(params, expr(*params)), *inputs.values())
    outs, expected = (out, expected) if isinstance(expected, list) else ([out], [expected])
    assert len(outs) == len(expected)
    for o, e in zip(outs, expected):
        e = np.asarray(e)
        assert o.shape == e.shape, (o.shape, e.shape)
        if exact:
            np.testing.assert_array_equal(o, e)
        else:
            np.testing.assert_allclose(o, e, rtol=1e-5, atol=1e-6)


def rand(*shape, dtype="float32"):
    return RNG.standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("newshape,expected", [
    ((6, 4), (6, 4)), ((0, -1), (2, 12)), ((-1,), (24,)), ((-2,), (2, 3, 4)), ((0, -3), (2, 12)),
    ((-3, 4), (6, 4)), ((-4, 1, 2, -2), (1, 2, 3, 4)), ((2, -4, -1, 3, 4), (2, 1, 3, 4)), ((0, 0, 2, 2), (2, 3, 2, 2))])
def test_reshape(newshape, expected):
    x = rand(2, 3, 4)
    check(lambda a: relay.reshape(a, newshape), {"x": x}, x.reshape(expected))


def test_reverse_reshape():
    x = rand(10, 5, 4)
    check(lambda a: relay.reverse_reshape(a, (-1, 0)), {"x": x}, x.reshape(50, 4))
    # Matched from the right: the 0 copies the second-to-last input dimension (5).
    check(lambda a: relay.reverse_reshape(a, (0, -1)), {"x": x}, x.reshape(5, 40))
    check(lambda a: relay.reverse_reshape(a, (-1, 0, 0)), {"x": x}, x)


@pytest.mark.parametrize("axes", [None, (1, 0, 2), (2, 0, 1), (-1, -3, -2)])
def test_transpose(axes):
    x = rand(2, 3, 4)
    check(lambda a: relay.transpose(a, axes), {"x": x}, np.transpose(x, axes))


def test_squeeze_expand_dims():
    x = rand(1, 3, 1, 4)
    check(lambda a: relay.squeeze(a), {"x": x}, np.squeeze(x))
    check(lambda a: relay.squeeze(a, axis=[2]), {"x": x}, np.squeeze(x, 2))
    check(lambda a: relay.squeeze(a, axis=[-4]), {"x": x}, np.squeeze(x, 0))
    check(lambda a: relay.squeeze(a, axis=2), {"x": x}, np.squeeze(x, 2))
    check(lambda a: relay.expand_dims(a, 1, 2), {"x": x}, x.reshape(1, 1, 1, 3, 1, 4))
    check(lambda a: relay.expand_dims(a, -1), {"x": x}, x[..., None])


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_stack(axis):
    a, b, c = rand(2, 3, 4), rand(2, 3, 4), rand(2, 3, 4)
    check(lambda x, y, z: relay.concatenate([x, y, z], axis), {"a": a, "b": b, "c": c},
          np.concatenate([a, b, c], axis))
    check(lambda x, y, z: relay.stack([x, y, z], axis), {"a": a, "b": b, "c": c}, np.stack([a, b, c], axis))
    uneven = rand(2, 3, 5)
    check(lambda x, y: relay.concatenate([x, y], -1), {"a": a, "b": uneven}, np.concatenate([a, uneven], -1))


@pytest.mark.parametrize("sections,axis", [(3, 1), ([1, 4], -1), (2, 0), ([2], 2)])
def test_split(sections, axis):
    x = rand(4, 6, 5)
    check(lambda a: relay.split(a, sections, axis).astuple(), {"x": x}, np.split(x, sections, axis))


@pytest.mark.parametrize("begin,end,strides,axes,mode", [
    ([0, 1], [2, 3], None, None, "end"), ([1, 0, 1], [3, 3, 4], [1, 2, 2], None, "end"),
    ([3, -1], [0, 0], [-1, -2], None, "end"), ([-2], [100], None, [2], "end"), ([1, 1], [2, -1], None, [0, 2], "size"),
    ([0, 0, 0], [-1, -1, -1], None, None, "size")])
def test_strided_slice(begin, end, strides, axes, mode):
    x = rand(4, 3, 5)
    idx = [slice(None)] * 3
    for n, (b, e) in enumerate(zip(begin, end)):
        ax = axes[n] if axes else n
        s = strides[n] if strides else 1
        if mode == "size":
            idx[ax] = slice(b, None if e == -1 else b + e)
        else:
            idx[ax] = slice(b, e, s)
    ref = x[tuple(idx)]
    check(lambda a: relay.strided_slice(a, begin, end, strides, axes, mode), {"x": x}, ref)


def test_slice_like():
    x = rand(4, 5, 6)
    like = rand(2, 3, 4)
    check(lambda a, b: relay.slice_like(a, b), {"x": x, "y": like}, x[:2, :3, :4])
    check(lambda a, b: relay.slice_like(a, b, axes=[-1, 1]), {"x": x, "y": like}, x[:, :3, :4])


@pytest.mark.parametrize("axis,mode", [(None, "clip"), (0, "clip"), (1, "wrap"), (-1, "clip"), (1, "fast")])
def test_take(axis, mode):
    x = rand(3, 4, 5)
    limit = x.size if axis is None else x.shape[axis]
    idx = RNG.integers(-limit if mode == "wrap" else 0, limit + (3 if mode == "clip" else 0),
                       size=(2, 3)).astype("int32")
    if mode == "clip":
        ref = np.take(x, np.clip(idx, 0, limit - 1), axis=axis)
    else:
        ref = np.take(x, idx, axis=axis, mode="wrap")
    check(lambda a, i: relay.take(a, i, axis=axis, mode=mode), {"x": x, "i": idx}, ref)


def test_take_batch_dims():
    x = rand(2, 4, 3)
    idx = RNG.integers(0, 4, size=(2, 5)).astype("int32")
    ref = np.stack([np.take(x[b], idx[b], axis=0) for b in range(2)])
    check(lambda a, i: relay.take(a, i, axis=1, batch_dims=1), {"x": x, "i": idx}, ref)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_gather(axis):
    x = rand(3, 4, 5)
    shape = list(x.shape)
    shape[axis] = 2
    idx = RNG.integers(0, x.shape[axis], size=shape).astype("int64")
    check(lambda a, i: relay.gather(a, axis, i), {"x": x, "i": idx}, np.take_along_axis(x, idx, axis))


def test_gather_nd():
    x = rand(3, 4, 5)
    idx = np.array([[0, 2, 1], [1, 3, 0]], "int32")  # (2 coordinates, 3 points)
    check(lambda a, i: relay.gather_nd(a, i), {"x": x, "i": idx}, x[idx[0], idx[1]])
    idx3 = np.array([[0, 2], [1, 3], [4, 0]], "int32")
    check(lambda a, i: relay.gather_nd(a, i), {"x": x, "i": idx3}, x[idx3[0], idx3[1], idx3[2]])
    idxb = np.array([[1, 3, 0]], "int32")  # batch_dims 1: per batch b, x[b, idx[0, b]]
    check(lambda a, i: relay.gather_nd(a, i, batch_dims=1), {"x": x, "i": idxb}, x[np.arange(3), idxb[0]])


@pytest.mark.parametrize("reduction", ["update", "add", "mul", "min", "max", "mean"])
@pytest.mark.parametrize("axis", [0, -1])
def test_scatter_elements(reduction, axis):
    data = rand(3, 4)
    shape = (2, 4) if axis == 0 else (3, 2)
    idx = RNG.integers(-data.shape[axis], data.shape[axis], size=shape).astype("int64")
    upd = rand(*shape)
    ref = data.copy()
    for pos in np.ndindex(*shape):
        target = list(pos)
        target[axis] = idx[pos] % data.shape[axis]
        target = tuple(target)
        old, new = ref[target], upd[pos]
        ref[target] = {"update": new, "add": old + new, "mul": old * new, "min": min(old, new),
                       "max": max(old, new), "mean": (old + new) / 2}[reduction]
    check(lambda d, i, u: relay.scatter_elements(d, i, u, axis, reduction), {"d": data, "i": idx, "u": upd}, ref,
          exact=False)


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_one_hot(axis):
    idx = np.array([[0, 2], [3, 1], [1, 1]], "int32")
    ref = np.moveaxis(np.where(np.eye(4)[idx] == 1, 5.0, -1.0).astype("float32"), -1, axis)
    check(lambda i: relay.one_hot(i, relay.const(5.0), relay.const(-1.0), 4, axis, "float32"), {"i": idx}, ref)


def test_tile_repeat_reverse():
    x = rand(2, 3)
    check(lambda a: relay.tile(a, (2, 1, 3)), {"x": x}, np.tile(x, (2, 1, 3)))
    check(lambda a: relay.tile(a, (2,)), {"x": x}, np.tile(x, (2,)))
    check(lambda a: relay.repeat(a, 3, 1), {"x": x}, np.repeat(x, 3, 1))
    check(lambda a: relay.repeat(a, 2, -2), {"x": x}, np.repeat(x, 2, 0))
    check(lambda a: relay.reverse(a, 1), {"x": x}, x[:, ::-1])
    check(lambda a: relay.reverse(a, -2), {"x": x}, x[::-1])


def test_broadcast_to():
    x = rand(3, 1)
    check(lambda a: relay.broadcast_to(a, (2, 3, 4)), {"x": x}, np.broadcast_to(x, (2, 3, 4)))
    like = rand(4, 3, 5)
    check(lambda a, b: relay.broadcast_to_like(a, b), {"x": x, "y": like}, np.broadcast_to(x, (4, 3, 5)))


@pytest.mark.parametrize("args,dtype", [((5,), "int32"), ((1, 7, 2), "int32"), ((0.5, 3.0, 0.25), "float32"),
                                        ((10, 2, -3), "int64")])
def test_arange(args, dtype):
    consts = [relay.const(a, dtype) for a in args]
    out = run(relay.Function([], relay.arange(*consts, dtype=dtype)))
    np.testing.assert_allclose(out, np.arange(*args, dtype=dtype))
    assert out.dtype == np.dtype(dtype)


def test_layout_transform():
    x = rand(1, 8, 3, 4)
    check(lambda a: relay.layout_transform(a, "NCHW", "NHWC"), {"x": x}, x.transpose(0, 2, 3, 1))
    check(lambda a: relay.layout_transform(a, "NCHW", "NCHW4c"), {"x": x},
          x.reshape(1, 2, 4, 3, 4).transpose(0, 1, 3, 4, 2))


@pytest.mark.parametrize("axis,exclusive", [(None, False), (0, False), (1, True), (-1, False)])
def test_cumsum_cumprod(axis, exclusive):
    x = RNG.uniform(0.5, 1.5, size=(3, 4)).astype("float32")
    flat = x if axis is not None else x.reshape(-1)
    ax = 0 if axis is None else axis
    ref_sum = np.cumsum(flat, ax)
    ref_prod = np.cumprod(flat, ax)
    if exclusive:
        ref_sum = ref_sum - flat
        ref_prod = ref_prod / flat
    check(lambda a: relay.cumsum(a, axis, exclusive=exclusive), {"x": x}, ref_sum, exact=False)
    check(lambda a: relay.cumprod(a, axis, exclusive=exclusive), {"x": x}, ref_prod, exact=False)
    xi = RNG.integers(0, 5, size=(3, 4)).astype("int32")
    check(lambda a: relay.cumsum(a, axis, dtype="int64"), {"x": xi},
          np.cumsum(xi if axis is not None else xi.reshape(-1), ax).astype("int64"))


@pytest.mark.parametrize("axis,is_ascend", [(-1, True), (0, False), (1, True)])
def test_sort_argsort(axis, is_ascend):
    x = RNG.permutation(60).reshape(3, 4, 5).astype("float32")
    ref = np.sort(x, axis)
    ref_idx = np.argsort(x, axis)
    if not is_ascend:
        ref = np.flip(ref, axis)
        ref_idx = np.flip(ref_idx, axis)
    check(lambda a: relay.sort(a, axis, is_ascend), {"x": x}, ref)
    check(lambda a: relay.argsort(a, axis, is_ascend, dtype="int32"), {"x": x}, ref_idx.astype("int32"))


@pytest.mark.parametrize("k,axis,ret_type,is_ascend", [(2, -1, "both", False), (3, 0, "values", True),
                                                       (1, 1, "indices", False), (0, -1, "both", False)])
def test_topk(k, axis, ret_type, is_ascend):
    x = RNG.permutation(60).reshape(3, 4, 5).astype("float32")
    order = np.argsort(x if is_ascend else -x, axis, kind="stable")
    kk = x.shape[axis] if k == 0 else k
    idx = np.take(order, np.arange(kk), axis)
    vals = np.take_along_axis(x, idx, axis)
    expected = {"both": [vals, idx.astype("int64")], "values": vals, "indices": idx.astype("int64")}[ret_type]

    def build(a):
        out = relay.topk(a, k, axis, ret_type, is_ascend, dtype="int64")
        return out.astuple() if ret_type == "both" else out

    check(build, {"x": x}, expected)


def test_every_transform_operator_has_a_compute_and_schedule():
    names = ["reshape", "contrib_reverse_reshape", "transpose", "squeeze", "expand_dims", "concatenate", "split",
             "stack", "strided_slice", "slice_like", "take", "gather", "gather_nd", "scatter_elements", "one_hot",
             "tile", "repeat", "reverse", "broadcast_to", "broadcast_to_like", "arange", "layout_transform",
             "cumsum", "cumprod", "sort", "argsort", "topk", "shape_of", "zeros", "ones", "full", "full_like"]
    for name in names:
        op = relay.op.get(name)
        assert op.get_attr("FTVMCompute") is not None, name
        assert op.get_attr("FTVMSchedule") is not None, name


@pytest.mark.parametrize("k,upper", [(0, True), (1, True), (-1, False), (2, False)])
def test_trilu(k, upper):
    x = rand(2, 3, 4)
    check(lambda a: relay.trilu(a, k, upper), {"x": x}, np.triu(x, k) if upper else np.tril(x, k))


def test_collapse_sum_to_and_unravel_index():
    x = rand(2, 3, 4)
    check(lambda a: relay.collapse_sum_to(a, (3, 1)), {"x": x}, x.sum(0).sum(1, keepdims=True), exact=False)
    idx = np.array([0, 5, 11, 7], "int32")
    check(lambda i: relay.unravel_index(i, (3, 4)), {"i": idx}, np.stack(np.unravel_index(idx, (3, 4))).astype("int32"))


@pytest.mark.parametrize("indexing", ["ij", "xy"])
def test_meshgrid(indexing):
    a, b, c = rand(3), rand(2), rand(4)
    check(lambda x, y, z: relay.meshgrid([x, y, z], indexing).astuple(), {"a": a, "b": b, "c": c},
          list(np.meshgrid(a, b, c, indexing=indexing)))


def test_matrix_set_diag():
    x = rand(2, 3, 4)
    d = rand(2, 3)
    ref = x.copy()
    ref[:, range(3), range(3)] = d
    check(lambda a, b: relay.matrix_set_diag(a, b), {"x": x, "d": d}, ref)
    d1 = rand(2, 3)
    ref = x.copy()
    ref[:, range(3), range(1, 4)] = d1
    check(lambda a, b: relay.matrix_set_diag(a, b, k=1), {"x": x, "d": d1}, ref)


@pytest.mark.parametrize("axis", [0, 1])
def test_sequence_mask_and_reverse_sequence(axis):
    x = rand(4, 3, 2) if axis == 0 else rand(3, 4, 2)  # the batch is the other of the first two axes
    lengths = np.array([1, 4, 0], "int32")
    ref = x.copy()
    for b, n in enumerate(lengths):
        if axis == 0:
            ref[n:, b] = -2.0
        else:
            ref[b, n:] = -2.0
    check(lambda a, v: relay.sequence_mask(a, v, -2.0, axis), {"x": x, "v": lengths}, ref)
    y = rand(3, 5)
    seq = np.array([2, 5, 1], "int32")
    ref = y.copy()
    for b, n in enumerate(seq):
        ref[b, :n] = y[b, :n][::-1]
    check(lambda a, s: relay.reverse_sequence(a, s, seq_axis=1, batch_axis=0), {"y": y, "s": seq}, ref)


@pytest.mark.parametrize("equation,shapes", [
    ("ij,jk->ik", [(3, 4), (4, 5)]), ("ii->i", [(3, 3)]), ("ij->", [(3, 4)]), ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("ij,jk", [(3, 4), (4, 5)]), ("i,j->ij", [(3,), (4,)]), ("ij->ji", [(3, 4)]), ("abc,cd,de->ae", [(2, 3, 4), (4, 5), (5, 2)])])
def test_einsum(equation, shapes):
    arrays = {f"v{i}": rand(*s) for i, s in enumerate(shapes)}
    check(lambda *vs: relay.einsum(list(vs), equation), arrays, np.einsum(equation, *arrays.values()), exact=False)
