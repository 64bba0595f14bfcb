# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Small fixes found by running TVM v0.14's Relay tests: node fields, errors, dtypes, text format."""
import numpy as np
import pytest

import tvm
from tvm import relay


def _infer(expr):
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(expr))
    return mod["main"]


def test_nodes_keep_the_array_given():
    fields = tvm.runtime.convert([relay.var("a"), relay.var("b")])
    assert relay.Tuple(fields).fields.same_as(fields)
    args = tvm.runtime.convert([relay.var("c")])
    assert relay.Call(relay.var("f"), args).args.same_as(args)
    params = tvm.runtime.convert([relay.var("p")])
    fn = relay.Function(params, relay.Tuple([]))
    assert fn.params.same_as(params)
    # lists still work, and give equal (not identical) arrays
    t = relay.Tuple([relay.const(1), relay.const(2)])
    assert len(t.fields) == 2


def test_bind_params_duplicate_name_is_tvm_error():
    a = relay.var("a", shape=(1,))
    aa = relay.var("a", shape=(1,))
    func = relay.Function([a, aa], a + aa)
    with pytest.raises(tvm.error.TVMError, match="several parameters are named 'a'"):
        relay.build_module.bind_params_by_name(func, {"a": np.ones(1, "float32")})
    with pytest.raises(ValueError):
        relay.build_module.bind_params_by_name(func, {"a": np.ones(1, "float32")})


def test_numpy_integer_scalars_keep_their_dtype():
    assert tvm.runtime.convert(np.int64(3)).dtype == "int64"
    assert tvm.runtime.convert(np.int32(3)).dtype == "int32"
    assert tvm.runtime.convert(np.uint8(3)).dtype == "uint8"
    assert tvm.runtime.convert(3).dtype == "int32"
    assert relay.TensorType([np.int64(1)], "int64").shape[0].dtype == "int64"


@pytest.mark.parametrize("op", [relay.argmax, relay.argmin])
def test_argreduce_dtype_follows_shape_dtype(op):
    x64 = relay.var("x", relay.TensorType([tvm.tir.IntImm("int64", 2), tvm.tir.IntImm("int64", 3)], "float32"))
    f = _infer(relay.Function([x64], op(x64, axis=[1])))
    assert f.checked_type.ret_type.dtype == "int64"
    x32 = relay.var("x", relay.TensorType((2, 3), "float32"))
    f = _infer(relay.Function([x32], op(x32, axis=[1])))
    assert f.checked_type.ret_type == relay.TensorType((2,), "int32")
    # the interpreter's values (it re-derives types from the arguments' int32 shapes, so not the dtype)
    data = np.random.rand(2, 3).astype("float32")
    res = relay.create_executor("debug", mod=tvm.IRModule.from_expr(relay.Function([x64], op(x64, axis=[1])))).evaluate()(data)
    ref = np.argmax(data, 1) if op is relay.argmax else np.argmin(data, 1)
    np.testing.assert_array_equal(res.numpy(), ref)


def test_squeeze_prints_axis_only_when_given():
    x = relay.var("x", relay.TensorType((1, 4, 1), "float32"))
    assert "axis=" not in relay.squeeze(x).astext()
    assert "axis=[2]" in relay.squeeze(x, axis=(2,)).astext()
    assert _infer(relay.Function([x], relay.squeeze(x))).checked_type.ret_type == relay.TensorType((4,), "float32")


def test_parser_dotted_function_attribute_keys():
    text = """#[version = "0.0.5"]
fn (%x: Tensor[(2, 3), float32], Primitive=1, relay.reshape_only=1) {
  reshape(%x, newshape=[3, 2])
}"""
    fn = tvm.parser.parse_expr(text)
    assert int(fn.attrs["relay.reshape_only"]) == 1
    assert int(fn.attrs["Primitive"]) == 1
    assert "relay.reshape_only=1" in fn.astext()


def test_test_attrs_node():
    a = tvm.ir.make_node("attrs.TestAttrs", name="attr", padding=(3, 4))
    assert a.name == "attr" and a.axis == 10
    assert [int(p) for p in a.padding] == [3, 4]
    b = tvm.ir.make_node("attrs.TestAttrs", name="attr", padding=(3, 4))
    c = tvm.ir.make_node("attrs.TestAttrs", name="attr", padding=(3, 4, 4))
    assert tvm.ir.structural_equal(a, b)
    assert not tvm.ir.structural_equal(a, c)
    d = tvm.ir.make_node("attrs.TestAttrs", name="x")
    assert [int(p) for p in d.padding] == [0, 0]


@pytest.mark.parametrize("sdtype", ["int32", "int64"])
def test_broadcast_to_constant_shape_dtype(sdtype):
    x = relay.var("x", relay.TensorType((1, 1), "float32"))
    y = relay.broadcast_to(x, relay.const([2, 1], dtype=sdtype))
    t = _infer(relay.Function([x], y)).checked_type.ret_type
    assert [int(d) for d in t.shape] == [2, 1]
    assert all(d.dtype == sdtype for d in t.shape)
    data = np.random.rand(1, 1).astype("float32")
    res = relay.create_executor("debug", mod=tvm.IRModule.from_expr(relay.Function([x], y))).evaluate()(data)
    np.testing.assert_array_equal(res.numpy(), np.broadcast_to(data, (2, 1)))


def test_func_type_equality_maps_type_params():
    t1 = relay.TensorType((1, 2), "float32")
    a = relay.TypeVar("a", relay.TypeKind.Type)
    b = relay.TypeVar("b", relay.TypeKind.Type)
    s = relay.TypeVar("s", relay.TypeKind.ShapeVar)
    assert relay.FuncType([t1, a], a, [a]) == relay.FuncType([t1, b], b, [b])
    assert tvm.ir.structural_hash(relay.FuncType([a], a, [a])) == tvm.ir.structural_hash(relay.FuncType([b], b, [b]))
    assert relay.FuncType([a], a, [a]) != relay.FuncType([s], s, [s])  # kinds differ
    assert relay.FuncType([a], a, [a]) != relay.FuncType([b], a, [b])  # result not the bound one
