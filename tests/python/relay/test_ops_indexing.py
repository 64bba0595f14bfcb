# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""strided_set, sparse_to_dense, scatter_nd, adv_index, sliding_window, unique and stft:
type relations (one wrong shape each, its message checked) and numbers against numpy."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay.testing import run_infer_type

RNG = np.random.default_rng(11)


def run(make, *arrays):
    params = [relay.var(f"p{i}", shape=a.shape, dtype=str(a.dtype)) for i, a in enumerate(arrays)]
    body = make(*params)
    if isinstance(body, relay.TupleWrapper):
        body = body.astuple()
    mod = tvm.IRModule.from_expr(relay.Function(params, body))
    out = relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(*arrays)
    return out.numpy() if isinstance(out, tvm.runtime.NDArray) else [o.numpy() for o in out]


def type_error(expr, *fragments):
    with pytest.raises(tvm.error.DiagnosticError) as info:
        run_infer_type(expr)
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


@pytest.mark.parametrize("begin,end,strides", [([0, 1, 0], [3, 4, 5], [1, 2, 2]), ([2, -1, 0], [0, 0, 5], [-1, -2, 1]),
                                               ([1, 1], [3, 3, 4], None)])
def test_strided_set(begin, end, strides):
    data = RNG.standard_normal((3, 5, 5)).astype("float32")
    want = data.copy()
    n = min(len(begin), len(end))
    steps = (strides or [1] * n)[:n]
    region = tuple(slice(b, e, s) for b, e, s in zip(begin, end, steps))
    value = RNG.standard_normal(want[region].shape).astype("float32")
    want[region] = value
    got = run(lambda d, v: relay.strided_set(d, v, begin, end, strides), data, value)
    np.testing.assert_array_equal(got, want)
    assert "strided_set" in relay.strided_set(relay.var("d", shape=(3, 5, 5)), relay.var("v", shape=(1, 1, 1)),
                                              begin, end, strides).astext()


def test_strided_set_wrong_rank():
    type_error(relay.strided_set(relay.var("d", shape=(3, 4)), relay.var("v", shape=(2,)), [0, 0], [2, 2]),
               "strided_set", "v (2,)", "(3, 4)")


def test_sparse_to_dense():
    indices = np.array([[0, 1], [2, 3], [1, 0]], "int32")
    values = np.array([1.5, -2.0, 3.25], "float32")
    got = run(lambda i, v: relay.sparse_to_dense(i, [3, 4], v, relay.const(0.5)), indices, values)
    want = np.full((3, 4), 0.5, "float32")
    want[tuple(indices.T)] = values
    np.testing.assert_array_equal(got, want)
    got = run(lambda i: relay.sparse_to_dense(i, [5], relay.const(7)), np.array([4, 1], "int64"))
    np.testing.assert_array_equal(got, [0, 7, 0, 0, 7])


def test_sparse_to_dense_wrong_index_width():
    type_error(relay.sparse_to_dense(relay.var("i", shape=(3, 3), dtype="int32"), [3, 4], relay.var("v", shape=(3,))),
               "sparse_to_dense", "sparse_indices (3, 3)", "rank 2")


@pytest.mark.parametrize("mode", ["update", "add"])
def test_scatter_nd(mode):
    data = RNG.standard_normal((4, 3, 2)).astype("float32")
    indices = np.array([[0, 3, 1], [2, 0, 2]], "int64")
    updates = RNG.standard_normal((3, 2)).astype("float32")
    want = data.copy()
    for y in range(3):
        at = (indices[0, y], indices[1, y])
        want[at] = updates[y] if mode == "update" else want[at] + updates[y]
    got = run(lambda d, i, u: relay.op.scatter_nd(d, i, u, mode), data, indices, updates)
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_scatter_nd_wrong_updates():
    type_error(relay.op.scatter_nd(relay.var("d", shape=(4, 3, 2)), relay.var("i", shape=(2, 3), dtype="int64"),
                                   relay.var("u", shape=(3, 3))), "scatter_nd", "updates (3, 3)", "(4, 3, 2)")


def test_adv_index():
    data = RNG.standard_normal((6, 5, 4)).astype("float32")
    rows = RNG.integers(0, 6, (3, 1)).astype("int64")
    cols = RNG.integers(0, 5, (1, 2)).astype("int64")
    got = run(lambda d, r, c: relay.op.adv_index([d, r, c]), data, rows, cols)
    np.testing.assert_array_equal(got, data[rows, cols])


def test_adv_index_indices_that_do_not_broadcast():
    d = relay.var("d", shape=(6, 5))
    type_error(relay.op.adv_index([d, relay.var("a", shape=(3,), dtype="int64"), relay.var("b", shape=(4,), dtype="int64")]),
               "adv_index", "index 1 (4,)", "(3,)")


def test_sliding_window():
    data = RNG.standard_normal((2, 7, 9)).astype("float32")
    got = run(lambda d: relay.sliding_window(d, 1, [3, 4], [2, 3]), data)
    want = np.stack([np.stack([data[:, i * 2:i * 2 + 3, j * 3:j * 3 + 4] for j in range(2)], 1) for i in range(3)], 1)
    assert got.shape == (2, 3, 2, 3, 4)
    np.testing.assert_array_equal(got, want)


def test_sliding_window_too_long():
    type_error(relay.sliding_window(relay.var("d", shape=(2, 3)), 1, [4], [1]), "sliding_window", "window 4",
               "(2, 3)")


