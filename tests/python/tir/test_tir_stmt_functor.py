# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.tir.stmt_functor: visiting and rewriting IR with Python callbacks."""
import pytest

import tvm
from tvm import tir
from tvm.tir import stmt_functor


def _loop():
    n = tir.Var("n", "int32")
    i = tir.Var("i", "int32")
    buf = tir.decl_buffer((16,), "float32", name="A")
    store = tir.BufferStore(buf, tir.BufferLoad(buf, [i]) + tir.const(1.0, "float32"), [i])
    return n, i, buf, tir.For(i, 0, n, tir.ForKind.SERIAL, store)


def test_post_order_visit_children_first():
    x = tir.Var("x", "int32")
    y = tir.Var("y", "int32")
    seen = []
    stmt_functor.post_order_visit(x * 2 + y, lambda node: seen.append(type(node).__name__))
    assert seen == ["Var", "IntImm", "Mul", "Var", "Add"]


def test_post_order_visit_statement():
    _, _, _, loop = _loop()
    kinds = []
    stmt_functor.post_order_visit(loop, lambda node: kinds.append(type(node).__name__))
    assert kinds[-1] == "For"
    assert "BufferStore" in kinds and "BufferLoad" in kinds
    assert kinds.index("BufferLoad") < kinds.index("BufferStore")


def test_pre_order_visit_parents_first_and_pruning():
    x = tir.Var("x", "int32")
    y = tir.Var("y", "int32")
    expr = x * 2 + y
    seen = []

    def visit(node):
        seen.append(type(node).__name__)
        return not isinstance(node, tir.Mul)  # do not enter x * 2

    stmt_functor.pre_order_visit(expr, visit)
    assert seen == ["Add", "Mul", "Var"]


def test_substitute_expr_and_stmt():
    x = tir.Var("x", "int32")
    y = tir.Var("y", "int32")
    out = stmt_functor.substitute(x + y, {x: y * 3})
    tvm.ir.assert_structural_equal(out, y * 3 + y)
    out = stmt_functor.substitute(tir.Evaluate(x + 1), {x: 5})
    tvm.ir.assert_structural_equal(out, tir.Evaluate(tir.Add(tir.const(5), tir.const(1))))


def test_ir_transform_postorder_only_enable():
    n, i, buf, loop = _loop()

    def parallel(node):
        assert isinstance(node, tir.For)
        return tir.For(node.loop_var, node.min, node.extent, tir.ForKind.PARALLEL, node.body)

    out = stmt_functor.ir_transform(loop, None, parallel, ["tir.For"])
    expected = tir.For(i, 0, n, tir.ForKind.PARALLEL, loop.body)
    tvm.ir.assert_structural_equal(out, expected)


def test_ir_transform_preorder_replaces_without_descending():
    _, _, _, loop = _loop()
    visited = []

    def pre(node):
        if isinstance(node, tir.For):
            return tir.Evaluate(0)
        return None

    out = stmt_functor.ir_transform(loop, pre, lambda node: visited.append(node))
    tvm.ir.assert_structural_equal(out, tir.Evaluate(0))
    assert visited == []  # the loop's body was never visited


def test_ir_transform_rewrites_expressions():
    n, i, buf, loop = _loop()
    out = stmt_functor.ir_transform(
        loop, None, lambda node: tir.const(8) if isinstance(node, tir.Var) and node.same_as(n) else None
    )
    assert isinstance(out, tir.For) and out.extent.value == 8


def test_callback_errors_propagate():
    x = tir.Var("x", "int32")

    def fail(node):
        raise KeyError("from the callback")

    with pytest.raises(KeyError, match="from the callback"):
        stmt_functor.post_order_visit(x + 1, fail)


def test_bad_callback_is_named():
    with pytest.raises(TypeError, match="fvisit must be callable"):
        stmt_functor.post_order_visit(tir.Var("x", "int32"), 3)
    with pytest.raises(TypeError, match="postorder must be callable"):
        stmt_functor.ir_transform(tir.Evaluate(0), None, "f")


def _defined_objects(func):
    """Every Var and Buffer object reachable from the function."""
    found = set()

    def visit(node):
        if isinstance(node, (tir.Var, tir.Buffer)):
            found.add(node.handle.address)
        if isinstance(node, (tir.BufferLoad, tir.BufferStore)):
            found.add(node.buffer.handle.address)
            found.add(node.buffer.data.handle.address)

    stmt_functor.post_order_visit(func.body, visit)
    for p in func.params:
        found.add(p.handle.address)
    for b in func.buffer_map.values():
        found.add(b.handle.address)
        found.add(b.data.handle.address)
        for e in b.shape:
            if isinstance(e, tir.Var):
                found.add(e.handle.address)
    return found


def test_renew_defs_is_equal_and_shares_nothing():
    from tvm import te

    n = te.size_var("n")
    A = te.placeholder((n,), name="A")
    B = te.compute((n,), lambda i: A[i] * 2.0, name="B")
    C = te.compute((n,), lambda i: B[i] + 1.0, name="C")
    s = te.create_schedule(C.op)
    xo, xi = s[C].split(C.op.axis[0], factor=4)
    s[B].compute_at(s[C], xo)
    func = tvm.lower(s, [A, C])["main"]

    renewed = stmt_functor.renew_defs(func)
    tvm.ir.assert_structural_equal(renewed, func)
    assert not (_defined_objects(renewed) & _defined_objects(func))
    # The shape variable keeps its kind, and the buffer_map follows the new parameters.
    shape_var = renewed.buffer_map[renewed.params[0]].shape[0]
    assert isinstance(shape_var, tir.SizeVar)
    # Both can live in one module and still build.
    mod = tvm.IRModule({"f": func.with_attr("global_symbol", "f"), "g": renewed.with_attr("global_symbol", "g")})
    tvm.build(mod, target="llvm")


def test_renew_defs_ir_builder_function():
    ib = tvm.tir.ir_builder.create()
    n = tir.Var("n", "int32")
    a = tir.decl_buffer((n,), "float32", name="a")
    pa = ib.buffer_ptr(a)
    tmp = ib.allocate("float32", 4, name="tmp", scope="local")
    x = ib.let("x", n * 2)
    with ib.for_range(0, n, name="i") as i:
        tmp[0] = pa[i]
        pa[i] = tmp[0] + tir.Cast("float32", x)
    func = tir.PrimFunc([a, n], ib.get())
    renewed = stmt_functor.renew_defs(func)
    tvm.ir.assert_structural_equal(renewed, func)
    assert not (_defined_objects(renewed) & _defined_objects(func))
    with pytest.raises(TypeError, match="expects a tir.PrimFunc"):
        stmt_functor.renew_defs(func.body)
