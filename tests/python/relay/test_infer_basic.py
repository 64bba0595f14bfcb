# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Type inference of Relay's expressions: variables, constants, tuples, calls,
functions, let, if, global functions and recursion."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay import transform
from tvm.relay.testing import run_infer_type


def tt(shape, dtype="float32"):
    return relay.TensorType(shape, dtype)


def infer_main(func, **others):
    mod = tvm.IRModule()
    for name, f in others.items():
        mod[name] = f
    mod["main"] = func
    return transform.InferType()(mod)


def test_var_and_constant():
    x = relay.var("x", shape=(3, 4))
    assert transform.InferTypeLocal(x) == tt((3, 4))
    c = relay.const(np.zeros((2, 5), "int8"))
    assert transform.InferTypeLocal(c) == tt((2, 5), "int8")
    assert c.checked_type == tt((2, 5), "int8")


def test_tuple_and_get_item():
    x = relay.var("x", shape=(3,))
    y = relay.var("y", shape=(2, 2), dtype="int32")
    t = relay.Tuple([x, y])
    g = relay.TupleGetItem(t, 1)
    assert transform.InferTypeLocal(g) == tt((2, 2), "int32")
    assert t.checked_type == relay.TupleType([tt((3,)), tt((2, 2), "int32")])


def test_tuple_get_item_out_of_range():
    x = relay.var("x", shape=(3,))
    g = relay.TupleGetItem(relay.Tuple([x, x]), 2)
    with pytest.raises(tvm.error.DiagnosticError, match="index 2 is out of range for a tuple of 2 fields"):
        transform.InferTypeLocal(g)


def test_get_item_of_unannotated_tuple_through_function():
    # The tuple's type is only known once the call's argument is seen.
    p = relay.var("p")
    f = relay.Function([p], relay.TupleGetItem(p, 0))
    x = relay.var("x", shape=(4,))
    call = relay.Call(f, [relay.Tuple([x, relay.const(1.0)])])
    assert transform.InferTypeLocal(call) == tt((4,))


def test_function_type_and_every_subexpression_typed():
    x = relay.var("x", shape=(10, 4))
    y = relay.var("y", shape=(5, 10, 1))
    s = relay.add(x, y)
    e = relay.exp(s)
    f = relay.Function([x, y], e)
    mod = infer_main(f)
    main = mod["main"]
    assert main.checked_type == relay.FuncType([tt((10, 4)), tt((5, 10, 1))], tt((5, 10, 4)))
    assert main.body.checked_type == tt((5, 10, 4))
    assert main.body.args[0].checked_type == tt((5, 10, 4))
    assert main.body.args[0].args[0].checked_type == tt((10, 4))
    # The operator's input types are the call's type arguments, as in TVM.
    assert [str(t.shape) for t in main.body.args[0].type_args] == ["[10, 4]", "[5, 10, 1]"]


def test_unannotated_param_inferred_from_use():
    x = relay.var("x", shape=(2, 3))
    y = relay.var("y")
    g = relay.Function([y], y)
    f = relay.Function([x], relay.Call(g, [x]))
    assert transform.InferTypeLocal(f) == relay.FuncType([tt((2, 3))], tt((2, 3)))
    assert g.checked_type == relay.FuncType([tt((2, 3))], tt((2, 3)))


def test_let_and_ret_annotation():
    x = relay.var("x", shape=(4,))
    v = relay.var("v")
    body = relay.Let(v, relay.log(x), relay.multiply(v, x))
    f = relay.Function([x], body, ret_type=tt((4,)))
    assert transform.InferTypeLocal(f) == relay.FuncType([tt((4,))], tt((4,)))
    assert v.checked_type == tt((4,))


def test_let_annotation_mismatch():
    x = relay.var("x", shape=(4,))
    v = relay.var("v", shape=(5,))
    with pytest.raises(tvm.error.DiagnosticError, match=r"let %v.*Tensor\[\(5,\), float32\].*Tensor\[\(4,\), float32\]"):
        transform.InferTypeLocal(relay.Let(v, x, v))


