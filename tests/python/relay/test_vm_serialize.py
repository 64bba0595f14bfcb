# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Saving and loading VM executables: bytecode + kernel library round trips, export_library,
a C++ program that runs an exported executable with libtvm_runtime only, and corrupted or
truncated bytecode rejected with a clear error."""
import os
import pathlib
import shutil
import subprocess

import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay.prelude import Prelude
from tvm.runtime import vm as vm_rt

REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]


def _tuple_program():
    x = relay.var("x", shape=(2, 3))
    y = relay.var("y", shape=(2, 3))
    w = relay.const(np.arange(6, dtype="float32").reshape(2, 3))
    return tvm.IRModule.from_expr(relay.Function([x, y], relay.Tuple([relay.nn.relu(x + y) * w, x - y])))


def _check_tuple_result(out, a, b):
    w = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(out[0].numpy(), np.maximum(a + b, 0) * w, rtol=1e-6)
    np.testing.assert_allclose(out[1].numpy(), a - b, rtol=1e-6)


def test_save_load_exec_round_trip(tmp_path):
    exe = relay.vm.compile(_tuple_program(), "llvm")
    code, lib = exe.save()
    assert isinstance(code, bytearray)
    lib_path = str(tmp_path / "kernels.so")
    lib.export_library(lib_path)
    loaded = vm_rt.Executable.load_exec(code, tvm.runtime.load_module(lib_path))
    assert loaded.bytecode == exe.bytecode
    assert loaded.primitive_ops == exe.primitive_ops
    a = np.random.randn(2, 3).astype("float32")
    b = np.random.randn(2, 3).astype("float32")
    _check_tuple_result(vm_rt.VirtualMachine(loaded, tvm.cpu()).run(a, b), a, b)


def test_control_flow_program_round_trips():
    mod = tvm.IRModule()
    p = Prelude(mod)
    lst = p.nil()
    for v in (3, 2, 1):
        lst = p.cons(relay.const(v, "int32"), lst)
    mod["main"] = relay.Function([], p.length(p.map(relay.Function([z := relay.var("z", shape=(), dtype="int32")], z), lst)))
    code, lib = relay.vm.compile(mod, "llvm").save()
    out = vm_rt.VirtualMachine(vm_rt.Executable.load_exec(code, lib), tvm.cpu()).run()
    assert int(out.numpy()) == 3


def test_exported_executable_runs_in_cpp_with_runtime_only(tmp_path):
    if shutil.which("g++") is None:
        pytest.skip("g++ is not installed")
    runtime_lib = pathlib.Path(tvm._ffi.base.LIB_PATH).parent
    candidates = [d / "libtvm_runtime.so" for d in (runtime_lib, runtime_lib / "lib", REPO_ROOT / "build" / "lib")]
    candidates = [c for c in candidates if c.exists()]
    if not candidates:
        pytest.skip("libtvm_runtime.so not found")
    lib_dir = candidates[0].parent
    cache = REPO_ROOT / "build" / "CMakeCache.txt"
    dlpack = "/usr/include"
    if cache.exists():
        for line in cache.read_text().splitlines():
            if line.startswith("DLPACK_INCLUDE_DIR:"):
                dlpack = line.split("=", 1)[1]

    exe = relay.vm.compile(_tuple_program(), "llvm")
    whole = tmp_path / "whole.so"  # kernels and bytecode in one library
    exe.export_library(str(whole))
    code, lib = exe.save()
    kernels = tmp_path / "kernels.so"  # kernels only, bytecode beside it
    lib.export_library(str(kernels))
    (tmp_path / "code.bin").write_bytes(bytes(code))

    program = tmp_path / "run_vm.cc"
    program.write_text(r"""
#include <tvm/runtime/module.h>
#include <tvm/runtime/ndarray.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

using namespace tvm::runtime;

static void Run(Module exec) {
  Module vm = (*Registry::Get("runtime._VirtualMachine"))(exec).operator Module();
  vm.GetFunction("init")(static_cast<int>(kDLCPU), 0);
  NDArray x = NDArray::Empty({2, 3}, DataType::Float(32), DLDevice{kDLCPU, 0});
  NDArray y = NDArray::Empty({2, 3}, DataType::Float(32), DLDevice{kDLCPU, 0});
  for (int i = 0; i < 6; ++i) {
    static_cast<float*>(x->data)[i] = static_cast<float>(i) - 2.5f;
    static_cast<float*>(y->data)[i] = 1.0f;
  }
  ObjectRef out = vm.GetFunction("invoke")("main", x, y).operator ObjectRef();
  const PackedFunc* field = Registry::Get("runtime.GetADTFields");
  for (int k = 0; k < 2; ++k) {
    NDArray r = (*field)(out, k).operator NDArray();
    for (int i = 0; i < 6; ++i) std::printf("%g ", static_cast<float*>(r->data)[i]);
    std::printf("\n");
  }
}

