# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Deployment: a C++ program linked against libtvm_runtime only (no compiler library, no
Python) loads an exported graph executor factory and runs it."""
import json
import os
import pathlib
import shutil
import subprocess

import numpy as np
import pytest

import tvm
from tvm import te

REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]

PROGRAM = r"""
#include <tvm/runtime/module.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/packed_func.h>

#include <cstdio>

using namespace tvm::runtime;

int main(int argc, char** argv) {
  try {
    Module factory = Module::LoadFromFile(argv[1]);
    Module exec = factory.GetFunction("default")(DLDevice{kDLCPU, 0}).operator Module();
    NDArray x = NDArray::Empty({8}, DataType::Float(32), DLDevice{kDLCPU, 0});
    for (int i = 0; i < 8; ++i) static_cast<float*>(x->data)[i] = static_cast<float>(i);
    exec.GetFunction("set_input")("data", x);
    exec.GetFunction("run")();
    NDArray y = exec.GetFunction("get_output")(0);
    for (int i = 0; i < 8; ++i) std::printf("%g ", static_cast<float*>(y->data)[i]);
    std::printf("\n");
    // A wrong input is an exception, not a crash.
    NDArray bad = NDArray::Empty({3}, DataType::Float(32), DLDevice{kDLCPU, 0});
    exec.GetFunction("set_input")("data", bad);
  } catch (const Error& e) {
    std::printf("%s: %s\n", e.kind().c_str(), e.what());
    return 0;
  }
  return 1;
}
"""


def _dlpack_include():
    cache = REPO_ROOT / "build" / "CMakeCache.txt"
    if cache.exists():
        for line in cache.read_text().splitlines():
            if line.startswith("DLPACK_INCLUDE_DIR:"):
                return line.split("=", 1)[1]
    return "/usr/include"


def test_cpp_program_runs_exported_factory(tmp_path):
    if shutil.which("g++") is None:
        pytest.skip("g++ is not installed")
    runtime_lib = pathlib.Path(tvm._ffi.base.LIB_PATH).parent
    # Next to the extension (an installed package keeps it in tvm/lib), or in the build folder.
    candidates = [d / "libtvm_runtime.so" for d in (runtime_lib, runtime_lib / "lib", REPO_ROOT / "build" / "lib")]
    candidates = [c for c in candidates if c.exists()]
    if not candidates:
        pytest.skip("libtvm_runtime.so not found")
    lib_dir = candidates[0].parent

    x = te.placeholder((8,), name="x")
    y = te.compute((8,), lambda i: x[i] * x[i] + 0.5, name="y")
    kernels = tvm.build(te.create_schedule(y.op), [x, y], "llvm", name="square_plus")
    graph = json.dumps({
        "nodes": [{"op": "null", "name": "data", "inputs": []},
                  {"op": "tvm_op", "name": "sq", "inputs": [[0, 0, 0]],
                   "attrs": {"func_name": "square_plus", "num_inputs": "1", "num_outputs": "1",
                             "flatten_data": "0"}}],
        "arg_nodes": [0], "heads": [[1, 0, 0]],
        "attrs": {"dltype": ["list_str", ["float32", "float32"]], "storage_id": ["list_int", [0, 1]],
                  "shape": ["list_shape", [[8], [8]]]},
    })
    factory = tvm.get_global_func("tvm.graph_executor_factory.create")(graph, kernels, "default")
    so = tmp_path / "model.so"
    factory.export_library(str(so))

    src = tmp_path / "deploy.cc"
    src.write_text(PROGRAM)
    exe = tmp_path / "deploy"
    subprocess.run(["g++", "-std=c++17", "-O1", str(src), "-o", str(exe), f"-I{REPO_ROOT / 'include'}",
                    f"-I{_dlpack_include()}", f"-L{lib_dir}", "-ltvm_runtime", f"-Wl,-rpath,{lib_dir}"],
                   check=True, capture_output=True, text=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    out = subprocess.run([str(exe), str(so)], check=True, capture_output=True, text=True, env=env).stdout
    lines = out.strip().splitlines()
    values = np.array([float(v) for v in lines[0].split()])
    np.testing.assert_allclose(values, np.arange(8) ** 2 + 0.5, rtol=1e-6)
    assert lines[1] == "ValueError: set_input: input 'data' expects shape [8] float32, got shape [3] float32"
    # Only the runtime library is needed (the compiler's libtvm.so is not linked).
    ldd = subprocess.run(["ldd", str(exe)], capture_output=True, text=True).stdout
    assert "libtvm_runtime.so" in ldd and "libtvm.so" not in ldd
