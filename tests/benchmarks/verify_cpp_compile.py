# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Whole models compiled by a C++ program with no Python in its process, against Python's build.

For each torchvision model and the BERT-base-sized encoder of bench_models.py (seeded random
weights, batch 1, float32):

  1. from_pytorch, then the module as Relay text and its params as a parameter file (the
     names as the text format writes them);
  2. Python: relay.build of the parsed text at opt_level 3 for this CPU, export_library;
  3. C++: apps/cpp_compile's tvm_compile on the same two files (built here against the
     source tree's headers and this build's libtvm.so; `ldd` shows no libpython);
  4. the two libraries' SHA-256, their compile times, and the C++ library's output against
     PyTorch's.

    PYTHONPATH=python TVM_LIBRARY_PATH=build /usr/bin/python3 tests/benchmarks/verify_cpp_compile.py \
        [--models resnet18,mobilenet_v2,resnet50,bert] [--opt-level 3]
"""
import argparse
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The transformer encoders of bench_models.py (the packed GEMM, batch_matmul, softmax and the
# reductions of layer_norm, all from C++).
ENCODERS = ("transformer", "encoder6", "bert")


def build_tvm_compile(workdir):
    libdir = pathlib.Path(os.environ.get("TVM_LIBRARY_PATH", ROOT / "build")).resolve()
    if (libdir / "lib").is_dir():
        libdir = libdir / "lib"
    binary = workdir / "tvm_compile"
    cxx = os.environ.get("CXX") or shutil.which("g++") or "c++"
    subprocess.run([cxx, "-std=c++17", "-O1", str(ROOT / "apps" / "cpp_compile" / "main.cc"), "-o", str(binary),
                    f"-I{ROOT / 'include'}", f"-L{libdir}", "-ltvm", "-ltvm_runtime", "-ldl",
                    f"-Wl,-rpath,{libdir}"], check=True)
    ldd = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True).stdout
    assert "libpython" not in ldd, ldd
    return binary


def verify(name, tvm_compile, workdir, opt_level):
    import torch  # pylint: disable=import-outside-toplevel
    import torchvision  # pylint: disable=import-outside-toplevel
    import tvm  # pylint: disable=import-outside-toplevel
    from tvm import relay  # pylint: disable=import-outside-toplevel
    from tvm.contrib import graph_executor  # pylint: disable=import-outside-toplevel

    if name in ENCODERS:
        # torch.nn.TransformerEncoder as bench_models.py builds it (bert: BERT-base-sized, 12 layers,
        # d_model 768, 12 heads, FFN 3072, sequence 128; sequence-first, batch 1).
        import bench_models  # pylint: disable=import-outside-toplevel

        model, x, shape = bench_models.make_model(name)
    else:
        torch.manual_seed(0)
        model = getattr(torchvision.models, name)().eval()
        x = torch.randn(1, 3, 224, 224)
        shape = (1, 3, 224, 224)
    mod, params = relay.frontend.from_pytorch(torch.jit.trace(model, x), [("input", shape)])
    params = {re.sub(r"[^A-Za-z0-9_/]", "_", k): v for k, v in params.items()}
    text_path, params_path = workdir / f"{name}.relay", workdir / f"{name}.params"
    text_path.write_text(mod.astext(show_meta_data=True))
    params_path.write_bytes(tvm.runtime.save_param_dict(params))
    target = "llvm -mcpu=" + tvm.target.codegen.llvm_get_system_cpu()

    start = time.perf_counter()
    with tvm.transform.PassContext(opt_level=opt_level):
        factory = relay.build(tvm.parser.parse(text_path.read_text()), target=target, params=params)
    factory.export_library(str(workdir / f"{name}_python.so"))
    python_s = time.perf_counter() - start

    start = time.perf_counter()
    run = subprocess.run([str(tvm_compile), "--opt-level", str(opt_level), str(text_path), str(params_path), target,
                          str(workdir / f"{name}_cpp.so")], capture_output=True, text=True)
    cpp_s = time.perf_counter() - start
    if run.returncode != 0:
        return f"{name:14s} C++ compile failed: {run.stderr.strip()[:300]}"
    digests = [hashlib.sha256((workdir / f"{name}_{k}.so").read_bytes()).hexdigest() for k in ("python", "cpp")]
    lib = tvm.runtime.load_module(str(workdir / f"{name}_cpp.so"))
    gmod = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    gmod.set_input("input", x.numpy())
    gmod.run()
    with torch.no_grad():
        want = model(x).detach().numpy()
    err = np.abs(gmod.get_output(0).numpy() - want).max() / np.abs(want).max()
    same = "identical" if digests[0] == digests[1] else "DIFFERENT"
    return (f"{name:14s} python {python_s:5.2f} s   c++ {cpp_s:5.2f} s   sha256 {digests[0][:16]} / "
            f"{digests[1][:16]}  {same}   max rel err vs torch {err:.2e}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default="resnet18,mobilenet_v2,resnet50,bert")
    parser.add_argument("--opt-level", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="verify-cpp-compile-") as tmp:
        workdir = pathlib.Path(tmp)
        tvm_compile = build_tvm_compile(workdir)
        print(f"== the C++ compiler (apps/cpp_compile, no Python in its process) against Python, "
              f"opt_level {args.opt_level} ==")
        for name in args.models.split(","):
            print(verify(name.strip(), tvm_compile, workdir, args.opt_level), flush=True)


if __name__ == "__main__":
    main()
