"""Code built with Runtime("cpp", {"system-lib": True}) registers itself: linked statically into a
C++ program it is found through "runtime.SystemLib"; loaded as a shared library, through
tvm.runtime.system_lib()."""

import pathlib
import shutil
import subprocess

import numpy as np
import pytest

import tvm
from tvm import te
from tvm.relay.backend import Runtime

from conftest import run_checked

PROGRAM = r"""
#include <tvm/runtime/module.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>
#include <cstdio>

int main() {
  tvm::runtime::Module lib = (*tvm::runtime::Registry::Get("runtime.SystemLib"))();
  tvm::runtime::PackedFunc f = lib.GetFunction("scale_add");
  if (f == nullptr) { std::printf("FAILED: scale_add not registered\n"); return 1; }
  if (lib.GetFunction("not_there") != nullptr) { std::printf("FAILED: a function out of nowhere\n"); return 1; }
  DLDevice dev{kDLCPU, 0};
  auto a = tvm::runtime::NDArray::Empty({37}, DLDataType{kDLFloat, 32, 1}, dev);
  auto b = tvm::runtime::NDArray::Empty({37}, DLDataType{kDLFloat, 32, 1}, dev);
  for (int i = 0; i < 37; ++i) static_cast<float*>(a->data)[i] = static_cast<float>(i);
  f(a, b);
  for (int i = 0; i < 37; ++i) {
    if (static_cast<float*>(b->data)[i] != 2.0f * i + 1.0f) { std::printf("FAILED at %d\n", i); return 1; }
  }
  std::printf("OK\n");
  return 0;
}
"""


def scale_add_schedule():
    n = te.var("n")
    a = te.placeholder((n,), name="a")
    b = te.compute((n,), lambda i: a[i] * 2.0 + 1.0, name="b")
    s = te.create_schedule(b.op)
    s[b].parallel(s[b].split(b.op.axis[0], factor=8)[0])  # parallel: the runtime hooks must be wired
    return s, [a, b]


def test_system_lib_linked_into_a_program(build_dir, tmp_path):
    cxx = shutil.which("g++") or shutil.which("c++")
    if cxx is None:
        pytest.skip("no C++ compiler")
    s, args = scale_add_schedule()
    mod = tvm.build(s, args, "llvm", name="scale_add", runtime=Runtime("cpp", {"system-lib": True}))
    obj = tmp_path / "scale_add.o"
    mod.save(str(obj))
    src = tmp_path / "main.cc"
    src.write_text(PROGRAM)
    include = pathlib.Path(__file__).resolve().parents[3] / "include"
    exe = tmp_path / "main"
    lib_dir = build_dir / "lib"
    cmd = [cxx, "-std=c++17", "-O1", f"-I{include}", src, obj, f"-L{lib_dir}", "-ltvm_runtime", "-ldl", "-pthread",
           f"-Wl,-rpath,{lib_dir}", "-o", exe]
    run_checked(cmd)
    proc = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "OK", proc.stdout + proc.stderr


def test_system_lib_loaded_as_shared_library(tmp_path):
    s, args = scale_add_schedule()
    mod = tvm.build(s, args, "llvm", name="scale_add_shared", runtime=Runtime("cpp", {"system-lib": True}))
    path = tmp_path / "lib.so"
    mod.export_library(str(path))
    tvm.runtime.load_module(str(path))  # its constructor registers the functions
    f = tvm.runtime.system_lib()["scale_add_shared"]
    a = tvm.nd.array(np.arange(19, dtype="float32"))
    b = tvm.nd.empty((19,), "float32")
    f(a, b)
    np.testing.assert_array_equal(b.numpy(), np.arange(19, dtype="float32") * 2 + 1)
    with pytest.raises(ValueError, match="prefixes"):
        tvm.runtime.system_lib("mylib_")


def test_without_system_lib_nothing_registers(tmp_path):
    s, args = scale_add_schedule()
    mod = tvm.build(s, args, "llvm", name="scale_add_plain")
    path = tmp_path / "plain.so"
    mod.export_library(str(path))
    tvm.runtime.load_module(str(path))
    with pytest.raises(AttributeError):
        tvm.runtime.system_lib()["scale_add_plain"]
