# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Integer arithmetic analysis: bounds, modular sets, simplification, interval sets.

    ana = tvm.arith.Analyzer()
    ana.bind(i, tvm.ir.Range(0, 4))
    ana.simplify((x * 4 + i) // 4)      # x
    ana.const_int_bound(i * 2 + 1)      # ConstIntBound(min_value=1, max_value=7)
    with ana.constraint_scope(x < 10):
        ana.can_prove(x < 11)           # True
"""
from .int_set import IntSet, IntervalSet, pos_inf, neg_inf, union_lower_bound
from .analyzer import ModularSet, ConstIntBound, Analyzer, ProofStrength, ConstraintScope
from .bound import deduce_bound, narrow_predicate_expression
from .pattern import detect_linear_equation, detect_clip_bound
from .iter_affine_map import IterMapExpr, IterMark, IterSplitExpr, IterSumExpr, IterMapResult
from .iter_affine_map import IterMapLevel, detect_iter_map, iter_map_simplify
from .iter_affine_map import normalize_iter_map_to_expr, normalize_to_iter_sum
from .iter_affine_map import subspace_divide, inverse_affine_iter_map
from .iter_affine_map import estimate_region_lower_bound, estimate_region_strict_bound
from .iter_affine_map import estimate_region_upper_bound
from .pattern import detect_common_subexpr
from .int_solver import (
    IntGroupBounds,
    IntConstraints,
    IntConstraintsTransform,
    solve_linear_equations,
    solve_linear_inequalities,
)
