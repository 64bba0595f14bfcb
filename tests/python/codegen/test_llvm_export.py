# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""export_library / load_module round trips, and the other ways to save an LLVM module.

The round trip runs the library in a fresh process twice: through the Python
package (tvm.runtime.load_module), and from a small C program linked with
libtvm_runtime.so alone, so nothing of the compiler (libtvm.so, LLVM) is
needed to run what tvm.build made.
"""
import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tvm
from tvm import te, tir

from codegen_helpers import build, rand, run

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _child_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(REPO_ROOT, "python") + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("TVM_LIBRARY_PATH", os.path.join(REPO_ROOT, "build"))
    return env


def _run_python(code):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=_child_env(), capture_output=True,
                          text=True, timeout=120)


def _runtime_lib_dir():
    """The folder holding the libtvm_runtime.so this process uses."""
    for path in [os.environ.get("TVM_LIBRARY_PATH", ""), os.path.join(REPO_ROOT, "build")]:
        for cand in (os.path.join(path, "lib"), path):
            if cand and os.path.isfile(os.path.join(cand, "libtvm_runtime.so")):
                return cand
    return None


def _kernels():
    """A module with three functions: parallel + vectorized float32, float16 with a workspace, int8 -> int32."""
    n = te.var("n")
    A = te.placeholder((n,), name="A")
    B = te.compute((n,), lambda i: tir.exp(A[i] * 0.5) + 1.0, name="B")
    s1 = te.create_schedule(B.op)
    xo, xi = s1[B].split(B.op.axis[0], factor=16)
    s1[B].parallel(xo)
    s1[B].vectorize(xi)
    f1 = tvm.lower(s1, [A, B], name="expf_kernel")

    H = te.placeholder((64, 300), "float16", name="H")
    T = te.compute((64, 300), lambda i, j: H[i, j] * H[i, j], name="T")
    O = te.compute((64, 300), lambda i, j: (T[i, j] + tir.const(1, "float16")).astype("float32"), name="O")
    s2 = te.create_schedule(O.op)
    s2[O].parallel(O.op.axis[0])
    f2 = tvm.lower(s2, [H, O], name="half_kernel")

    X = te.placeholder((10, 33), "int8", name="X")
    k = te.reduce_axis((0, 33), name="k")
    Y = te.compute((10,), lambda i: te.sum(X[i, k].astype("int32"), axis=k), name="Y")
    f3 = tvm.lower(te.create_schedule(Y.op), [X, Y], name="int8_rowsum")

    mod = tvm.IRModule({})
    for m in (f1, f2, f3):
        mod.update(m)
    return tvm.build(mod, target="llvm")


def _kernel_inputs():
    rng = np.random.default_rng(3)
    a = rand((1000,), "float32", rng, -3.0, 3.0)
    h = rand((64, 300), "float16", rng, -2.0, 2.0)
    x = rand((10, 33), "int8", rng)
    return a, h, x


def _check_kernels(mod, a, h, x):
    b = run(mod["expf_kernel"], [a], [(a.shape, "float32")])
    np.testing.assert_allclose(b, np.exp(a.astype("float64") * 0.5) + 1.0, rtol=2e-6)
    o = run(mod["half_kernel"], [h], [(h.shape, "float32")])
    np.testing.assert_array_equal(o, (h * h + np.float16(1)).astype("float32"))
    y = run(mod["int8_rowsum"], [x], [((10,), "int32")])
    np.testing.assert_array_equal(y, x.astype("int32").sum(axis=1))


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    mod = _kernels()
    path = tmp_path_factory.mktemp("export") / "kernels.so"
    mod.export_library(str(path))
    return mod, path


def test_jit_module_runs(exported):
    mod, _ = exported
    _check_kernels(mod, *_kernel_inputs())


def test_load_in_the_same_process(exported):
    _, path = exported
    lib = tvm.runtime.load_module(str(path))
    assert lib.type_key == "library"
    _check_kernels(lib, *_kernel_inputs())


def test_load_in_a_fresh_process(exported, tmp_path):
    _, path = exported
    inputs = _kernel_inputs()
    for name, value in zip("ahx", inputs):
        np.save(tmp_path / f"{name}.npy", value)
    child = _run_python(f"""
        import numpy as np
        import tvm
        lib = tvm.runtime.load_module({str(path)!r})
        dev = tvm.cpu(0)
        a, h, x = (np.load({str(tmp_path)!r} + f"/{{c}}.npy") for c in "ahx")
        b = tvm.nd.empty(a.shape, "float32", dev)
        lib["expf_kernel"](tvm.nd.array(a, dev), b)
        np.testing.assert_allclose(b.numpy(), np.exp(a.astype("float64") * 0.5) + 1.0, rtol=2e-6)
        o = tvm.nd.empty(h.shape, "float32", dev)
        lib["half_kernel"](tvm.nd.array(h, dev), o)
        np.testing.assert_array_equal(o.numpy(), (h * h + np.float16(1)).astype("float32"))
        y = tvm.nd.empty((10,), "int32", dev)
        lib["int8_rowsum"](tvm.nd.array(x, dev), y)
        np.testing.assert_array_equal(y.numpy(), x.astype("int32").sum(axis=1))
        try:
            lib["expf_kernel"](tvm.nd.array(a, dev), tvm.nd.empty((3,), "float32", dev))
        except ValueError as err:
            assert "expf_kernel.B.shape[0]" in str(err), err
        else:
            raise AssertionError("a wrong shape was accepted")
        print("OK")
    """)
    assert child.returncode == 0 and "OK" in child.stdout, child.stderr[-3000:]


def test_library_needs_neither_the_compiler_nor_libgcc_builtins(exported):
    """The .so links nothing of tvm; 16-bit float conversions are inside it, not imported."""
    _, path = exported
    if shutil.which("readelf") is None or shutil.which("nm") is None:
        pytest.skip("readelf/nm (binutils) are not installed")
    dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, check=True).stdout
    needed = [line for line in dynamic.splitlines() if "(NEEDED)" in line]
    assert not any("tvm" in line or "LLVM" in line for line in needed), needed
    undefined = subprocess.run(["nm", "-D", "--undefined-only", str(path)], capture_output=True, text=True,
                               check=True).stdout
    assert "__truncsfhf2" not in undefined and "__extendhfsf2" not in undefined, undefined
    assert "TVMBackend" not in undefined, "runtime calls go through the library's function-pointer globals"


_C_DRIVER = r"""
#include <stdio.h>
#include <stdint.h>
#include <math.h>
#include <tvm/runtime/c_runtime_api.h>

