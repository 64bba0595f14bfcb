# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The arithmetic Analyzer and the facts it computes (ConstIntBound, ModularSet)."""
from enum import IntEnum

from .._ffi.registry import register_object
from ..runtime.object import Object
from . import _ffi_api


class ProofStrength(IntEnum):
    """How hard Analyzer.can_prove tries."""

    DEFAULT = 0
    SYMBOLIC_BOUND = 1


@register_object("arith.ModularSet")
class ModularSet(Object):
    """The set {coeff * k + base}; coeff 0 means the constant base."""

    def __init__(self, coeff, base):
        self.__init_handle_by_constructor__(_ffi_api.ModularSet, coeff, base)


@register_object("arith.ConstIntBound")
class ConstIntBound(Object):
    """Constant bounds [min_value, max_value]; POS_INF / NEG_INF mean unbounded."""

    POS_INF = (1 << 63) - 1
    NEG_INF = -POS_INF

    def __init__(self, min_value, max_value):
        self.__init_handle_by_constructor__(_ffi_api.ConstIntBound, min_value, max_value)


class ConstraintScope:
    """A `with` scope in which a condition is assumed (see Analyzer.constraint_scope)."""

    def __init__(self, fenter):
        self._fenter = fenter
        self._fexit = None

    def __enter__(self):
        self._fexit = self._fenter()
        return self

    def __exit__(self, ptype, value, trace):
        self._fexit()


class Analyzer:
    """Integer arithmetic analysis and simplification with shared knowledge.

    Variables are bound with `bind` (to a Range for a loop variable, or to an
    expression); `constraint_scope` assumes a condition inside a `with`.
    """

    def __init__(self):
        mod = _ffi_api.CreateAnalyzer()
        self._const_int_bound = mod("const_int_bound")
        self._const_int_bound_update = mod("const_int_bound_update")
        self._const_int_bound_is_bound = mod("const_int_bound_is_bound")
        self._bind = mod("bind")
        self._modular_set = mod("modular_set")
        self._simplify = mod("Simplify")
        self._rewrite_simplify = mod("rewrite_simplify")
        self._canonical_simplify = mod("canonical_simplify")
        self._int_set = mod("int_set")
        self._enter_constraint_context = mod("enter_constraint_context")
        self._can_prove = mod("can_prove")
        self._can_prove_equal = mod("can_prove_equal")
        self._can_prove_greater_equal = mod("can_prove_greater_equal")
        self._can_prove_less = mod("can_prove_less")
        self._mark_global_non_neg_value = mod("mark_global_non_neg_value")

    def const_int_bound(self, expr):
        """Constant bounds of an integer expression (a ConstIntBound)."""
        return self._const_int_bound(expr)

    def const_int_bound_is_bound(self, var):
        """Whether var has bounds set by bind or update."""
        return self._const_int_bound_is_bound(var)

    def modular_set(self, expr):
        """The residues expr can have (a ModularSet)."""
        return self._modular_set(expr)

    def simplify(self, expr, steps=2):
        """Simplify with the rewrite and canonical simplifiers in turn (`steps` passes)."""
        return self._simplify(expr, steps)

    def rewrite_simplify(self, expr):
        """Simplify with the rule-based simplifier."""
        return self._rewrite_simplify(expr)

    def canonical_simplify(self, expr):
        """Put an integer expression into its canonical sum-of-terms form."""
        return self._canonical_simplify(expr)

    def int_set(self, expr, dom_map=None):
        """The IntSet of expr when the variables of dom_map ({Var: IntSet}) range over their sets."""
        return self._int_set(expr, dom_map if dom_map is not None else {})

    def can_prove(self, expr, strength=ProofStrength.DEFAULT):
        """Whether the condition always holds (False means "not proven")."""
        return bool(self._can_prove(expr, int(strength)))

    def can_prove_equal(self, lhs, rhs):
        """Whether lhs == rhs always holds."""
        return bool(self._can_prove_equal(lhs, rhs))

    def can_prove_greater_equal(self, expr, lower_bound):
        """Whether expr >= lower_bound (an int) always holds."""
        return bool(self._can_prove_greater_equal(expr, lower_bound))

    def can_prove_less(self, expr, upper_bound):
        """Whether expr < upper_bound (an int) always holds."""
        return bool(self._can_prove_less(expr, upper_bound))

    def mark_global_non_neg_value(self, value):
        """Record that value (a shape expression) is never negative."""
        self._mark_global_non_neg_value(value)

    def bind(self, var, expr, allow_override=False):
        """Bind var to a Range (a loop variable's domain) or to an expression."""
        return self._bind(var, expr, allow_override)

    def constraint_scope(self, constraint):
        """A `with` scope inside which `constraint` is assumed.

            with analyzer.constraint_scope(x % 3 == 0):
                analyzer.modular_set(x)   # ModularSet(3, 0)
        """

        def _fenter():
            return self._enter_constraint_context(constraint)

        return ConstraintScope(_fenter)

    def update(self, var, info, override=False):
        """Set what is known about var; info is a ConstIntBound."""
        if isinstance(info, ConstIntBound):
            self._const_int_bound_update(var, info, override)
        else:
            raise TypeError(f"Analyzer.update: do not know how to use {type(info).__name__}")


__all__ = ["ProofStrength", "ModularSet", "ConstIntBound", "ConstraintScope", "Analyzer"]
