# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Whole torchvision models and transformer blocks (seeded weights, small inputs)
through torch.jit.trace -> from_pytorch, run and compared with PyTorch."""
import numpy as np
import pytest
import torch
import torchvision

import tvm
from tvm import relay

def evaluate(mod, params):
    """The module's function, compiled by relay.build at opt_level 3 (the graph executor)."""
    with tvm.transform.PassContext(opt_level=3):
        return relay.create_executor("graph", mod=mod, params=params, target="llvm").evaluate()



def run_model(model, inputs, rtol=1e-4, atol=1e-5):
    model = model.eval()
    with torch.no_grad():
        expected = model(*inputs)
        traced = torch.jit.trace(model, inputs, strict=False)
    infos = [("input%d" % i, list(x.shape)) for i, x in enumerate(inputs)]
    mod, params = relay.frontend.from_pytorch(traced, infos)
    result = evaluate(mod, params)(*[x.numpy() for x in inputs])
    if isinstance(expected, dict):
        expected = list(expected.values())
    expected = [expected] if isinstance(expected, torch.Tensor) else list(expected)
    result = [result] if not isinstance(result, (list, tuple)) else list(result)
    for got, want in zip(result, expected):
        want = want.numpy()
        # Relative to the output's scale: errors of float32 accumulation, not of the conversion.
        err = np.abs(got.numpy() - want).max() / max(np.abs(want).max(), 1e-6)
        assert got.shape == want.shape
        assert err < rtol, err
    return mod, params


def seeded(build):
    torch.manual_seed(0)
    model = build()
    for module in model.modules():  # non-trivial statistics, so batch norm is exercised
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.5, 1.5)
    return model


@pytest.mark.parametrize("name,size", [("resnet18", 32), ("mobilenet_v3_small", 32), ("shufflenet_v2_x0_5", 32),
                                       ("squeezenet1_1", 48)])
def test_torchvision_classifier(name, size):
    model = seeded(lambda: getattr(torchvision.models, name)(weights=None, num_classes=10))
    mod, params = run_model(model, (torch.randn(1, 3, size, size),))
    assert len(params) == len(model.state_dict()) - sum(1 for k in model.state_dict() if "num_batches" in k)


def test_transformer_encoder():
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64, activation="gelu")
    model = torch.nn.TransformerEncoder(layer, num_layers=2)
    run_model(model, (torch.randn(12, 2, 32),))


def test_transformer_decoder_layer_with_causal_mask():
    torch.manual_seed(0)

    class Decoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = torch.nn.Embedding(50, 32)
            self.layer = torch.nn.TransformerDecoderLayer(32, 4, 64, batch_first=True, norm_first=True)
            self.out = torch.nn.Linear(32, 50)

        def forward(self, tokens, memory):
            n = tokens.size(1)
            mask = torch.triu(torch.full((n, n), float("-inf")), diagonal=1)
            positions = torch.arange(n).unsqueeze(0)
            x = self.embed(tokens) + positions.unsqueeze(-1).float() * 0.01
            return torch.log_softmax(self.out(self.layer(x, memory, tgt_mask=mask)), -1)

    run_model(Decoder(), (torch.randint(0, 50, (2, 9)), torch.randn(2, 7, 32)))


def test_batch_first_encoder_fast_path_traced_and_scripted():
    # In eval mode torch runs its fused kernels (aten::_transformer_encoder_layer_fwd when traced);
    # scripted, the graph holds both paths behind static conditions.
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(32, 4, 64, batch_first=True)
    model = torch.nn.TransformerEncoder(layer, num_layers=2).eval()
    x = torch.randn(2, 8, 32)
    mod, _ = run_model(model, (x,))
    assert "nn.layer_norm" in mod.astext()
    with torch.no_grad():
        scripted = torch.jit.script(model)
        expected = model(x).numpy()
    mod, params = relay.frontend.from_pytorch(scripted, [("src", [2, 8, 32])])
    got = evaluate(mod, params)(x.numpy()).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)


def test_scripted_multihead_attention():
    torch.manual_seed(0)
    model = torch.nn.MultiheadAttention(32, 4, batch_first=True).eval()
    q, k = torch.randn(2, 8, 32), torch.randn(2, 5, 32)
    with torch.no_grad():
        expected = [t.numpy() for t in model(q, k, k)]
        scripted = torch.jit.script(model)
    mod, params = relay.frontend.from_pytorch(scripted, [("q", [2, 8, 32]), ("k", [2, 5, 32]), ("v", [2, 5, 32])])
    got = evaluate(mod, params)(q.numpy(), k.numpy(), k.numpy())
    for g, want in zip(got, expected):
        np.testing.assert_allclose(g.numpy(), want, rtol=1e-4, atol=1e-5)
