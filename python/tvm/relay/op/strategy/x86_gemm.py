# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The float32 GEMM implementations of nn.dense, nn.matmul and nn.batch_matmul for x86 CPUs
(topi.x86.dense_pack, dense_nopack, matmul_pack, batch_matmul), added to the "cpu"
strategies above the generic plevel 10 when the call is float32.

Shapes may be symbolic (relay.Any() dims in the VM) where the GEMM's tiling only moves a loop
bound: dense's and matmul's rows (data's leading axes), and every extent of batch_matmul; the
weight of dense (the panels' width and depth) must be static."""
from ....tir import IntImm
from .... import topi
from .generic import wrap_topi_schedule

# Rows (the product of data's leading dimensions) up to which dense reads the weight in place
# (dense_nopack) rather than repacking it on every run (dense_pack).
DENSE_NOPACK_MAX_ROWS = topi.x86.dense.NOPACK_MAX_ROWS


def _is_static(d):
    return isinstance(d, (int, IntImm))


def _float32_rows_dynamic(data, weight, out_type):
    """float32, weight static, data's reduction axis static (its leading axes may be symbolic)."""
    if str(out_type.dtype) != "float32" or data.dtype != "float32" or weight.dtype != "float32":
        return False
    return _is_static(data.shape[-1]) and all(_is_static(d) for d in weight.shape)


def _float32(tensors, out_type):
    return str(out_type.dtype) == "float32" and all(t.dtype == "float32" for t in tensors)


def _rows(data):
    """The product of data's leading axes, None when one is symbolic."""
    rows = 1
    for d in data.shape[:-1]:
        if not _is_static(d):
            return None
        rows *= int(d)
    return rows


def _dense_compute(topi_compute):
    def compute(attrs, inputs, out_type):
        data, weight = inputs
        return [topi_compute(data, weight, None, out_type.dtype)]

    return compute


def add_dense_float32(strategy, attrs, inputs, out_type, target):  # pylint: disable=unused-argument
    """dense_pack at plevel 15; dense_nopack at 20 for a few rows."""
    data, weight = inputs
    if len(data.shape) < 2 or len(weight.shape) != 2 or not _float32_rows_dynamic(data, weight, out_type):
        return
    strategy.add_implementation(_dense_compute(topi.x86.dense_pack), wrap_topi_schedule(topi.x86.schedule_dense_pack),
                                name="dense_pack.x86", plevel=15)
    rows = _rows(data)
    if rows is not None and rows <= DENSE_NOPACK_MAX_ROWS:
        strategy.add_implementation(_dense_compute(topi.x86.dense_nopack),
                                    wrap_topi_schedule(topi.x86.schedule_dense_nopack),
                                    name="dense_nopack.x86", plevel=20)
    del weight


def add_matmul_float32(strategy, attrs, inputs, out_type, target):  # pylint: disable=unused-argument
    """matmul_pack at plevel 15 for 2-d operands (tensor_a's rows may be symbolic)."""
    if any(len(t.shape) != 2 for t in inputs) or not _float32(inputs, out_type):
        return
    tensor_a, tensor_b = inputs
    depth = tensor_a.shape[0 if bool(attrs.transpose_a) else 1]
    if not _is_static(depth) or not all(_is_static(d) for d in tensor_b.shape):
        return

    def compute(attrs, inputs, out_type):
        return [topi.x86.matmul_pack(inputs[0], inputs[1], None, out_type.dtype, bool(attrs.transpose_a),
                                     bool(attrs.transpose_b))]

    strategy.add_implementation(compute, wrap_topi_schedule(topi.x86.schedule_matmul_pack),
                                name="matmul_pack.x86", plevel=15)


def add_batch_matmul_float32(strategy, attrs, inputs, out_type, target):  # pylint: disable=unused-argument
    """batch_matmul.x86 (the packed GEMM per batch) at plevel 15; any extent may be symbolic."""
    if not _float32(inputs, out_type) or any(len(t.shape) != 3 for t in inputs):
        return

    def compute(attrs, inputs, out_type):
        return [topi.x86.batch_matmul(inputs[0], inputs[1], None, out_type.dtype, bool(attrs.transpose_a),
                                      bool(attrs.transpose_b))]

    strategy.add_implementation(compute, wrap_topi_schedule(topi.x86.schedule_batch_matmul),
                                name="batch_matmul.x86", plevel=15)


def add_dense_pack_float32(strategy, attrs, inputs, out_type, target):  # pylint: disable=unused-argument
    """nn.contrib_dense_pack (weight already in panels): dense_pack.x86's schedule at plevel 15."""
    data, weight = inputs
    if len(weight.shape) != 3 or len(data.shape) < 2 or not _float32_rows_dynamic(data, weight, out_type):
        return
    strategy.add_implementation(_dense_compute(topi.x86.dense_pack), wrap_topi_schedule(topi.x86.schedule_dense_pack),
                                name="dense_pack.x86", plevel=15)
