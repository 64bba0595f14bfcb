# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Solving conditions for one variable."""
from . import _ffi_api


def deduce_bound(var, cond, hint_map, relax_map):
    """The IntSet of var for which cond holds for every value of the relaxed variables.

    hint_map and relax_map are {Var: IntSet}; hints only decide signs. Returns
    an empty set (is_nothing()) when cond cannot be solved for var.
    """
    return _ffi_api.DeduceBound(var, cond, hint_map, relax_map)


def narrow_predicate_expression(expr, free_parameters):
    """A condition without the free parameters that implies expr for all their values.

    free_parameters is {Var: Range}. Each parameter is replaced by the end of
    its range that makes expr hardest to satisfy (i < n with n in [0, 8)
    becomes i < 0); a comparison that cannot be bounded that way (a remainder,
    a buffer load, a parameter in a divisor) becomes False.
    """
    return _ffi_api.NarrowPredicateExpression(expr, free_parameters)
