# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.argwhere: the int32 (count, ndim) coordinates of the non-zero elements in row-major
order, a shape the values decide, run on the VM (one executable, several sizes) and the debug
executor, against numpy's argwhere."""
import numpy as np
import pytest

import tvm
from tvm import relay

A = relay.Any
RNG = np.random.default_rng(0)


def _vm(params, body):
    exe = relay.vm.compile(tvm.IRModule.from_expr(relay.Function(params, body)), "llvm")
    return tvm.runtime.vm.VirtualMachine(exe, tvm.cpu())


def _values(shape, dtype, zeros=0.5):
    data = RNG.integers(1, 4, size=shape) * (RNG.random(shape) >= zeros)
    if dtype == "float32":
        data = data * RNG.choice([-1.5, 0.25], size=shape)
    return np.asarray(data).astype(dtype)


def _check(got, data):
    want = np.argwhere(data)
    got = got.numpy()
    assert got.dtype == np.int32
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", ["bool", "int8", "int32", "int64", "uint8", "float32"])
@pytest.mark.parametrize("ndim", [1, 2, 3, 4, 5])
def test_vm_matches_numpy(ndim, dtype):
    x = relay.var("x", shape=(A(),) * ndim, dtype=dtype)
    vm = _vm([x], relay.argwhere(x))
    sizes = [(7, 3, 2, 2, 3), (1, 5, 4, 1, 2), (4, 1, 3, 3, 1)]
    for size in sizes:
        data = _values(size[:ndim], dtype)
        _check(vm.invoke("main", tvm.nd.array(data)), data)


@pytest.mark.parametrize("shape", [(6,), (3, 4), (2, 0, 3), (0,)])
def test_no_nonzero_element_gives_zero_rows(shape):
    x = relay.var("x", shape=(A(),) * len(shape), dtype="float32")
    vm = _vm([x], relay.argwhere(x))
    data = np.zeros(shape, "float32")
    got = vm.invoke("main", tvm.nd.array(data))
    assert got.shape == (0, len(shape))
    _check(got, data)


def test_every_element_nonzero_and_negative_zero():
    x = relay.var("x", shape=(A(), A()), dtype="float32")
    vm = _vm([x], relay.argwhere(x))
    data = np.full((3, 5), -2.0, "float32")
    data[1, 2] = -0.0  # compares equal to zero, as in numpy
    _check(vm.invoke("main", tvm.nd.array(data)), data)


def test_static_input_on_vm_and_debug():
    x = relay.var("x", shape=(4, 6), dtype="int32")
    mod = tvm.IRModule.from_expr(relay.Function([x], relay.argwhere(x)))
    data = _values((4, 6), "int32")
    for kind in ["vm", "debug"]:
        _check(relay.create_executor(kind, mod, tvm.cpu(), "llvm").evaluate()(data), data)


def test_debug_executor_dynamic():
    x = relay.var("x", shape=(A(), A(), A()), dtype="bool")
    mod = tvm.IRModule.from_expr(relay.Function([x], relay.argwhere(x)))
    run = relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()
    data = _values((3, 2, 4), "bool")
    _check(run(data), data)


def test_scalar_input():
    x = relay.var("x", shape=(), dtype="float32")
    vm = _vm([x], relay.argwhere(x))
    for value in [0.0, 3.0]:
        data = np.array(value, "float32")
        _check(vm.invoke("main", tvm.nd.array(data)), data)


def test_type():
    x = relay.var("x", shape=(A(), 3, 4), dtype="int8")
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([x], relay.argwhere(x))))
    ret = mod["main"].ret_type
    assert ret.dtype == "int32"
    assert len(ret.shape) == 2 and isinstance(ret.shape[0], tvm.tir.Any) and int(ret.shape[1]) == 3
    assert relay.op.get("argwhere").get_attr("TOpPattern") == relay.op.OpPattern.OPAQUE


def test_non_tensor_argument_is_a_type_error():
    t = relay.Tuple([relay.const(1.0), relay.const(2.0)])
    with pytest.raises(tvm.error.DiagnosticError, match="condition"):
        relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([], relay.argwhere(t))))


def test_gather_nd_of_the_positions_gives_the_nonzero_values():
    # x[argwhere(x)] as TVM programs write it: gather_nd takes the coordinates first-axis-major.
    x = relay.var("x", shape=(A(), A()), dtype="float32")
    pos = relay.argwhere(x)
    body = relay.Tuple([relay.gather_nd(x, relay.transpose(pos)), relay.sum(relay.cast(pos, "float32"), axis=0)])
    vm = _vm([x], body)
    for shape in [(4, 5), (1, 9), (6, 1)]:
        data = _values(shape, "float32")
        values, col_sums = vm.invoke("main", tvm.nd.array(data))
        np.testing.assert_array_equal(values.numpy(), data[data != 0])
        np.testing.assert_array_equal(col_sums.numpy(), np.argwhere(data).sum(axis=0).astype("float32"))


def test_take_with_the_row_indices():
    # The rows that hold a non-zero element, each once per non-zero element, via take.
    x = relay.var("x", shape=(A(), A()), dtype="int32")
    rows = relay.squeeze(relay.strided_slice(relay.argwhere(x), [0, 0], [-1, 1], slice_mode="size"), [1])
    vm = _vm([x], relay.take(x, rows, axis=0))
    data = _values((5, 3), "int32")
    got = vm.invoke("main", tvm.nd.array(data)).numpy()
    np.testing.assert_array_equal(got, data[np.argwhere(data)[:, 0]])


def test_condition_computed_in_the_graph():
    # argwhere(x > 0.5) as frontends write it: the comparison is its own kernel (argwhere is opaque).
    x = relay.var("x", shape=(A(), A()), dtype="float32")
    vm = _vm([x], relay.argwhere(relay.greater(relay.exp(x), relay.const(1.5))))
    for shape in [(4, 9), (1, 1), (3, 17)]:
        data = RNG.standard_normal(shape).astype("float32")
        _check(vm.invoke("main", tvm.nd.array(data)), np.exp(data) > 1.5)
