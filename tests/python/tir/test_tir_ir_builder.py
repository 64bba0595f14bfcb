# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.tir.ir_builder: statements built imperatively, checked node by node
and run against numpy."""
import numpy as np
import pytest

import tvm
from tvm import te, tir


def test_for_range_names_kinds_and_extent():
    ib = tir.ir_builder.create()
    A = ib.pointer("float32", name="A")
    loops = []
    for kind in ["serial", "parallel", "vectorize", "unroll"]:
        with ib.for_range(2, 10, kind=kind) as v:
            A[v] = tir.const(1.0, "float32")
            loops.append(v)
    stmt = ib.get()
    assert [v.name_hint for v in loops] == ["i", "j", "k", "i_0"]
    assert isinstance(stmt, tir.SeqStmt) and len(stmt) == 4
    kinds = [s.kind for s in stmt]
    assert kinds == [tir.ForKind.SERIAL, tir.ForKind.PARALLEL, tir.ForKind.VECTORIZED, tir.ForKind.UNROLLED]
    assert stmt[0].min.value == 2 and stmt[0].extent.value == 8
    assert stmt[0].loop_var.same_as(loops[0])
    with pytest.raises(ValueError, match="unknown kind 'bogus'"):
        ib.for_range(0, 4, kind="bogus")


def test_for_range_dtype_follows_bounds():
    ib = tir.ir_builder.create()
    n = te.var("n", "int64")
    with ib.for_range(0, n, name="i") as i:
        ib.emit(tir.Evaluate(i))
    assert i.dtype == "int64"
    with pytest.raises(TypeError, match="end must be an integer"):
        ib.for_range(0, tir.const(1.5, "float32"))


def test_allocate_store_load_exact_ir():
    ib = tir.ir_builder.create()
    n = te.var("n")
    A = ib.allocate("float32", n, name="A", scope="global")
    with ib.for_range(0, n, name="i") as i:
        A[i] = A[i] + 1.0
    stmt = ib.get()

    buf = A.asobject()
    expected = tir.Allocate(
        buf.data,
        "float32",
        [n],
        tir.const(1, "uint1"),
        tir.For(
            i, 0, n, tir.ForKind.SERIAL,
            tir.BufferStore(buf, tir.BufferLoad(buf, [i]) + tir.const(1.0, "float32"), [i]),
        ),
    )
    tvm.ir.assert_structural_equal(stmt, expected)


def test_flat_index_into_multidimensional_buffer():
    ib = tir.ir_builder.create()
    B = ib.allocate("int32", (4, 8), name="B")
    i = te.var("i")
    load = B[i]
    assert isinstance(load, tir.BufferLoad)
    tvm.ir.assert_structural_equal(list(load.indices), [i // 8, i % 8])
    with pytest.raises(IndexError, match="2 dimensions, indexed with 3"):
        B[1, 2, 3]


def test_store_type_mismatch_is_reported():
    ib = tir.ir_builder.create()
    A = ib.pointer("float32", name="A")
    with pytest.raises(ValueError, match="data type does not match"):
        A[0] = tir.const(1, "int32")


def test_if_else_while_let_attr_new_scope():
    ib = tir.ir_builder.create()
    n = te.var("n")
    A = ib.pointer("int32", name="A")
    x = ib.let("x", n + 1)
    with ib.if_scope(x > 3):
        A[0] = 1
    with ib.else_scope():
        A[0] = 2
    with ib.while_loop(A[0] < 10):
        A[0] = A[0] + 1
    with ib.new_scope():
        ib.scope_attr(te.thread_axis("threadIdx.x"), "thread_extent", n)
        ib.emit(tir.call_extern("int32", "f", x))
    stmt = ib.get()

    assert isinstance(stmt, tir.LetStmt) and stmt.var.same_as(x)
    seq = stmt.body
    assert isinstance(seq, tir.SeqStmt) and len(seq) == 3
    branch, loop, scope = seq
    assert isinstance(branch, tir.IfThenElse)
    assert branch.then_case.value.value == 1 and branch.else_case.value.value == 2
    assert isinstance(loop, tir.While)
    assert isinstance(scope, tir.AttrStmt) and scope.attr_key == "thread_extent"
    tvm.ir.assert_structural_equal(scope.value, tir.max(1, n))  # at least one thread
    assert isinstance(scope.body, tir.Evaluate)


def test_else_scope_must_follow_if_scope():
    ib = tir.ir_builder.create()
    with pytest.raises(RuntimeError, match="else_scope can only follow an if_scope"):
        ib.else_scope()


def test_get_inside_open_scope_fails():
    ib = tir.ir_builder.create()
    scope = ib.for_range(0, 4)
    scope.__enter__()
    with pytest.raises(RuntimeError, match="inside construction scope"):
        ib.get()


def test_emit_rejects_other_values():
    ib = tir.ir_builder.create()
    with pytest.raises(TypeError, match="emit: expected a Stmt"):
        ib.emit("not a statement")


def test_buffer_var_converts_to_its_buffer():
    ib = tir.ir_builder.create()
    A = ib.allocate("float32", 4, name="A")
    arr = tvm.runtime.convert([A])
    assert arr[0].same_as(A.asobject())


def test_built_kernel_runs():
    # out[i] = sum of a[0..i] (a prefix sum), through a local accumulator.
    n = 37
    a = tir.decl_buffer((n,), "float32", name="a")
    out = tir.decl_buffer((n,), "float32", name="out")
    ib = tir.ir_builder.create()
    pa = ib.buffer_ptr(a)
    pout = ib.buffer_ptr(out)
    acc = ib.allocate("float32", 1, name="acc", scope="local")
    acc[0] = 0.0
    with ib.for_range(0, n, name="i") as i:
        acc[0] = acc[0] + pa[i]
        with ib.if_scope(i % 2 == 0):
            pout[i] = acc[0]
        with ib.else_scope():
            pout[i] = acc[0] * 2.0
    func = tir.PrimFunc([a, out], ib.get()).with_attr("global_symbol", "prefix")
    mod = tvm.build(func, target="llvm")

    x = np.random.RandomState(0).uniform(-1, 1, n).astype("float32")
    y = tvm.nd.empty((n,), "float32")
    mod["prefix"](tvm.nd.array(x), y)
    expected = np.cumsum(x)
    expected[1::2] *= 2
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-5)
