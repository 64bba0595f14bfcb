# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Type relations of the relay.nn operators: output types and the errors they report."""
import pytest

import tvm
from tvm import relay
from tvm.relay.testing import run_infer_type


def infer(expr):
    return run_infer_type(expr).checked_type


def tensor(shape, dtype="float32"):
    return relay.TensorType(shape, dtype)


def var(name, shape, dtype="float32"):
    return relay.var(name, shape=shape, dtype=dtype)


def expect_error(expr, *fragments):
    with pytest.raises(tvm.error.DiagnosticError) as info:
        run_infer_type(expr)
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


# ---------------------------------------------------------------- convolution


@pytest.mark.parametrize(
    "dshape, wshape, kwargs, oshape",
    [
        ((1, 3, 8, 8), (4, 3, 3, 3), dict(padding=1), (1, 4, 8, 8)),
        ((2, 3, 9, 9), (4, 3, 3, 3), dict(strides=2), (2, 4, 4, 4)),
        ((1, 3, 9, 9), (4, 3, 3, 3), dict(dilation=2), (1, 4, 5, 5)),
        ((1, 4, 8, 8), (8, 2, 3, 3), dict(groups=2, padding=(1, 1)), (1, 8, 8, 8)),
        # padding (top, left, bottom, right)
        ((1, 8, 8, 8), (8, 1, 3, 3), dict(groups=8, padding=(1, 2, 1, 2)), (1, 8, 8, 10)),
    ],
)
def test_conv2d_nchw(dshape, wshape, kwargs, oshape):
    y = relay.nn.conv2d(var("x", dshape), var("w", wshape), **kwargs)
    assert infer(y) == tensor(oshape)


def test_conv2d_nhwc_hwio_and_weight_from_attrs():
    x = var("x", (1, 10, 12, 3))
    w = relay.var("w")
    y = relay.nn.conv2d(x, w, channels=16, kernel_size=(3, 5), data_layout="NHWC", kernel_layout="HWIO")
    f = run_infer_type(relay.Function([x, w], y))
    assert f.body.checked_type == tensor((1, 8, 8, 16))
    # The weight's type follows from channels and kernel_size, in the kernel layout.
    assert f.params[1].checked_type == tensor((3, 5, 3, 16))


def test_conv2d_out_dtype_and_layout():
    y = relay.nn.conv2d(var("x", (1, 3, 8, 8), "int8"), var("w", (4, 3, 1, 1), "int8"), out_dtype="int32",
                        out_layout="NHWC")
    assert infer(y) == tensor((1, 8, 8, 4), "int32")


def test_conv2d_blocked_layout():
    y = relay.nn.conv2d(var("x", (1, 2, 8, 8, 4)), var("w", (8, 8, 3, 3)), padding=1, data_layout="NCHW4c",
                        kernel_layout="OIHW")
    assert infer(y) == tensor((1, 2, 8, 8, 4))


def test_conv2d_attrs():
    y = relay.nn.conv2d(var("x", (1, 3, 8, 8)), var("w", (4, 3, 3, 3)), kernel_size=3, padding=1)
    assert y.op.name == "nn.conv2d"
    assert list(y.attrs.padding) == [1, 1, 1, 1]
    assert list(y.attrs.kernel_size) == [3, 3]
    assert y.attrs.data_layout == "NCHW" and y.attrs.kernel_layout == "OIHW" and y.attrs.groups == 1
    default = tvm.ir.make_node("relay.attrs.Conv2DAttrs")
    assert list(default.strides) == [1, 1] and list(default.dilation) == [1, 1]
    assert default.data_layout == "NCHW" and default.kernel_layout == "OIHW" and default.groups == 1


def test_conv2d_errors():
    expect_error(relay.nn.conv2d(var("x", (1, 3, 8, 8)), var("w", (4, 5, 3, 3))),
                 "nn.conv2d", "(4, 5, 3, 3)", "(1, 3, 8, 8)")
    expect_error(relay.nn.conv2d(var("x", (1, 3, 8, 8)), var("w", (4, 3, 3, 3)), channels=5), "channels=5")
    expect_error(relay.nn.conv2d(var("x", (1, 3, 8, 8)), var("w", (4, 3, 3, 3)), kernel_size=5), "kernel_size")
    expect_error(relay.nn.conv2d(var("x", (1, 3, 2, 2)), var("w", (4, 3, 3, 3))), "larger than the padded input")
    expect_error(relay.nn.conv2d(var("x", (1, 3, 8, 8)), var("w", (4, 3, 3, 3)), data_layout="NCHX"), "NCHX")
    expect_error(relay.nn.conv2d(var("x", (1, 3, 8)), var("w", (4, 3, 3, 3))), "data must be 4-D", "(1, 3, 8)")
    expect_error(relay.nn.conv2d(var("x", (1, 6, 8, 8)), var("w", (4, 3, 3, 3)), groups=4), "groups=4")


