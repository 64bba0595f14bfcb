# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What the x86 schedules ask of the target and the machine."""
from ... import te
from ..._ffi.registry import get_global_func
from ...target import Target
from .. import tag as _tag


def vector_bytes(target=None):
    """Bytes of one vector register of the target (default: the current target): 64 with
    AVX-512, 32 with AVX/AVX2, else 16 (plain x86-64: "llvm" without -mcpu or -mattr). The C++
    schedules' function (include/tvm/topi/x86/utils.h GetVectorBytes)."""
    target = target or Target.current(allow_none=True)
    return int(get_global_func("topi.x86.vector_bytes")(target))


def vector_lanes(dtype="float32", target=None):
    """Lanes of dtype in one vector register of the target (default: the current target)."""
    bits = int("".join(ch for ch in str(dtype) if ch.isdigit()) or 32)
    return max(1, vector_bytes(target) * 8 // bits)


def num_threads():
    """The threads the runtime's pool runs parallel loops on (TVM_NUM_THREADS or the cores)."""
    from ... import runtime

    try:
        return max(1, int(runtime.num_threads()))
    except Exception:  # pylint: disable=broad-except
        return 1


def elementwise_from(final_op, source_op, shape):
    """Whether final_op is source_op's consumer through elementwise/broadcast/injective ops only,
    with the given output shape: then a tile of final_op needs only the same tile of the source."""
    from ..utils import get_const_tuple

    from ...ir import structural_equal  # pylint: disable=import-outside-toplevel

    final_shape = get_const_tuple(final_op.output(0).shape)
    # Symbolic extents (relay.Any() dims) compare as expressions.
    if len(final_shape) != len(shape) or not all(
            a == b if isinstance(a, int) or isinstance(b, int) else structural_equal(a, b)
            for a, b in zip(final_shape, shape)):
        return False
    stack, seen = [final_op], set()
    while stack:
        op = stack.pop()
        if op in seen or op == source_op:
            continue
        seen.add(op)
        if not isinstance(op, te.ComputeOp) or not _tag.is_injective(op.tag):
            return False
        for tensor in op.input_tensors:
            if isinstance(tensor.op, te.ComputeOp):
                stack.append(tensor.op)
    return True
