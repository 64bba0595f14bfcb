# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Random transformer-like graphs through relay.build at opt_level 3 for this CPU, against PyTorch.

Each seed grows a graph over (batch, sequence, features) tensors: dense with constant weights
(several reading one input, so CombineParallelDense may merge them), bias, activations (gelu via
erf, relu, tanh), layer_norm, softmax, residual adds, scaling, reshapes into heads and transposes
feeding batch_matmul, and reductions. The passes that matter here are SimplifyExpr, SinkReshape,
FoldConstant, the dense AlterOpLayout (pre-packed weights), FuseOps and the x86 GEMM, softmax,
reduction and injective schedules. The same graph runs in torch; the failing seed's op list is
printed.
"""
import numpy as np
import pytest

from tvm import relay

torch = pytest.importorskip("torch")
from random_graph_common import GraphBuilder, check_against_torch  # noqa: E402 (needs torch)
F = torch.nn.functional

FEATURES = (8, 12, 16, 24, 32, 48, 64)


class _Graph(GraphBuilder):
    def __init__(self, rng):
        batch, seq = int(rng.choice([1, 2])), int(rng.choice([1, 3, 5, 8, 16]))
        super().__init__(rng, (batch, seq, int(rng.choice(FEATURES))))


def _three_d(t):
    return t.dim() == 3


def _dense(g):
    picked = g.pick(_three_d)
    if picked is None:
        return
    x, t = picked
    k = t.shape[-1]
    # Sometimes several denses of one input (q, k, v), which CombineParallelDense may merge.
    for _ in range(int(g.rng.choice([1, 1, 3]))):
        n = int(g.rng.choice(FEATURES))
        w, wt = g.const((n, k), 1.0 / np.sqrt(k))
        expr, value = relay.nn.dense(x, w), F.linear(t, wt)
        if g.rng.random() < 0.7:
            b, bt = g.const((n,))
            expr, value = relay.nn.bias_add(expr, b, axis=-1), value + bt
        g.add("dense(%d->%d)" % (k, n), expr, value)


def _activation(g):
    x, t = g.pick()
    kind = g.rng.choice(["gelu", "relu", "tanh"])
    if kind == "gelu":
        half = relay.const(0.5)
        expr = relay.multiply(relay.multiply(x, half),
                              relay.add(relay.const(1.0), relay.erf(relay.multiply(x, relay.const(2 ** -0.5)))))
        g.add(kind, expr, F.gelu(t))
    elif kind == "relu":
        g.add(kind, relay.nn.relu(x), F.relu(t))
    else:
        g.add(kind, relay.tanh(x), torch.tanh(t))


def _layer_norm(g):
    x, t = g.pick()
    n = t.shape[-1]
    gamma, gt = g.const((n,))
    beta, bt = g.const((n,))
    g.add("layer_norm", relay.nn.layer_norm(x, gamma, beta, axis=-1, epsilon=1e-5),
          F.layer_norm(t, (n,), gt, bt, eps=1e-5))


def _softmax(g):
    x, t = g.pick()
    g.add("softmax", relay.nn.softmax(x, axis=-1), F.softmax(t, dim=-1))


def _residual(g):
    x, t = g.pick()
    same = [v for v in g.values if tuple(v[1].shape) == tuple(t.shape) and v[0] is not x]
    if same:
        y, u = same[g.rng.integers(len(same))]
        g.add("add(residual)", relay.add(x, y), t + u)


def _scale(g):
    x, t = g.pick()
    s = float(g.rng.choice([0.125, 0.5, 2.0]))
    g.add("multiply(%g)" % s, relay.multiply(x, relay.const(s)), t * s)


def _attention(g):
    """scores = q k^T over heads, softmax, times v: reshape/transpose/batch_matmul chains."""
    picked = g.pick(lambda t: _three_d(t) and t.shape[-1] % 2 == 0)
    if picked is None:
        return
    x, t = picked
    b, s, d = t.shape
    heads = int(g.rng.choice([h for h in (1, 2, 4) if d % h == 0]))
    hd = d // heads

    def split_heads(e, v):
        e = relay.reshape(relay.transpose(relay.reshape(e, (b, s, heads, hd)), (0, 2, 1, 3)), (b * heads, s, hd))
        return e, v.reshape(b, s, heads, hd).permute(0, 2, 1, 3).reshape(b * heads, s, hd)

    wq, wqt = g.const((d, d), 1.0 / np.sqrt(d))
    wk, wkt = g.const((d, d), 1.0 / np.sqrt(d))
    q, qt = split_heads(relay.nn.dense(x, wq), F.linear(t, wqt))
    k, kt = split_heads(relay.nn.dense(x, wk), F.linear(t, wkt))
    v, vt = split_heads(x, t)
    scores = relay.multiply(relay.nn.batch_matmul(q, k), relay.const(1.0 / np.sqrt(hd)))
    scores_t = torch.bmm(qt, kt.transpose(1, 2)) / np.sqrt(hd)
    probs, probs_t = relay.nn.softmax(scores, axis=-1), F.softmax(scores_t, dim=-1)
    ctx = relay.nn.batch_matmul(probs, v, transpose_b=False)
    ctx_t = torch.bmm(probs_t, vt)
    out = relay.reshape(relay.transpose(relay.reshape(ctx, (b, heads, s, hd)), (0, 2, 1, 3)), (b, s, d))
    out_t = ctx_t.reshape(b, heads, s, hd).permute(0, 2, 1, 3).reshape(b, s, d)
    g.add("attention(%d heads)" % heads, out, out_t)


def _mean(g):
    picked = g.pick(_three_d)
    if picked is None:
        return
    x, t = picked
    g.add("mean(-1, keepdims)", relay.mean(x, axis=-1, keepdims=True), t.mean(dim=-1, keepdim=True))


_STEPS = [(_dense, 5), (_activation, 2), (_layer_norm, 2), (_softmax, 1), (_residual, 2), (_scale, 1),
          (_attention, 2), (_mean, 1)]


def _grow(seed):
    rng = np.random.default_rng(seed)
    g = _Graph(rng)
    steps, weights = zip(*_STEPS)
    p = np.array(weights, dtype="float64") / sum(weights)
    for _ in range(int(rng.integers(5, 12))):
        steps[rng.choice(len(steps), p=p)](g)
    last, last_t = g.values[-1]
    side, side_t = g.values[len(g.values) // 2]
    func = relay.Function([g.input], relay.Tuple([last, relay.tanh(side)]))
    return g, func, [last_t, torch.tanh(side_t)]


# Seeds past 24 once failed: 78, 86 and 104 fused erf (gelu) after tanh and softmax, whose
# inlined fast expansions multiplied into an expression tree that exhausted memory.
@pytest.mark.parametrize("seed", list(range(24)) + [78, 86, 104])
def test_random_dense_graph_matches_torch(seed):
    g, func, want = _grow(seed)
    check_against_torch(seed, g, func, want)
