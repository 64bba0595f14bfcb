# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Padding arithmetic shared by the convolution and pooling wrappers."""
from ... import tir


def _const(x):
    if isinstance(x, tir.IntImm):
        return int(x.value)
    return x


def _pad_amount(kernel):
    """Total padding of "SAME": the dilated kernel minus one."""
    return [_const(k) - 1 for k in kernel]


def get_pad_tuple_generic(padding, kernel):
    """(pad_begin, pad_end), one value per spatial axis of `kernel` (the dilated kernel sizes).

    padding: an int, a list of one value per axis, a list of 2 * axes values
    (all begins, then all ends), "VALID" or "SAME" (the extra element, if any, after).
    """
    n = len(kernel)
    if isinstance(padding, int):
        return [padding] * n, [padding] * n
    if isinstance(padding, str):
        if padding == "VALID":
            return [0] * n, [0] * n
        if padding == "SAME":
            total = _pad_amount(kernel)
            begin = [(t + 1) // 2 for t in total]
            return begin, [t - b for t, b in zip(total, begin)]
        raise ValueError(f"padding must be an int, a tuple, 'SAME' or 'VALID', got '{padding}'")
    padding = [_const(p) for p in padding]
    if len(padding) == n:
        return list(padding), list(padding)
    if len(padding) == 2 * n:
        return list(padding[:n]), list(padding[n:])
    raise ValueError(f"padding {tuple(padding)} must have 1, {n} or {2 * n} values for {n} spatial axes")


def get_pad_tuple(padding, kernel):
    """(top, left, bottom, right) for 2-d windows; padding as get_pad_tuple_generic or a 4-tuple."""
    if isinstance(padding, (tuple, list)) and len(padding) == 4:
        top, left, bottom, right = [_const(p) for p in padding]
        return top, left, bottom, right
    begin, end = get_pad_tuple_generic(padding, kernel)
    return begin[0], begin[1], end[0], end[1]


def get_pad_tuple1d(padding, kernel):
    """(left, right) for 1-d windows."""
    begin, end = get_pad_tuple_generic(padding, kernel)
    return begin[0], end[0]


def get_pad_tuple3d(padding, kernel):
    """(front, top, left, back, bottom, right) for 3-d windows."""
    if isinstance(padding, (tuple, list)) and len(padding) == 6:
        return tuple(_const(p) for p in padding)
    begin, end = get_pad_tuple_generic(padding, kernel)
    return tuple(begin) + tuple(end)


def as_list(value, n, name, op):
    """value repeated to n entries when a scalar; a list of n entries checked."""
    if isinstance(value, (int, tir.PrimExpr)):
        return [value] * n
    value = list(value)
    if len(value) == 1:
        return value * n
    if len(value) != n:
        raise ValueError(f"{op}: {name} {tuple(value)} must have {n} values")
    return value
