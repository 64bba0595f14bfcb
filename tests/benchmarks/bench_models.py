# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Whole models through relay.build, beside PyTorch (and ONNX Runtime / OpenVINO when importable).

For each model (torchvision architecture or torch.nn.TransformerEncoder,
seeded random weights, nothing downloaded; batch 1, float32):

  resnet18 (default), mobilenet_v2, resnet50, transformer (a small encoder),
  encoder6 (the 6-layer encoder issue 18 quotes figures for) and bert (a
  BERT-base-sized encoder: 12 layers, d_model 768, 12 heads, FFN 3072,
  sequence 128):

  1. torch.jit.trace -> relay.frontend.from_pytorch;
  2. relay.build at PassContext(opt_level=3) for "llvm -mcpu=<this CPU as
     LLVM names it>", timed once (wall clock), and the process's peak RSS
     during it (the high-water mark is reset just before the build, so it
     counts torch, the model and the build, not an earlier model);
  3. our latency: the graph executor's run, median of --runs calls after a
     warm-up (GraphModule.benchmark);
  4. the peers, measured the same way in the same process: PyTorch with
     torch.jit.freeze + torch.jit.optimize_for_inference; ONNX Runtime and
     OpenVINO (INFERENCE_PRECISION_HINT=f32) only if they can be imported;
  5. ratio ours / fastest peer (above 1 = we are slower) and the maximum
     relative error of our output against PyTorch's (max |ours - torch| /
     max |torch|);
  6. the static memory plan: bytes of all intermediate tensors, the storage
     planned for them, and the share reuse saves.

The contestants are measured in interleaved rounds (--rounds) and each keeps
its best median. Every contestant gets --threads threads (default 2).

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_models.py \
        [--models resnet18,mobilenet_v2,resnet50,transformer,encoder6,bert] [--runs 10] [--threads 2]
