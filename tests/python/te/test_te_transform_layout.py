# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""s[T].transform_layout: the stored layout, the loops over the new axes, numeric results, errors."""
import numpy as np
import pytest

import tvm
from tvm import te
from tvm.driver.build_module import schedule_to_module

from te_nest_helpers import dedent, lower_nest


def copy_plus_one(shape):
    A = te.placeholder(shape, name="A")
    B = te.compute(shape, lambda *i: A(*i) + 1.0, name="B")
    return A, B, te.create_schedule(B.op)


def test_split_layout_returns_new_axes_and_loops_over_them():
    A, B, s = copy_plus_one((16,))
    axes = s[B].transform_layout(lambda i: [i // 4, i % 4])
    assert [int(iv.dom.extent) for iv in axes] == [4, 4]
    assert list(s[B].leaf_iter_vars) == axes
    expected = """
        for ax0 in range(4):
          for ax1 in range(4):
            B[ax0 * 4 + ax1] = A[ax0 * 4 + ax1] + T.float32(1.0)
    """
    assert lower_nest(s, [A, B]) == dedent(expected)
    func = tvm.lower(s, [A, B])["main"]
    assert [tuple(int(x) for x in b.shape) for b in func.buffer_map.values()] == [(16,), (4, 4)]


def test_schedule_to_module_keeps_logical_shape_until_apply_layout_transforms():
    A, B, s = copy_plus_one((16,))
    s[B].transform_layout(lambda i: [i // 4, i % 4])
    mod = schedule_to_module(s, [A, B])
    assert "layout_transform_map" in mod["main"].attrs
    assert tuple(int(x) for x in mod["main"].buffer_map[mod["main"].params[1]].shape) == (16,)
    mod = tvm.tir.transform.ApplyLayoutTransforms()(mod)
    func = mod["main"]
    assert "layout_transform_map" not in func.attrs
    b = func.buffer_map[func.params[1]]
    assert tuple(int(x) for x in b.shape) == (4, 4)
    stores = []
    tvm.tir.stmt_functor.post_order_visit(
        func.body, lambda n: stores.append(n) if isinstance(n, tvm.tir.BufferStore) else None
    )
    (store,) = stores
    assert store.buffer.same_as(b)
    assert [str(i) for i in store.indices] == ["ax0", "ax1"]


def test_permuted_input_and_output_with_reorder():
    A = te.placeholder((2, 3, 4), name="A")
    B = te.compute((2, 3, 4), lambda i, j, k: A[i, j, k] * 2.0, name="B")
    s = te.create_schedule(B.op)
    assert s[A].transform_layout(lambda i, j, k: [k, j, i]) is None
    k, i, j = s[B].transform_layout(lambda i, j, k: [k, i, j])
    s[B].reorder(i, k, j)
    expected = """
        for i in range(2):
          for k in range(4):
            for j in range(3):
              B[k * 6 + i * 3 + j] = A[k * 6 + j * 2 + i] * T.float32(2.0)
    """
    assert lower_nest(s, [A, B]) == dedent(expected)
    f = tvm.build(s, [A, B], "llvm")
    a_np = np.random.uniform(size=(2, 3, 4)).astype("float32")
    a = tvm.nd.array(np.ascontiguousarray(a_np.transpose(2, 1, 0)))
    b = tvm.nd.empty((4, 2, 3), "float32")
    f(a, b)
    np.testing.assert_allclose(b.numpy(), (a_np * 2.0).transpose(2, 0, 1))


def test_transformed_axes_split_and_vectorized():
    A, B, s = copy_plus_one((4, 32))
    # Fuse both axes into one, then split it back for vectors.
    (flat,) = s[B].transform_layout(lambda i, j: [i * 32 + j])
    outer, inner = s[B].split(flat, factor=8)
    s[B].vectorize(inner)
    expected = """
        for ax0_outer in range(16):
          B[ax0_outer * 8:ax0_outer * 8 + 8] = A[ax0_outer * 8:ax0_outer * 8 + 8] + T.Broadcast(T.float32(1.0), 8)
    """
    assert lower_nest(s, [A, B]) == dedent(expected)
    f = tvm.build(s, [A, B], "llvm")
    a_np = np.random.uniform(size=(4, 32)).astype("float32")
    b = tvm.nd.empty((128,), "float32")
    f(tvm.nd.array(a_np), b)
    np.testing.assert_allclose(b.numpy(), (a_np + 1.0).reshape(-1))


def test_intermediate_stage_layout_and_compute_at():
    A = te.placeholder((8, 6), name="A")
    B = te.compute((8, 6), lambda i, j: A[i, j] + 1.0, name="B")
    C = te.compute((8, 6), lambda i, j: B[i, j] * 3.0, name="C")
    s = te.create_schedule(C.op)
    s[B].transform_layout(lambda i, j: [j, i])
    f = tvm.build(s, [A, C], "llvm")
    a_np = np.random.uniform(size=(8, 6)).astype("float32")
    c = tvm.nd.empty((8, 6), "float32")
    f(tvm.nd.array(a_np), c)
    np.testing.assert_allclose(c.numpy(), (a_np + 1.0) * 3.0, rtol=1e-6)


def test_reduction_output_layout():
    A = te.placeholder((4, 6, 16), name="A")
    k = te.reduce_axis((0, 16), name="k")
    B = te.compute((4, 6), lambda i, j: te.sum(A[i, j, k], axis=k), name="B")
    s = te.create_schedule(B.op)
    j, i = s[B].transform_layout(lambda i, j: [j, i])
    assert list(s[B].leaf_iter_vars) == [j, i, k]
    f = tvm.build(s, [A, B], "llvm")
    a_np = np.random.uniform(size=(4, 6, 16)).astype("float32")
    b = tvm.nd.empty((6, 4), "float32")
    f(tvm.nd.array(a_np), b)
    np.testing.assert_allclose(b.numpy(), a_np.sum(axis=2).T, rtol=1e-5)


def test_cache_write_then_transform_output():
    A, B, s = copy_plus_one((16,))
    s.cache_write(B, "local")
    s[B].transform_layout(lambda i: [i // 4, i % 4])
    f = tvm.build(s, [A, B], "llvm")
    a_np = np.arange(16).astype("float32")
    b = tvm.nd.empty((4, 4), "float32")
    f(tvm.nd.array(a_np), b)
    np.testing.assert_allclose(b.numpy(), (a_np + 1.0).reshape(4, 4))


def test_padding_transform_is_refused_naming_the_stage():
    A = te.placeholder([1, 3, 8, 8], name="A")
    B = te.compute(A.shape, lambda *i: A[i], name="B")
    s = te.create_schedule(B.op)
    with pytest.raises(ValueError, match=r"of stage B is not a bijection .*would need padding"):
        s[B].transform_layout(lambda n, c, h, w: [n, c // 4, h, w, c % 4])


def test_wrong_number_of_indices_is_refused():
    A, B, s = copy_plus_one((4, 4))
    with pytest.raises(ValueError, match=r"transform_layout of stage B: .*takes 3 indices \(i, j, k\) but 2 are expected"):
        s[B].transform_layout(lambda i, j, k: [i, j, k])


def test_already_split_axis_is_refused():
    A, B, s = copy_plus_one((16,))
    s[B].split(B.op.axis[0], factor=4)
    with pytest.raises(ValueError, match="has already been split, fused or transformed"):
        s[B].transform_layout(lambda i: [i // 4, i % 4])


def test_axis_separators_are_recorded():
    A, B, s = copy_plus_one((2, 3, 4))
    s[B].transform_layout(lambda i, j, k: [i, te.AXIS_SEPARATOR, j, k])
    assert [int(x) for x in s[B].layout_axis_separators] == [1]


def test_axis_separator_gives_argument_a_physical_axis_per_group():
    A = te.placeholder((2, 3, 4), name="A")
    B = te.compute((2, 3, 4), lambda i, j, k: A[i, j, k] + 1.0, name="B")
    s = te.create_schedule(B.op)
    s[A].transform_layout(lambda i, j, k: [k, te.AXIS_SEPARATOR, j, i])
    s[B].transform_layout(lambda i, j, k: [i, j, te.AXIS_SEPARATOR, k])
    expected = """
        for i in range(2):
          for j in range(3):
            for k in range(4):
              B[i * 3 + j, k] = A[k, j * 2 + i] + T.float32(1.0)
    """
    assert lower_nest(s, [A, B]) == dedent(expected)
    func = tvm.lower(s, [A, B])["main"]
    a, b = (func.buffer_map[p] for p in func.params)
    assert [int(x) for x in a.axis_separators] == [1]
    assert tuple(int(x) for x in a.shape) == (4, 3, 2)


def test_axis_separator_of_intermediate_stage_is_flat():
    A = te.placeholder((2, 3, 4), name="A")
    B = te.compute((2, 3, 4), lambda i, j, k: A[i, j, k] + 1.0, name="B")
    C = te.compute((2, 3, 4), lambda i, j, k: B[i, j, k] * 2.0, name="C")
    s = te.create_schedule(C.op)
    s[B].transform_layout(lambda i, j, k: [k, te.AXIS_SEPARATOR, j, i])
    f = tvm.build(s, [A, C], "llvm")
    a_np = np.random.uniform(size=(2, 3, 4)).astype("float32")
    c = tvm.nd.empty((2, 3, 4), "float32")
    f(tvm.nd.array(a_np), c)
    np.testing.assert_allclose(c.numpy(), (a_np + 1.0) * 2.0, rtol=1e-6)