int main(int argc, char** argv) {
  try {
    Run(Module::LoadFromFile(argv[1]));
    std::ifstream in(argv[3], std::ios::binary);
    std::string code((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    TVMByteArray bytes{code.data(), code.size()};
    Run((*Registry::Get("runtime.Load_Executable"))(bytes, Module::LoadFromFile(argv[2])).operator Module());
    // Truncated bytecode: an exception naming the problem, not a crash.
    TVMByteArray cut{code.data(), code.size() / 2};
    (*Registry::Get("runtime.Load_Executable"))(cut, Module::LoadFromFile(argv[2]));
  } catch (const Error& e) {
    std::printf("%s: %s\n", e.kind().c_str(), e.what());
    return 0;
  }
  return 1;
}
""")
    binary = tmp_path / "run_vm"
    subprocess.run(["g++", "-std=c++17", "-O1", str(program), "-o", str(binary), f"-I{REPO_ROOT / 'include'}",
                    f"-I{dlpack}", f"-L{lib_dir}", "-ltvm_runtime", f"-Wl,-rpath,{lib_dir}"],
                   check=True, capture_output=True, text=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    out = subprocess.run([str(binary), str(whole), str(kernels), str(tmp_path / "code.bin")],
                         check=True, capture_output=True, text=True, env=env).stdout.strip().splitlines()
    a = (np.arange(6, dtype="float32") - 2.5).reshape(2, 3)
    b = np.ones((2, 3), "float32")
    w = np.arange(6, dtype="float32").reshape(2, 3)
    for first in (0, 2):  # the exported library, then bytecode + kernels
        np.testing.assert_allclose([float(v) for v in out[first].split()], (np.maximum(a + b, 0) * w).ravel())
        np.testing.assert_allclose([float(v) for v in out[first + 1].split()], (a - b).ravel())
    assert out[4].startswith("ValueError: VM executable: "), out[4]
    ldd = subprocess.run(["ldd", str(binary)], capture_output=True, text=True).stdout
    assert "libtvm_runtime.so" in ldd and "libtvm.so" not in ldd


def test_truncated_bytecode_is_a_clear_error():
    code, lib = relay.vm.compile(_tuple_program(), "llvm").save()
    for n in list(range(0, 64)) + list(range(64, len(code), 7)):
        with pytest.raises(ValueError, match="VM executable"):
            vm_rt.Executable.load_exec(code[:n], lib)
    with pytest.raises(ValueError, match="magic number"):
        vm_rt.Executable.load_exec(b"not an executable at all", lib)
    with pytest.raises(ValueError, match="follow the last function"):
        vm_rt.Executable.load_exec(bytes(code) + b"\0", lib)


def test_corrupted_bytecode_never_crashes():
    code, lib = relay.vm.compile(_tuple_program(), "llvm").save()
    rng = np.random.default_rng(1)
    a = np.ones((2, 3), "float32")
    rejected = 0
    for _ in range(300):
        bad = bytearray(code)
        for pos in rng.integers(0, len(bad), size=3):
            bad[pos] = int(rng.integers(0, 256))
        try:
            exe = vm_rt.Executable.load_exec(bad, lib)
        except ValueError as err:
            assert "VM executable" in str(err) or "array" in str(err)
            rejected += 1
            continue
        # What loads passed every index check; running it may fail, but only with an error.
        try:
            vm_rt.VirtualMachine(exe, tvm.cpu()).run(a, a)
        except tvm.error.TVMError:
            pass
    assert rejected > 100


def test_bad_register_index_is_rejected_with_its_location():
    exe = relay.vm.compile(_tuple_program(), "llvm")
    code, lib = exe.save()
    text = exe.bytecode
    assert "ret $" in text
    # The last instruction is ret, 56 bytes: opcode(4) dst(8) a(8) b, c, d(24) dtype(4)
    # nargs(8); its operand a (the result register) starts 44 bytes before the end.
    bad = bytearray(code)
    bad[-44:-36] = (1 << 40).to_bytes(8, "little")
    with pytest.raises(ValueError, match=r"function 'main' instruction \d+: result register"):
        vm_rt.Executable.load_exec(bad, lib)


def test_late_bound_constants_round_trip(tmp_path):
    exe = relay.vm.compile(_tuple_program(), "llvm")
    path = str(tmp_path / "consts")
    exe.move_late_bound_consts(path, byte_limit=16)
    code, lib = exe.save()
    loaded = vm_rt.Executable.load_exec(code, lib)
    with pytest.raises(ValueError, match="late-bound and not loaded"):
        vm_rt.VirtualMachine(loaded, tvm.cpu())
    loaded.load_late_bound_consts(path)
    a = np.random.randn(2, 3).astype("float32")
    _check_tuple_result(vm_rt.VirtualMachine(loaded, tvm.cpu()).run(a, a), a, a)
