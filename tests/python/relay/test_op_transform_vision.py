# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Type relations of the detection operators (relay.vision.*)."""
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


def test_multibox():
    y = relay.vision.multibox_prior(var("x", (1, 3, 4, 5)), sizes=(0.3, 0.2), ratios=(1.0, 2.0, 0.5))
    assert infer(y) == tensor((1, 80, 4))
    assert [float(v) for v in y.attrs.sizes] == pytest.approx([0.3, 0.2]) and not y.attrs.clip
    expect_error(relay.vision.multibox_prior(var("x", (3, 4, 5))), "vision.multibox_prior", "(3, 4, 5)")
    out = relay.vision.multibox_transform_loc(var("c", (2, 3, 10)), var("l", (2, 40)), var("a", (1, 10, 4)))
    assert infer(out.astuple()) == relay.TupleType([tensor((2, 10, 6)), tensor((2,), "int32")])
    bad = relay.vision.multibox_transform_loc(var("c", (2, 3, 10)), var("l", (2, 36)), var("a", (1, 10, 4)))
    expect_error(bad.astuple(), "vision.multibox_transform_loc", "(2, 36)")


def test_valid_counts_and_nms():
    data = var("d", (2, 7, 6))
    counts = relay.vision.get_valid_counts(data, 0.5)
    assert infer(counts.astuple()) == relay.TupleType([tensor((2,), "int32"), tensor((2, 7, 6)),
                                                      tensor((2, 7), "int32")])
    nms = relay.vision.non_max_suppression(data, counts[0], counts[2], max_output_size=3)
    assert infer(nms.astuple()) == relay.TupleType([tensor((2, 7), "int32"), tensor((2, 1), "int32")])
    boxes = relay.vision.non_max_suppression(data, counts[0], counts[2], return_indices=False)
    assert infer(boxes) == tensor((2, 7, 6))
    expect_error(relay.vision.non_max_suppression(data, var("v", (3,), "int32"), counts[2], return_indices=False),
                 "vision.non_max_suppression", "valid_count", "(3,)")
    expect_error(relay.vision.non_max_suppression(data, counts[0], counts[2], coord_start=4, return_indices=False),
                 "coord_start=4")
    expect_error(relay.vision.get_valid_counts(var("d", (2, 7)), 0.5).astuple(), "(2, 7)")


def test_roi_align_yolo_reorg():
    y = relay.vision.roi_align(var("x", (1, 8, 16, 16)), var("r", (5, 5)), (3, 3), 0.5)
    assert infer(y) == tensor((5, 8, 3, 3))
    y = relay.vision.roi_align(var("x", (1, 16, 16, 8)), var("r", (5, 5)), (2, 4), 1.0, layout="NHWC", mode="max")
    assert infer(y) == tensor((5, 2, 4, 8))
    expect_error(relay.vision.roi_align(var("x", (1, 8, 16, 16)), var("r", (5, 4)), (3, 3), 0.5), "rois", "(5, 4)")
    assert infer(relay.vision.yolo_reorg(var("x", (1, 4, 6, 6)), 2)) == tensor((1, 16, 3, 3))
    expect_error(relay.vision.yolo_reorg(var("x", (1, 4, 5, 6)), 2), "vision.yolo_reorg", "(1, 4, 5, 6)")


if __name__ == "__main__":
    pytest.main([__file__])