def test_conv1d_conv3d():
    assert infer(relay.nn.conv1d(var("x", (1, 3, 10)), var("w", (6, 3, 3)), padding=1)) == tensor((1, 6, 10))
    assert infer(relay.nn.conv1d(var("x", (1, 10, 3)), var("w", (3, 3, 6)), data_layout="NWC",
                                 kernel_layout="WIO")) == tensor((1, 8, 6))
    y = relay.nn.conv3d(var("x", (1, 3, 5, 8, 8)), var("w", (2, 3, 3, 3, 3)), strides=(1, 2, 2), padding=1)
    assert infer(y) == tensor((1, 2, 5, 4, 4))
    y = relay.nn.conv3d(var("x", (1, 5, 8, 8, 3)), var("w", (3, 3, 3, 3, 2)), data_layout="NDHWC",
                        kernel_layout="DHWIO")
    assert infer(y) == tensor((1, 3, 6, 6, 2))


def test_conv_transpose():
    # out = (in - 1) * stride - pad_before - pad_after + (k - 1) * dilation + 1 + output_padding
    y = relay.nn.conv2d_transpose(var("x", (1, 4, 5, 5)), var("w", (4, 2, 3, 3)), strides=2, padding=1,
                                  output_padding=1)
    assert infer(y) == tensor((1, 2, 10, 10))
    y = relay.nn.conv1d_transpose(var("x", (1, 4, 5)), var("w", (4, 3, 3)), strides=(2,))
    assert infer(y) == tensor((1, 3, 11))
    y = relay.nn.conv3d_transpose(var("x", (1, 4, 2, 2, 2)), var("w", (4, 1, 2, 2, 2)), strides=(2, 2, 2))
    assert infer(y) == tensor((1, 1, 4, 4, 4))
    expect_error(relay.nn.conv2d_transpose(var("x", (1, 4, 5, 5)), var("w", (3, 2, 3, 3))),
                 "nn.conv2d_transpose", "(3, 2, 3, 3)")


# ---------------------------------------------------------------- dense, matmul, batch_matmul


def test_dense():
    assert infer(relay.nn.dense(var("x", (2, 10)), var("w", (5, 10)))) == tensor((2, 5))
    assert infer(relay.nn.dense(var("x", (4, 2, 10)), var("w", (5, 10)), out_dtype="float64")) == tensor(
        (4, 2, 5), "float64")
    x, w = var("x", (2, 10)), relay.var("w")
    f = run_infer_type(relay.Function([x, w], relay.nn.dense(x, w, units=7)))
    assert f.params[1].checked_type == tensor((7, 10))


def test_dense_mismatch_names_both_shapes():
    # TVM v0.14 accepts this program; ours names the operator and both shapes.
    expect_error(relay.nn.dense(var("x", (2, 10)), var("w", (5, 11))), "nn.dense", "(2, 10)", "(5, 11)")
    expect_error(relay.nn.dense(var("x", (2, 10)), var("w", (5, 10)), units=6), "units=6", "(5, 10)")
    expect_error(relay.nn.dense(var("x", (2, 10)), var("w", (5, 10, 1))), "weight must be 2-D")


def test_matmul():
    a, b = var("a", (10, 3)), var("b", (10, 4))
    assert infer(relay.nn.matmul(a, b, transpose_a=True)) == tensor((3, 4))
    assert infer(relay.nn.matmul(var("a", (3, 10)), var("b", (10, 4)))) == tensor((3, 4))
    expect_error(relay.nn.matmul(var("a", (3, 10)), var("b", (11, 4))), "nn.matmul", "(3, 10)", "(11, 4)")


def test_batch_matmul():
    assert infer(relay.nn.batch_matmul(var("a", (2, 3, 4)), var("b", (2, 5, 4)))) == tensor((2, 3, 5))
    assert infer(relay.nn.batch_matmul(var("a", (1, 3, 4)), var("b", (6, 4, 5)), transpose_b=False)) == tensor(
        (6, 3, 5))
    assert infer(relay.nn.batch_matmul(var("a", (2, 4, 3)), var("b", (2, 5, 4)), transpose_a=True)) == tensor(
        (2, 3, 5))
    expect_error(relay.nn.batch_matmul(var("a", (2, 3, 4)), var("b", (3, 5, 4))), "batch sizes", "(2, 3, 4)",
                 "(3, 5, 4)")
    expect_error(relay.nn.batch_matmul(var("a", (2, 3, 4)), var("b", (2, 5, 6))), "reduction axes differ")
    expect_error(relay.nn.batch_matmul(var("a", (3, 4)), var("b", (2, 5, 4))), "3-D", "(3, 4)")


