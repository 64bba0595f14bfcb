# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""TOPI computes of get_valid_counts, non_max_suppression, multibox_transform_loc, roi_align,
deformable_conv2d and dilation2d, run through Relay's debug executor against numpy."""
import numpy as np
import pytest

import tvm
from tvm import relay
import tvm.topi.testing  # noqa: E402  (the numpy references)
from tvm import topi
from tvm.relay.testing import run_infer_type

RNG = np.random.default_rng(7)


def run(make, *arrays, dtypes=None):
    """make(*vars) -> expr, evaluated on arrays; a tuple result comes back as a list of arrays."""
    params = [relay.var(f"p{i}", shape=a.shape, dtype=str(a.dtype)) for i, a in enumerate(arrays)]
    body = make(*params)
    if isinstance(body, relay.TupleWrapper):
        body = body.astuple()
    mod = tvm.IRModule.from_expr(relay.Function(params, body))
    out = relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(*arrays)
    if isinstance(out, tvm.runtime.NDArray):
        return out.numpy()
    return [o.numpy() for o in out]


def type_error(expr, *fragments):
    with pytest.raises(tvm.error.DiagnosticError) as info:
        run_infer_type(expr)
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


# ---------------------------------------------------------------- get_valid_counts

def valid_counts_reference(data, threshold, id_index, score_index):
    batch, num, elems = data.shape
    count = np.zeros(batch, "int32")
    out = np.full(data.shape, -1, data.dtype)
    idx = np.full((batch, num), -1, "int32")
    for b in range(batch):
        for j in range(num):
            if data[b, j, score_index] > threshold and (id_index < 0 or data[b, j, id_index] >= 0):
                out[b, count[b]] = data[b, j]
                idx[b, count[b]] = j
                count[b] += 1
    return count, out, idx


@pytest.mark.parametrize("shape,threshold,id_index,score_index", [
    ((2, 40, 6), 0.0, 0, 1), ((1, 25, 5), -1.0, -1, 0), ((3, 17, 6), 0.55, 1, 0)])
def test_get_valid_counts(shape, threshold, id_index, score_index):
    data = RNG.uniform(-2, 2, shape).astype("float32")
    got = run(lambda d: relay.vision.get_valid_counts(d, threshold, id_index, score_index), data)
    for g, want in zip(got, valid_counts_reference(data, threshold, id_index, score_index)):
        np.testing.assert_array_equal(g, want)


def test_get_valid_counts_prints_a_constant_threshold_and_rejects_2d_data():
    assert "score_threshold=0.25f" in relay.vision.get_valid_counts(
        relay.var("d", shape=(1, 4, 6)), 0.25).astuple().astext()
    type_error(relay.vision.get_valid_counts(relay.var("d", shape=(4, 6)), 0.0).astuple(),
               "vision.get_valid_counts", "data must be 3-D", "(4, 6)")


# ---------------------------------------------------------------- non_max_suppression

def iou(a, b):
    a_l, a_r, a_t, a_b = min(a[0], a[2]), max(a[0], a[2]), min(a[1], a[3]), max(a[1], a[3])
    b_l, b_r, b_t, b_b = min(b[0], b[2]), max(b[0], b[2]), min(b[1], b[3]), max(b[1], b[3])
    inter = max(0.0, min(a_r, b_r) - max(a_l, b_l)) * max(0.0, min(a_b, b_b) - max(a_t, b_t))
    union = (a_r - a_l) * (a_b - a_t) + (b_r - b_l) * (b_b - b_t) - inter
    return 0.0 if union <= 0 else inter / union


