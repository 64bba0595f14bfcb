# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Expressions shared in the loop IR are emitted once, not once per use."""
import re

import numpy as np

import tvm
from tvm import tir


def _deep_shared_bound(x, depth):
    """e_{i+1} = max(e_i * 3, x - e_i) or min(e_i + x, e_i * 2), e_0 = x."""
    # A DAG of `depth` nodes whose tree has 2**depth leaves, like the nested
    # min/max bounds of compute_at chains once substituted into each other.
    e = x
    for i in range(depth):
        e = tir.Max(e * 3, x - e) if i % 2 else tir.Min(e + x, e * 2)
    return e


def test_shared_subexpression_is_emitted_once():
    n = tir.Var("n", "int32")
    out = tir.decl_buffer((1,), "int32", name="out")
    depth = 16
    body = tir.BufferStore(out, _deep_shared_bound(n, depth), [0])
    func = tir.PrimFunc([n, out], body).with_attr("global_symbol", "deep")
    mod = tvm.build(func, target="llvm -opt-level=0")
    ll = mod.get_source("ll")
    # Emitted as a tree it would be 2**16 - 1 calls.
    assert len(re.findall(r"call i32 @llvm\.s(?:min|max)\.i32", ll)) <= 2 * depth

    def reference(x):
        v = x
        for i in range(depth):
            v = max(v * 3, x - v) if i % 2 else min(v + x, v * 2)
        return v

    f = mod["deep"]
    for value in (-7, 0, 3, 60, 1000):
        res = tvm.nd.empty((1,), "int32")
        f(value, res)
        assert res.numpy()[0] == reference(value)


def test_values_of_a_rebound_let_variable_are_not_reused():
    # The same expression object under two sibling bindings of x, in one block.
    x, n = tir.Var("x", "int32"), tir.Var("n", "int32")
    out = tir.decl_buffer((2,), "int32", name="out")
    shared = x * 3 + 1
    body = tir.SeqStmt([
        tir.LetStmt(x, n + 1, tir.BufferStore(out, shared, [0])),
        tir.LetStmt(x, n + 4, tir.BufferStore(out, shared, [1])),
    ])
    f = tvm.build(tir.PrimFunc([n, out], body).with_attr("global_symbol", "rebind"), target="llvm")["rebind"]
    res = tvm.nd.empty((2,), "int32")
    f(1, res)
    np.testing.assert_array_equal(res.numpy(), [7, 16])


def test_loads_are_not_reused_across_a_store():
    A = tir.decl_buffer((2,), "int32", name="A")
    shared = tir.BufferLoad(A, [0]) + 1
    body = tir.SeqStmt([tir.BufferStore(A, shared, [0]), tir.BufferStore(A, shared, [1])])
    f = tvm.build(tir.PrimFunc([A], body).with_attr("global_symbol", "reload"), target="llvm")["reload"]
    a = tvm.nd.array(np.array([4, 0], "int32"))
    f(a)
    np.testing.assert_array_equal(a.numpy(), [5, 6])
