# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""DeadCodeElimination: unused pure let-bindings go; inline_once substitutes single uses."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay import transform


def _dce(text_or_func, **kwargs):
    if isinstance(text_or_func, str):
        mod = tvm.relay.parse(text_or_func)
    else:
        mod = tvm.IRModule.from_expr(text_or_func)
    return transform.DeadCodeElimination(**kwargs)(mod)


def _check(before, after, **kwargs):
    got = _dce(before, **kwargs)
    # Typed as the pass's output is (TVM's parser type-checks what it reads).
    want = transform.InferType()(tvm.relay.parse(after))
    tvm.ir.assert_structural_equal(got, want, map_free_vars=True)


HEAD = '#[version = "0.0.5"]\n'


def test_unused_lets_go_used_stay():
    _check(HEAD + "def @main(%z: float32) { let %x = 1f; let %y = 2f; %x + %z }",
           HEAD + "def @main(%z: float32) { let %x = 1f; %x + %z }")


def test_binding_used_only_by_a_dead_binding_is_dead():
    _check(HEAD + "def @main(%z: float32) { let %a = %z * %z; let %b = %a + %a; %z }",
           HEAD + "def @main(%z: float32) { %z }")


def test_let_inside_an_expression():
    _check(HEAD + "def @main() { (let %a = 1f; 3f) + 2f }", HEAD + "def @main() { 3f + 2f }")


def test_inline_once():
    _check(HEAD + "def @main(%z: float32) { let %a = %z * %z; let %b = %a + %z; let %c = %b * %b; %c }",
           HEAD + "def @main(%z: float32) { let %b = %z * %z + %z; %b * %b }", inline_once=True)


def test_no_inline_into_a_function_body():
    before = HEAD + """def @main() {
      let %x = 1f + 1f;
      let %f = fn (%y: float32) -> float32 { let %z = %y + %y; %x + %z };
      (%f(2f), %f(3f))
    }"""
    after = HEAD + """def @main() {
      let %x = 1f + 1f;
      let %f = fn (%y: float32) -> float32 { %x + (%y + %y) };
      (%f(2f), %f(3f))
    }"""
    _check(before, after, inline_once=True)


def test_recursive_function_live_and_dead():
    rec = """let %f = fn (%n: int32, %d: float32) -> float32 {
        if (%n == 0) { %d } else { %f(%n - 1, log(%d)) }
      };"""
    live = HEAD + "def @main() { " + rec + " %f(2, 10000f) }"
    _check(live, live)
    _check(HEAD + "def @main() { " + rec + " () }", HEAD + "def @main() { () }")


def _ref_program(with_dead):
    r, w, v, dead = relay.var("r"), relay.var("w"), relay.var("v"), relay.var("dead")
    zero = relay.const(0.0)
    body = zero
    if with_dead:
        body = relay.Let(dead, relay.const(5.0), body)
    body = relay.Let(v, relay.RefRead(r), body)
    body = relay.Let(w, relay.RefWrite(r, relay.const(1.0)), body)
    return relay.Function([], relay.Let(r, relay.RefCreate(zero), body))


def test_impure_values_stay():
    # Writing or reading a reference has effects: those bindings stay, the pure one goes.
    got = _dce(_ref_program(True))
    want = transform.InferType()(tvm.IRModule.from_expr(_ref_program(False)))["main"]
    tvm.ir.assert_structural_equal(got["main"], want, map_free_vars=True)
    # ignore_impurity drops them all.
    got = _dce(_ref_program(True), ignore_impurity=True)
    assert isinstance(got["main"].body, relay.Constant)


def test_stateful_operator_and_impure_global_stay():
    x = relay.var("x", shape=(4,))
    d = relay.var("d")
    out = _dce(relay.Function([x], relay.Let(d, relay.nn.dropout(x), x)))
    assert isinstance(out["main"].body, relay.Let)  # dropout is stateful

    mod = tvm.IRModule()
    writes = relay.GlobalVar("writes")
    r = relay.var("r", relay.RefType(relay.scalar_type("float32")))
    mod[writes] = relay.Function([r], relay.RefWrite(r, relay.const(1.0)))
    r2, u = relay.var("r2"), relay.var("u")
    mod["main"] = relay.Function([], relay.Let(r2, relay.RefCreate(relay.const(0.0)),
                                               relay.Let(u, writes(r2), relay.const(0.0))))
    got = transform.DeadCodeElimination()(mod)
    assert isinstance(got["main"].body.body, relay.Let)  # the call of @writes stays


def test_pure_global_call_is_dead():
    _check(HEAD + "def @g(%a: float32) -> float32 { %a * %a } def @main() { let %u = @g(1f); 0f }",
           HEAD + "def @g(%a: float32) -> float32 { %a * %a } def @main() { 0f }")


def test_long_let_chain():
    # 100,000 bindings, each used once by the next: all inlined, the dead one removed.
    x = relay.var("x", shape=(2,))
    vs = [relay.var("v%d" % i) for i in range(100000)]
    body = vs[-1]
    for i in reversed(range(len(vs))):
        prev = x if i == 0 else vs[i - 1]
        body = relay.Let(vs[i], relay.negative(prev), body)
    dead = relay.var("dead")
    mod = tvm.IRModule.from_expr(relay.Function([x], relay.Let(dead, relay.exp(x), body)))
    mod = transform.InferType()(mod)
    out = transform.DeadCodeElimination(inline_once=True)(mod)["main"]
    node, depth = out.body, 0
    while isinstance(node, relay.Call):
        node, depth = node.args[0], depth + 1
    assert depth == 100000 and node.same_as(out.params[0])
    kept = transform.DeadCodeElimination()(mod)["main"]
    assert kept.body.var.name_hint == "v0"  # only the dead binding went
