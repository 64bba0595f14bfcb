# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""One Relay VM executable for every sequence length, beside a static build per length.

The BERT-base-sized encoder of bench_models.py (torch.nn.TransformerEncoder,
12 layers, d_model 768, 12 heads, FFN 3072, sequence-first, batch 1, seeded
random weights) is traced once and imported with a dynamic sequence length
(from_pytorch with relay.Any() in the input shape), compiled once with
relay.vm.compile at opt_level 3. For each length (default 16, 64, 128) it
prints:

  - the VM output's maximum relative error against PyTorch's
    (max |ours - torch| / max |torch|; issue 19 asks for < 1e-4);
  - the VM's latency (median of --runs invocations after a warm-up);
  - a static relay.build of the same model traced at that length, run by the
    graph executor (median of --runs);
  - the ratio VM / static (issue 19 asks for <= 1.2).

The two executors are measured in interleaved rounds (--rounds), each keeping
its best median. --layers N builds a smaller encoder for a quick run.

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_vm_dynamic.py \\
        [--layers 12] [--lengths 16,64,128] [--runs 10] [--rounds 2] [--threads 2]
"""
import time

import common


def _extra(parser):
    parser.set_defaults(threads=2)
    parser.add_argument("--layers", type=int, default=12, help="encoder layers (default 12, BERT-base)")
    parser.add_argument("--lengths", default="16,64,128", help="comma-separated sequence lengths (default 16,64,128)")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per measurement (default 10)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default 2)")


if __name__ == "__main__":
    ARGS = common.parse_args(__doc__, _extra)
    common.setup_threads(ARGS.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402

import tvm  # noqa: E402
from tvm import relay  # noqa: E402
from tvm.contrib import graph_executor  # noqa: E402
from tvm.runtime import vm as vm_rt  # noqa: E402

from bench_models import host_target, median_of_runs, rel_error  # noqa: E402

D_MODEL, HEADS, FFN = 768, 12, 3072


def make_encoder(layers):
    """bench_models.make_model("bert") with `layers` layers: same construction, same seeds."""
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(d_model=D_MODEL, nhead=HEADS, dim_feedforward=FFN, dropout=0.0)
    model = torch.nn.TransformerEncoder(layer, num_layers=layers, enable_nested_tensor=False)
    return model.eval()


def make_input(length):
    gen = torch.Generator().manual_seed(1 + length)
    return torch.randn(length, 1, D_MODEL, generator=gen)


def compile_dynamic(model, target, trace_length):
    with torch.no_grad():
        traced = torch.jit.trace(model, make_input(trace_length))
    mod, params = relay.frontend.from_pytorch(traced, [("input0", (relay.Any(), 1, D_MODEL))])
    start = time.perf_counter()
    with tvm.transform.PassContext(opt_level=3):
        exe = relay.vm.compile(mod, target=target, params=params)
    return exe, time.perf_counter() - start


def compile_static(model, target, length):
    with torch.no_grad():
        traced = torch.jit.trace(model, make_input(length))
    mod, params = relay.frontend.from_pytorch(traced, [("input0", (length, 1, D_MODEL))])
    with tvm.transform.PassContext(opt_level=3):
        return relay.build(mod, target=target, params=params)


def main():
    lengths = [int(v) for v in ARGS.lengths.split(",") if v.strip()]
    if not lengths or any(v < 1 for v in lengths):
        raise SystemExit(f"--lengths: give positive sequence lengths, got {ARGS.lengths!r}")
    if ARGS.layers < 1:
        raise SystemExit(f"--layers: give at least 1, got {ARGS.layers}")
    torch.set_num_threads(ARGS.threads)
    target = host_target()
    model = make_encoder(ARGS.layers)
    print(f"encoder: {ARGS.layers} layers, d_model {D_MODEL}, {HEADS} heads, FFN {FFN}; target {target}; "
          f"{ARGS.threads} threads", flush=True)
    exe, compile_s = compile_dynamic(model, target, max(lengths))
    print(f"relay.vm.compile (sequence relay.Any()): {compile_s:.1f} s, "
          f"{len(exe.primitive_ops)} kernels", flush=True)
    dev = tvm.cpu()
    vm = vm_rt.VirtualMachine(exe, dev)

    table = common.Table([("length", 6, None), ("err vs torch", 12, "{:.2e}"), ("VM ms", 9, "{:.2f}"),
                          ("static ms", 9, "{:.2f}"), ("VM/static", 9, "{:.2f}x")])
    worst_err, worst_ratio = 0.0, 0.0
    for length in lengths:
        x = make_input(length)
        with torch.no_grad():
            ref = model(x).numpy()
        x_nd = tvm.nd.array(x.numpy())
        err = rel_error(vm.invoke("main", x_nd).numpy(), ref)
        gmod = graph_executor.GraphModule(compile_static(model, target, length)["default"](dev))
        gmod.set_input("input0", x_nd)
        best = common.best_of_rounds({
            "vm": lambda: median_of_runs(lambda: vm.invoke("main", x_nd), ARGS.runs),
            "static": lambda: gmod.benchmark(dev, repeat=ARGS.runs, number=1).median,
        }, rounds=ARGS.rounds)
        ratio = common.ratio(best["vm"], best["static"])
        table.row(str(length), err, best["vm"] * 1e3, best["static"] * 1e3, ratio)
        worst_err, worst_ratio = max(worst_err, err), max(worst_ratio, ratio or 0.0)
    print(f"worst error {worst_err:.2e} (target < 1e-4), worst VM/static {worst_ratio:.2f}x (target <= 1.2)")


if __name__ == "__main__":
    main()
