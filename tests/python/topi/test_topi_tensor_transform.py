# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""TOPI transforms against numpy, built for llvm with the generic injective schedule."""
import numpy as np
import pytest

import tvm
from tvm import te, topi
import tvm.topi.testing


def build_run(outs, inputs, arrays, schedule=None):
    outs = outs if isinstance(outs, list) else [outs]
    with tvm.target.Target("llvm"):
        s = (schedule or topi.generic.schedule_injective)(outs)
    f = tvm.build(s, inputs + outs, "llvm")
    res = [tvm.nd.array(np.zeros([int(d) for d in o.shape], dtype=o.dtype)) for o in outs]
    f(*[tvm.nd.array(a) for a in arrays], *res)
    return [r.numpy() for r in res] if len(res) > 1 else res[0].numpy()


def ph(a, name="A"):
    return te.placeholder(a.shape, str(a.dtype), name=name)


@pytest.mark.parametrize("src,dst", [((2, 3, 4), (6, 4)), ((2, 3, 4), (24,)), ((12,), (3, -1)), ((4, 0), (0, 7))])
def test_reshape(src, dst):
    a = np.random.rand(*src).astype("float32")
    A = ph(a)
    np.testing.assert_array_equal(build_run(topi.reshape(A, dst), [A], [a]), a.reshape(dst))


def test_reshape_error():
    with pytest.raises(ValueError, match=r"topi.reshape: cannot reshape A of shape \[2, 3\] \(6 elements\)"):
        topi.reshape(te.placeholder((2, 3), name="A"), (4, 2))


@pytest.mark.parametrize("axes", [None, (1, 0, 2), (2, 0, 1), (-1, -3, -2)], ids=str)
def test_transpose(axes):
    a = np.random.rand(2, 3, 4).astype("float32")
    A = ph(a)
    np.testing.assert_array_equal(build_run(topi.transpose(A, axes), [A], [a]), np.transpose(a, axes))
    with pytest.raises(ValueError, match="transpose.*repeats"):
        topi.transpose(A, (0, 0, 1))


@pytest.mark.parametrize("axis", [None, 0, (0, -1), -1], ids=str)
def test_squeeze(axis):
    a = np.random.rand(1, 3, 1).astype("float32")
    A = ph(a)
    np.testing.assert_array_equal(build_run(topi.squeeze(A, axis), [A], [a]), np.squeeze(a, axis))
    with pytest.raises(ValueError, match="squeeze of A.*axis 1 has size 3, not 1"):
        topi.squeeze(A, 1)


@pytest.mark.parametrize("axis,num", [(0, 1), (1, 2), (-1, 1), (3, 1)])
def test_expand_dims(axis, num):
    a = np.random.rand(2, 3, 4).astype("float32")
    A = ph(a)
    ref = a
    pos = axis if axis >= 0 else a.ndim + axis + 1
    for _ in range(num):
        ref = np.expand_dims(ref, pos)
    np.testing.assert_array_equal(build_run(topi.expand_dims(A, axis, num), [A], [a]), ref)
    with pytest.raises(ValueError, match="expand_dims of A: axis 5 is out of range"):
        topi.expand_dims(A, 5)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_and_stack(axis):
    arrays = [np.random.rand(2, 3, 4).astype("float32") for _ in range(3)]
    arrays[1] = np.random.rand(*[5 if i == (axis % 3) else s for i, s in enumerate((2, 3, 4))]).astype("float32")
    ts = [ph(a, f"A{i}") for i, a in enumerate(arrays)]
    np.testing.assert_array_equal(build_run(topi.concatenate(ts, axis), ts, arrays), np.concatenate(arrays, axis))
    same = [np.random.rand(2, 3).astype("float32") for _ in range(3)]
    ss = [ph(a, f"S{i}") for i, a in enumerate(same)]
    np.testing.assert_array_equal(build_run(topi.stack(ss, axis), ss, same), np.stack(same, axis))


