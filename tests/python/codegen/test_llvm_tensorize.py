# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tensorize with a tensor intrinsic implemented by an external C function.

The intrinsic computes out[i] (+)= sum_k a[k] * b[i, k] for a 16 x 64 tile.
Its C implementation is compiled here with the system compiler; the JIT
finds it once the shared library is loaded with RTLD_GLOBAL, and an exported
library carries it as an extra object (export_library's `addons`).
"""
import ctypes
import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tvm
from tvm import te, tir

from codegen_helpers import rand, run

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

C_SOURCE = r"""
/* Tile kernels for the tensorize tests: out is m floats, a is l floats,
   b is m rows of l floats, b_stride floats apart. */
int codegen_test_dot_update(float* out, const float* a, const float* b, int m, int l, int b_stride) {
  for (int i = 0; i < m; ++i) {
    float acc = 0.0f;
    for (int k = 0; k < l; ++k) acc += a[k] * b[i * b_stride + k];
    out[i] += acc;
  }
  return 0;
}

int codegen_test_dot_reset(float* out, int m) {
  for (int i = 0; i < m; ++i) out[i] = 0.0f;
  return 0;
}
"""

TILE_M, TILE_L = 16, 64


def _compile(tmp_path, kind):
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler (gcc/cc) to build the intrinsic's implementation")
    src = tmp_path / "dot_kernels.c"
    src.write_text(C_SOURCE)
    if kind == "shared":
        out = tmp_path / "libdot_kernels.so"
        cmd = [cc, "-O2", "-shared", "-fPIC", "-o", str(out), str(src)]
    else:
        out = tmp_path / "dot_kernels.o"
        cmd = [cc, "-O2", "-c", "-fPIC", "-o", str(out), str(src)]
    subprocess.run(cmd, check=True, capture_output=True)
    return out


def _dot_intrin():
    a = te.placeholder((TILE_L,), name="a")
    b = te.placeholder((TILE_M, TILE_L), name="b")
    k = te.reduce_axis((0, TILE_L), name="k")
    c = te.compute((TILE_M,), lambda i: te.sum(a[k] * b[i, k], axis=k), name="c")
    a_buf = tir.decl_buffer(a.shape, a.dtype, name="a_buf", offset_factor=1, strides=[1])
    b_buf = tir.decl_buffer(b.shape, b.dtype, name="b_buf", offset_factor=1, strides=[te.var("b_stride"), 1])
    c_buf = tir.decl_buffer(c.shape, c.dtype, name="c_buf", offset_factor=1, strides=[1])

    def implement(ins, outs):
        aa, bb = ins
        cc = outs[0]

        def update():
            return tir.call_extern("int32", "codegen_test_dot_update", cc.access_ptr("rw"), aa.access_ptr("r"),
                                   bb.access_ptr("r"), TILE_M, TILE_L, bb.strides[0])

        def reset():
            return tir.call_extern("int32", "codegen_test_dot_reset", cc.access_ptr("w"), TILE_M)

        body = tir.SeqStmt([tir.Evaluate(reset()), tir.Evaluate(update())])
        return body, tir.Evaluate(reset()), tir.Evaluate(update())

    return te.decl_tensor_intrin(c.op, implement, binds={a: a_buf, b: b_buf, c: c_buf})


def _tensorized_schedule(n, m, l):
    """C[i, j] = sum_k A[i, k] * B[j, k], its j and k tiles done by the intrinsic."""
    A = te.placeholder((n, l), name="A")
    B = te.placeholder((m, l), name="B")
    k = te.reduce_axis((0, l), name="k")
    C = te.compute((n, m), lambda i, j: te.sum(A[i, k] * B[j, k], axis=k), name="C")
    s = te.create_schedule(C.op)
    i, j = C.op.axis
    jo, ji = s[C].split(j, factor=TILE_M)
    ko, ki = s[C].split(s[C].op.reduce_axis[0], factor=TILE_L)
    s[C].reorder(i, jo, ko, ji, ki)
    s[C].tensorize(ji, _dot_intrin())
    return s, [A, B, C]


def _data(n, m, l):
    rng = np.random.default_rng(7)
    return rand((n, l), "float32", rng), rand((m, l), "float32", rng)


def test_tensorize_call_extern_through_the_jit(tmp_path):
    lib_path = _compile(tmp_path, "shared")
    ctypes.CDLL(str(lib_path), mode=ctypes.RTLD_GLOBAL)
    n, m, l = 5, 48, 192
    s, args = _tensorized_schedule(n, m, l)
    lowered = str(tvm.lower(s, args, simple_mode=True))
    assert "codegen_test_dot_update" in lowered and "codegen_test_dot_reset" in lowered
    f = tvm.build(s, args, "llvm", name="mm")
    a, b = _data(n, m, l)
    got = run(f, [a, b], [((n, m), "float32")])
    np.testing.assert_allclose(got, a.astype("float64") @ b.T.astype("float64"), rtol=1e-5, atol=1e-5)


def test_tensorize_exported_with_the_kernel_object(tmp_path):
    """export_library(addons=[kernels.o]) makes one library a fresh process can load and run."""
    obj = _compile(tmp_path, "object")
    lib_path = _compile(tmp_path, "shared")
    ctypes.CDLL(str(lib_path), mode=ctypes.RTLD_GLOBAL)  # the JIT'd module resolves its symbols too
    n, m, l = 3, 32, 128
    s, args = _tensorized_schedule(n, m, l)
    f = tvm.build(s, args, "llvm", name="mm")
    so = tmp_path / "mm_tensorized.so"
    f.export_library(str(so), addons=[str(obj)])
    a, b = _data(n, m, l)
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "b.npy", b)
    code = f"""
        import numpy as np
        import tvm
        lib = tvm.runtime.load_module({str(so)!r})
        a = np.load({str(tmp_path / "a.npy")!r}); b = np.load({str(tmp_path / "b.npy")!r})
        c = tvm.nd.empty(({n}, {m}), "float32")
        lib["mm"](tvm.nd.array(a), tvm.nd.array(b), c)
        np.testing.assert_allclose(c.numpy(), a.astype("float64") @ b.T.astype("float64"), rtol=1e-5, atol=1e-5)
        print("OK")
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(REPO_ROOT, "python") + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("TVM_LIBRARY_PATH", os.path.join(REPO_ROOT, "build"))
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True,
                           timeout=120)
    assert child.returncode == 0 and "OK" in child.stdout, child.stderr[-3000:]


