# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""from_pytorch's interface: names of inputs and parameters, custom converters,
dtypes of inputs, and the errors (every unsupported operator at once, control
flow that cannot be a graph, bad input_infos)."""
from typing import Optional

import numpy as np
import pytest
import torch

import tvm
from tvm import relay
from tvm.error import OpNotImplemented


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3)
        self.bn = torch.nn.BatchNorm2d(4)
        self.head = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4 * 6 * 6, 2))

    def forward(self, x):
        return self.head(torch.relu(self.bn(self.conv(x))))


def traced_net():
    torch.manual_seed(0)
    return torch.jit.trace(Net().eval(), torch.randn(1, 3, 8, 8))


def test_names_of_inputs_and_params_are_stable():
    mod, params = relay.frontend.from_pytorch(traced_net(), [("image", [1, 3, 8, 8])])
    names = [p.name_hint for p in mod["main"].params]
    assert names[0] == "image"
    expected = ["conv.weight", "conv.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
                "head.1.weight", "head.1.bias"]
    assert names[1:] == expected
    assert sorted(params) == sorted(expected)
    assert isinstance(params["conv.weight"], tvm.nd.NDArray)
    np.testing.assert_array_equal(params["conv.weight"].numpy(), traced_net().conv.weight.detach().numpy())
    mod2, params2 = relay.frontend.from_pytorch(traced_net(), [("image", [1, 3, 8, 8])])
    assert tvm.ir.structural_equal(mod, mod2)
    assert list(params2) == list(params)


def test_parser_friendly_names_and_text_round_trip():
    mod, params = relay.frontend.from_pytorch(traced_net(), [("image", [1, 3, 8, 8])],
                                              use_parser_friendly_name=True)
    assert "conv_weight" in params and "head_1_bias" in params
    assert all("." not in p.name_hint for p in mod["main"].params)
    parsed = tvm.parser.parse(mod.astext(show_meta_data=True))
    assert tvm.ir.structural_equal(relay.transform.InferType()(parsed), relay.transform.InferType()(mod))


def test_output_matches_torch_and_types_are_inferred():
    torch.manual_seed(0)
    net = Net().eval()
    x = torch.randn(1, 3, 8, 8)
    mod, params = relay.frontend.from_pytorch(torch.jit.trace(net, x), [("x", ([1, 3, 8, 8], "float32"))])
    mod = relay.transform.InferType()(mod)
    assert mod["main"].checked_type.ret_type == relay.TensorType([1, 2], "float32")
    out = relay.create_executor("debug", mod=mod, params=params).evaluate()(x.numpy())
    np.testing.assert_allclose(out.numpy(), net(x).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_input_dtype_and_default_dtype():
    traced = torch.jit.trace(lambda a, b: a + b.to(torch.float64), (torch.ones(2, dtype=torch.float64), torch.ones(2)))
    mod, _ = relay.frontend.from_pytorch(traced, [("a", ([2], "float64")), ("b", [2])], default_dtype="float32")
    assert [p.type_annotation.dtype for p in mod["main"].params] == ["float64", "float32"]


def test_tuple_and_nested_outputs():
    traced = torch.jit.trace(lambda x: (x + 1, (x * 2, x.sum())), torch.ones(3))
    mod, params = relay.frontend.from_pytorch(traced, [("x", [3])])
    out = relay.create_executor("debug", mod=mod, params=params).evaluate()(np.arange(3, dtype="float32"))
    assert len(out) == 3
    np.testing.assert_allclose(out[2].numpy(), 3.0)


def test_custom_convert_map():
    calls = []

    def my_relu(inputs, input_types):
        calls.append(input_types)
        return relay.clip(inputs[0], 0.0, 1.0)

    traced = torch.jit.trace(lambda x: torch.relu(x) * 2, torch.randn(4))
    mod, params = relay.frontend.from_pytorch(traced, [("x", [4])], custom_convert_map={"aten::relu": my_relu})
    assert calls == [["float32"]]
    out = relay.create_executor("debug", mod=mod).evaluate()(np.array([-1, 0.5, 2, 3], "float32"))
    np.testing.assert_allclose(out.numpy(), [0, 1, 2, 2])


class ManyUnsupported(torch.nn.Module):
    def forward(self, x):
        y = torch.special.i0(x)        # unsupported
        z = torch.relu(y)               # supported, downstream of an unsupported op
        w = torch.special.i0(z)        # the same unsupported operator again
        v = torch.lgamma(x)             # another unsupported operator
        return torch.digamma(w + v)     # and a third


def test_every_unsupported_operator_is_reported_at_once():
    traced = torch.jit.trace(ManyUnsupported(), torch.rand(3) + 1)
    with pytest.raises(OpNotImplemented) as info:
        relay.frontend.from_pytorch(traced, [("x", [3])])
    message = str(info.value)
    assert "(4 nodes, 3 operators)" in message
    for op in ("aten::i0", "aten::lgamma", "aten::digamma"):
        assert op in message
    assert "aten::relu" not in message.split("nearest")[0]
    assert "test_pytorch_import.py:" in message  # the source line of each node
    assert "aten::i0 (nearest supported: aten::sin" in message
    assert "custom_convert_map" in message


def test_unsupported_operator_is_accepted_through_custom_convert_map():
    traced = torch.jit.trace(ManyUnsupported(), torch.rand(3) + 1)
    fake = lambda inputs, types: relay.exp(inputs[0])  # stand-ins, only to complete the graph
    custom = {"aten::i0": fake, "aten::lgamma": fake, "aten::digamma": fake}
    mod, _ = relay.frontend.from_pytorch(traced, [("x", [3])], custom_convert_map=custom)
    assert isinstance(mod["main"], relay.Function)


def test_data_dependent_control_flow_names_the_node():
    @torch.jit.script
    def branchy(x):
        if bool(x.sum() > 0):
            return x * 2
        return x - 1

    with pytest.raises(OpNotImplemented, match=r"prim::If at .*test_pytorch_import.py:\d+.*depends on tensor values"):
        relay.frontend.from_pytorch(branchy, [("x", [3])])

    @torch.jit.script
    def loopy(x):
        n = int(x.sum())
        for _ in range(n):
            x = x + 1
        return x

    with pytest.raises(OpNotImplemented, match=r"prim::Loop"):
        relay.frontend.from_pytorch(loopy, [("x", [3])])


def test_bad_input_infos():
    traced = traced_net()
    with pytest.raises(ValueError, match=r"takes 1 inputs .* input_infos gives 2"):
        relay.frontend.from_pytorch(traced, [("a", [1, 3, 8, 8]), ("b", [1])])
    with pytest.raises(ValueError, match=r"input_infos\[0\]"):
        relay.frontend.from_pytorch(traced, ["a"])
    with pytest.raises(ValueError, match=r"input 'a' has shape"):
        relay.frontend.from_pytorch(traced, [("a", "big")])
    with pytest.raises(TypeError, match="TorchScript module"):
        relay.frontend.from_pytorch(Net(), [("a", [1, 3, 8, 8])])
    with pytest.raises(ValueError, match="out of range"):
        relay.frontend.from_pytorch(torch.jit.trace(lambda x: x.transpose(0, 1), torch.ones(2, 2)),
                                    [("x", [2])])


def test_deep_chain_imports_without_recursion():
    def chain(x):
        for _ in range(3000):
            x = x + 1.0
        return x

    traced = torch.jit.trace(chain, torch.zeros(2))
    mod, _ = relay.frontend.from_pytorch(traced, [("x", [2])])
    out = relay.create_executor("debug", mod=mod).evaluate()(np.zeros(2, "float32"))
    np.testing.assert_allclose(out.numpy(), [3000, 3000])


def test_scripted_node_location_names_file_line_and_code():
    @torch.jit.script
    def uses_lgamma(x):
        y = x + 1
        return torch.lgamma(y)

    with pytest.raises(OpNotImplemented) as info:
        relay.frontend.from_pytorch(uses_lgamma, [("x", [3])])
    assert "test_pytorch_import.py:" in str(info.value)
    assert "`return torch.lgamma(y)`" in str(info.value)


def test_optional_scripted_arguments_take_their_defaults():
    class Scaled(torch.nn.Module):
        def forward(self, x, scale: float = 3.0, bias: Optional[torch.Tensor] = None):
            if bias is not None:
                x = x + bias
            return x * scale

    mod, _ = relay.frontend.from_pytorch(torch.jit.script(Scaled()), [("x", [2])])
    assert [p.name_hint for p in mod["main"].params] == ["x"]
    out = relay.create_executor("debug", mod=mod).evaluate()(np.array([1, 2], "float32"))
    np.testing.assert_allclose(out.numpy(), [3, 6])


def test_run_time_slice_bounds_are_refused_clearly():
    @torch.jit.script
    def window(x, start: int):
        return x[start:]

    with pytest.raises(OpNotImplemented, match=r"aten::slice at .*start is computed at run time"):
        relay.frontend.from_pytorch(window, [("x", [5]), ("start", ([], "int64"))])


def test_export_renamed_graph(tmp_path):
    relay.frontend.from_pytorch(traced_net(), [("image", [1, 3, 8, 8])], export_renamed_c_graph_path=str(tmp_path))
    (written,) = list(tmp_path.iterdir())
    assert written.name.startswith("tvm_exported_c_graph_")
    text = written.read_text()
    assert "%aten::_convolution_0" in text and "%aten::batch_norm_0" in text
