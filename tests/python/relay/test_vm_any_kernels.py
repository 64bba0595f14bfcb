# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Operator kernels with relay.Any() sizes through the Relay VM: each graph is compiled once
and run at several sizes against numpy; plus the debug executor where a dynamic program
meets exact sizes (values decide a shape, relations re-checked, tuples returned as ADTs)."""
import numpy as np
import pytest

import tvm
from tvm import relay

A = relay.Any


def _vm(params, body):
    exe = relay.vm.compile(tvm.IRModule.from_expr(relay.Function(params, body)), "llvm")
    return tvm.runtime.vm.VirtualMachine(exe, tvm.cpu())


def _debug(params, body):
    mod = tvm.IRModule.from_expr(relay.Function(params, body))
    return relay.create_executor("debug", mod, tvm.cpu(), "llvm").evaluate()


def _var(name, ndim, dtype="float32"):
    return relay.var(name, shape=(A(),) * ndim, dtype=dtype)


RNG = np.random.default_rng(0)


def _rand(*shape):
    return RNG.standard_normal(shape).astype("float32")


# ---------------------------------------------------------------- fused kernels whose middle is dynamic

def test_expand_dims_squeeze_tile_fused():
    x = _var("x", 2)
    vm = _vm([x], relay.tile(relay.exp(relay.squeeze(relay.expand_dims(x, 1), [1])), (2, 1)))
    for shape in [(3, 4), (1, 7), (5, 1)]:
        a = _rand(*shape)
        np.testing.assert_allclose(vm.run(a).numpy(), np.tile(np.exp(a), (2, 1)), rtol=1e-6)


def test_reshape_concat_fused():
    x, y = _var("x", 2), _var("y", 3)
    vm = _vm([x, y], relay.concatenate(
        [relay.reshape(x, (-1,)), relay.reshape(relay.exp(relay.reshape(y, (0, -1))), (-1,))], 0))
    for xs, ys in [((3, 4), (2, 2, 3)), ((1, 1), (4, 5, 1)), ((2, 6), (1, 3, 3))]:
        a, b = _rand(*xs), _rand(*ys)
        expected = np.concatenate([a.reshape(-1), np.exp(b).reshape(-1)])
        np.testing.assert_allclose(vm.run(a, b).numpy(), expected, rtol=1e-6)


def test_reshape_special_values_and_like_fused():
    x, y = _var("x", 3), _var("y", 2)
    body = relay.exp(relay.reshape(relay.reshape_like(relay.exp(x), y), (-4, 1, -1, -2)))
    vm = _vm([x, y], body)
    for xs, ys in [((2, 3, 4), (6, 4)), ((1, 5, 2), (2, 5))]:
        a, b = _rand(*xs), _rand(*ys)
        expected = np.exp(np.exp(a).reshape(ys).reshape((1, ys[0], ys[1])))
        np.testing.assert_allclose(vm.run(a, b).numpy(), expected, rtol=1e-5)


def test_instance_norm_any():
    x, g, b = _var("x", 4), _var("g", 1), _var("b", 1)
    vm = _vm([x, g, b], relay.nn.instance_norm(x, g, b, epsilon=1e-5))
    for shape in [(1, 4, 3, 3), (2, 3, 5, 2)]:
        a, ga, ba = _rand(*shape), _rand(shape[1]), _rand(shape[1])
        mean = a.mean(axis=(2, 3), keepdims=True)
        var = a.var(axis=(2, 3), keepdims=True)
        expected = (a - mean) / np.sqrt(var + 1e-5) * ga[:, None, None] + ba[:, None, None]
        np.testing.assert_allclose(vm.run(a, ga, ba).numpy(), expected, rtol=1e-4, atol=1e-5)


# ---------------------------------------------------------------- transform / indexing kernels

def test_slice_like_any():
    x, y = _var("x", 3), _var("y", 3)
    vm = _vm([x, y], relay.slice_like(x, y, axes=[0, 2]))
    for xs, ys in [((4, 5, 6), (2, 1, 3)), ((3, 2, 2), (3, 9, 1))]:
        a, b = _rand(*xs), _rand(*ys)
        np.testing.assert_array_equal(vm.run(a, b).numpy(), a[: ys[0], :, : ys[2]])


def test_scatter_elements_any():
    x, i, u = _var("x", 2), _var("i", 2, "int64"), _var("u", 2)
    vm = _vm([x, i, u], relay.scatter_elements(x, i, u, axis=1, reduction="add"))
    for xs, js in [((4, 5), (2, 3)), ((2, 7), (2, 7)), ((3, 1), (1, 1))]:
        a, b = _rand(*xs), _rand(*js)
        idx = RNG.integers(-xs[1], xs[1], js).astype("int64")
        expected = a.copy()
        for r in range(js[0]):
            for c in range(js[1]):
                expected[r, idx[r, c] % xs[1]] += b[r, c]
        np.testing.assert_allclose(vm.run(a, idx, b).numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize("right", [False, True])
def test_searchsorted_any(right):
    s, v = _var("s", 2), _var("v", 2)
    vm = _vm([s, v], relay.searchsorted(s, v, right=right))
    side = "right" if right else "left"
    for ss, vs in [((4, 5), (4, 3)), ((1, 9), (1, 1)), ((3, 1), (3, 6))]:
        a = np.sort(RNG.integers(0, 5, ss).astype("float32"), axis=1)
        b = RNG.integers(-1, 6, vs).astype("float32")
        expected = np.stack([np.searchsorted(a[r], b[r], side=side) for r in range(ss[0])])
        np.testing.assert_array_equal(vm.run(a, b).numpy(), expected)


@pytest.mark.parametrize("exclude", [False, True])
def test_reduce_empty_axis_list_is_every_axis(exclude):
    # TVM v0.14: axis=[] (whatever exclude says) reduces every axis.
    x = _var("x", 3)
    call = relay.sum(x, axis=[], keepdims=True, exclude=exclude)
    assert relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([x], call)))[
        "main"].body.checked_type == relay.TensorType((1, 1, 1), "float32")
    vm = _vm([x], call)
    for shape in [(2, 3, 4), (1, 5, 1)]:
        a = _rand(*shape)
        np.testing.assert_allclose(vm.run(a).numpy(), a.sum(keepdims=True), rtol=1e-5)


def test_concatenate_static_axis_keeps_any_on_other_axes():
    def out_type(shapes, axis):
        xs = [relay.var(f"x{i}", shape=s) for i, s in enumerate(shapes)]
        func = relay.Function(xs, relay.concatenate(xs, axis))
        return relay.transform.InferType()(tvm.IRModule.from_expr(func))["main"].body.checked_type

    assert out_type([(1, 3), (1, A())], 0) == relay.TensorType((2, A()), "float32")
    assert out_type([(A(), 3), (A(), A())], 0) == relay.TensorType((A(), 3), "float32")
    assert out_type([(1, 3), (1, 3)], 0) == relay.TensorType((2, 3), "float32")


# ---------------------------------------------------------------- nn kernels

def test_conv1d_transpose_output_padding_pair():
    # TVM's conv1d_transpose reads output_padding[0] when given a pair.
    x = relay.var("x", shape=(A(), 2, 5))
    w = relay.var("w", shape=(2, 3, 3))
    vm = _vm([x, w], relay.nn.conv1d_transpose(x, w, strides=(2,), padding=(1,), output_padding=(1, 1)))
    for batch in [1, 3]:
        a, k = _rand(batch, 2, 5), _rand(2, 3, 3)
        full = np.zeros((batch, 3, (5 - 1) * 2 + 3 + 1), "float32")
        for n in range(batch):
            for i in range(5):
                full[n, :, 2 * i:2 * i + 3] += np.einsum("c,cok->ok", a[n, :, i], k)
        expected = full[:, :, 1:1 + (5 - 1) * 2 - 2 + 3 + 1]
        np.testing.assert_allclose(vm.run(a, k).numpy(), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("op", ["bias_add", "prelu"])
def test_single_value_bias_over_any_channels(op):
    x = _var("x", 3)
    c = relay.const(np.array([0.5], "float32"))
    body = relay.nn.bias_add(x, c) if op == "bias_add" else relay.nn.prelu(x, c)
    a = _rand(2, 3, 4)
    expected = a + 0.5 if op == "bias_add" else np.where(a > 0, a, a * 0.5)
    for run in (_vm([x], body).run, _debug([x], body)):
        np.testing.assert_allclose(run(a).numpy(), expected, rtol=1e-6)


# ---------------------------------------------------------------- the debug executor

def test_debug_arange_sized_by_values():
    stop = relay.var("stop", shape=(), dtype="float32")
    run = _debug([stop], relay.arange(relay.const(1.0), stop, relay.const(1.5)))
    for s in [5.0, 2.0, 11.0, 0.0]:
        np.testing.assert_allclose(run(np.float32(s)).numpy(), np.arange(1.0, s, 1.5, dtype="float32"))


def test_debug_tuple_result_is_adt():
    d = relay.var("d", shape=(1, A(), 5))
    out = relay.vision.get_valid_counts(d, 0.5, 0, score_index=0).astuple()
    data = RNG.uniform(size=(1, 6, 5)).astype("float32")
    res = _debug([d], out)(data)
    assert isinstance(res, tvm.runtime.container.ADT) and len(res) == 3
    vm_res = _vm([d], out).run(data)
    for got, want in zip(res, vm_res):
        np.testing.assert_allclose(got.numpy(), want.numpy())
    assert int(res[0].numpy()[0]) == int((data[0, :, 0] > 0.5).sum())


def test_debug_broadcast_mismatch_names_the_shapes():
    x, y = _var("x", 1), _var("y", 1)
    run = _debug([x, y], relay.add(x, y))
    with pytest.raises(tvm.error.TVMError, match="do not broadcast.*Invalid broadcast shapes"):
        run(_rand(3), _rand(4))


def test_sparse_reshape_any():
    i, p, n = _var("i", 2, "int64"), _var("p", 1, "int64"), _var("n", 1, "int64")
    vm = _vm([i, p, n], relay.sparse_reshape(i, p, n).astuple())
    for prev, new in [((2, 3, 6), (9, -1)), ((4, 5), (20,)), ((6,), (2, 3, 1))]:
        total = int(np.prod(prev))
        flat = np.sort(RNG.choice(total, 5, replace=False))
        idx = np.stack(np.unravel_index(flat, prev), 1).astype("int64")
        out_idx, out_shape = vm.run(idx, np.array(prev, "int64"), np.array(new, "int64"))
        resolved = np.empty(total).reshape([d if d != -1 else -1 for d in new]).shape
        np.testing.assert_array_equal(out_shape.numpy(), resolved)
        np.testing.assert_array_equal(out_idx.numpy(), np.stack(np.unravel_index(flat, resolved), 1))


@pytest.mark.parametrize("num_segments", [None, 6])
def test_segment_sum_any(num_segments):
    d, s = _var("d", 3), _var("s", 1, "int32")
    vm = _vm([d, s], relay.op.segment_sum(d, s, num_segments))
    for rows, ids in [(5, [0, 0, 2, 3, 3]), (4, [1, 1, 1]), (3, [5, 5, 5])]:
        a = _rand(rows, 2, 3)
        ids = np.array(ids, "int32")
        count = num_segments or int(ids.max()) + 1
        expected = np.zeros((count, 2, 3), "float32")
        for r, k in enumerate(ids):
            expected[k] += a[r]
        np.testing.assert_allclose(vm.run(a, ids).numpy(), expected, rtol=1e-6)


def test_static_reshape_fused_with_any_broadcast():
    # The broadcast reads the reshaped tensor with an int64 index on its extent-1 axis.
    s, d = relay.var("s", shape=(9,)), _var("d", 2)
    vm = _vm([s, d], relay.add(relay.reshape(relay.exp(s), [-1, 1]), d))
    a = _rand(9)
    for shape in [(9, 4), (1, 1), (9, 1)]:
        b = _rand(*shape)
        np.testing.assert_allclose(vm.run(a, b).numpy(), np.exp(a).reshape(9, 1) + b, rtol=1e-6, atol=1e-6)


def test_debug_argument_mismatch_is_a_tvm_error():
    x, y = _var("x", 1), relay.var("y", shape=(3, 2))
    run = _debug([x, y], relay.add(x, y))
    with pytest.raises(tvm.error.TVMError, match=r"parameter y is a Tensor\[\(3, 2\), float32\]"):
        run(_rand(1), _rand(4, 2))
    with pytest.raises(TypeError):
        run(_rand(1), _rand(4, 2))


def test_pools_with_tiled_channels_any():
    # NCHW4c: the channel tile is a plain axis to pooling.
    x = relay.var("x", shape=(A(), 2, A(), A(), 4))
    body = relay.Tuple([relay.nn.max_pool2d(x, (2, 2), strides=(2, 2), layout="NCHW4c"),
                        relay.nn.global_avg_pool2d(x, layout="NCHW4c")])
    vm = _vm([x], body)
    for n, h, w in [(1, 4, 6), (2, 2, 2)]:
        a = _rand(n, 2, h, w, 4)
        got_max, got_avg = vm.run(a)
        want_max = a.reshape(n, 2, h // 2, 2, w // 2, 2, 4).max(axis=(3, 5))
        np.testing.assert_allclose(got_max.numpy(), want_max)
        np.testing.assert_allclose(got_avg.numpy(), a.mean(axis=(2, 3), keepdims=True), rtol=1e-5, atol=1e-6)
    y = relay.var("y", shape=(1, 2, 4, 4, 2))
    with pytest.raises(tvm.error.TVMError, match="spatial axes HW unsplit"):
        _vm([y], relay.nn.max_pool2d(y, (2, 2), layout="NCHW2w"))
    with pytest.raises(ValueError, match="only N and C may have blocked sub-axes"):
        tvm.topi.nn.pool2d(tvm.te.placeholder((1, 2, 4, 4, 2)), (2, 2), (1, 1), (1, 1), (0, 0, 0, 0), "max",
                           layout="NCHW2w")


def test_unravel_index_any_rank_of_shape():
    i, s = _var("i", 1, "int64"), _var("s", 1, "int64")
    vm = _vm([i, s], relay.unravel_index(i, s))
    for shape in [(3, 4), (2, 3, 5), (7,), (2, 1, 2, 3)]:
        flat = RNG.integers(0, int(np.prod(shape)), 6).astype("int64")
        got = vm.run(flat, np.array(shape, "int64")).numpy()
        np.testing.assert_array_equal(got, np.stack(np.unravel_index(flat, shape)))


def test_matrix_set_diag_any():
    x, d = _var("x", 3), _var("d", 2)
    vm = _vm([x, d], relay.matrix_set_diag(x, d))
    for b, r, c in [(2, 4, 4), (1, 3, 5), (3, 5, 2)]:
        a, diag = _rand(b, r, c), _rand(b, min(r, c))
        expected = a.copy()
        for k in range(min(r, c)):
            expected[:, k, k] = diag[:, k]
        np.testing.assert_array_equal(vm.run(a, diag).numpy(), expected)


def test_yolo_reorg_any_matches_static():
    x = _var("x", 4)
    vm = _vm([x], relay.vision.yolo_reorg(x, 2))
    for shape in [(1, 8, 4, 4), (2, 4, 6, 2)]:
        a = _rand(*shape)
        s = relay.var("s", shape=shape)
        want = _debug([s], relay.vision.yolo_reorg(s, 2))(a).numpy()
        np.testing.assert_array_equal(vm.run(a).numpy(), want)
    # Fewer channels than stride^2 at run time: no division by zero.
    assert vm.run(_rand(1, 2, 4, 4)).shape == (1, 8, 2, 2)


def _depth_to_space_ref(a, b, mode):
    n, c, h, w = a.shape
    if mode == "DCR":
        t = a.reshape(n, b, b, c // (b * b), h, w).transpose(0, 3, 4, 1, 5, 2)
    else:
        t = a.reshape(n, c // (b * b), b, b, h, w).transpose(0, 1, 4, 2, 5, 3)
    return t.reshape(n, c // (b * b), h * b, w * b)


@pytest.mark.parametrize("mode", ["DCR", "CRD"])
@pytest.mark.parametrize("channels", [A(), 8])
def test_depth_space_shuffles_any(mode, channels):
    x = relay.var("x", shape=(A(), channels, A(), A()))
    vm = _vm([x], relay.Tuple([relay.nn.depth_to_space(x, 2, mode=mode), relay.nn.space_to_depth(x, 2)]))
    for n, h, w in [(1, 2, 4), (2, 4, 2)]:
        a = _rand(n, 8, h, w)
        d2s, s2d = vm.run(a)
        np.testing.assert_array_equal(d2s.numpy(), _depth_to_space_ref(a, 2, mode))
        want = a.reshape(n, 8, h // 2, 2, w // 2, 2).transpose(0, 3, 5, 1, 2, 4).reshape(n, 32, h // 2, w // 2)
        np.testing.assert_array_equal(s2d.numpy(), want)


@pytest.mark.parametrize("channels", [A(), 6])
def test_group_norm_any(channels):
    x = relay.var("x", shape=(A(), channels, A(), A()))
    g, b = relay.var("g", shape=(6,)), relay.var("b", shape=(6,))
    vm = _vm([x, g, b], relay.nn.group_norm(x, g, b, num_groups=3, epsilon=1e-5))
    ga, ba = _rand(6), _rand(6)
    for n, h, w in [(1, 3, 3), (2, 2, 5)]:
        a = _rand(n, 6, h, w)
        grouped = a.reshape(n, 3, -1)
        norm = (grouped - grouped.mean(-1, keepdims=True)) / np.sqrt(grouped.var(-1, keepdims=True) + 1e-5)
        expected = norm.reshape(a.shape) * ga[:, None, None] + ba[:, None, None]
        np.testing.assert_allclose(vm.run(a, ga, ba).numpy(), expected, rtol=1e-4, atol=1e-5)


def _adaptive_ref(a, out_size, reduce):
    h, w = a.shape[2:]
    oh, ow = out_size
    out = np.empty(a.shape[:2] + (oh, ow), a.dtype)
    for i in range(oh):
        for j in range(ow):
            hs, he = i * h // oh, -(-(i + 1) * h // oh)
            ws, we = j * w // ow, -(-(j + 1) * w // ow)
            out[:, :, i, j] = reduce(a[:, :, hs:he, ws:we], axis=(2, 3))
    return out


@pytest.mark.parametrize("kind", ["avg", "max"])
def test_adaptive_pool2d_any(kind):
    x = _var("x", 4)
    op = relay.nn.adaptive_avg_pool2d if kind == "avg" else relay.nn.adaptive_max_pool2d
    vm = _vm([x], op(x, (3, 2)))
    for shape in [(1, 2, 7, 8), (2, 1, 3, 2), (1, 3, 10, 5), (1, 1, 2, 1)]:
        a = _rand(*shape)
        want = _adaptive_ref(a, (3, 2), np.mean if kind == "avg" else np.max)
        np.testing.assert_allclose(vm.run(a).numpy(), want, rtol=1e-5, atol=1e-6)


def test_space_batch_nd_any_match_static():
    x = _var("x", 4)
    s2b = relay.nn.space_to_batch_nd(x, [2, 2], [[1, 1], [0, 2]])
    vm = _vm([x], relay.Tuple([s2b, relay.nn.batch_to_space_nd(s2b, [2, 2], [[1, 1], [0, 2]])]))
    for shape in [(1, 4, 2, 3), (2, 2, 4, 1)]:
        a = _rand(*shape)
        s = relay.var("s", shape=shape)
        want = relay.nn.space_to_batch_nd(s, [2, 2], [[1, 1], [0, 2]])
        got_s2b, got_back = vm.run(a)
        np.testing.assert_array_equal(got_s2b.numpy(), _debug([s], want)(a).numpy())
        np.testing.assert_array_equal(got_back.numpy(), a)  # the crops undo the padding
