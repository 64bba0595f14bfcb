# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""A stage's storage scope travels in ProducerRealize.storage_scope (ScheduleOps emits no
"realize_scope" attribute), then in the data pointer of its buffer, and reaches the Allocate."""
import pytest

import tvm
from tvm import te, tir
from tvm.driver import schedule_to_module


def _collect(stmt, cls):
    found = []
    tir.stmt_functor.post_order_visit(stmt, lambda n: found.append(n) if isinstance(n, cls) else None)
    return found


def _attr_keys(stmt):
    return {n.attr_key for n in _collect(stmt, tir.AttrStmt)}


def _program(scope, align=False):
    """B = A + 1 in `scope`, computed per thread of C = B * 2 (bound to GPU threads)."""
    A = te.placeholder((64, 16), name="A")
    B = te.compute((64, 16), lambda i, j: A[i, j] + 1.0, name="B")
    C = te.compute((64, 16), lambda i, j: B[i, j] * 2.0, name="C")
    s = te.create_schedule(C.op)
    s[B].set_scope(scope)
    bx, tx = s[C].split(C.op.axis[0], factor=16)
    s[C].bind(bx, te.thread_axis("blockIdx.x"))
    s[C].bind(tx, te.thread_axis("threadIdx.x"))
    # local: one row per thread; shared/global: the block's 16 rows.
    s[B].compute_at(s[C], tx if scope == "local" else bx)
    if align:
        s[B].storage_align(B.op.axis[0], 32, 1)
    return A, B, C, s


@pytest.mark.parametrize("scope", ["local", "shared", "global"])
def test_scope_through_lowering(scope):
    A, B, C, s = _program(scope)
    # ScheduleOps: the scope is the realize's, with no realize_scope attribute around it.
    sn = s.normalize()
    stmt = te.schedule.ScheduleOps(sn, te.schedule.InferBound(sn))
    realizes = {r.producer.name: r for r in _collect(stmt, tir.ProducerRealize)}
    assert realizes["B"].storage_scope == scope
    assert realizes["C"].storage_scope == ""
    assert "realize_scope" not in _attr_keys(stmt)

    # schedule_to_module (no flattening): the buffer's data pointer carries it.
    mod = schedule_to_module(s, [A, C])
    buffer_realizes = _collect(mod["main"].body, tir.BufferRealize)
    assert [r.buffer.name for r in buffer_realizes] == ["B"]
    assert buffer_realizes[0].buffer.data.type_annotation.storage_scope == scope
    assert buffer_realizes[0].buffer.scope() == scope
    assert "realize_scope" not in _attr_keys(mod["main"].body)

    # Lowered: B's Allocate in that scope (an explicit "global" stays global inside threads).
    allocs = _collect(tvm.lower(s, [A, C])["main"].body, tir.Allocate)
    assert len(allocs) == 1
    assert allocs[0].buffer_var.type_annotation.storage_scope == scope
    # InferBound relaxes the threads that share the scope: a global B covers every block's rows.
    extent = {"local": 16, "shared": 256, "global": 1024}[scope]
    tvm.ir.assert_structural_equal(list(allocs[0].extents), [tir.const(extent, "int32")])


def test_default_scope_follows_threads():
    # No set_scope: "" in the realize and the buffer; StorageFlatten picks by the enclosing threads.
    A = te.placeholder((64,), name="A")
    B = te.compute((64,), lambda i: A[i] + 1.0, name="B")
    C = te.compute((64,), lambda i: B[i] * 2.0, name="C")
    s = te.create_schedule(C.op)
    bx, tx = s[C].split(C.op.axis[0], factor=16)
    s[C].bind(bx, te.thread_axis("blockIdx.x"))
    s[C].bind(tx, te.thread_axis("threadIdx.x"))
    s[B].compute_at(s[C], tx)
    mod = schedule_to_module(s, [A, C])
    (realize,) = _collect(mod["main"].body, tir.BufferRealize)
    assert realize.buffer.data.type_annotation.storage_scope == ""
    (alloc,) = _collect(tvm.lower(s, [A, C])["main"].body, tir.Allocate)
    assert alloc.buffer_var.type_annotation.storage_scope == "local"


def test_scope_with_storage_align():
    # storage_align's attribute sits outside the realize: the buffer still gets the stage's scope.
    A, B, C, s = _program("shared", align=True)
    mod = schedule_to_module(s, [A, C])
    (realize,) = _collect(mod["main"].body, tir.BufferRealize)
    assert realize.buffer.data.type_annotation.storage_scope == "shared"
    aligns = [n for n in _collect(mod["main"].body, tir.AttrStmt) if n.attr_key == "buffer_dim_align"]
    assert len(aligns) == 1 and aligns[0].node.same_as(realize.buffer)
    (alloc,) = _collect(tvm.lower(s, [A, C])["main"].body, tir.Allocate)
    assert alloc.buffer_var.type_annotation.storage_scope == "shared"
    # Row stride 16 -> 33 (stride % 32 == 1): 16 rows of 33.
    tvm.ir.assert_structural_equal(list(alloc.extents), [tir.const(16 * 33, "int32")])


def test_hand_written_realize_scope_attr_still_sets_scope():
    # IR built the older way: realize_scope on the operation around a realize without a scope.
    A = te.placeholder((8,), name="A")
    B = te.compute((8,), lambda i: A[i] + 1.0, name="B")
    C = te.compute((8,), lambda i: B[i] * 2.0, name="C")
    s = te.create_schedule(C.op)
    sn = s.normalize()
    stmt = te.schedule.ScheduleOps(sn, te.schedule.InferBound(sn))

    class Wrap:
        def __call__(self, n):
            if isinstance(n, tir.ProducerRealize) and n.producer.name == "B":
                plain = tir.ProducerRealize(n.producer, n.bounds, n.condition, n.body, "")
                return tir.AttrStmt(n.producer.op, "realize_scope", tir.StringImm("local"), plain)
            return None

    stmt = tir.stmt_functor.ir_transform(stmt, None, Wrap(), ["tir.ProducerRealize"])
    func = te.schedule.SchedulePostProcToPrimFunc([A, C], stmt, None)
    (realize,) = _collect(func.body, tir.BufferRealize)
    assert realize.buffer.data.type_annotation.storage_scope == "local"
    assert "realize_scope" not in _attr_keys(func.body)