def test_concatenate_mismatch():
    with pytest.raises(ValueError, match="concatenate along axis 0: B has shape"):
        topi.concatenate([te.placeholder((2, 3), name="A"), te.placeholder((2, 4), name="B")], 0)


@pytest.mark.parametrize("spec,axis", [(3, 0), ([1, 4], 0), ([2], -1), (2, 1)])
def test_split(spec, axis):
    a = np.random.rand(6, 4).astype("float32")
    A = ph(a)
    outs = topi.split(A, spec, axis)
    res = build_run(outs, [A], [a])
    res = res if isinstance(res, list) else [res]
    for r, ref in zip(res, np.split(a, spec, axis)):
        np.testing.assert_array_equal(r, ref)
    with pytest.raises(ValueError, match="split of A.*size 6 does not divide into 4"):
        topi.split(A, 4, 0)


SLICES = [
    ([1, 0], [3, 4], None, None, "end"),
    ([-1, 3], [-5, 0], [-1, -1], None, "end"),
    ([0], [100], [2], None, "end"),
    ([1], [2], None, [1], "end"),
    ([2, -3], [1, 2], None, [0, 1], "size"),
    ([0, 1], [-1, -1], None, None, "size"),
    ([5, 0], [0, 4], [-2, 3], None, "end"),
]


@pytest.mark.parametrize("begin,end,strides,axes,mode", SLICES, ids=str)
def test_strided_slice(begin, end, strides, axes, mode):
    a = np.random.rand(6, 5).astype("float32")
    A = ph(a)
    B = topi.strided_slice(A, begin, end, strides, axes, mode)
    ref = tvm.topi.testing.strided_slice_python(a, begin, end, strides, mode, axes)
    np.testing.assert_array_equal(build_run(B, [A], [a]), ref)


@pytest.mark.parametrize("mode", ["clip", "wrap", "fast"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1], ids=str)
def test_take(mode, axis):
    a = np.random.rand(4, 5, 3).astype("float32")
    n = a.size if axis is None else a.shape[axis]
    lo, hi = (0, n) if mode == "fast" else (-n - 3, n + 3)
    idx = np.random.randint(lo, hi, size=(2, 3)).astype("int32")
    A, I = ph(a), ph(idx, "I")
    out = build_run(topi.take(A, I, axis=axis, mode=mode), [A, I], [a, idx])
    np.testing.assert_array_equal(out, np.take(a, idx, axis=axis, mode="raise" if mode == "fast" else mode))


def test_take_batch_dims():
    a = np.random.rand(2, 5, 3).astype("float32")
    idx = np.random.randint(0, 5, size=(2, 4)).astype("int64")
    A, I = ph(a), ph(idx, "I")
    out = build_run(topi.take(A, I, axis=1, batch_dims=1), [A, I], [a, idx])
    ref = np.stack([np.take(a[b], idx[b], axis=0) for b in range(2)])
    np.testing.assert_array_equal(out, ref)


def test_gather_and_gather_nd():
    a = np.random.rand(3, 4, 5).astype("float32")
    idx = np.random.randint(0, 4, size=(3, 2, 5)).astype("int32")
    A, I = ph(a), ph(idx, "I")
    np.testing.assert_array_equal(build_run(topi.gather(A, 1, I), [A, I], [a, idx]),
                                  tvm.topi.testing.gather_python(a, 1, idx))
    nd_idx = np.array([[0, 2, 1], [1, 3, 0]], "int32")  # (M=2, 3): three (i, j) pairs
    J = ph(nd_idx, "J")
    np.testing.assert_array_equal(build_run(topi.gather_nd(A, J), [A, J], [a, nd_idx]),
                                  tvm.topi.testing.gather_nd_python(a, nd_idx))


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_one_hot(axis):
    idx = np.array([[0, 2], [3, 1]], "int32")
    I = ph(idx, "I")
    out = build_run(topi.one_hot(I, 1.0, -1.0, 4, axis, "float32"), [I], [idx])
    np.testing.assert_array_equal(out, tvm.topi.testing.one_hot(idx, 1.0, -1.0, 4, axis, "float32"))


