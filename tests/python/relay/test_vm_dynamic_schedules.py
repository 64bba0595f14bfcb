# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Kernels for relay.Any() shapes keep the static schedules (issue 19): the x86 GEMMs tile a
symbolic row count with the static micro-kernel and a guarded last tile; injective and
normalisation kernels with symbolic extents keep vector bodies. Numbers against numpy at
several sizes (some not multiples of any tile), and the kernels' LLVM IR checked for vectors."""
import re

import numpy as np
import pytest

import tvm
from tvm import relay, te, topi

TARGET = "llvm"  # 128-bit vectors: 4 float32 lanes on every x86-64
RNG = np.random.default_rng(19)


def _vm(func, target=TARGET):
    with tvm.transform.PassContext(opt_level=3):
        exe = relay.vm.compile(tvm.IRModule.from_expr(func), target)
    return exe, tvm.runtime.vm.VirtualMachine(exe, tvm.cpu())


def _lower(func, target=TARGET):
    """(kernel name, lowered IRModule) of a primitive function through the TE compiler."""
    func = func.with_attr("Primitive", tvm.tir.IntImm("int32", 1))
    func = relay.transform.InferType()(tvm.IRModule.from_expr(func))["main"]
    lower = tvm.get_global_func("relay.backend._TECompilerLower")
    with tvm.target.Target(target):
        return lower(func, tvm.target.Target(target), "default")[:2]


def _rand(*shape):
    return RNG.standard_normal(shape).astype("float32")


def _float_vector_ops(llvm_ir):
    """The float vector arithmetic of an LLVM IR listing: fadd/fmul/fma on <N x float>."""
    return re.findall(r"(?:fadd|fmul|fsub|fdiv|fmuladd|fma)[^\n]*<(\d+) x float>", llvm_ir)


# ---------------------------------------------------------------------------- dense / matmul

@pytest.mark.parametrize("rows", [1, 3, 16, 37, 100])
def test_dense_any_rows_bias_relu(rows):
    x = relay.var("x", shape=(relay.Any(), 96))
    w, b = _rand(40, 96), _rand(40)
    func = relay.Function([x], relay.nn.relu(relay.nn.bias_add(relay.nn.dense(x, relay.const(w)), relay.const(b))))
    _, vm = _vm(func)
    xa = _rand(rows, 96)
    np.testing.assert_allclose(vm.run(xa).numpy(), np.maximum(xa @ w.T + b, 0), rtol=1e-5, atol=1e-4)


def test_dense_any_sequence_3d_one_executable():
    """[seq, 1, d] data (a sequence-first transformer): one executable for every length."""
    x = relay.var("x", shape=(relay.Any(), 1, 64))
    w = _rand(48, 64)
    _, vm = _vm(relay.Function([x], relay.nn.dense(x, relay.const(w)) + relay.const(1.5)))
    for seq in (1, 7, 16, 45):
        xa = _rand(seq, 1, 64)
        np.testing.assert_allclose(vm.run(xa).numpy(), xa @ w.T + 1.5, rtol=1e-5, atol=1e-4)


def test_dense_any_batch_and_sequence():
    x = relay.var("x", shape=(relay.Any(), relay.Any(), 32))
    w = relay.var("w", shape=(24, 32))
    _, vm = _vm(relay.Function([x, w], relay.nn.dense(x, w)))
    wa = _rand(24, 32)
    for shape in ((2, 5, 32), (3, 17, 32), (1, 1, 32)):
        xa = _rand(*shape)
        np.testing.assert_allclose(vm.run(xa, wa).numpy(), xa @ wa.T, rtol=1e-5, atol=1e-4)