def test_unresolved_extern_symbol_is_a_clear_error():
    """Calling code whose extern function is nowhere to be found raises, naming the symbol."""
    A = te.placeholder((8,), name="A")
    B = te.compute((8,), lambda i: tir.call_extern("float32", "codegen_test_no_such_function", A[i]), name="B")
    f = tvm.build(te.create_schedule(B.op), [A, B], "llvm", name="missing")
    with pytest.raises(tvm.error.TVMError, match="codegen_test_no_such_function"):
        f["missing"](tvm.nd.empty((8,), "float32"), tvm.nd.empty((8,), "float32"))


@pytest.mark.parametrize("cache_read", [False, True])
def test_cache_write_of_an_intrinsic_call_in_compute(cache_read):
    """cache_write of te.compute(..., lambda i: vadd(A[i, 0:16], B[i, 0:16])): the intrinsic
    writes the cache, over copies of the axes, and the original copies out of it."""

    @tvm.register_func("codegen_test.vadd16", override=True)
    def vadd16(x, y, z):  # pylint: disable=unused-variable
        z.copyfrom(x.numpy() + y.numpy())

    x = te.placeholder((16,), name="vx")
    y = te.placeholder((16,), name="vy")
    z = te.compute((16,), lambda i: x[i] + y[i], name="z")
    vadd = te.decl_tensor_intrin(
        z.op,
        lambda ins, outs: tvm.tir.call_packed("codegen_test.vadd16", ins[0], ins[1], outs[0]),
        default_buffer_params={"offset_factor": 16},
    )
    A = te.placeholder((8, 16), name="A")
    B = te.placeholder((8, 16), name="B")
    C = te.compute((8, 16), lambda i: vadd(A[i, 0:16], B[i, 0:16]), name="C")
    s = te.create_schedule(C.op)
    if cache_read:
        s.cache_read(A, "global", C)
    (CL,) = [s.cache_write(C, "global")]
    assert CL.op.name == "C.global" and isinstance(CL.op, te.TensorComputeOp)
    f = tvm.build(s, [A, B, C], "llvm")
    rng = np.random.default_rng(4)
    a = rng.uniform(size=(8, 16)).astype("float32")
    b = rng.uniform(size=(8, 16)).astype("float32")
    c = tvm.nd.empty((8, 16))
    f(tvm.nd.array(a), tvm.nd.array(b), c)
    np.testing.assert_allclose(c.numpy(), a + b, rtol=1e-6)
