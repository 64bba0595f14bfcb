# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.relay.ExprFunctor / ExprVisitor / ExprMutator: dispatch, memoisation,
copy-on-write, and chains deeper than Python's recursion limit."""
import pytest

import tvm
from tvm import relay
from tvm.relay import ExprFunctor, ExprMutator, ExprVisitor

# Any operator serves for structure (Relay's own operators are registered elsewhere).
EXP = tvm.ir.Op.get("tir.exp")
LOG = tvm.ir.Op.get("tir.log")
ATAN2 = tvm.ir.Op.get("tir.atan2")


def every_kind():
    """One node of each kind, some shared."""
    x = relay.var("x", shape=(2,))
    c = relay.const(1.0)
    call = relay.Call(EXP, [x])
    tup = relay.Tuple([call, c])
    get = relay.TupleGetItem(tup, 0)
    y = relay.var("y")
    let = relay.Let(y, get, relay.Tuple([y, call]))
    cond = relay.var("cond", shape=(), dtype="bool")
    ite = relay.If(cond, let, relay.Tuple([x, call]))
    ref = relay.RefCreate(c)
    refs = relay.Tuple([relay.RefRead(ref), relay.RefWrite(ref, c), relay.GlobalVar("g")])
    return relay.Function([x, cond], relay.Tuple([ite, refs]))


class Recorder(ExprVisitor):
    def __init__(self):
        super().__init__()
        self.seen = []

    def visit(self, expr):
        first = expr not in self.memo_map
        out = super().visit(expr)
        if first:
            self.seen.append(expr)
        return out


def test_functor_base_raises_not_implemented():
    for expr in [relay.const(1.0), relay.var("x"), relay.GlobalVar("f"), EXP, relay.Tuple([])]:
        with pytest.raises(NotImplementedError):
            ExprFunctor().visit(expr)


def test_functor_rejects_non_expressions():
    with pytest.raises(TypeError, match="not a Relay expression: int"):
        ExprVisitor().visit(3)


def test_visitor_each_node_once_in_post_order():
    f = every_kind()
    rec = Recorder()
    rec.visit(f)
    # Each distinct node exactly once.
    assert len(rec.seen) == len({n.handle.address for n in rec.seen})
    # Children before parents (the function last), same as post_order_visit.
    assert rec.seen[-1].same_as(f)
    ref_order = []
    relay.analysis.post_order_visit(f, ref_order.append)
    assert len(ref_order) == len(rec.seen)
    assert all(a.same_as(b) for a, b in zip(ref_order, rec.seen))


def test_visitor_shared_subexpression_visited_once():
    x = relay.var("x")
    a = relay.Call(EXP, [x])
    expr = a
    for _ in range(50):  # 2**50 paths, 51 calls
        expr = relay.Call(LOG, [expr, expr])

    class CountCalls(ExprVisitor):
        calls = 0

        def visit_call(self, call):
            self.calls += 1
            super().visit_call(call)

    v = CountCalls()
    v.visit(expr)
    assert v.calls == 51


def test_mutator_identity_when_unchanged():
    f = every_kind()
    assert ExprMutator().visit(f).same_as(f)
    for node in [f.body, f.body.fields[0], f.body.fields[1]]:
        assert ExprMutator().visit(node).same_as(node)


class ExpToLog(ExprMutator):
    def visit_call(self, call):
        new = super().visit_call(call)
        if new.op.same_as(EXP):
            return relay.Call(LOG, new.args, new.attrs, new.type_args, new.span)
        return new


def test_mutator_rebuilds_only_what_changed():
    x = relay.var("x")
    c = relay.const(2.0)
    untouched = relay.Tuple([x, c])
    e = relay.Call(EXP, [x])
    top = relay.Tuple([e, untouched, relay.TupleGetItem(relay.Tuple([e]), 0)])
    out = ExpToLog().visit(top)
    assert not out.same_as(top)
    # The part without exp is the same object; the shared call stays shared.
    assert out.fields[1].same_as(untouched)
    assert out.fields[0].same_as(out.fields[2].tuple_value.fields[0])
    assert out.fields[0].op.same_as(LOG)
    assert out.fields[0].args[0].same_as(x)
    log = relay.Call(LOG, [x])
    expected = relay.Tuple([log, untouched, relay.TupleGetItem(relay.Tuple([log]), 0)])
    tvm.ir.assert_structural_equal(out, expected)
    # Sharing is part of the program: two copies of the call are another one.
    copies = relay.Tuple(
        [relay.Call(LOG, [x]), untouched, relay.TupleGetItem(relay.Tuple([relay.Call(LOG, [x])]), 0)]
    )
    assert not tvm.ir.structural_equal(out, copies)


