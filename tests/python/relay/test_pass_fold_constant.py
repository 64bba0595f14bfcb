# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""FoldConstant: constant subexpressions become constants (exact IR, values, one evaluation a run)."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay import transform
from tvm.relay.transform import transform as transform_module


def _fold(func, *passes):
    mod = transform.InferType()(tvm.IRModule.from_expr(func))
    for p in passes or [transform.FoldConstant()]:
        mod = p(mod)
    return mod["main"]


def _typed(func):
    return transform.InferType()(tvm.IRModule.from_expr(func))["main"]


@pytest.fixture
def count_evaluations():
    """How many times FoldConstant called its evaluator."""
    calls = []
    original = transform_module._evaluate_constants

    def counting(func, mod):
        calls.append(len(func.body.fields))
        return original(func, mod)

    tvm._ffi.register_func("relay.transform._evaluate_constants", counting, override=True)
    yield calls
    tvm._ffi.register_func("relay.transform._evaluate_constants", original, override=True)


def test_chain_of_constants_folds_once(count_evaluations):
    c = np.array([1.0, 2.0, 3.0], "float32")
    x = relay.var("x", shape=(3,))
    k = relay.const(c)
    y = relay.add(x, relay.multiply(relay.add(k, k), relay.const(2.0)))
    z = relay.subtract(y, relay.negative(relay.const(c)))
    after = _fold(relay.Function([x], z))
    want = relay.Function([x], relay.subtract(relay.add(x, relay.const((c + c) * 2)), relay.const(-c)))
    tvm.ir.assert_structural_equal(after, _typed(want))
    assert count_evaluations == [2]  # two folded subexpressions, one evaluation


def test_nothing_to_fold_evaluates_nothing(count_evaluations):
    x = relay.var("x", shape=(3,))
    func = relay.Function([x], relay.add(x, relay.const(1.0)))
    before = _typed(func)
    after = transform.FoldConstant()(tvm.IRModule.from_expr(before))["main"]
    tvm.ir.assert_structural_equal(after, before)
    assert count_evaluations == []


def test_let_bound_constants_are_inlined():
    x = relay.var("x", shape=(1,))
    t1, t2, t3 = relay.var("t1"), relay.var("t2"), relay.var("t3")
    c = np.array(1.0, "float32")
    body = relay.Let(t1, relay.const(c), relay.Let(t2, relay.add(t1, t1), relay.Let(t3, relay.add(t2, x), t3)))
    after = _fold(relay.Function([x], body))
    t3b = relay.var("t3")
    want = relay.Function([x], relay.Let(t3b, relay.add(relay.const(c + c), x), t3b))
    tvm.ir.assert_structural_equal(after, _typed(want))


def test_let_bound_tuple_stays_bound():
    x = relay.var("x", shape=(2,))
    t = relay.var("t")
    c = np.array([1.0, 2.0], "float32")
    body = relay.Let(t, relay.Tuple([relay.negative(relay.const(c)), relay.const(c)]), relay.add(x, relay.TupleGetItem(t, 0)))
    after = _fold(relay.Function([x], body))
    tb = relay.var("t")
    want = relay.Function([x], relay.Let(tb, relay.Tuple([relay.const(-c), relay.const(c)]), relay.add(x, relay.TupleGetItem(tb, 0))))
    tvm.ir.assert_structural_equal(after, _typed(want))


def test_tuple_projection_and_split():
    x = relay.var("x", shape=(2,))
    c = np.arange(4, dtype="float32")
    parts = relay.split(relay.const(c), 2)
    tup = relay.Tuple([x, relay.const(c[:2])])
    z = relay.add(relay.add(parts[1], tup[1]), tup[0])
    after = _fold(relay.Function([x], z))
    want = relay.Function([x], relay.add(relay.const(c[2:] + c[:2]), x))
    tvm.ir.assert_structural_equal(after, _typed(want))


def test_tuple_valued_result_becomes_tuple_of_constants():
    c = np.arange(6, dtype="float32").reshape(2, 3)
    after = _fold(relay.Function([], relay.split(relay.const(c), 3, axis=1).astuple()))
    assert isinstance(after.body, relay.Tuple) and len(after.body.fields) == 3
    for i, f in enumerate(after.body.fields):
        assert isinstance(f, relay.Constant)
        np.testing.assert_array_equal(f.data.numpy(), c[:, i : i + 1])


