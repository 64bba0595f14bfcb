# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Questions asked of a Relay expression (src/relay/analysis).

Every function walks the graph with an explicit stack, so a chain of
100,000 operators is fine. Variable lists are in post-DFS order: the order a
post-order walk first meets each variable (for a network: the earlier
layers' weights first).
"""
from ...ir import IRModule, RelayExpr, Type
from . import _ffi_api
from .feature import Feature

__all__ = [
    "post_order_visit",
    "well_formed",
    "check_constant",
    "check_basic_block_normal_form",
    "free_vars",
    "bound_vars",
    "all_vars",
    "free_type_vars",
    "bound_type_vars",
    "all_type_vars",
    "all_dtypes",
    "detect_feature",
    "Feature",
    "unmatched_cases",
]


def _expect_expr(func, expr):
    if not isinstance(expr, RelayExpr):
        raise TypeError(f"relay.analysis.{func} expects a Relay expression, got {type(expr).__name__} {expr!r}")


def _expect_expr_or_type(func, expr):
    if not isinstance(expr, (RelayExpr, Type)):
        raise TypeError(
            f"relay.analysis.{func} expects a Relay expression or type, got {type(expr).__name__} {expr!r}"
        )


def post_order_visit(expr, fvisit):
    """Call fvisit(node) on every node of expr once, children before parents
    (function parameters and bodies included)."""
    _expect_expr("post_order_visit", expr)
    if not callable(fvisit):
        raise TypeError(f"relay.analysis.post_order_visit: fvisit must be callable, got {fvisit!r}")
    return _ffi_api.post_order_visit(expr, fvisit)


def well_formed(expr):
    """Whether each variable is bound once (by one let or one function's
    parameters) and used only inside the scope of its binding."""
    _expect_expr("well_formed", expr)
    return bool(_ffi_api.well_formed(expr))


def check_constant(expr):
    """Whether expr is constant: a Constant, or a Tuple of constants."""
    _expect_expr("check_constant", expr)
    return bool(_ffi_api.check_constant(expr))


def check_basic_block_normal_form(expr):
    """True when expr is in basic block normal form: an expression used from
    several scopes (if branches, function bodies) is first used in one that
    encloses the others. Raises TVMError naming the expression otherwise."""
    _expect_expr("check_basic_block_normal_form", expr)
    return bool(_ffi_api.check_basic_block_normal_form(expr))


def free_vars(expr):
    """Variables of expr bound nowhere inside it, in post-DFS order."""
    _expect_expr("free_vars", expr)
    return _ffi_api.free_vars(expr)


def bound_vars(expr):
    """Variables bound inside expr (function parameters, lets), in post-DFS order."""
    _expect_expr("bound_vars", expr)
    return _ffi_api.bound_vars(expr)


def all_vars(expr):
    """Every variable of expr, in post-DFS order."""
    _expect_expr("all_vars", expr)
    return _ffi_api.all_vars(expr)


def free_type_vars(expr, mod=None):
    """Type variables of an expression or type that no function binds."""
    _expect_expr_or_type("free_type_vars", expr)
    return _ffi_api.free_type_vars(expr, mod if mod is not None else IRModule())


def bound_type_vars(expr, mod=None):
    """Type parameters of the functions and function types in an expression or type."""
    _expect_expr_or_type("bound_type_vars", expr)
    return _ffi_api.bound_type_vars(expr, mod if mod is not None else IRModule())


def all_type_vars(expr, mod=None):
    """Every type variable of an expression or type."""
    _expect_expr_or_type("all_type_vars", expr)
    return _ffi_api.all_type_vars(expr, mod if mod is not None else IRModule())


def all_dtypes(expr):
    """The set of data types (e.g. {"float32", "int8"}) in expr's type
    annotations and, after InferType, in every node's type."""
    _expect_expr("all_dtypes", expr)
    return set(str(d) for d in _ffi_api.all_dtypes(expr))


def detect_feature(a, b=None):
    """The set of Feature a program uses: a is an expression or an IRModule
    (every function of it), b optionally the other of the two."""
    for value in (a, b):
        if value is not None and not isinstance(value, (RelayExpr, IRModule)):
            raise TypeError(
                f"relay.analysis.detect_feature expects Relay expressions or IRModules, got {type(value).__name__}"
            )
    return {Feature(int(x)) for x in _ffi_api.detect_feature(a, b)}


def unmatched_cases(match, mod=None):
    """The values `match` (a relay.Match) handles in no clause, as a list of disjoint
    patterns; empty when the match is exhaustive. `mod` defines the ADTs matched on."""
    from ..adt import Match  # pylint: disable=import-outside-toplevel

    if not isinstance(match, Match):
        raise TypeError(f"unmatched_cases expects a relay.Match, got {type(match).__name__}")
    return list(_ffi_api.unmatched_cases(match, mod))
