# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The model zoo's building blocks: the layer helpers of relay.testing.layers (the
weights they name, the exact calls they make) and the initialisers and
create_workload of relay.testing.init (rules by name, Xavier's scale, seeding)."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay import testing
from tvm.relay.testing import layers
from tvm.relay.testing.init import Constant, Initializer, Xavier, create_workload


def _names(expr):
    return [v.name_hint for v in relay.analysis.free_vars(expr)]


# ---------------------------------------------------------------- layers


def test_conv2d_makes_named_weight():
    x = relay.var("x", shape=(1, 3, 8, 8))
    out = layers.conv2d(x, channels=4, kernel_size=(3, 3), padding=(1, 1), name="c1")
    assert _names(out) == ["x", "c1_weight"]
    expected = relay.nn.conv2d(x, relay.var("c1_weight"), channels=4, kernel_size=(3, 3), padding=(1, 1))
    tvm.ir.assert_structural_equal(out, expected, map_free_vars=True)


def test_conv2d_uses_given_weight():
    x = relay.var("x", shape=(1, 3, 8, 8))
    w = relay.var("w", shape=(4, 3, 1, 1))
    out = layers.conv2d(x, weight=w, channels=4, kernel_size=(1, 1), name="c1")
    assert _names(out) == ["x", "w"]


def test_conv_transpose_and_conv3d_weights():
    x = relay.var("x", shape=(1, 4, 8, 8))
    out = layers.conv2d_transpose(x, channels=2, kernel_size=(2, 2), strides=(2, 2), name="up")
    assert _names(out) == ["x", "up_weight"] and out.op.name == "nn.conv2d_transpose"
    v = relay.var("v", shape=(1, 2, 4, 4, 4))
    out = layers.conv3d(v, channels=2, kernel_size=(3, 3, 3), name="c3")
    assert _names(out) == ["v", "c3_weight"] and out.op.name == "nn.conv3d"


def test_dense_add_bias():
    x = relay.var("x", shape=(2, 6))
    out = layers.dense_add_bias(x, units=3, name="fc")
    assert _names(out) == ["x", "fc_weight", "fc_bias"]
    w, b = relay.var("fc_weight"), relay.var("fc_bias")
    expected = relay.nn.bias_add(relay.nn.dense(x, w, units=3), b, axis=-1)
    tvm.ir.assert_structural_equal(out, expected, map_free_vars=True)
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(out))
    shapes = {p.name_hint: p.checked_type.concrete_shape for p in mod["main"].params}
    assert shapes == {"x": (2, 6), "fc_weight": (3, 6), "fc_bias": (3,)}


def test_batch_norm_infer():
    x = relay.var("x", shape=(1, 5, 2, 2))
    out = layers.batch_norm_infer(x, epsilon=2e-5, axis=1, name="bn")
    assert _names(out) == ["x", "bn_gamma", "bn_beta", "bn_moving_mean", "bn_moving_var"]
    assert isinstance(out, relay.TupleGetItem) and out.index == 0
    assert out.tuple_value.op.name == "nn.batch_norm"
    assert float(out.tuple_value.attrs.epsilon) == pytest.approx(2e-5)
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(out))
    assert mod["main"].checked_type.ret_type.concrete_shape == (1, 5, 2, 2)
    for p in mod["main"].params[1:]:
        assert p.checked_type.concrete_shape == (5,)


def test_batch_norm_infer_given_statistics():
    x = relay.var("x", shape=(1, 2))
    g = relay.var("g", shape=(2,))
    out = layers.batch_norm_infer(x, gamma=g, name="bn")
    assert _names(out) == ["x", "g", "bn_beta", "bn_moving_mean", "bn_moving_var"]


@pytest.mark.parametrize(
    "helper", [layers.conv2d, layers.conv2d_transpose, layers.batch_norm_infer, layers.dense_add_bias]
)
def test_layer_needs_name(helper):
    with pytest.raises(ValueError, match=f"layers.{helper.__name__}: a `name` keyword"):
        helper(relay.var("x", shape=(1, 2, 3, 3)))


