# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""topi.x86 float32 dense / matmul / batch_matmul (the register-blocked GEMM) against numpy:
odd shapes, fused epilogues, transposes, broadcast batches, the tiling it picks."""
import numpy as np
import pytest

import tvm
from tvm import te, topi
from tvm.target import codegen
from tvm.topi.x86 import gemm

rng = np.random.default_rng(7)
HOST = f"llvm -mcpu={codegen.llvm_get_system_cpu()}"
# "llvm" alone: 4-lane SSE vectors; the host: whatever it has (16 lanes with AVX-512).
TARGETS = ["llvm", HOST]


def rand(*shape):
    return rng.uniform(-1, 1, size=shape).astype("float32")


def check(got, want, depth):
    # Sums of `depth` products in float32, in another order than numpy's float64 reference.
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6 * max(depth, 1) ** 0.5)


def run(target, make, schedule, inputs):
    """Build make(*placeholders) with schedule under target; run on inputs; the output as numpy."""
    with tvm.target.Target(target):
        tensors = [te.placeholder(a.shape, name=f"in{i}") for i, a in enumerate(inputs)]
        out = make(*tensors)
        s = schedule([out])
    func = tvm.build(s, tensors + [out], target)
    dev = tvm.cpu()
    result = tvm.nd.array(np.zeros([int(d) for d in out.shape], "float32"), dev)
    func(*[tvm.nd.array(a, dev) for a in inputs], result)
    return result.numpy()


DENSE_SHAPES = [(1, 1000, 512), (1, 17, 1), (3, 5, 7), (7, 33, 97), (13, 16, 13), (64, 48, 64), (97, 100, 31),
                (128, 768, 768)]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("m,n,k", DENSE_SHAPES)
def test_dense_pack(target, m, n, k):
    x, w = rand(m, k), rand(n, k)
    got = run(target, topi.x86.dense_pack, topi.x86.schedule_dense_pack, [x, w])
    check(got, x.astype("float64") @ w.T.astype("float64"), k)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("m,n,k,nr", [(7, 64, 19, 16), (128, 96, 64, 32), (5, 40, 8, 8), (1, 48, 3, 48)])
def test_dense_pack_prepacked_weight(target, m, n, k, nr):
    """The weight already in (N/n, K, n) panels (nn.contrib_dense_pack's layout): no packing stage."""
    x, w = rand(m, k), rand(n, k)
    packed = np.ascontiguousarray(w.reshape(n // nr, nr, k).transpose(0, 2, 1))
    with tvm.target.Target(target):
        out = topi.x86.dense_pack(te.placeholder((m, k)), te.placeholder(packed.shape))
    assert not any(t.op.tag == gemm.PACK_TAG for t in out.op.input_tensors)
    got = run(target, topi.x86.dense_pack, topi.x86.schedule_dense_pack, [x, packed])
    check(got, x.astype("float64") @ w.T.astype("float64"), k)


def test_panel_width():
    with tvm.target.Target("llvm -mcpu=skylake-avx512"):
        assert gemm.panel_width(1, 1000, 512) is None  # no multiple of 16 divides 1000
        for rows, cols, depth in [(128, 768, 768), (128, 3072, 768), (128, 768, 3072), (7, 48, 5)]:
            nr = gemm.panel_width(rows, cols, depth)
            assert nr % 16 == 0 and cols % nr == 0


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("m,n,k", [(1, 1000, 512), (1, 17, 1), (2, 9, 97), (4, 33, 48), (3, 5, 7)])
def test_dense_nopack(target, m, n, k):
    x, w = rand(m, k), rand(n, k)
    got = run(target, topi.x86.dense_nopack, topi.x86.schedule_dense_nopack, [x, w])
    check(got, x.astype("float64") @ w.T.astype("float64"), k)


@pytest.mark.parametrize("impl", ["pack", "nopack"])
@pytest.mark.parametrize("n", [32, 19])
def test_dense_epilogue(impl, n):
    """relu(dense + bias) + residual, all in the dense kernel's loops."""
    m, k = (6, 40) if impl == "pack" else (2, 40)
    x, w, b, r = rand(m, k), rand(n, k), rand(n), rand(m, n)
    compute = getattr(topi.x86, f"dense_{impl}")
    schedule = getattr(topi.x86, f"schedule_dense_{impl}")

    def make(x, w, b, r):
        return topi.add(topi.nn.relu(topi.add(compute(x, w), b)), r)

    got = run(HOST, make, schedule, [x, w, b, r])
    check(got, np.maximum(x.astype("float64") @ w.T + b, 0) + r, k)


def test_dense_gelu_chain():
    """gelu's elementwise chain (x * 0.5 * (1 + erf(x / sqrt 2))) after dense + bias."""
    m, n, k = 8, 40, 24
    x, w, b = rand(m, k), rand(n, k), rand(n)

    def make(x, w, b):
        y = topi.add(topi.x86.dense_pack(x, w), b)
        erf = topi.erf(topi.multiply(y, 0.7071067811865476))
        return topi.multiply(topi.multiply(y, 0.5), topi.add(erf, 1.0))

    got = run(HOST, make, topi.x86.schedule_dense_pack, [x, w, b])
    y = x.astype("float64") @ w.T + b
    from math import erf

    want = y * 0.5 * (1 + np.vectorize(erf)(y / np.sqrt(2)))
    check(got, want, k)


def test_dense_bias_argument_and_reshape_epilogue():
    """TOPI's bias argument; an epilogue of another shape (reshape) after the GEMM."""
    m, n, k = 6, 32, 16
    x, w, b = rand(m, k), rand(n, k), rand(n)
    got = run(HOST, lambda x, w, b: topi.reshape(topi.x86.dense_pack(x, w, b), (m * 2, n // 2)),
              topi.x86.schedule_dense_pack, [x, w, b])
    check(got, (x.astype("float64") @ w.T + b).reshape(m * 2, n // 2), k)


@pytest.mark.parametrize("impl", ["pack", "nopack"])
def test_dense_leading_dimensions(impl):
    """Relay's dense takes (..., K) data: (2, 5, K)."""
    x, w = rand(2, 5, 24), rand(20, 24)
    got = run(HOST, getattr(topi.x86, f"dense_{impl}"), getattr(topi.x86, f"schedule_dense_{impl}"), [x, w])
    check(got, x.astype("float64") @ w.T, 24)


@pytest.mark.parametrize("transpose_a", [False, True])
@pytest.mark.parametrize("transpose_b", [False, True])
def test_matmul_pack(transpose_a, transpose_b):
    m, n, k = 11, 37, 23
    a = rand(k, m) if transpose_a else rand(m, k)
    b = rand(n, k) if transpose_b else rand(k, n)

    def make(a, b):
        return topi.x86.matmul_pack(a, b, transpose_a=transpose_a, transpose_b=transpose_b)

    got = run(HOST, make, topi.x86.schedule_matmul_pack, [a, b])
    want = (a.T if transpose_a else a).astype("float64") @ (b.T if transpose_b else b)
    check(got, want, k)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("transpose_a", [False, True])
@pytest.mark.parametrize("transpose_b", [False, True])
@pytest.mark.parametrize("batch_a,batch_b", [(3, 3), (1, 3), (3, 1)])
def test_batch_matmul(target, transpose_a, transpose_b, batch_a, batch_b):
    m, n, k = 9, 21, 13
    a = rand(batch_a, k, m) if transpose_a else rand(batch_a, m, k)
    b = rand(batch_b, n, k) if transpose_b else rand(batch_b, k, n)

    def make(a, b):
        return topi.x86.batch_matmul(a, b, transpose_a=transpose_a, transpose_b=transpose_b)

    got = run(target, make, topi.x86.schedule_batch_matmul, [a, b])
    a64 = np.swapaxes(a, 1, 2) if transpose_a else a
    b64 = np.swapaxes(b, 1, 2) if transpose_b else b
    check(got, np.matmul(a64.astype("float64"), b64.astype("float64")), k)


@pytest.mark.parametrize("shape", [(12, 128, 64, 128), (12, 128, 128, 64)])
def test_batch_matmul_attention_shapes(shape):
    """BERT-base's two attention products (12 heads, sequence 128, head size 64), scaled after."""
    batch, m, k, n = shape
    a, b = rand(batch, m, k), rand(batch, n, k)
    got = run(HOST, lambda a, b: topi.multiply(topi.x86.batch_matmul(a, b), 0.125), topi.x86.schedule_batch_matmul,
              [a, b])
    check(got, np.matmul(a.astype("float64"), np.swapaxes(b, 1, 2)) * 0.125, k)


def test_micro_kernel_shape():
    # AVX-512: 32 registers. BERT's dense rows (128) and widths (768, 3072): a 4 x 96 tile, 24 accumulators.
    assert gemm.micro_kernel_shape(128, 768, 16, 32) == (4, 6)
    for rows, cols, lanes, regs in [(1, 1000, 16, 32), (97, 100, 8, 16), (7, 3, 4, 16), (128, 64, 16, 32)]:
        mr, nv = gemm.micro_kernel_shape(rows, cols, lanes, regs)
        assert mr * nv + nv + 1 <= regs
    assert gemm.micro_kernel_shape(1, 1000, 16, 32)[0] == 1
    mr, nv = gemm.micro_kernel_shape(1024, 1024, 16, 32, exact=True)
    assert 1024 % mr == 0 and 1024 % (nv * 16) == 0


def test_tiles_that_divide_the_rows_are_preferred():
    """BERT's attention (128 rows, 64 or 128 columns): 4 x 64 tiles dividing 128 rather than the
    better-scoring 6 x 64 ones padding it to 132 (their clamped reads cost 20%); a divisor far
    behind (197 rows: only 1-row tiles divide) leaves the padded tile."""
    assert gemm.micro_kernel_shape(128, 128, 16, 32) == (4, 4)
    assert gemm.micro_kernel_shape(128, 64, 16, 32) == (4, 4)
    assert gemm.micro_kernel_shape(96, 64, 16, 32) == (6, 4)  # 6 divides 96 already
    assert gemm.micro_kernel_shape(197, 768, 16, 32) == (6, 4)
    assert gemm.micro_kernel_shape(None, 128, 16, 32) == (6, 4)  # symbolic rows: the mean use decides
    with tvm.target.Target("llvm -mcpu=skylake-avx512"):
        assert gemm.config_for_panels(128, 64, 64).mr == 4
        assert gemm.config_for_panels(197, 64, 64).mr == 6


def test_lanes_from_target():
    from tvm.topi.x86.utils import get_simd_32bit_lanes

    assert get_simd_32bit_lanes(tvm.target.Target("llvm")) == 4
    assert get_simd_32bit_lanes(tvm.target.Target("llvm -mcpu=skylake-avx512")) == 16
    assert get_simd_32bit_lanes(tvm.target.Target("llvm -mcpu=haswell")) == 8
    assert get_simd_32bit_lanes(tvm.target.Target("llvm -mcpu=znver3 -mattr=+avx512f")) == 16


def test_padding_and_stages():
    """N = 1000 pads to whole 16-lane panels with a zero tail, the rows are not padded when the tile
    divides them, and the unpad view is the output."""
    with tvm.target.Target("llvm -mcpu=skylake-avx512"):
        x = te.placeholder((1, 512), name="x")
        w = te.placeholder((1000, 512), name="w")
        out = topi.x86.dense_pack(x, w)
    assert out.op.name == "T_dense_pack_unpad"
    (inner,) = out.op.input_tensors
    assert inner.op.tag == "dense_pack"
    nr = int(inner.op.attrs["gemm_nv"]) * 16
    assert [int(d) for d in inner.shape] == [1, (1000 + nr - 1) // nr * nr]
    packed = inner.op.input_tensors[1]
    assert [int(d) for d in packed.shape] == [(1000 + nr - 1) // nr, 512, nr]


def test_schedule_structure(monkeypatch):
    """The fused output's loops: a parallel loop outside, the accumulators in "local" scope, vectors inside."""
    monkeypatch.setenv("TVM_NUM_THREADS", "2")  # enough panels for 2 threads: no row blocks
    with tvm.target.Target("llvm -mcpu=skylake-avx512"):
        x = te.placeholder((128, 768), name="x")
        w = te.placeholder((768, 768), name="w")
        out = topi.nn.relu(topi.x86.dense_pack(x, w))
        s = topi.x86.schedule_dense_pack([out])
    text = str(tvm.lower(s, [x, w, out]))
    loops = [line.strip() for line in text.splitlines() if "allocate" in line or "for " in line]
    # 8 panels of 96 columns in parallel, each packed there (48 blocks of 16 k x 96 rows of W);
    # a 4 x 96 tile of accumulators (4 rows of 6 vectors) over 32 row tiles, k unrolled by 4.
    assert loops == [
        "for ax1_outer in T.parallel(8):",
        'T_dense_pack_packed_b = T.allocate([73728], "float32", "global")',
        'T_dense_pack = T.allocate([4], "float32x96", "local")',
        "for i1_outer in range(48):",
        "for i2 in range(96):",
        "for ax0_outer_inner in range(32):",
        "for k_outer in range(192):",
    ]
    assert "T.max(T_dense_pack_1[3], T.Broadcast(T.float32(0.0), 96))" in text  # relu on the tile


@pytest.mark.parametrize("make,message", [
    (lambda: topi.x86.dense_pack(te.placeholder((4, 8)), te.placeholder((5, 9))), "disagree on the reduction"),
    (lambda: topi.x86.dense_nopack(te.placeholder((4, 8)), te.placeholder((5, 8, 1))), "weight must be 2-d"),
    (lambda: topi.x86.dense_pack(te.placeholder((4, 8)), te.placeholder((2, 7, 16))), "(2, 7, 16) disagree"),
    (lambda: topi.x86.batch_matmul(te.placeholder((2, 4, 8)), te.placeholder((3, 5, 8))), "neither is 1"),
    (lambda: topi.x86.batch_matmul(te.placeholder((2, 4, 8)), te.placeholder((2, 5, 7))), "(2, 5, 7)"),
])
def test_errors(make, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make()


@pytest.mark.parametrize("prepacked", [False, True])
def test_dense_pack_short_rows_flatten(prepacked):
    """(seq, 1, K) data (a sequence-first transformer at batch 1): the leading axes flatten into the
    GEMM's rows instead of 1-row tiles; bias and relu still fused."""
    x, w, b = rand(20, 1, 24), rand(32, 24), rand(32)
    assert topi.x86.dense.gemm_rows((20, 1, 24)) == ((), 20, True)
    assert topi.x86.dense.gemm_rows((2, 64, 24)) == ((2,), 64, False)
    wt = np.ascontiguousarray(w.reshape(2, 16, 24).transpose(0, 2, 1)) if prepacked else w

    def make(x, w, b):
        return topi.nn.relu(topi.add(topi.x86.dense_pack(x, w), b))

    got = run(HOST, make, topi.x86.schedule_dense_pack, [x, wt, b])
    check(got, np.maximum(x.astype("float64") @ w.T + b, 0), 24)


def test_row_blocks_when_panels_are_few(monkeypatch):
    """More threads than panels: the rows are cut into blocks too and the panels packed up front."""
    monkeypatch.setenv("TVM_NUM_THREADS", "16")
    with tvm.target.Target("llvm -mcpu=skylake-avx512"):
        x = te.placeholder((128, 768), name="x")
        w = te.placeholder((768, 768), name="w")
        out = topi.x86.dense_pack(x, w)
        s = topi.x86.schedule_dense_pack([out])
    text = str(tvm.lower(s, [x, w, out]))
    assert "T.parallel(16)" in text  # 8 panels x 2 row blocks
    xd, wd = rand(128, 768), rand(768, 768)
    got = run(HOST, topi.x86.dense_pack, topi.x86.schedule_dense_pack, [xd, wd])
    check(got, xd.astype("float64") @ wd.T, 768)


@pytest.mark.parametrize("impl", ["pack", "nopack"])
@pytest.mark.parametrize("n", [32, 20])
def test_dense_several_outputs(impl, n):
    """A fused function returning both the dense result and relu of it (n = 20: a partial panel)."""
    m, k = (8, 24) if impl == "pack" else (2, 24)
    x, w = rand(m, k), rand(n, k)
    compute = getattr(topi.x86, f"dense_{impl}")
    schedule = getattr(topi.x86, f"schedule_dense_{impl}")
    with tvm.target.Target(HOST):
        X, W = te.placeholder(x.shape), te.placeholder(w.shape)
        dense = compute(X, W)
        relu = topi.nn.relu(dense)
        s = schedule([relu, dense])
    func = tvm.build(s, [X, W, relu, dense], HOST)
    outs = [tvm.nd.empty((m, n)) for _ in range(2)]
    func(tvm.nd.array(x), tvm.nd.array(w), *outs)
    want = x.astype("float64") @ w.T
    check(outs[0].numpy(), np.maximum(want, 0), k)
    check(outs[1].numpy(), want, k)


def test_batch_matmul_transposed_epilogue():
    """The heads' outputs (B, M, N) transposed to (M, B, N) after the product: another loop nest."""
    a, b = rand(3, 10, 8), rand(3, 12, 8)
    got = run(HOST, lambda a, b: topi.transpose(topi.x86.batch_matmul(a, b), (1, 0, 2)),
              topi.x86.schedule_batch_matmul, [a, b])
    check(got, np.matmul(a.astype("float64"), np.swapaxes(b, 1, 2)).transpose(1, 0, 2), 8)
