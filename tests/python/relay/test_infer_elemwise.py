# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Type relations of the elementwise, broadcast and unary operators."""
import pytest

import tvm
from tvm import relay, tir
from tvm.relay import transform

ARITHMETIC = ["add", "subtract", "multiply", "divide", "floor_divide", "floor_mod", "power", "mod", "maximum",
              "minimum"]
COMPARISON = ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]
LOGICAL = ["logical_and", "logical_or", "logical_xor"]
# The shifts type-check any dtype, as in TVM (test_opfix_level.py covers them).
BITWISE = ["bitwise_and", "bitwise_or", "bitwise_xor"]
# Type-check any dtype, as in TVM (an integer input is computed in floating point).
FLOAT_UNARY = ["exp", "log", "log2", "log10", "sqrt", "rsqrt", "sigmoid", "tanh", "sin", "cos", "tan", "sinh",
               "cosh", "asin", "acos", "atan", "asinh", "acosh", "atanh", "erf"]
FAST_UNARY = ["fast_exp", "fast_tanh", "fast_erf"]
ANY_UNARY = ["negative", "abs", "floor", "ceil", "round", "trunc", "sign", "copy", "zeros_like", "ones_like"]
PREDICATES = ["isnan", "isfinite", "isinf"]


def tt(shape, dtype="float32"):
    return relay.TensorType(shape, dtype)


def infer(expr):
    return transform.InferTypeLocal(expr)


def binary(name, a, b):
    return getattr(relay, name)(relay.var("a", a), relay.var("b", b))


@pytest.mark.parametrize("name", ARITHMETIC)
def test_arithmetic(name):
    assert infer(binary(name, tt((5, 1, 4)), tt((3, 1)))) == tt((5, 3, 4))
    assert infer(binary(name, tt((2, 3), "int32"), tt((), "int32"))) == tt((2, 3), "int32")
    with pytest.raises(tvm.error.DiagnosticError, match=rf"{name}: shapes \(5, 4\) and \(3,\) do not broadcast"):
        infer(binary(name, tt((5, 4)), tt((3,))))
    with pytest.raises(tvm.error.DiagnosticError, match=rf"{name}: the arguments' dtypes differ: float32"):
        infer(binary(name, tt((4,)), tt((4,), "int32")))


@pytest.mark.parametrize("name", COMPARISON)
def test_comparison(name):
    assert infer(binary(name, tt((2, 1)), tt((1, 7)))) == tt((2, 7), "bool")
    with pytest.raises(tvm.error.DiagnosticError, match=rf"{name}: the arguments' dtypes differ"):
        infer(binary(name, tt((2,), "int8"), tt((2,), "int16")))


@pytest.mark.parametrize("name", LOGICAL)
def test_logical(name):
    assert infer(binary(name, tt((3,), "bool"), tt((2, 1), "bool"))) == tt((2, 3), "bool")
    with pytest.raises(tvm.error.DiagnosticError, match=rf"{name}: the arguments must have a bool dtype, got int32"):
        infer(binary(name, tt((3,), "int32"), tt((3,), "int32")))


@pytest.mark.parametrize("name", BITWISE)
def test_bitwise(name):
    assert infer(binary(name, tt((3,), "uint8"), tt((3,), "uint8"))) == tt((3,), "uint8")
    with pytest.raises(tvm.error.DiagnosticError, match=rf"{name}: the arguments must have an integer.*got float32"):
        infer(binary(name, tt((3,)), tt((3,))))


@pytest.mark.parametrize("name", FLOAT_UNARY)
def test_float_unary(name):
    f = getattr(relay, name)
    assert infer(f(relay.var("x", tt((2, 5), "float16")))) == tt((2, 5), "float16")
    assert infer(f(relay.var("x", tt((2,), "int32")))) == tt((2,), "int32")


@pytest.mark.parametrize("name", FAST_UNARY)
def test_fast_unary_needs_float(name):
    f = getattr(relay, name)
    assert infer(f(relay.var("x", tt((2, 5), "float16")))) == tt((2, 5), "float16")
    with pytest.raises(tvm.error.DiagnosticError, match=rf"{name}: the input must have a float dtype, got int32"):
        infer(f(relay.var("x", tt((2,), "int32"))))


@pytest.mark.parametrize("name", ANY_UNARY)
def test_any_unary(name):
    f = getattr(relay, name)
    assert infer(f(relay.var("x", tt((2, 5), "int8")))) == tt((2, 5), "int8")
    with pytest.raises(tvm.error.DiagnosticError, match=rf"{name}: the input must be a tensor, got \(Tensor"):
        infer(f(relay.Tuple([relay.var("x", tt((2,)))])))