def nms_reference(data, valid, indices, max_out, thr, force, top_k, coord, score, id_index):
    """Greedy NMS as the operator documents it: rows (boxes) and original indices."""
    batch, num, elems = data.shape
    out = np.full(data.shape, -1, data.dtype)
    kept_idx = np.full((batch, num), -1, "int32")
    counts = np.zeros((batch, 1), "int32")
    for b in range(batch):
        order = sorted(range(valid[b]), key=lambda j: -data[b, j, score])  # stable: ties keep order
        if top_k > 0:
            order = order[:top_k]
        kept = []
        for pos, j in enumerate(order):
            row = data[b, j]
            if 0 <= max_out == len(kept):
                continue
            if row[score] <= 0:
                out[b, pos] = row
                continue
            suppressed = any(
                data[b, k, score] > 0 and (id_index < 0 or data[b, k, id_index] >= 0)
                and (force or id_index < 0 or data[b, k, id_index] == row[id_index])
                and iou(row[coord:coord + 4], data[b, k, coord:coord + 4]) >= thr for _, k in kept)
            if not suppressed:
                kept.append((pos, j))
                out[b, pos] = row
        for n, (_, j) in enumerate(kept):
            kept_idx[b, n] = indices[b, j]
        counts[b, 0] = len(kept)
    return out, kept_idx, counts


@pytest.mark.parametrize("force,top_k,max_out,id_index", [(False, -1, -1, 0), (True, 3, -1, 0), (False, -1, 2, 0),
                                                          (False, -1, -1, -1)])
def test_non_max_suppression(force, top_k, max_out, id_index):
    batch, num = 2, 12
    corners = RNG.uniform(0, 10, (batch, num, 2)).astype("float32")
    sizes = RNG.uniform(1, 6, (batch, num, 2)).astype("float32")
    data = np.concatenate([RNG.integers(0, 3, (batch, num, 1)).astype("float32"),
                           RNG.permutation(np.linspace(0.05, 0.95, batch * num)).reshape(batch, num, 1),
                           corners, corners + sizes], axis=2).astype("float32")
    valid = np.array([num, num - 3], "int32")
    indices = np.tile(np.arange(num, dtype="int32")[::-1], (batch, 1)).copy()
    want_boxes, want_idx, want_count = nms_reference(data, valid, indices, max_out, 0.3, force, top_k, 2, 1, id_index)

    def make(d, v, i):
        return relay.vision.non_max_suppression(d, v, i, max_out, 0.3, force, top_k, id_index=id_index,
                                                return_indices=False)

    np.testing.assert_allclose(run(make, data, valid, indices), want_boxes)

    def make_idx(d, v, i):
        return relay.vision.non_max_suppression(d, v, i, max_out, 0.3, force, top_k, id_index=id_index)

    got_idx, got_count = run(make_idx, data, valid, indices)
    np.testing.assert_array_equal(got_idx, want_idx)
    np.testing.assert_array_equal(got_count, want_count)


def test_non_max_suppression_invalid_to_bottom_and_wrong_valid_count():
    data = np.array([[[0, 0.9, 0, 0, 4, 4], [0, 0.8, 1, 1, 4, 4], [1, 0.7, 0, 0, 4, 4]]], "float32")
    valid, indices = np.array([3], "int32"), np.array([[0, 1, 2]], "int32")
    got = run(lambda d, v, i: relay.vision.non_max_suppression(d, v, i, -1, 0.5, return_indices=False,
                                                               invalid_to_bottom=True), data, valid, indices)
    np.testing.assert_allclose(got, np.array([[data[0, 0], data[0, 2], [-1] * 6]], "float32"))
    d, v, i = relay.var("d", shape=(2, 5, 6)), relay.var("v", shape=(3,), dtype="int32"), relay.var(
        "i", shape=(2, 5), dtype="int32")
    type_error(relay.vision.non_max_suppression(d, v, i, return_indices=False), "vision.non_max_suppression",
               "valid_count (3,)", "(2, 5, 6)")


# ---------------------------------------------------------------- multibox_transform_loc

def transform_loc_reference(cls_prob, loc, anchor, clip, threshold, variances, keep_background):
    batch, num_classes, num = cls_prob.shape
    out = np.full((batch, num, 6), -1, "float32")
    count = np.zeros(batch, "int32")
    for b in range(batch):
        for j in range(num):
            first = 0 if keep_background else 1
            cls = first + int(np.argmax(cls_prob[b, first:, j]))
            score = cls_prob[b, cls, j]
            if not keep_background and score < threshold:
                continue
            l, t, r, btm = anchor[0, j]
            w, h = r - l, btm - t
            cx = loc[b, 4 * j] * variances[0] * w + (l + r) / 2
            cy = loc[b, 4 * j + 1] * variances[1] * h + (t + btm) / 2
            hw = np.exp(loc[b, 4 * j + 2] * variances[2]) * w / 2
            hh = np.exp(loc[b, 4 * j + 3] * variances[3]) * h / 2
            box = np.array([cx - hw, cy - hh, cx + hw, cy + hh])
            if clip:
                box = np.clip(box, 0, 1)
            out[b, count[b]] = [cls if keep_background else cls - 1, score, *box]
            count[b] += 1
    return out, count


