# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Type relations of the reductions, checked against numpy's output shapes."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay.testing import run_infer_type


def infer(expr):
    return run_infer_type(expr).checked_type


def expect_error(expr, *fragments):
    with pytest.raises(tvm.error.DiagnosticError) as info:
        run_infer_type(expr)
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


def numpy_axes(ndim, axis, exclude):
    if axis is None:
        return tuple(range(ndim))
    axis = [axis] if isinstance(axis, int) else axis
    axis = [a % ndim for a in axis]
    return tuple(a for a in range(ndim) if (a in axis) != exclude)


REDUCERS = [relay.sum, relay.mean, relay.max, relay.min, relay.prod, relay.all, relay.any]


@pytest.mark.parametrize("reducer", REDUCERS)
@pytest.mark.parametrize(
    "axis, keepdims, exclude",
    [(None, False, False), (1, False, False), ((0, 2), True, False), (-1, False, False), ((1,), False, True),
     ((0, -1), True, True), (None, True, False)],
)
def test_reduce_shapes_match_numpy(reducer, axis, keepdims, exclude):
    shape = (2, 3, 4)
    dtype = "bool" if reducer in (relay.all, relay.any) else "float32"
    y = reducer(relay.var("x", shape=shape, dtype=dtype), axis, keepdims, exclude)
    expected = np.sum(np.zeros(shape), axis=numpy_axes(3, axis, exclude), keepdims=keepdims).shape
    assert infer(y) == relay.TensorType(expected, dtype)
    assert y.attrs.keepdims == keepdims and y.attrs.exclude == exclude


@pytest.mark.parametrize("reducer", [relay.argmax, relay.argmin])
def test_arg_reduce(reducer):
    x = relay.var("x", shape=(2, 3, 4))
    assert infer(reducer(x)) == relay.TensorType((), "int32")
    assert infer(reducer(x, axis=1)) == relay.TensorType((2, 4), "int32")
    assert infer(reducer(x, axis=[2], keepdims=True, select_last_index=True)) == relay.TensorType((2, 3, 1), "int32")
    assert reducer(x, axis=1, select_last_index=True).attrs.select_last_index
    expect_error(reducer(x, axis=3), reducer.__name__, "axis 3")


def test_variance_std_logsumexp():
    x = relay.var("x", shape=(2, 3, 4))
    assert infer(relay.variance(x, axis=1)) == relay.TensorType((2, 4))
    assert infer(relay.variance(x, axis=[0, 2], keepdims=True, unbiased=True)) == relay.TensorType((1, 3, 1))
    assert relay.variance(x, axis=1, unbiased=True).attrs.unbiased
    m = relay.var("m", shape=(2, 1, 1))
    expect_error(relay.variance(x, axis=1, with_mean=m), "variance", "(2, 1, 1)", "(2, 1, 4)")
    assert infer(relay.std(x, axis=2)) == relay.TensorType((2, 3))
    assert infer(relay.logsumexp(x, axis=1)) == relay.TensorType((2, 4))
    assert infer(relay.logsumexp(x, axis=[1], keepdims=True)) == relay.TensorType((2, 1, 4))
    mv = relay.mean_variance(x, axis=[1])
    assert infer(mv.astuple()) == relay.TupleType([relay.TensorType((2, 4)), relay.TensorType((2, 4))])


def test_reduce_errors():
    x = relay.var("x", shape=(2, 3))
    expect_error(relay.sum(x, axis=2), "sum", "axis 2", "rank 2")
    expect_error(relay.mean(x, axis=[0, -2]), "mean", "listed twice")
    default = tvm.ir.make_node("relay.attrs.ReduceAttrs")
    assert default.axis is None and not default.keepdims and not default.exclude


if __name__ == "__main__":
    pytest.main([__file__])
