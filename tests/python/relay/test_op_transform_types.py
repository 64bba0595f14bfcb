# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Type relations of the shape and data-movement operators, initialisers and sorting."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay.testing import run_infer_type


def infer(expr):
    return run_infer_type(expr).checked_type


def tensor(shape, dtype="float32"):
    return relay.TensorType(shape, dtype)


def var(name, shape, dtype="float32"):
    return relay.var(name, shape=shape, dtype=dtype)


def expect_error(expr, *fragments):
    with pytest.raises(tvm.error.DiagnosticError) as info:
        run_infer_type(expr)
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


@pytest.mark.parametrize(
    "shape, newshape, oshape",
    [
        ((2, 3, 4), (6, 4), (6, 4)),
        ((2, 3, 4), (0, -1), (2, 12)),
        ((2, 3, 4), (-1,), (24,)),
        ((2, 3, 4), (-2,), (2, 3, 4)),
        ((2, 3, 4), (2, -2), (2, 3, 4)),
        ((2, 3, 4), (-3, 4), (6, 4)),
        ((2, 3, 4, 5), (-3, -3), (6, 20)),
        ((2, 3, 4), (-4, 1, 2, -2), (1, 2, 3, 4)),
        ((2, 3, 4), (2, -4, -1, 3, -2), (2, 1, 3, 4)),
        ((6, 4), (-4, 2, -1, 0), (2, 3, 4)),
        ((1,), (), ()),
    ],
)
def test_reshape(shape, newshape, oshape):
    # Each case agrees with numpy where numpy can express it.
    assert infer(relay.reshape(var("x", shape), newshape)) == tensor(oshape)
    if all(v > 0 or v == -1 for v in newshape):
        assert np.empty(shape).reshape(newshape).shape == oshape


def test_reshape_errors_and_reverse():
    x = var("x", (2, 3, 4))
    expect_error(relay.reshape(x, (5, -1)), "reshape", "(2, 3, 4)", "24 elements")
    expect_error(relay.reshape(x, (-1, -1)), "more than one -1")
    expect_error(relay.reshape(x, (7,)), "24 elements cannot become 7")
    assert infer(relay.reverse_reshape(var("x", (10, 5, 4)), (-1, 0))) == tensor((50, 4))
    assert infer(relay.reverse_reshape(var("x", (2, 3, 4)), (4, -1))) == tensor((4, 6))
    assert relay.reshape(x, [6, 4]).attrs.newshape[0] == 6


def test_transpose_squeeze_expand_dims():
    x = var("x", (2, 3, 4))
    assert infer(relay.transpose(x)) == tensor((4, 3, 2))
    assert infer(relay.transpose(x, (0, 2, 1))) == tensor((2, 4, 3))
    assert infer(relay.transpose(x, (-1, 0, 1))) == tensor((4, 2, 3))
    expect_error(relay.transpose(x, (0, 0, 1)), "transpose", "repeat axis 0")
    expect_error(relay.transpose(x, (0, 1)), "(2, 3, 4)", "rank 3")
    y = var("y", (1, 3, 1, 4))
    assert infer(relay.squeeze(y)) == tensor((3, 4))
    assert infer(relay.squeeze(y, axis=[2])) == tensor((1, 3, 4))
    assert infer(relay.squeeze(y, axis=[-4])) == tensor((3, 1, 4))
    expect_error(relay.squeeze(y, axis=[1]), "squeeze", "axis 1", "(1, 3, 1, 4)")
    assert infer(relay.expand_dims(x, 1)) == tensor((2, 1, 3, 4))
    assert infer(relay.expand_dims(x, -1, 2)) == tensor((2, 3, 4, 1, 1))
    assert infer(relay.expand_dims(x, 3)) == tensor((2, 3, 4, 1))
    expect_error(relay.expand_dims(x, 5), "expand_dims", "axis 5")


def test_concatenate_stack_split():
    a, b = var("a", (2, 3)), var("b", (2, 5))
    assert infer(relay.concatenate([a, b], axis=1)) == tensor((2, 8))
    assert infer(relay.concatenate([a, var("c", (4, 3))], axis=-2)) == tensor((6, 3))
    expect_error(relay.concatenate([a, b], axis=0), "concatenate", "(2, 5)", "(2, 3)", "axis 1")
    expect_error(relay.concatenate([a, var("c", (2, 3), "int32")], axis=0), "dtype")
    assert infer(relay.stack([a, a, a], axis=1)) == tensor((2, 3, 3))
    assert infer(relay.stack([a, a], axis=-1)) == tensor((2, 3, 2))
    expect_error(relay.stack([a, b], axis=0), "stack", "(2, 5)")
    x = var("x", (4, 6))
    parts = relay.split(x, 3, axis=1)
    assert infer(parts.astuple()) == relay.TupleType([tensor((4, 2))] * 3)
    parts = relay.split(x, (1, 4), axis=1)
    assert infer(parts.astuple()) == relay.TupleType([tensor((4, 1)), tensor((4, 3)), tensor((4, 2))])
    assert infer(parts[2]) == tensor((4, 2))
    expect_error(relay.split(x, 4, axis=1).astuple(), "split", "does not divide into 4")
    expect_error(relay.split(x, (3, 1), axis=1).astuple(), "increasing")