def test_conv_kernel_layout():
    assert layers.conv_kernel_layout("NCHW") == "OIHW"
    assert layers.conv_kernel_layout("NHWC") == "HWIO"
    assert layers.conv_kernel_layout("NCHW", True) == "OIHW"
    assert layers.conv_kernel_layout("NHWC", True) == "HWOI"
    with pytest.raises(ValueError, match="unknown data layout 'NCDHW'"):
        layers.conv_kernel_layout("NCDHW")


# ---------------------------------------------------------------- initialisers


@pytest.mark.parametrize(
    "name,value",
    [("fc_bias", 0.0), ("bn_gamma", 1.0), ("bn_beta", 0.0), ("bn_moving_mean", 0.0),
     ("bn_moving_var", 1.0)],
)
def test_initializer_rules(name, value):
    arr = np.full((3, 2), 7.0, dtype="float32")
    Xavier()(name, arr)
    np.testing.assert_array_equal(arr, np.full((3, 2), value, dtype="float32"))


def test_initializer_unknown_name():
    with pytest.raises(ValueError, match="'scale_factor'"):
        Xavier()("scale_factor", np.zeros(3))


def test_initializer_base_has_no_weight_rule():
    with pytest.raises(NotImplementedError, match="'w_weight'"):
        Initializer()("w_weight", np.zeros((2, 2)))


def test_xavier_matches_formula():
    shape = (8, 4, 3, 3)
    arr = np.zeros(shape, dtype="float32")
    np.random.seed(5)
    Xavier()("conv_weight", arr)
    # fan_in = 4 * 9, fan_out = 8 * 9, averaged: 54; scale sqrt(3 / 54).
    scale = np.sqrt(3.0 / 54.0)
    np.random.seed(5)
    expected = np.random.uniform(-scale, scale, size=shape).astype("float32")
    np.testing.assert_array_equal(arr, expected)
    assert np.abs(arr).max() <= scale


@pytest.mark.parametrize("factor_type,factor", [("in", 4 * 9), ("out", 8 * 9)])
def test_xavier_factor_types(factor_type, factor):
    arr = np.zeros((8, 4, 3, 3))
    np.random.seed(0)
    Xavier(factor_type=factor_type, magnitude=2)("w_weight", arr)
    scale = np.sqrt(2.0 / factor)
    assert np.abs(arr).max() <= scale and np.abs(arr).max() > 0.9 * scale


def test_xavier_depthwise_uses_window():
    arr = np.zeros((32, 1, 3, 3))
    np.random.seed(0)
    Xavier()("block_depthwise_weight", arr)
    scale = np.sqrt(3.0 / 9)
    assert np.abs(arr).max() <= scale and np.abs(arr).max() > 0.9 * scale


def test_xavier_errors():
    with pytest.raises(ValueError, match="'v_weight' has shape \\(4,\\)"):
        Xavier()("v_weight", np.zeros(4))
    with pytest.raises(ValueError, match="factor_type 'mean'"):
        Xavier(factor_type="mean")
    with pytest.raises(ValueError, match="rnd_type 'gaussian'"):
        Xavier(rnd_type="gaussian")


def test_constant_initializer():
    arr = np.zeros((2, 5))
    Constant()("w_weight", arr)
    np.testing.assert_array_equal(arr, np.full((2, 5), 0.1))


# ---------------------------------------------------------------- create_workload


def _small_net():
    x = relay.var("data", shape=(2, 3))
    out = layers.dense_add_bias(x, units=4, name="fc")
    out = layers.batch_norm_infer(out, axis=1, name="bn")
    return relay.Function(relay.analysis.free_vars(out), out)


def test_create_workload():
    mod, params = create_workload(_small_net())
    assert isinstance(mod, tvm.IRModule)
    assert mod["main"].checked_type.ret_type.concrete_shape == (2, 4)
    assert sorted(params) == sorted(
        ["fc_weight", "fc_bias", "bn_gamma", "bn_beta", "bn_moving_mean", "bn_moving_var"])
    # Xavier from numpy's generator seeded with 0, the weights in parameter order.
    np.random.seed(0)
    scale = np.sqrt(3.0 / ((3 + 4) / 2.0))
    expected = np.random.uniform(-scale, scale, size=(4, 3)).astype("float32")
    np.testing.assert_array_equal(params["fc_weight"].numpy(), expected)
    np.testing.assert_array_equal(params["bn_moving_var"].numpy(), np.ones(4, "float32"))
    assert params["fc_bias"].dtype == "float32"


