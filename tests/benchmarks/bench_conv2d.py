# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Per-layer float32 conv2d: topi.x86.conv2d_nchw / depthwise_conv2d_nchw against the
machine's FMA peak and torch.nn.functional.conv2d, all measured in this run.

Layers: the eleven distinct convolutions of ResNet-18 (batch 1, 224x224 input; "x4" says how
often a layer occurs in the model) and, with --depthwise, the depthwise convolutions of
MobileNet-v2. Each of our kernels is built for "llvm -mcpu=<this CPU>" as relay.build builds it
(the cpu strategy's implementation and schedule; the kernel pre-packed as AlterOpLayout and
FoldConstant leave it), and is checked against torch before it is timed.

Columns: our milliseconds, GFLOP/s, fraction of the FMA peak (measured now, same threads),
torch's milliseconds (torch.set_num_threads(threads)), and torch / ours (above 1 = we are
faster). The last line weights each layer by its count in the model. Nothing is asserted.

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_conv2d.py \
        [--threads 2] [--depthwise]
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def _extra(parser):
    parser.set_defaults(threads=2)
    parser.add_argument("--depthwise", action="store_true",
                        help="also MobileNet-v2's depthwise layers")


if __name__ == "__main__":
    ARGS = common.parse_args(__doc__, _extra)
    common.setup_threads(ARGS.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402

import tvm  # noqa: E402
from tvm import te  # noqa: E402
from tvm.topi import x86  # noqa: E402

# (name, count in the model, in channels, size, out channels, kernel, stride, padding)
RESNET18 = [
    ("conv1 7x7/2", 1, 3, 224, 64, 7, 2, 3),
    ("layer1 3x3", 4, 64, 56, 64, 3, 1, 1),
    ("layer2 3x3/2", 1, 64, 56, 128, 3, 2, 1),
    ("layer2 1x1/2", 1, 64, 56, 128, 1, 2, 0),
    ("layer2 3x3", 3, 128, 28, 128, 3, 1, 1),
    ("layer3 3x3/2", 1, 128, 28, 256, 3, 2, 1),
    ("layer3 1x1/2", 1, 128, 28, 256, 1, 2, 0),
    ("layer3 3x3", 3, 256, 14, 256, 3, 1, 1),
    ("layer4 3x3/2", 1, 256, 14, 512, 3, 2, 1),
    ("layer4 1x1/2", 1, 256, 14, 512, 1, 2, 0),
    ("layer4 3x3", 3, 512, 7, 512, 3, 1, 1),
]
# (name, count, channels, size, kernel, stride)
MOBILENET_V2_DEPTHWISE = [
    ("dw 32 112", 1, 32, 112, 3, 1),
    ("dw 96 112/2", 1, 96, 112, 3, 2),
    ("dw 144 56", 1, 144, 56, 3, 1),
    ("dw 144 56/2", 1, 144, 56, 3, 2),
    ("dw 192 28", 2, 192, 28, 3, 1),
    ("dw 192 28/2", 1, 192, 28, 3, 2),
    ("dw 384 14", 4, 384, 14, 3, 1),
    ("dw 576 14", 2, 576, 14, 3, 1),
    ("dw 576 14/2", 1, 576, 14, 3, 2),
    ("dw 960 7", 3, 960, 7, 3, 1),
]


def pack_kernel(kernel, layout):
    """An OIHW numpy kernel in OIHW[i]i[o]o, as AlterOpLayout + FoldConstant leave it."""
    match = re.match(r"OIHW(\d+)i(\d+)o$", layout)
    ib, ob = int(match.group(1)), int(match.group(2))
    oc, ic, kh, kw = kernel.shape
    return np.ascontiguousarray(kernel.reshape(oc // ob, ob, ic // ib, ib, kh, kw).transpose(0, 2, 4, 5, 3, 1))


def build_layer(target, shape, kernel_shape, stride, padding, groups):
    """(function, output shape, kernel layout) of one layer as relay.build compiles it: a regular
    convolution whose output channels fill whole blocks takes its kernel pre-packed."""
    layout = None
    if groups == 1:
        compute, schedule = x86.conv2d_nchw, x86.schedule_conv2d_nchw
        with tvm.target.Target(target):
            layout = x86.packed_kernel_layout(kernel_shape[1], kernel_shape[0], x86.conv2d.utils.vector_lanes())
        if layout is not None:
            kernel_shape = pack_kernel(np.zeros(kernel_shape, "float32"), layout).shape
    else:
        compute, schedule = x86.depthwise_conv2d_nchw, x86.schedule_depthwise_conv2d_nchw
    with tvm.target.Target(target):
        data = te.placeholder(shape, name="data")
        kernel = te.placeholder(kernel_shape, name="kernel")
        out = compute(data, kernel, stride, padding, 1, "float32")
        func = tvm.build(schedule([out]), [data, kernel, out], target)
    return func, [int(d) for d in out.shape], layout


def main():
    threads = ARGS.threads
    load = common.warn_if_loaded()
    common.print_header("conv2d float32 per layer: ours vs torch", threads, load)
    capped = common.limit_peer_threads(threads)
    torch.set_num_threads(threads)
    cpu = tvm.target.codegen.llvm_get_system_cpu()
    target = f"llvm -mcpu={cpu}" if cpu and cpu != "generic" else "llvm"
    peak = common.measure_fma_peak(threads)
    print(f"capped: {capped}   target: {target}   FMA peak: {peak:.0f} GFLOP/s on {threads} threads")

    layers = [(name, count, (1, ic, size, size), (oc, ic, k, k), stride, pad, 1)
              for name, count, ic, size, oc, k, stride, pad in RESNET18]
    if ARGS.depthwise:
        layers += [(name, count, (1, c, size, size), (c, 1, k, k), stride, k // 2, c)
                   for name, count, c, size, k, stride in MOBILENET_V2_DEPTHWISE]

    table = common.Table([("layer", 14, None), ("x", 2, "{:d}"), ("ours ms", 8, "{:.3f}"),
                          ("GFLOP/s", 8, "{:.1f}"), ("of peak", 7, "{:.0%}"), ("torch ms", 8, "{:.3f}"),
                          ("torch/ours", 10, "{:.2f}x")])
    totals = {"ours": 0.0, "torch": 0.0}
    rng = np.random.default_rng(0)
    for name, count, shape, kernel_shape, stride, pad, groups in layers:
        data = rng.uniform(-1, 1, shape).astype("float32")
        kernel = rng.uniform(-1, 1, kernel_shape).astype("float32")
        func, out_shape, layout = build_layer(target, shape, kernel_shape, stride, pad, groups)
        packed = kernel if layout is None else pack_kernel(kernel, layout)
        args = [tvm.nd.array(data), tvm.nd.array(packed), tvm.nd.empty(out_shape)]
        func(*args)
        tdata, tkernel = torch.from_numpy(data), torch.from_numpy(kernel)
        ref = torch.nn.functional.conv2d(tdata, tkernel, stride=stride, padding=pad, groups=groups).numpy()
        err = np.max(np.abs(args[2].numpy() - ref)) / np.max(np.abs(ref))
        if err > 1e-5:
            table.row(name, count, None, None, None, None, f"WRONG {err:.1e}")
            continue
        best = common.best_of_rounds({
            "ours": lambda: common.time_tvm(func, func.entry_name, args, repeat=3, min_repeat_ms=100),
            "torch": lambda: common.time_peer(
                lambda: torch.nn.functional.conv2d(tdata, tkernel, stride=stride, padding=pad, groups=groups),
                repeat=3, min_repeat_ms=100),
        })
        flops = 2.0 * np.prod(out_shape) * np.prod(kernel_shape[1:])
        gflops = flops / best["ours"] / 1e9
        table.row(name, count, best["ours"] * 1e3, gflops, gflops / peak, best["torch"] * 1e3,
                  common.ratio(best["torch"], best["ours"]))
        totals["ours"] += count * best["ours"]
        totals["torch"] += count * best["torch"]
    print(f"weighted by the layers' counts: ours {totals['ours'] * 1e3:.2f} ms, torch "
          f"{totals['torch'] * 1e3:.2f} ms, torch/ours {common.ratio(totals['torch'], totals['ours']):.2f}x")


if __name__ == "__main__":
    main()
