# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""ScheduleOps (the tensor-level loop nest) and SchedulePostProcToPrimFunc (the PrimFunc
over buffers), before any lowering pass."""
import tvm
from tvm import te, tir

from te_nest_helpers import dedent, loop_nest


def schedule_ops(s, keep_trivial_loop=False):
    sn = s.normalize()
    bounds = te.schedule.InferBound(sn)
    return te.schedule.ScheduleOps(sn, bounds, keep_trivial_loop)


def compute_at_program():
    A = te.placeholder((16,), name="A")
    B = te.compute((16,), lambda i: A[i] + 1.0, name="B")
    C = te.compute((16,), lambda i: B[i] * 2.0, name="C")
    s = te.create_schedule(C.op)
    xo, xi = s[C].split(C.op.axis[0], factor=4)
    s[B].compute_at(s[C], xo)
    return A, B, C, s


def test_schedule_ops_realize_at_attach_point():
    A, B, C, s = compute_at_program()
    stmt = schedule_ops(s)
    expected = """
        realize C[0:16] global
        for i_outer in range(4):
          realize B[i_outer * 4:i_outer * 4 + 4] global
          for i in range(4):
            B[i + i_outer * 4] = A[i + i_outer * 4] + T.float32(1.0)
          for i_inner in range(4):
            C[i_outer * 4 + i_inner] = B[i_outer * 4 + i_inner] * T.float32(2.0)
    """
    assert loop_nest(stmt) == dedent(expected)


def test_schedule_ops_keep_trivial_loop():
    A = te.placeholder((1, 4), name="A")
    B = te.compute((1, 4), lambda i, j: A[i, j] + 1.0, name="B")
    s = te.create_schedule(B.op)
    assert "for i in range(1)" in loop_nest(schedule_ops(s, keep_trivial_loop=True))
    assert "for i " not in loop_nest(schedule_ops(s))


def test_postproc_to_primfunc():
    A, B, C, s = compute_at_program()
    stmt = schedule_ops(s)
    func = te.schedule.SchedulePostProcToPrimFunc([A, C], stmt, None)
    assert isinstance(func, tir.PrimFunc)
    assert [p.name_hint for p in func.params] == ["A", "C"]
    assert [func.buffer_map[p].name for p in func.params] == ["A", "C"]
    assert func.attrs["from_legacy_te_schedule"]
    expected = """
        for i_outer in range(4):
          realize B[i_outer * 4:i_outer * 4 + 4] global
          for i in range(4):
            B[i + i_outer * 4] = A[i + i_outer * 4] + T.float32(1.0)
          for i_inner in range(4):
            C[i_outer * 4 + i_inner] = B[i_outer * 4 + i_inner] * T.float32(2.0)
    """
    assert loop_nest(func) == dedent(expected)
    # No tensor-level node is left.
    found = set()
    tvm.get_global_func("tir.PostOrderVisit")(func.body, lambda n: found.add(n.type_key))
    assert "tir.ProducerStore" not in found and "tir.ProducerRealize" not in found
    assert "tir.ProducerLoad" not in found
    assert "tir.BufferStore" in found and "tir.BufferRealize" in found


def test_postproc_scalar_params_and_binds():
    n = te.var("n")
    A = te.placeholder((n,), name="A")
    B = te.compute((n,), lambda i: A[i] * 2.0, name="B")
    s = te.create_schedule(B.op)
    stmt = schedule_ops(s)
    Ab = tvm.tir.decl_buffer((n,), "float32", name="A_bound")
    func = te.schedule.SchedulePostProcToPrimFunc([A, B, n], stmt, {A: Ab})
    assert len(func.params) == 3
    assert func.params[2].same_as(n)
    assert func.buffer_map[func.params[0]].same_as(Ab)


def test_intermediate_buffer_scope():
    A = te.placeholder((8,), name="A")
    B = te.compute((8,), lambda i: A[i] + 1.0, name="B")
    C = te.compute((8,), lambda i: B[i] * 2.0, name="C")
    s = te.create_schedule(C.op)
    s[B].set_scope("shared")
    func = te.schedule.SchedulePostProcToPrimFunc([A, C], schedule_ops(s), None)
    body = func.body
    while not isinstance(body, tir.BufferRealize):
        body = body.body
    assert body.buffer.name == "B"
    assert body.buffer.scope() == "shared"


def test_lowered_function_attributes():
    A, B, C, s = compute_at_program()
    mod = tvm.lower(s, [A, C], name="fused_add_mul")
    func = mod["fused_add_mul"]
    assert func.attrs["global_symbol"] == "fused_add_mul"
    assert func.attrs["tir.noalias"]
    assert func.attrs["from_legacy_te_schedule"]


def _stores_and_ifs(stmt):
    stores, ifs = {}, []

    def visit(node):
        if isinstance(node, tir.BufferStore):
            stores[node.buffer.name] = node
        elif isinstance(node, tir.IfThenElse):
            ifs.append(node)

    tir.stmt_functor.post_order_visit(stmt, visit)
    return stores, ifs


def test_thread_axis_of_a_per_thread_stage_does_not_index_its_buffer():
    # B is local (per thread) and computed for one j = threadIdx.x of C; B's own
    # j axis, bound to threadIdx.x too, is each thread's copy: it must not move
    # B's index (B[threadIdx.x * 2 + k] overran the 2-element buffer and
    # needed a guard that left the other threads' B unwritten).
    for scope, tag in [("local", "threadIdx.x"), ("shared", "blockIdx.y")]:
        A = te.placeholder((1, 3, 2), name="A")
        B = te.compute((1, 3, 2), lambda i, j, k: A[i, j, k] * 2.0, name="B")
        C = te.compute((1, 3, 2), lambda i, j, k: B[i, j, k], name="C")
        s = te.create_schedule(C.op)
        thread = te.thread_axis(tag)
        s[B].compute_at(s[C], C.op.axis[0])
        s[B].set_scope(scope)
        _, j_inner = s[B].split(B.op.axis[1], 3)
        s[C].bind(C.op.axis[0], te.thread_axis("blockIdx.x"))
        s[C].bind(C.op.axis[1], thread)
        s[B].bind(j_inner, thread)
        body = tvm.lower(s, [A, C])["main"].body
        stores, ifs = _stores_and_ifs(body)
        assert not ifs, body
        store = stores["B"]
        thread_vars = []
        tir.stmt_functor.post_order_visit(
            body,
            lambda n: thread_vars.append(n.node.var)
            if isinstance(n, tir.AttrStmt) and n.attr_key == "thread_extent" and n.node.thread_tag == tag
            else None,
        )
        thread_var = thread_vars[0]
        k = store.indices[0]
        assert isinstance(k, tir.Var) and k.name == "k", store
        assert tvm.ir.structural_equal(store.value.a.indices[0], thread_var * 2 + k), store


def test_virtual_thread_below_the_attach_point_is_relaxed():
    # B is computed at C's outer axis, outside C's vthread loop, and binds the
    # same vthread. The vthread variable does not exist where B is realized,
    # so B must cover every vthread's slice (it was realized for one slice
    # named by an undefined variable, and C read [0, 1, 0, 1, 0, 1]).
    import numpy as np

    A = te.placeholder((1, 3, 2), name="A")
    B = te.compute((1, 3, 2), lambda i, j, k: A[i, j, k] + 1.0, name="B")
    C = te.compute((1, 3, 2), lambda i, j, k: B[i, j, k], name="C")
    s = te.create_schedule(C.op)
    vthread = te.thread_axis("vthread")
    s[B].compute_at(s[C], C.op.axis[0])
    s[B].set_scope("local")
    _, j_inner = s[B].split(B.op.axis[1], 3)
    s[C].bind(C.op.axis[1], vthread)
    s[B].bind(j_inner, vthread)
    f = tvm.build(s, [A, C], "llvm")
    a = np.arange(6, dtype="float32").reshape(1, 3, 2)
    c = tvm.nd.empty((1, 3, 2), "float32")
    f(tvm.nd.array(a), c)
    np.testing.assert_array_equal(c.numpy(), a + 1.0)