# ---------------------------------------------------------------- pooling


def test_pool2d():
    x = var("x", (1, 3, 9, 9))
    assert infer(relay.nn.max_pool2d(x, pool_size=3, strides=2)) == tensor((1, 3, 4, 4))
    assert infer(relay.nn.max_pool2d(x, pool_size=3, strides=2, ceil_mode=True)) == tensor((1, 3, 4, 4))
    assert infer(relay.nn.max_pool2d(var("x", (1, 3, 10, 10)), pool_size=3, strides=2, ceil_mode=True)) == tensor(
        (1, 3, 5, 5))
    assert infer(relay.nn.avg_pool2d(x, pool_size=2, padding=(1, 0, 0, 1))) == tensor((1, 3, 9, 9))
    assert infer(relay.nn.max_pool2d(var("x", (1, 9, 9, 3)), pool_size=3, layout="NHWC")) == tensor(
        (1, 7, 7, 3))
    assert infer(relay.nn.max_pool2d(x, pool_size=3, dilation=2)) == tensor((1, 3, 5, 5))
    assert infer(relay.nn.avg_pool2d(var("x", (1, 2, 8, 8, 4)), pool_size=2, strides=2, layout="NCHW4c")) == tensor(
        (1, 2, 4, 4, 4))
    y = relay.nn.avg_pool2d(x, pool_size=2, count_include_pad=True)
    assert y.attrs.count_include_pad and list(y.attrs.padding) == [0, 0, 0, 0]
    expect_error(relay.nn.max_pool2d(var("x", (1, 3, 2, 2)), pool_size=3), "nn.max_pool2d", "pool_size")
    expect_error(relay.nn.max_pool2d(x, pool_size=2, layout="NCDHW"), "data (1, 3, 9, 9)")


def test_pool1d_pool3d():
    assert infer(relay.nn.max_pool1d(var("x", (1, 3, 10)), pool_size=2, strides=2)) == tensor((1, 3, 5))
    assert infer(relay.nn.avg_pool1d(var("x", (1, 3, 10)), pool_size=3, padding=1)) == tensor((1, 3, 10))
    assert infer(relay.nn.max_pool3d(var("x", (1, 3, 4, 8, 8)), pool_size=2, strides=2)) == tensor((1, 3, 2, 4, 4))
    assert infer(relay.nn.avg_pool3d(var("x", (1, 4, 8, 8, 3)), pool_size=2, layout="NDHWC")) == tensor(
        (1, 3, 7, 7, 3))


def test_global_and_adaptive_pool():
    x = var("x", (1, 3, 9, 7))
    assert infer(relay.nn.global_avg_pool2d(x)) == tensor((1, 3, 1, 1))
    assert infer(relay.nn.global_max_pool2d(var("x", (1, 9, 7, 3)), layout="NHWC")) == tensor((1, 1, 1, 3))
    assert infer(relay.nn.adaptive_avg_pool2d(x, output_size=(3, 2))) == tensor((1, 3, 3, 2))
    assert infer(relay.nn.adaptive_max_pool2d(x, output_size=4)) == tensor((1, 3, 4, 4))
    assert infer(relay.nn.adaptive_max_pool2d(x)) == tensor((1, 3, 9, 7))
    assert infer(relay.nn.adaptive_avg_pool1d(var("x", (1, 3, 9)), output_size=4)) == tensor((1, 3, 4))
    assert infer(relay.nn.adaptive_avg_pool3d(var("x", (1, 3, 4, 5, 6)), output_size=(1, 2, 3))) == tensor(
        (1, 3, 1, 2, 3))
    assert infer(relay.nn.global_avg_pool1d(var("x", (1, 3, 9)))) == tensor((1, 3, 1))
    expect_error(relay.nn.adaptive_avg_pool2d(x, output_size=(1, 2, 3)), "output_size")


# ---------------------------------------------------------------- activations and normalisation


