# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.lower of the benchmark programs: the exact loop nests (tests/benchmarks/bench_lower.py builds them).

Each expected listing was checked by running the compiled function against numpy
(matmul, blur, rfactor, chain); a change here means the lowering changed.
"""
import importlib.util
import os

import pytest

import tvm

te = pytest.importorskip("tvm.te")

_BENCH = os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "bench_lower.py")
_spec = importlib.util.spec_from_file_location("bench_lower", _BENCH)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def _lowered(make):
    sch, args = make()
    return tvm.lower(sch, args, simple_mode=True)["main"].script().strip()


EXPECTED_TILED_MATMUL = """
# from tvm.script import tir as T

@T.prim_func
def main(A: T.Buffer((1024, 1024), "float32"), B: T.Buffer((1024, 1024), "float32"), C: T.Buffer((1024, 1024), "float32")):
    T.func_attr({"from_legacy_te_schedule": T.bool(True), "tir.noalias": T.bool(True)})
    C_local = T.allocate([32], "float32x32", "local")
    for i_outer in range(32):
        for j_outer in range(32):
            for i_c_init in range(32):
                C_local_1 = T.Buffer((32,), "float32x32", data=C_local, scope="local")
                C_local_1[i_c_init] = T.Broadcast(T.float32(0.0), 32)
            for k_outer in range(256):
                for i_c in range(32):
                    for k_inner in range(4):
                        C_local_1 = T.Buffer((32,), "float32x32", data=C_local, scope="local")
                        A_1 = T.Buffer((1048576,), "float32", data=A.data)
                        B_1 = T.Buffer((1048576,), "float32", data=B.data)
                        C_local_1[i_c] = C_local_1[i_c] + T.Broadcast(A_1[i_outer * 32768 + i_c * 1024 + k_outer * 4 + k_inner], 32) * B_1[k_outer * 4096 + k_inner * 1024 + j_outer * 32:k_outer * 4096 + k_inner * 1024 + j_outer * 32 + 32]
            for i_inner in range(32):
                C_1 = T.Buffer((1048576,), "float32", data=C.data)
                C_local_1 = T.Buffer((32,), "float32x32", data=C_local, scope="local")
                C_1[i_outer * 32768 + i_inner * 1024 + j_outer * 32:i_outer * 32768 + i_inner * 1024 + j_outer * 32 + 32] = C_local_1[i_inner]
"""


def test_tiled_matmul():
    assert _lowered(bench.tiled_matmul) == EXPECTED_TILED_MATMUL.strip()

EXPECTED_BLUR = """
# from tvm.script import tir as T

@T.prim_func
def main(A: T.Buffer((1026, 1026), "float32"), blur_y: T.Buffer((1024, 1024), "float32")):
    T.func_attr({"from_legacy_te_schedule": T.bool(True), "tir.noalias": T.bool(True)})
    blur_x = T.allocate([34], "float32x64", "global")
    for y_outer in range(32):
        for x_outer in range(16):
            for y in range(34):
                blur_x_1 = T.Buffer((34,), "float32x64", data=blur_x)
                A_1 = T.Buffer((1052676,), "float32", data=A.data)
                blur_x_1[y] = A_1[y_outer * 32832 + y * 1026 + x_outer * 64:y_outer * 32832 + y * 1026 + x_outer * 64 + 64] + A_1[y_outer * 32832 + y * 1026 + x_outer * 64 + 1:y_outer * 32832 + y * 1026 + x_outer * 64 + 1 + 64] + A_1[y_outer * 32832 + y * 1026 + x_outer * 64 + 2:y_outer * 32832 + y * 1026 + x_outer * 64 + 2 + 64]
            for y_inner in range(32):
                blur_y_1 = T.Buffer((1048576,), "float32", data=blur_y.data)
                blur_x_1 = T.Buffer((34,), "float32x64", data=blur_x)
                blur_y_1[y_outer * 32768 + y_inner * 1024 + x_outer * 64:y_outer * 32768 + y_inner * 1024 + x_outer * 64 + 64] = blur_x_1[y_inner] + blur_x_1[y_inner + 1] + blur_x_1[y_inner + 2]