@pytest.mark.parametrize("name", PREDICATES)
def test_predicates(name):
    assert infer(getattr(relay, name)(relay.var("x", tt((4,))))) == tt((4,), "bool")


def test_logical_not_and_bitwise_not():
    assert infer(relay.logical_not(relay.var("x", tt((4,), "bool")))) == tt((4,), "bool")
    assert infer(relay.bitwise_not(relay.var("x", tt((4,), "int64")))) == tt((4,), "int64")
    with pytest.raises(tvm.error.DiagnosticError, match="logical_not: the input must have a bool dtype, got float32"):
        infer(relay.logical_not(relay.var("x", tt((4,)))))
    with pytest.raises(tvm.error.DiagnosticError, match="bitwise_not: the input must have an integer"):
        infer(relay.bitwise_not(relay.var("x", tt((4,)))))


def test_broadcast_any_and_symbolic():
    n = tir.Var("n", "int32")
    m = tir.Var("m", "int32")
    a = relay.Any()
    assert infer(binary("add", tt((n, 1)), tt((1, m)))) == tt((n, m))
    assert infer(binary("add", tt((n, 4)), tt((n, 4)))) == tt((n, 4))
    t = infer(binary("add", tt((a, 1)), tt((1, 4))))
    assert isinstance(t.shape[0], tir.Any) and t.shape[1].value == 4
    t = infer(binary("add", tt((a, a)), tt((5, 1))))
    assert t.shape[0].value == 5 and isinstance(t.shape[1], tir.Any)
    with pytest.raises(tvm.error.DiagnosticError, match=r"add: shapes \(n,\) and \(m,\) do not broadcast"):
        infer(binary("add", tt((n,)), tt((m,))))


def test_op_patterns():
    for name in ARITHMETIC + COMPARISON + LOGICAL + BITWISE:
        assert relay.op.get(name).get_attr("TOpPattern") == relay.op.OpPattern.BROADCAST
    for name in FLOAT_UNARY + ANY_UNARY + PREDICATES + ["logical_not", "bitwise_not"]:
        assert relay.op.get(name).get_attr("TOpPattern") == relay.op.OpPattern.ELEMWISE


def test_expression_operators():
    x = relay.var("x", tt((3,)))
    assert infer(x * 2.0 + x - 1.0) == tt((3,))
    assert infer(x < x) == tt((3,), "bool")
    assert infer(-x) == tt((3,))


def test_clip():
    x = relay.var("x", tt((2, 3), "int8"))
    c = relay.clip(x, -1, 5)
    assert infer(c) == tt((2, 3), "int8")
    assert c.attrs.a_min == -1.0 and c.attrs.a_max == 5.0
    assert relay.op.get("clip").get_attr("TOpPattern") == relay.op.OpPattern.ELEMWISE
    with pytest.raises(tvm.error.DiagnosticError, match=r"clip: a_min \(3\) is greater than a_max \(1\)"):
        infer(relay.clip(x, 3, 1))


def test_cast_and_reinterpret():
    x = relay.var("x", tt((4, 2)))
    c = relay.cast(x, "float16")
    assert infer(c) == tt((4, 2), "float16") and c.attrs.dtype == "float16"
    assert infer(x.astype("int64")) == tt((4, 2), "int64")
    assert infer(relay.reinterpret(x, "uint32")) == tt((4, 2), "uint32")
    with pytest.raises(tvm.error.DiagnosticError, match="reinterpret: cannot reinterpret float32 as int16"):
        infer(relay.reinterpret(x, "int16"))
    with pytest.raises(tvm.error.DiagnosticError, match=r"cast: the input must be a tensor, got \(\)"):
        infer(relay.cast(relay.Tuple([]), "int8"))


def test_cast_like():
    x = relay.var("x", tt((4, 2)))
    y = relay.var("y", tt((7,), "int8"))
    assert infer(relay.cast_like(x, y)) == tt((4, 2), "int8")
    with pytest.raises(tvm.error.DiagnosticError, match="cast_like: dtype_like must be a tensor"):
        infer(relay.cast_like(x, relay.Tuple([y])))


