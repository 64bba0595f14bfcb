# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.vision operators with computes run in the debug executor, against numpy loops."""
import numpy as np
import pytest

import tvm
from tvm import relay

RNG = np.random.default_rng(13)


def run(expr_fn, data):
    v = relay.var("x", shape=data.shape, dtype=str(data.dtype))
    mod = tvm.IRModule.from_expr(relay.Function([v], expr_fn(v)))
    return relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(data).numpy()


def reorg_reference(x, s):
    """Darknet's reorg, one element at a time."""
    b_, c_, h_, w_ = x.shape
    flat = x.reshape(-1)
    out_c = c_ // (s * s)
    out = np.empty(x.size, x.dtype)
    n = 0
    for b in range(b_):
        for k in range(c_):
            for j in range(h_):
                for i in range(w_):
                    offset = k // out_c
                    out[n] = flat[(i * s + offset % s) + w_ * s * ((j * s + offset // s) + h_ * s * (k % out_c + out_c * b))]
                    n += 1
    return out.reshape(b_, c_ * s * s, h_ // s, w_ // s)


@pytest.mark.parametrize("shape,stride", [((1, 4, 6, 6), 2), ((2, 8, 4, 6), 2), ((1, 9, 3, 6), 3), ((1, 2, 2, 2), 1)])
def test_yolo_reorg(shape, stride):
    x = RNG.standard_normal(shape).astype("float32")
    np.testing.assert_array_equal(run(lambda v: relay.vision.yolo_reorg(v, stride), x), reorg_reference(x, stride))


def prior_reference(height, width, sizes, ratios, steps, offsets, clip):
    step_h = steps[0] if steps[0] > 0 else 1.0 / height
    step_w = steps[1] if steps[1] > 0 else 1.0 / width
    boxes = []
    for i in range(height):
        cy = (i + offsets[0]) * step_h
        for j in range(width):
            cx = (j + offsets[1]) * step_w
            for k in range(len(sizes) + len(ratios) - 1):
                if k < len(sizes):
                    w, h = sizes[k] * height / width / 2, sizes[k] / 2
                else:
                    r = np.sqrt(ratios[k - len(sizes) + 1])
                    w, h = sizes[0] * height / width * r / 2, sizes[0] / r / 2
                boxes.append([cx - w, cy - h, cx + w, cy + h])
    out = np.array(boxes, "float32")[None]
    return np.clip(out, 0, 1) if clip else out


@pytest.mark.parametrize("sizes,ratios,steps,offsets,clip", [
    ((1.0,), (1.0,), (-1.0, -1.0), (0.5, 0.5), False), ((0.3, 0.2), (1.0, 2.0, 0.5), (-1.0, -1.0), (0.5, 0.5), True),
    ((0.5,), (1.0, 3.0), (0.1, 0.2), (0.3, 0.6), False)])
def test_multibox_prior(sizes, ratios, steps, offsets, clip):
    x = RNG.standard_normal((1, 3, 4, 5)).astype("float32")
    out = run(lambda v: relay.vision.multibox_prior(v, sizes, ratios, steps, offsets, clip), x)
    np.testing.assert_allclose(out, prior_reference(4, 5, sizes, ratios, steps, offsets, clip), rtol=1e-5, atol=1e-6)
