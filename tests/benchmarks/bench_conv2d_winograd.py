# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Stride-1 3x3 convolutions through relay.build: Winograd (as AlterOpLayout picks it) against the
direct blocked convolution (PassContext config relay.x86.winograd = False) and torch, all measured
in this run.

Layers: the stride-1 3x3 convolutions of ResNet-18 and ResNet-50 (batch 1; each is conv2d + relu in
NCHW16c, the data and result kept blocked, so only the convolution is timed), plus a few other
shapes. Each library is checked against torch before it is timed.

Columns: the tile size AlterOpLayout chose (0: direct), Winograd's and the direct convolution's
milliseconds, the direct-equivalent GFLOP/s and fraction of the FMA peak of each, torch's
milliseconds, and direct / winograd and torch / winograd (above 1 = Winograd is faster).
Nothing is asserted.

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_conv2d_winograd.py [--threads 2]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

if __name__ == "__main__":
    ARGS = common.parse_args(__doc__, lambda p: p.set_defaults(threads=2))
    common.setup_threads(ARGS.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402

import tvm  # noqa: E402
from tvm import relay  # noqa: E402
from tvm.contrib import graph_executor  # noqa: E402

from bench_models import host_target  # noqa: E402

# (name, channels in, channels out, size)
LAYERS = [
    ("r18/r50 56x56", 64, 64, 56),
    ("r18/r50 28x28", 128, 128, 28),
    ("r18/r50 14x14", 256, 256, 14),
    ("r18/r50 7x7", 512, 512, 7),
    ("112x112 c32", 32, 32, 112),
    ("28x28 64->32", 64, 32, 28),
    ("4x4 c512", 512, 512, 4),
]


def build(target, cin, cout, size, kernel, winograd):
    """conv2d + relu with blocked input and output: (module, tile size chosen)."""
    block = 16
    x = relay.var("x", shape=(1, cin // block, size, size, block))
    data = relay.layout_transform(x, f"NCHW{block}c", "NCHW")
    y = relay.nn.relu(relay.nn.conv2d(data, relay.const(kernel), padding=1, channels=cout, kernel_size=3))
    y = relay.layout_transform(y, "NCHW", f"NCHW{block}c")
    mod = tvm.IRModule.from_expr(relay.Function([x], y))
    with tvm.transform.PassContext(opt_level=3, config={"relay.x86.winograd": winograd}):
        lib = relay.build(mod, target=target)
    tile = 0
    graph = lib.get_graph_json()
    if "winograd" in graph:
        tile = tvm.get_global_func("topi.x86.winograd_tile_size")(1, size, size, cin, cout)
    return graph_executor.GraphModule(lib["default"](tvm.cpu())), tile


def main():
    threads = ARGS.threads
    load = common.warn_if_loaded()
    common.print_header("3x3 conv2d: Winograd vs direct vs torch", threads, load)
    capped = common.limit_peer_threads(threads)
    torch.set_num_threads(threads)
    target = host_target()
    peak = common.measure_fma_peak(threads)
    print(f"capped: {capped}   target: {target}   FMA peak: {peak:.0f} GFLOP/s on {threads} threads")
    table = common.Table([("layer", 14, None), ("m", 2, "{:d}"), ("wino ms", 8, "{:.3f}"),
                          ("of peak", 7, "{:.0%}"), ("direct ms", 9, "{:.3f}"), ("of peak", 7, "{:.0%}"),
                          ("torch ms", 8, "{:.3f}"), ("direct/wino", 11, "{:.2f}x"),
                          ("torch/wino", 10, "{:.2f}x")])
    rng = np.random.default_rng(0)
    for name, cin, cout, size in LAYERS:
        data = rng.uniform(-1, 1, (1, cin, size, size)).astype("float32")
        kernel = (rng.uniform(-1, 1, (cout, cin, 3, 3)) / np.sqrt(9 * cin)).astype("float32")
        blocked = data.reshape(1, cin // 16, 16, size, size).transpose(0, 1, 3, 4, 2).copy()
        tdata, tkernel = torch.from_numpy(data), torch.from_numpy(kernel)
        ref = torch.relu(torch.nn.functional.conv2d(tdata, tkernel, padding=1)).numpy()
        mods = {}
        tile = 0
        for kind, on in (("wino", True), ("direct", False)):
            module, chosen = build(target, cin, cout, size, kernel, on)
            module.set_input("x", blocked)
            module.run()
            out = module.get_output(0).numpy().transpose(0, 1, 4, 2, 3).reshape(ref.shape)
            err = np.max(np.abs(out - ref)) / np.max(np.abs(ref))
            if err > 1e-4:
                raise SystemExit(f"{name} ({kind}): WRONG, relative error {err:.1e}")
            mods[kind] = module
            if on:
                tile = chosen

        def timer(module):
            return lambda: module.benchmark(tvm.cpu(), number=10, repeat=3).min

        best = common.best_of_rounds({
            "wino": timer(mods["wino"]),
            "direct": timer(mods["direct"]),
            "torch": lambda: common.time_peer(
                lambda: torch.relu(torch.nn.functional.conv2d(tdata, tkernel, padding=1)), repeat=3,
                min_repeat_ms=100),
        })
        flops = 2.0 * cout * size * size * cin * 9
        table.row(name, tile, best["wino"] * 1e3, flops / best["wino"] / 1e9 / peak, best["direct"] * 1e3,
                  flops / best["direct"] / 1e9 / peak, best["torch"] * 1e3,
                  common.ratio(best["direct"], best["wino"]), common.ratio(best["torch"], best["wino"]))


if __name__ == "__main__":
    main()
