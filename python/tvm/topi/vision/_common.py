# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What the detection operators share: scalar arguments that may be tensors, and
the intersection over union of two corner-form boxes."""
from ... import te, tir
from .. import transform as _transform


def scalar_input(value, dtype, inputs):
    """A scalar argument given as a number or as a (0-d or 1-element) tensor.

    Numbers become constants of `dtype`. A tensor is appended to `inputs` (viewed
    as shape (1,)) and a function of the extern's input buffers reading its element
    is returned, so the value can be read inside the extern's loop nest."""
    if isinstance(value, te.Tensor):
        inputs.append(_transform.reshape(value, [1]))
        position = len(inputs) - 1
        return lambda ib, ins: tir.Cast(dtype, ib.buffer_ptr(ins[position])[0])
    const = tir.const(value, dtype)
    return lambda ib, ins: const


def box_iou(box_a, box_b, zero):
    """IoU of two boxes given as (x1, y1, x2, y2) expressions in either corner order."""
    a_l, a_r = tir.min(box_a[0], box_a[2]), tir.max(box_a[0], box_a[2])
    a_t, a_b = tir.min(box_a[1], box_a[3]), tir.max(box_a[1], box_a[3])
    b_l, b_r = tir.min(box_b[0], box_b[2]), tir.max(box_b[0], box_b[2])
    b_t, b_b = tir.min(box_b[1], box_b[3]), tir.max(box_b[1], box_b[3])
    width = tir.max(zero, tir.min(a_r, b_r) - tir.max(a_l, b_l))
    height = tir.max(zero, tir.min(a_b, b_b) - tir.max(a_t, b_t))
    inter = width * height
    union = (a_r - a_l) * (a_b - a_t) + (b_r - b_l) * (b_b - b_t) - inter
    return tir.Select(union <= zero, zero, inter / tir.max(union, tir.const(1e-30, union.dtype)))