def test_if():
    c = relay.var("c", shape=(), dtype="bool")
    x = relay.var("x", shape=(3,))
    e = relay.If(c, x, relay.negative(x))
    assert transform.InferTypeLocal(e) == tt((3,))


def test_if_errors():
    c = relay.var("c", shape=(2,), dtype="bool")
    x = relay.var("x", shape=(3,))
    y = relay.var("y", shape=(3,), dtype="int32")
    with pytest.raises(tvm.error.DiagnosticError) as err:
        transform.InferTypeLocal(relay.If(c, x, y))
    msg = str(err.value)
    assert "2 errors" in msg
    assert "the condition of if must be a bool scalar" in msg
    assert "the branches of if have different types" in msg and "float32 and int32 differ" in msg


def test_global_call_and_recursion():
    # def @f(%n: int32, %d: float32) -> float32 { if (%n == 0) { %d } else { @f(%n - 1, log(%d)) } }
    f = relay.GlobalVar("f")
    n = relay.var("n", shape=(), dtype="int32")
    d = relay.var("d", shape=())
    body = relay.If(
        relay.equal(n, relay.const(0, "int32")),
        d,
        relay.Call(f, [relay.subtract(n, relay.const(1, "int32")), relay.log(d)]),
    )
    mod = tvm.IRModule()
    mod[f] = relay.Function([n, d], body, ret_type=tt(()))
    x = relay.var("x", shape=())
    mod["main"] = relay.Function([x], relay.Call(f, [relay.const(3, "int32"), x]))
    mod = transform.InferType()(mod)
    ft = relay.FuncType([tt((), "int32"), tt(())], tt(()))
    assert mod["f"].checked_type == ft
    assert mod["main"].checked_type == relay.FuncType([tt(())], tt(()))
    assert mod.get_global_var("f").checked_type == ft


def test_global_call_wrong_argument():
    mod = tvm.IRModule()
    a = relay.var("a", shape=(3,))
    mod["g"] = relay.Function([a], relay.exp(a))
    gv = mod.get_global_var("g")
    x = relay.var("x", shape=(4,))
    mod["main"] = relay.Function([x], relay.Call(gv, [x]))
    with pytest.raises(tvm.error.DiagnosticError, match=r"argument 0 \(%x\) of @g has the wrong type.*\(3,\).*\(4,\)"):
        transform.InferType()(mod)


def test_wrong_arity():
    x = relay.var("x", shape=(3,))
    with pytest.raises(tvm.error.DiagnosticError, match="add takes 2 arguments, got 3"):
        transform.InferTypeLocal(relay.Call(relay.op.get("add"), [x, x, x]))


def test_long_chain_infers_without_deep_recursion():
    x = relay.var("x", shape=(2, 3))
    y = x
    for _ in range(100000):
        y = relay.add(y, x)
    f = relay.Function([x], y)
    mod = transform.InferType()(tvm.IRModule.from_expr(f))
    assert mod["main"].checked_type == relay.FuncType([tt((2, 3))], tt((2, 3)))


def test_long_let_chain():
    x = relay.var("x", shape=(4,))
    vs = [relay.var(f"v{i}") for i in range(20000)]
    body = vs[-1]
    for i in reversed(range(len(vs))):
        prev = x if i == 0 else vs[i - 1]
        body = relay.Let(vs[i], relay.multiply(prev, x), body)
    assert transform.InferTypeLocal(relay.Function([x], body)) == relay.FuncType([tt((4,))], tt((4,)))


def test_run_infer_type_helper():
    x = relay.var("x", shape=(2,))
    z = run_infer_type(relay.sqrt(x))
    assert z.checked_type == tt((2,))


