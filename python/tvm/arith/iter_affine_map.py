# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Iterator (quasi-)affine maps: indices as sums of splits of fused loop iterators.

    x, y = tvm.tir.Var("x", "int32"), tvm.tir.Var("y", "int32")
    dom = {x: tvm.ir.Range(0, 10), y: tvm.ir.Range(0, 9)}
    res = tvm.arith.detect_iter_map([y // 3 * 6 + x // 5 * 3 + y % 3, x % 5], dom)
    res.indices       # [IterSum([IterSplit(IterMark(...), extent=18)]), IterSum([x % 5])]
    res.errors        # why the detection failed (empty here)
    tvm.arith.normalize_iter_map_to_expr(res.indices[1])   # floormod(x, 5)
"""
from enum import IntEnum

from .._ffi.registry import register_object
from ..ir.expr import PrimExpr
from ..runtime.object import Object
from . import _ffi_api


class IterMapExpr(PrimExpr):
    """The base of the iterator map expressions."""


@register_object("arith.IterMark")
class IterMark(Object):
    """Marks `source` (a loop variable or an IterSumExpr) as an iterator over [0, extent)."""

    def __init__(self, source, extent):
        self.__init_handle_by_constructor__(_ffi_api.IterMark, source, extent)


@register_object("arith.IterSplitExpr")
class IterSplitExpr(IterMapExpr):
    """floormod(floordiv(source, lower_factor), extent) * scale, source an IterMark."""

    def __init__(self, source, lower_factor, extent, scale):
        self.__init_handle_by_constructor__(
            _ffi_api.IterSplitExpr, source, lower_factor, extent, scale
        )


@register_object("arith.IterSumExpr")
class IterSumExpr(IterMapExpr):
    """sum(args) + base, args a list of IterSplitExpr."""

    def __init__(self, args, base):
        self.__init_handle_by_constructor__(_ffi_api.IterSumExpr, args, base)


@register_object("arith.IterMapResult")
class IterMapResult(Object):
    """The result of detect_iter_map: indices (empty on failure), errors, padding_predicate."""


class IterMapLevel(IntEnum):
    """How much detect_iter_map checks of the mapping."""

    Bijective = 0
    Surjective = 1
    NoCheck = 3

    @staticmethod
    def from_str(name):
        """The level named "bijective", "surjective" or "nocheck" (None: NoCheck)."""
        if name is None:
            return IterMapLevel.NoCheck
        levels = {
            "bijective": IterMapLevel.Bijective,
            "surjective": IterMapLevel.Surjective,
            "nocheck": IterMapLevel.NoCheck,
        }
        key = name.lower()
        if key not in levels:
            raise ValueError(
                f"Unknown check level {name!r}: expected 'bijective', 'surjective' or 'nocheck'"
            )
        return levels[key]


def _check_level(check_level):
    if isinstance(check_level, str) or check_level is None:
        return IterMapLevel.from_str(check_level)
    return IterMapLevel(check_level)


def detect_iter_map(
    indices,
    input_iters,
    predicate=True,
    check_level=IterMapLevel.Surjective,
    simplify_trivial_iterators=True,
):
    """Rewrite indices as iterator sums of input_iters (a dict Var -> Range).

    predicate is a conjunction of bounds on the iterators (`x * 4 + y < 10`);
    check_level is an IterMapLevel or its name; iterators of extent 1 become
    their minimum when simplify_trivial_iterators. Returns an IterMapResult,
    whose indices are empty when the indices are not such a map.
    """
    return _ffi_api.DetectIterMap(
        indices, input_iters, predicate, _check_level(check_level), simplify_trivial_iterators
    )


def normalize_to_iter_sum(index, input_iters):
    """Best-effort IterSumExpr of one index: scales as (symbol product) * constant,
    sorted by the constant then the number of symbols, largest first; what is not
    recognised goes into the base."""
    return _ffi_api.NormalizeToIterSum(index, input_iters)


def iter_map_simplify(
    indices,
    input_iters,
    predicate=True,
    check_level=IterMapLevel.Surjective,
    simplify_trivial_iterators=True,
):
    """The indices rewritten through detect_iter_map (unchanged where it fails)."""
    return _ffi_api.IterMapSimplify(
        indices, input_iters, predicate, _check_level(check_level), simplify_trivial_iterators
    )


def normalize_iter_map_to_expr(expr):
    """The ordinary PrimExpr an iterator map expression stands for."""
    return _ffi_api.NormalizeIterMapToExpr(expr)


def subspace_divide(
    bindings,
    input_iters,
    sub_iters,
    predicate=True,
    check_level=IterMapLevel.Surjective,
    simplify_trivial_iterators=True,
):
    """Write each binding as outer * extent(inner) + inner, inner using only sub_iters.

    For bindings [z*12 + y*3 + x] over z, y, x with sub_iters [x], outer is
    z*4 + y and inner x. Returns len(bindings) + 1 pairs of IterMark: per
    binding (outer, inner), then two empty marks whose extents are the
    predicates of the outer and inner spaces. Empty when no division exists.
    """
    return _ffi_api.SubspaceDivide(
        bindings,
        input_iters,
        sub_iters,
        predicate,
        _check_level(check_level),
        simplify_trivial_iterators,
    )


def inverse_affine_iter_map(iter_map, outputs):
    """Invert a bijective iterator map (from detect_iter_map): a dict from each
    input iterator to its value, as an expression of outputs, when the map's
    results equal outputs. For [l // 16, l % 16] and outputs [o0, o1]: {l: o0 * 16 + o1}.
    """
    return _ffi_api.InverseAffineIterMap(iter_map, outputs)


def estimate_region_lower_bound(region, var_dom, predicate):
    """A region (list of IntSet) certainly touched when the loops of var_dom run
    under predicate, each dimension the union of its Range over the nest; None
    when the mins are not a surjective iterator map without gaps."""
    return _ffi_api.EstimateRegionLowerBound(region, var_dom, predicate)


def estimate_region_strict_bound(region, var_dom, predicate):
    """Exactly the region touched (list of IntSet), or None (see estimate_region_lower_bound)."""
    return _ffi_api.EstimateRegionStrictBound(region, var_dom, predicate)


def estimate_region_upper_bound(region, var_dom, predicate):
    """A region (list of IntSet) containing every touched point: exact where the
    mins form an iterator map, else relaxed per dimension by interval evaluation."""
    return _ffi_api.EstimateRegionUpperBound(region, var_dom, predicate)
