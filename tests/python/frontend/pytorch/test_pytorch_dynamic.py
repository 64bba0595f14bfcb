# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""from_pytorch with dynamic input dimensions (relay.Any()): one VM executable serves every
size, compared with torch's own output."""
import numpy as np
import pytest
import torch

import tvm
from tvm import relay


def _vm(mod, params):
    exe = relay.vm.compile(mod, "llvm", params=params)
    return tvm.runtime.vm.VirtualMachine(exe, tvm.cpu())


def _encoder(batch_first=False):
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64, dropout=0.0,
                                             batch_first=batch_first)
    return torch.nn.TransformerEncoder(layer, num_layers=2).eval()


@pytest.mark.parametrize("how", ["trace", "script"])
def test_transformer_encoder_dynamic_sequence(how):
    enc = _encoder()
    example = torch.randn(8, 2, 32)
    module = torch.jit.trace(enc, example) if how == "trace" else torch.jit.script(enc)
    mod, params = relay.frontend.from_pytorch(module, [("src", (relay.Any(), 2, 32))])
    mod = relay.transform.InferType()(mod)
    ret = mod["main"].ret_type
    assert isinstance(ret.shape[0], tvm.tir.Any) and [int(d) for d in ret.shape[1:]] == [2, 32]
    vm = _vm(mod, params)
    for length in (3, 16, 40):
        x = torch.randn(length, 2, 32)
        with torch.no_grad():
            want = enc(x).numpy()
        got = vm.invoke("main", x.numpy()).numpy()
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_transformer_encoder_batch_first_dynamic_batch_and_sequence():
    enc = _encoder(batch_first=True)
    module = torch.jit.trace(enc, torch.randn(2, 8, 32), check_trace=False)  # the fast path is not re-traceable
    mod, params = relay.frontend.from_pytorch(module, [("src", (None, -1, 32))])
    vm = _vm(mod, params)
    for batch, length in [(1, 5), (3, 12)]:
        x = torch.randn(batch, length, 32)
        with torch.no_grad():
            want = enc(x).numpy()
        np.testing.assert_allclose(vm.invoke("main", x.numpy()).numpy(), want, rtol=1e-4, atol=1e-4)


class _SizeArithmetic(torch.nn.Module):
    """Sizes read with x.size() and combined, as models do to split heads."""

    def forward(self, x):
        n, d = x.size(0), x.size(1)
        y = x.view(n, 2, d // 2).transpose(0, 1)
        z = torch.relu(y).reshape(2 * n, -1)
        return z.sum(dim=1) + x.shape[0]


def test_size_arithmetic_with_a_dynamic_dimension():
    model = _SizeArithmetic().eval()
    module = torch.jit.trace(model, torch.randn(4, 6))
    mod, params = relay.frontend.from_pytorch(module, [("x", (relay.Any(), 6))])
    vm = _vm(mod, params)
    for n in (1, 4, 9):
        x = torch.randn(n, 6)
        np.testing.assert_allclose(vm.invoke("main", x.numpy()).numpy(), model(x).numpy(), rtol=1e-5, atol=1e-5)


def test_static_input_stays_static():
    module = torch.jit.trace(_SizeArithmetic().eval(), torch.randn(4, 6))
    mod, _ = relay.frontend.from_pytorch(module, [("x", (4, 6))])
    mod = relay.transform.InferType()(mod)
    assert mod["main"].ret_type == relay.TensorType([8], "float32")


def test_bad_dynamic_dimension_is_a_clear_error():
    module = torch.jit.trace(_SizeArithmetic().eval(), torch.randn(4, 6))
    with pytest.raises(ValueError, match=r"input 'x' has shape \(2.5, 6\)"):
        relay.frontend.from_pytorch(module, [("x", (2.5, 6))])


def test_converter_needing_static_shapes_names_the_node():
    class Unfold(torch.nn.Module):
        def forward(self, x):
            return torch.nn.functional.pixel_shuffle(x, 2)

    module = torch.jit.trace(Unfold().eval(), torch.randn(1, 8, 3, 3))
    with pytest.raises(tvm.error.OpNotImplemented, match=r"aten::pixel_shuffle.*dynamic shape \(1, 8, '\?', 3\)"):
        relay.frontend.from_pytorch(module, [("x", (1, 8, relay.Any(), 3))])


class _DataDependent(torch.nn.Module):
    def forward(self, x):
        return (torch.nonzero(x > 0), torch.masked_select(x, x < 0),
                torch.unique(x.round(), return_inverse=True, return_counts=True), torch.where(x > 0.5))


def _flatten(value):
    return [value.numpy()] if hasattr(value, "numpy") else [y for f in value for y in _flatten(f)]


def test_data_dependent_output_counts():
    model = _DataDependent().eval()
    module = torch.jit.trace(model, torch.randn(3, 4))
    mod, params = relay.frontend.from_pytorch(module, [("x", (3, 4))])
    vm = _vm(mod, params)
    counts = set()
    for seed in range(4):
        x = torch.randn(3, 4, generator=torch.Generator().manual_seed(seed))
        got = _flatten(vm.invoke("main", x.numpy()))
        want = [t.numpy() for t in _flatten_torch(model(x))]
        assert len(got) == len(want) == 7
        for g, w in zip(got, want):
            assert g.shape == w.shape
            np.testing.assert_array_equal(g, w)
        counts.add(got[0].shape[0])
    assert len(counts) > 1


def _flatten_torch(value):
    if isinstance(value, torch.Tensor):
        return [value]
    return [y for f in value for y in _flatten_torch(f)]
