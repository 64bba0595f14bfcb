# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Tensor expressions: the algorithm (te.compute) and its schedule (te.create_schedule)."""
from ..tir import any, all, min_value, max_value  # pylint: disable=redefined-builtin
from ..tir import exp, erf, tanh, sigmoid, log, tan, cos, sin, sqrt, rsqrt, floor, ceil
from ..tir import sinh, cosh, log2, log10, asin, asinh, acos, acosh, atan, atanh
from ..tir import trunc, abs, round, nearbyint, power, popcount, fmod, if_then_else  # pylint: disable=redefined-builtin
from ..tir import isnan, isfinite, isinf
from ..tir import div, indexdiv, indexmod, truncdiv, truncmod, floordiv, floormod
from ..tir import comm_reducer, min, max, sum  # pylint: disable=redefined-builtin
from ..tir import add, subtract, multiply

from .tensor import Tensor, TensorSlice, Operation, PlaceholderOp, ComputeOp, TensorComputeOp, ExternOp, ScanOp
from .operation import placeholder, compute, extern, scan, var, size_var, const, thread_axis, reduce_axis
from .operation import create_prim_func
from .schedule import Schedule, Stage, create_schedule, AXIS_SEPARATOR
from .tensor_intrin import decl_tensor_intrin, TensorIntrin
from .tag import tag_scope
from . import schedule
from . import tag
