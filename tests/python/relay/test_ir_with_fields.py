# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""SequentialSpan and the *WithFields builders of relay.expr / relay.function."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay import expr as _expr
from tvm.relay import function as _function


def _span(name, line=0):
    return relay.Span(relay.SourceName(name), line, line, 0, 0)


def test_sequential_span_flattens_and_prints():
    a, b, c = _span("a", 1), _span("b", 2), _span("c", 3)
    inner = relay.SequentialSpan([a, b])
    seq = tvm.ir.SequentialSpan([inner, c])
    assert isinstance(seq, relay.Span)
    assert [s.source_name.name for s in seq.spans] == ["a", "b", "c"]
    assert (seq.line, seq.column, seq.end_line, seq.end_column) == (0, 0, 0, 0)
    assert repr(seq) == "SequentialSpan([Span(a, 1, 1, 0, 0), Span(b, 2, 2, 0, 0), Span(c, 3, 3, 0, 0)])"


def test_sequential_span_structural_equality():
    one = relay.SequentialSpan([_span("a"), _span("b")])
    same = relay.SequentialSpan([_span("a"), _span("b")])
    other = relay.SequentialSpan([_span("a"), _span("c")])
    shorter = relay.SequentialSpan([_span("a")])
    assert tvm.ir.structural_equal(one, same)
    assert not tvm.ir.structural_equal(one, other)
    assert not tvm.ir.structural_equal(one, shorter)
    assert not tvm.ir.structural_equal(one, _span("a"))


def test_spans_are_not_part_of_expression_equality():
    x = relay.var("x", shape=(2,), span=_span("x"))
    y = relay.nn.relu(x)
    tagged = _expr.CallWithFields(y, span=relay.SequentialSpan([_span("r0"), _span("r1")]))
    assert tvm.ir.structural_equal(relay.Function([x], y), relay.Function([x], tagged))
    assert tvm.ir.structural_hash(y) == tvm.ir.structural_hash(tagged)


def test_sequential_span_in_text_comment():
    x = relay.var("x", shape=(2,))
    y = _expr.CallWithFields(relay.nn.relu(x), span=relay.SequentialSpan([_span("r0"), _span("r1")]))
    mod = tvm.IRModule.from_expr(relay.Function([x], y))
    text = mod.astext()
    assert "span=r0:0:0,r1:0:0" in text
    # The comment is skipped by the parser: the text reads back.
    assert tvm.ir.structural_equal(tvm.parser.parse(text), relay.transform.InferType()(mod))


def test_call_with_fields():
    x = relay.var("x", shape=(2, 3))
    z = relay.var("z", shape=(2, 3))
    call = relay.add(x, x)
    assert _expr.CallWithFields(call).same_as(call)
    assert _expr.CallWithFields(call, args=list(call.args)).same_as(call)
    assert _expr.CallWithFields(call, call.op, call.args, call.attrs, call.type_args, None, call.span).same_as(call)
    span = _span("add_0")
    new = _expr.CallWithFields(call, span=span)
    assert not new.same_as(call) and call.span is None
    assert new.span.same_as(span) and new.op.same_as(call.op) and new.args[0].same_as(x)
    swapped = _expr.CallWithFields(call, args=[x, z])
    assert swapped.args[1].same_as(z) and swapped.args[0].same_as(x)
    mul = _expr.CallWithFields(call, op=tvm.ir.Op.get("multiply"))
    assert mul.op.name == "multiply" and mul.args[0].same_as(x)


def test_with_fields_keeps_inferred_type():
    x = relay.var("x", shape=(2, 3))
    call = relay.nn.relu(x)
    relay.transform.InferTypeLocal(call)
    new = _expr.CallWithFields(call, span=_span("relu"))
    assert tvm.ir.structural_equal(new.checked_type, relay.TensorType((2, 3), "float32"))


def test_var_with_fields_keeps_identity():
    x = relay.var("x", shape=(4,))
    assert _expr.VarWithFields(x).same_as(x)
    tagged = _expr.VarWithFields(x, span=_span("input.x"))
    assert tagged.vid.same_as(x.vid) and tagged.name_hint == "x"
    assert tagged.span.source_name.name == "input.x"
    # Spans do not take part in structural equality.
    assert tvm.ir.structural_equal(relay.Function([x], relay.nn.relu(x)),
                                   relay.Function([tagged], relay.nn.relu(tagged)))
    retyped = _expr.VarWithFields(x, type_annotation=relay.TensorType((5,), "int32"))
    assert retyped.vid.same_as(x.vid) and retyped.type_annotation.dtype == "int32"
    other = relay.var("y")
    renamed = _expr.VarWithFields(x, vid=other.vid)
    assert renamed.name_hint == "y" and renamed.vid.same_as(other.vid)


