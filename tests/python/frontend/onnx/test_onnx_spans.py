# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Spans filled by from_onnx: every expression names the ONNX node it came from."""
import os
import tempfile

import numpy as np
import onnx
import onnx.numpy_helper  # noqa: F401
import pytest
from onnx import helper, TensorProto

import tvm
import tvm.testing
from tvm import relay


def _name(expr):
    return None if expr.span is None else expr.span.source_name.name


def _collect(func):
    found = []
    relay.analysis.post_order_visit(func, found.append)
    return found


def _calls(func, op_name):
    return [e for e in _collect(func) if isinstance(e, relay.Call) and e.op.name == op_name]


def _vi(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def _conv_model(conv_name="conv2d"):
    rng = np.random.default_rng(0)
    w = rng.random((4, 3, 3, 3), dtype="float32")
    b = rng.random(4, dtype="float32")
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[3, 3], name=conv_name),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("Relu", ["r"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, "g", [_vi("x", [1, 3, 8, 8])], [_vi("y", None)],
        initializer=[onnx.numpy_helper.from_array(w, "w"), onnx.numpy_helper.from_array(b, "b")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def test_named_and_unnamed_nodes():
    mod, _ = relay.frontend.from_onnx(_conv_model())
    func = mod["main"]
    assert [(p.name_hint, _name(p)) for p in func.params] == [("x", "conv2d.x")]
    relu1 = func.body
    relu0 = relu1.args[0]
    assert (_name(relu1), _name(relu0)) == ("Relu_1", "Relu_0")
    bias_add = relu0.args[0]
    conv = bias_add.args[0]
    assert (bias_add.op.name, _name(bias_add)) == ("nn.bias_add", "conv2d")
    assert (conv.op.name, _name(conv)) == ("nn.conv2d", "conv2d")
    # Frozen initializers are constants named by their consumer and value name.
    assert _name(conv.args[1]) == "conv2d.w" and _name(bias_add.args[1]) == "conv2d.b"
    assert conv.args[0].same_as(func.params[0])


def test_model_is_the_same_without_spans():
    with tvm.testing.enable_span_filling():
        with_span, _ = relay.frontend.from_onnx(_conv_model())
    with tvm.testing.disable_span_filling():
        without_span, _ = relay.frontend.from_onnx(_conv_model())
    assert tvm.ir.structural_equal(with_span, without_span)
    assert all(getattr(e, "span", None) is None for e in _collect(without_span["main"]))
    spanned = [e for e in _collect(with_span["main"]) if isinstance(e, (relay.Call, relay.Var, relay.Constant))]
    assert spanned and all(e.span is not None for e in spanned)


def test_unfrozen_parameters_and_shared_inputs():
    w = np.random.rand(3, 3).astype("float32")
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["m"], name="mm"),
        helper.make_node("Add", ["m", "x"], ["a"], name="add"),
        helper.make_node("Mul", ["a", "w"], ["y"], name="mul"),
    ]
    graph = helper.make_graph(nodes, "g", [_vi("x", [3, 3])], [_vi("y", None)],
                              initializer=[onnx.numpy_helper.from_array(w, "w")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    mod, params = relay.frontend.from_onnx(model, freeze_params=False)
    func = mod["main"]
    assert list(params) == ["w"]
    assert [(p.name_hint, _name(p)) for p in func.params] == [("x", "mm.x"), ("w", "mm.w")]
    add = _calls(func, "add")[0]
    mul = _calls(func, "multiply")[0]
    assert (_name(add), _name(mul)) == ("add", "mul")
    # Later consumers use the very variables the function binds.
    assert add.args[1].same_as(func.params[0]) and mul.args[1].same_as(func.params[1])
    x = np.random.rand(3, 3).astype("float32")
    out = relay.create_executor("debug", mod=mod).evaluate()(x, w)
    np.testing.assert_allclose(out.numpy(), (x @ w + x) * w, rtol=1e-5)


def test_folded_constants_carry_their_node():
    nodes = [
        helper.make_node("Shape", ["x"], ["s"], name="shape"),
        helper.make_node("Cast", ["s"], ["sf"], to=TensorProto.FLOAT, name="cast"),
        helper.make_node("Mul", ["x", "sf"], ["y"], name="scale"),
    ]
    graph = helper.make_graph(nodes, "g", [_vi("x", [2, 2])], [_vi("y", None)])
    mod, _ = relay.frontend.from_onnx(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]))
    mul = mod["main"].body
    assert _name(mul) == "scale"
    folded = mul.args[1]
    assert isinstance(folded, relay.Constant) and _name(folded) == "cast"


def test_type_error_at_import_names_the_node():
    # Add of (2, 3) and (4, 5): the error names the ONNX node.
    nodes = [helper.make_node("Add", ["x", "z"], ["y"], name="bad_add")]
    graph = helper.make_graph(nodes, "g", [_vi("x", [2, 3]), _vi("z", [4, 5])], [_vi("y", None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    with pytest.raises(tvm.error.TVMError) as info:
        relay.frontend.from_onnx(model)
    assert "bad_add" in str(info.value)


def test_type_error_of_imported_module_names_the_node():
    mod, _ = relay.frontend.from_onnx(_conv_model("my_conv"))
    func = mod["main"]
    # Rebuild the module with the bias of the wrong length: InferType names the node in its error.
    bias_add = func.body.args[0].args[0]
    bad_bias = relay.const(np.ones(5, "float32"))
    broken = relay.expr.CallWithFields(bias_add, args=[bias_add.args[0], bad_bias])
    body = relay.nn.relu(relay.nn.relu(broken))
    with pytest.raises(tvm.error.DiagnosticError) as info:
        relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function(list(func.params), body)))
    assert "(at my_conv)" in str(info.value)


def test_export_renamed_model():
    model = _conv_model()
    with tempfile.TemporaryDirectory() as folder:
        relay.frontend.from_onnx(model, export_node_renamed_model_path=folder)
        (name,) = os.listdir(folder)
        assert name.startswith("tvm_exported_model_") and name.endswith(".onnx")
        exported = onnx.load(os.path.join(folder, name))
    assert [n.name for n in exported.graph.node] == ["conv2d", "Relu_0", "Relu_1"]
    # The user's model is left as it was.
    assert [n.name for n in model.graph.node] == ["conv2d", "", ""]


def test_if_subgraph_nodes_get_spans():
    then_graph = helper.make_graph([helper.make_node("Relu", ["x"], ["t"], name="then_relu")], "then", [],
                                   [_vi("t", [2])])
    else_graph = helper.make_graph([helper.make_node("Neg", ["x"], ["e"])], "else", [], [_vi("e", [2])])
    nodes = [
        helper.make_node("ReduceSum", ["x"], ["s"], keepdims=0, name="sum"),
        helper.make_node("Greater", ["s", "zero"], ["c"], name="gt"),
        helper.make_node("If", ["c"], ["y"], then_branch=then_graph, else_branch=else_graph, name="branch"),
    ]
    zero = onnx.numpy_helper.from_array(np.array(0.0, "float32"), "zero")
    graph = helper.make_graph(nodes, "g", [_vi("x", [2])], [_vi("y", None)], initializer=[zero])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    mod, _ = relay.frontend.from_onnx(model)
    names = {_name(e) for e in _collect(mod["main"]) if isinstance(e, relay.Call)}
    assert {"sum", "gt", "then_relu", "Neg_0"} <= names
    for x in (np.array([1.0, -2.0], "float32"), np.array([-1.0, -2.0], "float32")):
        out = relay.create_executor("debug", mod=mod).evaluate()(x)
        np.testing.assert_allclose(out.numpy(), np.maximum(x, 0) if x.sum() > 0 else -x)


def test_long_chain_with_spans():
    nodes = [helper.make_node("Relu", ["x" if i == 0 else "v%d" % (i - 1)], ["v%d" % i]) for i in range(2000)]
    graph = helper.make_graph(nodes, "g", [_vi("x", [2])], [_vi("v1999", None)])
    mod, _ = relay.frontend.from_onnx(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]))
    assert _name(mod["main"].body) == "Relu_1999"
    assert _name(mod["main"].params[0]) == "Relu_0.x"