@pytest.mark.parametrize("reps", [(2,), (2, 3), (1, 2, 1, 2)], ids=str)
def test_tile_repeat_flip(reps):
    a = np.random.rand(2, 3).astype("float32")
    A = ph(a)
    np.testing.assert_array_equal(build_run(topi.tile(A, reps), [A], [a]), np.tile(a, reps))
    np.testing.assert_array_equal(build_run(topi.repeat(A, 3, -1), [A], [a]), np.repeat(a, 3, -1))
    np.testing.assert_array_equal(build_run(topi.flip(A, -1), [A], [a]), np.flip(a, -1))
    np.testing.assert_array_equal(build_run(topi.flip(A, [0, 1]), [A], [a]), np.flip(a, (0, 1)))


def test_reverse_sequence():
    a = np.arange(24, dtype="float32").reshape(4, 6)
    lengths = np.array([1, 3, 6, 10], "int32")
    A, L = ph(a), ph(lengths, "L")
    out = build_run(topi.reverse_sequence(A, L, 1, 0), [A, L], [a, lengths])
    ref = a.copy()
    for b, n in enumerate(np.minimum(lengths, 6)):
        ref[b, :n] = a[b, :n][::-1]
    np.testing.assert_array_equal(out, ref)


@pytest.mark.parametrize("args,dtype", [((10,), "float32"), ((2, 11, 3), "int32"), ((5, -1, -2), "int32"),
                                        ((0.5, 2.0, 0.25), "float32")], ids=str)
def test_arange(args, dtype):
    B = topi.arange(*args, dtype=dtype)
    np.testing.assert_allclose(build_run(B, [], []), np.arange(*args, dtype=dtype))


@pytest.mark.parametrize("src,dst,shape", [("NCHW", "NCHW16c", (2, 32, 3, 3)), ("NCHW16c", "NCHW", (2, 2, 3, 3, 16)),
                                           ("NCHW", "NHWC", (1, 4, 2, 3)), ("NCHW8c", "NCHW4c", (1, 2, 2, 2, 8)),
                                           ("NCHW4c", "NHWC", (1, 2, 2, 3, 4))])
def test_layout_transform(src, dst, shape):
    a = np.random.rand(*shape).astype("float32")
    A = ph(a)
    out = build_run(topi.layout_transform(A, src, dst), [A], [a])

    def to_plain(x, layout):  # -> the primal axes in alphabetical order
        import re
        axes = re.findall(r"\d*[A-Za-z]", layout)
        primal = sorted(c for c in axes if c.isupper())
        for ax in [c for c in axes if not c.isupper()]:
            outer, inner = axes.index(ax[-1].upper()), axes.index(ax)
            x = np.moveaxis(x, inner, outer + 1)
            merged = list(x.shape)
            merged[outer:outer + 2] = [merged[outer] * merged[outer + 1]]
            x = x.reshape(merged)
            axes.remove(ax)
        return np.transpose(x, [axes.index(c) for c in primal])

    np.testing.assert_array_equal(to_plain(out, dst), to_plain(a, src))
    with pytest.raises(ValueError, match="does not split into blocks of 16"):
        topi.layout_transform(te.placeholder((1, 20, 2, 2), name="X"), "NCHW", "NCHW16c")


def test_shape_and_size():
    A = te.placeholder((2, 3, 5), name="A")
    np.testing.assert_array_equal(build_run(topi.shape(A, "int64"), [A], [np.zeros((2, 3, 5), "float32")]), [2, 3, 5])
    np.testing.assert_array_equal(build_run(topi.ndarray_size(A), [A], [np.zeros((2, 3, 5), "float32")]), 30)