@pytest.mark.parametrize("clip,keep_background,threshold", [(True, False, 0.3), (False, True, 0.01),
                                                            (False, False, 0.01)])
def test_multibox_transform_loc(clip, keep_background, threshold):
    batch, num_classes, num = 2, 4, 9
    logits = RNG.standard_normal((batch, num_classes, num))
    cls_prob = (np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)).astype("float32")
    loc = RNG.uniform(-1, 1, (batch, num * 4)).astype("float32")
    corner = RNG.uniform(0, 0.7, (1, num, 2))
    anchor = np.concatenate([corner, corner + RNG.uniform(0.1, 0.3, (1, num, 2))], axis=2).astype("float32")
    variances = (0.1, 0.1, 0.2, 0.2)
    got_out, got_count = run(lambda c, l, a: relay.vision.multibox_transform_loc(
        c, l, a, clip, threshold, variances, keep_background), cls_prob, loc, anchor)
    want_out, want_count = transform_loc_reference(cls_prob, loc, anchor, clip, threshold, variances, keep_background)
    np.testing.assert_array_equal(got_count, want_count)
    np.testing.assert_allclose(got_out, want_out, rtol=1e-5, atol=1e-6)


def test_multibox_transform_loc_wrong_anchor():
    c, l, a = relay.var("c", shape=(1, 3, 5)), relay.var("l", shape=(1, 20)), relay.var("a", shape=(1, 4, 4))
    type_error(relay.vision.multibox_transform_loc(c, l, a).astuple(), "vision.multibox_transform_loc",
               "anchor (1, 4, 4)", "disagree")


# ---------------------------------------------------------------- roi_align

@pytest.mark.parametrize("layout,mode,sample_ratio,scale", [("NCHW", "avg", -1, 1.0), ("NCHW", "max", 2, 0.5),
                                                             ("NHWC", "avg", 2, 0.5), ("NHWC", "max", -1, 1.0)])
def test_roi_align(layout, mode, sample_ratio, scale):
    data = RNG.uniform(size=(2, 3, 10, 12) if layout == "NCHW" else (2, 10, 12, 3)).astype("float32")
    rois = RNG.uniform(-2, 13, (6, 5)).astype("float32")
    rois[:, 0] = RNG.integers(0, 2, 6)
    got = run(lambda d, r: relay.vision.roi_align(d, r, (3, 4), scale, sample_ratio, layout, mode), data, rois)
    ref = topi.testing.roi_align_nchw_python if layout == "NCHW" else topi.testing.roi_align_nhwc_python
    np.testing.assert_allclose(got, ref(data, rois, (3, 4), scale, sample_ratio, mode), rtol=1e-4, atol=1e-6)


def test_roi_align_wrong_rois():
    type_error(relay.vision.roi_align(relay.var("d", shape=(1, 3, 8, 8)), relay.var("r", shape=(4, 4)), (2, 2), 1.0),
               "vision.roi_align", "rois must be (num_roi, 5)", "(4, 4)")


# ---------------------------------------------------------------- deformable_conv2d

@pytest.mark.parametrize("layout,groups,dgroups,stride,dilation", [("NCHW", 1, 1, 1, 1), ("NCHW", 2, 2, 2, 1),
                                                                    ("NHWC", 1, 2, 1, 2), ("NHWC", 2, 1, 1, 1)])
