# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""nn.space_to_batch_nd / batch_to_space_nd, image.crop_and_resize / grid_sample / affine_grid,
vision.roi_pool and annotation.checkpoint: relations (a wrong shape each) and numbers."""
import numpy as np
import pytest

import tvm
import tvm.topi.testing
from tvm import relay
from tvm.relay.testing import run_infer_type

RNG = np.random.default_rng(5)


def run(make, *arrays):
    params = [relay.var(f"p{i}", shape=a.shape, dtype=str(a.dtype)) for i, a in enumerate(arrays)]
    mod = tvm.IRModule.from_expr(relay.Function(params, make(*params)))
    return relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(*arrays).numpy()


def type_error(expr, *fragments):
    with pytest.raises(tvm.error.DiagnosticError) as info:
        run_infer_type(expr)
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


def test_space_to_batch_nd_and_back():
    data = RNG.standard_normal((2, 5, 6, 3)).astype("float32")
    block, pads = [2, 3], [[1, 0], [0, 3]]
    got = run(lambda d: relay.nn.space_to_batch_nd(d, block, pads, 0.5), data)
    padded = np.pad(data, [(0, 0), (1, 0), (0, 3), (0, 0)], constant_values=0.5)
    want = padded.reshape(2, 3, 2, 3, 3, 3).transpose(2, 4, 0, 1, 3, 5).reshape(12, 3, 3, 3)
    np.testing.assert_array_equal(got, want)
    back = run(lambda d: relay.nn.batch_to_space_nd(d, block, pads), got)
    np.testing.assert_array_equal(back, data)


def test_space_to_batch_nd_blocks_must_divide():
    type_error(relay.nn.space_to_batch_nd(relay.var("d", shape=(1, 5, 4)), [2], [[0, 0]]), "nn.space_to_batch_nd",
               "axis 1 of data (1, 5, 4)", "not a multiple of block 2")
    type_error(relay.nn.batch_to_space_nd(relay.var("d", shape=(3, 2, 2)), [2], [[0, 0]]), "nn.batch_to_space_nd",
               "batch of data (3, 2, 2)", "block size 2")


@pytest.mark.parametrize("layout,method", [("NCHW", "bilinear"), ("NHWC", "nearest_neighbor")])
def test_crop_and_resize(layout, method):
    image = RNG.standard_normal((2, 3, 9, 8) if layout == "NCHW" else (2, 9, 8, 3)).astype("float32")
    boxes = np.array([[0.1, 0.2, 0.9, 0.7], [0.0, 0.0, 1.0, 1.0], [0.5, 0.6, 1.2, 1.1]], "float32")
    indices = np.array([1, 0, 1], "int32")
    got = run(lambda d, b, i: relay.image.crop_and_resize(d, b, i, (4, 5), layout, method, 0.25), image, boxes,
              indices)
    want = tvm.topi.testing.crop_and_resize_python(image, boxes, indices, (4, 5), layout, method, 0.25)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_crop_and_resize_index_count():
    d, b = relay.var("d", shape=(1, 3, 8, 8)), relay.var("b", shape=(3, 4))
    type_error(relay.image.crop_and_resize(d, b, relay.var("i", shape=(2,), dtype="int32"), (2, 2), "NCHW"),
               "image.crop_and_resize", "box_indices (2,)", "boxes (3, 4)")


def test_affine_grid_and_grid_sample():
    theta = np.array([[[0.9, 0.1, 0.05], [-0.2, 1.1, 0.0]]], "float32")
    grid = run(lambda t: relay.image.affine_grid(t, (5, 6)), theta)
    np.testing.assert_allclose(grid, tvm.topi.testing.affine_grid_python(theta, (5, 6)), rtol=1e-5, atol=1e-6)
    data = RNG.standard_normal((1, 2, 7, 6)).astype("float32")
    got = run(lambda d, g: relay.image.grid_sample(d, g, "bilinear", "NCHW", "zeros", True), data, grid)
    want = tvm.topi.testing.grid_sample_python(data, grid, "bilinear", "NCHW", "zeros", True)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_grid_sample_grid_of_the_wrong_batch():
    type_error(relay.image.grid_sample(relay.var("d", shape=(2, 3, 4, 4)), relay.var("g", shape=(1, 2, 4, 4))),
               "image.grid_sample", "(1, 2, 4, 4)", "(2, 3, 4, 4)")
    type_error(relay.image.affine_grid(relay.var("t", shape=(1, 3, 3)), (4, 4)), "image.affine_grid", "(1, 3, 3)")


def test_roi_pool():
    data = RNG.uniform(size=(2, 3, 12, 10)).astype("float32")
    rois = RNG.uniform(-1, 13, (7, 5)).astype("float32")
    rois[:, 0] = RNG.integers(0, 2, 7)
    got = run(lambda d, r: relay.vision.roi_pool(d, r, (3, 2), 0.75), data, rois)
    np.testing.assert_allclose(got, tvm.topi.testing.roi_pool_nchw_python(data, rois, (3, 2), 0.75), rtol=1e-6)


def test_roi_pool_wrong_layout_and_rois():
    d = relay.var("d", shape=(1, 3, 8, 8))
    type_error(relay.vision.roi_pool(d, relay.var("r", shape=(4, 4)), (2, 2), 1.0), "vision.roi_pool",
               "rois must be (num_roi, 5)", "(4, 4)")
    type_error(relay.vision.roi_pool(d, relay.var("r", shape=(4, 5)), (2, 2), 1.0, "NHWC"), "layout must be NCHW")


def test_checkpoint_is_the_identity():
    x = RNG.standard_normal((3, 4)).astype("float32")
    np.testing.assert_allclose(run(lambda v: relay.annotation.checkpoint(relay.exp(v)), x), np.exp(x), rtol=1e-6)
    t = relay.Tuple([relay.var("a", shape=(2,)), relay.var("b", shape=(3,), dtype="int32")])
    assert run_infer_type(relay.annotation.checkpoint(t)).checked_type == relay.TupleType(
        [relay.TensorType((2,)), relay.TensorType((3,), "int32")])
    # Any type passes through (it has no wrong shape); an ill-typed argument is reported for its own op.
    with pytest.raises(tvm.error.DiagnosticError, match=r"add: shapes \(2,\) and \(3,\)"):
        run_infer_type(relay.annotation.checkpoint(relay.add(relay.var("a", shape=(2,)), relay.var("b", shape=(3,)))))