@pytest.mark.parametrize(
    "begin, end, strides, kwargs",
    [
        ([0, 1], [2, 4], None, {}),
        ([1], [-1], None, {}),
        ([0, 0], [4, 6], [2, 3], {}),
        ([-1, 5], [-5, 0], [-1, -2], {}),
        ([3, -100], [0, 100], [-1, 1], {}),
        ([10], [20], None, {}),
    ],
)
def test_strided_slice_matches_numpy(begin, end, strides, kwargs):
    data = np.zeros((4, 6))
    index = tuple(slice(b, e, (strides[i] if strides else 1)) for i, (b, e) in enumerate(zip(begin, end)))
    y = relay.strided_slice(var("x", (4, 6)), begin, end, strides, **kwargs)
    assert infer(y) == tensor(data[index].shape)


def test_strided_slice_axes_and_size_mode():
    x = var("x", (4, 6, 8))
    assert infer(relay.strided_slice(x, [1], [5], axes=[2])) == tensor((4, 6, 4))
    assert infer(relay.strided_slice(x, [1, 2], [2, -1], slice_mode="size")) == tensor((2, 4, 8))
    expect_error(relay.strided_slice(x, [1, 2], [5], axes=[2]), "strided_slice", "same length")
    expect_error(relay.strided_slice(x, [0], [1], [0]), "stride of axis 0 is 0")


def test_slice_like():
    x = var("x", (4, 6, 8))
    assert infer(relay.slice_like(x, var("y", (2, 3)))) == tensor((2, 3, 8))
    assert infer(relay.slice_like(x, var("y", (1, 2, 3)), axes=[2])) == tensor((4, 6, 3))
    expect_error(relay.slice_like(x, var("y", (5, 3))), "slice_like", "(5, 3)", "(4, 6, 8)")


def test_take_gather():
    x = var("x", (4, 5, 6))
    i = var("i", (2, 3), "int32")
    assert infer(relay.take(x, i)) == tensor((2, 3))
    assert infer(relay.take(x, i, axis=1)) == tensor((4, 2, 3, 6))
    assert infer(relay.take(x, var("j", (4, 3), "int32"), axis=1, batch_dims=1)) == tensor((4, 3, 6))
    assert infer(relay.take(x, var("j", (), "int32"), axis=0)) == tensor((5, 6))
    expect_error(relay.take(x, var("f", (2,)), axis=1), "take", "integer dtype", "float32")
    expect_error(relay.take(x, i, axis=3), "axis 3")
    assert infer(relay.gather(x, 1, var("g", (4, 2, 6), "int64"))) == tensor((4, 2, 6))
    expect_error(relay.gather(x, 1, var("g", (4, 2), "int64")), "gather", "same rank")
    assert infer(relay.gather_nd(x, var("n", (2, 7), "int32"))) == tensor((7, 6))
    assert infer(relay.gather_nd(x, var("n", (1, 4, 2), "int32"), batch_dims=1)) == tensor((4, 2, 6))
    expect_error(relay.gather_nd(x, var("n", (4, 7), "int32")), "gather_nd", "(4, 7)", "rank 3")


def test_scatter_elements_one_hot():
    d = var("d", (3, 4))
    i, u = var("i", (2, 4), "int32"), var("u", (2, 4))
    assert infer(relay.scatter_elements(d, i, u, axis=0, reduction="add")) == tensor((3, 4))
    expect_error(relay.scatter_elements(d, i, var("u", (2, 3))), "scatter_elements", "(2, 3)", "(2, 4)")
    expect_error(relay.scatter_elements(d, i, u, reduction="xor"), "reduction")
    idx = var("idx", (2, 3), "int32")
    on, off = relay.const(1.0), relay.const(0.0)
    assert infer(relay.one_hot(idx, on, off, 5, -1, "float32")) == tensor((2, 3, 5))
    assert infer(relay.one_hot(idx, on, off, 5, 0, "int32")) == tensor((5, 2, 3), "int32")
    expect_error(relay.one_hot(idx, relay.const([1.0, 2.0]), off, 5, -1, "float32"), "on_value", "scalar")