def test_mutator_rebuilds_every_kind():
    f = every_kind()
    out = ExpToLog().visit(f)
    assert isinstance(out, relay.Function)
    assert not out.same_as(f)
    # The parameters are kept (same objects), the exp calls are gone.
    assert all(a.same_as(b) for a, b in zip(out.params, f.params))
    ops = []
    relay.analysis.post_order_visit(out, lambda n: ops.append(n.op) if isinstance(n, relay.Call) else None)
    assert ops and all(op.same_as(LOG) for op in ops)
    # The RefCreate side did not change.
    assert out.body.fields[1].same_as(f.body.fields[1])


def test_mutator_renames_let_variables_consistently():
    x = relay.var("x")
    y = relay.var("y")
    let = relay.Let(y, relay.Call(EXP, [x]), relay.Tuple([y, y]))
    z = relay.var("z")

    class Rename(ExprMutator):
        def visit_var(self, var):
            return z if var.same_as(y) else var

    out = Rename().visit(let)
    assert out.var.same_as(z)
    assert out.body.fields[0].same_as(z) and out.body.fields[1].same_as(z)
    assert out.value.same_as(let.value)


def test_mutator_function_with_attrs_and_ret_type_kept():
    x = relay.var("x", shape=(3,))
    f = relay.Function([x], relay.Call(EXP, [x]), relay.TensorType((3,), "float32")).with_attr("Primitive", 1)
    out = ExpToLog().visit(f)
    assert int(out.attrs["Primitive"]) == 1
    tvm.ir.assert_structural_equal(out.ret_type, f.ret_type)


CHAIN = 100000


def test_visitor_and_mutator_on_a_100000_call_chain():
    x = relay.var("x", shape=(2,))
    e = x
    for _ in range(CHAIN):
        e = relay.Call(EXP, [e])

    class CountCalls(ExprVisitor):
        calls = 0

        def visit_call(self, call):
            self.calls += 1
            super().visit_call(call)

    v = CountCalls()
    v.visit(e)
    assert v.calls == CHAIN
    # Rebuilding costs ~25 FFI calls a node in Python: a shorter chain, still
    # far deeper than the recursion limit.
    e = x
    for _ in range(CHAIN // 5):
        e = relay.Call(EXP, [e])
    out = ExpToLog().visit(e)
    ops = []
    relay.analysis.post_order_visit(out, lambda n: ops.append(n) if isinstance(n, tvm.ir.Op) else None)
    assert len(ops) == 1 and ops[0].same_as(LOG)
    assert relay.analysis.free_vars(out)[0].same_as(x)


def test_identity_mutator_on_a_deep_chain():
    x = relay.var("x", shape=(2,))
    e = x
    for _ in range(5000):
        e = relay.Call(EXP, [e])
    assert ExprMutator().visit(e).same_as(e)


def test_mutator_on_a_long_let_chain():
    x = relay.var("x")
    n = 10000
    vs = [relay.var(f"v{i}") for i in range(n)]
    body = vs[-1]
    for i in reversed(range(n)):
        body = relay.Let(vs[i], relay.Call(EXP, [vs[i - 1] if i else x]), body)
    assert ExprMutator().visit(body).same_as(body)
    out = ExpToLog().visit(body)
    count = 0
    while isinstance(out, relay.Let):
        assert out.var.same_as(vs[count])
        assert out.value.op.same_as(LOG)
        out = out.body
        count += 1
    assert count == n


def test_deep_graphs_are_visited_in_the_same_order_as_shallow_ones():
    # Past DEEP_WALK_DEPTH the visitor pre-walks with a stack; the order of
    # the visits must still be post order, children left to right.
    x, y = relay.var("x"), relay.var("y")
    e = x
    for i in range(1000):
        side = relay.Tuple([y, relay.const(float(i))]) if i % 7 == 0 else y
        e = relay.Call(ATAN2, [e, side]) if i % 3 else relay.Let(relay.var(f"v{i}"), e, relay.Call(EXP, [e]))
    rec = Recorder()
    rec.visit(e)
    expected = []
    relay.analysis.post_order_visit(e, expected.append)
    assert len(rec.seen) == len(expected)
    assert all(a.same_as(b) for a, b in zip(rec.seen, expected))