@pytest.mark.parametrize("axis", [0, 1])
def test_sequence_mask(axis):
    a = np.random.rand(5, 3, 2).astype("float32") if axis == 0 else np.random.rand(3, 5, 2).astype("float32")
    lengths = np.array([0, 2, 5], "int32")
    A, L = ph(a), ph(lengths, "L")
    out = build_run(topi.sequence_mask(A, L, -1.0, axis), [A, L], [a, lengths])
    np.testing.assert_array_equal(out, tvm.topi.testing.sequence_mask(a, lengths, -1.0, axis))


@pytest.mark.parametrize("k,align", [(0, "RIGHT_LEFT"), (1, "LEFT_LEFT"), ((-1, 2), "RIGHT_LEFT"), ((-2, 0), "LEFT_RIGHT")], ids=str)
def test_matrix_set_diag(k, align):
    a = np.random.rand(2, 4, 5).astype("float32")
    k1, k2 = (k, k) if isinstance(k, int) else k
    max_len = min(4 + min(k2, 0), 5 - max(k1, 0))
    dshape = (2, max_len) if k1 == k2 else (2, k2 - k1 + 1, max_len)
    d = np.random.rand(*dshape).astype("float32")
    A, D = ph(a), ph(d, "D")
    out = build_run(topi.matrix_set_diag(A, D, k, align), [A, D], [a, d])
    np.testing.assert_array_equal(out, tvm.topi.testing.matrix_set_diag(a, d, k, align))


def test_trilu_adv_index_unravel():
    a = np.random.rand(3, 4).astype("float32")
    A = ph(a)
    np.testing.assert_array_equal(build_run(topi.trilu(A, tvm.tir.const(1, "int32"), True), [A], [a]), np.triu(a, 1))
    np.testing.assert_array_equal(build_run(topi.trilu(A, tvm.tir.const(0, "int32"), False), [A], [a]), np.tril(a))
    i0, i1 = np.array([[0, 2]], "int64"), np.array([1, 3], "int64")
    I0, I1 = ph(i0, "I0"), ph(i1, "I1")
    np.testing.assert_array_equal(build_run(topi.adv_index(A, [I0, I1]), [A, I0, I1], [a, i0, i1]), a[i0, i1])
    flat, shape = np.array([0, 5, 11], "int32"), np.array([3, 4], "int32")
    F, S = ph(flat, "F"), ph(shape, "S")
    np.testing.assert_array_equal(build_run(topi.unravel_index(F, S), [F, S], [flat, shape]),
                                  np.array(np.unravel_index(flat, (3, 4))))


@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
@pytest.mark.parametrize("axis", [None, 0, -1])
@pytest.mark.parametrize("exclusive", [False, True])
def test_scan(op, axis, exclusive):
    a = np.random.randint(1, 4, size=(3, 5)).astype("int32")
    A = ph(a)
    B = getattr(topi, op)(A, axis=axis, dtype="int64", exclusive=exclusive)
    assert B.dtype == "int64"
    out = build_run(B, [A], [a], schedule=topi.generic.schedule_extern)
    ref = getattr(np, op)(a, axis=axis, dtype="int64")
    if exclusive:
        flat = a.reshape(-1) if axis is None else a
        ax = 0 if axis is None else axis
        ident = 0 if op == "cumsum" else 1
        shifted = np.concatenate([np.full_like(np.take(flat, [0], ax), ident), np.delete(flat, -1, ax)], ax)
        ref = getattr(np, op)(shifted, axis=ax, dtype="int64")
    np.testing.assert_array_equal(out, ref)


