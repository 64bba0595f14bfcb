# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""from_onnx errors: every unsupported operator at once, malformed files, missing shapes."""
import numpy as np
import pytest
import onnx
import onnx.numpy_helper  # noqa: F401
from onnx import helper, TensorProto

import tvm
from tvm import relay
from onnx_testing import make_model


def _model_with_unsupported():
    nodes = [
        helper.make_node("Relu", ["x"], ["a"], name="relu0"),
        helper.make_node("Foo", ["a"], ["b"], name="foo_node"),
        helper.make_node("Reluu", ["b"], ["c"], name="typo_node"),
        helper.make_node("StringNormalizer", ["c"], ["d"], name="unique_node"),
        helper.make_node("Foo", ["d"], ["e"], name="foo_again"),
    ]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                              [helper.make_tensor_value_info("e", TensorProto.FLOAT, None)])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def test_every_unsupported_operator_in_one_error():
    with pytest.raises(tvm.error.OpNotImplemented) as info:
        relay.frontend.from_onnx(_model_with_unsupported())
    msg = str(info.value)
    assert "3 unsupported operator(s): Foo, Reluu, StringNormalizer" in msg
    for name in ("foo_node", "typo_node", "unique_node", "foo_again"):
        assert repr(name) in msg
    assert "relu0" not in msg
    # the nearest supported names
    assert "Reluu in node 'typo_node': not supported (nearest supported: Relu" in msg


def test_operator_newer_than_the_opset():
    x = np.zeros((2,), "float32")
    model = make_model("HardSwish", {"x": x}, ["y"], opset=13)
    with pytest.raises(tvm.error.OpNotImplemented, match=r"HardSwish in node 'y': no converter for opset 13 \(versions \[14\]\)"):
        relay.frontend.from_onnx(model)


def test_truncated_file(tmp_path):
    x = np.zeros((2, 3), "float32")
    model = make_model("MatMul", {"x": x}, ["y"], initializers={"w": np.ones((3, 4), "float32")})
    data = model.SerializeToString()
    path = tmp_path / "m.onnx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a valid ONNX model"):
        relay.frontend.from_onnx(str(path))
    with pytest.raises(ValueError, match="not a valid ONNX model"):
        relay.frontend.from_onnx(data[:7])


def test_garbage_and_wrong_types(tmp_path):
    path = tmp_path / "junk.onnx"
    path.write_bytes(b"\xff\xfe this is not protobuf \x00\x01")
    with pytest.raises(ValueError, match="junk.onnx"):
        relay.frontend.from_onnx(str(path))
    with pytest.raises(TypeError, match="expects an onnx.ModelProto, got int"):
        relay.frontend.from_onnx(42)
    with pytest.raises(TypeError, match="got GraphProto"):
        relay.frontend.from_onnx(helper.make_graph([], "g", [], []))
    with pytest.raises(ValueError, match="cannot read the ONNX file"):
        relay.frontend.from_onnx(str(tmp_path / "missing.onnx"))
    with pytest.raises(ValueError, match="no graph"):
        relay.frontend.from_onnx(onnx.ModelProto())


def test_missing_initializer():
    x = np.zeros((2, 3), "float32")
    model = make_model("MatMul", {"x": x}, ["y"], initializers={"w": np.ones((3, 4), "float32")})
    del model.graph.initializer[:]
    with pytest.raises(ValueError, match=r"MatMul node 'y' uses 'w', which no initializer, graph input or earlier node defines"):
        relay.frontend.from_onnx(model)


def test_corrupt_initializer_data():
    x = np.zeros((2, 3), "float32")
    model = make_model("MatMul", {"x": x}, ["y"], initializers={"w": np.ones((3, 4), "float32")})
    model.graph.initializer[0].raw_data = b"\x00" * 5  # 5 bytes for 12 floats
    with pytest.raises(ValueError, match="initializer 'w' cannot be read"):
        relay.frontend.from_onnx(model)


def test_symbolic_dimension_is_dynamic():
    node = helper.make_node("Relu", ["x"], ["y"])
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    mod, _ = relay.frontend.from_onnx(model)
    assert mod["main"].body.checked_type == relay.TensorType([relay.Any(), 3], "float32")
    mod, _ = relay.frontend.from_onnx(model, shape={"x": (4, 3)})
    assert mod["main"].body.checked_type == relay.TensorType([4, 3], "float32")
    with pytest.raises(TypeError, match=r"shape of graph input 'x': axis 1 is 2.5"):
        relay.frontend.from_onnx(model, shape={"x": (4, 2.5)})


def test_bad_attribute_names_the_node():
    x = np.zeros((2, 3), "float32")
    model = make_model("Pad", {"x": x}, ["y"], {"mode": "wrapround"}, initializers={"p": np.array([1, 1, 1, 1], "int64")})
    with pytest.raises(tvm.error.OpError, match=r"Pad node 'y'.*Pad mode must be constant, edge or reflect"):
        relay.frontend.from_onnx(model)


def test_value_needed_at_import_names_the_input():
    # DFT's length fixes its matrices at import, so it must be a constant
    x = np.zeros((1, 4, 1), "float32")
    model = make_model("DFT", {"x": x, "n": np.array(4, "int64")}, ["y"], opset=17)
    with pytest.raises(tvm.error.OpError, match=r"DFT node 'y': its dft_length must be known at import.*'n'"):
        relay.frontend.from_onnx(model)
