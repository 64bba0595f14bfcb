# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Helpers of the ONNX frontend tests: one-node models and running them."""
import numpy as np
import onnx
import onnx.numpy_helper  # noqa: F401
from onnx import helper, TensorProto

from tvm import relay

NP_TO_ONNX = {
    "float32": TensorProto.FLOAT, "float64": TensorProto.DOUBLE, "int64": TensorProto.INT64,
    "int32": TensorProto.INT32, "int8": TensorProto.INT8, "uint8": TensorProto.UINT8, "bool": TensorProto.BOOL,
}


def make_model(op_type, inputs, outputs, attrs=None, opset=13, initializers=None, out_types=None):
    """A one-node model. inputs: dict name -> numpy array (graph inputs) ; initializers: dict
    name -> array given as initializers; outputs: list of names (types left to inference)."""
    initializers = initializers or {}
    names = list(inputs) + list(initializers)
    node = helper.make_node(op_type, names, outputs, **(attrs or {}))
    g_inputs = [helper.make_tensor_value_info(n, NP_TO_ONNX[str(v.dtype)], v.shape) for n, v in inputs.items()]
    g_outputs = [helper.make_tensor_value_info(n, (out_types or {}).get(n, 0), None) for n in outputs]
    inits = [onnx.numpy_helper.from_array(v, n) for n, v in initializers.items()]
    graph = helper.make_graph([node], "g", g_inputs, g_outputs, initializer=inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def run(model, inputs, **kwargs):
    """Import with from_onnx and run; a list of numpy outputs."""
    mod, params = relay.frontend.from_onnx(model, **kwargs)
    try:
        ex = relay.create_executor("graph", mod=mod, params=params)
    except NotImplementedError:
        ex = relay.create_executor("debug", mod=mod, params=params)
    out = ex.evaluate()(*[inputs[k] for k in inputs])
    if hasattr(out, "numpy"):
        return [out.numpy()]
    return [o.numpy() for o in out]


def check_node(op_type, inputs, expected, attrs=None, opset=13, initializers=None, rtol=1e-5, atol=1e-5):
    outs = ["y%d" % i for i in range(len(expected))]
    model = make_model(op_type, inputs, outs, attrs, opset, initializers)
    got = run(model, inputs)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.shape == np.asarray(e).shape, (g.shape, np.asarray(e).shape)
        if np.asarray(e).dtype.kind == "f":
            np.testing.assert_allclose(g, e, rtol=rtol, atol=atol)
        else:
            np.testing.assert_array_equal(g, e)
    return got
