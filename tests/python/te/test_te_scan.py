# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""te.scan: recurrences over the time axis, compiled and compared with numpy;
the scan's body, its fixed-point analysis, bound inference and errors."""
import numpy as np
import pytest

import tvm
from tvm import te

from te_nest_helpers import dedent, lower_nest


def _run(s, args, inputs, out_shapes):
    f = tvm.build(s, args, "llvm")
    outs = [tvm.nd.empty(shape, "float32") for shape in out_shapes]
    f(*[tvm.nd.array(x) for x in inputs], *outs)
    return [o.numpy() for o in outs]


def _cumsum(m, n):
    X = te.placeholder((m, n), name="X")
    state = te.placeholder((m, n), name="state")
    init = te.compute((1, n), lambda _, i: X[0, i], name="init")
    update = te.compute((m, n), lambda t, i: state[t - 1, i] + X[t, i], name="update")
    return X, init, update, te.scan(init, update, state, inputs=X, name="cumsum")


def test_cumsum_with_symbolic_shape():
    X, _, _, res = _cumsum(te.var("m"), te.var("n"))
    assert isinstance(res.op, te.ScanOp)
    s = te.create_schedule(res.op)
    x = np.random.default_rng(0).uniform(-1, 1, (9, 5)).astype("float32")
    (got,) = _run(s, [X, res], [x], [(9, 5)])
    np.testing.assert_allclose(got, np.cumsum(x, axis=0), rtol=1e-5, atol=1e-6)


def test_lowered_loop_nest():
    X, _, _, res = _cumsum(6, 4)
    # The init before the loop over time; every step written into the scan's own buffer.
    expected = """
        for i in range(4):
          cumsum[i] = X[i]
        for cumsum_idx in range(5):
          for i in range(4):
            cumsum[cumsum_idx * 4 + i + 4] = cumsum[cumsum_idx * 4 + i] + X[cumsum_idx * 4 + i + 4]
    """
    assert lower_nest(te.create_schedule(res.op), [X, res]) == dedent(expected)


def test_two_states_that_read_each_other_and_a_two_step_init():
    # Fibonacci-like: a[t] = a[t-1] + b[t-2], b[t] = a[t-2] * 0.5 + x[t].
    m, n = 10, 3
    X = te.placeholder((m, n), name="X")
    sa = te.placeholder((m, n), name="sa")
    sb = te.placeholder((m, n), name="sb")
    ia = te.compute((2, n), lambda t, i: X[t, i], name="ia")
    ib = te.compute((2, n), lambda t, i: X[t, i] * 2.0, name="ib")
    ua = te.compute((m, n), lambda t, i: sa[t - 1, i] + sb[t - 2, i], name="ua")
    ub = te.compute((m, n), lambda t, i: sa[t - 2, i] * 0.5 + X[t, i], name="ub")
    ra, rb = te.scan([ia, ib], [ua, ub], [sa, sb], inputs=[X], name="fib")
    s = te.create_schedule([ra.op])
    x = np.random.default_rng(1).uniform(-1, 1, (m, n)).astype("float32")
    got_a, got_b = _run(s, [X, ra, rb], [x], [(m, n), (m, n)])
    a = np.zeros((m, n), "float64")
    b = np.zeros((m, n), "float64")
    a[:2], b[:2] = x[:2], x[:2] * 2
    for t in range(2, m):
        a[t] = a[t - 1] + b[t - 2]
        b[t] = a[t - 2] * 0.5 + x[t]
    np.testing.assert_allclose(got_a, a, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got_b, b, rtol=1e-5, atol=1e-5)


def _rnn(m, n):
    """h[t] = tanh(h[t-1] @ W + x[t]), with the matrix product a stage of the body."""
    X = te.placeholder((m, n), name="X")
    W = te.placeholder((n, n), name="W")
    state = te.placeholder((m, n), name="h")
    init = te.compute((1, n), lambda _, j: X[0, j], name="init")
    k = te.reduce_axis((0, n), name="k")
    hw = te.compute((m, n), lambda t, j: te.sum(state[t - 1, k] * W[k, j], axis=k), name="hw")
    pre = te.compute((m, n), lambda t, j: hw[t, j] + X[t, j], name="pre")
    update = te.compute((m, n), lambda t, j: te.tanh(pre[t, j]), name="update")
    res = te.scan(init, update, state, inputs=[X, W], name="rnn")
    return X, W, hw, pre, update, res


def _rnn_reference(x, w):
    h = np.zeros_like(x, dtype="float64")
    h[0] = x[0]
    for t in range(1, x.shape[0]):
        h[t] = np.tanh(h[t - 1] @ w + x[t])
    return h


@pytest.mark.parametrize("schedule", ["default", "inline", "compute_at", "split_update"])
def test_body_stages_under_schedules(schedule):
    m, n = 7, 12
    X, W, hw, pre, update, res = _rnn(m, n)
    s = te.create_schedule(res.op)
    assert s[hw].group is not None and s[hw].group == s[update].group
    if schedule == "inline":
        s[pre].compute_inline()
    elif schedule == "compute_at":
        s[hw].compute_at(s[pre], pre.op.axis[1])
    elif schedule == "split_update":
        s[pre].compute_inline()
        jo, ji = s[update].split(update.op.axis[1], factor=5)
        s[hw].compute_at(s[update], jo)
    rng = np.random.default_rng(2)
    x = rng.uniform(-1, 1, (m, n)).astype("float32")
    w = rng.uniform(-0.3, 0.3, (n, n)).astype("float32")
    (got,) = _run(s, [X, W, res], [x, w], [(m, n)])
    np.testing.assert_allclose(got, _rnn_reference(x, w), rtol=1e-5, atol=1e-5)


