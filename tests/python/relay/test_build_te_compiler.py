# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The TE compiler on fused primitive functions: names, the master op's schedule applied to
outputs that are not the master's own tensor, constants, tuples, and numbers against the
debug executor (which runs each operator alone)."""
import json

import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay.backend import te_compiler


def _primitive(params, body):
    func = relay.Function(params, body).with_attr("Primitive", tvm.tir.IntImm("int32", 1))
    return relay.transform.InferType()(tvm.IRModule.from_expr(func))["main"]


def _flat_types(ty):
    if isinstance(ty, relay.TupleType):
        return [t for f in ty.fields for t in _flat_types(f)]
    return [ty]


def _run_kernel(func, inputs):
    """Lower func, build its kernel, call it on inputs (flattened params) -> outputs."""
    name, mod, constants = te_compiler.lower(func, "llvm")
    lib = tvm.get_global_func("driver.build")(mod, tvm.target.Target("llvm"))
    args = [tvm.nd.array(a) for a in inputs] + [c.data for c in constants]
    outs = [tvm.nd.empty([int(d) for d in t.shape], t.dtype) for t in _flat_types(func.checked_type.ret_type)]
    lib[name](*args, *outs)
    return name, constants, [o.numpy() for o in outs]


def _reference(func, inputs):
    plain = relay.Function(func.params, func.body)
    result = relay.create_executor("debug", mod=tvm.IRModule.from_expr(plain), target="llvm").evaluate()(*inputs)
    flat = []

    def walk(v):
        if isinstance(v, tvm.runtime.container.ADT):
            for f in v:
                walk(f)
        else:
            flat.append(v.numpy())

    walk(result)
    return flat


def _check(func, inputs, name, rtol=1e-5, atol=1e-6):
    got_name, constants, got = _run_kernel(func, inputs)
    assert got_name == name
    want = _reference(func, inputs)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=rtol, atol=atol)
    return constants


def _rand(*shape, seed=0):
    return np.random.RandomState(seed).randn(*shape).astype("float32")


def test_elementwise_fusion():
    p0, p1 = relay.var("p0", shape=(4, 33)), relay.var("p1", shape=(33,))
    f = _primitive([p0, p1], relay.nn.relu(relay.add(p0, p1)))
    _check(f, [_rand(4, 33), _rand(33, seed=1)], "tvmgen_default_fused_add_nn_relu")


def test_conv_bias_relu_nn_schedule():
    p0, p1, p2 = relay.var("p0", shape=(1, 3, 9, 9)), relay.var("p1", shape=(8, 3, 3, 3)), relay.var("p2", shape=(8,))
    conv = relay.nn.conv2d(p0, p1, padding=(1, 1), channels=8, kernel_size=(3, 3))
    f = _primitive([p0, p1, p2], relay.nn.relu(relay.nn.bias_add(conv, p2)))
    _check(f, [_rand(1, 3, 9, 9), _rand(8, 3, 3, 3, seed=1), _rand(8, seed=2)],
           "tvmgen_default_fused_nn_conv2d_nn_bias_add_nn_relu", rtol=1e-4, atol=1e-5)


def test_dense_then_injective_ops():
    p0, p1 = relay.var("p0", shape=(3, 20)), relay.var("p1", shape=(16, 20))
    out = relay.tanh(relay.multiply(relay.nn.dense(p0, p1), relay.const(0.5)))
    f = _primitive([p0, p1], relay.reshape(out, (6, 8)))
    _check(f, [_rand(3, 20), _rand(16, 20, seed=1)], "tvmgen_default_fused_nn_dense_multiply_tanh_reshape",
           rtol=1e-4, atol=1e-5)


def test_reduction_master_with_ops_before_and_after():
    p0 = relay.var("p0", shape=(5, 7, 6))
    f = _primitive([p0], relay.sqrt(relay.sum(relay.exp(p0), axis=[1])))
    _check(f, [_rand(5, 7, 6)], "tvmgen_default_fused_exp_sum_sqrt", rtol=1e-5)
    f = _primitive([p0], relay.negative(relay.max(p0, axis=2, keepdims=True)))
    _check(f, [_rand(5, 7, 6)], "tvmgen_default_fused_max_negative")


def test_pool_then_relu():
    p0 = relay.var("p0", shape=(1, 2, 8, 8))
    f = _primitive([p0], relay.nn.relu(relay.nn.max_pool2d(p0, pool_size=(3, 3), strides=(2, 2), padding=(1, 1))))
    _check(f, [_rand(1, 2, 8, 8)], "tvmgen_default_fused_nn_max_pool2d_nn_relu")


def test_injective_master_transpose():
    p0, p1 = relay.var("p0", shape=(4, 6)), relay.var("p1", shape=(6, 4))
    f = _primitive([p0, p1], relay.nn.relu(relay.add(relay.transpose(p0), p1)))
    _check(f, [_rand(4, 6), _rand(6, 4, seed=1)], "tvmgen_default_fused_transpose_add_nn_relu")


def test_several_outputs_one_feeding_another():
    p0, p1 = relay.var("p0", shape=(4, 4)), relay.var("p1", shape=(4, 4))
    r = relay.nn.relu(relay.add(p0, p1))
    f = _primitive([p0, p1], relay.Tuple([r, relay.exp(r), relay.sum(r, axis=0)]))
    _check(f, [_rand(4, 4), _rand(4, 4, seed=1)], "tvmgen_default_fused_add_nn_relu_exp_sum")


def test_output_that_is_a_parameter_gets_its_own_buffer():
    p0 = relay.var("p0", shape=(3,))
    f = _primitive([p0], relay.Tuple([p0, relay.exp(p0), p0]))
    _check(f, [_rand(3)], "tvmgen_default_fused_exp")


def test_tuple_parameter_is_flattened():
    t = relay.var("p0", relay.TupleType([relay.TensorType((2, 3)), relay.TensorType((2, 3))]))
    f = _primitive([t], relay.subtract(relay.TupleGetItem(t, 1), relay.TupleGetItem(t, 0)))
    a, b = _rand(2, 3), _rand(2, 3, seed=1)
    _, _, (got,) = _run_kernel(f, [a, b])
    np.testing.assert_allclose(got, b - a)


def test_constants_scalar_inside_tensor_as_input():
    p0 = relay.var("p0", shape=(2, 3))
    w = np.arange(6, dtype="float32").reshape(2, 3)
    f = _primitive([p0], relay.add(relay.multiply(p0, relay.const(w)), relay.const(1.5)))
    constants = _check(f, [_rand(2, 3)], "tvmgen_default_fused_multiply_add")
    assert len(constants) == 1
    np.testing.assert_array_equal(constants[0].data.numpy(), w)
    ints = relay.var("p0", shape=(4,), dtype="int8")
    f = _primitive([ints], relay.subtract(ints, relay.const(-3, "int8")))
    _check(f, [np.array([1, 2, 3, 120], "int8")], "tvmgen_default_fused_subtract")


def test_lowered_kernel_arguments_and_symbol():
    p0, p1 = relay.var("p0", shape=(4,)), relay.var("p1", shape=(4,))
    f = _primitive([p0, p1], relay.Tuple([relay.add(p0, p1), relay.subtract(p0, p1)]))
    name, mod, constants = te_compiler.lower(f, "llvm", mod_name="my_net")
    assert name == "tvmgen_my_net_fused_add_subtract"
    assert [g.name_hint for g in mod.get_global_vars()] == [name]
    prim = mod[name]
    assert len(prim.params) == 4  # p0, p1, then the two outputs
    assert str(prim.attrs["global_symbol"]) == name
    assert constants == []


def test_long_names_are_cut_and_hashed():
    p0 = relay.var("p0", shape=(4,))
    y = p0
    for _ in range(20):
        y = relay.negative(relay.exp(y))
    name, _, _ = te_compiler.lower(_primitive([p0], y), "llvm")
    assert name.startswith("tvmgen_default_fused_exp_negative_exp_negative")
    assert len(name) < len("tvmgen_default_") + 80 + 20


def test_errors_name_the_problem():
    p0 = relay.var("p0", shape=(4,))
    plain = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([p0], relay.exp(p0))))["main"]
    with pytest.raises(ValueError, match="Primitive"):
        te_compiler.lower(plain, "llvm")


@pytest.mark.parametrize("dtype, value", [("int8", -3), ("int16", -300), ("int32", -2), ("int64", -(2**40)),
                                          ("uint8", 250), ("uint16", 65000), ("uint32", 4000000000),
                                          ("float64", -0.25), ("float16", 1.5), ("bool", True)])
def test_scalar_constant_values_keep_sign_and_dtype(dtype, value):
    p0 = relay.var("p0", shape=(3,), dtype=dtype)
    body = relay.logical_or(p0, relay.const(value, dtype)) if dtype == "bool" else relay.maximum(
        p0, relay.const(value, dtype))
    f = _primitive([p0], body)
    lowest = np.zeros(3, dtype) if dtype == "bool" else np.full(3, np.iinfo(dtype).min if "int" in dtype else -1e4, dtype)
    _, _, (got,) = _run_kernel(f, [lowest])
    np.testing.assert_array_equal(got, np.full(3, value, dtype))


def test_trilu_negative_offset_through_build():
    data = relay.var("data", shape=(6, 6))
    mod = tvm.IRModule.from_expr(relay.Function([data], relay.trilu(data, -2, False)))
    x = _rand(6, 6)
    factory = relay.build(mod, "llvm")
    graph_nodes = [n for n in json.loads(factory.get_graph_json())["nodes"] if n["op"] == "tvm_op"]
    assert [n["attrs"]["num_inputs"] for n in graph_nodes] == ["1"]  # k is inside the kernel
    out = tvm.nd.empty((6, 6))
    factory.get_lib()[graph_nodes[0]["attrs"]["func_name"]](tvm.nd.array(x), out)
    np.testing.assert_array_equal(out.numpy(), np.tril(x, -2))


def _x(*shape):
    return relay.var("p0", shape=shape)


# Each case: (the master op applied to p0 (and a second input when needed), its inputs' shapes).
_FUSED_AFTER_MASTER = {
    "conv1d": (lambda a, b: relay.nn.conv1d(a, b, padding=(1, 1)), [(1, 2, 9), (3, 2, 3)]),
    "conv2d_transpose": (lambda a, b: relay.nn.conv2d_transpose(a, b, strides=(2, 2), channels=3, kernel_size=(3, 3)),
                         [(1, 2, 5, 5), (2, 3, 3, 3)]),
    "avg_pool2d": (lambda a: relay.nn.avg_pool2d(a, pool_size=(2, 2), padding=(1, 1), count_include_pad=False),
                   [(1, 3, 7, 7)]),
    "adaptive_avg_pool2d": (lambda a: relay.nn.adaptive_avg_pool2d(a, output_size=(3, 2)), [(1, 3, 7, 5)]),
    "global_max_pool2d": (lambda a: relay.nn.global_max_pool2d(a), [(2, 3, 4, 5)]),
    "max_pool3d": (lambda a: relay.nn.max_pool3d(a, pool_size=(2, 2, 2), strides=(2, 2, 2)), [(1, 2, 4, 4, 4)]),
    "batch_matmul": (lambda a, b: relay.nn.batch_matmul(a, b), [(2, 3, 5), (2, 4, 5)]),
    "matmul": (lambda a, b: relay.nn.matmul(a, b), [(3, 5), (5, 4)]),
    "layer_norm": (lambda a, g, b: relay.nn.layer_norm(a, g, b, axis=-1), [(3, 8), (8,), (8,)]),
    "group_norm": (lambda a, g, b: relay.nn.group_norm(a, g, b, num_groups=2), [(2, 4, 3, 3), (4,), (4,)]),
    "instance_norm": (lambda a, g, b: relay.nn.instance_norm(a, g, b), [(2, 3, 4, 4), (3,), (3,)]),
    "l2_normalize": (lambda a: relay.nn.l2_normalize(a, eps=1e-6, axis=[1]), [(3, 6)]),
    "mean": (lambda a: relay.mean(a, axis=1, keepdims=True), [(4, 9)]),
    "variance": (lambda a: relay.variance(a, axis=[0, 2]), [(3, 4, 5)]),
    "prod": (lambda a: relay.prod(a, axis=0), [(3, 4)]),
    "argmax": (lambda a: relay.cast(relay.argmax(a, axis=1), "float32"), [(4, 7)]),
    "concatenate": (lambda a, b: relay.concatenate([a, b], axis=1), [(2, 3), (2, 5)]),
    "pad": (lambda a: relay.nn.pad(a, ((0, 0), (1, 2))), [(3, 4)]),
    "resize2d": (lambda a: relay.image.resize2d(a, (6, 7)), [(1, 2, 3, 4)]),
    "take": (lambda a: relay.take(a, relay.const(np.array([2, 0, 1], "int32")), axis=0), [(3, 4)]),
    "stack": (lambda a, b: relay.stack([a, b], axis=0), [(2, 3), (2, 3)]),
}


@pytest.mark.parametrize("case", sorted(_FUSED_AFTER_MASTER))
def test_master_schedule_with_elementwise_ops_fused_after(case):
    make, shapes = _FUSED_AFTER_MASTER[case]
    params = [relay.var("p%d" % i, shape=s) for i, s in enumerate(shapes)]
    # an elementwise tail after the master op, as FuseOps builds for kOutEWiseFusable / reductions
    body = relay.sigmoid(relay.add(make(*params), relay.const(0.25)))
    f = _primitive(params, body)
    inputs = [_rand(*s, seed=i) for i, s in enumerate(shapes)]
    got_name, _, got = _run_kernel(f, inputs)
    (want,) = _reference(f, inputs)
    assert got_name.endswith("_add_sigmoid")
    np.testing.assert_allclose(got[0], want, rtol=1e-4, atol=1e-5)


def _typed(func):
    return relay.transform.InferType()(tvm.IRModule.from_expr(func))["main"]


def test_te_compiler_object_caches_and_jits():
    tec = te_compiler.get()

    def make(shape):
        x = relay.var("x", shape=shape)
        return _typed(relay.Function([x], relay.add(relay.add(x, x), x)))

    z1, z2, z3 = tec.lower(make((10,)), "llvm"), tec.lower(make((10,)), "llvm"), tec.lower(make(()), "llvm")
    assert z1.same_as(z2) and not z3.same_as(z1)
    assert z1.func_name == "tvmgen_default_fused_add_add" and z1.prim_fn_var.name_hint == z1.func_name
    assert [tuple(int(d) for d in t.shape) for t in z1.inputs + z1.outputs] == [(10,), (10,)]
    # the schedule and tensors lower again by hand
    mod = tvm.lower(z1.schedule, z1.inputs + z1.outputs, name="again")
    assert "again" in [g.name_hint for g in mod.get_global_vars()]
    f = tec.jit(make((10,)), "llvm")
    x, y = tvm.nd.array(np.arange(10, dtype="float32")), tvm.nd.empty((10,))
    f(x, y)
    np.testing.assert_array_equal(y.numpy(), 3 * np.arange(10, dtype="float32"))
    assert len(tec.items()) >= 2
    tec.clear()
    assert tec.items() == []


def test_functions_differing_in_a_scalar_constant_get_their_own_kernels():
    tec = te_compiler.TECompiler()

    def scaled(value):
        p0 = relay.var("p0", shape=(4,))
        return _primitive([p0], relay.multiply(p0, relay.const(value)))

    two, three, two_again = tec.lower(scaled(2.0)), tec.lower(scaled(3.0)), tec.lower(scaled(2.0))
    assert two.same_as(two_again) and not two.same_as(three)
    x, y = tvm.nd.array(np.ones(4, "float32")), tvm.nd.empty((4,))
    tec.jit(scaled(3.0))(x, y)
    np.testing.assert_array_equal(y.numpy(), np.full(4, 3.0))


def test_reachable_as_relay_backend_attribute():
    # TVM's tests clear the cache through the package attribute, with no import of their own.
    assert relay.backend.te_compiler is te_compiler
    relay.backend.te_compiler.get().clear()
    assert not relay.backend.te_compiler.get().items()