def test_tile_repeat_reverse():
    x = var("x", (2, 3))
    assert infer(relay.tile(x, (2, 2))) == tensor((4, 6))
    assert infer(relay.tile(x, (3,))) == tensor((2, 9))
    assert infer(relay.tile(x, (2, 1, 2))) == tensor((2, 2, 6))
    assert np.tile(np.zeros((2, 3)), (2, 1, 2)).shape == (2, 2, 6)
    assert infer(relay.repeat(x, 3, 1)) == tensor((2, 9))
    expect_error(relay.repeat(x, 0, 1), "repeat", "positive")
    assert infer(relay.reverse(x, 1)) == tensor((2, 3))
    expect_error(relay.reverse(x, 2), "reverse", "axis 2")


def test_broadcast_and_init():
    x = var("x", (3, 1))
    assert infer(relay.broadcast_to(x, (2, 3, 4))) == tensor((2, 3, 4))
    expect_error(relay.broadcast_to(x, (2, 4)), "broadcast_to", "(3, 1)", "(2, 4)")
    assert infer(relay.broadcast_to_like(x, var("y", (5, 3, 2)))) == tensor((5, 3, 2))
    assert infer(relay.zeros((2, 3), "int32")) == tensor((2, 3), "int32")
    assert infer(relay.ones((4,), "float16")) == tensor((4,), "float16")
    assert infer(relay.full(relay.const(2, "int64"), (2, 2))) == tensor((2, 2), "int64")
    assert infer(relay.full(3.0, (1, 2), "float64")) == tensor((1, 2), "float64")
    assert infer(relay.full_like(x, relay.const(1.0))) == tensor((3, 1))
    expect_error(relay.full(relay.const([1.0, 2.0]), (2,)), "full", "fill_value must be a scalar")


@pytest.mark.parametrize("args", [(5,), (1, 7, 2), (0.5, 3.0, 0.25), (10, 0, -3), (3, 1)])
def test_arange_matches_numpy(args):
    y = relay.arange(*[relay.const(a, "float32") for a in args])
    assert infer(y) == tensor(np.arange(*args).shape)


def test_layout_transform():
    x = var("x", (1, 32, 8, 8))
    assert infer(relay.layout_transform(x, "NCHW", "NHWC")) == tensor((1, 8, 8, 32))
    assert infer(relay.layout_transform(x, "NCHW", "NCHW16c")) == tensor((1, 2, 8, 8, 16))
    y = var("y", (1, 2, 8, 8, 16))
    assert infer(relay.layout_transform(y, "NCHW16c", "NHWC")) == tensor((1, 8, 8, 32))
    assert infer(relay.layout_transform(y, "NCHW16c", "NCHW4c")) == tensor((1, 8, 8, 8, 4))
    expect_error(relay.layout_transform(x, "NCHW", "NCHW5c"), "layout_transform", "does not split by 5")
    expect_error(relay.layout_transform(x, "NCHW", "NCH"), "primal axes")
    expect_error(relay.layout_transform(x, "NCW", "NWC"), "(1, 32, 8, 8)")


def test_cumsum_sort_topk_shape_of():
    x = var("x", (3, 4))
    assert infer(relay.cumsum(x)) == tensor((12,))
    assert infer(relay.cumsum(x, axis=1, dtype="float64")) == tensor((3, 4), "float64")
    assert infer(relay.cumprod(x, axis=0, exclusive=True)) == tensor((3, 4))
    expect_error(relay.cumsum(x, axis=2), "cumsum", "axis 2")
    assert infer(relay.sort(x)) == tensor((3, 4))
    assert infer(relay.argsort(x, axis=0, dtype="int64")) == tensor((3, 4), "int64")
    assert infer(relay.topk(x, k=2).astuple()) == relay.TupleType([tensor((3, 2)), tensor((3, 2), "int32")])
    assert infer(relay.topk(x, k=0, axis=0, ret_type="values")) == tensor((3, 4))
    assert infer(relay.topk(x, k=1, ret_type="indices", dtype="int64")) == tensor((3, 1), "int64")
    expect_error(relay.topk(x, k=5, ret_type="values"), "topk", "k=5")
    assert infer(relay.shape_of(x)) == tensor((2,), "int32")
    assert infer(relay.shape_of(x, "int64")) == tensor((2,), "int64")


def test_any_dimensions():
    x = relay.var("x", relay.TensorType((relay.Any(), 4)))
    out = infer(relay.reshape(x, (-1, 2)))
    assert isinstance(out.shape[0], tvm.tir.Any) and int(out.shape[1]) == 2
    out = infer(relay.concatenate([x, x], axis=0))
    assert isinstance(out.shape[0], tvm.tir.Any)
    out = infer(relay.transpose(x))
    assert isinstance(out.shape[1], tvm.tir.Any)


if __name__ == "__main__":
    pytest.main([__file__])


