# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""topi.x86 int8: the dot-product tensor intrinsics, dense_int8, batch_matmul_int8 and
conv2d_nchw_int8, for each x86 CPU generation.

Every numeric check is exact equality with numpy's int64 result, with operands at the extremes
(uint8 255 and int8 -128/127, where a saturating pmaddubsw would be wrong). Each target's code is
built cross-CPU and its assembly checked; it runs where this host's CPU has the features.
"""
import numpy as np
import pytest

import tvm
from tvm import te, tir, topi
from tvm.target import Target, codegen
from tvm.topi.x86 import tensor_intrin
from tvm.topi.x86.conv2d_int8 import choose_width_block

# target, what its int8 code must contain, what it must not
TARGETS = {
    "cascadelake": ("llvm -mcpu=cascadelake", ["vpdpbusd"], ["pmaddubsw"]),
    "skylake-avx512": ("llvm -mcpu=skylake-avx512", ["vpmaddubsw", "vpmaddwd", "vpaddd", "zmm"], ["vpdpbusd"]),
    "alderlake": ("llvm -mcpu=alderlake", ["{vex}\tvpdpbusd", "ymm"], ["zmm", "pmaddubsw"]),  # AVX-VNNI
    "core-avx2": ("llvm -mcpu=core-avx2", ["vpmaddubsw", "vpmaddwd", "ymm"], ["vpdpbusd", "zmm"]),
    "nehalem": ("llvm -mcpu=nehalem", ["pmaddubsw", "pmaddwd", "paddd"], ["vpdpbusd", "ymm", "zmm"]),
}
# Without SSSE3 the same computes are vectorized by LLVM (SSE2's pmaddwd / pmullw).
FALLBACK = ("llvm -mcpu=x86-64", [], ["pmaddubsw", "vpdpbusd"])


def _host_runs(target):
    features = [f for f in ("ssse3", "avx2", "avx512bw", "avx512vnni", "avxvnni")
                if codegen.llvm_cpu_has_features(f, Target(target))]
    return codegen.llvm_cpu_has_features(features, Target("llvm -mcpu=native"))


def _check_asm(f, must, must_not):
    asm = f.get_source("asm")
    for instr in must:
        assert instr in asm, f"{instr} missing"
    for instr in must_not:
        assert instr not in asm, f"{instr} unexpected"


def _operands(rng, data_dtype, data_shape, weight_shape):
    lo, hi = (0, 256) if data_dtype == "uint8" else (-128, 128)
    data = rng.integers(lo, hi, data_shape).astype(data_dtype)
    weight = rng.integers(-128, 128, weight_shape).astype("int8")
    # The worst case for int16 pair sums: the largest data magnitude against -128 (and 127).
    flat_data, flat_weight = data.reshape(-1), weight.reshape(-1)
    flat_data[: flat_data.size // 3] = 255 if data_dtype == "uint8" else -128
    flat_weight[: flat_weight.size // 3] = -128
    flat_weight[flat_weight.size // 3: flat_weight.size // 2] = 127
    return data, weight


TARGET_PARAMS = [pytest.param(*v, id=k) for k, v in TARGETS.items()]


# ---------------------------------------------------------------- intrinsics
INTRINSICS = {
    "cascadelake": tensor_intrin.dot_16x1x16_uint8_int8_int32_cascadelake,
    "skylake-avx512": tensor_intrin.dot_16x1x16_uint8_int8_int32_skylake,
    "alderlake": tensor_intrin.dot_16x1x16_uint8_int8_int32_avxvnni,
    "core-avx2": tensor_intrin.dot_16x1x16_uint8_int8_int32_avx2,
    "nehalem": tensor_intrin.dot_16x1x16_uint8_int8_int32_ssse3,
}


@pytest.mark.parametrize("cpu", list(INTRINSICS))
def test_intrinsic_is_exact_at_the_extremes(cpu):
    target, must, must_not = TARGETS[cpu]
    m, n, k = 3, 32, 24
    data = te.placeholder((m, k), "uint8", name="data")
    packed = te.placeholder((n // 16, k // 4, 16, 4), "int8", name="packed")
    r = te.reduce_axis((0, k), name="r")
    out = te.compute((m, n), lambda i, j: te.sum(
        data[i, r].astype("int32") * packed[j // 16, r // 4, j % 16, r % 4].astype("int32"), axis=r), name="out")
    s = te.create_schedule(out.op)
    jo, ji = s[out].split(out.op.axis[1], factor=16)
    ro, ri = s[out].split(r, factor=4)
    s[out].reorder(out.op.axis[0], jo, ro, ji, ri)
    s[out].tensorize(ji, INTRINSICS[cpu]())
    f = tvm.build(s, [data, packed, out], target)
    _check_asm(f, must, must_not)
    if not _host_runs(target):
        pytest.skip(f"this CPU cannot run {target}")
    cases = [
        (np.full((m, k), 255, "uint8"), np.full((n, k), -128, "int8")),  # -65280 per pair in int16: saturates
        (np.full((m, k), 255, "uint8"), np.full((n, k), 127, "int8")),
        (np.full((m, k), 254, "uint8"), np.full((n, k), -128, "int8")),
        _operands(np.random.default_rng(1), "uint8", (m, k), (n, k)),
    ]
    for x, w in cases:
        w_packed = w.reshape(n // 16, 16, k // 4, 4).transpose(0, 2, 1, 3).copy()
        o = tvm.nd.array(np.zeros((m, n), "int32"))
        f(tvm.nd.array(x), tvm.nd.array(w_packed), o)
        np.testing.assert_array_equal(o.numpy(), x.astype("int64") @ w.astype("int64").T)


def test_intrinsic_dispatch_follows_the_target():
    names = {
        "llvm -mcpu=cascadelake": "cascadelake",
        "llvm -mcpu=skylake-avx512": "skylake",
        "llvm -mcpu=alderlake": "avxvnni",
        "llvm -mcpu=core-avx2": "avx2",
        "llvm -mcpu=nehalem": "ssse3",
    }
    for target, suffix in names.items():
        with Target(target):
            assert tensor_intrin.dot_16x1x16_uint8_int8_int32().name.endswith(suffix)
        assert tensor_intrin.dot_16x1x16_uint8_int8_int32(Target(target)).name.endswith(suffix)
    with pytest.raises(ValueError, match="no SSSE3"):
        tensor_intrin.dot_16x1x16_uint8_int8_int32(Target("llvm -mcpu=x86-64"))


def test_is_int8_hw_support():
    vnni = Target("llvm -mcpu=cascadelake")
    assert topi.x86.is_int8_hw_support("uint8", "int8", vnni)
    assert topi.x86.is_int8_hw_support("int8", "int8", vnni)
    assert not topi.x86.is_int8_hw_support("uint8", "uint8", vnni)
    assert not topi.x86.is_int8_hw_support("float32", "int8", vnni)
    assert topi.x86.is_int8_hw_support("uint8", "int8", Target("llvm -mcpu=nehalem"))
    assert not topi.x86.is_int8_hw_support("uint8", "int8", Target("llvm -mcpu=x86-64"))


def test_call_llvm_intrin_operand_types_are_checked():
    a = te.placeholder((16,), "int32", name="a")
    # vpdpbusd.512 takes <16 x i32> operands; int8x64 ones must be reinterpreted first.
    b = te.compute((16,), lambda i: a[i], name="b")

    def bad(ins, outs):
        ib = tir.ir_builder.create()
        wrong = tir.call_intrin("int8x64", "tir.reinterpret", ins[0].vload([0], "int32x16"))
        acc = ins[0].vload([0], "int32x16")
        ib.emit(outs[0].vstore([0], tir.call_llvm_pure_intrin("int32x16", "llvm.x86.avx512.vpdpbusd.512",
                                                              tir.const(3, "uint32"), acc, wrong, acc)))
        return ib.get()

    intrin = te.decl_tensor_intrin(b.op, bad, name="bad")
    s = te.create_schedule(b.op)
    s[b].tensorize(b.op.axis[0], intrin)
    with pytest.raises(TypeError, match=r"operand 1 of llvm.x86.avx512.vpdpbusd.512 must be <16 x i32>, got <64 x i8>"):
        tvm.build(s, [a, b], "llvm -mcpu=cascadelake")


# ---------------------------------------------------------------- dense / batch_matmul
def _build_dense(target, m, n, k, data_dtype, bias, relu):
    data = te.placeholder((m, k), data_dtype, name="data")
    weight = te.placeholder((n, k), "int8", name="weight")
    b = te.placeholder((n,), "int32", name="bias")
    with Target(target):
        out = topi.x86.dense_int8(data, weight, b if bias else None)
        if relu:
            out = topi.nn.relu(out)
        s = topi.x86.schedule_dense_int8([out])
    return tvm.build(s, [data, weight, b, out], target)


@pytest.mark.parametrize("target,must,must_not", TARGET_PARAMS + [pytest.param(*FALLBACK, id="x86-64")])
@pytest.mark.parametrize("data_dtype", ["uint8", "int8"])
@pytest.mark.parametrize("m,n,k,bias,relu", [
    (32, 128, 96, False, False),
    (32, 129, 97, True, True),   # n and k not multiples of 16 and 4
    (7, 40, 10, True, False),    # rows not a multiple of the row tile
    (1, 16, 4, False, True),     # one row, one block
    (3, 5, 6, True, False),      # fewer than 16 columns: the sums at the root
])
def test_dense_int8(target, must, must_not, data_dtype, m, n, k, bias, relu):
    f = _build_dense(target, m, n, k, data_dtype, bias, relu)
    _check_asm(f, must, must_not)
    if not _host_runs(target):
        pytest.skip(f"this CPU cannot run {target}")
    rng = np.random.default_rng(m * 1000 + n + k)
    x, w = _operands(rng, data_dtype, (m, k), (n, k))
    b = rng.integers(-5000, 5000, n).astype("int32")
    ref = x.astype("int64") @ w.astype("int64").T + (b if bias else 0)
    if relu:
        ref = np.maximum(ref, 0)
    o = tvm.nd.array(np.zeros((m, n), "int32"))
    f(tvm.nd.array(x), tvm.nd.array(w), tvm.nd.array(b), o)
    np.testing.assert_array_equal(o.numpy(), ref)


@pytest.mark.parametrize("target,must,must_not", [TARGET_PARAMS[0], TARGET_PARAMS[4]])
@pytest.mark.parametrize("shape", [(2, 6, 40), (3, 1, 5, 17)])
def test_dense_int8_leading_dimensions(target, must, must_not, shape):
    n = 33
    data = te.placeholder(shape, "int8", name="data")
    weight = te.placeholder((n, shape[-1]), "int8", name="weight")
    bias = te.placeholder((n,), "int32", name="bias")
    with Target(target):
        out = topi.nn.relu(topi.x86.dense_int8(data, weight, bias))
        s = topi.x86.schedule_dense_int8([out])
    f = tvm.build(s, [data, weight, bias, out], target)
    _check_asm(f, must, must_not)
    if not _host_runs(target):
        pytest.skip(f"this CPU cannot run {target}")
    rng = np.random.default_rng(len(shape))
    x, w = _operands(rng, "int8", shape, (n, shape[-1]))
    b = rng.integers(-5000, 5000, n).astype("int32")
    o = tvm.nd.array(np.zeros(shape[:-1] + (n,), "int32"))
    f(tvm.nd.array(x), tvm.nd.array(w), tvm.nd.array(b), o)
    np.testing.assert_array_equal(o.numpy(), np.maximum(x.astype("int64") @ w.astype("int64").T + b, 0))


@pytest.mark.parametrize("target,must,must_not", [TARGET_PARAMS[0], TARGET_PARAMS[1]])
@pytest.mark.parametrize("data_dtype", ["uint8", "int8"])
@pytest.mark.parametrize("xb,yb,m,n,k", [(4, 4, 8, 32, 16), (3, 3, 5, 33, 9), (1, 3, 4, 16, 8), (2, 1, 4, 20, 12),
                                         (2, 2, 3, 7, 5)])
def test_batch_matmul_int8(target, must, must_not, data_dtype, xb, yb, m, n, k):
    x = te.placeholder((xb, m, k), data_dtype, name="x")
    y = te.placeholder((yb, n, k), "int8", name="y")
    with Target(target):
        out = topi.x86.batch_matmul_int8_compute(x, y)
        s = topi.x86.schedule_batch_matmul_int8([out])
    f = tvm.build(s, [x, y, out], target)
    _check_asm(f, must, must_not)
    if not _host_runs(target):
        pytest.skip(f"this CPU cannot run {target}")
    rng = np.random.default_rng(xb + yb + m + n + k)
    x_np, y_np = _operands(rng, data_dtype, (xb, m, k), (yb, n, k))
    ref = np.matmul(x_np.astype("int64"), y_np.astype("int64").transpose(0, 2, 1))
    o = tvm.nd.array(np.zeros(ref.shape, "int32"))
    f(tvm.nd.array(x_np), tvm.nd.array(y_np), o)
    np.testing.assert_array_equal(o.numpy(), ref)


# ---------------------------------------------------------------- conv2d
def conv2d_reference(data, kernel, strides, padding, dilation):
    """NCHW x OIHW in int64; padding (top, left, bottom, right) with zeros."""
    top, left, bottom, right = padding
    padded = np.pad(data.astype("int64"), ((0, 0), (0, 0), (top, bottom), (left, right)))
    n, _, height, width = padded.shape
    o, c, kh, kw = kernel.shape
    sh, sw = strides
    dh, dw = dilation
    oh = (height - (kh - 1) * dh - 1) // sh + 1
    ow = (width - (kw - 1) * dw - 1) // sw + 1
    out = np.zeros((n, o, oh, ow), "int64")
    for y in range(kh):
        for x in range(kw):
            window = padded[:, :, y * dh: y * dh + (oh - 1) * sh + 1: sh, x * dw: x * dw + (ow - 1) * sw + 1: sw]
            out += np.einsum("nchw,oc->nohw", window, kernel[:, :, y, x].astype("int64"))
    return out


CONV_CASES = [
    # data shape, out channels, kernel, strides, padding, dilation
    ((1, 17, 12, 13), 29, (3, 3), (1, 1), (0, 0, 0, 1), (1, 1)),  # odd channels both ways, asymmetric pad
    ((1, 8, 10, 10), 4, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1)),    # fewer than 16 output channels
    ((2, 3, 9, 11), 20, (3, 3), (2, 2), (1, 2, 1, 0), (1, 2)),    # strides, dilation, batch 2
    ((1, 4, 7, 7), 16, (1, 1), (1, 1), (0, 0, 0, 0), (1, 1)),     # 1x1
    ((1, 1, 6, 5), 16, (2, 3), (1, 1), (2, 1, 0, 3), (1, 1)),     # one input channel, wide padding
    ((1, 5, 8, 13), 60, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1)),    # a partial tile of 2 channel blocks
]


def _build_conv(target, case, data_dtype, fused):
    dshape, out_channels, ksize, strides, padding, dilation = case
    data = te.placeholder(dshape, data_dtype, name="data")
    kernel = te.placeholder((out_channels, dshape[1]) + ksize, "int8", name="kernel")
    bias = te.placeholder((1, out_channels, 1, 1), "int32", name="bias")
    with Target(target):
        out = topi.x86.conv2d_nchw_int8(data, kernel, strides, padding, dilation)
        if fused:
            out = topi.nn.relu(topi.add(out, bias))
        s = topi.x86.schedule_conv2d_nchw_int8([out])
    return tvm.build(s, [data, kernel, bias, out], target)


@pytest.mark.parametrize("target,must,must_not", TARGET_PARAMS + [pytest.param(*FALLBACK, id="x86-64")])
@pytest.mark.parametrize("data_dtype", ["uint8", "int8"])
@pytest.mark.parametrize("case", CONV_CASES, ids=[str(i) for i in range(len(CONV_CASES))])
def test_conv2d_nchw_int8(target, must, must_not, data_dtype, case):
    # bias + relu fused after every other case (and the other data type on the rest)
    fused = (CONV_CASES.index(case) + (data_dtype == "int8")) % 2 == 1
    f = _build_conv(target, case, data_dtype, fused)
    _check_asm(f, must, must_not)
    if not _host_runs(target):
        pytest.skip(f"this CPU cannot run {target}")
    dshape, out_channels, ksize, strides, padding, dilation = case
    rng = np.random.default_rng(sum(dshape) + out_channels)
    x, w = _operands(rng, data_dtype, dshape, (out_channels, dshape[1]) + ksize)
    b = rng.integers(-20000, 20000, (1, out_channels, 1, 1)).astype("int32")
    ref = conv2d_reference(x, w, strides, padding, dilation)
    if fused:
        ref = np.maximum(ref + b, 0)
    o = tvm.nd.array(np.zeros(ref.shape, "int32"))
    f(tvm.nd.array(x), tvm.nd.array(w), tvm.nd.array(b), o)
    np.testing.assert_array_equal(o.numpy(), ref)


def test_conv2d_int8_borders_of_int8_data():
    # All -128 data with a padding of 2: a border tap holds the true zero, not -128, so the
    # compensation must not assume every tap was shifted data.
    case = ((1, 5, 6, 6), 16, (3, 3), (1, 1), (2, 2, 2, 2), (1, 1))
    f = _build_conv("llvm -mcpu=cascadelake", case, "int8", False)
    if not _host_runs("llvm -mcpu=cascadelake"):
        pytest.skip("this CPU has no AVX-512 VNNI")
    x = np.full(case[0], -128, "int8")
    w = np.full((16, 5, 3, 3), 127, "int8")
    ref = conv2d_reference(x, w, (1, 1), (2, 2, 2, 2), (1, 1))
    o = tvm.nd.array(np.zeros(ref.shape, "int32"))
    f(tvm.nd.array(x), tvm.nd.array(w), tvm.nd.array(np.zeros((1, 16, 1, 1), "int32")), o)
    np.testing.assert_array_equal(o.numpy(), ref)


def _packed_weight(out):
    stack, seen = [out.op], set()
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        if op.tag == "int8_weight_packed":
            return op.output(0)
        stack.extend(t.op for t in op.input_tensors)
    return None


def test_weight_packing_follows_the_target():
    data = te.placeholder((1, 8, 6, 6), "uint8", name="data")
    kernel = te.placeholder((16, 8, 3, 3), "int8", name="kernel")
    x = te.placeholder((4, 8), "int8", name="x")
    w = te.placeholder((32, 8), "int8", name="w")
    for target, block in [("llvm -mcpu=cascadelake", (16, 4)), ("llvm -mcpu=nehalem", (16, 4)),
                          ("llvm -mcpu=x86-64", (4, 16))]:
        with Target(target):
            conv = topi.x86.conv2d_nchw_int8(data, kernel, (1, 1), (1, 1, 1, 1), (1, 1))
            dense = topi.x86.dense_int8(x, w)
        assert tuple(int(d) for d in _packed_weight(conv).shape) == (1, 2, 3, 3) + block
        assert tuple(int(d) for d in _packed_weight(dense).shape) == (2, 2) + block
    # Packed for the intrinsics, scheduled for a CPU without them: a clear error, not wrong code.
    with Target("llvm -mcpu=cascadelake"):
        dense = topi.x86.dense_int8(x, w)
    with Target("llvm -mcpu=x86-64"):
        with pytest.raises(ValueError, match="packed for the int8 dot-product intrinsics but the target .* no SSSE3"):
            topi.x86.schedule_dense_int8([dense])


def test_sse2_fallback_uses_vector_multiply_adds():
    f = _build_conv("llvm -mcpu=x86-64", CONV_CASES[0], "uint8", True)
    asm = f.get_source("asm")
    assert ("pmaddwd" in asm or "pmulhw" in asm) and "paddd" in asm


def test_width_block_choice():
    assert choose_width_block(56, 16) == 14  # divides
    assert choose_width_block(64, 16) == 16
    assert choose_width_block(63, 12) == 9   # 7 blocks of 9 rather than 6 of 12 with 9 columns wasted
    assert choose_width_block(13, 12) == 7   # one padded column, not 13 blocks of 1
    assert choose_width_block(7, 16) == 7
    assert choose_width_block(1, 16) == 1


# ---------------------------------------------------------------- errors
def test_errors_name_the_operands():
    f32 = te.placeholder((4, 8), "float32", name="x")
    w = te.placeholder((16, 8), "int8", name="w")
    with pytest.raises(TypeError, match=r"dense_int8: .* got float32 data \(4, 8\) and int8 weights \(16, 8\)"):
        topi.x86.dense_int8(f32, w)
    u8 = te.placeholder((4, 9), "uint8", name="x")
    with pytest.raises(ValueError, match=r"dense_int8: data \(4, 9\) has 9 columns but weight \(16, 8\) has 8"):
        topi.x86.dense_int8(u8, w)
    with pytest.raises(ValueError, match=r"dense_int8: data must be at least 2-d and the weight 2-d"):
        topi.x86.dense_int8(te.placeholder((8,), "uint8"), w)
    with pytest.raises(TypeError, match="produces int32, out_dtype was int16"):
        topi.x86.dense_int8(te.placeholder((4, 8), "uint8"), w, out_dtype="int16")
    x3 = te.placeholder((2, 4, 8), "uint8", name="x")
    y3 = te.placeholder((3, 16, 8), "int8", name="y")
    with pytest.raises(ValueError, match="batch sizes 2 and 3 differ"):
        topi.x86.batch_matmul_int8_compute(x3, y3)
    data = te.placeholder((1, 8, 5, 5), "uint8", name="data")
    kernel = te.placeholder((16, 4, 3, 3), "int8", name="kernel")
    with pytest.raises(ValueError, match=r"has 8 channels but the kernel \(16, 4, 3, 3\) takes 4"):
        topi.x86.conv2d_nchw_int8(data, kernel, (1, 1), (0, 0, 0, 0), (1, 1))
    kernel = te.placeholder((16, 8, 7, 7), "int8", name="kernel")
    with pytest.raises(ValueError, match="does not fit the padded data"):
        topi.x86.conv2d_nchw_int8(data, kernel, (1, 1), (0, 0, 0, 0), (1, 1))
