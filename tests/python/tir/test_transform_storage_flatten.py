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


def test_scope_from_buffer_pointer():
    # Without a realize_scope attribute the buffer's pointer scope decides (a TE stage's
    # set_scope), an explicit "global" included; "" takes the threads' default.
    tx = tir.IterVar(tvm.ir.Range(0, 32), tir.Var("threadIdx.x", "int32"), 1, "threadIdx.x")
    for declared, expected in [("global", "global"), ("shared", "shared"), ("", "local")]:
        T = tir.decl_buffer((4,), name="T", scope=declared)
        realize = tir.BufferRealize(T, [tvm.ir.Range(0, 4)], True, tir.BufferStore(T, _f32(0.0), [0]))
        out = _run(tir.PrimFunc([], tir.AttrStmt(tx, "thread_extent", 32, realize)))
        assert out.body.body.buffer_var.type_annotation.storage_scope == expected, declared


def test_realize_scope_attr_overrides_default_global_pointer():
    # T.realize: T.Buffer's pointer is "global" by default, the attribute names the scope.
    tx = tir.IterVar(tvm.ir.Range(0, 32), tir.Var("threadIdx.x", "int32"), 1, "threadIdx.x")
    for attr_scope, expected in [("shared", "shared"), ("", "local")]:
        T = tir.decl_buffer((4,), name="T", scope="global")
        realize = tir.BufferRealize(T, [tvm.ir.Range(0, 4)], True, tir.BufferStore(T, _f32(0.0), [0]))
        scoped = tir.AttrStmt(T, "realize_scope", tir.StringImm(attr_scope), realize)
        body = tir.AttrStmt(tx, "thread_extent", 32, scoped)
        out = _run(tir.PrimFunc([], body))
        assert out.body.body.buffer_var.type_annotation.storage_scope == expected, attr_scope


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
    assert 'T.call_intrin("int32", "tir.prefetch", T.address_of(A_1[(i * 2 + prefetch_A_0) * 64 + prefetch_A_1 * 16]), 0, 3, 1)' in text


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


# ------------------------------------------------------------- buffer_bind_scope: element offsets


def _bind(bound, target, region, body):
    return tir.AttrStmt([bound, target], "buffer_bind_scope", tir.tvm_tuple(*region), body)


def test_buffer_bind_scope_rejects_a_fixed_offset_that_differs_from_the_region():
    import pytest

    C = tir.decl_buffer((64,), name="C")
    # Declared without offset_factor: elem_offset is the constant 0.
    CC = tir.decl_buffer((8,), name="CC")
    assert CC.elem_offset.value == 0
    body = tir.Evaluate(tir.call_extern("int32", "f", CC.access_ptr("w")))
    with pytest.raises(ValueError, match=r"buffer CC has the fixed elem_offset 0 but its region of C starts at "
                                         r"element offset 16.*offset_factor.*symbolic elem_offset"):
        _run(tir.PrimFunc([C], _bind(CC, C, (16, 8), body)))
    # A region whose offset varies with a loop cannot be viewed either.
    i = tir.Var("i", "int32")
    func = tir.PrimFunc([C], tir.For(i, 0, 8, ForKind.SERIAL, _bind(CC, C, (i * 8, 8), body)))
    with pytest.raises(ValueError, match=r"buffer CC has the fixed elem_offset 0 but its region of C starts at "
                                         r"element offset i \* 8"):
        _run(func)
    # At the region's own offset the binding is fine.
    out = _run(tir.PrimFunc([C], _bind(CC, C, (0, 8), body)))
    tvm.ir.assert_structural_equal(out.body.value.args[1].args[2], tir.const(0, "int32"))


def test_buffer_bind_scope_binds_a_symbolic_offset_in_accesses():
    C = tir.decl_buffer((64,), name="C")
    CC = tir.decl_buffer((8,), name="CC", offset_factor=8)
    i, k = tir.Var("i", "int32"), tir.Var("k", "int32")
    store = tir.For(k, 0, 8, ForKind.SERIAL, tir.BufferStore(CC, _f32(1.0), [k]))
    out = _run(tir.PrimFunc([C], tir.For(i, 0, 8, ForKind.SERIAL, _bind(CC, C, (i * 8, 8), store))))
    # i * 8 is a multiple of offset_factor 8: no run-time check.
    inner = out.body.body
    assert isinstance(inner, tir.For)
    flat_store = inner.body
    assert flat_store.buffer.data.same_as(C.data)
    tvm.ir.assert_structural_equal(flat_store.indices[0], k + i * 8)