def test_function_pass_and_sequential():
    @transform.function_pass(opt_level=1)
    def exp_body(func, mod, ctx):  # pylint: disable=unused-argument
        return relay.Function(func.params, relay.exp(func.body), func.ret_type, func.type_params, func.attrs)

    @transform.function_pass(opt_level=1, name="NegateBody")
    class NegateBody:
        def transform_function(self, func, mod, ctx):  # pylint: disable=unused-argument
            return relay.Function(func.params, relay.negative(func.body))

    x = relay.var("x", shape=(2,))
    mod = tvm.IRModule.from_expr(relay.Function([x], x))
    seq = transform.Sequential([exp_body, NegateBody(), transform.InferType()])
    with transform.PassContext(opt_level=3):
        out = seq(mod)
    body = out["main"].body
    assert body.op.name == "negative" and body.args[0].op.name == "exp"
    assert body.checked_type == tt((2,))
    assert mod["main"].body.same_as(x)  # the input module is unchanged
    assert exp_body.info.name == "exp_body" and NegateBody().info.name == "NegateBody"


def test_scope_builder_let_if():
    n = relay.var("n", shape=(), dtype="int32")
    x = relay.var("x", shape=(3,))
    sb = relay.ScopeBuilder()
    t1 = sb.let("t1", relay.log(x))
    with sb.if_scope(relay.equal(n, relay.const(0, "int32"))):
        sb.ret(t1)
    with sb.else_scope():
        t2 = sb.let(("t2", tt((3,))), relay.exp(x))
        sb.ret(t2)
    e = sb.get()
    assert isinstance(e, relay.Let) and e.var.same_as(t1)
    assert isinstance(e.body, relay.If) and isinstance(e.body.false_branch, relay.Let)
    assert transform.InferTypeLocal(relay.Function([n, x], e)) == relay.FuncType([tt((), "int32"), tt((3,))], tt((3,)))


def test_scope_builder_misuse():
    sb = relay.ScopeBuilder()
    with pytest.raises(RuntimeError, match="ret was not called"):
        sb.get()
    sb = relay.ScopeBuilder()
    with sb.if_scope(relay.var("c", shape=(), dtype="bool")):
        sb.ret(relay.const(1))
    with pytest.raises(RuntimeError, match="no else scope"):
        sb.ret(relay.const(2))
        sb.get()


def test_annotate_spans_puts_errors_at_text_positions():
    x = relay.var("x", shape=(2, 3))
    y = relay.var("y", shape=(4,))
    mod = tvm.IRModule.from_expr(relay.Function([x, y], relay.add(relay.exp(x), y)))
    # AnnotateSpans prints and parses back, and the parser type-checks (as TVM's): the error comes
    # from there, at the position in the generated text.
    with pytest.raises(tvm.error.DiagnosticError, match=r"add: shapes \(2, 3\) and \(4,\) .* \(at GeneratedSource:\d+:\d+\)"):
        transform.AnnotateSpans()(mod)
    good = tvm.IRModule.from_expr(relay.Function([x], relay.exp(x)))
    assert transform.AnnotateSpans()(good)["main"].body.span.source_name.name == "GeneratedSource"


def test_module_from_expression_and_type_args():
    x = relay.var("x", shape=(10, 10))
    y = relay.var("y", shape=(1, 10))
    mod = transform.InferType()(tvm.IRModule.from_expr(relay.add(x, y)))
    call = mod["main"].body
    assert [p.name_hint for p in mod["main"].params] == ["x", "y"]
    assert list(call.type_args) == [tt((10, 10)), tt((1, 10))]
    assert call.checked_type == tt((10, 10))


def test_undefined_global_is_reported():
    g = relay.GlobalVar("nowhere")
    x = relay.var("x", shape=(2,))
    with pytest.raises(tvm.error.DiagnosticError, match="global function @nowhere is not defined in the module"):
        infer_main(relay.Function([x], relay.Call(g, [x])))