def test_dense_any_rows_takes_the_packed_gemm_with_vectors():
    """The x86 dense with a symbolic row count is the packed GEMM (not the generic reduction),
    its epilogue fused, and its LLVM IR multiplies whole vectors."""
    x = relay.var("x", shape=(relay.Any(), 64))
    w = relay.var("w", shape=(32, 64))
    b = relay.var("b", shape=(32,))
    name, mod = _lower(relay.Function([x, w, b], relay.nn.relu(relay.nn.bias_add(relay.nn.dense(x, w), b))))
    text = str(mod)
    assert "T_dense_pack" in text and "any_dim" in text
    assert "T.parallel" in text
    lib = tvm.build(mod, target=TARGET)
    assert _float_vector_ops(lib.get_source("ll")), "no float vector arithmetic in the dense kernel"
    kernel = lib[name]
    wa, ba = _rand(32, 64), _rand(32)
    for n in (1, 5, 29):
        xa = _rand(n, 64)
        out = tvm.nd.empty((n, 32))
        kernel(tvm.nd.array(xa), tvm.nd.array(wa), tvm.nd.array(ba), out)
        np.testing.assert_allclose(out.numpy(), np.maximum(xa @ wa.T + ba, 0), rtol=1e-5, atol=1e-4)


def test_topi_dense_pack_symbolic_rows_guarded_last_tile():
    """topi.x86.dense_pack on a te.var row count: the rows padded to whole MR tiles, the last
    tile's stores guarded, the static micro-kernel (accumulators in a local buffer)."""
    n = te.var("n", dtype="int64")
    data = te.placeholder((n, 48), name="data")
    weight = te.placeholder((40, 48), name="weight")
    with tvm.target.Target(TARGET):
        out = topi.nn.relu(topi.x86.dense_pack(data, weight))
        sch = topi.x86.schedule_dense_pack([out])
    text = str(tvm.lower(sch, [data, weight, out], simple_mode=True))
    assert "T.likely" in text and '"local"' in text
    func = tvm.build(sch, [data, weight, out], target=TARGET)
    wa = _rand(40, 48)
    for rows in (1, 2, 13, 31, 64):
        xa = _rand(rows, 48)
        res = tvm.nd.empty((rows, 40))
        func(tvm.nd.array(xa), tvm.nd.array(wa), res)
        np.testing.assert_allclose(res.numpy(), np.maximum(xa @ wa.T, 0), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("transpose_a", [False, True])
def test_matmul_any_rows(transpose_a):
    shape_a = (48, relay.Any()) if transpose_a else (relay.Any(), 48)
    a = relay.var("a", shape=shape_a)
    bm = _rand(48, 20)
    _, vm = _vm(relay.Function([a], relay.nn.matmul(a, relay.const(bm), transpose_a=transpose_a)))
    for rows in (1, 9, 33):
        aa = _rand(48, rows) if transpose_a else _rand(rows, 48)
        ref = (aa.T if transpose_a else aa) @ bm
        np.testing.assert_allclose(vm.run(aa).numpy(), ref, rtol=1e-5, atol=1e-4)


# ---------------------------------------------------------------------------- batch_matmul

def test_batch_matmul_attention_scores_and_context():
    """[heads, seq, d] x [heads, d, seq] (scores: symbolic rows and columns), then
    [heads, seq, seq] x [heads, seq, d] (context: symbolic rows and depth)."""
    q = relay.var("q", shape=(4, relay.Any(), 16))
    k = relay.var("k", shape=(4, 16, relay.Any()))
    v = relay.var("v", shape=(4, relay.Any(), 16))
    scores = relay.nn.batch_matmul(q, k, transpose_b=False)
    _, vm = _vm(relay.Function([q, k, v], relay.nn.batch_matmul(scores, v, transpose_b=False)))
    for seq in (1, 6, 16, 27):
        qa, ka, va = _rand(4, seq, 16), _rand(4, 16, seq), _rand(4, seq, 16)
        np.testing.assert_allclose(vm.run(qa, ka, va).numpy(), (qa @ ka) @ va, rtol=1e-4, atol=1e-3)


def test_batch_matmul_any_batch_transposed_b():
    a = relay.var("a", shape=(relay.Any(), relay.Any(), 24))
    b = relay.var("b", shape=(relay.Any(), 20, 24))
    _, vm = _vm(relay.Function([a, b], relay.nn.batch_matmul(a, b)))
    for batch, rows in ((1, 1), (3, 10), (5, 33)):
        aa, ba = _rand(batch, rows, 24), _rand(batch, 20, 24)
        np.testing.assert_allclose(vm.run(aa, ba).numpy(), aa @ ba.transpose(0, 2, 1), rtol=1e-5, atol=1e-4)


def test_batch_matmul_symbolic_is_the_packed_gemm_with_vectors():
    a = relay.var("a", shape=(4, relay.Any(), 16))
    b = relay.var("b", shape=(4, 16, relay.Any()))
    name, mod = _lower(relay.Function([a, b], relay.nn.batch_matmul(a, b, transpose_b=False)))
    assert "T_batch_matmul_pack" in str(mod)
    lib = tvm.build(mod, target=TARGET)
    assert _float_vector_ops(lib.get_source("ll"))
    kernel = lib[name]
    for rows, cols in ((1, 1), (7, 13), (16, 32)):
        aa, ba = _rand(4, rows, 16), _rand(4, 16, cols)
        out = tvm.nd.empty((4, rows, cols))
        kernel(tvm.nd.array(aa), tvm.nd.array(ba), out)
        np.testing.assert_allclose(out.numpy(), aa @ ba, rtol=1e-5, atol=1e-4)


# ---------------------------------------------------------------------------- conv2d

def _conv_ref(data, kernel, pad):
    n, c, h, w = data.shape
    o, _, kh, kw = kernel.shape
    padded = np.zeros((n, c, h + 2 * pad, w + 2 * pad), "float64")
    padded[:, :, pad:pad + h, pad:pad + w] = data
    oh, ow = h + 2 * pad - kh + 1, w + 2 * pad - kw + 1
    out = np.zeros((n, o, oh, ow), "float64")
    for dy in range(kh):
        for dx in range(kw):
            out += np.einsum("nchw,oc->nohw", padded[:, :, dy:dy + oh, dx:dx + ow], kernel[:, :, dy, dx])
    return out


def test_conv2d_any_batch_bias_relu():
    d = relay.var("d", shape=(relay.Any(), 8, 9, 9))
    ka, ba = _rand(16, 8, 3, 3), _rand(16)
    conv = relay.nn.conv2d(d, relay.const(ka), padding=(1, 1), channels=16, kernel_size=(3, 3))
    _, vm = _vm(relay.Function([d], relay.nn.relu(relay.nn.bias_add(conv, relay.const(ba)))))
    for n in (1, 2, 3):
        da = _rand(n, 8, 9, 9)
        ref = np.maximum(_conv_ref(da, ka, 1) + ba[None, :, None, None], 0)
        np.testing.assert_allclose(vm.run(da).numpy(), ref, rtol=1e-4, atol=1e-4)


def test_conv2d_any_batch_keeps_the_register_blocked_schedule():
    """A symbolic batch takes conv2d_nchw.x86: the NCHW[x]c tile in local accumulators, the
    fused relu applied to it, vector FMAs in the LLVM IR; the batch loop is the parallel one."""
    d = relay.var("d", shape=(relay.Any(), 8, 9, 9))
    k = relay.var("k", shape=(16, 8, 3, 3))
    name, mod = _lower(relay.Function([d, k], relay.nn.relu(relay.nn.conv2d(d, k, padding=(1, 1)))))
    text = str(mod)
    assert "conv2d_NCHWc" in text and '"local"' in text and "T.parallel" in text, text
    lib = tvm.build(mod, target=TARGET)
    assert _float_vector_ops(lib.get_source("ll"))
    ka = _rand(16, 8, 3, 3)
    for n in (1, 2):
        da = _rand(n, 8, 9, 9)
        out = tvm.nd.empty((n, 16, 9, 9))
        lib[name](tvm.nd.array(da), tvm.nd.array(ka), out)
        np.testing.assert_allclose(out.numpy(), np.maximum(_conv_ref(da, ka, 1), 0), rtol=1e-4, atol=1e-4)


# ---------------------------------------------------------------------------- softmax / layer_norm

@pytest.mark.parametrize("seq", [1, 5, 16, 23])
def test_softmax_any_last_axis(seq):
    x = relay.var("x", shape=(3, relay.Any(), relay.Any()))
    _, vm = _vm(relay.Function([x], relay.nn.softmax(x, axis=-1)))
    xa = _rand(3, seq, seq)
    e = np.exp(xa - xa.max(axis=-1, keepdims=True))
    np.testing.assert_allclose(vm.run(xa).numpy(), e / e.sum(axis=-1, keepdims=True), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("rows", [1, 6, 33])
def test_layer_norm_any_rows(rows):
    x = relay.var("x", shape=(relay.Any(), 1, 40))
    gamma, beta = _rand(40), _rand(40)
    _, vm = _vm(relay.Function([x], relay.nn.layer_norm(x, relay.const(gamma), relay.const(beta), axis=-1)))
    xa = _rand(rows, 1, 40)
    mean = xa.mean(axis=-1, keepdims=True)
    var = xa.var(axis=-1, keepdims=True)
    np.testing.assert_allclose(vm.run(xa).numpy(), (xa - mean) / np.sqrt(var + 1e-5) * gamma + beta,
                               rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("rows", [1, 7, 40])
def test_mean_variance_any_rows(rows):
    x = relay.var("x", shape=(relay.Any(), 24))
    mean = relay.mean(x, axis=[-1], keepdims=True)
    var = relay.variance(x, axis=[-1], keepdims=True, with_mean=mean)
    _, vm = _vm(relay.Function([x], relay.Tuple([mean, var])))
    xa = _rand(rows, 24)
    res = vm.run(xa)
    np.testing.assert_allclose(res[0].numpy(), xa.mean(axis=-1, keepdims=True), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(res[1].numpy(), xa.var(axis=-1, keepdims=True), rtol=1e-4, atol=1e-6)


# ---------------------------------------------------------------------------- injective, structure

def _injective_kernel(shape, fn):
    x = relay.var("x", shape=shape)
    return _lower(relay.Function([x], fn(x)))


def test_injective_static_inner_axis_symbolic_rows_is_vector_code():
    """[?, 1, 64] elementwise: the static 64 holds whole vectors; the loop over the
    symbolic rows x vectors is parallel, the body a vector."""
    name, mod = _injective_kernel((relay.Any(), 1, 64), lambda x: relay.exp(x) * relay.const(2.0))
    text = str(mod)
    # 64 = 8 vectors of 8 (the generic CPU schedule's 256-bit vectors): one parallel loop over
    # rows x vectors, each iteration one 8-lane exp and multiply, no guard.
    assert "T.parallel(any_dim * T.int64(8))" in text, text
    assert "T.Broadcast(T.float32(2.0), 8)" in text and "likely" not in text and " if " not in text
    lib = tvm.build(mod, target=TARGET)
    assert _float_vector_ops(lib.get_source("ll"))
    for rows in (1, 3, 10):
        xa = _rand(rows, 1, 64)
        out = tvm.nd.empty((rows, 1, 64))
        lib[name](tvm.nd.array(xa), out)
        np.testing.assert_allclose(out.numpy(), np.exp(xa) * 2.0, rtol=1e-5)


def test_injective_symbolic_inner_axis_is_split_into_vectors_and_a_tail():
    """[3, ?] transpose-and-scale: the symbolic innermost axis is split by the vector width; after
    LoopPartition the main loop has no guard (vector code), the tail keeps it."""
    name, mod = _injective_kernel((relay.Any(), 3), lambda x: relay.transpose(x) * relay.const(3.0))
    text = str(mod)
    # rows parallel; the main loop over whole vectors is unguarded and stores 8 lanes at once
    # (reading x with stride 3), the tail loop is scalar under its guard
    assert "for ax0 in T.parallel(3):" in text, text
    assert "for ax1_outer in range(any_dim // T.int64(8)):" in text
    assert "T.Ramp(ax1_outer * T.int64(24) + T.Cast(\"int64\", ax0), T.int64(3), 8)" in text
    assert "T.Broadcast(T.float32(3.0), 8)" in text
    assert "if any_dim // T.int64(8) * T.int64(8)" in text
    lib = tvm.build(mod, target=TARGET)
    assert _float_vector_ops(lib.get_source("ll")), "the symbolic inner axis left a scalar loop"
    for cols in (1, 4, 5, 17):
        xa = _rand(cols, 3)
        out = tvm.nd.empty((3, cols))
        lib[name](tvm.nd.array(xa), out)
        np.testing.assert_allclose(out.numpy(), xa.T * 3.0, rtol=1e-6)


def test_topi_injective_schedule_symbolic_extents_tir():
    """The generic CPU schedule_injective (which topi.x86 aliases) on te.var extents: the exact
    loop structure of both cases."""
    n = te.var("n", dtype="int32")
    a = te.placeholder((n, 16), name="a")
    b = topi.exp(a)
    with tvm.target.Target(TARGET):
        sch = topi.generic.schedule_injective([b])
    text = str(tvm.lower(sch, [a, b], simple_mode=True))
    # 16 = two vectors of 8: one parallel loop over rows x 2, an 8-lane body, no guard.
    assert "for ax0_ax1_outer_fused in T.parallel(n * 2):" in text, text
    assert ("T_exp_2[ax0_ax1_outer_fused * 8:ax0_ax1_outer_fused * 8 + 8] = "
            "T.exp(a_2[ax0_ax1_outer_fused * 8:ax0_ax1_outer_fused * 8 + 8])") in text
    assert "likely" not in text
    c = te.placeholder((8, n), name="a")
    d = topi.exp(c)
    with tvm.target.Target(TARGET):
        sch = topi.generic.schedule_injective([d])
    text = str(tvm.lower(sch, [c, d]))
    # The symbolic inner axis: rows parallel; vectors of 8 along it, unguarded, then the tail
    # (fewer than 8 elements) scalar under its guard.
    assert "for ax0 in T.parallel(8):" in text, text
    assert "for ax1_outer in range(n // 8):" in text
    assert ("T_exp_2[ax1_outer * 8 + ax0 * n:ax1_outer * 8 + ax0 * n + 8] = "
            "T.exp(a_2[ax1_outer * 8 + ax0 * n:ax1_outer * 8 + ax0 * n + 8])") in text
    assert "for ax1_outer_1 in range((n % 8 + 7) // 8):" in text
    assert "if n // 8 * 8 + ax1_outer_1 * 8 + ax1_inner_s < n:" in text
    func = tvm.build(sch, [c, d], target=TARGET)
    for cols in (1, 8, 13):
        ca = _rand(8, cols)
        out = tvm.nd.empty((8, cols))
        func(tvm.nd.array(ca), out)
        np.testing.assert_allclose(out.numpy(), np.exp(ca), rtol=1e-6)


# ---------------------------------------------------------------------------- the host's vectors

def _host_target():
    cpu = tvm.target.codegen.llvm_get_system_cpu()
    return f"llvm -mcpu={cpu}" if cpu and cpu != "generic" else "llvm"


@pytest.mark.parametrize("seq", [1, 13, 40])
def test_attention_block_any_sequence_host_vectors(seq):
    """Dense -> scores -> softmax -> context with the host's widest vectors (AVX2 / AVX-512 tiles,
    other MR x NR than the 128-bit ones) at sequence lengths that no tile divides."""
    x = relay.var("x", shape=(relay.Any(), 32))
    wq, wk, wv = _rand(32, 32), _rand(32, 32), _rand(32, 32)

    def heads(t):  # [seq, 32] -> [2, seq, 16]
        return relay.transpose(relay.reshape(t, (-1, 2, 16)), (1, 0, 2))

    q, k, v = (heads(relay.nn.dense(x, relay.const(w))) for w in (wq, wk, wv))
    probs = relay.nn.softmax(relay.nn.batch_matmul(q, k), axis=-1)
    ctx = relay.nn.batch_matmul(probs, relay.transpose(v, (0, 2, 1)))
    _, vm = _vm(relay.Function([x], ctx), target=_host_target())
    xa = _rand(seq, 32)

    def heads_np(t):
        return t.reshape(seq, 2, 16).transpose(1, 0, 2)

    qa, ka, va = heads_np(xa @ wq.T), heads_np(xa @ wk.T), heads_np(xa @ wv.T)
    scores = qa @ ka.transpose(0, 2, 1)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    ref = (e / e.sum(axis=-1, keepdims=True)) @ va
    np.testing.assert_allclose(vm.run(xa).numpy(), ref, rtol=1e-4, atol=1e-4)


def test_batch_matmul_any_batches_broadcast_at_run_time():
    """Both batches symbolic: one of them may be 1 at run time (Relay broadcasts it)."""
    a = relay.var("a", shape=(relay.Any(), relay.Any(), 12))
    b = relay.var("b", shape=(relay.Any(), 10, 12))
    _, vm = _vm(relay.Function([a, b], relay.nn.batch_matmul(a, b)))
    for a_batch, b_batch, rows in ((4, 1, 5), (1, 3, 9), (2, 2, 1)):
        aa, ba = _rand(a_batch, rows, 12), _rand(b_batch, 10, 12)
        np.testing.assert_allclose(vm.run(aa, ba).numpy(), aa @ ba.transpose(0, 2, 1), rtol=1e-5, atol=1e-4)


def test_vectorize_loop_widened_int_ramp_stays_a_ramp():
    """An int32 loop index cast to int64 (the addresses of kernels with int64 extents) vectorises
    into a contiguous int64 ramp, not a cast vector (which LLVM emits as a gather/scatter)."""
    i = tvm.tir.Var("i", "int32")
    buf = tvm.tir.decl_buffer((64,), "float32", name="A")
    index = tvm.tir.Cast("int64", i) * tvm.tir.IntImm("int64", 2) + tvm.tir.IntImm("int64", 8)
    store = tvm.tir.BufferStore(buf, tvm.tir.FloatImm("float32", 1.0), [index])
    loop = tvm.tir.For(i, 0, 16, tvm.tir.ForKind.VECTORIZED, store)
    func = tvm.tir.PrimFunc([buf.data], loop).with_attr("global_symbol", "f")
    text = str(tvm.tir.transform.VectorizeLoop()(tvm.IRModule({"f": func})))
    assert "A_1[T.Ramp(T.int64(8), T.int64(2), 16)] = T.Broadcast(T.float32(1.0), 16)" in text, text
    assert "int64x16" not in text


def test_injective_symbolic_inner_axis_shorter_than_a_vector():
    """strided_slice(x[?, ?], end 7) has the inner extent min(n, 7): provably under a vector, so
    it is not split into vectors (the inner loop would have a symbolic extent)."""
    x = relay.var("x", shape=(relay.Any(), relay.Any()))
    _, vm = _vm(relay.Function([x], relay.strided_slice(x, begin=[0, 0], end=[5, 7]) * relay.const(2.0)))
    for shape in ((3, 4), (6, 9)):
        xa = _rand(*shape)
        np.testing.assert_allclose(vm.run(xa).numpy(), xa[:5, :7] * 2.0, rtol=1e-6)
