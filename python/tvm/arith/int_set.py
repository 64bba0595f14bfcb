# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Integer sets: intervals with possibly symbolic or infinite ends."""
from .._ffi.registry import register_object
from ..runtime.object import Object
from . import _ffi_api


@register_object("IntSet")
class IntSet(Object):
    """A set of integers (an IntervalSet today)."""

    def is_nothing(self):
        """Whether the set is empty."""
        return bool(_ffi_api.IntSetIsNothing(self))

    def is_everything(self):
        """Whether the set holds every integer."""
        return bool(_ffi_api.IntSetIsEverything(self))

    def is_single_point(self):
        """Whether the set holds exactly one value."""
        return bool(_ffi_api.IntSetIsSinglePoint(self))

    def cover_range(self, max_range):
        """The smallest Range covering the set (max_range where it is unbounded)."""
        return _ffi_api.IntSetCoverRange(self, max_range)

    @staticmethod
    def vector(vec):
        """The set of the lanes of a vector expression (Ramp, Broadcast)."""
        return _ffi_api.intset_vector(vec)

    @staticmethod
    def single_point(point):
        """The set {point}."""
        return _ffi_api.intset_single_point(point)

    @staticmethod
    def interval(min_value, max_value):
        """The closed interval [min_value, max_value]."""
        return _ffi_api.intset_interval(min_value, max_value)

    @staticmethod
    def from_range(rng):
        """[rng.min, rng.min + rng.extent - 1]."""
        return _ffi_api.IntSetFromRange(rng)


@register_object("arith.IntervalSet")
class IntervalSet(IntSet):
    """The closed interval [min_value, max_value]; ends may be pos_inf()/neg_inf()."""

    def __init__(self, min_value, max_value):
        self.__init_handle_by_constructor__(_ffi_api.IntervalSet, min_value, max_value)


def pos_inf():
    """The symbolic +infinity used as an interval end."""
    return _ffi_api.PosInf()


def neg_inf():
    """The symbolic -infinity used as an interval end."""
    return _ffi_api.NegInf()


def union_lower_bound(sets):
    """The union of sets where they are contiguous (an under-approximation otherwise)."""
    return _ffi_api.UnionLowerBound(sets)


def eval_set(expr, dom_map):
    """The IntSet of expr (or of a Range) when variables range over dom_map ({Var: IntSet})."""
    from ..ir.expr import Range

    if isinstance(expr, Range):
        return _ffi_api.EvalSetRange(expr, dom_map)
    return _ffi_api.EvalSet(expr, dom_map)


def union(sets):
    """The smallest interval containing every set."""
    return _ffi_api.Union(sets)


def intersect(sets):
    """The intersection of the sets."""
    return _ffi_api.Intersect(sets)


# TVM exports the region estimators from this module too.
from .iter_affine_map import (  # noqa: E402
    estimate_region_lower_bound,
    estimate_region_strict_bound,
    estimate_region_upper_bound,
)
