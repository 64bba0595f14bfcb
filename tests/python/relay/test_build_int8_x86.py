# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.build of int8 conv2d, dense and batch_matmul for x86 CPUs: the cpu strategies pick
the int8 implementations where the dtypes and the target's features allow, the code uses the
target's dot-product instructions, and the results are exact (numpy int64), fused ops included."""
import numpy as np
import pytest

import tvm
from tvm import relay, te
from tvm.contrib import graph_executor
from tvm.relay.op.strategy import x86
from tvm.target import Target, codegen

VNNI = "llvm -mcpu=cascadelake"
TARGETS = {
    "cascadelake": (VNNI, ["vpdpbusd"]),
    "skylake-avx512": ("llvm -mcpu=skylake-avx512", ["vpmaddubsw", "vpmaddwd", "vpaddd"]),
    "alderlake": ("llvm -mcpu=alderlake", ["{vex}\tvpdpbusd"]),
    "core-avx2": ("llvm -mcpu=core-avx2", ["vpmaddubsw", "vpmaddwd"]),
    "nehalem": ("llvm -mcpu=nehalem", ["pmaddubsw", "pmaddwd"]),
}
FAST_INT8 = ["vpdpbusd", "pmaddubsw"]


def _host_runs(target):
    features = [f for f in ("ssse3", "avx2", "avx512bw", "avx512vnni", "avxvnni")
                if codegen.llvm_cpu_has_features(f, Target(target))]
    return codegen.llvm_cpu_has_features(features, Target("llvm -mcpu=native"))


def _build(expr, target, params=None):
    mod = tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(expr), expr))
    with tvm.transform.PassContext(opt_level=3):
        return relay.build(mod, target=target, params=params)


def _run(lib, inputs):
    m = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    for name, value in inputs.items():
        m.set_input(name, value)
    m.run()
    return m.get_output(0).numpy()


def _values(rng, dtype, shape):
    lo, hi = (0, 256) if dtype == "uint8" else (-128, 128)
    v = rng.integers(lo, hi, shape).astype(dtype)
    flat = v.reshape(-1)
    flat[: flat.size // 4] = 255 if dtype == "uint8" else -128
    return v


def _best(strategy_fn, call, target):
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(call), call)))
    body = mod["main"].body
    inputs = [te.placeholder([int(d) for d in a.checked_type.shape], a.checked_type.dtype) for a in body.args]
    with Target(target) as t:
        return strategy_fn(body.attrs, inputs, body.checked_type, t).best().name


# ---------------------------------------------------------------- strategy choice
def test_strategies_choose_int8_where_the_target_allows():
    def conv(dd, wd="int8", layout="NCHW", groups=1, out_dtype="int32"):
        shape = (1, 8, 6, 6) if layout == "NCHW" else (1, 6, 6, 8)
        wshape = (16, 8 // groups, 3, 3) if layout == "NCHW" else (3, 3, 8 // groups, 16)
        return relay.nn.conv2d(relay.var("x", shape=shape, dtype=dd), relay.var("w", shape=wshape, dtype=wd),
                               kernel_size=(3, 3), channels=16, groups=groups, data_layout=layout,
                               kernel_layout="OIHW" if layout == "NCHW" else "HWIO", out_dtype=out_dtype)

    cs = x86.conv2d_strategy_cpu
    assert _best(cs, conv("uint8"), VNNI) == "conv2d_nchw_int8.x86"
    assert _best(cs, conv("int8"), VNNI) == "conv2d_nchw_int8.x86"
    assert _best(cs, conv("int8"), "llvm -mcpu=nehalem") == "conv2d_nchw_int8.x86"
    # SSE2 only: the same packed compute, vectorized by LLVM
    assert _best(cs, conv("uint8"), "llvm -mcpu=x86-64") == "conv2d_nchw_int8.x86"
    assert _best(cs, conv("uint8", "uint8"), VNNI) == "conv2d.generic"
    assert _best(cs, conv("float32", "float32", out_dtype="float32"), VNNI) == "conv2d_nchw.x86"  # float32: its own
    assert _best(cs, conv("uint8", out_dtype="int16"), VNNI) == "conv2d.generic"
    assert _best(cs, conv("uint8", groups=2), VNNI) == "conv2d.generic"
    assert _best(cs, conv("uint8", layout="NHWC"), VNNI) == "conv2d.generic"
    assert _best(cs, conv("uint8"), "llvm -mtriple=aarch64-linux-gnu") == "conv2d.generic"

    def dense(dd, wd="int8", shape=(4, 8)):
        return relay.nn.dense(relay.var("x", shape=shape, dtype=dd), relay.var("w", shape=(16, 8), dtype=wd),
                              out_dtype="int32")

    ds = x86.dense_strategy_cpu
    assert _best(ds, dense("uint8"), VNNI) == "dense_int8.x86"
    assert _best(ds, dense("int8"), "llvm -mcpu=core-avx2") == "dense_int8.x86"
    assert _best(ds, dense("uint8"), "llvm -mcpu=x86-64") == "dense.generic"
    assert _best(ds, dense("uint8", "uint8"), VNNI) == "dense.generic"
    assert _best(ds, dense("uint8", shape=(2, 4, 8)), VNNI) == "dense_int8.x86"

    def bmm(dd, transpose_b=True):
        y_shape = (2, 16, 8) if transpose_b else (2, 8, 16)
        return relay.nn.batch_matmul(relay.var("x", shape=(2, 4, 8), dtype=dd),
                                     relay.var("y", shape=y_shape, dtype="int8"), out_dtype="int32",
                                     transpose_b=transpose_b)

    bs = x86.batch_matmul_strategy_cpu
    assert _best(bs, bmm("int8"), VNNI) == "batch_matmul_int8.x86"
    assert _best(bs, bmm("uint8", transpose_b=False), VNNI) == "batch_matmul.generic"


# ---------------------------------------------------------------- conv2d
CONV_CASES = [
    # data shape, out channels, kernel, strides, padding, dilation
    ((1, 17, 12, 13), 29, (3, 3), (1, 1), (0, 0, 0, 1), (1, 1)),
    ((1, 6, 10, 9), 8, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1)),
    ((2, 3, 11, 11), 20, (5, 3), (2, 1), (2, 1, 2, 1), (1, 2)),
]


