# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""vision.proposal and vision.all_class_non_max_suppression: relations (a wrong shape each) and
numbers against plain numpy versions of the algorithms the operators document."""
import math

import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay.testing import run_infer_type

RNG = np.random.default_rng(3)


def run(make, *arrays):
    params = [relay.var(f"p{i}", shape=a.shape, dtype=str(a.dtype)) for i, a in enumerate(arrays)]
    body = make(*params)
    if isinstance(body, relay.TupleWrapper):
        body = body.astuple()
    mod = tvm.IRModule.from_expr(relay.Function(params, body))
    out = relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()(*arrays)
    return out.numpy() if isinstance(out, tvm.runtime.NDArray) else [o.numpy() for o in out]


def type_error(expr, *fragments):
    with pytest.raises(tvm.error.DiagnosticError) as info:
        run_infer_type(expr)
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


def iou(a, b):
    inter = max(0.0, min(max(a[0], a[2]), max(b[0], b[2])) - max(min(a[0], a[2]), min(b[0], b[2]))) * max(
        0.0, min(max(a[1], a[3]), max(b[1], b[3])) - max(min(a[1], a[3]), min(b[1], b[3])))
    union = abs(a[2] - a[0]) * abs(a[3] - a[1]) + abs(b[2] - b[0]) * abs(b[3] - b[1]) - inter
    return 0.0 if union <= 0 else inter / union


def all_class_nms_reference(boxes, scores, limit, thr, min_score):
    rows = []
    for b in range(boxes.shape[0]):
        for c in range(scores.shape[1]):
            order = sorted(range(boxes.shape[1]), key=lambda j: -scores[b, c, j])
            kept = []
            for j in order:
                if scores[b, c, j] > min_score and (limit < 0 or len(kept) < limit) and all(
                        iou(boxes[b, j], boxes[b, k]) < thr for k in kept):
                    kept.append(j)
            rows += [(b, c, j, scores[b, c, j]) for j in kept]
    return rows


@pytest.mark.parametrize("limit,thr,min_score", [(2, 0.5, 0.1), (-1, 0.3, 0.0), (10, 0.7, 0.5)])
def test_all_class_nms(limit, thr, min_score):
    corner = RNG.uniform(0, 3, (2, 10, 2))
    boxes = np.concatenate([corner, corner + RNG.uniform(0.5, 2, (2, 10, 2))], axis=2).astype("float32")
    scores = RNG.uniform(size=(2, 3, 10)).astype("float32")
    want = all_class_nms_reference(boxes, scores, limit, thr, min_score)
    selected, count = run(lambda b, s: relay.vision.all_class_non_max_suppression(b, s, limit, thr, min_score),
                          boxes, scores)
    assert count.tolist() == [len(want)]
    np.testing.assert_array_equal(selected[:len(want)], [r[:3] for r in want])
    assert (selected[len(want):] == -1).all()
    # tensorflow format: per batch, (class, box) class after class, each class's in decreasing
    # score (TVM v0.14 does not sort across classes), the scores, the count; zeros after it.
    sel, sel_scores, counts = run(lambda b, s: relay.vision.all_class_non_max_suppression(
        b, s, limit, thr, min_score, output_format="tensorflow"), boxes, scores)
    for b in range(2):
        mine = [r for r in want if r[0] == b]
        assert counts[b] == len(mine)
        np.testing.assert_array_equal(sel[b, :len(mine)], [(r[1], r[2]) for r in mine])
        np.testing.assert_allclose(sel_scores[b, :len(mine)], [r[3] for r in mine])
        assert (sel[b, len(mine):] == 0).all() and (sel_scores[b, len(mine):] == 0).all()


def test_all_class_nms_scores_of_another_box_count():
    type_error(relay.vision.all_class_non_max_suppression(relay.var("b", shape=(1, 6, 4)),
                                                          relay.var("s", shape=(1, 2, 5))).astuple(),
               "vision.all_class_non_max_suppression", "(1, 6, 4)", "(1, 2, 5)")


def proposal_reference(cls_prob, bbox_pred, im_info, scales, ratios, stride, threshold, pre_n, post_n, min_size,
                       iou_loss):
    batch, _, height, width = cls_prob.shape
    anchors = []
    for ratio in ratios:
        for scale in scales:
            w = math.floor(math.sqrt(math.floor(stride * stride / ratio)) + 0.5) * scale
            h = math.floor(w / scale * ratio + 0.5) * scale
            c = 0.5 * (stride - 1)
            anchors.append((c - 0.5 * (w - 1), c - 0.5 * (h - 1), c + 0.5 * (w - 1), c + 0.5 * (h - 1)))
    out = np.zeros((batch * post_n, 5), "float32")
    for b in range(batch):
        im_h, im_w, im_scale = im_info[b]
        boxes = []
        for y in range(height):
            for x in range(width):
                for k, (x1, y1, x2, y2) in enumerate(anchors):
                    x1, x2, y1, y2 = x1 + x * stride, x2 + x * stride, y1 + y * stride, y2 + y * stride
                    d = bbox_pred[b, 4 * k:4 * k + 4, y, x]
                    if iou_loss:
                        p = [x1 + d[0], y1 + d[1], x2 + d[2], y2 + d[3]]
                    else:
                        bw, bh = x2 - x1 + 1, y2 - y1 + 1
                        cx, cy = d[0] * bw + x1 + 0.5 * (bw - 1), d[1] * bh + y1 + 0.5 * (bh - 1)
                        pw, ph = np.exp(d[2]) * bw, np.exp(d[3]) * bh
                        p = [cx - 0.5 * (pw - 1), cy - 0.5 * (ph - 1), cx + 0.5 * (pw - 1), cy + 0.5 * (ph - 1)]
                    p = [min(max(p[0], 0), im_w - 1), min(max(p[1], 0), im_h - 1), min(max(p[2], 0), im_w - 1),
                         min(max(p[3], 0), im_h - 1)]
                    score = cls_prob[b, len(anchors) + k, y, x]
                    small = min_size * im_scale
                    if p[2] - p[0] + 1 < small or p[3] - p[1] + 1 < small:
                        p = [p[0] - small / 2, p[1] - small / 2, p[2] + small / 2, p[3] + small / 2]
                        score = -1
                    if y >= int(im_h / stride) or x >= int(im_w / stride):
                        score = -1
                    boxes.append((score, p))
        order = sorted(range(len(boxes)), key=lambda i: -boxes[i][0])[:pre_n]
        removed = [False] * len(order)
        for l in range(len(order)):
            if removed[l]:
                continue
            a = boxes[order[l]][1]
            for i in range(l + 1, len(order)):
                c = boxes[order[i]][1]
                inter = max(0, min(a[2], c[2]) - max(a[0], c[0]) + 1) * max(0, min(a[3], c[3]) - max(a[1], c[1]) + 1)
                union = (a[2] - a[0] + 1) * (a[3] - a[1] + 1) + (c[2] - c[0] + 1) * (c[3] - c[1] + 1) - inter
                if inter / union > threshold:
                    removed[i] = True
        kept = [boxes[order[i]][1] for i in range(len(order)) if not removed[i]]
        for r in range(post_n):
            out[b * post_n + r] = [b, *kept[r % len(kept)]]
    return out


@pytest.mark.parametrize("iou_loss", [False, True])
def test_proposal(iou_loss):
    scales, ratios = (2.0, 4.0), (0.5, 1.0)
    cls_prob = RNG.uniform(size=(2, 8, 5, 4)).astype("float32")
    bbox_pred = RNG.uniform(-0.4, 0.4, (2, 16, 5, 4)).astype("float32")
    im_info = np.array([[80.0, 64.0, 1.0], [60.0, 50.0, 0.5]], "float32")
    got = run(lambda c, b, i: relay.vision.proposal(c, b, i, scales, ratios, 16, 0.6, 30, 12, 8, iou_loss),
              cls_prob, bbox_pred, im_info)
    want = proposal_reference(cls_prob, bbox_pred, im_info, scales, ratios, 16, 0.6, 30, 12, 8, iou_loss)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-3)


def test_proposal_bbox_pred_of_the_wrong_anchor_count():
    c, b, i = relay.var("c", shape=(1, 4, 3, 3)), relay.var("b", shape=(1, 4, 3, 3)), relay.var("i", shape=(1, 3))
    type_error(relay.vision.proposal(c, b, i, (1.0,), (0.5, 1.0), 16, 0.7, 10, 4, 16, False), "vision.proposal",
               "A = 2 anchors", "(1, 4, 3, 3)")
