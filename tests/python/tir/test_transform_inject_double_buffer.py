# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""InjectDoubleBuffer: two halves, prologue, next tile produced while the current one is consumed."""
import tvm
from tvm import tir
from tvm.tir import ForKind


def _run(func, config=None):
    passes = [tvm.tir.transform.InjectDoubleBuffer(), tvm.tir.transform.Simplify()]
    with tvm.transform.PassContext(config=config or {}):
        return tvm.transform.Sequential(passes)(tvm.IRModule({"main": func}))["main"]


def _program():
    A = tir.decl_buffer((64,), name="A")
    C = tir.decl_buffer((4,), name="C")
    data = tir.Var("B", tvm.ir.PointerType(tvm.ir.PrimType("float32"), "shared"))
    B = tir.decl_buffer((16,), name="B", data=data)
    k, i = tir.Var("k", "int32"), tir.Var("i", "int32")
    produce = tir.For(i, 0, 16, ForKind.SERIAL, tir.BufferStore(B, A[k * 16 + i], [i]))
    consume = tir.BufferStore(C, B[0] + B[15], [k])
    body = tir.Allocate(data, "float32", [16], True,
                        tir.SeqStmt([tir.AttrStmt(data, "double_buffer_scope", 1, produce), consume]))
    return tir.PrimFunc([A, C], tir.For(k, 0, 4, ForKind.SERIAL, body)), A, B, C, k, i


def test_split_loop_prologue_main_and_tail():
    func, A, B, C, k, i = _program()
    out = _run(func)
    alloc = out.body
    assert isinstance(alloc, tir.Allocate)
    tvm.ir.assert_structural_equal(list(alloc.extents), [tir.const(32, "int32")])
    prologue, loop, tail = list(alloc.body)
    # Prologue: tile 0 into half 0.
    tvm.ir.assert_structural_equal(prologue.body.indices[0], i)
    tvm.ir.assert_structural_equal(prologue.body.value.indices[0], i)
    # Main loop: 3 iterations; produce tile k + 1 into the other half, consume half k % 2.
    assert loop.extent.value == 3
    produce, consume = list(loop.body)
    tvm.ir.assert_structural_equal(produce.body.indices[0], tir.floormod(k + 1, 2) * 16 + i)
    tvm.ir.assert_structural_equal(produce.body.value.indices[0], k * 16 + i + 16)
    tvm.ir.assert_structural_equal(consume.value.a.indices[0], tir.floormod(k, 2) * 16)
    # Tail: the last tile is consumed from half 1.
    tvm.ir.assert_structural_equal(tail.indices[0], tir.const(3, "int32"))
    tvm.ir.assert_structural_equal(tail.value.a.indices[0], tir.const(16, "int32"))


def test_guarded_producer_without_split():
    func, A, B, C, k, i = _program()
    out = _run(func, {"tir.InjectDoubleBuffer": {"split_loop": 0}})
    prologue, loop = list(out.body.body)
    assert loop.extent.value == 4
    guard = loop.body[0]
    assert isinstance(guard, tir.IfThenElse)
    tvm.ir.assert_structural_equal(guard.condition, k < 3)