def test_create_workload_seed():
    a = create_workload(_small_net(), seed=3)[1]["fc_weight"].numpy()
    b = create_workload(_small_net(), seed=3)[1]["fc_weight"].numpy()
    c = create_workload(_small_net(), seed=4)[1]["fc_weight"].numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_create_workload_custom_initializer():
    _, params = create_workload(_small_net(), initializer=Constant())
    np.testing.assert_array_equal(params["fc_weight"].numpy(), np.full((4, 3), 1 / 12.0, "float32"))


def test_create_workload_errors():
    with pytest.raises(TypeError, match="relay.Function or expression, got int"):
        create_workload(3)
    # An expression is taken as TVM's create_workload takes it: its free variables become the parameters.
    mod, params = create_workload(relay.add(relay.var("data", shape=(2,)), relay.var("b_bias", shape=(2,))))
    assert [p.name_hint for p in mod["main"].params] == ["data", "b_bias"] and list(params) == ["b_bias"]
    t = relay.var("pair_weight", relay.TupleType([relay.TensorType((2,)), relay.TensorType((2,))]))
    net = relay.Function([t], relay.TupleGetItem(t, 0))
    with pytest.raises(TypeError, match="'pair_weight' has type"):
        create_workload(net)


def test_exports():
    for name in ["mlp", "resnet", "resnet_3d", "dqn", "mobilenet", "vgg", "squeezenet", "densenet",
                 "inception_v3", "dcgan", "lstm", "synthetic", "layers", "init", "temp_op_attr"]:
        assert hasattr(getattr(testing, name), "__file__")
    assert testing.create_workload is create_workload
    assert callable(testing.run_infer_type) and callable(testing.run_opt_pass)


# ---------------------------------------------------------------- helpers


def test_count_ops():
    x = relay.var("x", shape=(2, 2))
    y = relay.nn.relu(x)
    out = relay.add(relay.nn.relu(y), y)
    counts = testing.count_ops(relay.Function([x], out))
    assert counts == {"nn.relu": 2, "add": 1}
    assert counts["nn.conv2d"] == 0


def test_rand():
    np.random.seed(1)
    a = testing.rand("float32", 3, 4)
    np.random.seed(1)
    np.testing.assert_array_equal(a.numpy(), np.random.rand(3, 4).astype("float32"))
    assert a.dtype == "float32" and a.shape == (3, 4)


_TEMP_KEY = "TZooTempAttr"


def test_temp_op_attr_sets_and_restores():
    from tvm.relay.testing.temp_op_attr import TempOpAttr

    op = relay.op.get("nn.relu")
    assert op.get_attr(_TEMP_KEY) is None
    with TempOpAttr("nn.relu", _TEMP_KEY, 5):
        assert op.get_attr(_TEMP_KEY) == 5
    assert op.get_attr(_TEMP_KEY) is None
    op.set_attr(_TEMP_KEY, 0)
    try:
        with pytest.raises(RuntimeError):
            with TempOpAttr("nn.relu", _TEMP_KEY, 7):
                assert op.get_attr(_TEMP_KEY) == 7
                raise RuntimeError("inside")
        # A falsy old value comes back too.
        assert op.get_attr(_TEMP_KEY) == 0
    finally:
        op.reset_attr(_TEMP_KEY)


def test_temp_op_attr_unknown_op():
    from tvm.relay.testing.temp_op_attr import TempOpAttr

    with pytest.raises(AttributeError, match="'nn.nope'"):
        TempOpAttr("nn.nope", _TEMP_KEY, 1)


def test_temp_op_attr_exposes_tvms_fields():
    from tvm.relay.testing.temp_op_attr import TempOpAttr

    with TempOpAttr("nn.relu", _TEMP_KEY, 3) as t:
        assert t.op.name == "nn.relu" and t.attr_key == _TEMP_KEY and t.attr_value == 3
