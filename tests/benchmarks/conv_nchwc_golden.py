# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Dump what the x86 blocked-convolution path produces, to compare two builds byte for byte.

For ResNet-18, ResNet-50 and MobileNet-v2 (224x224, batch 1, seeded weights) under "llvm
-mcpu=native", "llvm -mcpu=haswell" and "llvm": the Relay text after AlterOpLayout, every
ResNet-18 kernel as the TE compiler lowers it (strategy + fused epilogue), and tvm.lower of every
distinct conv2d_NCHWc / depthwise_conv2d_NCHWc call with several epilogues (none, bias + relu,
bias + residual + relu, bias + clip, two outputs).

usage (from the repository root; files are suffixed by the thread count, which the schedules read):
    TVM_NUM_THREADS=1 PYTHONPATH=python /usr/bin/python3 tests/benchmarks/conv_nchwc_golden.py OUT [models]
    TVM_NUM_THREADS=2 ...; then diff -r OUT_before OUT_after
"""
import os, sys, hashlib
sys.path.insert(0, "tests/benchmarks")
import tvm
from tvm import relay, te, topi
from tvm.relay import transform
from tvm.relay.build_module import _OPTIMIZE_PASSES

out = sys.argv[1]
models = sys.argv[2].split(",") if len(sys.argv) > 2 else ["resnet18", "resnet50", "mobilenet_v2"]
threads = os.environ.get("TVM_NUM_THREADS", "?")
TARGETS = {"native": "llvm -mcpu=native", "haswell": "llvm -mcpu=haswell", "plain": "llvm"}


def load(name):
    import torch
    import bench_models as bm
    model, x, shape = bm.make_model(name)
    traced = torch.jit.trace(model, x).eval()
    mod, params = relay.frontend.from_pytorch(traced, [("input0", shape)])
    mod["main"] = relay.build_module.bind_params_by_name(mod["main"], params)
    return mod


def passes(upto_alter):
    ps = [transform.InferType()]
    for name, args in _OPTIMIZE_PASSES:
        make = getattr(transform, name, None)
        if make is None:
            continue
        if name == "AlterOpLayout" and not upto_alter:
            break
        ps.append(make(*args))
        ps.append(transform.InferType())
        if name == "AlterOpLayout":
            break
    return tvm.transform.Sequential(ps)


def write(name, text):
    with open(os.path.join(out, f"{name}.t{threads}.txt"), "w") as f:
        f.write(text)


def collect_convs(mod):
    convs = []

    def visit(e):
        if isinstance(e, relay.Call) and isinstance(e.op, tvm.ir.Op) and e.op.name in (
                "nn.contrib_conv2d_NCHWc", "nn.contrib_depthwise_conv2d_NCHWc"):
            a = e.attrs
            key = (e.op.name, tuple(int(d) for d in e.args[0].checked_type.shape),
                   tuple(int(d) for d in e.args[1].checked_type.shape), tuple(int(v) for v in a.strides),
                   tuple(int(v) for v in a.padding), tuple(int(v) for v in a.dilation), str(a.data_layout),
                   str(a.out_layout), str(e.checked_type.dtype))
            convs.append(key)
    relay.analysis.post_order_visit(mod["main"], visit)
    return convs


def te_cases(key):
    opname, dshape, kshape, strides, padding, dilation, layout, out_layout, out_dtype = key
    depthwise = "depthwise" in opname
    compute = topi.x86.depthwise_conv2d_NCHWc if depthwise else topi.x86.conv2d_NCHWc
    sched = topi.x86.schedule_depthwise_conv2d_NCHWc if depthwise else topi.x86.schedule_conv2d_NCHWc
    epis = ["none", "bias_relu", "two_outputs"] + ([] if depthwise else ["bias_residual_relu"]) + (
        ["bias_clip"] if depthwise else [])
    for epi in epis:
        data = te.placeholder(dshape, name="data")
        kernel = te.placeholder(kshape, name="kernel")
        conv = compute(data, kernel, list(strides), list(padding), list(dilation), layout, out_layout, out_dtype)
        args = [data, kernel]
        n, c, h, w, b = [int(d) for d in conv.shape]
        if epi == "none":
            outs = [conv]
        elif epi == "two_outputs":
            outs = [conv, topi.nn.relu(conv)]
        else:
            bias = te.placeholder((1, c, 1, 1, b), name="bias")
            args.append(bias)
            y = topi.add(conv, bias)
            if epi == "bias_residual_relu":
                res = te.placeholder((n, c, h, w, b), name="res")
                args.append(res)
                y = topi.add(y, res)
            y = topi.clip(y, 0.0, 6.0) if epi == "bias_clip" else topi.nn.relu(y)
            outs = [y]
        s = sched(outs)
        yield epi, str(tvm.lower(s, args + outs, simple_mode=True))


def main():
  with tvm.transform.PassContext(opt_level=3):
    _main()


def _main():
    os.makedirs(out, exist_ok=True)
    distinct = {}
    for model in models:
        base = passes(False)(load(model))
        for tname, target in TARGETS.items():
            with tvm.target.Target(target):
                altered = passes(True)(base)
                if model == "resnet18":
                    write(f"relay_alter_{model}_{tname}", altered.astext(show_meta_data=False) if hasattr(altered, "astext") else str(altered))
                else:
                    write(f"relay_alter_{model}_{tname}", str(altered))
                for key in collect_convs(altered):
                    distinct.setdefault((tname, key), model)
                if model == "resnet18":
                    # The fused kernels relay.build lowers (strategy + fused epilogues).
                    fused = tvm.transform.Sequential([transform.FoldConstant(), transform.InferType(),
                                                      transform.FuseOps(fuse_opt_level=-1), transform.InferType()])(altered)
                    funcs = []
                    relay.analysis.post_order_visit(fused["main"], lambda e: funcs.append(e) if isinstance(
                        e, relay.Function) and e.attrs is not None and "Primitive" in e.attrs else None)
                    texts = []
                    for i, f in enumerate(funcs):
                        name, lowered, _ = relay.backend.te_compiler.lower(f, target)
                        texts.append(f"// ---- {i} {name}\n{lowered}")
                    write(f"fused_{model}_{tname}", "\n".join(texts))
    index = []
    for (tname, key), model in sorted(distinct.items(), key=lambda kv: str(kv[0])):
        with tvm.target.Target(TARGETS[tname]):
            for epi, text in te_cases(key):
                h = hashlib.sha1(repr((tname, key, epi)).encode()).hexdigest()[:12]
                write(f"te_{tname}_{h}", f"// {model} {tname} {key} {epi}\n{text}")
                index.append(f"te_{tname}_{h} {model} {key} {epi}")
    write("index", "\n".join(index) + "\n")
    print(len(index), "te cases")


main()
