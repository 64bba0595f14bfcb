# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""int8 dense and batch_matmul for x86 CPUs on the int8 dot-product intrinsics.

    out[..., i, j] = sum_k data[..., i, k] * weight[..., j, k]     (int32)

The compute takes the operands as Relay has them and does inside itself what TVM leaves to
AlterOpLayout and Legalize:

- the weight is packed to [..., n/16, k/4, 16, 4] (zeros where n or k run short of 16 or 4;
  [..., 4, 16] on targets without the intrinsics, for vector loads of 16 columns),
  so one intrinsic call reads 64 contiguous bytes;
- int8 data become uint8 by adding 128, and 128 * sum_k weight[j, k] comes off each output
  column (the data stage pads k with zeros; the packed weight is zero there anyway);
- the int32 result over the padded n is sliced back to n.

The schedule tiles the output into rows x (16 * cols) blocks, computes each block's int32
sums at the block (so they stay in registers) with the reduction outermost, and inlines the
slicing, the compensation and whatever Relay fused after the op (bias, relu, casts).
"""
from ... import te, tir
from ...error import _ERROR_TYPES
from .. import tag as _tag
from ..utils import get_const_tuple
from .tensor_intrin import INT32_LANES, INT8_REDUCTION, dot_16x1x16_uint8_int8_int32
from ...target.codegen import target_has_features

DATA_TAG = "int8_data_uint8"
WEIGHT_TAG = "int8_weight_packed"
WEIGHT_SUM_TAG = "int8_weight_sum"


def _ceil_to(value, factor):
    return (value + factor - 1) // factor * factor


def as_uint8(value):
    """The int8 value + 128 as uint8 (the true zero becomes 128)."""
    return (value.astype("int32") + 128).astype("uint8")


def check_int8_operands(op_name, data, weight, out_dtype):
    """A clear error for operand types the int8 implementations do not take."""
    if data.dtype not in ("uint8", "int8") or weight.dtype != "int8":
        raise _ERROR_TYPES["TypeError"](
            f"{op_name}: the int8 implementation takes uint8 or int8 data and int8 weights, got "
            f"{data.dtype} data {get_const_tuple(data.shape)} and {weight.dtype} weights "
            f"{get_const_tuple(weight.shape)}")
    if out_dtype not in (None, "int32"):
        raise _ERROR_TYPES["TypeError"](f"{op_name}: the int8 implementation produces int32, out_dtype was {out_dtype}")


def _int8_matmul(data, weight, op_name, acc_tag):
    """data [batch..., m, k] x weight [batch..., n, k]^T in int32; a batch of 1 broadcasts. A
    2-d weight (dense) is shared by every batch of the data."""
    m, k = get_const_tuple(data.shape)[-2:]
    n, k_w = get_const_tuple(weight.shape)[-2:]
    if k != k_w:
        raise _ERROR_TYPES["ValueError"](
            f"{op_name}: data {get_const_tuple(data.shape)} has {k} columns but weight "
            f"{get_const_tuple(weight.shape)} has {k_w}")
    k_pad = _ceil_to(k, INT8_REDUCTION)
    n_pad = _ceil_to(n, INT32_LANES)
    signed = data.dtype == "int8"
    data_batch = get_const_tuple(data.shape)[:-2]
    weight_batch = get_const_tuple(weight.shape)[:-2]
    batch = tuple(max(a, b) for a, b in zip(data_batch, weight_batch)) if weight_batch else data_batch

    def data_index(b_idx):
        return [0 if d == 1 else i for d, i in zip(data_batch, b_idx)]

    def weight_index(b_idx):
        return [0 if w == 1 else i for w, i in zip(weight_batch, b_idx)]  # [] for a 2-d weight

    if signed or k_pad != k:
        def data_fn(*idx):
            *b_idx, i, c = idx
            value = data[(*b_idx, i, c)]
            value = as_uint8(value) if signed else value
            if k_pad == k:
                return value
            return tir.if_then_else(c < k, value, tir.const(0, "uint8"))

        data_u8 = te.compute((*data_batch, m, k_pad), data_fn, name=f"{op_name}_data_uint8", tag=DATA_TAG)
    else:
        data_u8 = data

    fast = has_fast_int8()

    def pack_fn(*idx):
        *b_idx, no, ko, ni, ki = idx if fast else (*idx[:-2], idx[-1], idx[-2])
        row, col = no * INT32_LANES + ni, ko * INT8_REDUCTION + ki
        conds = ([row < n] if n_pad != n else []) + ([col < k] if k_pad != k else [])
        value = weight[(*b_idx, row, col)]
        if not conds:
            return value
        return tir.if_then_else(tir.all(*conds) if len(conds) > 1 else conds[0], value, tir.const(0, "int8"))

    packed = te.compute((*weight_batch, n_pad // INT32_LANES, k_pad // INT8_REDUCTION, *weight_block(fast)),
                        pack_fn, name=f"{op_name}_weight_packed", tag=WEIGHT_TAG)

    r = te.reduce_axis((0, k_pad), name="k")

    def acc_fn(*idx):
        *b_idx, i, j = idx
        inner = (j % INT32_LANES, r % INT8_REDUCTION) if fast else (r % INT8_REDUCTION, j % INT32_LANES)
        return te.sum(
            data_u8[(*data_index(b_idx), i, r)].astype("int32")
            * packed[(*weight_index(b_idx), j // INT32_LANES, r // INT8_REDUCTION, *inner)].astype("int32"),
            axis=r)

    acc = te.compute((*batch, m, n_pad), acc_fn, name=f"{op_name}_acc", tag=acc_tag)

    if signed:
        rk = te.reduce_axis((0, k), name="k")
        weight_sum = te.compute((*weight_batch, n), lambda *idx: te.sum(
            weight[(*idx, rk)].astype("int32"), axis=rk), name=f"{op_name}_weight_sum", tag=WEIGHT_SUM_TAG)

        def out_fn(*idx):
            *b_idx, i, j = idx
            return acc[idx] - weight_sum[(*weight_index(b_idx), j)] * 128
    else:
        def out_fn(*idx):
            return acc[idx]

    return te.compute((*batch, m, n), out_fn, name=f"{op_name}_out", tag=_tag.INJECTIVE)


def dense_int8(data, weight, bias=None, out_dtype=None):
    """uint8/int8 data (..., m, k) x int8 weight (n, k)^T -> int32 (..., m, n), plus bias (n,).
    Leading dimensions of the data (Relay's dense takes any) share the weight."""
    check_int8_operands("dense_int8", data, weight, out_dtype)
    if len(data.shape) < 2 or len(weight.shape) != 2:
        raise _ERROR_TYPES["ValueError"](
            f"dense_int8: data must be at least 2-d and the weight 2-d, got {get_const_tuple(data.shape)} and "
            f"{get_const_tuple(weight.shape)}")
    out = _int8_matmul(data, weight, "dense_int8", "dense_int8")
    if bias is not None:
        out = te.compute(out.shape, lambda *idx: out[idx] + bias[idx[-1]].astype("int32"), name="dense_int8_bias",
                         tag=_tag.BROADCAST)
    return out


def batch_matmul_int8_compute(x, y, out_dtype=None):
    """uint8/int8 x (b, m, k) times int8 y (b, n, k)^T -> int32 (b, m, n); a batch of 1 broadcasts."""
    check_int8_operands("batch_matmul_int8", x, y, out_dtype)
    if len(x.shape) != 3 or len(y.shape) != 3:
        raise _ERROR_TYPES["ValueError"](
            f"batch_matmul_int8: x and y must be 3-d, got {get_const_tuple(x.shape)} and {get_const_tuple(y.shape)}")
    bx, by = get_const_tuple(x.shape)[0], get_const_tuple(y.shape)[0]
    if bx != by and 1 not in (bx, by):
        raise _ERROR_TYPES["ValueError"](
            f"batch_matmul_int8: batch sizes {bx} and {by} differ and neither is 1 (x {get_const_tuple(x.shape)}, "
            f"y {get_const_tuple(y.shape)})")
    return _int8_matmul(x, y, "batch_matmul_int8", "batch_matmul_int8")


# ---------------------------------------------------------------- schedule
def int8_tiles():
    """(rows, 16-column blocks) of one register tile for the current target: the accumulators
    must fit its vector registers (32 zmm with AVX-512, 16 ymm or xmm otherwise)."""
    if target_has_features("avx512vnni"):
        return 4, 4
    if target_has_features(["avx512bw", "avx512f"]):
        return 4, 2
    if target_has_features("avx2"):
        return 2, 2
    return 2, 1


def largest_divisor(value, limit):
    """The largest divisor of value not above limit (tiles that divide keep loops guard-free)."""
    for d in range(min(value, limit), 0, -1):
        if value % d == 0:
            return d
    return 1


def has_fast_int8():
    """Whether the current target has the dot-product intrinsics (SSSE3's pmaddubsw or later)."""
    return target_has_features("ssse3")


def weight_block(fast):
    """The innermost two dimensions of a packed weight: [16 outputs][4 reduction steps] for the
    intrinsics (64 contiguous bytes a call); [4][16] without them, so that each reduction step
    reads the 16 outputs' weights as one contiguous vector."""
    return (INT32_LANES, INT8_REDUCTION) if fast else (INT8_REDUCTION, INT32_LANES)


def schedule_int8_dot(s, stage, lane_axis, inner_reduce_axis, packed_weight):
    """The innermost 16 output lanes x 4 reduction steps: the intrinsic when the weight is packed
    for it, else a 16-lane vector multiply-add unrolled over the 4 steps."""
    if tuple(get_const_tuple(packed_weight.shape)[-2:]) == weight_block(True):
        if not has_fast_int8():
            raise _ERROR_TYPES["ValueError"](
                f"schedule of {stage.name}: the weight is packed for the int8 dot-product intrinsics but the "
                f"target {_current_target_str()} has no SSSE3; compute and schedule under the same target")
        s[stage].tensorize(lane_axis, dot_16x1x16_uint8_int8_int32())
    else:
        s[stage].reorder(inner_reduce_axis, lane_axis)
        s[stage].unroll(inner_reduce_axis)
        s[stage].vectorize(lane_axis)


def _current_target_str():
    from ...target import Target  # pylint: disable=import-outside-toplevel

    current = Target.current(allow_none=True)
    return str(current) if current is not None else "(none)"


def packed_weight_of(acc):
    """The packed-weight input of an accumulation stage."""
    for t in acc.input_tensors:
        if isinstance(t.op, te.ComputeOp) and t.op.tag == WEIGHT_TAG:
            return t
    raise _ERROR_TYPES["ValueError"](f"{acc.name}: no packed weight ({WEIGHT_TAG}) among its inputs")


def schedule_root_stages(s, op):
    """The packing and weight-sum stages: computed once at the root, outer loops parallel. A
    weight packing fills one 64-byte block (16 x 4) per iteration, unrolled: LLVM then gathers
    its bytes with few wide loads and stores it whole (about 4x faster than byte by byte)."""
    axes = list(s[op].op.axis)
    if op.tag == WEIGHT_TAG:
        s[op].unroll(axes[-2])
        s[op].unroll(axes[-1])
    elif op.tag == DATA_TAG and len(axes) == 5:
        # conv2d's [n, c/4, h, w, 4] data: blocks of columns x 4 channels unrolled likewise (~25% faster).
        width = get_const_tuple(op.output(0).shape)[3]
        _, xi = s[op].split(axes[3], factor=largest_divisor(width, 16))
        s[op].unroll(xi)
        s[op].unroll(axes[4])
    if len(axes) >= 2:
        s[op].parallel(s[op].fuse(axes[0], axes[1]))
    elif axes:
        s[op].parallel(axes[0])


def find_stage(outs, acc_tag):
    """The operation tagged acc_tag among the producers of outs, or None."""
    visited = set()
    stack = [t.op for t in outs]
    while stack:
        op = stack.pop()
        if op in visited or not isinstance(op, te.ComputeOp):
            continue
        visited.add(op)
        if op.tag == acc_tag:
            return op
        stack.extend(t.op for t in op.input_tensors)
    return None


def create_int8_schedule(outs, acc_tag, compute_at_output):
    """te.create_schedule for outs. Unless its sums are computed at the output's blocks, the
    accumulation is made an output of the schedule too: bound inference then keeps its full
    padded extent (whole blocks of 16 for the intrinsic) instead of the few columns read."""
    acc = find_stage(outs, acc_tag)
    if acc is None:
        raise _ERROR_TYPES["ValueError"](f"schedule {acc_tag}: no {acc_tag} stage among the outputs' producers")
    ops = [x.op for x in outs]
    if not compute_at_output(acc) and acc not in ops:
        ops.append(acc)
    return te.create_schedule(ops), acc


def collect_int8_stages(s, outs, acc_tag):
    """Inline the injective stages, schedule the packing ones at the root; the accumulation."""
    acc = None
    visited = set()
    stack = [t.op for t in outs]
    out_ops = [t.op for t in outs]
    while stack:
        op = stack.pop()
        if op in visited or not isinstance(op, te.ComputeOp):
            continue
        visited.add(op)
        if op.tag == acc_tag:
            acc = op
        elif op.tag in (DATA_TAG, WEIGHT_TAG, WEIGHT_SUM_TAG):
            schedule_root_stages(s, op)
        elif _tag.is_injective(op.tag) and op not in out_ops:
            s[op].compute_inline()
        stack.extend(t.op for t in op.input_tensors)
    return acc


def _schedule_int8_matmul(outs, acc_tag):
    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    out = outs[0]
    out_shape = get_const_tuple(out.shape)

    def at_output(acc):
        acc_shape = get_const_tuple(acc.output(0).shape)
        # A block wider than the output would be cut to the output's width by bound inference,
        # and the intrinsic needs whole blocks of 16.
        return (out.op != acc and len(out_shape) == len(acc_shape) and out_shape[:-1] == acc_shape[:-1]
                and INT32_LANES <= out_shape[-1] <= acc_shape[-1])

    s, acc = create_int8_schedule(outs, acc_tag, at_output)
    collect_int8_stages(s, outs, acc_tag)
    acc_shape = get_const_tuple(acc.output(0).shape)
    m, n_pad = acc_shape[-2:]
    rows_max, cols_max = int8_tiles()
    rows = largest_divisor(m, rows_max)
    cols = largest_divisor(n_pad // INT32_LANES, min(cols_max, max(out_shape[-1] // INT32_LANES, 1)))

    if at_output(acc):
        # The register tile lives inside one output block.
        *lead, oi, oj = s[out].op.axis
        yo, yi = s[out].split(oi, factor=rows)
        xo, xi = s[out].split(oj, factor=cols * INT32_LANES)
        s[out].reorder(*lead, yo, xo, yi, xi)
        s[acc].compute_at(s[out], xo)
        s[out].parallel(s[out].fuse(*lead, yo, xo))
        if out_shape[-1] % (cols * INT32_LANES) == 0:
            s[out].vectorize(xi)
        tile_axes = list(s[acc].op.axis)
        lead_acc = tile_axes[:-2]
        i, j = tile_axes[-2:]
        jo, ji = s[acc].split(j, factor=INT32_LANES)
        outer = []
    else:
        # Narrow or reshaped results: the sums at the root, in tiles of their own.
        *lead_acc, i, j = s[acc].op.axis
        yo, i = s[acc].split(i, factor=rows)
        xo, j = s[acc].split(j, factor=cols * INT32_LANES)
        jo, ji = s[acc].split(j, factor=INT32_LANES)
        outer = [*lead_acc, yo, xo]
        lead_acc = []
        parallel_outer(s, [o for o in outs if o.op != acc])
    (r,) = s[acc].op.reduce_axis
    ro, ri = s[acc].split(r, factor=INT8_REDUCTION)
    s[acc].reorder(*outer, *lead_acc, ro, i, jo, ji, ri)
    if outer:
        s[acc].parallel(s[acc].fuse(*outer))
    s[acc].unroll(i)
    s[acc].unroll(jo)
    schedule_int8_dot(s, acc, ji, ri, packed_weight_of(acc))
    return s


def parallel_outer(s, tensors):
    for t in tensors:
        if isinstance(t.op, te.ComputeOp):
            axes = list(s[t].op.axis)
            if len(axes) >= 2:
                s[t].parallel(s[t].fuse(axes[0], axes[1]))
            elif axes:
                s[t].parallel(axes[0])


def schedule_dense_int8(outs):
    """Schedule for dense_int8 and the elementwise ops fused after it."""
    return _schedule_int8_matmul(outs, "dense_int8")


def schedule_batch_matmul_int8(outs):
    """Schedule for batch_matmul_int8_compute and the elementwise ops fused after it."""
    return _schedule_int8_matmul(outs, "batch_matmul_int8")