def conv2d_reference(data, kernel, strides, padding, dilation):
    top, left, bottom, right = padding
    padded = np.pad(data.astype("int64"), ((0, 0), (0, 0), (top, bottom), (left, right)))
    _, _, height, width = padded.shape
    _, _, kh, kw = kernel.shape
    (sh, sw), (dh, dw) = strides, dilation
    oh, ow = (height - (kh - 1) * dh - 1) // sh + 1, (width - (kw - 1) * dw - 1) // sw + 1
    out = 0
    for y in range(kh):
        for x in range(kw):
            window = padded[:, :, y * dh: y * dh + (oh - 1) * sh + 1: sh, x * dw: x * dw + (ow - 1) * sw + 1: sw]
            out = out + np.einsum("nchw,oc->nohw", window, kernel[:, :, y, x].astype("int64"))
    return out


@pytest.mark.parametrize("cpu", list(TARGETS))
@pytest.mark.parametrize("data_dtype", ["uint8", "int8"])
@pytest.mark.parametrize("case", CONV_CASES, ids=["odd_channels", "narrow_out", "strided_dilated"])
def test_conv2d_int8_bias_relu(cpu, data_dtype, case):
    target, instrs = TARGETS[cpu]
    dshape, channels, ksize, strides, padding, dilation = case
    wshape = (channels, dshape[1]) + ksize
    x = relay.var("x", shape=dshape, dtype=data_dtype)
    w = relay.var("w", shape=wshape, dtype="int8")
    b = relay.var("b", shape=(channels,), dtype="int32")
    y = relay.nn.conv2d(x, w, strides=strides, padding=padding, dilation=dilation, kernel_size=ksize,
                        channels=channels, out_dtype="int32")
    y = relay.nn.relu(relay.nn.bias_add(y, b))
    rng = np.random.default_rng(channels)
    w_np = _values(rng, "int8", wshape)
    b_np = rng.integers(-30000, 30000, channels).astype("int32")
    # The weights as constants (params), as a quantized model has them.
    lib = _build(y, target, params={"w": w_np})
    asm = lib.lib.get_source("asm")
    for instr in instrs:
        assert instr in asm
    if not _host_runs(target):
        pytest.skip(f"this CPU cannot run {target}")
    x_np = _values(rng, data_dtype, dshape)
    out = _run(lib, {"x": x_np, "b": b_np})
    ref = np.maximum(conv2d_reference(x_np, w_np, strides, padding, dilation) + b_np.reshape(1, -1, 1, 1), 0)
    np.testing.assert_array_equal(out, ref)


def test_conv2d_uint8_uint8_stays_generic_and_exact():
    dshape, wshape = (1, 8, 10, 10), (16, 8, 3, 3)
    x = relay.var("x", shape=dshape, dtype="uint8")
    w = relay.var("w", shape=wshape, dtype="uint8")
    y = relay.nn.conv2d(x, w, kernel_size=(3, 3), channels=16, padding=(1, 1), out_dtype="int32")
    lib = _build(y, VNNI)
    asm = lib.lib.get_source("asm")
    assert not any(instr in asm for instr in FAST_INT8)
    rng = np.random.default_rng(3)
    x_np, w_np = _values(rng, "uint8", dshape), _values(rng, "uint8", wshape)
    out = _run(lib, {"x": x_np, "w": w_np})
    np.testing.assert_array_equal(out, conv2d_reference(x_np, w_np, (1, 1), (1, 1, 1, 1), (1, 1)))


