# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""StorageFlatten: realize -> allocate, N-d accesses -> flat indices."""
import tvm
from tvm import tir
from tvm.tir import ForKind


def _run(func, cache_line=64, bounds=False):
    return tvm.tir.transform.StorageFlatten(cache_line, bounds)(tvm.IRModule({"main": func}))["main"]


def _f32(v):
    return tir.const(v, "float32")


def _flat_buffer(buf, extent):
    return tir.decl_buffer((extent,), buf.dtype, buf.name, data=buf.data)


def test_parameter_accesses_become_row_major_offsets():
    A = tir.decl_buffer((16, 8), name="A")
    B = tir.decl_buffer((16, 8), name="B")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    body = tir.For(i, 0, 16, ForKind.SERIAL, tir.For(j, 0, 8, ForKind.SERIAL, tir.BufferStore(B, A[i, j] * _f32(2.0), [i, j])))
    out = _run(tir.PrimFunc([A, B], body))
    A1, B1 = _flat_buffer(A, 128), _flat_buffer(B, 128)
    expected = tir.For(
        i, 0, 16, ForKind.SERIAL, tir.For(j, 0, 8, ForKind.SERIAL, tir.BufferStore(B1, A1[i * 8 + j] * _f32(2.0), [i * 8 + j]))
    )
    tvm.ir.assert_structural_equal(out.body, expected, map_free_vars=True)
    # The accesses share the parameters' data pointers.
    assert out.body.body.body.buffer.data.same_as(B.data)


def test_realize_becomes_allocate_with_region_offset():
    A = tir.decl_buffer((16, 16), name="A")
    T = tir.decl_buffer((4, 16), name="T")
    i, r, j = tir.Var("i", "int32"), tir.Var("r", "int32"), tir.Var("j", "int32")
    # T holds rows [i*4, i*4 + 4) (compute_at): indices are global.
    store = tir.BufferStore(T, A[i * 4 + r, j], [i * 4 + r, j])
    realize = tir.BufferRealize(T, [tvm.ir.Range.from_min_extent(i * 4, 4), tvm.ir.Range(0, 16)], True,
                                tir.For(r, 0, 4, ForKind.SERIAL, tir.For(j, 0, 16, ForKind.SERIAL, store)))
    body = tir.For(i, 0, 4, ForKind.SERIAL, tir.AttrStmt(T, "realize_scope", tir.StringImm("local"), realize))
    out = _run(tir.PrimFunc([A], body))
    alloc = out.body.body
    assert isinstance(alloc, tir.Allocate)
    assert alloc.buffer_var.type_annotation.storage_scope == "local"
    tvm.ir.assert_structural_equal(list(alloc.extents), [tir.const(64, "int32")])
    flat_store = alloc.body.body.body
    # (i*4 + r - i*4) * 16 + j, before Simplify.
    tvm.ir.assert_structural_equal(flat_store.indices[0], (i * 4 + r - i * 4) * 16 + j)
    assert flat_store.buffer.data.same_as(alloc.buffer_var)


def test_scope_from_threads_when_unset():
    T = tir.decl_buffer((4,), name="T")
    tx = tir.IterVar(tvm.ir.Range(0, 32), tir.Var("threadIdx.x", "int32"), 1, "threadIdx.x")
    realize = tir.BufferRealize(T, [tvm.ir.Range(0, 4)], True, tir.BufferStore(T, _f32(0.0), [0]))
    body = tir.AttrStmt(tx, "thread_extent", 32, tir.AttrStmt(T, "realize_scope", tir.StringImm(""), realize))
    out = _run(tir.PrimFunc([], body))
    assert out.body.body.buffer_var.type_annotation.storage_scope == "local"


def test_storage_align_pads_strides():
    T = tir.decl_buffer((8, 30), name="T")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    realize = tir.BufferRealize(
        T, [tvm.ir.Range(0, 8), tvm.ir.Range(0, 30)], True,
        tir.For(i, 0, 8, ForKind.SERIAL, tir.For(j, 0, 30, ForKind.SERIAL, tir.BufferStore(T, _f32(0.0), [i, j]))))
    # Row stride 30 -> 33: stride % 32 == 1.
    body = tir.AttrStmt(T, "buffer_dim_align", tir.tvm_tuple(0, 32, 1), realize)
    out = _run(tir.PrimFunc([], body))
    tvm.ir.assert_structural_equal(list(out.body.extents), [tir.const(264, "int32")])
    store = out.body.body.body.body
    tvm.ir.assert_structural_equal(store.indices[0], i * 33 + j)


