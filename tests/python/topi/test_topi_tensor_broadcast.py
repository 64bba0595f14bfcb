# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""TOPI broadcast operators against numpy."""
import numpy as np
import pytest

import tvm
from tvm import te, topi


def build_run(out, inputs, arrays):
    with tvm.target.Target("llvm"):
        s = topi.generic.schedule_broadcast(out)
    f = tvm.build(s, inputs + [out], "llvm")
    res = tvm.nd.array(np.zeros([int(d) for d in out.shape], dtype=out.dtype))
    f(*[tvm.nd.array(a) for a in arrays], res)
    return res.numpy()


SHAPES = [((5, 4), (5, 4)), ((4, 1, 3), (5, 1)), ((1,), (2, 3)), ((2, 1, 4), (3, 1)), ((), (3,))]
FLOAT_OPS = {
    "add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.divide,
    "maximum": np.maximum, "minimum": np.minimum, "power": np.power, "floor_divide": np.floor_divide,
    "floor_mod": np.mod, "mod": np.fmod,
}
CMP_OPS = {"equal": np.equal, "not_equal": np.not_equal, "less": np.less, "less_equal": np.less_equal,
           "greater": np.greater, "greater_equal": np.greater_equal}


@pytest.mark.parametrize("op", list(FLOAT_OPS) + list(CMP_OPS))
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_float_binary(op, shapes):
    sa, sb = shapes
    np.random.seed(0)  # reproducible values: floor_mod of near-multiples is 1 ulp sensitive
    a = np.random.uniform(0.5, 3, size=sa).astype("float32")
    b = np.random.uniform(0.5, 3, size=sb).astype("float32")
    if op in CMP_OPS:
        a, b = np.round(a), np.round(b)  # some equal pairs
    A, B = te.placeholder(sa, name="A"), te.placeholder(sb, name="B")
    C = getattr(topi, op)(A, B)
    assert C.op.tag == "broadcast"
    out = build_run(C, [A, B], [a, b])
    ref = {**FLOAT_OPS, **CMP_OPS}[op](a, b)
    assert out.dtype == ref.dtype
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)


INT_OPS = {
    "add": np.add, "subtract": np.subtract, "multiply": np.multiply, "floor_divide": np.floor_divide,
    "floor_mod": np.mod, "mod": np.fmod, "bitwise_and": np.bitwise_and, "bitwise_or": np.bitwise_or,
    "bitwise_xor": np.bitwise_xor, "left_shift": np.left_shift, "right_shift": np.right_shift,
    "maximum": np.maximum, "minimum": np.minimum, "trunc_divide": lambda a, b: np.trunc(a / b).astype(a.dtype),
}


@pytest.mark.parametrize("op", list(INT_OPS))
@pytest.mark.parametrize("dtype", ["int32", "int64", "int8"])
def test_int_binary(op, dtype):
    a = np.random.randint(-20, 20, size=(3, 4)).astype(dtype)
    b = np.random.randint(1, 6, size=(4,)).astype(dtype)
    if "shift" in op:
        a = np.abs(a)
    A, B = te.placeholder(a.shape, dtype, name="A"), te.placeholder(b.shape, dtype, name="B")
    out = build_run(getattr(topi, op)(A, B), [A, B], [a, b])
    np.testing.assert_array_equal(out, INT_OPS[op](a, b))


@pytest.mark.parametrize("op", ["logical_and", "logical_or", "logical_xor"])
def test_logical(op):
    a = np.random.rand(3, 4) > 0.5
    b = np.random.rand(4) > 0.5
    A, B = te.placeholder(a.shape, "bool", name="A"), te.placeholder(b.shape, "bool", name="B")
    out = build_run(getattr(topi, op)(A, B), [A, B], [a, b])
    np.testing.assert_array_equal(out, getattr(np, op)(a, b))


