# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Target strings and what the generated code looks like for them.

Vector loops become LLVM vector types and, for AVX-512 CPUs, zmm registers;
a foreign triple compiles to assembly and objects for that machine, and
running or linking it here is refused with a clear error instead of a crash.
"""
import numpy as np
import pytest

import tvm
from tvm import te
from tvm.contrib import cc

from codegen_helpers import build, run


def _axpy_schedule(n=1024, lanes=16):
    A = te.placeholder((n,), name="A")
    B = te.compute((n,), lambda i: A[i] * 2.0 + 1.0, name="B")
    s = te.create_schedule(B.op)
    _, xi = s[B].split(B.op.axis[0], factor=lanes)
    s[B].vectorize(xi)
    return s, [A, B]


def _host_has(feature):
    return ("+" + feature) in list(tvm.get_global_func("target.llvm_get_system_features")())


@pytest.mark.parametrize("mcpu", ["skylake-avx512", "znver4"])
def test_vector_types_in_llvm_ir(mcpu):
    s, args = _axpy_schedule()
    f = build(s, args, f"llvm -mcpu={mcpu}", name="axpy")
    ll = f.get_source("ll")
    assert "<16 x float>" in ll
    assert f.get_source() == ll  # "ll" is the default format


def test_zmm_registers_for_skylake_avx512():
    s, args = _axpy_schedule()
    f = build(s, args, "llvm -mcpu=skylake-avx512", name="axpy")
    asm = f.get_source("asm")
    assert "zmm" in asm
    assert "axpy" in asm


def test_avx2_uses_ymm_not_zmm():
    s, args = _axpy_schedule(lanes=8)
    f = build(s, args, "llvm -mcpu=core-avx2", name="axpy")
    asm = f.get_source("asm")
    assert "ymm" in asm and "zmm" not in asm


def test_native_target_runs_and_matches():
    s, args = _axpy_schedule()
    f = build(s, args, "llvm -mcpu=native", name="axpy")
    a = np.arange(1024, dtype="float32") / 7
    np.testing.assert_allclose(run(f, [a], [((1024,), "float32")]), a * 2 + 1, rtol=1e-6)


@pytest.mark.parametrize("target,marker", [
    ("llvm -mtriple=aarch64-linux-gnu", "fmla|fmul|fadd|ldr\\s+q"),
    ("llvm -mtriple=aarch64-linux-gnu -mattr=+neon", "v\\d+\\.4s"),
    ("llvm -mtriple=aarch64-linux-gnu -mcpu=cortex-a72", "v\\d+\\.4s"),
])
def test_aarch64_assembly(target, marker):
    import re

    s, args = _axpy_schedule()
    f = build(s, args, target, name="axpy")
    asm = f.get_source("asm")
    assert re.search(marker, asm), asm[:2000]
    assert "zmm" not in asm and "%rdi" not in asm
    assert 'target triple = "aarch64' in f.get_source("ll")


def test_foreign_triple_object_file(tmp_path):
    s, args = _axpy_schedule()
    f = build(s, args, "llvm -mtriple=aarch64-linux-gnu", name="axpy")
    path = tmp_path / "axpy.o"
    f.save(str(path))
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF"
    assert int.from_bytes(data[18:20], "little") == 183  # e_machine: EM_AARCH64


def test_foreign_triple_refuses_to_run():
    s, args = _axpy_schedule()
    f = build(s, args, "llvm -mtriple=aarch64-linux-gnu", name="axpy")
    with pytest.raises(tvm.error.TVMError, match="aarch64-linux-gnu.*cannot run"):
        f["axpy"](tvm.nd.empty((1024,), "float32"), tvm.nd.empty((1024,), "float32"))


def test_foreign_triple_export_needs_a_cross_compiler(tmp_path):
    s, args = _axpy_schedule()
    f = build(s, args, "llvm -mtriple=aarch64-linux-gnu", name="axpy")
    with pytest.raises(ValueError, match="cross_compiler"):
        f.export_library(str(tmp_path / "axpy.so"))
    # With a cross compiler, the aarch64 object goes to it (here a stand-in that records the call).
    seen = {}

    def fake_link(output, objects, options=None):
        seen["objects"] = list(objects)
        seen["options"] = list(options or [])
        with open(output, "wb") as out:
            out.write(b"linked")

    fcompile = cc.cross_compiler(fake_link, options=["-static-libgcc"])
    f.export_library(str(tmp_path / "axpy.so"), fcompile=fcompile)
    assert (tmp_path / "axpy.so").read_bytes() == b"linked"
    assert len(seen["objects"]) == 1 and seen["options"] == ["-static-libgcc"]


def test_cpu_features_the_host_lacks_are_refused():
    if _host_has("xop"):
        pytest.skip("this CPU has XOP")
    s, args = _axpy_schedule()
    f = build(s, args, "llvm -mattr=+xop", name="axpy")
    assert "axpy" in f.get_source("asm")  # compiling is fine
    with pytest.raises(tvm.error.TVMError, match="xop"):
        f["axpy"](tvm.nd.empty((1024,), "float32"), tvm.nd.empty((1024,), "float32"))


@pytest.mark.parametrize("target", ["llvm -mtriple=aarch64-linux-gnu -mcpu=no-such-cpu", "llvm -mtriple=nonsense-x-y",
                                    "llvm -mcpu=no-such-cpu"])
def test_bad_target_strings_are_clear_errors(target):
    s, args = _axpy_schedule()
    with pytest.raises(ValueError, match="no-such-cpu|nonsense"):
        build(s, args, target)


def test_target_attributes_reach_the_code():
    s, args = _axpy_schedule()
    f = build(s, args, "llvm -mcpu=skylake-avx512 -mattr=+avx512f", name="axpy")
    ll = f.get_source("ll")
    assert '"target-cpu"="skylake-avx512"' in ll
    assert "+avx512f" in ll


def test_opt_level_zero_still_correct():
    s, args = _axpy_schedule(n=100, lanes=8)
    f = build(s, args, "llvm -opt-level=0", name="axpy")
    a = np.arange(100, dtype="float32")
    np.testing.assert_array_equal(run(f, [a], [((100,), "float32")]), a * 2 + 1)
