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
