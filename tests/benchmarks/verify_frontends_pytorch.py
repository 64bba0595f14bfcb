#!/usr/bin/env python3
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Full-size models through both frontends, run, and compared with PyTorch: prints the
maximum relative error per model and path (target < 1e-4). The paths:

  pytorch   torch.jit.trace -> relay.frontend.from_pytorch
  onnx      torch.onnx.export (opset 13) -> onnx.load -> relay.frontend.from_onnx

Weights come from a fixed seed (nothing is downloaded). Runs with the graph
executor (relay.build) when it exists, else the debug executor (slow: minutes
per model).

    PYTHONPATH=python TVM_LIBRARY_PATH=build /usr/bin/python3 tests/benchmarks/verify_frontends_pytorch.py
    ... verify_frontends_pytorch.py resnet18 encoder --size 112 --paths onnx
"""
import argparse
import io
import sys
import time

import numpy as np
import torch
import torchvision

import tvm
from tvm import relay

MODELS = ["resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_1", "vgg11", "densenet121",
          "shufflenet_v2_x1_0", "efficientnet_b0", "googlenet", "inception_v3", "deeplabv3_mobilenet_v3_large",
          "encoder"]


def build(name, size):
    torch.manual_seed(0)
    if name == "encoder":
        layer = torch.nn.TransformerEncoderLayer(d_model=256, nhead=4)
        return torch.nn.TransformerEncoder(layer, num_layers=2), (torch.randn(64, 1, 256),)
    if name == "deeplabv3_mobilenet_v3_large":
        model = torchvision.models.segmentation.deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None,
                                                                              aux_loss=False)
    else:
        extra = {"aux_logits": False, "init_weights": True} if name in ("googlenet", "inception_v3") else {}
        model = getattr(torchvision.models, name)(weights=None, **extra)
    size = size or (299 if name == "inception_v3" else 224)
    return model, (torch.randn(1, 3, size, size),)


def executor_kinds():
    try:
        relay.create_executor("graph", mod=tvm.IRModule.from_expr(relay.Function([], relay.const(1.0))))
        return "graph"
    except Exception:  # pylint: disable=broad-except
        return "debug"


def import_model(path, model, inputs):
    names = ["input%d" % i for i in range(len(inputs))]
    if path == "pytorch":
        with torch.no_grad():
            traced = torch.jit.trace(model, inputs, strict=False)
        return relay.frontend.from_pytorch(traced, [(n, list(x.shape)) for n, x in zip(names, inputs)])
    import onnx  # pylint: disable=import-outside-toplevel

    buffer = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(model, inputs, buffer, opset_version=13, input_names=names)
    return relay.frontend.from_onnx(onnx.load_from_string(buffer.getvalue()),
                                    shape={n: list(x.shape) for n, x in zip(names, inputs)})


def verify(name, size, kind, path):
    model, inputs = build(name, size)
    model = model.eval()
    with torch.no_grad():
        expected = model(*inputs)
    start = time.time()
    mod, params = import_model(path, model, inputs)
    imported = time.time()
    with tvm.transform.PassContext(opt_level=3):
        run = relay.create_executor(kind, mod=mod, params=params, target="llvm").evaluate()
        result = run(*[x.numpy() for x in inputs])
    done = time.time()
    if isinstance(expected, dict):
        expected = list(expected.values())
    expected = [expected] if isinstance(expected, torch.Tensor) else list(expected)
    result = [result] if not isinstance(result, (list, tuple)) else list(result)
    err = max(float(np.abs(g.numpy() - w.numpy()).max() / max(np.abs(w.numpy()).max(), 1e-12))
              for g, w in zip(result, expected))
    return err, imported - start, done - imported


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="*", default=MODELS)
    parser.add_argument("--size", type=int, default=0, help="image side (default: 224, inception 299)")
    parser.add_argument("--executor", choices=["graph", "debug"], default=None)
    parser.add_argument("--paths", default="pytorch,onnx", help="comma-separated: pytorch, onnx")
    args = parser.parse_args()
    kind = args.executor or executor_kinds()
    print("executor: %s" % kind)
    print("%-30s %-8s %12s %10s %10s  %s" % ("model", "path", "max rel err", "import s", "run s", "< 1e-4"))
    failures = 0
    for name in args.models:
        for path in args.paths.split(","):
            try:
                err, t_import, t_run = verify(name, args.size, kind, path)
            except Exception as error:  # pylint: disable=broad-except
                failures += 1
                message = (str(error).splitlines() or [""])[0][:200]
                print("%-30s %-8s FAILED: %s: %s" % (name, path, type(error).__name__, message), flush=True)
                continue
            failures += err >= 1e-4
            print("%-30s %-8s %12.2e %10.2f %10.2f  %s" % (name, path, err, t_import, t_run,
                                                          "yes" if err < 1e-4 else "NO"), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