def test_where():
    c = relay.var("c", tt((3, 1), "bool"))
    x = relay.var("x", tt((1, 4)))
    y = relay.var("y", tt((4,)))
    assert infer(relay.where(c, x, y)) == tt((3, 4))
    assert infer(relay.where(relay.var("s", tt((), "bool")), x, relay.const(0.0))) == tt((1, 4))
    assert relay.op.get("where").get_attr("TOpPattern") == relay.op.OpPattern.BROADCAST
    with pytest.raises(tvm.error.DiagnosticError, match="where: x and y must have the same dtype, got float32 and int32"):
        infer(relay.where(c, x, relay.var("z", tt((4,), "int32"))))
    with pytest.raises(tvm.error.DiagnosticError, match=r"where: shapes \(2,\) and \(1, 4\) do not broadcast"):
        infer(relay.where(relay.var("c2", tt((2,), "bool")), x, y))


def test_fixed_point_multiply():
    x = relay.var("x", tt((3, 2), "int32"))
    y = relay.fixed_point_multiply(x, 1073741824, -3)
    assert infer(y) == tt((3, 2), "int32")
    assert y.attrs.multiplier == 1073741824 and y.attrs.shift == -3
    with pytest.raises(tvm.error.DiagnosticError, match="fixed_point_multiply: the input must be int32, got int8"):
        infer(relay.fixed_point_multiply(relay.var("z", tt((3,), "int8")), 2, 0))


def test_broadcast_shapes_match_numpy_on_random_graphs():
    import numpy as np  # pylint: disable=import-outside-toplevel

    rng = np.random.default_rng(7)
    for _ in range(50):
        # Random operands whose shapes broadcast together, combined in a random DAG.
        full = [int(d) for d in rng.integers(1, 5, size=rng.integers(0, 4))]
        leaves, shapes = [], []
        for i in range(rng.integers(2, 6)):
            drop = rng.integers(0, len(full) + 1)
            shape = [1 if rng.random() < 0.4 else d for d in full[drop:]]
            leaves.append(relay.var(f"x{i}", tt(shape)))
            shapes.append(tuple(shape))
        nodes = list(zip(leaves, shapes))
        while len(nodes) > 1:
            i, j = sorted(rng.choice(len(nodes), 2, replace=False))
            (a, sa), (b, sb) = nodes[i], nodes[j]
            name = ARITHMETIC[rng.integers(len(ARITHMETIC))]
            c = (getattr(relay, name)(a, b), np.broadcast_shapes(sa, sb))
            nodes = [n for k, n in enumerate(nodes) if k not in (i, j)] + [c]
        expr, expected = nodes[0]
        got = infer(relay.Function(leaves, expr)).ret_type
        assert tuple(int(d) for d in got.shape) == expected


def test_broadcast_rejects_what_numpy_rejects():
    import numpy as np  # pylint: disable=import-outside-toplevel

    rng = np.random.default_rng(11)
    for _ in range(100):
        sa = tuple(int(d) for d in rng.integers(1, 4, size=rng.integers(0, 4)))
        sb = tuple(int(d) for d in rng.integers(1, 4, size=rng.integers(0, 4)))
        try:
            expected = np.broadcast_shapes(sa, sb)
        except ValueError:
            expected = None
        e = binary("multiply", tt(sa), tt(sb))
        if expected is None:
            with pytest.raises(tvm.error.DiagnosticError, match="multiply: shapes .* do not broadcast"):
                infer(e)
        else:
            assert tuple(int(d) for d in infer(e).shape) == expected


def test_random_ill_typed_graphs_give_diagnostics_only():
    import numpy as np  # pylint: disable=import-outside-toplevel

    rng = np.random.default_rng(3)
    dtypes = ["float32", "int32", "bool", "uint8", "float16"]
    ops2 = ARITHMETIC + COMPARISON + LOGICAL + BITWISE
    ops1 = FLOAT_UNARY + ANY_UNARY + PREDICATES + ["logical_not", "bitwise_not"]
    for _ in range(60):
        nodes = [relay.var(f"x{i}", tt([int(d) for d in rng.integers(1, 4, size=rng.integers(0, 3))],
                                          dtypes[rng.integers(len(dtypes))])) for i in range(4)]
        params = list(nodes)
        for _ in range(8):
            if rng.random() < 0.5:
                a, b = rng.choice(len(nodes), 2)
                nodes.append(getattr(relay, ops2[rng.integers(len(ops2))])(nodes[a], nodes[b]))
            else:
                nodes.append(getattr(relay, ops1[rng.integers(len(ops1))])(nodes[rng.integers(len(nodes))]))
        try:
            t = infer(relay.Function(params, relay.Tuple(nodes[4:])))
            assert len(t.ret_type.fields) == 8
        except tvm.error.DiagnosticError as err:
            assert str(err).startswith("type inference")
