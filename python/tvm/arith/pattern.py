# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Linear index expressions and clipping conditions."""
from . import _ffi_api


def detect_linear_equation(expr, var_list):
    """Coefficients [c_0, ..., c_{n-1}, base] with expr = sum(c_i * var_list[i]) + base.

    Returns an empty list when expr is not linear in var_list.
    """
    return _ffi_api.DetectLinearEquation(expr, var_list)


def detect_clip_bound(expr, var_list):
    """Inclusive bounds [min_0, max_0, min_1, max_1, ...] of each variable under the condition.

    A side without a bound is None; an empty list means the condition is not a
    conjunction of linear comparisons.
    """
    return _ffi_api.DetectClipBound(expr, var_list)


def detect_common_subexpr(expr, threshold):
    """The pure sub-expressions of expr computed at least `threshold` times, as a
    dict expression -> count (terms that simplify alike count together)."""
    return _ffi_api.DetectCommonSubExpr(expr, threshold)
