# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Generic (target-independent) schedules for the nn operators.

The default is simple and correct: inline every injective stage that is not
an output (weight regrouping, bias, statistics), except padding, which is
computed once into its own buffer; run the outermost loops of each remaining
stage in parallel, and vectorize reductions across their innermost output
axis. Target-specific schedules build on this.
"""
from ... import te

_INLINE_TAGS = ("injective", "elemwise", "broadcast")
# Lanes of the vectors a symbolic innermost axis is split into (16 float32: one AVX-512 register,
# two AVX ones; LLVM legalises wider than the target's).
_SYMBOLIC_VECTOR = 16


def _is_inlinable(op, outputs):
    if not isinstance(op, te.ComputeOp) or op in outputs:
        return False
    if len(op.reduce_axis) > 0:
        return False
    if "pad" in op.tag.split(","):
        # Padding stays a stage of its own: inlined, its bounds test sits inside the reduction and
        # keeps the loop scalar; materialised, the reduction reads plain loads and vectorizes.
        return False
    return any(t in op.tag for t in _INLINE_TAGS)


def default_schedule(outs, auto_inline=True):
    """create_schedule for outs, injective intermediates inlined, outer loops parallel."""
    outs = [outs] if isinstance(outs, te.Tensor) else list(outs)
    s = te.create_schedule([x.op for x in outs])
    out_ops = [x.op for x in outs]
    visited = set()
    stack = list(out_ops)
    stages = []
    while stack:
        op = stack.pop()
        if op in visited:
            continue
        visited.add(op)
        stages.append(op)
        stack.extend(t.op for t in op.input_tensors)
    for op in stages:
        if not isinstance(op, te.ComputeOp):
            continue
        if auto_inline and _is_inlinable(op, out_ops):
            s[op].compute_inline()
            continue
        _parallel_and_vectorize(s, op)
    return s


def _const_extent(iv):
    ext = iv.dom.extent
    return int(ext.value) if hasattr(ext, "value") else None


def _shorter_than_vector(iv):
    """A symbolic extent provably below the vector width (min(n, 7)): split, it would leave an
    inner loop of symbolic extent, which cannot be vectorised."""
    from ... import arith  # pylint: disable=import-outside-toplevel

    extent = iv.dom.extent
    return arith.Analyzer().can_prove(extent < _SYMBOLIC_VECTOR)


def _parallel_and_vectorize(s, op):
    """Outer two axes fused and parallel; for reductions the innermost output axis is split and its
    inner part moved inside the reduction loops and vectorized, so that each reduction step updates
    a vector of outputs instead of one."""
    axes = list(s[op].op.axis)
    reduce_axes = list(s[op].op.reduce_axis)
    inner = None
    if reduce_axes and len(axes) >= 2:
        extent = _const_extent(axes[-1])
        # A factor that divides the extent: a guarded tail would keep the loop scalar.
        factor = next((f for f in (16, 8, 4) if extent is not None and extent % f == 0), None)
        if factor is not None:
            outer, inner = s[op].split(axes[-1], factor=factor)
            s[op].reorder(*axes[:-1], outer, *reduce_axes, inner)
            s[op].vectorize(inner)
    elif not reduce_axes and axes and _const_extent(axes[-1]) is None and not _shorter_than_vector(axes[-1]):
        # A symbolic innermost extent (relay.Any()): vectors along it, the guarded tail peeled off
        # by LoopPartition, instead of a scalar loop.
        jo, inner = s[op].split(axes[-1], factor=_SYMBOLIC_VECTOR)
        s[op].vectorize(inner)
        if len(axes) == 1:
            s[op].parallel(jo)
            return
    if len(axes) >= 3 or (len(axes) == 2 and inner is None):
        s[op].parallel(s[op].fuse(axes[0], axes[1]))
    elif axes:
        s[op].parallel(axes[0])


def _named(name):
    def schedule(outs):
        return default_schedule(outs)

    schedule.__name__ = name
    schedule.__qualname__ = name
    schedule.__doc__ = f"Generic schedule of the {name[len('schedule_'):]} operator (default_schedule)."
    return schedule


_NAMES = [
    "schedule_conv1d_ncw", "schedule_conv1d_nwc", "schedule_group_conv1d_ncw", "schedule_group_conv1d_nwc",
    "schedule_conv2d_nchw", "schedule_conv2d_nhwc", "schedule_conv2d_hwcn", "schedule_group_conv2d_nchw",
    "schedule_group_conv2d_nhwc", "schedule_depthwise_conv2d_nchw", "schedule_depthwise_conv2d_nhwc",
    "schedule_conv3d_ncdhw", "schedule_conv3d_ndhwc", "schedule_conv1d_transpose_ncw",
    "schedule_conv2d_transpose_nchw", "schedule_group_conv2d_transpose_nchw", "schedule_conv3d_transpose_ncdhw",
    "schedule_dense", "schedule_matmul", "schedule_batch_matmul", "schedule_pool", "schedule_adaptive_pool",
    "schedule_global_pool", "schedule_softmax", "schedule_fast_softmax", "schedule_log_softmax", "schedule_lrn",
    "schedule_batch_norm", "schedule_layer_norm", "schedule_group_norm", "schedule_instance_norm",
    "schedule_injective", "schedule_elemwise", "schedule_broadcast", "schedule_reduce", "schedule_extern",
]
for _n in _NAMES:
    globals()[_n] = _named(_n)


def schedule_pool(outs, layout="NCHW"):  # pylint: disable=function-redefined
    """Generic schedule of pooling (default_schedule; the layout does not change it)."""
    del layout
    return default_schedule(outs)


def schedule_adaptive_pool(outs, layout="NCHW"):  # pylint: disable=function-redefined
    """Generic schedule of adaptive pooling."""
    del layout
    return default_schedule(outs)