def test_conv2d_int8_then_cast_and_requantize():
    # What a quantized network fuses after a convolution: bias, a right shift, clip and cast to int8.
    dshape, wshape = (1, 16, 8, 8), (32, 16, 3, 3)
    x = relay.var("x", shape=dshape, dtype="int8")
    w = relay.var("w", shape=wshape, dtype="int8")
    y = relay.nn.conv2d(x, w, kernel_size=(3, 3), channels=32, padding=(1, 1), out_dtype="int32")
    y = relay.right_shift(relay.add(y, relay.const(64, "int32")), relay.const(7, "int32"))
    y = relay.cast(relay.clip(y, -128, 127), "int8")
    rng = np.random.default_rng(4)
    x_np, w_np = _values(rng, "int8", dshape), _values(rng, "int8", wshape)
    lib = _build(y, VNNI, params={"w": w_np})
    assert "vpdpbusd" in lib.lib.get_source("asm")
    if not _host_runs(VNNI):
        pytest.skip("this CPU has no AVX-512 VNNI")
    out = _run(lib, {"x": x_np})
    ref = np.clip((conv2d_reference(x_np, w_np, (1, 1), (1, 1, 1, 1), (1, 1)) + 64) >> 7, -128, 127).astype("int8")
    assert out.dtype == np.int8
    np.testing.assert_array_equal(out, ref)


# ---------------------------------------------------------------- dense / batch_matmul
@pytest.mark.parametrize("cpu", list(TARGETS))
@pytest.mark.parametrize("data_dtype", ["uint8", "int8"])
@pytest.mark.parametrize("m,n,k", [(32, 128, 96), (17, 129, 97), (1, 10, 3)])
def test_dense_int8_bias(cpu, data_dtype, m, n, k):
    target, instrs = TARGETS[cpu]
    x = relay.var("x", shape=(m, k), dtype=data_dtype)
    w = relay.var("w", shape=(n, k), dtype="int8")
    b = relay.var("b", shape=(n,), dtype="int32")
    y = relay.nn.relu(relay.nn.bias_add(relay.nn.dense(x, w, out_dtype="int32"), b))
    lib = _build(y, target)
    asm = lib.lib.get_source("asm")
    for instr in instrs:
        assert instr in asm
    if not _host_runs(target):
        pytest.skip(f"this CPU cannot run {target}")
    rng = np.random.default_rng(m + n + k)
    x_np, w_np = _values(rng, data_dtype, (m, k)), _values(rng, "int8", (n, k))
    b_np = rng.integers(-30000, 30000, n).astype("int32")
    out = _run(lib, {"x": x_np, "w": w_np, "b": b_np})
    np.testing.assert_array_equal(out, np.maximum(x_np.astype("int64") @ w_np.astype("int64").T + b_np, 0))


@pytest.mark.parametrize("data_shape", [(2, 7, 24), (2, 1, 3, 40)])
def test_dense_int8_leading_dimensions(data_shape):
    # Relay's dense takes data of any rank: (batch, sequence, features) in a transformer.
    n = 48
    x = relay.var("x", shape=data_shape, dtype="int8")
    w = relay.var("w", shape=(n, data_shape[-1]), dtype="int8")
    y = relay.nn.relu(relay.nn.bias_add(relay.nn.dense(x, w, out_dtype="int32"), relay.var("b", shape=(n,),
                                                                                          dtype="int32"), axis=-1))
    lib = _build(y, VNNI)
    assert "vpdpbusd" in lib.lib.get_source("asm")
    if not _host_runs(VNNI):
        pytest.skip("this CPU has no AVX-512 VNNI")
    rng = np.random.default_rng(5)
    x_np, w_np = _values(rng, "int8", data_shape), _values(rng, "int8", (n, data_shape[-1]))
    b_np = rng.integers(-30000, 30000, n).astype("int32")
    out = _run(lib, {"x": x_np, "w": w_np, "b": b_np})
    np.testing.assert_array_equal(out, np.maximum(x_np.astype("int64") @ w_np.astype("int64").T + b_np, 0))


@pytest.mark.parametrize("cpu", ["cascadelake", "skylake-avx512"])
@pytest.mark.parametrize("data_dtype", ["uint8", "int8"])
@pytest.mark.parametrize("bx,by,m,n,k", [(4, 4, 16, 32, 64), (3, 3, 5, 129, 97), (1, 2, 8, 16, 8)])
def test_batch_matmul_int8_add(cpu, data_dtype, bx, by, m, n, k):
    target, instrs = TARGETS[cpu]
    batch = max(bx, by)
    x = relay.var("x", shape=(bx, m, k), dtype=data_dtype)
    y = relay.var("y", shape=(by, n, k), dtype="int8")
    z = relay.var("z", shape=(batch, m, n), dtype="int32")
    lib = _build(relay.nn.batch_matmul(x, y, out_dtype="int32") + z, target)
    asm = lib.lib.get_source("asm")
    for instr in instrs:
        assert instr in asm
    if not _host_runs(target):
        pytest.skip(f"this CPU cannot run {target}")
    rng = np.random.default_rng(bx + m + n + k)
    x_np, y_np = _values(rng, data_dtype, (bx, m, k)), _values(rng, "int8", (by, n, k))
    z_np = rng.integers(-30000, 30000, (batch, m, n)).astype("int32")
    out = _run(lib, {"x": x_np, "y": y_np, "z": z_np})
    ref = np.matmul(x_np.astype("int64"), y_np.astype("int64").transpose(0, 2, 1)) + z_np
    np.testing.assert_array_equal(out, ref)
