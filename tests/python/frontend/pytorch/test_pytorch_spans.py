# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Spans filled by from_pytorch: every expression names the TorchScript node it came from."""
import os
import tempfile

import numpy as np
import pytest
import torch

import tvm
import tvm.testing
from tvm import relay
from tvm.relay.frontend.pytorch import source_names


def _import(module, shapes):
    traced = torch.jit.trace(module.eval(), [torch.rand(s) for s in shapes])
    inputs = [("input%d" % i, s) for i, s in enumerate(shapes)]
    return relay.frontend.from_pytorch(traced, inputs)


def _name(expr):
    return None if expr.span is None else expr.span.source_name.name


def _spans_by_kind(func):
    """(kind, name, span) of every expression of func, in post order."""
    found = []

    def visit(e):
        if isinstance(e, relay.Call):
            found.append((e.op.name, _name(e)))
        elif isinstance(e, relay.Var):
            found.append(("var " + e.name_hint, _name(e)))
        elif isinstance(e, relay.Constant):
            found.append(("const", _name(e)))
        elif isinstance(e, relay.TupleGetItem):
            found.append(("get %d" % e.index, _name(e)))
        elif isinstance(e, relay.Tuple):
            found.append(("tuple", _name(e)))

    relay.analysis.post_order_visit(func.body, visit)
    for p in func.params:
        found.append(("param " + p.name_hint, _name(p)))
    return found


class Conv(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, bias=True)

    def forward(self, x):
        return torch.relu(self.conv(x))


def test_conv_bias_relu_spans():
    mod, params = _import(Conv(), [(1, 3, 8, 8)])
    func = mod["main"]
    # Parameter names stay the attribute paths; their spans name the consuming node.
    assert sorted(params) == ["conv.bias", "conv.weight"]
    assert [(p.name_hint, _name(p)) for p in func.params] == [
        ("input0", "aten::_convolution_0.input0"),
        ("conv.weight", "aten::_convolution_0.weight"),
        ("conv.bias", "aten::_convolution_0.bias"),
    ]
    relu = func.body
    assert relu.op.name == "nn.relu" and _name(relu) == "aten::relu_0"
    bias_add = relu.args[0]
    assert bias_add.op.name == "nn.bias_add" and _name(bias_add) == "aten::_convolution_0"
    conv = bias_add.args[0]
    assert conv.op.name == "nn.conv2d" and _name(conv) == "aten::_convolution_0"
    # The body uses the very variables the function binds (same object, span included).
    assert conv.args[0].same_as(func.params[0]) and conv.args[1].same_as(func.params[1])
    assert bias_add.args[1].same_as(func.params[2])


