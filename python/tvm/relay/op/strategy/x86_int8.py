# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The x86 int8 implementations of conv2d, dense and batch_matmul (topi.x86 *_int8), added to
the cpu strategies when the call's types, layouts and the target allow them.

uint8 or int8 data times int8 weights into int32, on an x86 target: with SSSE3 or later the
computes tensorize on the exact dot-product intrinsics (vpdpbusd with AVX-512 VNNI, pmaddubsw +
pmaddwd otherwise); an x86 target without SSSE3 gets the same packed compute vectorized by LLVM
(conv2d only: its NCHW16c blocking still pays there). plevel 20 puts them above the generic 10.
"""
from .... import topi
from ....target.codegen import target_has_features
from .generic import wrap_topi_schedule

INT8_PLEVEL = 20


def _is_x86(target):
    return target.kind.name == "llvm" and target_has_features("sse2", target)


def _int8_types(data, weight, out_type):
    return data.dtype in ("uint8", "int8") and weight.dtype == "int8" and out_type.dtype == "int32"


def _static(*tensors):
    return all(isinstance(getattr(d, "value", None), int) for t in tensors for d in t.shape)


def add_conv2d_int8(strategy, attrs, inputs, out_type, target):
    """conv2d_nchw_int8.x86 for NCHW/OIHW, groups 1."""
    data, kernel = inputs
    if not (_is_x86(target) and _int8_types(data, kernel, out_type) and _static(data, kernel)
            and int(attrs.groups) == 1 and str(attrs.data_layout) == "NCHW" and str(attrs.kernel_layout) == "OIHW"
            and str(attrs.out_layout) in ("", "NCHW")):
        return

    def compute(attrs, inputs, out_type):
        return [topi.x86.conv2d_nchw_int8(inputs[0], inputs[1], [int(s) for s in attrs.strides],
                                          [int(p) for p in attrs.padding], [int(d) for d in attrs.dilation],
                                          out_type.dtype)]

    strategy.add_implementation(compute, wrap_topi_schedule(topi.x86.schedule_conv2d_nchw_int8),
                                name="conv2d_nchw_int8.x86", plevel=INT8_PLEVEL)


def add_dense_int8(strategy, attrs, inputs, out_type, target):  # pylint: disable=unused-argument
    """dense_int8.x86 (data of any rank >= 2: the leading dimensions share the weight)."""
    data, weight = inputs
    if not (_is_x86(target) and topi.x86.is_int8_hw_support(data.dtype, weight.dtype, target)
            and _int8_types(data, weight, out_type) and len(data.shape) >= 2 and _static(data, weight)):
        return

    def compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
        return [topi.x86.dense_int8(inputs[0], inputs[1], None, out_type.dtype)]

    strategy.add_implementation(compute, wrap_topi_schedule(topi.x86.schedule_dense_int8), name="dense_int8.x86",
                                plevel=INT8_PLEVEL)


def add_batch_matmul_int8(strategy, attrs, inputs, out_type, target):
    """batch_matmul_int8.x86 for x (b, m, k) times y (b, n, k) transposed."""
    x, y = inputs
    if not (_is_x86(target) and topi.x86.is_int8_hw_support(x.dtype, y.dtype, target)
            and _int8_types(x, y, out_type) and _static(x, y)
            and not bool(attrs.transpose_a) and bool(attrs.transpose_b)):
        return

    def compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
        return [topi.x86.batch_matmul_int8_compute(inputs[0], inputs[1], out_type.dtype)]

    strategy.add_implementation(compute, wrap_topi_schedule(topi.x86.schedule_batch_matmul_int8),
                                name="batch_matmul_int8.x86", plevel=INT8_PLEVEL)