@pytest.mark.parametrize("cond,expect", [(True, np.add), (False, np.subtract)])
def test_if_on_constant(cond, expect):
    d = np.array([[1.0, 2.0, 3.0]], "float32")
    a, b = relay.const(d), relay.const(d)
    after = _fold(relay.Function([], relay.If(relay.const(cond), a + b, a - b)))
    tvm.ir.assert_structural_equal(after, _typed(relay.Function([], relay.const(expect(d, d)))))


def test_if_on_computed_condition_takes_the_branch():
    x = relay.var("x", shape=(2,))
    cond = relay.greater(relay.const(3.0), relay.const(2.0))
    after = _fold(relay.Function([x], relay.If(cond, relay.add(x, relay.const(1.0)), x)))
    tvm.ir.assert_structural_equal(after, _typed(relay.Function([x], relay.add(x, relay.const(1.0)))))


@pytest.mark.parametrize("dtype", ["int32", "int64", "float32"])
def test_shape_of_and_ndarray_size(dtype):
    x = relay.var("x", shape=(8, 9, 10))
    y = relay.var("y", shape=(8, 9, 10))
    after = _fold(relay.Function([x, y], relay.shape_of(x + y, dtype)))
    tvm.ir.assert_structural_equal(after, _typed(relay.Function([x, y], relay.const(np.array([8, 9, 10], dtype), dtype))))
    after = _fold(relay.Function([x, y], relay.ndarray_size(x + y, dtype)))
    tvm.ir.assert_structural_equal(after, _typed(relay.Function([x, y], relay.const(np.array(720, dtype), dtype))))


def test_shape_of_feeds_a_constant_computation():
    x = relay.var("x", shape=(4, 6))
    new_shape = relay.multiply(relay.shape_of(x), relay.const(np.array([2, 1], "int32")))
    after = _fold(relay.Function([x], relay.add(new_shape, relay.const(1))))
    want = relay.Function([x], relay.const(np.array([9, 7], "int32")))
    tvm.ir.assert_structural_equal(after, _typed(want))


def test_shape_of_dynamic_shape_stays():
    x = relay.var("x", shape=(relay.Any(), 3))
    func = relay.Function([x], relay.shape_of(x))
    tvm.ir.assert_structural_equal(_fold(func), _typed(func))


def test_what_is_not_folded():
    x = relay.var("x", shape=(4,))
    c = relay.const(np.arange(4, dtype="float32"))
    # stateful (dropout), no arguments (zeros), calls of functions, and parameters.
    p = relay.var("p", shape=(4,))
    inner = relay.Function([p], relay.negative(p))
    body = relay.Tuple([relay.nn.dropout(c), relay.zeros((4,), "float32"), inner(c), relay.add(x, c)])
    func = relay.Function([x], body)
    tvm.ir.assert_structural_equal(_fold(func), _typed(func))


def test_primitive_function_is_left_alone():
    p = relay.var("p", shape=(3,))
    c = relay.const(np.ones(3, "float32"))
    prim = relay.Function([p], relay.add(p, relay.add(c, c))).with_attr("Primitive", 1)
    x = relay.var("x", shape=(3,))
    func = relay.Function([x], prim(x))
    tvm.ir.assert_structural_equal(_fold(func), _typed(func))


def test_batch_norm_folds_into_conv_weights_numerically():
    rng = np.random.default_rng(0)
    x = relay.var("x", shape=(1, 3, 8, 8))
    w = relay.const(rng.standard_normal((4, 3, 3, 3)).astype("float32"))
    params = [relay.const(a.astype("float32")) for a in (rng.uniform(0.5, 1.5, 4), rng.standard_normal(4),
                                                        rng.standard_normal(4), rng.uniform(0.5, 1.5, 4))]
    y = relay.nn.batch_norm(relay.nn.conv2d(x, w, padding=(1, 1)), *params)[0]
    func = relay.Function([x], relay.nn.relu(y))
    after = _fold(func, transform.SimplifyInference(), transform.FoldConstant())
    ops = []
    relay.analysis.post_order_visit(after, lambda e: ops.append(e.op.name) if isinstance(e, relay.Call) else None)
    assert ops == ["nn.conv2d", "multiply", "add", "nn.relu"]  # scale and shift folded to constants
    xd = rng.standard_normal((1, 3, 8, 8)).astype("float32")
    ref = relay.create_executor("debug", mod=tvm.IRModule.from_expr(func)).evaluate()(xd).numpy()
    got = relay.create_executor("debug", mod=tvm.IRModule.from_expr(after)).evaluate()(xd).numpy()
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)