def test_buffer_bind_scope_checks_offset_factor():
    import pytest

    C = tir.decl_buffer((64,), name="C")
    CC = tir.decl_buffer((8,), name="CC", offset_factor=8)
    body = tir.Evaluate(tir.call_extern("int32", "f", CC.access_ptr("w")))
    # Provably not a multiple: rejected when compiling.
    with pytest.raises(ValueError, match=r"buffer CC has offset_factor 8 but its region of C starts at element "
                                         r"offset 4, which is not a multiple of it"):
        _run(tir.PrimFunc([C], _bind(CC, C, (4, 8), body)))
    # Unknown: checked at run time.
    n = tir.Var("n", "int32")
    out = _run(tir.PrimFunc([C, n], _bind(CC, C, (n, 8), body)))
    assert isinstance(out.body, tir.AssertStmt)
    tvm.ir.assert_structural_equal(out.body.condition, tir.floormod(n, 8) == 0)
    assert "buffer CC needs an element offset that is a multiple of its offset_factor 8" in out.body.message.value
    tvm.ir.assert_structural_equal(out.body.body.value.args[1].args[2], n)


# ------------------------------------------------------------- prefetch_scope (Stage.prefetch)


def test_prefetch_scope_prefetches_the_rows_of_a_later_iteration():
    A = tir.decl_buffer((16, 64), name="A")
    B = tir.decl_buffer((16, 64), name="B")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    row = tir.For(j, 0, 64, ForKind.SERIAL, tir.BufferStore(B, A[i, j] * _f32(2.0), [i, j]))
    # The attribute sits inside loop i, around the iteration's body; offset 2.
    body = tir.For(i, 0, 16, ForKind.SERIAL, tir.AttrStmt(A, "prefetch_scope", 2, row))
    out = _run(tir.PrimFunc([A, B], body))
    text = str(out)
    assert "prefetch_scope" not in text
    seq = out.body.body
    assert isinstance(seq, tir.SeqStmt) and len(seq) == 2
    # One row of iteration i + 2: 64 floats = 4 cache lines of 64 bytes; the row loop is left out.
    assert "for prefetch_A_1 in range(4):" in text
    assert "prefetch_A_0" not in text
    assert 'T.call_intrin("int32", "tir.prefetch", T.address_of(A_1[(i + 2) * 64 + prefetch_A_1 * 16]), 0, 3, 1)' in text
    # The iteration's own work follows.
    assert isinstance(seq[1], tir.For) and seq[1].loop_var.same_as(j)


def test_prefetch_scope_region_follows_let_bound_loop_variables():
    A = tir.decl_buffer((32, 16), name="A")
    B = tir.decl_buffer((32, 16), name="B")
    idx, ii, r, j = (tir.Var(n, "int32") for n in ("idx", "ii", "r", "j"))
    # for idx: ii = idx + 1 (a loop starting at 1), rows ii * 4 + r, r in [0, 4).
    store = tir.BufferStore(B, A[ii * 4 + r, j], [ii * 4 + r, j])
    inner = tir.For(r, 0, 4, ForKind.SERIAL, tir.For(j, 0, 16, ForKind.SERIAL, store))
    body = tir.For(idx, 0, 7, ForKind.SERIAL,
                   tir.LetStmt(ii, idx + 1, tir.AttrStmt(A, "prefetch_scope", 1, inner)))
    text = str(tvm.tir.transform.Simplify()(tvm.IRModule({"main": _run(tir.PrimFunc([A, B], body))}))["main"])
    # Four rows starting at (idx + 2) * 4, each 16 floats = one cache line.
    assert "for prefetch_A_0 in range(4):" in text
    assert 'T.call_intrin("int32", "tir.prefetch", T.address_of(A_1[idx * 64 + prefetch_A_0 * 16 + 128]), 0, 3, 1)' in text


def test_prefetch_scope_outside_loops_is_dropped():
    A = tir.decl_buffer((16,), name="A")
    B = tir.decl_buffer((16,), name="B")
    body = tir.AttrStmt(A, "prefetch_scope", 1, tir.BufferStore(B, A[3], [3]))
    out = _run(tir.PrimFunc([A, B], body))
    assert isinstance(out.body, tir.BufferStore)
