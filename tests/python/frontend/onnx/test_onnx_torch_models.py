# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Small models exported by torch.onnx.export, imported with from_onnx, compared with PyTorch."""
import io

import numpy as np
import pytest

from tvm import relay

torch = pytest.importorskip("torch")


def _export_and_compare(model, x, opset=13, rtol=1e-4, atol=1e-5):
    model.eval()
    buf = io.BytesIO()
    # exported with gradients enabled: torch's fused transformer fast path (no ONNX export) stays off
    torch.onnx.export(model, (torch.tensor(x),), buf, input_names=["input"], output_names=["output"],
                      opset_version=opset)
    ref = model(torch.tensor(x)).detach().numpy()
    mod, params = relay.frontend.from_onnx(buf.getvalue())
    try:
        ex = relay.create_executor("graph", mod=mod, params=params)
    except NotImplementedError:
        ex = relay.create_executor("debug", mod=mod, params=params)
    got = ex.evaluate()(x).numpy()
    np.testing.assert_allclose(got, ref, rtol=rtol, atol=atol)


def test_small_cnn():
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.BatchNorm2d(8), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2), torch.nn.Conv2d(8, 8, 3, groups=2, padding=1), torch.nn.Hardswish(),
        torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(8, 5), torch.nn.Softmax(-1))
    x = np.random.default_rng(0).standard_normal((2, 3, 8, 8)).astype("float32")
    _export_and_compare(model, x, opset=14)


@pytest.mark.parametrize("opset", [11, 13, 14])
def test_transformer_encoder_layer(opset):
    torch.manual_seed(0)
    model = torch.nn.TransformerEncoder(
        torch.nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, dropout=0.0, batch_first=True,
                                         activation="gelu"), num_layers=1, enable_nested_tensor=False)
    x = np.random.default_rng(0).standard_normal((2, 5, 16)).astype("float32")
    _export_and_compare(model, x, opset=opset)


def test_upsample_and_concat():
    class Net(torch.nn.Module):
        def forward(self, x):
            y = torch.nn.functional.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
            z = torch.nn.functional.interpolate(x, size=(5, 7), mode="nearest")
            return torch.cat([y[:, :, :5, :7], z], 1).reshape(x.shape[0], -1)

    x = np.random.default_rng(0).standard_normal((1, 2, 4, 4)).astype("float32")
    _export_and_compare(Net(), x, opset=13)


@pytest.mark.parametrize("name", ["resnet18", "mobilenet_v3_small", "squeezenet1_1", "shufflenet_v2_x0_5"])
def test_torchvision_classifier(name):
    """Real torchvision architectures (seeded random weights) at a small input size."""
    torchvision = pytest.importorskip("torchvision")
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None)
    for module in model.modules():  # non-trivial statistics, so batch norm folding is exercised
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.5, 1.5)
    x = np.random.default_rng(0).standard_normal((1, 3, 48, 48)).astype("float32")
    _export_and_compare(model, x, opset=13, rtol=1e-4, atol=1e-4)