"""


def test_blur():
    assert _lowered(bench.blur) == EXPECTED_BLUR.strip()

EXPECTED_RFACTOR_SUM = """
# from tvm.script import tir as T

@T.prim_func
def main(A: T.Buffer((1048576,), "float32"), S: T.Buffer((1,), "float32")):
    T.func_attr({"from_legacy_te_schedule": T.bool(True), "tir.noalias": T.bool(True)})
    S_rf = T.allocate([64], "float32", "global")
    S_rf_1 = T.Buffer((64,), "float32", data=S_rf)
    S_rf_1[0:64] = T.Broadcast(T.float32(0.0), 64)
    for k_outer in range(16384):
        A_1 = T.Buffer((1048576,), "float32", data=A.data)
        S_rf_1[0:64] = S_rf_1[0:64] + A_1[k_outer * 64:k_outer * 64 + 64]
    S_1 = T.Buffer((1,), "float32", data=S.data)
    S_1[0] = T.float32(0.0)
    for k_inner_v in range(64):
        S_1[0] = S_1[0] + S_rf_1[k_inner_v]
"""


def test_rfactor_sum():
    assert _lowered(bench.rfactor_sum) == EXPECTED_RFACTOR_SUM.strip()

EXPECTED_TENSORIZED_GEMM = """
# from tvm.script import tir as T

@T.prim_func
def main(A: T.Buffer((256, 256), "float32"), B: T.Buffer((256, 256), "float32"), C: T.Buffer((256, 256), "float32")):
    T.func_attr({"from_legacy_te_schedule": T.bool(True), "tir.noalias": T.bool(True)})
    for i_outer in range(32):
        for j_outer in range(32):
            T.call_extern("int32", "gemm8x8_reset", T.tvm_access_ptr(T.type_annotation("float32"), C.data, i_outer * 2048 + j_outer * 8, 2048, 2), 256)
            for k_outer in range(32):
                T.call_extern("int32", "gemm8x8_update", T.tvm_access_ptr(T.type_annotation("float32"), C.data, i_outer * 2048 + j_outer * 8, 2048, 2), T.tvm_access_ptr(T.type_annotation("float32"), A.data, i_outer * 2048 + k_outer * 8, 2048, 1), T.tvm_access_ptr(T.type_annotation("float32"), B.data, k_outer * 2048 + j_outer * 8, 2048, 1), 256, 256, 256)
"""


def test_tensorized_gemm():
    assert _lowered(bench.tensorized_gemm) == EXPECTED_TENSORIZED_GEMM.strip()

EXPECTED_ELEMENTWISE_CHAIN = """
# from tvm.script import tir as T

@T.prim_func
def main(A: T.Buffer((65536,), "float32"), T6: T.Buffer((65536,), "float32")):
    T.func_attr({"from_legacy_te_schedule": T.bool(True), "tir.noalias": T.bool(True)})
    for x_outer in T.parallel(8192):
        T6_1 = T.Buffer((65536,), "float32", data=T6.data)
        A_1 = T.Buffer((65536,), "float32", data=A.data)
        T6_1[x_outer * 8:x_outer * 8 + 8] = (((((A_1[x_outer * 8:x_outer * 8 + 8] * T.Broadcast(T.float32(2.0), 8) * T.Broadcast(T.float32(2.0), 8) + T.Broadcast(T.float32(1.0), 8)) * T.Broadcast(T.float32(2.0), 8) + T.Broadcast(T.float32(2.0), 8)) * T.Broadcast(T.float32(2.0), 8) + T.Broadcast(T.float32(3.0), 8)) * T.Broadcast(T.float32(2.0), 8) + T.Broadcast(T.float32(4.0), 8)) * T.Broadcast(T.float32(2.0), 8) + T.Broadcast(T.float32(5.0), 8)) * T.Broadcast(T.float32(2.0), 8) + T.Broadcast(T.float32(6.0), 8)
"""


def test_elementwise_chain():
    assert _lowered(bench.elementwise_chain) == EXPECTED_ELEMENTWISE_CHAIN.strip()
