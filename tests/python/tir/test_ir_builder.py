# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.tir.ir_builder and tvm.tir.stmt_functor: the statements built, exactly (compared with TVMScript)."""
import pytest

import tvm
from tvm import tir
from tvm.script import tir as T


def test_loops_ifs_allocate_and_stores():
    n = tir.Var("n", "int32")
    ib = tir.ir_builder.create()
    A = ib.pointer("float32", name="A")
    with ib.for_range(0, n, name="i") as i:
        tmp = ib.allocate("float32", 4, name="tmp", scope="local")
        tmp[0] = A[i]
        with ib.if_scope(i % 2 == 0):
            A[i] = tmp[0] + 1.0
        with ib.else_scope():
            A[i] = tmp[0]
    stmt = ib.get()

    @T.prim_func
    def expected(A_ptr: T.handle("float32"), n: T.int32):
        for i in range(n):
            tmp = T.allocate([4], "float32", "local")
            tmp_1 = T.Buffer((4,), "float32", data=tmp, scope="local")
            A = T.Buffer((1,), "float32", data=A_ptr)
            tmp_1[0] = A[i]
            if i % 2 == 0:
                A[i] = tmp_1[0] + T.float32(1)
            else:
                A[i] = tmp_1[0]

    func = tir.PrimFunc([A.asobject().data, n], stmt)
    tvm.ir.assert_structural_equal(func.body, expected.body, map_free_vars=True)


def test_let_scope_attr_new_scope_and_loop_names():
    ib = tir.ir_builder.create()
    x = ib.pointer("int32", name="x")
    with ib.new_scope():
        ib.scope_attr(tir.const(0), "pragma_test", 1)
        v = ib.let("v", tir.const(3) + x[0])
        x[0] = v
    with ib.for_range(0, 2) as i:
        with ib.for_range(0, 2) as j:
            x[i] = j
    stmt = ib.get()
    first, loop = stmt.seq
    assert first.attr_key == "pragma_test" and isinstance(first.body, tir.LetStmt)
    assert loop.loop_var.name_hint == "i" and loop.body.loop_var.name_hint == "j"


def test_errors():
    ib = tir.ir_builder.create()
    with pytest.raises(RuntimeError, match="else_scope can only follow an if_scope"):
        ib.else_scope()
    x = ib.pointer("int32")
    with pytest.raises(ValueError, match="data type does not match content type float32 vs int32"):
        x[0] = tir.const(1.0, "float32")
    with pytest.raises(ValueError, match="unknown kind 'simd'"):
        ib.for_range(0, 4, kind="simd")


def test_stmt_functor_visit_transform_substitute():
    @T.prim_func
    def f(A: T.Buffer((8,), "int32"), n: T.int32):
        for i in range(8):
            A[i] = n

    seen = []
    tir.stmt_functor.post_order_visit(f.body, lambda node: seen.append(type(node).__name__))
    assert seen[-1] == "For" and "BufferStore" in seen
    n = f.params[1]
    body = tir.stmt_functor.substitute(f.body, {n: tir.const(7)})
    assert body.body.value.value == 7

    def to_parallel(node):
        return tir.For(node.loop_var, node.min, node.extent, tir.ForKind.PARALLEL, node.body)

    out = tir.stmt_functor.ir_transform(f.body, None, to_parallel, ["tir.For"])
    assert out.kind == tir.ForKind.PARALLEL
