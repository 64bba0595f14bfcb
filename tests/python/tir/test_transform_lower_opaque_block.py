# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""LowerOpaqueBlock and FlattenBuffer: TVMScript loops and buffers to what lowering reads."""
import numpy as np
import pytest

import tvm
from tvm import te, tir
from tvm.script import tir as T
from tvm.tir import ForKind


def _apply(pass_, func):
    return pass_(tvm.IRModule({"main": func}))["main"]


def test_pragma_annotations_become_attributes_sorted_and_others_stay():
    A = tir.decl_buffer((8,), name="A")
    i = tir.Var("i", "int32")
    store = tir.BufferStore(A, tir.const(1.0), [i])
    loop = tir.For(i, 0, 8, ForKind.SERIAL, store, annotations={"pragma_b": 2, "key": "v", "pragma_a": "s"})
    out = _apply(tvm.tir.transform.LowerOpaqueBlock(), tir.PrimFunc([A], loop))
    inner = tir.For(i, 0, 8, ForKind.SERIAL, store, annotations={"key": "v"})
    expected = tir.AttrStmt(i, "pragma_a", tir.StringImm("s"), tir.AttrStmt(i, "pragma_b", 2, inner))
    tvm.ir.assert_structural_equal(out.body, expected)


def test_unit_loop_is_inlined_unless_annotated():
    A = tir.decl_buffer((8,), "int32", name="A")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    unit = tir.For(j, 3, 1, ForKind.SERIAL, tir.BufferStore(A, j, [j]))
    out = _apply(tvm.tir.transform.LowerOpaqueBlock(), tir.PrimFunc([A], unit))
    tvm.ir.assert_structural_equal(out.body, tir.BufferStore(A, tir.const(3), [tir.const(3)]))
    kept = tir.For(j, 3, 1, ForKind.SERIAL, tir.BufferStore(A, j, [j]), annotations={"preserve_unit_loop": True})
    tvm.ir.assert_structural_equal(_apply(tvm.tir.transform.LowerOpaqueBlock(), tir.PrimFunc([A], kept)).body, kept)


def test_thread_binding_loop_becomes_a_launch():
    A = tir.decl_buffer((64,), name="A")
    tx = te.thread_axis("threadIdx.x")
    i = tir.Var("i", "int32")
    loop = tir.For(i, 0, 64, ForKind.THREAD_BINDING, tir.BufferStore(A, tir.const(1.0), [i]), thread_binding=tx)
    out = _apply(tvm.tir.transform.LowerOpaqueBlock(), tir.PrimFunc([A], loop))
    assert out.body.attr_key == "thread_extent"
    assert out.body.node.thread_tag == "threadIdx.x" and out.body.node.var.same_as(i)
    assert out.body.value.value == 64


def test_bad_annotation_value_is_an_error():
    A = tir.decl_buffer((8,), name="A")
    i = tir.Var("i", "int32")
    loop = tir.For(i, 0, 8, ForKind.SERIAL, tir.BufferStore(A, tir.const(1.0), [i]), annotations={"pragma_x": [1, 2]})
    with pytest.raises(tvm.error.TVMError, match="pragma_x"):
        _apply(tvm.tir.transform.LowerOpaqueBlock(), tir.PrimFunc([A], loop))


@T.prim_func
def _two_stage(A: T.Buffer((4, 8), "float32"), B: T.Buffer((4, 8), "float32")):
    tmp = T.decl_buffer([4, 8], "float32")
    for i in T.serial(4, annotations={"pragma_x": 1}):
        for j, k in T.grid(8, 1):
            tmp[i, j + k] = A[i, j] * 2.0
    for i, j in T.grid(4, 8):
        B[i, j] = tmp[i, j] + 1.0


def test_flatten_buffer_exact_form():
    mod = tvm.IRModule({"main": _two_stage})
    mod = tvm.tir.transform.LowerOpaqueBlock()(mod)
    out = tvm.tir.transform.FlattenBuffer()(mod)["main"]
    alloc = out.body
    assert isinstance(alloc, tir.Allocate) and [e.value for e in alloc.extents] == [32]
    # The DeclBuffer is gone; the accesses are flat.
    stores = []
    tvm.tir.stmt_functor.post_order_visit(out.body, lambda x: stores.append(x) if isinstance(x, tir.BufferStore) else None)
    assert all(len(s.indices) == 1 and len(s.buffer.shape) == 1 for s in stores)
    i = stores[0].indices[0]
    assert str(i) == "i * 8 + j"
    assert not any(isinstance(x, tir.DeclBuffer) for x in [alloc.body])


def test_flatten_buffer_numbers():
    mod = tvm.IRModule({"main": _two_stage.with_attr("global_symbol", "main")})
    mod = tvm.tir.transform.LowerOpaqueBlock()(mod)
    mod = tvm.tir.transform.FlattenBuffer()(mod)
    f = tvm.build(mod, target="llvm")
    a = np.random.RandomState(0).rand(4, 8).astype("float32")
    b = tvm.nd.empty((4, 8), "float32")
    f["main"](tvm.nd.array(a), b)
    np.testing.assert_allclose(b.numpy(), a * 2 + 1, rtol=1e-6)


def test_flatten_buffer_strides_offset_and_bool():
    data = tir.Var("buf", tvm.ir.PointerType(tvm.ir.PrimType("bool")))
    flag = tir.decl_buffer((2, 3), "bool", name="flag", data=data, strides=[4, 1], elem_offset=5)
    A = tir.decl_buffer((6,), "int32", name="A")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    body = tir.For(i, 0, 2, ForKind.SERIAL, tir.For(j, 0, 3, ForKind.SERIAL, tir.SeqStmt([
        tir.BufferStore(flag, (i + j) % 2 == 0, [i, j]),
        tir.BufferStore(A, tir.Select(flag[i, j], tir.const(1), tir.const(0)), [i * 3 + j]),
    ])))
    func = tir.PrimFunc([A], tir.Allocate(data, "bool", [16], tir.const(True), body))
    out = _apply(tvm.tir.transform.FlattenBuffer(), func)
    assert out.body.dtype == "int8"
    store = out.body.body.body.body[0]
    assert store.buffer.dtype == "int8" and str(store.indices[0]) == "i * 4 + j + 5"
    f = tvm.build(out.with_attr("global_symbol", "main"), target="llvm")
    a = tvm.nd.empty((6,), "int32")
    f(a)
    np.testing.assert_array_equal(a.numpy(), [(x // 3 + x % 3 + 1) % 2 for x in range(6)])


def test_te_functions_are_left_to_storage_flatten():
    A = te.placeholder((4, 4), name="A")
    B = te.compute((4, 4), lambda i, j: A[i, j] + 1, name="B")
    s = te.create_schedule(B.op)
    mod = tvm.driver.build_module.schedule_to_module(s, [A, B], "main", None)
    out = tvm.tir.transform.FlattenBuffer()(mod)
    tvm.ir.assert_structural_equal(out["main"], mod["main"])
