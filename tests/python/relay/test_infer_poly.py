# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Type inference of polymorphic functions, higher-order functions, references,
operators defined from Python, and error reports (several at once, with spans)."""
import pytest

import tvm
from tvm import relay
from tvm.relay import transform


def tt(shape, dtype="float32"):
    return relay.TensorType(shape, dtype)


def infer(expr):
    return transform.InferTypeLocal(expr)


def identity():
    a = relay.TypeVar("a")
    x = relay.Var("x", a)
    return relay.Function([x], x, a, [a])


def test_polymorphic_function_type():
    f = identity()
    a = f.type_params[0]
    assert infer(f) == relay.FuncType([a], a, [a])


def test_polymorphic_call_instantiates():
    f = identity()
    call = relay.Call(f, [relay.const(1, "int32")])
    assert infer(call) == tt((), "int32")
    assert call.type_args[0] == tt((), "int32")


def test_let_polymorphism():
    # let %id = fn<a>(%x: a) -> a { %x }; (%id(1f), %id((2, 3)))
    idv = relay.var("id")
    one = relay.const(1.0)
    pair = relay.Tuple([relay.const(2, "int8"), relay.const(3, "int8")])
    body = relay.Tuple([idv(one), idv(pair)])
    t = infer(relay.Let(idv, identity(), body))
    assert t == relay.TupleType([tt(()), relay.TupleType([tt((), "int8"), tt((), "int8")])])


def test_polymorphic_global_called_at_two_types():
    mod = tvm.IRModule()
    mod["id"] = identity()
    gv = mod.get_global_var("id")
    x = relay.var("x", shape=(3,))
    y = relay.var("y", shape=(2,), dtype="int32")
    mod["main"] = relay.Function([x, y], relay.Tuple([gv(x), gv(y)]))
    mod = transform.InferType()(mod)
    assert mod["main"].checked_type.ret_type == relay.TupleType([tt((3,)), tt((2,), "int32")])


def test_higher_order_argument_accepts_polymorphic_function():
    b = relay.TypeVar("b")
    f = relay.Var("f", relay.FuncType([b], b))
    y = relay.Var("y", b)
    apply = relay.Function([f, y], f(y), b, [b])
    assert infer(apply(identity(), relay.const(0, "int32"))) == tt((), "int32")


def test_function_called_through_unannotated_variable():
    t = tt((), "int32")
    x = relay.var("x", t)
    f = relay.var("f")
    func = relay.Function([x, f], relay.Call(f, [x]), t)
    assert infer(func) == relay.FuncType([t, relay.FuncType([t], t)], t)


def test_explicit_type_arguments():
    f = identity()
    call = relay.Call(f, [relay.const(1.0)], None, [tt((), "int32")])
    with pytest.raises(tvm.error.DiagnosticError, match=r"expected Tensor\[\(\), int32\], got Tensor\[\(\), float32\]"):
        infer(call)


def test_refs():
    x = relay.var("x", shape=(2,))
    y = relay.var("y", shape=(2,))
    r = relay.RefCreate(x)
    assert infer(r) == relay.RefType(tt((2,)))
    assert infer(relay.RefRead(r)) == tt((2,))
    assert infer(relay.RefWrite(r, y)) == relay.TupleType([])
    with pytest.raises(tvm.error.DiagnosticError, match="RefWrite: the value does not match"):
        infer(relay.RefWrite(r, relay.var("z", shape=(3,))))
    with pytest.raises(tvm.error.DiagnosticError, match="RefRead needs a reference"):
        infer(relay.RefRead(x))


def test_ref_of_unknown_is_solved_by_write():
    v = relay.var("v")
    r = relay.var("r")
    body = relay.Let(r, relay.RefCreate(v), relay.RefWrite(r, relay.const(1.0)))
    f = relay.Function([v], body)
    assert infer(f) == relay.FuncType([tt(())], relay.TupleType([]))


def test_any_dimension_unifies():
    a = relay.Any()
    x = relay.var("x", shape=(a, 4))
    y = relay.var("y", shape=(3, 4))
    f = relay.Function([x], x, ret_type=tt((a, 4)))
    t = infer(f(y))
    assert isinstance(t.shape[0], tvm.tir.Any) and t.shape[1].value == 4


def test_unknown_input_reported():
    x = relay.var("x")
    with pytest.raises(tvm.error.DiagnosticError, match=r"exp: cannot infer the type of the result .*\(\?\)"):
        infer(relay.Function([x], relay.exp(x)))


def test_several_errors_listed_with_spans():
    src = tvm.ir.SourceName("model.py")
    x = relay.var("x", shape=(2, 3))
    y = relay.var("y", shape=(4,), dtype="int32")
    bad1 = relay.Call(relay.op.get("add"), [x, relay.var("z", shape=(5,))], span=tvm.ir.Span(src, 3, 3, 5, 20))
    bad2 = relay.Call(relay.op.get("logical_not"), [y], span=tvm.ir.Span(src, 7, 7, 1, 9))
    bad3 = relay.bitwise_and(x, x)
    ok = relay.exp(x)
    f = relay.Function([x, y], relay.Tuple([bad1, bad2, bad3, ok]))
    with pytest.raises(tvm.error.DiagnosticError) as err:
        transform.InferType()(tvm.IRModule.from_expr(f))
    msg = str(err.value)
    assert "3 errors" in msg
    assert r"add: shapes (2, 3) and (5,) do not broadcast" in msg and "(at model.py:3:5)" in msg
    assert "logical_not: the input must have a bool dtype, got int32 (at model.py:7:1)" in msg
    assert "bitwise_and: the arguments must have an integer" in msg


def test_operator_defined_in_python_with_named_relation():
    name = "test_infer_custom_identity"
    op = relay.op.register(name, "an identity defined in a test")
    op.set_num_inputs(1)
    op.add_argument("data", "Tensor", "the input")
    op.add_type_rel("Identity")
    relay.op.register_pattern(name, relay.op.OpPattern.ELEMWISE)
    x = relay.var("x", shape=(3, 3))
    assert infer(relay.Call(op, [x])) == tt((3, 3))
    assert op.get_attr("TOpPattern") == relay.op.OpPattern.ELEMWISE
    with pytest.raises(tvm.error.TVMError, match="is registered before"):
        relay.op.register(name)


def test_operator_defined_in_python_with_python_relation():
    name = "test_infer_custom_sum_rows"

    def rel(arg_types, attrs):  # pylint: disable=unused-argument
        (t,) = arg_types
        return relay.TensorType([t.shape[0]], t.dtype)

    op = relay.op.register(name)
    op.set_num_inputs(1)
    op.add_type_rel("SumRows", rel)
    x = relay.var("x", shape=(3, 5))
    assert infer(relay.exp(relay.Call(op, [relay.exp(x)]))) == tt((3,))

    bad = "test_infer_custom_assert"

    def bad_rel(arg_types, attrs):  # pylint: disable=unused-argument
        assert len(arg_types) == 2, "the relation is wrong"

    op2 = relay.op.register(bad)
    op2.set_num_inputs(1)
    op2.add_type_rel("Bad", bad_rel)
    with pytest.raises(AssertionError, match="the relation is wrong"):
        infer(relay.Call(op2, [x]))


def test_register_compute_sets_attribute():
    name = "test_infer_custom_compute"
    relay.op.register(name)

    @relay.op.register_compute(name)
    def compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
        return [inputs[0]]

    assert relay.op.get(name).get_attr("FTVMCompute") is not None


def test_register_attribute_helpers():
    name = "test_infer_custom_attrs"
    relay.op.register(name)
    relay.op.register_stateful(name, True)
    relay.op.register_injective_schedule(name)
    relay.op.register_shape_func(name, False, lambda attrs, inputs, out_ndims: inputs)

    @relay.op.register_legalize(name)
    def legalize(attrs, inputs, types):  # pylint: disable=unused-argument
        return None

    op = relay.op.get(name)
    assert op.get_attr("TOpIsStateful") == 1
    assert op.get_attr("FTVMSchedule") is not None
    assert op.get_attr("FTVMLegalize") is not None
    assert list(op.get_attr("TShapeDataDependent")) == [False]


def test_elementwise_input_known_from_output():
    # fn (%x) -> Tensor[(2, 2), float32] { negative(%x) }: the result's annotation types %x.
    x = relay.var("x")
    f = relay.Function([x], relay.negative(x), ret_type=tt((2, 2)))
    assert infer(f) == relay.FuncType([tt((2, 2))], tt((2, 2)))
    # ... and the dtype is still checked once known.
    y = relay.var("y")
    g = relay.Function([y], relay.fast_exp(y), ret_type=tt((2,), "int32"))
    with pytest.raises(tvm.error.DiagnosticError, match="fast_exp: the input must have a float dtype, got int32"):
        infer(g)


def test_named_identity_relation_unifies_all_arguments():
    name = "test_infer_custom_two_input_identity"
    op = relay.op.register(name)
    op.set_num_inputs(2)
    op.add_type_rel("Identity")
    x = relay.var("x", shape=(2, 2))
    y = relay.var("y")
    f = relay.Function([x, y], relay.Call(op, [x, y]))
    assert infer(f) == relay.FuncType([tt((2, 2)), tt((2, 2))], tt((2, 2)))
    with pytest.raises(tvm.error.DiagnosticError, match=r"test_infer_custom_two_input_identity: unable to unify"):
        infer(relay.Call(op, [x, relay.var("z", shape=(3,))]))


def test_temp_op_attr_restores_the_attribute():
    from tvm.relay.testing.temp_op_attr import TempOpAttr  # pylint: disable=import-outside-toplevel

    name = "test_infer_custom_temp_attr"
    relay.op.register(name)
    relay.op.register_op_attr(name, "ftest", lambda x: x + 1)
    with TempOpAttr(name, "ftest", lambda x: x + 2):
        assert relay.op.get(name).get_attr("ftest")(1) == 3
    assert relay.op.get(name).get_attr("ftest")(1) == 2
    with TempOpAttr(name, "fnew", lambda x: x):
        assert relay.op.get(name).get_attr("fnew") is not None
    assert relay.op.get(name).get_attr("fnew") is None


def test_more_polymorphic_function_fits_a_less_polymorphic_parameter():
    # apply: fn<c>(fn<c>(c, c) -> c, c) -> c, given fn<a, b>(a, b) -> a (more polymorphic).
    a, b, c = relay.TypeVar("a"), relay.TypeVar("b"), relay.TypeVar("c")
    x, y = relay.Var("x", a), relay.Var("y", b)
    first = relay.Function([x, y], x, a, [a, b])
    f = relay.Var("f", relay.FuncType([c, c], c, [c]))
    v = relay.Var("v", tt((2,)))
    apply = relay.Function([f, v], relay.Call(f, [v, v]))
    assert infer(relay.Call(apply, [first, relay.var("w", shape=(2,))])) == tt((2,))
