# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""ConvertSSA: one definition per variable, buffers following renamed allocations."""
import numpy as np

import tvm
from tvm import tir
from tvm.tir import ForKind


def _convert(func):
    return tvm.tir.transform.ConvertSSA()(tvm.IRModule({"main": func}))["main"]


def test_second_loop_definition_is_renamed():
    A = tir.decl_buffer((8,), name="A")
    i = tir.Var("i", "int32")
    loop = tir.For(i, 0, 8, ForKind.SERIAL, tir.BufferStore(A, tir.const(0.0), [i]))
    out = _convert(tir.PrimFunc([A], tir.SeqStmt([loop, loop])))
    first, second = list(out.body)
    assert first.loop_var.same_as(i)
    assert not second.loop_var.same_as(i) and second.loop_var.name == "i"
    assert second.body.indices[0].same_as(second.loop_var)


def test_already_ssa_is_unchanged():
    A = tir.decl_buffer((8,), name="A")
    i = tir.Var("i", "int32")
    func = tir.PrimFunc([A], tir.For(i, 0, 8, ForKind.SERIAL, tir.BufferStore(A, A[i] + 1.0, [i])))
    assert _convert(func).same_as(func)


def test_repeated_allocation_gets_its_own_buffer_and_runs():
    # Two copies of the same allocation + loop (as a partitioned loop's parts have).
    out = tir.decl_buffer((8,), "int32", name="out")
    tmp_data = tir.Var("tmp", tvm.ir.PointerType(tvm.ir.PrimType("int32")))
    tmp = tir.decl_buffer((4,), "int32", name="tmp", data=tmp_data)
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")

    def part(offset):
        fill = tir.For(j, 0, 4, ForKind.SERIAL, tir.BufferStore(tmp, j + offset, [j]))
        copy = tir.For(i, 0, 4, ForKind.SERIAL, tir.BufferStore(out, tmp[i] * 2, [i + offset]))
        return tir.Allocate(tmp_data, "int32", [4], tir.const(True), tir.SeqStmt([fill, copy]))

    func = tir.PrimFunc([out], tir.SeqStmt([part(0), part(4)]))
    conv = _convert(func)
    first, second = list(conv.body)
    assert first.buffer_var.same_as(tmp_data) and not second.buffer_var.same_as(tmp_data)
    stores = []
    tvm.tir.stmt_functor.post_order_visit(second, lambda x: stores.append(x) if isinstance(x, tir.BufferStore) else None)
    assert stores[0].buffer.data.same_as(second.buffer_var)
    f = tvm.build(conv.with_attr("global_symbol", "main"), target="llvm")
    got = tvm.nd.empty((8,), "int32")
    f(got)
    np.testing.assert_array_equal(got.numpy(), np.arange(8) * 2)