def test_buffer_bind_scope_makes_a_view_of_the_target():
    C = tir.decl_buffer((64, 64), name="C")
    # The intrinsic's buffer: 8x8 with a symbolic element offset and row stride.
    s0 = tir.Var("s0", "int32")
    elem = tir.Var("elem_offset", "int32")
    CC = tir.decl_buffer((8, 8), name="CC", strides=[s0, 1], elem_offset=elem)
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    call = tir.call_extern("int32", "gemm8x8", CC.access_ptr("w"), s0)
    bind = tir.AttrStmt([CC, C], "buffer_bind_scope", tir.tvm_tuple(i * 8, 8, j * 8, 8), tir.Evaluate(call))
    body = tir.For(i, 0, 8, ForKind.SERIAL, tir.For(j, 0, 8, ForKind.SERIAL, bind))
    out = _run(tir.PrimFunc([C], body))
    evaluated = out.body.body.body.value
    ptr = evaluated.args[1]
    assert ptr.args[1].same_as(C.data)
    tvm.ir.assert_structural_equal(ptr.args[2], i * 8 * 64 + j * 8)
    tvm.ir.assert_structural_equal(evaluated.args[2], tir.const(64, "int32"))


def test_bound_attribute_on_buffers():
    A = tir.decl_buffer((16,), name="A")
    out = _run(tir.PrimFunc([A], tir.BufferStore(A, _f32(0.0), [3])), bounds=True)
    assert isinstance(out.body, tir.AttrStmt)
    assert out.body.attr_key == "buffer_bound"
    assert out.body.node.same_as(A.data)
    assert out.body.value.value == 16


def test_prefetch_becomes_one_call_per_cache_line():
    A = tir.decl_buffer((8, 64), name="A")
    i = tir.Var("i", "int32")
    body = tir.For(i, 0, 4, ForKind.SERIAL, tir.Prefetch(A, [tvm.ir.Range.from_min_extent(i * 2, 2), tvm.ir.Range(0, 64)]))
    text = str(_run(tir.PrimFunc([A], body), cache_line=64))
    # 2 rows x (64 floats / 16 per 64-byte line) = 2 x 4 prefetches.
    assert "for prefetch_A_0 in range(2):" in text
    assert "for prefetch_A_1 in range(4):" in text
    assert "T.prefetch(T.address_of(A_1[(i * 2 + prefetch_A_0) * 64 + prefetch_A_1 * 16]), 0, 3, 1)" in text


def test_idempotent():
    A = tir.decl_buffer((16, 8), name="A")
    T = tir.decl_buffer((16, 8), name="T")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    store = tir.BufferStore(T, A[i, j], [i, j])
    realize = tir.BufferRealize(T, [tvm.ir.Range(0, 16), tvm.ir.Range(0, 8)], True,
                                tir.For(i, 0, 16, ForKind.SERIAL, tir.For(j, 0, 8, ForKind.SERIAL, store)))
    once = _run(tir.PrimFunc([A], realize))
    tvm.ir.assert_structural_equal(_run(once), once)


def test_buffer_bind_scope_rejects_a_compact_view_of_a_strided_region():
    import pytest

    C = tir.decl_buffer((64, 64), name="C")
    CC = tir.decl_buffer((8, 8), name="CC", offset_factor=1)
    i = tir.Var("i", "int32")
    call = tir.call_extern("int32", "gemm8x8", CC.access_ptr("w"))
    bind = tir.AttrStmt([CC, C], "buffer_bind_scope", tir.tvm_tuple(i * 8, 8, 0, 8), tir.Evaluate(call))
    func = tir.PrimFunc([C], tir.For(i, 0, 8, ForKind.SERIAL, bind))
    with pytest.raises(tvm.error.TVMError, match=r"tensorize: buffer CC has strides\[0\] = 8 but the region of C has 64"):
        _run(func)
