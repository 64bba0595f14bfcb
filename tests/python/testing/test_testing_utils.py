# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The helpers of tvm.testing: comparisons, gradient and expression checks,
targets and features."""
import numpy as np
import pytest

import tvm
import tvm.testing
from tvm import te, tir


def test_assert_allclose_checks_shape_and_values():
    tvm.testing.assert_allclose(np.ones(4), np.ones(4) + 1e-9)
    with pytest.raises(AssertionError):
        tvm.testing.assert_allclose(np.ones(4), np.ones((1, 4)))  # numpy would broadcast
    with pytest.raises(AssertionError):
        tvm.testing.assert_allclose(np.ones(4), np.full(4, 1.1), rtol=1e-3)


def test_assert_prim_expr_equal_proves():
    x = te.var("x")
    y = te.var("y")
    tvm.testing.assert_prim_expr_equal(x * 2 + y - x, x + y)
    tvm.testing.assert_prim_expr_equal(x + 3, 3 + x)
    with pytest.raises(ValueError, match="are not equal"):
        tvm.testing.assert_prim_expr_equal(x + 1, x + 2)


def test_check_numerical_grads_accepts_right_gradients():
    rng = np.random.RandomState(0)
    a = rng.uniform(-1, 1, (3, 4))
    b = rng.uniform(-1, 1, (4,))

    def f(a, b):
        return float(np.sum(np.sin(a) * b))

    grad_a = np.cos(a) * b
    grad_b = np.sum(np.sin(a), axis=0)
    tvm.testing.check_numerical_grads(f, [a, b], [grad_a, grad_b])
    tvm.testing.check_numerical_grads(f, {"a": a, "b": b}, {"a": grad_a, "b": grad_b})


def test_check_numerical_grads_rejects_wrong_gradients():
    x = np.linspace(-1, 1, 6)

    def f(x):
        return float(np.sum(x**3))

    with pytest.raises(AssertionError, match="wrt '0' differ too much"):
        tvm.testing.check_numerical_grads(f, [x], [2 * x])
    with pytest.raises(AssertionError, match="unexpected shape"):
        tvm.testing.check_numerical_grads(f, [x], [np.zeros(3)])


def test_check_bool_expr_is_true():
    x = te.var("x")
    y = te.var("y")
    vranges = {x: tvm.ir.Range(0, 10), y: tvm.ir.Range(-3, 4)}
    tvm.testing.check_bool_expr_is_true(x + y >= y, vranges)
    tvm.testing.check_bool_expr_is_true(x > 2 * y, vranges, cond=2 * x > 4 * y)
    with pytest.raises(AssertionError, match="Counterexample: x = 0, y = -3"):
        tvm.testing.check_bool_expr_is_true(x + y >= 0, vranges)


def test_targets_follow_tvm_test_targets(monkeypatch):
    monkeypatch.setenv("TVM_TEST_TARGETS", "llvm;cuda")
    targets = tvm.testing._get_targets()
    assert [t["target"] for t in targets] == ["llvm", "cuda"]
    assert targets[0]["is_enabled"] and targets[0]["is_runnable"]
    assert tvm.testing.device_enabled("llvm")
    assert tvm.testing.device_enabled("llvm -mcpu=generic")
    names = [name for name, _ in tvm.testing.enabled_targets()]
    assert "llvm" in names
    monkeypatch.setenv("TVM_TEST_TARGETS", "cuda")
    if not tvm.testing.device_enabled("cuda"):
        # Nothing of the list can run here: llvm alone, as TVM's suite does.
        assert [t["target"] for t in tvm.testing._get_targets()] == ["llvm"]


def test_feature_marks():
    marks = tvm.testing.requires_llvm.marks()
    assert [m.name for m in marks] == ["llvm"]  # runs here: the marker only
    names = [m.name for m in tvm.testing.requires_cudnn.marks(support_required="compile-only")]
    assert "cudnn" in names and "cuda" in names and "gpu" in names and "skipif" in names
    assert [m.name for m in tvm.testing.requires_cuda.marks(support_required="optional")] == ["gpu", "cuda"]
    with pytest.raises(ValueError, match="support_required"):
        tvm.testing.requires_llvm.marks(support_required="sometimes")
    def test_something():
        pass

    decorated = tvm.testing.Feature.require("llvm")(test_something)
    assert [m.name for m in decorated.pytestmark] == ["llvm"]
    with pytest.raises(KeyError, match="unknown feature 'nope'"):
        tvm.testing.Feature.require("nope")


def test_parameters_need_equal_lengths():
    with pytest.raises(ValueError, match="same length"):
        tvm.testing.parameters((1, 2), (3,))
    with pytest.raises(RuntimeError, match="by_dict"):
        tvm.testing.parameter(1, by_dict={"a": 1})


def test_cached_fixture_needs_the_plugin_count():
    @tvm.testing.fixture(cache_return_value=True)
    def value():
        return 1

    generator = value.__wrapped__() if hasattr(value, "__wrapped__") else None
    if generator is not None:
        with pytest.raises(RuntimeError, match="tvm.testing.plugin isn't registered"):
            next(generator)


def test_stmt_functor_substitution_in_grid_check_names_vars():
    # check_bool_expr_is_true substitutes each variable by its grid index.
    n = tir.Var("n", "int32")
    tvm.testing.check_bool_expr_is_true(tir.floormod(n, 3) < 3, {n: tvm.ir.Range(-5, 11)})
