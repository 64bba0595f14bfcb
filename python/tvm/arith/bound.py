# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Solving conditions for one variable."""
from . import _ffi_api


def deduce_bound(var, cond, hint_map, relax_map):
    """The IntSet of var for which cond holds for every value of the relaxed variables.

    hint_map and relax_map are {Var: IntSet}; hints only decide signs. Returns
    an empty set (is_nothing()) when cond cannot be solved for var.
    """
    return _ffi_api.DeduceBound(var, cond, hint_map, relax_map)