def test_every_expression_has_a_span_and_same_module_without():
    class Block(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(6, 5)
            self.bn = torch.nn.BatchNorm1d(5)

        def forward(self, x, y):
            a = self.bn(self.linear(x)) * 2.0 + y
            return torch.cat([a, torch.sigmoid(a)], dim=1).reshape(-1), a.max(dim=1)

    shapes = [(4, 6), (4, 5)]
    with tvm.testing.enable_span_filling():
        with_span, _ = _import(Block(), shapes)
    with tvm.testing.disable_span_filling():
        without_span, _ = _import(Block(), shapes)
    assert tvm.ir.structural_equal(with_span, without_span)
    spans = _spans_by_kind(with_span["main"])
    missing = [kind for kind, span in spans if span is None and kind != "tuple"]
    assert missing == []
    assert all(span is None for _, span in _spans_by_kind(without_span["main"]))
    kinds = {span for _, span in spans if span}
    assert {"aten::linear_0", "aten::batch_norm_0", "aten::mul_0", "aten::add_0", "aten::sigmoid_0",
            "aten::cat_0", "aten::reshape_0", "aten::max_0"} <= kinds
    # The scalar constant 2.0 is made by aten::mul's converter: it carries that node's span.
    mul = [e for e in _collect(with_span["main"]) if isinstance(e, relay.Call) and e.op.name == "multiply"][0]
    assert _name(mul) == "aten::mul_0" and _name(mul.args[1]) == "aten::mul_0"
    # y is first read by aten::add.
    assert [_name(p) for p in with_span["main"].params[:2]] == ["aten::linear_0.input0", "aten::add_0.input1"]


def _collect(func):
    found = []
    relay.analysis.post_order_visit(func, found.append)
    return found


def test_nodes_of_one_kind_are_numbered():
    class Chain(torch.nn.Module):
        def forward(self, x):
            return torch.relu(torch.relu(x) - 1.0) + torch.relu(x)

    mod, _ = _import(Chain(), [(2, 2)])
    relus = [e for e in _collect(mod["main"]) if isinstance(e, relay.Call) and e.op.name == "nn.relu"]
    assert sorted(_name(r) for r in relus) == ["aten::relu_0", "aten::relu_1", "aten::relu_2"]
    # x feeds two relus: the first one names it.
    assert _name(mod["main"].params[0]) == "aten::relu_0.input0"


def test_a_shared_parameter_is_named_by_its_first_consumer():
    class Shared(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.rand(3))

        def forward(self, x):
            return torch.mul(x, self.w) + torch.sub(x, self.w)

    mod, params = _import(Shared(), [(2, 3)])
    func = mod["main"]
    assert list(params) == ["w"]
    w = func.params[1]
    assert (w.name_hint, _name(w)) == ("w", "aten::mul_0.w")
    sub = [e for e in _collect(func) if isinstance(e, relay.Call) and e.op.name == "subtract"][0]
    assert sub.args[1].same_as(w)
    assert len(relay.analysis.free_vars(func)) == 0


def test_parser_friendly_names():
    traced = torch.jit.trace(Conv().eval(), torch.rand(1, 3, 8, 8))
    mod, params = relay.frontend.from_pytorch(traced, [("input0", (1, 3, 8, 8))], use_parser_friendly_name=True)
    func = mod["main"]
    assert sorted(params) == ["conv_bias", "conv_weight"]
    assert [_name(p) for p in func.params] == [
        "aten___convolution_0_input0", "aten___convolution_0_weight", "aten___convolution_0_bias"]
    assert _name(func.body) == "aten__relu_0"
    # The text (spans in comments) reads back to the same module.
    text = mod.astext()
    assert "span=aten__relu_0:0:0" in text
    assert tvm.ir.structural_equal(tvm.parser.parse(text), relay.transform.InferType()(mod))


def test_custom_converter_output_gets_the_span_and_type_errors_name_it():
    def bad_add(inputs, input_types):
        # An ill-typed call: (2, 3) + (7,) does not broadcast.
        return relay.add(inputs[0], relay.const(np.ones(7, "float32")))

    class Add(torch.nn.Module):
        def forward(self, x):
            return torch.relu(x) + 1.0

    traced = torch.jit.trace(Add(), torch.rand(2, 3))
    mod, _ = relay.frontend.from_pytorch(traced, [("x", (2, 3))], custom_convert_map={"aten::add": bad_add})
    add = mod["main"].body
    assert _name(add) == "aten::add_0" and _name(add.args[1]) == "aten::add_0"
    with pytest.raises(tvm.error.DiagnosticError) as info:
        relay.transform.InferType()(mod)
    message = str(info.value)
    assert "(at aten::add_0)" in message and "add" in message


def test_source_names_number_blocks_after_their_list():
    class Branchy(torch.nn.Module):
        def __init__(self, flag):
            super().__init__()
            self.flag = flag

        def forward(self, x):
            y = torch.relu(x)
            if self.flag:
                y = torch.relu(y) * 2.0
            else:
                y = torch.neg(y)
            return torch.relu(y)

    scripted = torch.jit.script(Branchy(True))
    graph = scripted.graph.copy()
    torch._C._jit_pass_inline(graph)
    names = source_names(graph)
    top = [names[n] for n in graph.nodes() if n.kind() == "aten::relu"]
    assert top == ["aten::relu_0", "aten::relu_1"]
    if_node = [n for n in graph.nodes() if n.kind() == "prim::If"][0]
    then_block = list(if_node.blocks())[0]
    assert [names[n] for n in then_block.nodes() if n.kind() == "aten::relu"] == ["aten::relu_2"]
    mod, _ = relay.frontend.from_pytorch(scripted, [("x", (2, 2))])
    relus = sorted(_name(e) for e in _collect(mod["main"]) if isinstance(e, relay.Call) and e.op.name == "nn.relu")
    assert relus == ["aten::relu_0", "aten::relu_1", "aten::relu_2"]


def test_export_renamed_graph_matches_spans():
    traced = torch.jit.trace(Conv().eval(), torch.rand(1, 3, 8, 8))
    with tempfile.TemporaryDirectory() as folder:
        relay.frontend.from_pytorch(traced, [("input0", (1, 3, 8, 8))], export_renamed_c_graph_path=folder)
        (name,) = os.listdir(folder)
        assert name.startswith("tvm_exported_c_graph_")
        with open(os.path.join(folder, name)) as f:
            text = f.read()
    assert "%aten::_convolution_0_0 : " in text and "%aten::relu_0_0 : " in text


def test_long_chain_imports_with_spans():
    class Long(torch.nn.Module):
        def forward(self, x):
            for _ in range(1500):
                x = x + 1.0
            return x

    mod, _ = _import(Long(), [(2,)])
    body = mod["main"].body
    assert _name(body) == "aten::add_1499"
    data = np.arange(2, dtype="float32")
    out = relay.create_executor("debug", mod=mod, target="llvm").evaluate()(data)
    np.testing.assert_allclose(out.numpy(), data + 1500.0)
