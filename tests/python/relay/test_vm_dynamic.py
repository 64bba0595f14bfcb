# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The Relay VM with dynamic shapes: relay.Any() dims, shape functions, AllocStorage /
AllocTensorReg / ShapeOf / ReshapeTensor from a register, and their serialisation."""
import struct

import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.ir import Op
from tvm.relay.loops import while_loop

TARGET = "llvm"


def _has_shape_func(op_name):
    return Op.get(op_name).get_attr("FShapeFunc") is not None


def _needs_shape_func(*ops):
    missing = [op for op in ops if not _has_shape_func(op)]
    if missing:
        pytest.skip(f"no shape function for {', '.join(missing)} in this build (written apart from the VM)")


def _compile(func):
    exe = relay.vm.compile(tvm.IRModule.from_expr(func), TARGET)
    return exe, tvm.runtime.vm.VirtualMachine(exe, tvm.cpu())


def _prim(func):
    func = func.with_attr("Primitive", tvm.tir.IntImm("int32", 1))
    return relay.transform.InferType()(tvm.IRModule.from_expr(func))["main"]


def test_broadcast_any_many_sizes_one_executable():
    x = relay.var("x", shape=(relay.Any(), 4))
    y = relay.var("y", shape=(relay.Any(), relay.Any(), 1))
    exe, vm = _compile(relay.Function([x, y], relay.exp(relay.add(x, y)) * relay.const(2.0)))
    text = exe.bytecode
    for instr in ["shape_of", "alloc_storage", "alloc_tensor_reg", "invoke_packed"]:
        assert instr in text
    names = list(exe.primitive_ops)
    assert len(names) == 2 and sum(n.endswith("_shape_func") for n in names) == 1
    rng = np.random.default_rng(0)
    # Each symbolic extent of 1 broadcasts at run time, either side.
    for xs, ys in [((5, 4), (3, 1, 1)), ((1, 4), (2, 7, 1)), ((6, 4), (2, 1, 1)), ((6, 4), (1, 6, 1)),
                   ((0, 4), (2, 0, 1)), ((9, 4), (1, 9, 1))]:
        xa = rng.standard_normal(xs).astype("float32")
        ya = rng.standard_normal(ys).astype("float32")
        out = vm.run(xa, ya)
        expected = np.exp(xa + ya) * 2
        assert out.shape == expected.shape
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6, atol=1e-6)


def test_broadcast_mismatch_is_an_error_naming_the_op():
    x = relay.var("x", shape=(relay.Any(),))
    y = relay.var("y", shape=(relay.Any(),))
    _, vm = _compile(relay.Function([x, y], relay.subtract(x, y)))
    with pytest.raises(ValueError, match="subtract: the input shapes do not broadcast"):
        vm.run(np.zeros(3, "float32"), np.zeros(4, "float32"))
    np.testing.assert_array_equal(vm.run(np.ones(3, "float32"), np.ones(1, "float32")).numpy(), np.zeros(3))


@pytest.mark.parametrize("op, ref", [(relay.sqrt, np.sqrt), (relay.negative, np.negative), (relay.floor, np.floor)])
def test_unary_any(op, ref):
    x = relay.var("x", shape=(relay.Any(), relay.Any()))
    _, vm = _compile(relay.Function([x], op(x)))
    for shape in [(1, 1), (3, 17), (64, 5)]:
        xa = np.abs(np.random.default_rng(1).standard_normal(shape)).astype("float32")
        np.testing.assert_allclose(vm.run(xa).numpy(), ref(xa), rtol=1e-6)


def test_where_and_comparison_any():
    c = relay.var("c", shape=(relay.Any(), 1), dtype="float32")
    x = relay.var("x", shape=(relay.Any(),))
    y = relay.var("y", shape=(relay.Any(), relay.Any()))
    _, vm = _compile(relay.Function([c, x, y], relay.where(relay.greater(c, relay.const(0.0)), x, y)))
    rng = np.random.default_rng(2)
    for n, m in [(4, 6), (1, 3), (5, 1)]:
        ca = rng.standard_normal((n, 1)).astype("float32")
        xa = rng.standard_normal(m).astype("float32")
        ya = rng.standard_normal((n, m)).astype("float32")
        np.testing.assert_allclose(vm.run(ca, xa, ya).numpy(), np.where(ca > 0, xa, ya))


def test_shape_of_any_input_is_static_output():
    x = relay.var("x", shape=(relay.Any(), 3, relay.Any()))
    exe, vm = _compile(relay.Function([x], relay.shape_of(x)))
    # The result's type is static (3,): no shape function, no dynamic allocation.
    assert "alloc_tensor_reg" not in exe.bytecode
    np.testing.assert_array_equal(vm.run(np.zeros((7, 3, 2), "float32")).numpy(), [7, 3, 2])
    np.testing.assert_array_equal(vm.run(np.zeros((0, 3, 9), "float32")).numpy(), [0, 3, 9])


def test_any_input_and_output_of_main_through_create_executor():
    x = relay.var("x", shape=(relay.Any(),), dtype="int32")
    mod = tvm.IRModule.from_expr(relay.Function([x], relay.multiply(x, x) + relay.const(1, "int32")))
    run = relay.create_executor("vm", mod, tvm.cpu(), TARGET).evaluate()
    for n in [1, 2, 100]:
        xa = np.arange(n, dtype="int32")
        np.testing.assert_array_equal(run(xa).numpy(), xa * xa + 1)


def test_if_with_branches_of_different_sizes():
    c = relay.var("c", shape=(), dtype="bool")
    a = relay.var("a", shape=(relay.Any(),))
    b = relay.var("b", shape=(relay.Any(),))
    _, vm = _compile(relay.Function([c, a, b], relay.If(c, a + a, b * b)))
    np.testing.assert_array_equal(vm.run(np.array(True), np.ones(3, "float32"), np.full(5, 2, "float32")).numpy(),
                                  np.full(3, 2))
    np.testing.assert_array_equal(vm.run(np.array(False), np.ones(3, "float32"), np.full(5, 2, "float32")).numpy(),
                                  np.full(5, 4))


def test_reshape_any_is_a_view_with_a_computed_shape():
    _needs_shape_func("reshape")
    x = relay.var("x", shape=(relay.Any(), 16))
    y = relay.reshape(relay.reshape(x, [-1, 4]), [0, 2, -1])
    exe, vm = _compile(relay.Function([x], y))
    assert exe.bytecode.count("reshape_tensor") == 1
    for n in [1, 8, 3]:
        xa = np.arange(n * 16, dtype="float32").reshape(n, 16)
        np.testing.assert_array_equal(vm.run(xa).numpy(), xa.reshape(n * 4, 2, 2))


def test_while_loop_growing_a_tensor():
    _needs_shape_func("concatenate", "reshape")
    i = relay.var("i", shape=(), dtype="int32")
    s = relay.var("s", shape=(relay.Any(),), dtype="float32")

    def cond(i, s):  # pylint: disable=unused-argument
        return relay.less(i, relay.const(5, "int32"))

    def body(i, s):
        step = relay.cast(relay.reshape(i, (1,)), "float32")
        return [i + relay.const(1, "int32"), relay.concatenate([s, step * step], axis=0)]

    loop = while_loop(cond, [i, s], body)
    start = relay.var("start", shape=(relay.Any(),), dtype="float32")
    _, vm = _compile(relay.Function([start], relay.TupleGetItem(loop(relay.const(0, "int32"), start), 1)))
    np.testing.assert_array_equal(vm.run(np.array([7, 8], "float32")).numpy(), [7, 8, 0, 1, 4, 9, 16])
    np.testing.assert_array_equal(vm.run(np.zeros(0, "float32")).numpy(), [0, 1, 4, 9, 16])


def test_dense_dynamic_batch_kernel():
    """One kernel for every batch: the batch is an int64 variable bound from the DLTensor."""
    x = relay.var("x", shape=(relay.Any(), 64))
    w = relay.var("w", shape=(32, 64))
    name, mod = tvm.get_global_func("relay.backend._TECompilerLower")(
        _prim(relay.Function([x, w], relay.nn.relu(relay.nn.dense(x, w)))), tvm.target.Target(TARGET), "default")[:2]
    assert "any_dim" in str(mod)
    kernel = tvm.build(mod, target=TARGET)[name]
    rng = np.random.default_rng(3)
    wa = rng.standard_normal((32, 64)).astype("float32")
    for n in [1, 7, 33]:
        xa = rng.standard_normal((n, 64)).astype("float32")
        out = tvm.nd.empty((n, 32))
        kernel(tvm.nd.array(xa), tvm.nd.array(wa), out)
        np.testing.assert_allclose(out.numpy(), np.maximum(xa @ wa.T, 0), rtol=1e-5, atol=1e-4)
    with pytest.raises(ValueError):  # the output's batch must be the input's
        kernel(tvm.nd.array(xa), tvm.nd.array(wa), tvm.nd.empty((n + 1, 32)))


def _conv_ref(data, kernel):
    n, c, h, w = data.shape
    o = kernel.shape[0]
    padded = np.zeros((n, c, h + 2, w + 2), data.dtype)
    padded[:, :, 1:-1, 1:-1] = data
    out = np.zeros((n, o, h, w), "float64")
    for dy in range(3):
        for dx in range(3):
            out += np.einsum("nchw,oc->nohw", padded[:, :, dy:dy + h, dx:dx + w], kernel[:, :, dy, dx])
    return out


def test_conv2d_dynamic_batch_kernel():
    d = relay.var("d", shape=(relay.Any(), 8, 10, 10))
    k = relay.var("k", shape=(16, 8, 3, 3))
    func = _prim(relay.Function([d, k], relay.nn.relu(relay.nn.conv2d(d, k, padding=(1, 1)))))
    name, mod = tvm.get_global_func("relay.backend._TECompilerLower")(func, tvm.target.Target(TARGET), "default")[:2]
    kernel = tvm.build(mod, target=TARGET)[name]
    rng = np.random.default_rng(4)
    ka = rng.standard_normal((16, 8, 3, 3)).astype("float32")
    for n in [1, 3]:
        da = rng.standard_normal((n, 8, 10, 10)).astype("float32")
        out = tvm.nd.empty((n, 16, 10, 10))
        kernel(tvm.nd.array(da), tvm.nd.array(ka), out)
        np.testing.assert_allclose(out.numpy(), np.maximum(_conv_ref(da, ka), 0), rtol=1e-4, atol=1e-4)


def test_dense_conv2d_dynamic_batch_in_the_vm():
    _needs_shape_func("nn.dense", "nn.conv2d", "nn.relu")
    x = relay.var("x", shape=(relay.Any(), 64))
    wa = np.random.default_rng(5).standard_normal((32, 64)).astype("float32")
    _, vm = _compile(relay.Function([x], relay.nn.relu(relay.nn.dense(x, relay.const(wa)))))
    for n in [1, 5, 40]:
        xa = np.random.default_rng(n).standard_normal((n, 64)).astype("float32")
        np.testing.assert_allclose(vm.run(xa).numpy(), np.maximum(xa @ wa.T, 0), rtol=1e-5, atol=1e-4)
    d = relay.var("d", shape=(relay.Any(), 8, 10, 10))
    ka = np.random.default_rng(6).standard_normal((16, 8, 3, 3)).astype("float32")
    _, vm = _compile(relay.Function([d], relay.nn.conv2d(d, relay.const(ka), padding=(1, 1))))
    for n in [1, 2]:
        da = np.random.default_rng(n).standard_normal((n, 8, 10, 10)).astype("float32")
        np.testing.assert_allclose(vm.run(da).numpy(), _conv_ref(da, ka), rtol=1e-4, atol=1e-4)


def test_shape_func_lowering_reads_shapes_of_params():
    x = relay.var("p0", shape=(relay.Any(), 4))
    y = relay.var("p1", shape=(relay.Any(), relay.Any(), 1))
    func = _prim(relay.Function([x, y], relay.exp(relay.add(x, y))))
    name, mod, data, shape, ndims = tvm.get_global_func("relay.backend._TECompilerLowerShapeFunc")(
        func, tvm.target.Target(TARGET), "default")
    assert name == "tvmgen_default_fused_add_exp_shape_func"
    assert [int(v) for v in data] == [0, 0] and [int(v) for v in shape] == [1, 1] and [int(v) for v in ndims] == [3]
    f = tvm.build(mod, target=TARGET)[name]
    out = tvm.nd.empty((3,), "int64")
    f(tvm.nd.array(np.array([5, 4], "int64")), tvm.nd.array(np.array([3, 1, 1], "int64")), out)
    np.testing.assert_array_equal(out.numpy(), [3, 5, 4])


def test_missing_shape_func_names_the_operator():
    op_name = "nn.softmax"
    if _has_shape_func(op_name):
        pytest.skip(f"{op_name} has a shape function in this build")
    x = relay.var("x", shape=(relay.Any(), 4))
    with pytest.raises(NotImplementedError, match="operator nn.softmax has no shape function"):
        relay.vm.compile(tvm.IRModule.from_expr(relay.Function([x], relay.nn.softmax(x))), TARGET)


def _dynamic_exe():
    x = relay.var("x", shape=(relay.Any(), 3))
    y = relay.var("y", shape=(1, 3))
    return relay.vm.compile(tvm.IRModule.from_expr(relay.Function([x, y], relay.add(x, y))), TARGET)


def test_serialisation_round_trip_with_dynamic_opcodes():
    exe = _dynamic_exe()
    code, lib = exe.save()
    exe2 = tvm.runtime.vm.Executable.load_exec(code, lib)
    assert exe2.bytecode == exe.bytecode
    vm = tvm.runtime.vm.VirtualMachine(exe2, tvm.cpu())
    ya = np.arange(3, dtype="float32").reshape(1, 3)
    for n in [2, 9]:
        xa = np.ones((n, 3), "float32")
        np.testing.assert_array_equal(vm.run(xa, ya).numpy(), xa + ya)


def test_truncated_or_corrupted_dynamic_executable_is_a_value_error():
    code, lib = _dynamic_exe().save()
    code = bytes(code)
    for cut in range(16, len(code), max(1, len(code) // 97)):
        with pytest.raises(ValueError):
            tvm.runtime.vm.Executable.load_exec(code[:cut], lib)
    with pytest.raises(ValueError):
        tvm.runtime.vm.Executable.load_exec(code[:-1], lib)
    # alloc_tensor_reg's shape register out of range: found by its fields (opcode 6, dst, a, b, c, d).
    text = _dynamic_exe().bytecode
    line = [ln for ln in text.splitlines() if "alloc_tensor_reg" in ln][0]
    _, dst, storage, offset, shape, _ = line.split(": ", 1)[1].replace("$", "").split()
    fields = struct.pack("<iqqqqq", 6, int(dst), int(storage), int(offset), int(shape), 0)
    assert code.count(fields) == 1
    bad = code.replace(fields, struct.pack("<iqqqqq", 6, int(dst), int(storage), int(offset), 1000, 0))
    with pytest.raises(ValueError, match="shape register 1000 is outside"):
        tvm.runtime.vm.Executable.load_exec(bad, lib)
    bad = code.replace(fields, struct.pack("<iqqqqq", 6, int(dst), int(storage), -8, int(shape), 0))
    with pytest.raises(ValueError, match="negative offset"):
        tvm.runtime.vm.Executable.load_exec(bad, lib)


def test_dynamic_storage_is_reused_across_runs():
    """Dynamic allocations come from the pool by size class: results stay correct when
    storage of an earlier, larger run is handed out again."""
    x = relay.var("x", shape=(relay.Any(),))
    _, vm = _compile(relay.Function([x], relay.exp(x + x) + x))
    for n in [1000, 900, 1000, 10, 1024, 999]:
        xa = np.linspace(-1, 1, n).astype("float32")
        np.testing.assert_allclose(vm.run(xa).numpy(), np.exp(xa + xa) + xa, rtol=1e-6, atol=1e-6)
