# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Type relations and attributes of image.resize1d/2d/3d."""
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


METHODS = ["nearest_neighbor", "linear", "cubic"]
MODES = ["half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel", "tf_half_pixel_for_nn"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("mode", MODES)
def test_resize2d(method, mode):
    x = relay.var("x", shape=(1, 3, 4, 5))
    y = relay.image.resize2d(x, (8, 10), method=method, coordinate_transformation_mode=mode)
    assert infer(y) == relay.TensorType((1, 3, 8, 10))
    assert y.attrs.method == method and y.attrs.coordinate_transformation_mode == mode
    assert list(y.attrs.size) == [8, 10]


def test_resize_layouts_and_dtype():
    assert infer(relay.image.resize2d(relay.var("x", shape=(1, 4, 5, 3)), (2, 3), layout="NHWC")) == relay.TensorType(
        (1, 2, 3, 3))
    assert infer(relay.image.resize1d(relay.var("x", shape=(2, 3, 7)), (14,))) == relay.TensorType((2, 3, 14))
    assert infer(relay.image.resize1d(relay.var("x", shape=(2, 7, 3)), 5, layout="NWC")) == relay.TensorType(
        (2, 5, 3))
    y = relay.image.resize3d(relay.var("x", shape=(1, 2, 3, 4, 5)), (6, 8, 10), method="nearest_neighbor",
                             rounding_method="floor")
    assert infer(y) == relay.TensorType((1, 2, 6, 8, 10))
    y = relay.image.resize2d(relay.var("x", shape=(1, 3, 4, 5), dtype="uint8"), (8, 8), out_dtype="float32")
    assert infer(y) == relay.TensorType((1, 3, 8, 8), "float32")
    assert y.attrs.cubic_alpha == pytest.approx(-0.5) and y.attrs.cubic_exclude == 0


def test_resize_errors():
    x = relay.var("x", shape=(1, 3, 4, 5))
    expect_error(relay.image.resize2d(x, (8, 8), method="bilinear"), "image.resize2d", "method")
    expect_error(relay.image.resize2d(x, (8, 8), coordinate_transformation_mode="corners"), "corners")
    expect_error(relay.image.resize2d(x, (8, 8), layout="NCW"), "(1, 3, 4, 5)", "NCW")
    expect_error(relay.image.resize2d(x, (8, 0)), "size entries must be positive")


if __name__ == "__main__":
    pytest.main([__file__])


def test_dilation2d():
    y = relay.image.dilation2d(relay.var("x", shape=(1, 3, 10, 10)), relay.var("w", shape=(3, 3, 3)))
    assert infer(y) == relay.TensorType((1, 3, 8, 8))
    y = relay.image.dilation2d(relay.var("x", shape=(1, 10, 10, 3)), relay.var("w", shape=(2, 2, 3)),
                               strides=(2, 2), padding=(1, 1), dilations=(2, 2), data_layout="NHWC",
                               kernel_layout="HWI")
    assert infer(y) == relay.TensorType((1, 5, 5, 3))
    expect_error(relay.image.dilation2d(relay.var("x", shape=(1, 3, 10, 10)), relay.var("w", shape=(4, 3, 3))),
                 "image.dilation2d", "(4, 3, 3)", "(1, 3, 10, 10)")


def test_dilation2d_tensorflow_strides():
    x = relay.var("x", shape=(1, 3, 9, 9))
    y = relay.image.dilation2d(x, relay.var("w", shape=(3, 3, 3)), strides=[1, 2, 2, 1], dilations=[1, 1, 1, 1])
    assert infer(y) == relay.TensorType((1, 3, 4, 4))
    expect_error(relay.image.dilation2d(x, relay.var("w", shape=(3, 3, 3)), strides=[2, 2, 2]), "strides")