@pytest.mark.parametrize(
    "equation, shapes",
    [
        ("ij,jk->ik", [(2, 3), (3, 4)]),
        ("ij,jk", [(2, 3), (3, 4)]),
        ("ii->i", [(3, 3)]),
        ("ij->", [(2, 3)]),
        ("bij,bjk->bik", [(5, 2, 3), (5, 3, 4)]),
        ("...ij,...jk->...ik", [(5, 1, 2, 3), (4, 3, 4)]),
        ("i,j", [(2,), (3,)]),
        ("ba", [(2, 3)]),
    ],
)
def test_einsum_matches_numpy(equation, shapes):
    inputs = [var("x%d" % i, s) for i, s in enumerate(shapes)]
    expected = np.einsum(equation, *[np.zeros(s) for s in shapes]).shape
    assert infer(relay.einsum(inputs, equation)) == tensor(expected)


def test_einsum_errors():
    a, b = var("a", (2, 3)), var("b", (4, 5))
    expect_error(relay.einsum([a, b], "ij,jk->ik"), "einsum", "label 'j'", "(4, 5)")
    expect_error(relay.einsum([a], "ijk->i"), "subscripts", "(2, 3)")
    expect_error(relay.einsum([a, b], "ij->i"), "2 tensors")
    expect_error(relay.einsum([a], "ij->iz"), "label 'z'")


def test_reshape_like_and_collapse_sum_like():
    x = var("x", (2, 3, 4))
    assert infer(relay.reshape_like(x, var("y", (6, 4)))) == tensor((6, 4))
    assert infer(relay.reshape_like(x, var("y", (1, 12, 9)), lhs_begin=1, rhs_begin=1, rhs_end=2)) == tensor((2, 12))
    expect_error(relay.reshape_like(x, var("y", (5, 5))), "reshape_like", "(2, 3, 4)", "(5, 5)")
    assert infer(relay.collapse_sum_like(x, var("y", (3, 1)))) == tensor((3, 1))
    expect_error(relay.collapse_sum_like(x, var("y", (5,))), "collapse_sum_like", "(5,)")


def test_sequences_meshgrid_trilu_size():
    x = var("x", (5, 3, 2))
    assert infer(relay.reverse_sequence(x, var("l", (3,), "int32"), seq_axis=0, batch_axis=1)) == tensor((5, 3, 2))
    expect_error(relay.reverse_sequence(x, var("l", (5,), "int32"), seq_axis=0, batch_axis=1), "seq_lengths", "(5,)")
    assert infer(relay.sequence_mask(x, var("l", (3,), "int32"))) == tensor((5, 3, 2))
    # Float lengths are accepted (as TVM does); the count of lengths is checked.
    assert infer(relay.sequence_mask(x, var("l", (3,), "float32"))) == tensor((5, 3, 2))
    expect_error(relay.sequence_mask(x, var("l", (4,), "int32")), "valid_length (4,)", "(5, 3, 2)")
    a, b = var("a", (3,)), var("b", (4,))
    assert infer(relay.meshgrid([a, b]).astuple()) == relay.TupleType([tensor((3, 4))] * 2)
    assert infer(relay.meshgrid([a, b], indexing="xy").astuple()) == relay.TupleType([tensor((4, 3))] * 2)
    assert [g.shape for g in np.meshgrid(np.zeros(3), np.zeros(4))] == [(4, 3)] * 2
    expect_error(relay.meshgrid([a, var("c", (2, 2))]).astuple(), "meshgrid", "(2, 2)")
    assert infer(relay.trilu(var("m", (3, 4)), 1)) == tensor((3, 4))
    expect_error(relay.trilu(var("v", (3,)), 0), "trilu", "rank 2")
    assert infer(relay.ndarray_size(x, "int64")) == tensor((), "int64")


def test_collapse_sum_to_unravel_index_matrix_set_diag():
    x = var("x", (2, 3, 4))
    assert infer(relay.collapse_sum_to(x, (3, 1))) == tensor((3, 1))
    expect_error(relay.collapse_sum_to(x, (2, 4)), "collapse_sum_to", "(2, 4)")
    idx = var("i", (5,), "int32")
    assert infer(relay.unravel_index(idx, (3, 4))) == tensor((2, 5), "int32")
    assert infer(relay.unravel_index(var("j", (), "int64"), relay.const(np.array([3, 4], "int64")))) == tensor(
        (2,), "int64")
    expect_error(relay.unravel_index(var("f", (5,)), (3, 4)), "unravel_index", "integer dtype")
    m = var("m", (2, 3, 4))
    assert infer(relay.matrix_set_diag(m, var("d", (2, 3)))) == tensor((2, 3, 4))
    assert infer(relay.matrix_set_diag(m, var("d", (2, 2, 3)), k=(0, 1))) == tensor((2, 3, 4))
    expect_error(relay.matrix_set_diag(m, var("d", (3, 3))), "matrix_set_diag", "(3, 3)", "(2, 3, 4)")
