# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.tir.IndexMap: construction, map_indices/map_shape, inverse of box bijections, equivalence."""
import pytest

import tvm
from tvm import tir
from tvm.tir import IndexMap


def _ints(exprs):
    return [int(e) for e in exprs]


def test_from_func_names_and_dtypes():
    m = IndexMap.from_func(lambda i, j: [j, i])
    assert [v.name_hint for v in m.initial_indices] == ["i", "j"]
    assert all(v.dtype == "int64" for v in m.initial_indices)
    i, j = m.initial_indices
    tvm.ir.assert_structural_equal(list(m.final_indices), [j, i])


def test_from_func_varargs_needs_ndim():
    m = IndexMap.from_func(lambda *idx: idx[::-1], ndim=3, index_dtype="int32")
    assert [v.name_hint for v in m.initial_indices] == ["idx_0", "idx_1", "idx_2"]
    assert m.initial_indices[0].dtype == "int32"
    with pytest.raises(ValueError, match="give ndim"):
        IndexMap.from_func(lambda *idx: idx)


def test_from_func_single_expression_and_separator():
    m = IndexMap.from_func(lambda i, j: i * 4 + j)
    assert len(m.final_indices) == 1
    m2, seps = IndexMap.from_func_with_separators(lambda i, j, k: [i, IndexMap.AXIS_SEPARATOR, j, k])
    assert seps == [1] and len(m2.final_indices) == 3
    with pytest.raises(ValueError, match="AXIS_SEPARATOR"):
        IndexMap.from_func(lambda i, j: [i, IndexMap.AXIS_SEPARATOR, j])
    with pytest.raises(TypeError, match="got 'x'"):
        IndexMap.from_func(lambda i: [i, "x"])


def test_final_index_of_unknown_variable_is_refused():
    i = tir.Var("i", "int32")
    k = tir.Var("k", "int32")
    with pytest.raises(ValueError, match="uses k, which is not an initial index"):
        IndexMap([i], [i + k])


def test_map_indices_and_shape():
    m = IndexMap.from_func(lambda i: [i // 4, i % 4], index_dtype="int32")
    assert _ints(m.map_indices([tir.const(13, "int32")])) == [3, 1]
    assert _ints(m.map_shape([16])) == [4, 4]
    flat = IndexMap.from_func(lambda i, j, k: [(i * 6 + j) * 40 + k], index_dtype="int32")
    assert _ints(flat.map_shape([4, 6, 40])) == [960]
    with pytest.raises(ValueError, match="takes 1 indices, given 2"):
        m.map_indices([1, 2])


def test_map_shape_of_non_bijection_is_the_value_range():
    m = IndexMap.from_func(lambda i: [i + 2, i * 2], index_dtype="int32")
    assert _ints(m.map_shape([8])) == [8, 15]


def _check_inverse(fmap, shape):
    m = IndexMap.from_func(fmap, index_dtype="int32")
    inv = m.inverse(shape)
    assert _ints(inv.map_shape(_ints(m.map_shape(shape)))) == list(shape)
    # Every point round-trips.
    import itertools

    for point in itertools.product(*[range(n) for n in shape]):
        image = m.map_indices([tir.const(p, "int32") for p in point])
        assert tuple(_ints(inv.map_indices(image))) == point
    return inv


def test_inverse_split():
    inv = _check_inverse(lambda i: [i // 4, i % 4], [16])
    a0, a1 = inv.initial_indices
    tvm.ir.assert_structural_equal(list(inv.final_indices), [a0 * 4 + a1])


def test_inverse_permutation_fuse_and_mixed():
    _check_inverse(lambda i, j, k: [k, j, i], [2, 3, 4])
    _check_inverse(lambda i, j, k: [(i * 3 + j) * 4 + k], [2, 3, 4])
    _check_inverse(lambda i: [i // 12, (i // 4) % 3, i % 4], [24])
    _check_inverse(lambda i, j: [j // 2, i, j % 2], [3, 4])


def test_inverse_with_unit_extent():
    inv = _check_inverse(lambda n, i: [i, n], [1, 8])
    tvm.ir.assert_structural_equal(inv.final_indices[0], tir.const(0, "int32"))


def test_inverse_refuses_padding_and_overlap():
    m = IndexMap.from_func(lambda c: [c // 4, c % 4], index_dtype="int32")
    with pytest.raises(ValueError, match="would need padding"):
        m.inverse([3])
    overlap = IndexMap.from_func(lambda i: [i, i % 2], index_dtype="int32")
    with pytest.raises(ValueError, match="overlap or leave gaps"):
        overlap.inverse([4])
    non_affine = IndexMap.from_func(lambda i: [i * i], index_dtype="int32")
    with pytest.raises(ValueError, match="not a sum of splits"):
        non_affine.inverse([4])
    n = tir.Var("n", "int32")
    with pytest.raises(ValueError, match="not a positive constant"):
        IndexMap.from_func(lambda i: [i], index_dtype="int32").inverse([n])


def test_user_given_inverse_is_returned():
    m = IndexMap.from_func(lambda i: [i + 1], inverse_index_map=lambda j: [j - 1], index_dtype="int32")
    inv = m.inverse([4])
    assert _ints(inv.map_indices([tir.const(3, "int32")])) == [2]


def test_is_equivalent_to():
    a = IndexMap.from_func(lambda i, j: [j, i])
    b = IndexMap.from_func(lambda x, y: [y, x])
    c = IndexMap.from_func(lambda i, j: [i, j])
    d = IndexMap.from_func(lambda i: [i // 4, i % 4])
    e = IndexMap.from_func(lambda k: [k // 4, k - (k // 4) * 4])
    assert a.is_equivalent_to(b)
    assert not a.is_equivalent_to(c)
    assert not a.is_equivalent_to(d)
    assert d.is_equivalent_to(e)
    assert str(a) == "(i, j) -> [j, i]"


def test_results_take_the_type_of_the_indices():
    m = IndexMap.from_func(lambda i: [i // 4, i % 4], index_dtype="int32")
    tvm.ir.assert_structural_equal(
        list(m.map_indices([tir.const(42, "int64")])), [tir.const(10, "int64"), tir.const(2, "int64")]
    )
    tvm.ir.assert_structural_equal(
        list(m.map_shape([tir.const(16, "int64")])), [tir.const(4, "int64"), tir.const(4, "int64")]
    )
    # A shape the map pads: the ranges of values the final indices take.
    assert _ints(m.map_shape([14])) == [4, 4]
    assert _ints(m.map_shape([4])) == [1, 4]


def test_map_ndarray():
    import numpy as np

    m = IndexMap.from_func(lambda i, j, k: [k // 2, i, j, k % 2])
    src = np.arange(2 * 3 * 4, dtype="float32").reshape(2, 3, 4)
    out = m.map_ndarray(tvm.nd.array(src)).numpy()
    assert out.shape == (2, 2, 3, 2)
    np.testing.assert_array_equal(out, src.reshape(2, 3, 2, 2).transpose(2, 0, 1, 3))
    with pytest.raises(ValueError, match="takes 3 indices, the array has 1 dimensions"):
        m.map_ndarray(tvm.nd.array(np.zeros(4, "float32")))
