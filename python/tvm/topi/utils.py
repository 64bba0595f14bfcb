# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Helpers shared by TOPI's operators and schedules: constants out of shapes,
index arithmetic, and walking an operation graph."""
from numbers import Integral

from .. import te as _te
from .. import tir as _tir
from ..arith import Analyzer
from ..ir.expr import PrimExpr
from . import tag as _tag


class InvalidShapeError(ValueError):
    """A shape an operator cannot take."""


def prod(x):
    """The product of the elements of x (1 when empty)."""
    res = 1
    for v in x:
        res = res * v
    return res


def simplify(expr):
    """expr simplified (a number stays a number)."""
    return Analyzer().simplify(expr) if isinstance(expr, PrimExpr) else expr


def get_const_int(expr):
    """The integer value of a constant expression (or int)."""
    if isinstance(expr, Integral):
        return int(expr)
    if not isinstance(expr, _tir.IntImm):
        expr = simplify(expr)
    if not isinstance(expr, _tir.IntImm):
        raise ValueError(f"expected a constant integer, got {expr}")
    return int(expr.value)


def get_const_float(expr):
    """The float value of a constant expression (or number)."""
    if isinstance(expr, (float, Integral)):
        return float(expr)
    if not isinstance(expr, (_tir.FloatImm, _tir.IntImm)):
        expr = simplify(expr)
    if not isinstance(expr, (_tir.FloatImm, _tir.IntImm)):
        raise ValueError(f"expected a constant number, got {expr}")
    return float(expr.value)


def equal_const_int(expr, value):
    """Whether expr is the integer constant value."""
    if isinstance(expr, Integral):
        return expr == value
    if not isinstance(expr, _tir.IntImm):
        expr = simplify(expr)
    return isinstance(expr, _tir.IntImm) and expr.value == value


def get_const_tuple(in_tuple):
    """A tuple of ints from a shape; symbolic entries stay expressions."""
    out = []
    for elem in in_tuple:
        if isinstance(elem, (_tir.Var, _tir.Any)):
            out.append(elem)
        elif isinstance(elem, (_tir.IntImm, Integral)):
            out.append(int(elem) if isinstance(elem, Integral) else int(elem.value))
        else:
            e = simplify(elem)
            out.append(int(e.value) if isinstance(e, _tir.IntImm) else e)
    return tuple(out)


def const_vector(vector, name="const_vector"):
    """A tensor holding the numpy vector's values (a select chain over its index)."""
    import numpy as np

    vector = np.asarray(vector)
    row = vector.shape[0]
    dtype = str(vector.dtype)
    idxm = _tir.indexmod

    def select_array(i):
        now = _tir.const(0.0, dtype)
        for ii in range(row):
            now = _tir.Select(_tir.all(idxm(i, row) == ii), _tir.const(vector[ii], dtype), now)
        return now

    return _te.compute(vector.shape, select_array, name=name)


def ravel_index(indices, shape):
    """The flat (row-major) index of indices in shape."""
    idx = None
    for i, (shape_val, ind) in enumerate(zip(shape, indices)):
        idx = ind if i == 0 else idx * shape_val + ind
    return idx


def unravel_index(idx, shape):
    """The row-major indices of flat index idx in shape."""
    indices = []
    for i in range(len(shape) - 1, -1, -1):
        indices.append(_tir.indexmod(idx, shape[i]))
        idx = _tir.indexdiv(idx, shape[i])
    return list(reversed(indices))


def ceil_div(a, b):
    """ceil(a / b) for non-negative integers."""
    if isinstance(a, Integral) and isinstance(b, Integral):
        return (a + b - 1) // b
    return _tir.indexdiv(a + b - 1, b)


def is_empty_shape(shape):
    """Whether a shape has a zero dimension."""
    return any(equal_const_int(dim, 0) for dim in shape)


def get_shape(src_shape, src_layout, dst_layout):
    """src_shape permuted from src_layout to dst_layout (layouts of letters, e.g. NCHW -> NHWC)."""
    if src_layout == dst_layout:
        return get_const_tuple(src_shape)
    import re

    src_axes = re.findall(r"\d*[A-Za-z]", str(src_layout))
    dst_axes = re.findall(r"\d*[A-Za-z]", str(dst_layout))
    if sorted(src_axes) != sorted(dst_axes):
        raise ValueError(f"get_shape: layouts {src_layout} and {dst_layout} do not have the same axes")
    src = get_const_tuple(src_shape)
    if len(src) != len(src_axes):
        raise ValueError(f"get_shape: shape {src} does not match layout {src_layout}")
    return tuple(src[src_axes.index(a)] for a in dst_axes)


def traverse_inline(s, final_op, callback):
    """Inline every injective op reachable from final_op (not the outputs) and call
    callback(op) on each operation, producers first."""
    visited = set()

    def _traverse(op):
        if op in visited:
            return
        visited.add(op)
        if _tag.is_injective(op.tag):
            if op not in s.outputs:
                s[op].compute_inline()
            for tensor in op.input_tensors:
                if isinstance(tensor.op, _te.ComputeOp):
                    _traverse(tensor.op)
        callback(op)

    _traverse(final_op)


def swap(arr, axis1, axis2):
    """arr with entries axis1 and axis2 exchanged."""
    arr = list(arr)
    arr[axis1], arr[axis2] = arr[axis2], arr[axis1]
    return arr