def test_fold_in_nested_function_and_other_globals():
    mod = tvm.IRModule()
    x = relay.var("x", shape=(2,))
    k = relay.const(np.array([1.0, 2.0], "float32"))
    helper = relay.GlobalVar("helper")
    mod[helper] = relay.Function([x], relay.add(x, relay.negative(k)))
    y = relay.var("y", shape=(2,))
    z = relay.var("z", shape=(2,))
    inner = relay.Function([z], relay.multiply(z, relay.exp(relay.const(np.zeros(2, "float32")))))
    mod["main"] = relay.Function([y], inner(helper(y)))
    out = transform.FoldConstant()(transform.InferType()(mod))
    assert "negative" not in out["helper"].astext() and "exp" not in out["main"].astext()
    np.testing.assert_array_equal(out["helper"].body.args[1].data.numpy(), [-1.0, -2.0])


def test_fold_constant_expr_and_qnn_flag_signature():
    c = relay.const(np.array([1, 2], "int32"))
    e = relay.add(c, c)
    relay.transform.InferTypeLocal(e)
    out = transform.FoldConstantExpr(e, tvm.IRModule())
    np.testing.assert_array_equal(out.data.numpy(), [2, 4])
    assert isinstance(transform.FoldConstant(fold_qnn=True), tvm.transform.Pass)


def test_long_chain():
    # 100,000 operators on a parameter with constant operands built from constants.
    x = relay.var("x", shape=(2,))
    k = relay.add(relay.const(np.ones(2, "float32")), relay.const(np.ones(2, "float32")))
    y = x
    for _ in range(100000):
        y = relay.add(y, k)
    after = _fold(relay.Function([x], y))
    node, depth = after.body, 0
    while isinstance(node, relay.Call):
        assert isinstance(node.args[1], relay.Constant)
        node, depth = node.args[0], depth + 1
    assert depth == 100000
    np.testing.assert_array_equal(after.body.args[1].data.numpy(), [2.0, 2.0])


def test_build_pipeline_before_fusion():
    # relay.build's order: the batch norm folds to one constant scale and shift, then fuses with the conv.
    rng = np.random.default_rng(1)
    x = relay.var("x", shape=(1, 3, 8, 8))
    w = relay.const(rng.standard_normal((4, 3, 3, 3)).astype("float32"))
    stats = [relay.const(a.astype("float32")) for a in (rng.uniform(0.5, 1.5, 4), rng.standard_normal(4),
                                                       rng.standard_normal(4), rng.uniform(0.5, 1.5, 4))]
    y = relay.nn.relu(relay.nn.batch_norm(relay.nn.conv2d(x, w, padding=(1, 1)), *stats)[0])
    mod = tvm.IRModule.from_expr(relay.Function([x], y))
    seq = tvm.transform.Sequential([transform.InferType(), transform.SimplifyInference(), transform.FoldConstant(),
                                    transform.EliminateCommonSubexpr(), transform.SimplifyExpr(),
                                    transform.FuseOps(fuse_opt_level=2)])
    with tvm.transform.PassContext(opt_level=3):
        out = seq(mod)
    call = out["main"].body
    assert isinstance(call.op, relay.Function) and int(call.op.attrs["Primitive"]) == 1
    assert all(isinstance(a, relay.Constant) for a in call.args[1:]) and len(call.args) == 4
    xd = rng.standard_normal((1, 3, 8, 8)).astype("float32")
    ref = relay.create_executor("debug", mod=mod).evaluate()(xd).numpy()
    got = relay.create_executor("debug", mod=out).evaluate()(xd).numpy()
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)