#define CHECK(x) do { if ((x) != 0) { printf("FAILED %s: %s\n", #x, TVMGetLastError()); return 1; } } while (0)

static DLTensor tensor(void* data, int64_t* shape, int ndim, uint8_t code, uint8_t bits) {
  DLTensor t;
  t.data = data; t.device.device_type = kDLCPU; t.device.device_id = 0; t.ndim = ndim;
  t.dtype.code = code; t.dtype.bits = bits; t.dtype.lanes = 1; t.shape = shape; t.strides = NULL;
  t.byte_offset = 0;
  return t;
}

int main(int argc, char** argv) {
  TVMModuleHandle mod;
  TVMFunctionHandle f;
  CHECK(TVMModLoadFromFile(argv[1], "", &mod));
  CHECK(TVMModGetFunction(mod, "expf_kernel", 0, &f));
  enum { N = 1000 };
  static float a[N], b[N];
  for (int i = 0; i < N; ++i) a[i] = (float)(i % 17) * 0.25f - 2.0f;
  int64_t shape[1] = {N};
  DLTensor ta = tensor(a, shape, 1, kDLFloat, 32), tb = tensor(b, shape, 1, kDLFloat, 32);
  TVMValue args[2]; int codes[2] = {kTVMDLTensorHandle, kTVMDLTensorHandle};
  args[0].v_handle = &ta; args[1].v_handle = &tb;
  TVMValue ret; int ret_code;
  CHECK(TVMFuncCall(f, args, codes, 2, &ret, &ret_code));
  double worst = 0;
  for (int i = 0; i < N; ++i) {
    double want = exp((double)a[i] * 0.5) + 1.0;
    double err = fabs(b[i] - want) / want;
    if (err > worst) worst = err;
  }
  /* A wrong call is an error, not a crash. */
  int64_t short_shape[1] = {3};
  DLTensor tshort = tensor(b, short_shape, 1, kDLFloat, 32);
  args[1].v_handle = &tshort;
  int status = TVMFuncCall(f, args, codes, 2, &ret, &ret_code);
  printf("worst_rel_err=%g wrong_call_status=%d message=%s\n", worst, status, status ? TVMGetLastError() : "");
  CHECK(TVMFuncFree(f));
  CHECK(TVMModFree(mod));
  return 0;
}
"""


def test_load_from_c_with_the_runtime_library_alone(exported, tmp_path):
    _, path = exported
    cc = shutil.which("gcc") or shutil.which("cc")
    lib_dir = _runtime_lib_dir()
    if cc is None or lib_dir is None:
        pytest.skip("needs a C compiler and a built libtvm_runtime.so")
    src = tmp_path / "driver.c"
    src.write_text(_C_DRIVER)
    exe = tmp_path / "driver"
    subprocess.run([cc, "-O1", "-o", str(exe), str(src), "-I", os.path.join(REPO_ROOT, "include"), "-L", lib_dir,
                    "-ltvm_runtime", "-lm", f"-Wl,-rpath,{lib_dir}"], check=True, capture_output=True)
    linked = subprocess.run(["ldd", str(exe)], capture_output=True, text=True).stdout if shutil.which("ldd") else ""
    assert "libtvm.so" not in linked and "LLVM" not in linked, linked
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    out = subprocess.run([str(exe), str(path)], capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    fields = dict(item.split("=", 1) for item in out.stdout.split(" ", 2)[:2])
    assert float(fields["worst_rel_err"]) < 2e-6, out.stdout
    assert fields["wrong_call_status"] != "0", out.stdout
    assert "expf_kernel.B.shape[0]" in out.stdout, out.stdout


@pytest.mark.parametrize("fmt", ["o", "ll", "bc", "s"])
def test_save_formats(tmp_path, fmt):
    A = te.placeholder((64,), name="A")
    B = te.compute((64,), lambda i: A[i] + 1.0, name="B")
    s = te.create_schedule(B.op)
    xo, xi = s[B].split(B.op.axis[0], factor=16)
    s[B].vectorize(xi)
    f = build(s, [A, B], name="addone")
    path = tmp_path / f"addone.{fmt}"
    f.save(str(path))
    data = path.read_bytes()
    if fmt == "o":
        assert data[:4] == b"\x7fELF"
    elif fmt == "bc":
        assert data[:4] == b"BC\xc0\xde"
    elif fmt == "ll":
        text = data.decode()
        assert "define" in text and "@addone" in text
    else:
        assert "addone:" in data.decode()


def test_save_unknown_format_is_a_clear_error(tmp_path):
    A = te.placeholder((4,), name="A")
    B = te.compute((4,), lambda i: A[i] + 1.0, name="B")
    f = build(te.create_schedule(B.op), [A, B])
    with pytest.raises(ValueError, match="xyz"):
        f.save(str(tmp_path / "out.xyz"))


def test_export_object_file_linked_by_hand(tmp_path):
    """The .o from save() links into a shared library with the system compiler like export_library's."""
    A = te.placeholder((37,), name="A")
    B = te.compute((37,), lambda i: A[i] * A[i], name="B")
    f = build(te.create_schedule(B.op), [A, B], name="square")
    obj = tmp_path / "square.o"
    f.save(str(obj))
    so = tmp_path / "square.so"
    tvm.contrib.cc.create_shared(str(so), [str(obj)])
    lib = tvm.runtime.load_module(str(so))
    a = np.arange(37, dtype="float32")
    np.testing.assert_array_equal(run(lib["square"], [a], [((37,), "float32")]), a * a)


def test_load_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing_here.so"):
        tvm.runtime.load_module(str(tmp_path / "nothing_here.so"))


def test_reexport_of_a_loaded_library_is_a_clear_error(exported, tmp_path):
    _, path = exported
    lib = tvm.runtime.load_module(str(path))
    with pytest.raises(ValueError, match="re-export"):
        lib.export_library(str(tmp_path / "again.so"))


def test_module_lists_and_calls_entry_function(tmp_path):
    A = te.placeholder((8,), name="A")
    B = te.compute((8,), lambda i: A[i] - 1.0, name="B")
    f = build(te.create_schedule(B.op), [A, B], name="minus_one")
    a = np.arange(8, dtype="float32")
    b = tvm.nd.empty((8,), "float32")
    f(tvm.nd.array(a), b)  # the only function is the entry
    np.testing.assert_array_equal(b.numpy(), a - 1)
    so = tmp_path / "entry.so"
    f.export_library(str(so))
    lib = tvm.runtime.load_module(str(so))
    lib(tvm.nd.array(a + 1), b)
    np.testing.assert_array_equal(b.numpy(), a)
    with pytest.raises(AttributeError, match="no_such_function"):
        lib["no_such_function"]