def test_identity_typed():
    x = var("x", (2, 3, 4))
    for y in [relay.nn.relu(x), relay.nn.leaky_relu(x, 0.1), relay.nn.softmax(x), relay.nn.log_softmax(x, 1),
              relay.nn.lrn(x, size=3), relay.nn.l2_normalize(x, 1e-5, axis=[1])]:
        assert infer(y) == tensor((2, 3, 4))
    assert relay.nn.leaky_relu(x).attrs.alpha == pytest.approx(0.01)
    expect_error(relay.nn.softmax(x, axis=3), "nn.softmax", "axis 3", "rank 3")
    expect_error(relay.nn.l2_normalize(x, 1e-5, axis=[5]), "axis 5")


def test_bias_add_prelu():
    x = var("x", (2, 3, 4))
    assert infer(relay.nn.bias_add(x, var("b", (3,)))) == tensor((2, 3, 4))
    assert infer(relay.nn.bias_add(x, var("b", (4,)), axis=-1)) == tensor((2, 3, 4))
    assert infer(relay.nn.prelu(x, var("a", (3,)))) == tensor((2, 3, 4))
    expect_error(relay.nn.bias_add(x, var("b", (4,))), "nn.bias_add", "bias", "(3,)", "(4,)")
    expect_error(relay.nn.prelu(x, var("a", (3, 1))), "nn.prelu", "alpha", "(3, 1)")


def test_dropout_batch_norm():
    x = var("x", (2, 3, 4))
    assert infer(relay.nn.dropout_raw(x, 0.3)) == relay.TupleType([tensor((2, 3, 4)), tensor((2, 3, 4))])
    assert infer(relay.nn.dropout(x)) == tensor((2, 3, 4))
    vecs = [var(n, (3,)) for n in ["g", "b", "m", "v"]]
    bn = relay.nn.batch_norm(x, *vecs)
    assert infer(bn.astuple()) == relay.TupleType([tensor((2, 3, 4)), tensor((3,)), tensor((3,))])
    assert infer(bn[0]) == tensor((2, 3, 4))
    bad = [var("g", (3,)), var("b", (3,)), var("m", (4,)), var("v", (3,))]
    expect_error(relay.nn.batch_norm(x, *bad).astuple(), "moving_mean", "(4,)")
    expect_error(relay.nn.dropout_raw(x, 1.5), "rate")


def test_layer_group_instance_norm():
    x = var("x", (2, 6, 4))
    assert infer(relay.nn.layer_norm(x, var("g", (4,)), var("b", (4,)))) == tensor((2, 6, 4))
    assert infer(relay.nn.instance_norm(x, var("g", (6,)), var("b", (6,)))) == tensor((2, 6, 4))
    assert infer(relay.nn.group_norm(x, var("g", (6,)), var("b", (6,)), num_groups=3)) == tensor((2, 6, 4))
    expect_error(relay.nn.group_norm(x, var("g", (6,)), var("b", (6,)), num_groups=4), "num_groups=4")
    expect_error(relay.nn.layer_norm(x, var("g", (6,)), var("b", (4,))), "nn.layer_norm", "gamma", "(6,)")


# ---------------------------------------------------------------- shape-changing nn ops


def test_pad():
    x = var("x", (2, 3, 4))
    assert infer(relay.nn.pad(x, ((0, 0), (1, 2), (3, 4)))) == tensor((2, 6, 11))
    assert infer(relay.nn.pad(x, ((0, 0), (1, 1), (2, 2)), pad_mode="reflect")) == tensor((2, 5, 8))
    assert infer(relay.nn.pad(x, ((0, 0), (-1, 0), (0, 0)))) == tensor((2, 2, 4))
    expect_error(relay.nn.pad(x, ((0, 0), (1, 1))), "nn.pad", "2 (before, after) pairs", "(2, 3, 4)")
    expect_error(relay.nn.pad(x, ((0, 0), (3, 0), (0, 0)), pad_mode="reflect"), "reflect")
    expect_error(relay.nn.pad(x, ((0, 0), (0, 0), (0, 0)), pad_mode="wrap"), "pad_mode")


