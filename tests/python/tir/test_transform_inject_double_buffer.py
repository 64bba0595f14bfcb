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
    assert isinstance(produce, tir.AttrStmt) and produce.attr_key == "double_buffer_write"
    produce = produce.body
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


def _with_extent(extent):
    # _program() with the loop over k running `extent` times.
    func, A, B, C, k, i = _program()
    loop = func.body
    func = tir.PrimFunc(list(func.params), tir.For(k, 0, extent, ForKind.SERIAL, loop.body))
    return func, B, C, k, i


def test_split_loop_factor_two_numbers_every_tile():
    # 5 iterations with split_loop=2: an outer loop of 2 runs iterations 0..3 (two copies each),
    # then iteration 4 is left; every tile 1..4 must be produced exactly once, tile t into half t % 2.
    func, B, C, k, i = _with_extent(5)
    out = _run(func, {"tir.InjectDoubleBuffer": {"split_loop": 2}})
    prologue, loop, *tail = list(out.body.body)
    assert loop.extent.value == 2
    assert loop.loop_var.name_hint == "k.outer"
    produced = []

    def visit(node):
        if isinstance(node, tir.AttrStmt) and node.attr_key == "double_buffer_write":
            produced.append(node)

    tir.stmt_functor.post_order_visit(loop.body, visit)
    assert len(produced) == 2
    # The leftover iteration 4 consumes half 0 and produces nothing (its guard 5 < 5 folds away).
    (last,) = tail
    tvm.ir.assert_structural_equal(last.indices[0], tir.const(4, "int32"))
    tvm.ir.assert_structural_equal(last.value.a.indices[0], tir.const(0, "int32"))
    # Copy 1 of outer iteration o is iteration 2o + 1: produces tile 2o + 2 into half 0.
    second = produced[1].body
    tvm.ir.assert_structural_equal(second.body.indices[0], i)


def test_decl_buffer_widened_and_hoisted():
    A = tir.decl_buffer((64,), name="A")
    C = tir.decl_buffer((4,), name="C")
    data = tir.Var("B", tvm.ir.PointerType(tvm.ir.PrimType("float32"), "global"))
    B = tir.decl_buffer((16,), name="B", data=data)
    k, i = tir.Var("k", "int32"), tir.Var("i", "int32")
    produce = tir.For(i, 0, 16, ForKind.SERIAL, tir.BufferStore(B, A[k * 16 + i], [i]))
    consume = tir.BufferStore(C, B[0], [k])
    body = tir.Allocate(data, "float32", [16], True, tir.DeclBuffer(
        B, tir.SeqStmt([tir.AttrStmt(data, "double_buffer_scope", 1, produce), consume])))
    out = _run(tir.PrimFunc([A, C], tir.For(k, 0, 4, ForKind.SERIAL, body)))
    alloc = out.body
    assert isinstance(alloc, tir.Allocate) and isinstance(alloc.body, tir.DeclBuffer)
    tvm.ir.assert_structural_equal(list(alloc.body.buffer.shape), [tir.const(32, "int32")])
    assert alloc.body.buffer.data.same_as(data)