@pytest.mark.parametrize("dtype", ["float32", "int32", "int64"])
@pytest.mark.parametrize("axis", [0, -1])
@pytest.mark.parametrize("ascend", [True, False])
def test_sort_argsort_topk_stable(dtype, axis, ascend):
    a = np.random.randint(-3, 3, size=(6, 7)).astype(dtype)  # many ties
    A = ph(a)
    ext = topi.generic.schedule_extern
    np.testing.assert_array_equal(build_run(topi.sort(A, axis, ascend), [A], [a], ext),
                                  np.sort(a, axis) if ascend else -np.sort(-a, axis))
    order = np.argsort(a if ascend else -a, axis=axis, kind="stable")
    np.testing.assert_array_equal(build_run(topi.argsort(A, axis=axis, is_ascend=ascend, dtype="int32"), [A], [a], ext), order)
    values, indices = topi.topk(A, 3, axis, "both", ascend, "int64")
    v, i = build_run([values, indices], [A], [a], ext)
    top = np.take(order, np.arange(3), axis=axis)
    np.testing.assert_array_equal(i, top)
    np.testing.assert_array_equal(v, np.take_along_axis(a, top, axis=axis))


def test_axis_errors():
    A = te.placeholder((2, 3), name="A")
    with pytest.raises(ValueError, match="topi.concatenate: axis 2 is out of range for a tensor of 2 dimensions"):
        topi.concatenate([A, A], 2)
    with pytest.raises(ValueError, match="topi.take: axis -3"):
        topi.take(A, te.placeholder((2,), "int32"), axis=-3)
    with pytest.raises(ValueError, match="topi.sort: axis 2"):
        topi.sort(A, 2)
    with pytest.raises(ValueError, match="take: mode must be"):
        topi.take(A, te.placeholder((2,), "int32"), mode="raise")


def test_strided_slice_none_entries_and_dynamic():
    a = np.random.rand(4, 5).astype("float32")
    A = ph(a)
    np.testing.assert_array_equal(build_run(topi.strided_slice(A, [1, None], [None, None], [1, -1]), [A], [a]),
                                  a[1:, ::-1])
    begin, end, strides = np.array([3, 0], "int64"), np.array([0, 5], "int64"), np.array([-1, 2], "int64")
    B, E, S = ph(begin, "B"), ph(end, "E"), ph(strides, "S")
    out = topi.strided_slice(A, B, E, S)
    with tvm.target.Target("llvm"):
        s = topi.generic.schedule_injective(out)
    f = tvm.build(s, [A, B, E, S, out], "llvm")
    ref = a[3:0:-1, 0:5:2]
    res = tvm.nd.array(np.zeros(ref.shape, "float32"))
    f(*[tvm.nd.array(x) for x in (a, begin, end, strides)], res)
    np.testing.assert_array_equal(res.numpy(), ref)


@pytest.mark.parametrize("begin,end,strides", [([0, 3, 0], [4, 1, 4], [1, -1, 2]), ([1, 0], [3, 2], None),
                                               ([0, -1, 0], [3, -5, 3], [1, -1, 1])], ids=str)
def test_strided_set(begin, end, strides):
    a = np.random.rand(3, 4, 3).astype("float32")
    region = tvm.topi.testing.strided_slice_python(a, begin, end, strides)
    v = np.random.rand(*region.shape).astype("float32")
    A, V = ph(a), ph(v, "V")
    b, e = np.array(begin, "int32"), np.array(end, "int32")
    Bt, Et = ph(b, "b"), ph(e, "e")
    inputs, arrays = [A, V, Bt, Et], [a, v, b, e]
    St = None
    if strides is not None:
        st = np.array(strides, "int32")
        St = ph(st, "st")
        inputs, arrays = inputs + [St], arrays + [st]
    out = build_run(topi.strided_set(A, V, Bt, Et, St), inputs, arrays)
    np.testing.assert_array_equal(out, tvm.topi.testing.strided_set_python(a, v, begin, end, strides))