def test_upsampling_flatten_depth_space():
    assert infer(relay.nn.upsampling(var("x", (1, 3, 4, 5)), 2, 3)) == tensor((1, 3, 8, 15))
    assert infer(relay.nn.upsampling(var("x", (1, 4, 5, 3)), 2, 2, layout="NHWC")) == tensor((1, 8, 10, 3))
    assert infer(relay.nn.upsampling3d(var("x", (1, 3, 2, 4, 5)), 2, 2, 2)) == tensor((1, 3, 4, 8, 10))
    assert infer(relay.nn.batch_flatten(var("x", (2, 3, 4, 5)))) == tensor((2, 60))
    assert infer(relay.nn.depth_to_space(var("x", (1, 8, 3, 3)), 2)) == tensor((1, 2, 6, 6))
    assert infer(relay.nn.depth_to_space(var("x", (1, 3, 3, 8)), 2, layout="NHWC", mode="CRD")) == tensor(
        (1, 6, 6, 2))
    assert infer(relay.nn.space_to_depth(var("x", (1, 2, 6, 6)), 3)) == tensor((1, 18, 2, 2))
    expect_error(relay.nn.depth_to_space(var("x", (1, 6, 3, 3)), 2), "nn.depth_to_space", "(1, 6, 3, 3)")
    expect_error(relay.nn.space_to_depth(var("x", (1, 2, 5, 6)), 2), "nn.space_to_depth", "(1, 2, 5, 6)")


def test_any_dimension_flows_through():
    x = relay.var("x", relay.TensorType((relay.Any(), 3, 8, 8)))
    y = relay.nn.conv2d(x, var("w", (4, 3, 3, 3)), padding=1)
    out = infer(relay.nn.dense(relay.nn.batch_flatten(y), var("w2", (10, 256))))
    assert isinstance(out.shape[0], tvm.tir.Any) and int(out.shape[1]) == 10


if __name__ == "__main__":
    tvm.testing.main() if hasattr(tvm, "testing") else pytest.main([__file__])


def test_mirror_pad_dilate_losses():
    x = var("x", (2, 3))
    assert infer(relay.nn.mirror_pad(x, ((1, 1), (2, 3)))) == tensor((4, 8))
    assert infer(relay.nn.mirror_pad(x, ((1, 0), (2, 2)), mode="REFLECT")) == tensor((3, 7))
    expect_error(relay.nn.mirror_pad(x, ((0, 0), (3, 0)), mode="REFLECT"), "nn.mirror_pad", "(2, 3)")
    assert infer(relay.nn.dilate(var("x", (1, 3, 4)), (1, 2, 3))) == tensor((1, 5, 10))
    expect_error(relay.nn.dilate(x, (2,)), "nn.dilate", "strides")
    pred, target, weights = var("p", (4, 5, 2)), var("t", (4, 2), "int32"), var("w", (5,))
    assert infer(relay.nn.nll_loss(pred, target, weights)) == tensor(())
    assert infer(relay.nn.nll_loss(pred, target, weights, reduction="none")) == tensor((4, 2))
    expect_error(relay.nn.nll_loss(pred, var("t", (4, 5), "int32"), weights), "nn.nll_loss", "(4, 5)")
    expect_error(relay.nn.nll_loss(pred, target, var("w", (4,))), "weights", "(4,)")
    assert infer(relay.nn.cross_entropy(var("a", (3, 4)), var("b", (3, 4)))) == tensor(())
    expect_error(relay.nn.cross_entropy_with_logits(var("a", (3, 4)), var("b", (4, 3))), "(4, 3)")


def test_deformable_conv2d():
    data, weight = var("x", (1, 4, 16, 16)), var("w", (8, 4, 3, 3))
    offset = var("o", (1, 2 * 2 * 9, 14, 14))
    y = relay.nn.deformable_conv2d(data, offset, weight, deformable_groups=2, kernel_size=(3, 3), channels=8)
    assert infer(y) == tensor((1, 8, 14, 14))
    assert y.attrs.deformable_groups == 2
    nhwc = relay.nn.deformable_conv2d(var("x", (1, 16, 16, 4)), var("o", (1, 16, 16, 18)), var("w", (3, 3, 4, 8)),
                                      padding=1, data_layout="NHWC", kernel_layout="HWIO")
    assert infer(nhwc) == tensor((1, 16, 16, 8))
    bad = relay.nn.deformable_conv2d(data, var("o", (1, 18, 14, 14)), weight, deformable_groups=2)
    expect_error(bad, "nn.deformable_conv2d", "offset", "(1, 18, 14, 14)", "(1, 36, 14, 14)")


def test_deformable_conv2d_offset_type_is_inferred():
    data, offset, weight = var("x", (2, 4, 16, 16)), relay.var("o"), var("w", (4, 4, 3, 3))
    f = run_infer_type(relay.Function([data, offset, weight], relay.nn.deformable_conv2d(data, offset, weight)))
    assert f.params[1].checked_type == tensor((2, 18, 14, 14))
    assert f.body.checked_type == tensor((2, 4, 14, 14))