@pytest.mark.parametrize("is_sorted,return_counts", [(True, False), (False, True), (True, True)])
def test_unique(is_sorted, return_counts):
    data = RNG.integers(0, 6, 15).astype("int32")
    got = run(lambda d: relay.unique(d, is_sorted, return_counts), data)
    uniq, first, inverse, counts = np.unique(data, return_index=True, return_inverse=True, return_counts=True)
    if not is_sorted:
        order = np.argsort(first)
        uniq, first, counts = uniq[order], first[order], counts[order]
        inverse = np.argsort(order)[inverse]
    k = len(uniq)
    assert got[3].tolist() == [k]
    np.testing.assert_array_equal(got[0][:k], uniq)
    np.testing.assert_array_equal(got[1][:k], first)
    np.testing.assert_array_equal(got[2], inverse)
    if return_counts:
        np.testing.assert_array_equal(got[4][:k], counts)


def test_unique_needs_1d():
    type_error(relay.unique(relay.var("d", shape=(2, 3), dtype="int32")).astuple(), "unique", "1-D", "(2, 3)")


@pytest.mark.parametrize("n_fft,hop,win,normalized,onesided", [(4, 2, 4, False, True), (6, 1, 4, True, False)])
def test_stft(n_fft, hop, win, normalized, onesided):
    data = RNG.standard_normal((2, 13)).astype("float32")
    window = RNG.uniform(0.5, 1.5, win).astype("float32")
    got = run(lambda d, w: relay.op.stft(d, n_fft, hop, win, w, normalized, onesided), data, window)
    padded = np.zeros(n_fft)
    padded[(n_fft - win) // 2:(n_fft - win) // 2 + win] = window
    frames = (13 - n_fft) // hop + 1
    spectrum = np.stack([np.fft.fft(data[:, t * hop:t * hop + n_fft] * padded, axis=-1) for t in range(frames)], -1)
    if onesided:
        spectrum = spectrum[:, :n_fft // 2 + 1]
    if normalized:
        spectrum = spectrum / np.sqrt(n_fft)
    np.testing.assert_allclose(got, np.stack([spectrum.real, spectrum.imag], -1), rtol=1e-4, atol=1e-4)


def test_stft_window_of_the_wrong_length():
    type_error(relay.op.stft(relay.var("d", shape=(1, 16)), 8, 2, 8, relay.var("w", shape=(6,))), "stft",
               "window must be 1-D of win_length 8", "(6,)")


@pytest.mark.parametrize("prev,new", [((2, 3, 6), (9, -1)), ((4, 5), (5, 2, 2)), ((3, 8), (-1,))])
def test_sparse_reshape(prev, new):
    dense = np.zeros(prev, "int8")
    flat = RNG.choice(dense.size, 7, replace=False)
    indices = np.stack(np.unravel_index(np.sort(flat), prev), 1).astype("int64")
    got_idx, got_shape = run(lambda i, p, n: relay.op.sparse_reshape(i, p, n), indices, np.array(prev, "int64"),
                             np.array(new, "int64"))
    resolved = np.zeros(dense.size).reshape(new).shape
    np.testing.assert_array_equal(got_shape, resolved)
    np.testing.assert_array_equal(got_idx, np.stack(np.unravel_index(np.sort(flat), resolved), 1))


def test_sparse_reshape_indices_of_another_rank():
    type_error(relay.op.sparse_reshape(relay.var("i", shape=(4, 3), dtype="int64"),
                                       relay.var("p", shape=(2,), dtype="int64"),
                                       relay.var("n", shape=(1,), dtype="int64")).astuple(),
               "sparse_reshape", "(4, 3)", "prev_shape (2,)")


def test_segment_sum():
    data = RNG.standard_normal((6, 3)).astype("float32")
    ids = np.array([0, 2, 0, 3, 2, 0], "int32")
    got = run(lambda d, s: relay.op.segment_sum(d, s, 5), data, ids)
    want = np.zeros((5, 3), "float32")
    np.add.at(want, ids, data)
    np.testing.assert_allclose(got, want, rtol=1e-6)
    got = run(lambda d: relay.op.segment_sum(d, relay.const(ids)), data)
    np.testing.assert_allclose(got, want[:4], rtol=1e-6)
    # Without num_segments the count is max(ids) + 1, known at run time: dyn ops (test_dyn_ops.py runs them).
    dynamic = relay.op.segment_sum(relay.var("d", shape=(6, 3)), relay.var("s", shape=(6,), dtype="int32"))
    assert "dyn.zeros" in dynamic.astext()


def test_segment_sum_fewer_ids_than_rows():
    # As in TVM: only the rows that have an id are summed; 3-d data keeps its trailing axes.
    data = RNG.standard_normal((5, 2, 3)).astype("float64")
    ids = np.array([3, 0, 3], "int64")
    got = run(lambda d, s: relay.op.segment_sum(d, s, 4), data, ids)
    want = np.zeros((4, 2, 3))
    np.add.at(want, ids, data[:3])
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_segment_sum_shape_errors():
    d, s = relay.var("d", shape=(2, 3)), relay.var("s", shape=(3,), dtype="int32")
    with pytest.raises(ValueError, match=r"segment_sum: 3 segment_ids for only 2 rows of data \[2, 3\]"):
        relay.op.segment_sum(d, s, 4)
    dyn = relay.var("d", shape=(relay.Any(), 3))
    assert "dyn.zeros" in relay.op.segment_sum(dyn, s, 4).astext()  # dynamic shapes: built from dyn ops
    with pytest.raises(ValueError, match=r"segment_ids \[1, 3\] must be 1-d"):
        relay.op.segment_sum(d, relay.var("s2", shape=(1, 3), dtype="int32"), 4)
