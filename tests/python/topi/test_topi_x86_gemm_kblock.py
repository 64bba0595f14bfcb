# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The packed GEMM's k blocking (GemmConfig.kc): a block of row tiles accumulates over blocks of
kc values of k, the first block initialising the accumulators, the fused epilogue applied once
after the last. Against numpy at small shapes: K a multiple of kc and not, symbolic rows, bias +
relu and residual epilogues, prepacked weights, batch_matmul and matmul; the loop structure."""
import numpy as np
import pytest

import tvm
from tvm import te, topi
from tvm.target import codegen
from tvm.topi.x86 import gemm

rng = np.random.default_rng(18)
HOST = f"llvm -mcpu={codegen.llvm_get_system_cpu()}"
SSE = "llvm"  # 4 float32 lanes


def rand(*shape):
    return rng.uniform(-1, 1, size=shape).astype("float32")


def check(got, want, depth):
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6 * max(depth, 1) ** 0.5)


def build_run(target, make, schedule, inputs, out_shape=None):
    with tvm.target.Target(target):
        tensors = [te.placeholder(a.shape, name=f"in{i}") for i, a in enumerate(inputs)]
        out = make(*tensors)
        s = schedule([out])
    func = tvm.build(s, tensors + [out], target)
    result = tvm.nd.array(np.zeros(out_shape or [int(d) for d in out.shape], "float32"))
    func(*[tvm.nd.array(a) for a in inputs], result)
    return result.numpy()


def lanes(target):
    with tvm.target.Target(target):
        return topi.x86.utils.get_simd_32bit_lanes()


def config(target, mr, nv, k_unroll, kc, row_blocks=None):
    return gemm.GemmConfig(mr, nv, lanes(target), k_unroll, row_blocks=row_blocks, kc=kc)


# (m, n, k, mr, nv, k_unroll, kc): K a multiple of kc, K with a partial last block (100 = 3*32 + 4,
# 97 = 2*40 + 17 with k unrolled by 1), rows and columns not multiples of the tile.
CASES = [(16, 32, 96, 4, 2, 4, 32), (13, 40, 100, 4, 2, 4, 32), (7, 24, 97, 3, 1, 1, 40), (32, 64, 64, 8, 1, 2, 16)]


@pytest.mark.parametrize("target", [SSE, HOST])
@pytest.mark.parametrize("m,n,k,mr,nv,k_unroll,kc", CASES)
def test_dense_kblock_bias_relu(target, m, n, k, mr, nv, k_unroll, kc):
    x, w, b = rand(m, k), rand(n, k), rand(n)
    cfg = config(target, mr, nv, k_unroll, kc)

    def make(x, w, b):
        return topi.nn.relu(topi.x86.dense_pack(x, w, b, config=cfg))

    got = build_run(target, make, lambda outs: topi.x86.schedule_dense_pack(outs, cfg), [x, w, b])
    check(got, np.maximum(x.astype("float64") @ w.T + b, 0), k)


@pytest.mark.parametrize("row_blocks", [None, 2])
def test_dense_kblock_residual_add(row_blocks):
    """dense + bias + a residual input (the encoder's second FFN dense), rows cut into 2 blocks or not."""
    m, n, k = 24, 48, 90
    x, w, b, r = rand(m, k), rand(n, k), rand(n), rand(m, n)
    cfg = config(HOST, 4, 1, 2, 32, row_blocks=row_blocks)

    def make(x, w, b, r):
        return topi.add(topi.x86.dense_pack(x, w, b, config=cfg), r)

    got = build_run(HOST, make, lambda outs: topi.x86.schedule_dense_pack(outs, cfg), [x, w, b, r])
    check(got, x.astype("float64") @ w.T + b + r, k)


def test_dense_kblock_prepacked_weight():
    m, n, k, nr = 20, 64, 70, 16
    x, w = rand(m, k), rand(n, k)
    packed = np.ascontiguousarray(w.reshape(n // nr, nr, k).transpose(0, 2, 1))
    cfg = gemm.GemmConfig(4, nr // 4, 4, 2, kc=24)  # 4-lane vectors: nv = nr / 4
    got = build_run(SSE, lambda x, w: topi.x86.dense_pack(x, w, config=cfg),
                    lambda outs: topi.x86.schedule_dense_pack(outs, cfg), [x, packed])
    check(got, x.astype("float64") @ w.T, k)


def test_dense_kblock_gemm_is_the_output():
    """No epilogue: the GEMM stage itself is the output (its cache_write stage is k-blocked)."""
    m, n, k = 12, 32, 50
    x, w = rand(m, k), rand(n, k)
    cfg = config(HOST, 4, 1, 2, 16)
    got = build_run(HOST, lambda x, w: topi.x86.dense_pack(x, w, config=cfg),
                    lambda outs: topi.x86.schedule_dense_pack(outs, cfg), [x, w])
    check(got, x.astype("float64") @ w.T, k)


def test_dense_kblock_symbolic_rows():
    """A te.var row count: blocks of a fixed number of row tiles, the last one partial."""
    n = te.var("n", dtype="int64")
    cols, depth = 40, 72
    cfg = config(SSE, 4, 2, 4, 24)
    data = te.placeholder((n, depth), name="data")
    weight = te.placeholder((cols, depth), name="weight")
    bias = te.placeholder((cols,), name="bias")
    with tvm.target.Target(SSE):
        out = topi.nn.relu(topi.x86.dense_pack(data, weight, bias, config=cfg))
        sch = topi.x86.schedule_dense_pack([out], cfg)
    text = str(tvm.lower(sch, [data, weight, bias, out], simple_mode=True))
    assert "for k_outer in range(3):" in text  # 72 = 3 blocks of 24
    assert "T.likely" not in text.split("for k_outer")[1].split("for ax0_outer_inner_inner")[0]  # no guards in the k loops
    assert 'T.allocate([T.int64(64)], "float32x8", "local")' in text  # 16 row tiles of 4 x 8 per block
    func = tvm.build(sch, [data, weight, bias, out], target=SSE)
    w, b = rand(cols, depth), rand(cols)
    for rows in (1, 5, 16, 63, 64, 65, 130):
        x = rand(rows, depth)
        res = tvm.nd.empty((rows, cols))
        func(tvm.nd.array(x), tvm.nd.array(w), tvm.nd.array(b), res)
        check(res.numpy(), np.maximum(x.astype("float64") @ w.T + b, 0), depth)


@pytest.mark.parametrize("transpose_a,transpose_b", [(False, True), (True, False), (False, False)])
def test_batch_matmul_kblock(transpose_a, transpose_b):
    batch, m, n, k = 3, 10, 24, 45
    a = rand(batch, k, m) if transpose_a else rand(batch, m, k)
    b = rand(batch, n, k) if transpose_b else rand(batch, k, n)
    cfg = config(HOST, 2, 1, 1, 16)

    def make(a, b):
        return topi.x86.batch_matmul(a, b, transpose_a=transpose_a, transpose_b=transpose_b, config=cfg)

    got = build_run(HOST, make, lambda outs: topi.x86.schedule_batch_matmul(outs, cfg), [a, b])
    a64 = np.swapaxes(a, 1, 2) if transpose_a else a
    b64 = np.swapaxes(b, 1, 2) if transpose_b else b
    check(got, np.matmul(a64.astype("float64"), b64), k)


def test_matmul_kblock():
    m, n, k = 9, 20, 33
    a, b = rand(m, k), rand(k, n)
    cfg = config(SSE, 3, 2, 1, 8)
    got = build_run(SSE, lambda a, b: topi.x86.matmul_pack(a, b, config=cfg),
                    lambda outs: topi.x86.schedule_matmul_pack(outs, cfg), [a, b])
    check(got, a.astype("float64") @ b, k)


def test_kblock_loop_structure(monkeypatch):
    """kc = 768 of K = 3072: per panel, the 128 x 96 accumulators are zeroed, then 4 k blocks each
    sweep the 32 row tiles (192 unrolled steps of 4 k each), then relu stores the block."""
    monkeypatch.setenv("TVM_NUM_THREADS", "2")
    with tvm.target.Target("llvm -mcpu=skylake-avx512"):
        x = te.placeholder((128, 3072), name="x")
        w = te.placeholder((8, 3072, 96), name="w")
        cfg = gemm.GemmConfig(4, 6, 16, 4, kc=768)
        out = topi.nn.relu(topi.x86.dense_pack(x, w, config=cfg))
        s = topi.x86.schedule_dense_pack([out], config=cfg)
    text = str(tvm.lower(s, [x, w, out]))
    loops = [line.strip() for line in text.splitlines() if "allocate" in line or "for " in line]
    assert loops == [
        "for ax1_outer in T.parallel(8):",
        'T_dense_pack = T.allocate([128], "float32x96", "local")',
        "for i0_outer_init in range(32):",
        "for k_outer in range(4):",
        "for i0_outer in range(32):",
        "for k_inner_outer in range(192):",
        "for ax0_outer_inner_inner in range(32):",
    ]
    assert text.count("T.max(") == 4  # relu once per tile row, after the last k block


def test_kblock_knob_is_kept_by_the_compute():
    """schedule_packed_gemm without a config reads kc back from the GEMM stage's attributes."""
    cfg = gemm.GemmConfig(4, 1, 4, 2, kc=16)
    with tvm.target.Target(SSE):
        out = topi.x86.dense_pack(te.placeholder((8, 40)), te.placeholder((4, 40)), config=cfg)
    assert int(out.op.input_tensors[0].op.attrs["gemm_kc"] if out.op.name.endswith("unpad")
               else out.op.attrs["gemm_kc"]) == 16
    x, w = rand(8, 40), rand(4, 40)
    got = build_run(SSE, lambda x, w: topi.x86.dense_pack(x, w, config=cfg), topi.x86.schedule_dense_pack, [x, w])
    check(got, x.astype("float64") @ w.T, 40)


def test_kc_not_below_depth_is_no_blocking():
    """kc >= K: the whole k loop in the register tile, as without the knob."""
    with tvm.target.Target(SSE):
        x, w = te.placeholder((8, 32), name="x"), te.placeholder((8, 32), name="w")
        plain = str(tvm.lower(topi.x86.schedule_dense_pack([topi.x86.dense_pack(x, w, config=config(SSE, 4, 2, 4, None))],
                                                           config(SSE, 4, 2, 4, None)), [x, w], simple_mode=True))
        cfg = config(SSE, 4, 2, 4, 32)
        big = str(tvm.lower(topi.x86.schedule_dense_pack([topi.x86.dense_pack(x, w, config=cfg)], cfg), [x, w],
                            simple_mode=True))
    assert plain == big


def test_default_kc_only_when_the_panel_overflows_l2(monkeypatch):
    """BERT's FFN output dense (K = 3072, 96-wide panels of 1.2 MB) is k-blocked with a divisor of K
    whose block fits in a quarter of a 2 MB L2; K = 768 panels fit and are not blocked."""
    monkeypatch.setattr(topi.x86.utils, "cache_sizes", lambda: {"L1d": 48 << 10, "L2": 2 << 20, "L3": 32 << 20})
    with tvm.target.Target("llvm -mcpu=skylake-avx512"):
        big = gemm.default_config(128, 768, 3072)
        assert (big.nr, big.kc) == (96, 1024)
        assert gemm.config_for_panels(128, 96, 3072).kc == 1024
        assert gemm.panel_width(128, 768, 3072) == 96  # the panels keep their width
        assert gemm.default_config(128, 3072, 768).kc is None
        assert gemm.default_config(96, 512, 2048).kc is None
        # symbolic rows: not by default (whole blocks of row tiles would pad a 1-row call to 64)
        assert gemm.default_config(None, 768, 3072).kc is None
        assert gemm.config_for_panels(None, 96, 3072).kc is None
        assert gemm.k_block(3000, 96, 4) == 1000  # a divisor of K, a multiple of the unroll
        assert gemm.k_block(te.var("k"), 96, 1) is None


def test_default_kc_end_to_end(monkeypatch):
    """A small L2 makes the default k-block a 24 x 200 x 64 dense (bias + relu): same numbers."""
    monkeypatch.setattr(topi.x86.utils, "cache_sizes", lambda: {"L1d": 4 << 10, "L2": 8 << 10, "L3": 1 << 20})
    x, w, b = rand(24, 200), rand(64, 200), rand(64)
    with tvm.target.Target(SSE):
        cfg = gemm.default_config(24, 64, 200)
    assert cfg.kc is not None and 200 % cfg.kc == 0

    def make(x, w, b):
        return topi.nn.relu(topi.x86.dense_pack(x, w, b))

    got = build_run(SSE, make, topi.x86.schedule_dense_pack, [x, w, b])
    check(got, np.maximum(x.astype("float64") @ w.T + b, 0), 200)


def test_relay_build_k_blocked_dense_residual(monkeypatch):
    """Through relay.build at opt_level 3 (the weight packed at compile time: nn.contrib_dense_pack),
    with an L2 small enough that the default k-blocks: dense + bias + a residual add, and relu of it."""
    from tvm import relay
    from tvm.contrib import graph_executor

    monkeypatch.setattr(topi.x86.utils, "cache_sizes", lambda: {"L1d": 4 << 10, "L2": 16 << 10, "L3": 1 << 20})
    with tvm.target.Target(HOST):
        cfg = gemm.config_for_panels(24, gemm.panel_width(24, 64, 200), 200)
    assert cfg.kc is not None
    x = relay.var("x", shape=(24, 200))
    r = relay.var("r", shape=(24, 64))
    w, b = rand(64, 200), rand(64)
    y = relay.nn.relu(relay.add(relay.nn.bias_add(relay.nn.dense(x, relay.const(w)), relay.const(b)), r))
    with tvm.transform.PassContext(opt_level=3):
        lib = relay.build(tvm.IRModule.from_expr(relay.Function([x, r], y)), target=HOST)
    gmod = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    xa, ra = rand(24, 200), rand(24, 64)
    gmod.set_input("x", xa)
    gmod.set_input("r", ra)
    gmod.run()
    check(gmod.get_output(0).numpy(), np.maximum(xa.astype("float64") @ w.T + b + ra, 0), 200)
