# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""from_onnx with dynamic shapes, run on the Relay VM: symbolic input dimensions (dim_param,
relay.Any()), shape tensors given at run time (Reshape, Expand, ConstantOfShape, Slice, Tile,
TopK, Range, Resize, Split, Pad, OneHot), and operators whose output count depends on the data
(NonMaxSuppression, Unique, NonZero, Compress). References are numpy, written here."""
import numpy as np
import onnx
import onnx.numpy_helper  # noqa: F401
import pytest
from onnx import TensorProto, helper

import tvm
from tvm import relay

ONNX_TYPES = {"float32": TensorProto.FLOAT, "int64": TensorProto.INT64, "int32": TensorProto.INT32,
              "bool": TensorProto.BOOL}


def _model(nodes, inputs, outputs, initializers=None, opset=13):
    """inputs: list of (name, dtype, shape with ints or names)."""
    g_in = [helper.make_tensor_value_info(n, ONNX_TYPES[dt], shape) for n, dt, shape in inputs]
    g_out = [helper.make_tensor_value_info(n, 0, None) for n in outputs]
    inits = [onnx.numpy_helper.from_array(v, n) for n, v in (initializers or {}).items()]
    graph = helper.make_graph(nodes, "g", g_in, g_out, initializer=inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def _vm(model, **kwargs):
    """Import and compile once; a function running the VM on numpy inputs (a list of outputs)."""
    mod, params = relay.frontend.from_onnx(model, **kwargs)
    exe = relay.vm.compile(mod, "llvm", params=params)
    vm = tvm.runtime.vm.VirtualMachine(exe, tvm.cpu())

    def run(*args):
        out = vm.invoke("main", *args)
        if isinstance(out, tvm.runtime.container.ADT):
            return [o.numpy() for o in out]
        return [out.numpy()]

    return mod, run


def _has_any(ty):
    return any(isinstance(d, tvm.tir.Any) for d in ty.shape)


# ------------------------------------------------------------------ symbolic dimensions
def test_dim_param_gives_any_through_the_graph():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((8, 6)).astype("float32")
    b = rng.standard_normal(6).astype("float32")
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["m"]),
        helper.make_node("Add", ["m", "b"], ["a"]),
        helper.make_node("Relu", ["a"], ["r"]),
        helper.make_node("Softmax", ["r"], ["s"], axis=-1),
        helper.make_node("Shape", ["x"], ["shape"]),
        helper.make_node("Flatten", ["x"], ["f"], axis=2),
    ]
    model = _model(nodes, [("x", "float32", ["batch", "seq", 8])], ["s", "shape", "f"], {"w": w, "b": b})
    mod, run = _vm(model)
    params = mod["main"].params
    assert [str(d) for d in params[0].type_annotation.shape][2] == "8"
    assert _has_any(params[0].type_annotation)
    ret = mod["main"].ret_type
    assert _has_any(ret.fields[0]) and int(ret.fields[0].shape[2]) == 6
    for batch, seq in [(1, 3), (2, 7), (4, 1)]:
        x = rng.standard_normal((batch, seq, 8)).astype("float32")
        s, shape, f = run(x)
        r = np.maximum(x @ w + b, 0)
        e = np.exp(r - r.max(-1, keepdims=True))
        np.testing.assert_allclose(s, e / e.sum(-1, keepdims=True), rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(shape, [batch, seq, 8])
        np.testing.assert_array_equal(f, x.reshape(batch * seq, 8))


@pytest.mark.parametrize("dim", [relay.Any(), None, -1, "n"])
def test_shape_argument_accepts_dynamic_dimensions(dim):
    model = _model([helper.make_node("Relu", ["x"], ["y"])], [("x", "float32", [4, 3])], ["y"])
    mod, _ = relay.frontend.from_onnx(model, shape={"x": (dim, 3)})
    ty = mod["main"].params[0].type_annotation
    assert isinstance(ty.shape[0], tvm.tir.Any) and int(ty.shape[1]) == 3


def test_static_model_keeps_static_shapes():
    model = _model([helper.make_node("Relu", ["x"], ["y"])], [("x", "float32", [4, 3])], ["y"])
    mod, _ = relay.frontend.from_onnx(model)
    assert mod["main"].ret_type == relay.TensorType([4, 3], "float32")


def test_gather_and_reshape_with_dynamic_batch():
    nodes = [helper.make_node("Gather", ["x", "i"], ["g"], axis=1),
             helper.make_node("Reshape", ["g", "s"], ["y"]),
             helper.make_node("Unsqueeze", ["y", "ax"], ["u"]),
             helper.make_node("Squeeze", ["u", "ax"], ["z"])]
    model = _model(nodes, [("x", "float32", ["n", 5, 2])], ["z"],
                   {"i": np.array([-1, 0, 2], "int64"), "s": np.array([0, -1], "int64"),
                    "ax": np.array([1], "int64")})
    _, run = _vm(model)
    for n in (1, 3):
        x = np.arange(n * 10, dtype="float32").reshape(n, 5, 2)
        (z,) = run(x)
        np.testing.assert_array_equal(z, x[:, [4, 0, 2], :].reshape(n, -1))


# ------------------------------------------------------------------ shape tensors given at run time
def test_reshape_expand_constantofshape_from_inputs():
    nodes = [helper.make_node("Reshape", ["x", "s"], ["r"]),
             helper.make_node("Expand", ["v", "e"], ["ex"]),
             helper.make_node("ConstantOfShape", ["c"], ["k"],
                              value=helper.make_tensor("v", TensorProto.FLOAT, [1], [2.5]))]
    model = _model(nodes, [("x", "float32", [2, 6]), ("s", "int64", [3]), ("v", "float32", [3, 1]),
                           ("e", "int64", [3]), ("c", "int64", [2])], ["r", "ex", "k"])
    _, run = _vm(model)
    x = np.arange(12, dtype="float32").reshape(2, 6)
    v = np.array([[1], [2], [3]], "float32")
    for s, e, c in [([3, 2, 2], [2, 1, 4], [1, 3]), ([0, 3, -1], [1, 3, 2], [2, 2])]:
        r, ex, k = run(x, np.array(s, "int64"), v, np.array(e, "int64"), np.array(c, "int64"))
        want = list(s)
        if want[0] == 0:
            want[0] = 2
        np.testing.assert_array_equal(r, x.reshape(want))
        np.testing.assert_array_equal(ex, v * np.ones(e, "float32"))
        np.testing.assert_array_equal(k, np.full(c, 2.5, "float32"))


@pytest.mark.parametrize("with_axes", [False, True])
def test_slice_from_inputs(with_axes):
    names = ["x", "starts", "ends"] + (["axes", "steps"] if with_axes else [])
    model = _model([helper.make_node("Slice", names, ["y"])],
                   [("x", "float32", [5, 6])] + [(n, "int64", [2]) for n in names[1:]], ["y"])
    _, run = _vm(model)
    x = np.arange(30, dtype="float32").reshape(5, 6)
    cases = [([1, 0], [4, 6], [0, 1], [1, 2]), ([-1, 5], [-6, -100], [0, 1], [-2, -1]),
             ([0, 2], [100, 4], [1, 0], [3, 1])]
    for starts, ends, axes, steps in cases:
        args = [np.array(starts), np.array(ends)]
        sl = [slice(None)] * 2
        if with_axes:
            args += [np.array(axes), np.array(steps)]
            for s, e, a, st in zip(starts, ends, axes, steps):
                sl[a] = slice(s, e, st)
        else:
            sl = [slice(s, e) for s, e in zip(starts, ends)]
        (y,) = run(x, *args)
        np.testing.assert_array_equal(y, x[tuple(sl)])


def test_tile_topk_range_from_inputs():
    nodes = [helper.make_node("Tile", ["x", "reps"], ["t"]),
             helper.make_node("TopK", ["x", "k"], ["vals", "idx"], axis=1),
             helper.make_node("Range", ["start", "limit", "delta"], ["rg"])]
    model = _model(nodes, [("x", "float32", [2, 5]), ("reps", "int64", [2]), ("k", "int64", [1]),
                           ("start", "int64", []), ("limit", "int64", []), ("delta", "int64", [])],
                   ["t", "vals", "idx", "rg"])
    _, run = _vm(model)
    rng = np.random.default_rng(1)
    x = rng.permutation(10).astype("float32").reshape(2, 5)
    for reps, k, (a, b, d) in [([1, 2], 3, (0, 7, 2)), ([3, 1], 1, (10, 1, -3)), ([2, 2], 5, (5, 5, 1))]:
        t, vals, idx, rg = run(x, np.array(reps), np.array([k]), np.array(a), np.array(b), np.array(d))
        np.testing.assert_array_equal(t, np.tile(x, reps))
        order = np.argsort(-x, axis=1, kind="stable")[:, :k]
        np.testing.assert_array_equal(idx, order)
        np.testing.assert_array_equal(vals, np.take_along_axis(x, order, 1))
        np.testing.assert_array_equal(rg, np.arange(a, b, d))


def test_split_pad_onehot_from_inputs():
    nodes = [helper.make_node("Split", ["x", "split"], ["a", "b"], axis=1),
             helper.make_node("Pad", ["x", "pads"], ["p"], mode="constant"),
             helper.make_node("OneHot", ["i", "depth", "values"], ["o"])]
    model = _model(nodes, [("x", "float32", [2, 5]), ("split", "int64", [2]), ("pads", "int64", [4]),
                           ("i", "int64", [3]), ("depth", "int64", []), ("values", "float32", [2])],
                   ["a", "b", "p", "o"])
    _, run = _vm(model)
    x = np.arange(10, dtype="float32").reshape(2, 5)
    i = np.array([0, 2, -1])
    for split, pads, depth in [([2, 3], [0, 1, 2, 0], 3), ([4, 1], [1, 0, 0, 2], 5)]:
        a, b, p, o = run(x, np.array(split), np.array(pads), i, np.array(depth), np.array([0, 7], "float32"))
        np.testing.assert_array_equal(a, x[:, :split[0]])
        np.testing.assert_array_equal(b, x[:, split[0]:])
        np.testing.assert_array_equal(p, np.pad(x, [(pads[0], pads[2]), (pads[1], pads[3])]))
        want = np.zeros((3, depth), "float32")
        want[np.arange(3), np.where(i < 0, i + depth, i)] = 7
        np.testing.assert_array_equal(o, want)


def test_resize_sizes_from_input():
    model = _model([helper.make_node("Resize", ["x", "", "", "sizes"], ["y"], mode="nearest",
                                     coordinate_transformation_mode="asymmetric", nearest_mode="floor")],
                   [("x", "float32", [1, 2, 3, 4]), ("sizes", "int64", [4])], ["y"])
    _, run = _vm(model)
    x = np.arange(24, dtype="float32").reshape(1, 2, 3, 4)
    for h, w in [(6, 8), (3, 2), (9, 4)]:
        (y,) = run(x, np.array([1, 2, h, w]))
        rows = np.floor(np.arange(h) * 3 / h).astype(int)
        cols = np.floor(np.arange(w) * 4 / w).astype(int)
        np.testing.assert_array_equal(y, x[:, :, rows][:, :, :, cols])


def _linear_half_pixel(x, scale, axis):
    """numpy reference: ONNX linear resampling along one axis with the given scale."""
    n_in = x.shape[axis]
    n_out = int(np.floor(n_in * scale + 1e-6))
    src = np.clip((np.arange(n_out) + 0.5) / scale - 0.5, 0, n_in - 1)
    lo = np.floor(src).astype(int)
    hi = np.minimum(lo + 1, n_in - 1)
    w = (src - lo).reshape([-1 if i == axis else 1 for i in range(x.ndim)])
    return np.take(x, lo, axis) * (1 - w) + np.take(x, hi, axis) * w


def test_resize_scales_from_input_sample_with_the_scale():
    # 0.6 of 5 is 3 positions sampled with the scale 0.6 (not the ratio 3/5), as ONNX defines it
    model = _model([helper.make_node("Resize", ["x", "", "scales"], ["y"], mode="linear")],
                   [("x", "float32", [1, 1, 5, 4]), ("scales", "float32", [4])], ["y"])
    _, run = _vm(model)
    x = np.random.default_rng(5).standard_normal((1, 1, 5, 4)).astype("float32")
    for sh, sw in [(0.6, 1.0), (1.0, 1.7), (2.5, 0.5)]:
        (y,) = run(x, np.array([1, 1, sh, sw], "float32"))
        want = _linear_half_pixel(_linear_half_pixel(x.astype("float64"), sh, 2), sw, 3)
        np.testing.assert_allclose(y, want, rtol=1e-5, atol=1e-5)


def test_freeze_params_false_keeps_shape_initializers_static():
    model = _model([helper.make_node("Reshape", ["x", "s"], ["y"])], [("x", "float32", [2, 6])], ["y"],
                   {"s": np.array([3, 4], "int64")})
    mod, params = relay.frontend.from_onnx(model, freeze_params=False)
    assert mod["main"].ret_type == relay.TensorType([3, 4], "float32")
    assert "s" not in params  # read at import (a static reshape), so not a run-time parameter


# ------------------------------------------------------------------ data-dependent output counts
def _iou(a, b):
    """IoU of two boxes in corner form (either corner order)."""
    ay0, ax0, ay1, ax1 = min(a[0], a[2]), min(a[1], a[3]), max(a[0], a[2]), max(a[1], a[3])
    by0, bx0, by1, bx1 = min(b[0], b[2]), min(b[1], b[3]), max(b[0], b[2]), max(b[1], b[3])
    h = max(0.0, min(ay1, by1) - max(ay0, by0))
    w = max(0.0, min(ax1, bx1) - max(ax0, bx0))
    inter = h * w
    union = (ay1 - ay0) * (ax1 - ax0) + (by1 - by0) * (bx1 - bx0) - inter
    return inter / union if union > 0 else 0.0


def _nms_reference(boxes, scores, max_out, iou_threshold, score_threshold, center_point_box):
    """ONNX NonMaxSuppression: greedy per (batch, class), highest score first (ties: lower index)."""
    if center_point_box:
        xc, yc, w, h = [boxes[..., k] for k in range(4)]
        boxes = np.stack([yc - h / 2, xc - w / 2, yc + h / 2, xc + w / 2], -1)
    rows = []
    for b in range(scores.shape[0]):
        for c in range(scores.shape[1]):
            order = sorted(range(scores.shape[2]), key=lambda i: (-scores[b, c, i], i))
            kept = []
            for i in order:
                if scores[b, c, i] <= score_threshold or len(kept) >= max_out:
                    continue
                if all(_iou(boxes[b, i], boxes[b, j]) <= iou_threshold for j in kept):
                    kept.append(i)
            rows += [[b, c, i] for i in kept]
    return np.array(rows, "int64").reshape(-1, 3)


@pytest.mark.parametrize("opset", [10, 11])
@pytest.mark.parametrize("center_point_box", [0, 1])
def test_graph_ending_in_nms_matches_numpy(opset, center_point_box):
    # boxes and scores are computed in the graph (a linear map and a sigmoid), then NMS
    nodes = [helper.make_node("Mul", ["raw_boxes", "box_scale"], ["boxes"]),
             helper.make_node("Sigmoid", ["logits"], ["scores"]),
             helper.make_node("NonMaxSuppression", ["boxes", "scores", "max_out", "iou", "score_thr"], ["sel"],
                              center_point_box=center_point_box)]
    model = _model(nodes, [("raw_boxes", "float32", [2, 12, 4]), ("logits", "float32", [2, 3, 12]),
                           ("max_out", "int64", [1]), ("iou", "float32", [1]), ("score_thr", "float32", [1])],
                   ["sel"], {"box_scale": np.array(10.0, "float32")}, opset=opset)
    mod, run = _vm(model)
    assert _has_any(mod["main"].ret_type)
    rng = np.random.default_rng(opset * 10 + center_point_box)
    counts = set()
    for trial in range(6):
        raw = rng.random((2, 12, 4)).astype("float32")
        if center_point_box:
            raw[..., 2:] = raw[..., 2:] * 0.5 + 0.05  # positive widths and heights
        logits = rng.standard_normal((2, 3, 12)).astype("float32")
        max_out = [12, 3, 1, 0, 5, 2][trial]
        iou = [0.5, 0.3, 0.7, 0.5, 0.1, 0.9][trial]
        score_thr = [0.0, 0.4, 0.6, 0.2, 0.5, 0.3][trial]
        (sel,) = run(raw, logits, np.array([max_out]), np.array([iou], "float32"), np.array([score_thr], "float32"))
        boxes = raw * np.float32(10.0)
        scores = 1 / (1 + np.exp(-logits.astype("float64")))
        want = _nms_reference(boxes.astype("float64"), scores, max_out, iou, score_thr, center_point_box)
        np.testing.assert_array_equal(sel, want)
        counts.add(len(want))
    assert len(counts) > 2  # the output count really varies with the data


def test_nms_threshold_is_strict():
    # IoU exactly at the threshold keeps the box (ONNX suppresses above it); at the default 0,
    # disjoint boxes are all kept
    boxes = np.array([[[0, 0, 1, 1], [0, 0.5, 1, 1.5], [5, 5, 6, 6], [0, 0, 1, 1]]], "float32")
    scores = np.array([[[0.9, 0.8, 0.7, 0.6]]], "float32")
    model = _model([helper.make_node("NonMaxSuppression", ["boxes", "scores", "m", "iou"], ["sel"])],
                   [("boxes", "float32", [1, 4, 4]), ("scores", "float32", [1, 1, 4]), ("m", "int64", [1]),
                    ("iou", "float32", [1])], ["sel"], opset=11)
    _, run = _vm(model)
    (sel,) = run(boxes, scores, np.array([10]), np.array([1 / 3], "float32"))
    want = _nms_reference(boxes, scores, 10, np.float32(1 / 3), -np.inf, 0)
    np.testing.assert_array_equal(sel, want)
    (sel,) = run(boxes, scores, np.array([10]), np.array([0.0], "float32"))
    np.testing.assert_array_equal(sel[:, 2], [0, 2])  # the overlapping ones go, the disjoint box stays


def test_nms_defaults_select_nothing():
    # max_output_boxes_per_class left out is 0 in ONNX
    model = _model([helper.make_node("NonMaxSuppression", ["boxes", "scores"], ["sel"])],
                   [("boxes", "float32", [1, 3, 4]), ("scores", "float32", [1, 1, 3])], ["sel"], opset=11)
    _, run = _vm(model)
    (sel,) = run(np.random.rand(1, 3, 4).astype("float32"), np.random.rand(1, 1, 3).astype("float32"))
    assert sel.shape == (0, 3)


def _unique_reference(x, axis, is_sorted):
    values, first, inverse, counts = np.unique(x, return_index=True, return_inverse=True, return_counts=True,
                                               axis=axis)
    if not is_sorted:  # order of first occurrence
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        values = np.take(values, order, axis=0 if axis is None else axis)
        first, counts, inverse = first[order], counts[order], rank[inverse.reshape(-1)]
    return [values, first, inverse.reshape(-1), counts]


@pytest.mark.parametrize("is_sorted", [0, 1])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_unique_matches_numpy(is_sorted, axis):
    attrs = {"sorted": is_sorted}
    if axis is not None:
        attrs["axis"] = axis
    model = _model([helper.make_node("Unique", ["x"], ["y", "first", "inverse", "counts"], **attrs)],
                   [("x", "float32", [6, 3])], ["y", "first", "inverse", "counts"], opset=11)
    _, run = _vm(model)
    rng = np.random.default_rng(3)
    for levels in (2, 3, 7):
        x = rng.integers(0, levels, (6, 3)).astype("float32")
        if axis == 1:
            x[:, 2] = x[:, 0]  # a repeated column
        got = run(x)
        want = _unique_reference(x, axis, is_sorted)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w)


def test_nonzero_and_compress_from_inputs():
    nodes = [helper.make_node("NonZero", ["x"], ["nz"]),
             helper.make_node("Compress", ["x", "cond"], ["c"], axis=1)]
    model = _model(nodes, [("x", "float32", [3, 4]), ("cond", "bool", [4])], ["nz", "c"])
    _, run = _vm(model)
    rng = np.random.default_rng(4)
    for p in (0.0, 0.3, 0.8, 1.0):
        x = (rng.random((3, 4)) < p).astype("float32") * rng.standard_normal((3, 4)).astype("float32")
        cond = rng.random(4) < p
        nz, c = run(x, cond)
        np.testing.assert_array_equal(nz, np.array(np.nonzero(x), "int64"))
        np.testing.assert_array_equal(c, np.compress(cond, x, axis=1))


@pytest.mark.parametrize("keepdims", [0, 1])
def test_reduction_and_cumsum_axes_from_input(keepdims):
    nodes = [helper.make_node("ReduceSum", ["x", "axes"], ["s"], keepdims=keepdims),
             helper.make_node("CumSum", ["x", "axis"], ["c"])]
    model = _model(nodes, [("x", "float32", [2, 3, 4]), ("axes", "int64", [2]), ("axis", "int64", [])],
                   ["s", "c"])
    _, run = _vm(model)
    x = np.random.default_rng(6).standard_normal((2, 3, 4)).astype("float32")
    # (a repeated axis, e.g. [1, 1], would make the rank without keepdims depend on the data:
    # dyn.squeeze reports it at run time)
    for axes, axis in [([0, 2], 1), ([-1, 1], -1), ([2, 0], 0)]:
        s, c = run(x, np.array(axes), np.array(axis))
        np.testing.assert_allclose(s, x.sum(axis=tuple(sorted(set(a % 3 for a in axes))), keepdims=bool(keepdims)),
                                   rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(c, np.cumsum(x, axis), rtol=1e-5, atol=1e-5)


def test_dft_length_from_input_still_needs_a_constant():
    model = _model([helper.make_node("DFT", ["x", "n"], ["y"])], [("x", "float32", [1, 4, 1]), ("n", "int64", [])],
                   ["y"], opset=17)
    with pytest.raises(tvm.error.OpError, match=r"DFT node 'y': its dft_length must be known at import"):
        relay.frontend.from_onnx(model)