def test_constant_tuple_getitem_with_fields():
    c = relay.const(np.arange(3, dtype="float32"))
    assert _expr.ConstantWithFields(c).same_as(c)
    tagged = _expr.ConstantWithFields(c, span=_span("c"))
    assert tagged.data.same_as(c.data) and tagged.span.source_name.name == "c"
    data = tvm.nd.array(np.ones(2, "int32"))
    assert _expr.ConstantWithFields(c, data=data).data.same_as(data)

    tup = relay.Tuple([c, c])
    assert _expr.TupleWithFields(tup).same_as(tup)
    assert _expr.TupleWithFields(tup, fields=list(tup.fields)).same_as(tup)
    new_tup = _expr.TupleWithFields(tup, fields=[c], span=_span("t"))
    assert len(new_tup.fields) == 1 and new_tup.span.source_name.name == "t"

    item = relay.TupleGetItem(tup, 1)
    assert _expr.TupleGetItemWithFields(item).same_as(item)
    assert _expr.TupleGetItemWithFields(item, index=1).same_as(item)
    zero = _expr.TupleGetItemWithFields(item, index=0, span=_span("g"))
    assert zero.index == 0 and zero.tuple_value.same_as(tup) and zero.span.source_name.name == "g"
    other = _expr.TupleGetItemWithFields(item, tuple_value=new_tup)
    assert other.tuple_value.same_as(new_tup) and other.index == 1


def test_let_if_function_with_fields():
    x = relay.var("x", shape=())
    v = relay.var("v", shape=())
    let = relay.Let(v, x, relay.add(v, x))
    assert _expr.LetWithFields(let).same_as(let)
    new_let = _expr.LetWithFields(let, value=relay.const(1.0), span=_span("let"))
    assert new_let.var.same_as(v) and isinstance(new_let.value, relay.Constant)
    assert new_let.body.same_as(let.body) and new_let.span.source_name.name == "let"

    cond = relay.var("c", shape=(), dtype="bool")
    ite = relay.If(cond, x, relay.const(0.0))
    assert _expr.IfWithFields(ite).same_as(ite)
    new_if = _expr.IfWithFields(ite, false_branch=x, span=_span("if"))
    assert new_if.cond.same_as(cond) and new_if.true_branch.same_as(x) and new_if.false_branch.same_as(x)

    func = relay.Function([x], relay.nn.relu(x))
    assert _function.FunctionWithFields(func).same_as(func)
    tagged = _function.FunctionWithFields(func, span=_span("fn"))
    assert tagged.params[0].same_as(x) and tagged.body.same_as(func.body)
    assert tagged.span.source_name.name == "fn"
    attrs = func.with_attr("Primitive", 1).attrs
    prim = _function.FunctionWithFields(func, attrs=attrs)
    assert int(prim.attrs["Primitive"]) == 1 and prim.body.same_as(func.body)
    ret = _function.FunctionWithFields(func, ret_type=relay.TensorType((), "float32"))
    assert ret.ret_type.dtype == "float32"


def test_ref_with_fields():
    x = relay.const(1.0)
    ref = relay.RefCreate(x)
    assert _expr.RefCreateWithFields(ref).same_as(ref)
    assert _expr.RefCreateWithFields(ref, span=_span("r")).span.source_name.name == "r"
    read = relay.RefRead(ref)
    assert _expr.RefReadWithFields(read).same_as(read)
    write = relay.RefWrite(ref, x)
    assert _expr.RefWriteWithFields(write).same_as(write)
    assert _expr.RefWriteWithFields(write, value=relay.const(2.0)).ref.same_as(ref)


def test_with_fields_rejects_virtual_device():
    call = relay.nn.relu(relay.var("x", shape=(1,)))
    with pytest.raises(ValueError, match="virtual_device"):
        _expr.CallWithFields(call, virtual_device=tvm.cpu())


def test_with_fields_rejects_null_argument():
    call = relay.add(relay.var("x", shape=(1,)), relay.var("y", shape=(1,)))
    with pytest.raises(Exception, match="argument 1 is None"):
        _expr.CallWithFields(call, args=[call.args[0], None])


def test_type_error_names_span():
    x = relay.var("x", shape=(2, 3))
    y = relay.var("y", shape=(4, 5))
    bad = _expr.CallWithFields(relay.add(x, y), span=_span("aten::add_3"))
    mod = tvm.IRModule.from_expr(relay.Function([x, y], bad))
    with pytest.raises(tvm.error.DiagnosticError) as info:
        relay.transform.InferType()(mod)
    assert "(at aten::add_3)" in str(info.value)
    seq = _expr.CallWithFields(relay.add(x, y), span=relay.SequentialSpan([_span("mul_0"), _span("add_1")]))
    with pytest.raises(tvm.error.DiagnosticError) as info:
        relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([x, y], seq)))
    assert "(at mul_0, add_1)" in str(info.value)


def test_sequential_span_json_round_trip():
    x = relay.var("x", shape=(2,))
    y = _expr.CallWithFields(relay.nn.relu(x), span=relay.SequentialSpan([_span("a", 1), _span("b", 2)]))
    loaded = tvm.ir.load_json(tvm.ir.save_json(y))
    assert isinstance(loaded.span, relay.SequentialSpan)
    assert [(s.source_name.name, s.line) for s in loaded.span.spans] == [("a", 1), ("b", 2)]
    assert tvm.ir.structural_equal(loaded.span, y.span)
