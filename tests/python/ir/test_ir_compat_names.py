# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Names TVM v0.14 code reaches for: tvm.container, IRModule.from_expr,
structural equality of Python values."""
import pytest

import tvm
from tvm import te, tir


def test_container_module_alias():
    assert tvm.container.Array is tvm.runtime.container.Array
    assert tvm.container.Map is tvm.ir.Map
    assert isinstance(tvm.runtime.convert({"a": 1}), tvm.container.Map)
    assert isinstance(tvm.runtime.convert([1, 2]), tvm.ir.container.Array)


def test_structural_equal_of_python_values():
    assert tvm.ir.structural_equal(1, 1)
    assert not tvm.ir.structural_equal(1, 2)
    assert tvm.ir.structural_equal(2.5, 2.5)
    assert tvm.ir.structural_equal("abc", "abc")
    assert not tvm.ir.structural_equal("abc", "abd")
    assert tvm.ir.structural_equal([1, "x"], [1, "x"])
    # Python ints convert as int32 immediates, as everywhere in the IR.
    assert tvm.ir.structural_equal(tir.const(3, "int32"), 3)
    assert not tvm.ir.structural_equal(tir.const(3, "int64"), 3)
    assert tvm.ir.structural_hash(7) == tvm.ir.structural_hash(tir.const(7, "int32"))
    tvm.ir.assert_structural_equal(4, 4)
    with pytest.raises(ValueError, match="lhs: 1\n  rhs: 2"):
        tvm.ir.assert_structural_equal(1, 2)


def test_irmodule_from_expr():
    A = te.placeholder((4,), name="A")
    B = te.compute((4,), lambda i: A[i] + 1.0, name="B")
    lowered = tvm.lower(te.create_schedule(B.op), [A, B], name="f")["f"]
    mod = tvm.IRModule.from_expr(lowered)
    assert [gv.name_hint for gv in mod.get_global_vars()] == ["f"]  # its global_symbol
    unnamed = lowered.without_attr("global_symbol") if hasattr(lowered, "without_attr") else None
    if unnamed is not None:
        assert [gv.name_hint for gv in tvm.IRModule.from_expr(unnamed).get_global_vars()] == ["main"]
    other = tvm.IRModule.from_expr(lowered, functions={"g": lowered})
    assert sorted(gv.name_hint for gv in other.get_global_vars()) == ["f", "g"]
    with pytest.raises(TypeError, match="expects a function"):
        tvm.IRModule.from_expr(tir.const(1))
