# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Systems of integer constraints and their solvers.

    x, y = te.var("x"), te.var("y")
    t = solve_linear_equations([x + y == 20, x - y == 10], [x, y])
    t.src_to_dst[x], t.src_to_dst[y]           # 15, 5
    r = solve_linear_inequalities([x + y <= 20, x - y >= 10], [x, y],
                                  {y: tvm.ir.Range(0, 10)})
    r.ranges[y]                                # [0, 6)
    r.ranges[x]                                # min y + 10, extent 11

An infeasible system is reported in the result, not raised: no variables and
the single relation False.
"""
from .._ffi.registry import register_object
from ..runtime.object import Object
from . import _ffi_api


@register_object("arith.IntGroupBounds")
class IntGroupBounds(Object):
    """Bounds on coef * v for one variable v: coef * v >= each of lower,
    == each of equal, <= each of upper (lists of PrimExpr)."""

    def __init__(self, coef, lower, equal, upper):
        self.__init_handle_by_constructor__(_ffi_api.IntGroupBounds, coef, lower, equal, upper)

    @staticmethod
    def from_range(rng):
        """The bounds of v in rng (an equality when rng.extent is 1)."""
        return _ffi_api.IntGroupBounds_from_range(rng)

    def find_best_range(self, vranges=None):
        """The narrowest Range of v one lower and one upper bound give, with
        other variables in vranges ({Var: Range}); None when v is unbounded."""
        if vranges is None:
            return _ffi_api.IntGroupBounds_FindBestRange(self)
        return _ffi_api.IntGroupBounds_FindBestRange(self, vranges)


@register_object("arith.IntConstraints")
class IntConstraints(Object):
    """Integer variables, the ranges of some of them (or of outer parameters),
    and relations (equations, inequalities or other conditions) over them."""

    def __init__(self, variables, ranges, relations):
        self.__init_handle_by_constructor__(_ffi_api.IntConstraints, variables, ranges, relations)


@register_object("arith.IntConstraintsTransform")
class IntConstraintsTransform(Object):
    """Two equivalent systems src and dst, with src_to_dst writing each src
    variable in dst variables and dst_to_src the reverse."""

    def __init__(self, src, dst, src_to_dst, dst_to_src):
        self.__init_handle_by_constructor__(
            _ffi_api.IntConstraintsTransform, src, dst, src_to_dst, dst_to_src
        )


def solve_linear_equations(equations, variables=None, ranges=None):
    """Solve the linear equations among `equations` for `variables` over the integers.

    equations is a list of relations or an IntConstraints (then variables and
    ranges are not given); ranges is {Var: Range}. Returns an
    IntConstraintsTransform: dst holds the fresh variables left free (none
    when the solution is unique), their ranges, and the conditions a solution
    needs; src_to_dst gives each variable's solution.
    """
    if isinstance(equations, IntConstraints):
        _no_extra_arguments("solve_linear_equations", variables, ranges)
        return _ffi_api.SolveLinearEquations(equations)
    return _ffi_api.SolveLinearEquations(variables, ranges, equations)


def solve_linear_inequalities(equations, variables=None, ranges=None, deskew_range=False):
    """Solve linear inequalities for `variables` (eliminated in order).

    Returns an IntConstraints with the narrowest range found for each variable
    (ranges of earlier variables may mention later ones) and the relations the
    ranges do not express. With deskew_range=True each variable is replaced
    by one starting at zero, and an IntConstraintsTransform is returned.
    """
    solver = _ffi_api.SolveInequalitiesDeskewRange if deskew_range else _ffi_api.SolveInequalitiesToRange
    if isinstance(equations, IntConstraints):
        _no_extra_arguments("solve_linear_inequalities", variables, ranges)
        return solver(equations)
    return solver(variables, ranges, equations)


def _no_extra_arguments(name, variables, ranges):
    if variables is not None or ranges is not None:
        raise ValueError(
            f"{name}: variables and ranges come from the IntConstraints given; pass them only with a list of relations"
        )