def test_deformable_conv2d(layout, groups, dgroups, stride, dilation):
    batch, channels, size, out_channels, k = 2, 4, 7, 6, 3
    out_size = (size + 2 - dilation * (k - 1) - 1) // stride + 1
    taps = 2 * dgroups * k * k
    if layout == "NCHW":
        data = RNG.uniform(size=(batch, channels, size, size)).astype("float32")
        offset = RNG.uniform(-1.5, 1.5, (batch, taps, out_size, out_size)).astype("float32")
        weight = RNG.uniform(size=(out_channels, channels // groups, k, k)).astype("float32")
        kernel_layout, ref = "OIHW", topi.testing.deformable_conv2d_nchw_python
    else:
        data = RNG.uniform(size=(batch, size, size, channels)).astype("float32")
        offset = RNG.uniform(-1.5, 1.5, (batch, out_size, out_size, taps)).astype("float32")
        weight = RNG.uniform(size=(k, k, channels // groups, out_channels)).astype("float32")
        kernel_layout, ref = "HWIO", topi.testing.deformable_conv2d_nhwc_python

    def make(d, o, w):
        return relay.nn.deformable_conv2d(d, o, w, strides=(stride, stride), padding=(1, 1),
                                          dilation=(dilation, dilation), deformable_groups=dgroups, groups=groups,
                                          channels=out_channels, kernel_size=(k, k), data_layout=layout,
                                          kernel_layout=kernel_layout)

    want = ref(data, offset, weight, (stride, stride), (1, 1), (dilation, dilation), dgroups, groups)
    np.testing.assert_allclose(run(make, data, offset, weight), want, rtol=1e-4, atol=1e-5)


def test_deformable_conv2d_wrong_offset():
    d, o, w = relay.var("d", shape=(1, 4, 8, 8)), relay.var("o", shape=(1, 10, 8, 8)), relay.var("w", shape=(4, 4, 3, 3))
    with pytest.raises(tvm.error.DiagnosticError) as info:
        run_infer_type(relay.nn.deformable_conv2d(d, o, w, padding=(1, 1), channels=4, kernel_size=(3, 3)))
    assert "nn.deformable_conv2d" in str(info.value) and "(1, 10, 8, 8)" in str(info.value)


# ---------------------------------------------------------------- dilation2d

def dilation2d_reference(data, kernel, strides, padding, dilations):
    """NCHW data, IHW kernel; zero padding (top, left, bottom, right)."""
    top, left, bottom, right = padding
    padded = np.pad(data, [(0, 0), (0, 0), (top, bottom), (left, right)])
    _, kh, kw = kernel.shape
    out_h = (padded.shape[2] - (kh - 1) * dilations[0] - 1) // strides[0] + 1
    out_w = (padded.shape[3] - (kw - 1) * dilations[1] - 1) // strides[1] + 1
    out = np.full(data.shape[:2] + (out_h, out_w), -np.inf, data.dtype)
    for i in range(kh):
        for j in range(kw):
            window = padded[:, :, i * dilations[0]::strides[0], j * dilations[1]::strides[1]][:, :, :out_h, :out_w]
            out = np.maximum(out, window + kernel[None, :, i, j, None, None])
    return out


@pytest.mark.parametrize("layout,strides,padding,dilations", [("NCHW", (1, 1), (0, 0, 0, 0), (1, 1)),
                                                               ("NCHW", (2, 1), (1, 0, 2, 1), (1, 2)),
                                                               ("NHWC", (1, 2), (1, 1, 1, 1), (2, 1))])
def test_dilation2d(layout, strides, padding, dilations):
    data = RNG.standard_normal((2, 3, 9, 8)).astype("float32")
    kernel = RNG.standard_normal((3, 3, 2)).astype("float32")
    want = dilation2d_reference(data, kernel, strides, padding, dilations)
    if layout == "NHWC":
        data, kernel, want = data.transpose(0, 2, 3, 1), kernel.transpose(1, 2, 0), want.transpose(0, 2, 3, 1)
    got = run(lambda d, k: relay.image.dilation2d(d, k, strides, padding, dilations, layout,
                                                  "IHW" if layout == "NCHW" else "HWI"), data, kernel)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


def test_dilation2d_wrong_kernel_channels():
    type_error(relay.image.dilation2d(relay.var("d", shape=(1, 3, 8, 8)), relay.var("k", shape=(4, 2, 2))),
               "image.dilation2d", "(4, 2, 2)")
