# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""schedule_to_module, tvm.build of {target: module}, Module.entry_name."""
import numpy as np
import pytest

import tvm
from tvm import te, tir
from tvm.driver.build_module import schedule_to_module


def _double():
    A = te.placeholder((16,), name="A")
    B = te.compute((16,), lambda i: A[i] * 2.0, name="B")
    return A, B, te.create_schedule(B.op)


def test_schedule_to_module_runs_no_pass():
    A, B, s = _double()
    mod = schedule_to_module(s, [A, B], name="dbl")
    assert [gv.name_hint for gv in mod.get_global_vars()] == ["dbl"]
    func = mod["dbl"]
    assert func.attrs["global_symbol"] == "dbl"
    assert bool(func.attrs["tir.noalias"]) and bool(func.attrs["from_legacy_te_schedule"])
    a, b = (func.buffer_map[p] for p in func.params)
    i = func.body.loop_var
    expected = tir.For(
        i, 0, 16, tir.ForKind.SERIAL,
        tir.BufferStore(b, tir.BufferLoad(a, [i]) * tir.const(2.0, "float32"), [i]),
    )
    tvm.ir.assert_structural_equal(func.body, expected)
    # tvm.lower is this module after the passes.
    lowered = tvm.lower(s, [A, B], name="dbl")
    tvm.ir.assert_structural_equal(lowered["dbl"], func)
    assert tvm.driver.schedule_to_module is schedule_to_module


def test_schedule_to_module_keeps_intermediate_realize():
    A = te.placeholder((8,), name="A")
    B = te.compute((8,), lambda i: A[i] + 1.0, name="B")
    C = te.compute((8,), lambda i: B[i] * 2.0, name="C")
    mod = schedule_to_module(te.create_schedule(C.op), [A, C])
    body = mod["main"].body
    # The stage's scope is in its buffer (no "realize_scope" attribute around the realize).
    assert isinstance(body, tir.BufferRealize) and body.buffer.name == "B"
    assert body.buffer.data.type_annotation.storage_scope == ""


def test_schedule_to_module_rejects_other_inputs():
    with pytest.raises(TypeError, match="expects a te.Schedule"):
        schedule_to_module(tir.Evaluate(0), [])


def test_build_dict_of_target_to_module():
    A, B, s = _double()
    mod = tvm.lower(s, [A, B], name="dbl")
    built = tvm.build({"llvm": mod})
    a = tvm.nd.array(np.arange(16, dtype="float32"))
    b = tvm.nd.empty((16,), "float32")
    built["dbl"](a, b)
    np.testing.assert_array_equal(b.numpy(), np.arange(16, dtype="float32") * 2)
    with pytest.raises(TypeError, match="maps targets to IRModules"):
        tvm.build({"llvm": 3})
    with pytest.raises(ValueError, match="empty"):
        tvm.build({})


def test_entry_name_times_the_main_function():
    A, B, s = _double()
    f = tvm.build(s, [A, B])
    assert f.entry_name == "__tvm_main__"
    a = tvm.nd.array(np.ones(16, dtype="float32"))
    b = tvm.nd.empty((16,), "float32")
    result = f.time_evaluator(f.entry_name, tvm.cpu(), number=2)(a, b)
    assert len(result.results) == 1 and result.mean >= 0
    np.testing.assert_array_equal(b.numpy(), np.full(16, 2, "float32"))