def test_scalar_operands():
    a = np.random.rand(3, 4).astype("float32")
    A = te.placeholder(a.shape, name="A")
    for C, ref in [(topi.add(A, 2), a + 2), (topi.subtract(1.5, A), 1.5 - a), (topi.maximum(A, 0.5), np.maximum(a, 0.5)),
                   (A * 3.0, a * 3), (2.0 / A, 2 / a), (A - A, a - a)]:
        np.testing.assert_allclose(build_run(C, [A], [a]), ref, rtol=1e-6)
    assert topi.add(A, 2).op.tag == "elemwise"
    x, y = te.var("x"), te.var("y")
    assert isinstance(topi.add(x, y), tvm.tir.PrimExpr)


def test_broadcast_to_and_where():
    a = np.random.rand(3, 1).astype("float32")
    A = te.placeholder(a.shape, name="A")
    np.testing.assert_array_equal(build_run(topi.broadcast_to(A, (2, 3, 4)), [A], [a]), np.broadcast_to(a, (2, 3, 4)))
    c = np.random.rand(4) > 0.5
    x = np.random.rand(3, 4).astype("float32")
    y = np.random.rand(3, 1).astype("float32")
    Cc, X, Y = te.placeholder(c.shape, "bool", name="c"), te.placeholder(x.shape, name="x"), te.placeholder(y.shape, name="y")
    np.testing.assert_array_equal(build_run(topi.where(Cc, X, Y), [Cc, X, Y], [c, x, y]), np.where(c, x, y))


def test_shape_errors_name_op_and_shapes():
    A, B = te.placeholder((4, 3), name="A"), te.placeholder((5,), name="B")
    with pytest.raises(ValueError, match=r"topi.add: shapes \(4, 3\) and \(5,\) do not broadcast"):
        topi.add(A, B)
    with pytest.raises(ValueError, match=r"topi.broadcast_to: shapes \(4, 3\) and \(4, 6\) do not broadcast"):
        topi.broadcast_to(A, (4, 6))
    with pytest.raises(TypeError, match="topi.add: operands A \\(float32\\) and I \\(int32\\)"):
        topi.add(A, te.placeholder((4, 3), "int32", name="I"))


def test_symbolic_broadcast():
    n = te.var("n")
    A, B = te.placeholder((n, 1), name="A"), te.placeholder((4,), name="B")
    C = topi.add(A, B)
    assert str(C.shape[0]) == "n" and int(C.shape[1]) == 4
    with tvm.target.Target("llvm"):
        s = topi.generic.schedule_injective(C)
    f = tvm.build(s, [A, B, C], "llvm")
    a, b = np.random.rand(7, 1).astype("float32"), np.random.rand(4).astype("float32")
    c = tvm.nd.array(np.zeros((7, 4), "float32"))
    f(tvm.nd.array(a), tvm.nd.array(b), c)
    np.testing.assert_allclose(c.numpy(), a + b)


def test_tensor_operators_after_import():
    n = te.var("n")
    A0 = te.placeholder((), name="A0")
    B = te.placeholder((4, 3), name="B")
    assert isinstance(n + n, tvm.tir.PrimExpr)
    for expr in (1 + B, B + 1, n + B, B * n, A0 + B, B / A0, 2.0 - B, B[0, 0] + A0, A0 + 1):
        assert isinstance(expr, te.Tensor)
    assert (B + 1).op.tag == "elemwise" and (A0 + B).op.tag == "broadcast"
    assert isinstance(B[0, 0] + 1, tvm.tir.PrimExpr)
    C = (B * 2.0 - 1).astype("int32")
    assert C.dtype == "int32"
    b = np.random.uniform(0, 4, size=(4, 3)).astype("float32")
    np.testing.assert_array_equal(build_run(C, [B], [b]), (b * 2 - 1).astype("int32"))
    # A float tensor and an int32 variable meet under TIR's promotion.
    k = te.var("k")
    D = B + k
    assert D.dtype == "float32"
