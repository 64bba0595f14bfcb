# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""PrimFuncPass from Python: the decorator on functions and classes, Apply, and pass info."""
import pytest

import tvm
from tvm import tir


def _module():
    A = tir.decl_buffer((4,), name="A")
    return tvm.IRModule({"main": tir.PrimFunc([A], tir.BufferStore(A, tir.const(1.0, "float32"), [0]))})


def test_function_decorator():
    @tvm.tir.transform.prim_func_pass(opt_level=1, name="MarkFunc")
    def mark(func, mod, ctx):
        return func.with_attr("marked", 1)

    assert isinstance(mark, tvm.tir.transform.PrimFuncPass)
    assert mark.info.name == "MarkFunc" and mark.info.opt_level == 1
    out = mark(_module())
    assert int(out["main"].attrs["marked"]) == 1


def test_class_decorator():
    @tvm.tir.transform.prim_func_pass(opt_level=0)
    class SetAttr:
        def __init__(self, value):
            self.value = value

        def transform_function(self, func, mod, ctx):
            return func.with_attr("value", self.value)

    p = SetAttr(7)
    assert p.value == 7
    assert int(p(_module())["main"].attrs["value"]) == 7


def test_apply_and_opt_level_gating():
    applied = tvm.tir.transform.Apply(lambda f: f.with_attr("applied", 1))
    assert int(applied(_module())["main"].attrs["applied"]) == 1

    @tvm.tir.transform.prim_func_pass(opt_level=3)
    def late(func, mod, ctx):
        return func.with_attr("late", 1)

    # Sequential runs a pass only when the context's opt_level reaches it.
    with tvm.transform.PassContext(opt_level=2):
        out = tvm.transform.Sequential([late])(_module())
    assert out["main"].attrs is None or "late" not in out["main"].attrs
    with tvm.transform.PassContext(opt_level=3):
        out = tvm.transform.Sequential([late])(_module())
    assert int(out["main"].attrs["late"]) == 1


def test_opt_level_required():
    with pytest.raises(ValueError, match="opt_level"):
        tvm.tir.transform.prim_func_pass(lambda f, m, c: f)


def test_builtin_passes_are_prim_func_passes():
    for make in [tvm.tir.transform.Simplify, tvm.tir.transform.RemoveNoOp, tvm.tir.transform.UnrollLoop]:
        assert isinstance(make(), tvm.tir.transform.PrimFuncPass)
    assert tvm.tir.transform.StorageFlatten(64).info.name == "tir.StorageFlatten"