"""
import os
import resource
import sys
import tempfile
import time

import common

MODELS = ("resnet18", "mobilenet_v2", "resnet50", "transformer", "encoder6", "bert")


def _extra(parser):
    parser.set_defaults(threads=2)
    parser.add_argument("--models", default="resnet18",
                        help=f"comma-separated, from {', '.join(MODELS)} (default: resnet18)")
    parser.add_argument("--runs", type=int, default=10,
                        help="timed runs per contestant per round; the median is kept (default 10)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="interleaved rounds; each contestant keeps its best median (default 2)")


if __name__ == "__main__":
    ARGS = common.parse_args(__doc__, _extra)
    common.setup_threads(ARGS.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402

import tvm  # noqa: E402
from tvm import relay  # noqa: E402
from tvm.contrib import graph_executor  # noqa: E402


def _status_mib(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0  # kB
    except (OSError, ValueError):
        pass
    return None


def peak_rss_mib():
    """The process's peak resident set size (VmHWM), in MiB."""
    peak = _status_mib("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def reset_peak_rss():
    """Reset VmHWM to the current RSS (Linux: "5" into clear_refs), so that
    the next peak is the build's own, not an earlier model's. False if not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def host_target():
    cpu = tvm.target.codegen.llvm_get_system_cpu()
    return f"llvm -mcpu={cpu}" if cpu and cpu != "generic" else "llvm"


# ---------------------------------------------------------------------------
# The models: seeded random weights, eval mode.

def _randomize_batch_norm(model, gen):
    # Fresh BatchNorms have mean 0 / variance 1, which would make
    # SimplifyInference's folding trivial; give them plausible statistics.
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=gen) + 0.5)


def make_model(name):
    """(eval-mode torch module, input tensor, input shape)."""
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    if name in ("resnet18", "mobilenet_v2", "resnet50"):
        import torchvision

        model = getattr(torchvision.models, name)(weights=None)
        _randomize_batch_norm(model, gen)
        shape = (1, 3, 224, 224)
    elif name in ("transformer", "encoder6", "bert"):
        # transformer: a small encoder (2 layers, d_model 256, 4 heads, FFN 1024,
        # sequence 64); encoder6: the encoder issue 18 quotes reference figures
        # for (6 layers, d_model 512, 8 heads, FFN 2048, sequence 96).
        # Sequence-first, as torch's default.
        layers, d_model, heads, ffn, seq = {"transformer": (2, 256, 4, 1024, 64), "encoder6": (6, 512, 8, 2048, 96),
                                            "bert": (12, 768, 12, 3072, 128)}[name]
        layer = torch.nn.TransformerEncoderLayer(d_model=d_model, nhead=heads, dim_feedforward=ffn, dropout=0.0)
        model = torch.nn.TransformerEncoder(layer, num_layers=layers, enable_nested_tensor=False)
        shape = (seq, 1, d_model)
    else:
        raise SystemExit(f"unknown model {name!r}; choose from {', '.join(MODELS)}")
    model.eval()
    x = torch.randn(*shape, generator=gen)
    return model, x, shape


# ---------------------------------------------------------------------------
# Timing: the median of `runs` calls after a warm-up call, for every contestant.

def median_of_runs(fn, runs):
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return float(np.median(samples))


def torch_contestant(model, x, threads):
    torch.set_num_threads(threads)
    with torch.no_grad():
        traced = torch.jit.trace(model, x)
        frozen = torch.jit.optimize_for_inference(torch.jit.freeze(traced))
        out = frozen(x).numpy()

    def call():
        with torch.no_grad():
            frozen(x)

    return call, out


def export_onnx(model, x, path):
    with torch.no_grad():
        torch.onnx.export(model, x, path, input_names=["input0"], output_names=["output0"], opset_version=13)


def ort_contestant(onnx_path, x, threads):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(onnx_path, opts, providers=["CPUExecutionProvider"])
    feed = {"input0": x.numpy()}
    return (lambda: sess.run(None, feed)), sess.run(None, feed)[0]


def openvino_contestant(onnx_path, x, threads):
    try:
        from openvino import Core  # 2023.1 and later
    except ImportError:
        from openvino.runtime import Core

    core = Core()
    compiled = core.compile_model(core.read_model(onnx_path), "CPU",
                                  {"INFERENCE_PRECISION_HINT": "f32", "INFERENCE_NUM_THREADS": str(threads),
                                   "PERFORMANCE_HINT": "LATENCY"})
    request = compiled.create_infer_request()
    feed = {0: x.numpy()}

    def call():
        request.infer(feed)

    call()
    return call, np.array(request.get_output_tensor(0).data)


def rel_error(ours, ref):
    ref = np.asarray(ref, dtype="float64")
    return float(np.max(np.abs(np.asarray(ours, dtype="float64") - ref)) / max(np.max(np.abs(ref)), 1e-30))


# ---------------------------------------------------------------------------

def bench_model(name, target, args):
    print(f"\n-- {name} --", flush=True)
    model, x, shape = make_model(name)
    with torch.no_grad():
        traced = torch.jit.trace(model, x)
    start = time.perf_counter()
    mod, params = relay.frontend.from_pytorch(traced, [("input0", shape)])
    import_s = time.perf_counter() - start
    print(f"from_pytorch:            {import_s:8.2f} s", flush=True)

    reset = reset_peak_rss()
    rss_before = _status_mib("VmRSS") if reset else peak_rss_mib()
    start = time.perf_counter()
    with tvm.transform.PassContext(opt_level=3):
        factory = relay.build(mod, target=target, params=params)
    build_s = time.perf_counter() - start
    rss_after = peak_rss_mib()
    print(f"relay.build (opt_level 3): {build_s:6.2f} s   target: {target}")
    print(f"peak RSS of the process during the build: {rss_after:.0f} MiB "
          f"({'RSS' if reset else 'peak RSS'} before it: {rss_before:.0f} MiB)", flush=True)

    plan = graph_executor.memory_plan(factory)
    print(f"memory plan: intermediate tensors {plan.tensor_bytes / 2**20:.1f} MiB, planned storage "
          f"{plan.planned_bytes / 2**20:.1f} MiB, reuse {100 * plan.reuse:.1f}%", flush=True)

    dev = tvm.cpu()
    gmod = graph_executor.GraphModule(factory["default"](dev))
    gmod.set_input("input0", tvm.nd.array(x.numpy()))
    gmod.run()
    ours_out = gmod.get_output(0).numpy()

    contestants = {}

    def ours_measure():
        return gmod.benchmark(dev, repeat=args.runs, number=1).median

    contestants["ours (graph executor)"] = ours_measure
    torch_call, torch_out = torch_contestant(model, x, args.threads)
    contestants["PyTorch (freeze+optimize)"] = lambda: median_of_runs(torch_call, args.runs)
    common.limit_peer_threads(args.threads)
    errors = {"PyTorch (freeze+optimize)": 0.0, "ours (graph executor)": rel_error(ours_out, torch_out)}

    notes = []
    peers = []
    for label, module, make in (("ONNX Runtime", "onnxruntime", ort_contestant),
                                ("OpenVINO (f32)", "openvino", openvino_contestant)):
        if _importable(module):
            peers.append((label, make))
        else:
            notes.append(f"{label}: skipped, {module} not importable (see the --venv note in README.md)")
    if peers:
        onnx_path = os.path.join(tempfile.mkdtemp(prefix="bench-models-"), f"{name}.onnx")
        export_onnx(model, x, onnx_path)
    for label, make in peers:
        try:
            call, out = make(onnx_path, x, args.threads)
        except Exception as err:  # a peer that fails is reported, not fatal
            notes.append(f"{label}: failed: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}")
            continue
        errors[label] = rel_error(out, torch_out)
        contestants[label] = (lambda c: (lambda: median_of_runs(c, args.runs)))(call)

    best = common.best_of_rounds(contestants, rounds=args.rounds)
    peers = {k: v for k, v in best.items() if not k.startswith("ours") and v is not None}
    fastest = min(peers, key=peers.get) if peers else None
    table = common.Table([("contestant", 26, None), ("median ms", 10, "{:.2f}"),
                          ("ours / it", 10, "{:.2f}x"), ("max rel err vs torch", 21, "{:.2e}")])
    ours = best["ours (graph executor)"]
    for label, seconds in best.items():
        table.row(label, None if seconds is None else seconds * 1e3,
                  None if label.startswith("ours") else common.ratio(ours, seconds), errors.get(label))
    for note in notes:
        print("  " + note)
    if fastest is not None:
        print(f"ours / fastest peer ({fastest}): {ours / peers[fastest]:.2f}x  (above 1 = we are slower)")
    if errors["ours (graph executor)"] > 1e-4:
        print(f"WARNING: our output differs from PyTorch's by {errors['ours (graph executor)']:.2e} relative (> 1e-4)")
    return build_s


def _importable(module):
    import importlib.util

    return importlib.util.find_spec(module) is not None


def main():
    models = [m.strip() for m in ARGS.models.split(",") if m.strip()]
    for m in models:
        if m not in MODELS:
            raise SystemExit(f"--models: unknown model {m!r}; choose from {', '.join(MODELS)}")
    load = common.warn_if_loaded()
    common.print_header("relay.build on whole models, beside PyTorch / ONNX Runtime / OpenVINO",
                        ARGS.threads, load)
    print(f"capped: {common.limit_peer_threads(ARGS.threads)}   runs per round: {ARGS.runs}   "
          f"rounds: {ARGS.rounds}   torch {torch.__version__}")
    target = host_target()
    for name in models:
        bench_model(name, target, ARGS)


if __name__ == "__main__":
    sys.exit(main())