@pytest.mark.parametrize("mode", ["update", "add", "mul", "min", "max"])
def test_scatter_nd(mode):
    data = np.random.rand(3, 4, 2).astype("float32")
    indices = np.array([[0, 2, 0, -1], [1, 3, 1, 0]], "int64")  # (0, 1) twice; -1 is the last row
    updates = np.random.rand(4, 2).astype("float32")
    D, I, U = ph(data, "D"), ph(indices, "I"), ph(updates, "U")
    out = build_run(topi.scatter_nd(D, I, U, mode), [D, I, U], [data, indices, updates],
                    schedule=topi.generic.schedule_extern)
    ref = data.copy()
    for n in range(indices.shape[1]):
        at = (indices[0, n], indices[1, n])
        ref[at] = {"update": lambda o, u: u, "add": np.add, "mul": np.multiply, "min": np.minimum,
                   "max": np.maximum}[mode](ref[at], updates[n])
    np.testing.assert_allclose(out, ref, rtol=1e-6)


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("reduction", ["update", "add"])
def test_scatter_elements(axis, reduction):
    data = np.random.rand(3, 4).astype("float32")
    indices = np.random.randint(0, data.shape[axis], size=(2, 3)).astype("int32")
    updates = np.random.rand(2, 3).astype("float32")
    D, I, U = ph(data, "D"), ph(indices, "I"), ph(updates, "U")
    out = build_run(topi.scatter_elements(D, I, U, axis, reduction), [D, I, U], [data, indices, updates],
                    schedule=topi.generic.schedule_extern)
    ref = data.copy()
    for pos in np.ndindex(*indices.shape):
        at = list(pos)
        at[axis] = indices[pos]
        ref[tuple(at)] = updates[pos] if reduction == "update" else ref[tuple(at)] + updates[pos]
    np.testing.assert_allclose(out, ref, rtol=1e-6)
    with pytest.raises(ValueError, match="scatter_elements: axis 2 is out of range"):
        topi.scatter_elements(D, I, U, 2)
    with pytest.raises(ValueError, match="topi.scatter_nd: mode must be one of"):
        topi.scatter_nd(D, te.placeholder((1, 2), "int32"), te.placeholder((2, 4)), "sub")


@pytest.mark.parametrize("ta,tb", [(False, False), (True, False), (False, True), (True, True)])
def test_matmul(ta, tb):
    a = np.random.rand(*((4, 3) if ta else (3, 4))).astype("float32")
    b = np.random.rand(*((5, 4) if tb else (4, 5))).astype("float32")
    A, B = ph(a), ph(b, "B")
    out = build_run(topi.matmul(A, B, ta, tb), [A, B], [a, b], schedule=topi.generic.schedule_reduce)
    np.testing.assert_allclose(out, (a.T if ta else a) @ (b.T if tb else b), rtol=1e-5)
    with pytest.raises(ValueError, match="matmul: the reduced dimensions differ"):
        topi.matmul(A, te.placeholder((7, 2), name="C"), ta, False)


@pytest.mark.parametrize("axes", [1, 2, ([0, 2], [1, 0])], ids=str)
def test_tensordot(axes):
    a = np.random.rand(3, 4, 5).astype("float32")
    b = np.random.rand(5, 3, 2).astype("float32") if not isinstance(axes, int) else \
        np.random.rand(*((5, 2) if axes == 1 else (4, 5, 2))).astype("float32")
    A, B = ph(a), ph(b, "B")
    out = build_run(topi.tensordot(A, B, axes), [A, B], [a, b], schedule=topi.generic.schedule_reduce)
    np.testing.assert_allclose(out, np.tensordot(a, b, axes), rtol=1e-5)


@pytest.mark.parametrize("indexing", ["ij", "xy"])
def test_meshgrid_invert_permutation(indexing):
    x, y, z = np.arange(3, dtype="float32"), np.arange(4, dtype="float32") + 10, np.arange(2, dtype="float32")
    X, Y, Z = ph(x, "X"), ph(y, "Y"), ph(z, "Z")
    outs = build_run(topi.meshgrid([X, Y, Z], indexing), [X, Y, Z], [x, y, z])
    for o, r in zip(outs, np.meshgrid(x, y, z, indexing=indexing)):
        np.testing.assert_array_equal(o, r)
    p = np.random.permutation(7).astype("int32")
    P = ph(p, "P")
    np.testing.assert_array_equal(build_run(topi.invert_permutation(P), [P], [p]), np.argsort(p))
