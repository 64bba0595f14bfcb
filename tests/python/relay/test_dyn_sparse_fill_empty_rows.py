# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""sparse_fill_empty_rows: its output length depends on the indices' values, so the shape
function sizes it at run time (VM and debug executor)."""
import numpy as np
import pytest

import tvm
import tvm.testing
from tvm import relay


def reference(indices, values, dense_shape, default):
    """Row-sorted entries merged with [r, 0, ...] = default for each row without one."""
    out_idx, out_val = [], []
    rows = dense_shape[0]
    present = set(int(r) for r in indices[:, 0])
    pending = [r for r in range(rows) if r not in present]
    for row, val in zip(indices, values):
        while pending and pending[0] < row[0]:
            out_idx.append([pending.pop(0)] + [0] * (indices.shape[1] - 1))
            out_val.append(default)
        out_idx.append(list(row))
        out_val.append(val)
    for r in pending:
        out_idx.append([r] + [0] * (indices.shape[1] - 1))
        out_val.append(default)
    empty = np.array([r not in present for r in range(rows)])
    return (np.array(out_idx, indices.dtype).reshape(-1, indices.shape[1]), np.array(out_val, values.dtype), empty)


CASES = [
    ([[0, 1], [0, 3], [2, 0], [3, 1]], [1, 2, 3, 4], [5, 6], 10),
    ([[1, 1, 1], [1, 3, 1], [2, 0, 5], [3, 1, 6]], [1.5, 2.5, 3.5, 4.5], [7, 7, 7], -1.0),
    ([[1], [2]], [7, 8], [5], 4),
    (np.zeros((0, 2)), [], [3, 4], 9),
    ([[0, 0], [1, 1], [2, 2]], [5, 6, 7], [3, 3], 0),
]


@pytest.mark.parametrize("executor", ["debug", "vm"])
@pytest.mark.parametrize("case", range(len(CASES)))
@pytest.mark.parametrize("dynamic", [False, True])
def test_against_reference(executor, case, dynamic):
    indices, values, dense_shape, default = CASES[case]
    indices = np.array(indices, "int64").reshape(-1, len(dense_shape))
    values = np.array(values, "float32" if isinstance(default, float) else "int64")
    dense_shape = np.array(dense_shape, "int64")
    default = np.array([default], values.dtype)
    shape = (lambda s: [relay.Any()] * len(s)) if dynamic else (lambda s: list(s))
    a = relay.var("a", shape=shape(indices.shape), dtype="int64")
    b = relay.var("b", shape=shape(values.shape), dtype=str(values.dtype))
    c = relay.var("c", shape=shape(dense_shape.shape), dtype="int64")
    d = relay.var("d", shape=shape(default.shape), dtype=str(values.dtype))
    out = relay.sparse_fill_empty_rows(a, b, c, d)
    mod = tvm.IRModule.from_expr(relay.Function([a, b, c, d], out))
    got = relay.create_executor(executor, mod=mod, target="llvm").evaluate()(indices, values, dense_shape, default)
    want = reference(indices, values, dense_shape, default[0])
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g.numpy(), w)


def test_types():
    a = relay.var("a", shape=(4, 2), dtype="int32")
    b = relay.var("b", shape=(4,), dtype="float32")
    c = relay.var("c", shape=(2,), dtype="int64")
    d = relay.var("d", shape=(), dtype="float32")
    out = relay.sparse_fill_empty_rows(a, b, c, d)
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([a, b, c, d], out)))
    assert mod["main"].ret_type == relay.TupleType([relay.TensorType((relay.Any(), 2), "int32"),
                                                    relay.TensorType((relay.Any(),), "float32"),
                                                    relay.TensorType((relay.Any(),), "bool")])
    bad = relay.sparse_fill_empty_rows(a, b, c, relay.var("e", shape=(), dtype="int32"))
    with pytest.raises(tvm.error.TVMError, match="sparse_fill_empty_rows: default_value"):
        relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(bad), bad)))
    bad = relay.sparse_fill_empty_rows(a, relay.var("v", shape=(3,)), c, d)
    with pytest.raises(tvm.error.TVMError, match="one value per row of sparse_indices"):
        relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(bad), bad)))


def test_unsorted_or_out_of_range_rows_fail_clearly():
    a = relay.var("a", shape=(2, 1), dtype="int64")
    b = relay.var("b", shape=(2,), dtype="int64")
    c = relay.var("c", shape=(1,), dtype="int64")
    d = relay.var("d", shape=(1,), dtype="int64")
    mod = tvm.IRModule.from_expr(relay.Function([a, b, c, d], relay.sparse_fill_empty_rows(a, b, c, d)))
    run = relay.create_executor("vm", mod=mod, target="llvm").evaluate()
    args = [np.array([3], "int64"), np.array([0], "int64")]
    with pytest.raises(tvm.error.TVMError, match="sorted by row"):
        run(np.array([[2], [1]], "int64"), np.array([1, 2], "int64"), *args)
    with pytest.raises(tvm.error.TVMError, match="outside dense_shape"):
        run(np.array([[1], [5]], "int64"), np.array([1, 2], "int64"), *args)


if __name__ == "__main__":
    tvm.testing.main()