def test_scan_get_body_and_attach_path():
    X, W, hw, pre, update, res = _rnn(8, 4)
    body = te.schedule.ScanGetBody(res.op)
    assert [op.name for op in body] == ["hw", "pre", "update"]
    s = te.create_schedule(res.op)
    path = te.schedule.CreateAttachPath(s)
    assert list(path[update.op]) == [res.op.scan_axis]
    assert len(path[res.op]) == 0


def _fix_point(update_fn, extra=None):
    m, n = te.var("m"), te.var("n")
    X = te.placeholder((m, n, n), name="X")
    state = te.placeholder((m, n, n), name="state")
    init = te.compute((1, n, n), lambda _, i, j: X[0, i, j], name="init")
    update = update_fn(X, state, m, n)
    res = te.scan(init, update, state)
    fixed = te.schedule.ScanFixPointAnalysis(res.op)
    return [int(fixed[iv]) for iv in res.op.spatial_axis_]


def test_fix_point_analysis():
    # Same index along both dimensions: both are fixed points.
    assert _fix_point(
        lambda X, S, m, n: te.compute((m, n, n), lambda t, i, j: S[t - 1, i, j] + X[t, j, i])
    ) == [1, 1]
    # Transposed state: neither.
    assert _fix_point(
        lambda X, S, m, n: te.compute((m, n, n), lambda t, i, j: S[t - 1, j, i])
    ) == [0, 0]
    # A shifted index along j, through an intermediate stage: i stays a fixed point.
    def shifted(X, S, m, n):
        h = te.compute((m, n, n), lambda t, i, j: S[t - 1, i, j], name="h")
        return te.compute((m, n, n), lambda t, i, j: h[t, i, j] + h[t, i, n - 1 - j])

    assert _fix_point(shifted) == [1, 0]
    # A reduction over the state's j: j is read whole.
    def reduced(X, S, m, n):
        k = te.reduce_axis((0, n), name="k")
        r = te.compute((m, n), lambda t, i: te.sum(S[t - 1, i, k], axis=k), name="r")
        return te.compute((m, n, n), lambda t, i, j: r[t, i] + X[t, i, j])

    assert _fix_point(reduced) == [1, 0]


def test_consumer_of_a_slice_narrows_only_fixed_point_dimensions():
    m, n = 6, 16
    X = te.placeholder((m, n), name="X")
    for shifted, expected in ((False, 4), (True, n)):
        state = te.placeholder((m, n), name="state")
        init = te.compute((1, n), lambda _, i: X[0, i], name="init")
        if shifted:
            update = te.compute((m, n), lambda t, i: state[t - 1, (i + 1) % n] + X[t, i], name="update")
        else:
            update = te.compute((m, n), lambda t, i: state[t - 1, i] + X[t, i], name="update")
        res = te.scan(init, update, state)
        out = te.compute((m, 4), lambda t, i: res[t, i] * 2.0, name="out")
        s = te.create_schedule(out.op)
        bounds = te.schedule.InferBound(s.normalize())
        assert int(bounds[res.op.spatial_axis_[0]].extent) == expected
        x = np.random.default_rng(3).uniform(-1, 1, (m, n)).astype("float32")
        (got,) = _run(s, [X, out], [x], [(m, 4)])
        ref = np.zeros((m, n))
        ref[0] = x[0]
        for t in range(1, m):
            ref[t] = (np.roll(ref[t - 1], -1) if shifted else ref[t - 1]) + x[t]
        np.testing.assert_allclose(got, ref[:, :4] * 2, rtol=1e-5, atol=1e-5)


def test_errors_name_the_scan_and_the_mismatch():
    m, n = 8, 4
    X = te.placeholder((m, n), name="X")
    state = te.placeholder((m, n), name="state")
    init = te.compute((1, n), lambda _, i: X[0, i], name="init")
    update = te.compute((m, n), lambda t, i: state[t - 1, i] + X[t, i], name="update")
    with pytest.raises(tvm.TVMError, match=r"scan s1: init, update and state_placeholder must have the same \(non-zero\) length"):
        te.scan([init], [update, update], [state], name="s1")
    wide = te.compute((1, n + 1), lambda _, i: 0.0, name="wide")
    with pytest.raises(tvm.TVMError, match=r"scan s2: output 0: dimension 1 of init \(5\)"):
        te.scan(wide, update, state, name="s2")
    half = te.compute((m, n), lambda t, i: state[t - 1, i].astype("float16"), name="half")
    with pytest.raises(tvm.TVMError, match="scan s3: output 0: init .* must have the same dtype"):
        te.scan(init, half, state, name="s3")
    no_state = te.compute((m, n), lambda t, i: X[t, i], name="no_state")
    res = te.scan(init, no_state, state, inputs=[X], name="s4")
    with pytest.raises(tvm.TVMError, match="scan s4: update no_state does not read the scan's state"):
        te.create_schedule(res.op)
