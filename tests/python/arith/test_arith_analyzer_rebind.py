# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Rebinding a variable (allow_override=True) replaces everything known of it."""
import tvm
from tvm import te


def test_range_after_unit_range_forgets_the_old_value():
    # Sibling loops may share a loop variable: `for i in [0, 1)` binds i to 0,
    # the next `for i in [1, n)` must not keep any fact about 0.
    i, n = te.var("i"), te.var("n")
    ana = tvm.arith.Analyzer()
    ana.bind(i, tvm.ir.Range.from_min_extent(0, 1))
    assert ana.modular_set(i * 2).coeff == 0
    ana.bind(i, tvm.ir.Range.from_min_extent(1, n), allow_override=True)
    m = ana.modular_set(i * 2)
    assert (m.coeff, m.base) == (2, 0)
    assert not ana.can_prove(i == 0)
    assert ana.const_int_bound(i).min_value == 1
    assert not isinstance(ana.simplify(i + 1), tvm.tir.IntImm)


def test_range_after_expression_forgets_the_expression():
    i, j = te.var("i"), te.var("j")
    ana = tvm.arith.Analyzer()
    ana.bind(i, j * 4)
    assert ana.modular_set(i).coeff == 4
    ana.bind(i, tvm.ir.Range(0, 10), allow_override=True)
    m = ana.modular_set(i)
    assert (m.coeff, m.base) == (1, 0)
    assert ana.const_int_bound(i).max_value == 9


def test_bind_to_a_float_division():
    # The code generator binds Let variables; a float value with a division must not reach
    # the integer analyzers' truncdiv (it raised "truncdiv needs integer operands").
    x = tvm.te.var("x", "float32")
    v = tvm.te.var("v", "float32")
    one = tvm.tir.const(1.0, "float32")
    a = tvm.arith.Analyzer()
    a.bind(v, one / (one + x * 0.5))
    assert not a.int_set(one / (one + x)).is_nothing()
