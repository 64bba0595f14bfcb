# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""x86 int8 dot-product tensor intrinsics for tensorize.

Each intrinsic computes, for one uint8 data[4] and an int8 kernel[16][4] (16 rows of 4,
contiguous), out[16] (+)= sum_k data[k] * kernel[i][k] in int32, exactly:

- cascadelake (avx512vnni): one vpdpbusd on a zmm register; alderlake (avxvnni, no AVX-512):
  two on ymm registers;
- skylake-avx512 (avx512bw), core-avx2 (avx2), nehalem (ssse3): pmaddubsw then pmaddwd, on
  one zmm, two ymm or four xmm registers.

pmaddubsw adds two u8*s8 products into an int16 with saturation: 255*(-128)*2 does not fit, so
the data bytes are split as x = 2*(x >> 1) + (x & 1). With x >> 1 <= 127 every pair sum of the
high halves fits int16 (|127*128*2| = 32512), the low halves are 0/1 and fit too, and pmaddwd
widens both to int32 (the high halves times 2). The result is exact for every input.

The kernel is expected packed as [..., 16, 4] so that one intrinsic call reads 64 contiguous
bytes, and the data as 4 contiguous bytes (a reduction split by 4 innermost).
"""
from ... import te, tir
from ...target.codegen import target_has_features

# Per vector width (in bytes): the types and the LLVM intrinsics of pmaddubsw and pmaddwd.
_PMADD = {
    16: ("int8x16", "int16x8", "int32x4", "llvm.x86.ssse3.pmadd.ub.sw.128", "llvm.x86.sse2.pmadd.wd"),
    32: ("int8x32", "int16x16", "int32x8", "llvm.x86.avx2.pmadd.ub.sw", "llvm.x86.avx2.pmadd.wd"),
    64: ("int8x64", "int16x32", "int32x16", "llvm.x86.avx512.pmaddubs.w.512", "llvm.x86.avx512.pmaddw.d.512"),
}

INT32_LANES = 16  # outputs per intrinsic call
INT8_REDUCTION = 4  # data bytes per intrinsic call


def is_int8_hw_support(data_dtype, kernel_dtype, target=None):
    """Whether the target has a fast int8 dot product for these operand types: uint8 or int8
    data (int8 is shifted to uint8 by the computes) times int8 weights, on an x86 CPU with
    SSSE3 at least."""
    return (data_dtype in ("uint8", "int8") and kernel_dtype == "int8"
            and target_has_features("ssse3", target))


def _declare(name, implement):
    data = te.placeholder((INT8_REDUCTION,), dtype="uint8", name="data")
    kernel = te.placeholder((INT32_LANES, INT8_REDUCTION), dtype="int8", name="kernel")
    k = te.reduce_axis((0, INT8_REDUCTION), name="k")
    out = te.compute(
        (INT32_LANES,),
        lambda i: te.sum(data[k].astype("int32") * kernel[i, k].astype("int32"), axis=k),
        name="out",
    )
    # Compact buffers: tensorize checks that the matched regions are contiguous.
    binds = {
        data: tir.decl_buffer(data.shape, "uint8", name="data_buf", offset_factor=1),
        kernel: tir.decl_buffer(kernel.shape, "int8", name="kernel_buf", offset_factor=1),
        out: tir.decl_buffer(out.shape, "int32", name="out_buf", offset_factor=1),
    }

    def intrin_func(ins, outs):
        data_buf, kernel_buf = ins
        out_buf = outs[0]

        def emit(kind):
            # kind: "body" (out = dot), "reset" (out = 0) or "update" (out += dot)
            ib = tir.ir_builder.create()
            if kind == "reset":
                ib.emit(out_buf.vstore([0], tir.const(0, f"int32x{INT32_LANES}")))
                return ib.get()
            # The 4 data bytes as one int32, to be broadcast to every group of 4 kernel bytes.
            word = tir.call_intrin("int32", "tir.reinterpret", data_buf.vload([0], "uint8x4"))
            for stmt in implement(word, kernel_buf, out_buf, kind == "update"):
                ib.emit(stmt)
            return ib.get()

        return emit("body"), emit("reset"), emit("update")

    return te.decl_tensor_intrin(out.op, intrin_func, name=name, binds=binds)


def _broadcast_bytes(word, nbytes):
    """The int32 `word` repeated to fill nbytes, as int8 lanes (for pmaddubsw / vpdpbusd)."""
    return tir.call_intrin(f"int8x{nbytes}", "tir.reinterpret", tir.Broadcast(word, nbytes // 4))


def dot_16x1x16_uint8_int8_int32_cascadelake():
    """out[16] (+)= data[4] . kernel[16][4] with one AVX-512 VNNI vpdpbusd (no saturation)."""

    def implement(word, kernel_buf, out_buf, accumulate):
        acc = out_buf.vload([0], "int32x16") if accumulate else tir.const(0, "int32x16")
        data = tir.Broadcast(word, 16)
        kernel = tir.call_intrin("int32x16", "tir.reinterpret", kernel_buf.vload([0, 0], "int8x64"))
        dot = tir.call_llvm_pure_intrin("int32x16", "llvm.x86.avx512.vpdpbusd.512", tir.const(3, "uint32"),
                                        acc, data, kernel)
        return [out_buf.vstore([0], dot)]

    return _declare("dot_16x1x16_uint8_int8_int32_cascadelake", implement)


def dot_16x1x16_uint8_int8_int32_avxvnni():
    """out[16] (+)= data[4] . kernel[16][4] with two 256-bit vpdpbusd (AVX-VNNI, as on Alder
    Lake: the VNNI dot product without AVX-512)."""

    def implement(word, kernel_buf, out_buf, accumulate):
        data = tir.Broadcast(word, 8)
        stmts = []
        for chunk in range(2):
            acc = out_buf.vload([chunk * 8], "int32x8") if accumulate else tir.const(0, "int32x8")
            kernel = tir.call_intrin("int32x8", "tir.reinterpret", kernel_buf.vload([chunk * 8, 0], "int8x32"))
            dot = tir.call_llvm_pure_intrin("int32x8", "llvm.x86.avx512.vpdpbusd.256", tir.const(3, "uint32"),
                                            acc, data, kernel)
            stmts.append(out_buf.vstore([chunk * 8], dot))
        return stmts

    return _declare("dot_16x1x16_uint8_int8_int32_avxvnni", implement)


def _dot_pmadd(width):
    """The exact pmaddubsw + pmaddwd dot product on vectors of `width` bytes."""
    int8_t, int16_t, int32_t, pmaddubs, pmaddw = _PMADD[width]
    lanes32 = width // 4

    def implement(word, kernel_buf, out_buf, accumulate):
        # x = 2 * (x >> 1) + (x & 1) in every byte (the masks keep bytes apart).
        high = _broadcast_bytes(tir.bitwise_and(tir.shift_right(word, 1), tir.const(0x7F7F7F7F, "int32")), width)
        low = _broadcast_bytes(tir.bitwise_and(word, tir.const(0x01010101, "int32")), width)
        twos = tir.const(2, int16_t)
        ones = tir.const(1, int16_t)
        stmts = []
        for chunk in range(INT32_LANES // lanes32):
            kernel = kernel_buf.vload([chunk * lanes32, 0], int8_t)
            pair_high = tir.call_llvm_pure_intrin(int16_t, pmaddubs, tir.const(2, "uint32"), high, kernel)
            pair_low = tir.call_llvm_pure_intrin(int16_t, pmaddubs, tir.const(2, "uint32"), low, kernel)
            dot = (tir.call_llvm_pure_intrin(int32_t, pmaddw, tir.const(2, "uint32"), pair_high, twos)
                   + tir.call_llvm_pure_intrin(int32_t, pmaddw, tir.const(2, "uint32"), pair_low, ones))
            if accumulate:
                dot = dot + out_buf.vload([chunk * lanes32], int32_t)
            stmts.append(out_buf.vstore([chunk * lanes32], dot))
        return stmts

    return implement


def dot_16x1x16_uint8_int8_int32_skylake():
    """out[16] (+)= data[4] . kernel[16][4] with AVX-512BW pmaddubsw/pmaddwd on one zmm, exact."""
    return _declare("dot_16x1x16_uint8_int8_int32_skylake", _dot_pmadd(64))


def dot_16x1x16_uint8_int8_int32_avx2():
    """The same with AVX2 on two ymm registers."""
    return _declare("dot_16x1x16_uint8_int8_int32_avx2", _dot_pmadd(32))


def dot_16x1x16_uint8_int8_int32_ssse3():
    """The same with SSSE3 on four xmm registers."""
    return _declare("dot_16x1x16_uint8_int8_int32_ssse3", _dot_pmadd(16))


def dot_16x1x16_uint8_int8_int32(target=None):
    """The fastest exact variant for the target (default: the current one)."""
    if target_has_features("avx512vnni", target):
        return dot_16x1x16_uint8_int8_int32_cascadelake()
    if target_has_features(["avx512bw", "avx512f"], target):
        return dot_16x1x16_uint8_int8_int32_skylake()
    if target_has_features("avxvnni", target):
        return dot_16x1x16_uint8_int8_int32_avxvnni()
    if target_has_features("avx2", target):
        return dot_16x1x16_uint8_int8_int32_avx2()
    if target_has_features("ssse3", target):
        return dot_16x1x16_uint8_int8_int32_ssse3()
    raise ValueError("dot_16x1x16_uint8_int8_int32: the target has no SSSE3 (pmaddubsw), so no fast int8 dot "
                     f"product: {target if target is not None else 'the current target'}")
