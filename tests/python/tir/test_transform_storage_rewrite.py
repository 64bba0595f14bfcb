# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""StorageRewrite: allocations hoisted to their scope; disjoint lifetimes share memory."""
import tvm
from tvm import tir
from tvm.tir import ForKind


def _run(func):
    return tvm.tir.transform.StorageRewrite()(tvm.IRModule({"main": func}))["main"]


def _alloc(name, size, scope="global", dtype="float32"):
    var = tir.Var(name, tvm.ir.PointerType(tvm.ir.PrimType(dtype), scope))
    return var, tir.decl_buffer((size,), dtype, name, data=var)


def _stage(out, alloc_var, buf, size, i, j):
    fill = tir.For(j, 0, size, ForKind.SERIAL, tir.BufferStore(buf, tir.Cast("float32", j), [j]))
    use = tir.BufferStore(out, buf[0] + buf[size - 1], [i])
    return tir.Allocate(alloc_var, "float32", [size], True, tir.SeqStmt([fill, use]))


def test_sequential_allocations_share_one_slot_at_the_top():
    O1 = tir.decl_buffer((4,), name="O1")
    O2 = tir.decl_buffer((4,), name="O2")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    a_var, a = _alloc("A", 16)
    b_var, b = _alloc("B", 8)
    first = tir.For(i, 0, 4, ForKind.SERIAL, _stage(O1, a_var, a, 16, i, j))
    second = tir.For(i, 0, 4, ForKind.SERIAL, _stage(O2, b_var, b, 8, i, j))
    out = _run(tir.PrimFunc([O1, O2], tir.SeqStmt([first, second])))
    alloc = out.body
    assert isinstance(alloc, tir.Allocate) and alloc.buffer_var.same_as(a_var)
    tvm.ir.assert_structural_equal(list(alloc.extents), [tir.const(16, "int32")])
    assert "B" not in [v.name_hint for v in _allocated(out)]
    # B's accesses now go to A's memory.
    second_loop = alloc.body[1]
    assert second_loop.body[1].value.a.buffer.data.same_as(a_var)


def test_overlapping_lifetimes_keep_separate_slots():
    O1 = tir.decl_buffer((4,), name="O1")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    a_var, a = _alloc("A", 16)
    b_var, b = _alloc("B", 16)
    fill_a = tir.For(j, 0, 16, ForKind.SERIAL, tir.BufferStore(a, tir.const(1.0, "float32"), [j]))
    # B reads A at another index than it writes: B may not take A's memory in place.
    fill_b = tir.For(j, 0, 16, ForKind.SERIAL, tir.BufferStore(b, a[15 - j], [j]))
    use = tir.BufferStore(O1, b[0], [0])
    body = tir.Allocate(a_var, "float32", [16], True, tir.Allocate(b_var, "float32", [16], True,
                                                                   tir.SeqStmt([fill_a, fill_b, use])))
    out = _run(tir.PrimFunc([O1], body))
    assert [v.name_hint for v in _allocated(out)] == ["A", "B"]


def test_different_scopes_do_not_share_and_thread_scope_is_an_attach_point():
    O1 = tir.decl_buffer((64,), name="O1")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    a_var, a = _alloc("A", 16, "shared")
    b_var, b = _alloc("B", 16, "local")
    tx = tir.IterVar(tvm.ir.Range(0, 4), tir.Var("threadIdx.x", "int32"), 1, "threadIdx.x")
    body = tir.AttrStmt(tx, "thread_extent", 4, tir.SeqStmt([
        tir.For(i, 0, 2, ForKind.SERIAL, _stage(O1, a_var, a, 16, i, j)),
        tir.For(i, 0, 2, ForKind.SERIAL, _stage(O1, b_var, b, 16, i, j)),
    ]))
    out = _run(tir.PrimFunc([O1], body))
    assert isinstance(out.body, tir.AttrStmt)
    assert [v.name_hint for v in _allocated(out)] == ["A", "B"]
    assert isinstance(out.body.body, tir.Allocate)


def test_allocated_bytes_report():
    O1 = tir.decl_buffer((4,), name="O1")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    a_var, a = _alloc("A", 16)
    func = tir.PrimFunc([O1], tir.For(i, 0, 4, ForKind.SERIAL, _stage(O1, a_var, a, 16, i, j)))
    report = tvm.get_global_func("tir.analysis.calculate_allocated_bytes")(func)
    assert dict(report.items())["global"] == 64


def _allocated(func):
    found = []
    tvm.get_global_func("tir.PostOrderVisit")(
        func.body, lambda n: found.append(n.buffer_var) if isinstance(n, tir.Allocate) else None
    )
    return list(reversed(found))


def test_idempotent():
    O1 = tir.decl_buffer((4,), name="O1")
    O2 = tir.decl_buffer((4,), name="O2")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    a_var, a = _alloc("A", 16)
    b_var, b = _alloc("B", 8)
    first = tir.For(i, 0, 4, ForKind.SERIAL, _stage(O1, a_var, a, 16, i, j))
    second = tir.For(i, 0, 4, ForKind.SERIAL, _stage(O2, b_var, b, 8, i, j))
    once = _run(tir.PrimFunc([O1, O2], tir.SeqStmt([first, second])))
    tvm.ir.assert_structural_equal(_run(once), once)


def test_a_variable_allocated_in_several_loop_pieces_stays_in_each():
    # LoopPartition copies a loop body, Allocate included, into each piece: the
    # same variable is then allocated twice. Hoisting one copy would leave the
    # other shadowing it, and the hoisted one used where it is not defined.
    O = tir.decl_buffer((8,), name="O")
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    a_var, a = _alloc("A", 512)
    first = tir.For(i, 0, 4, ForKind.SERIAL, _stage(O, a_var, a, 512, i, j))
    second = tir.For(i, 4, 4, ForKind.SERIAL, _stage(O, a_var, a, 512, i, j))
    func = tir.PrimFunc([O], tir.SeqStmt([first, second])).with_attr("global_symbol", "main")
    out = _run(func)
    assert isinstance(out.body, tir.SeqStmt)
    assert all(isinstance(loop.body, tir.Allocate) for loop in out.body)
    f = tvm.build(tvm.IRModule({"main": func}), target="llvm")
    o = tvm.nd.empty((8,), "float32")
    f(o)
    assert (o.numpy() == 511.0).all()
