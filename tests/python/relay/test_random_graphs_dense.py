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

import tvm
from tvm import relay
from tvm.contrib import graph_executor

torch = pytest.importorskip("torch")
F = torch.nn.functional

FEATURES = (8, 12, 16, 24, 32, 48, 64)


class _Graph:
    def __init__(self, rng):
        self.rng = rng
        self.batch = int(rng.choice([1, 2]))
        self.seq = int(rng.choice([1, 3, 5, 8, 16]))
        shape = (self.batch, self.seq, int(rng.choice(FEATURES)))
        self.input_shape = shape
        self.input_value = rng.standard_normal(shape).astype("float32")
        self.input = relay.var("data", shape=shape)
        self.values = [(self.input, torch.from_numpy(self.input_value))]
        self.ops = []

    def const(self, shape, scale=1.0):
        v = (self.rng.standard_normal(shape) * scale).astype("float32")
        return relay.const(v), torch.from_numpy(v)

    def pick(self, predicate=lambda t: True):
        choices = [v for v in self.values if predicate(v[1])]
        if not choices:
            return None
        weights = np.arange(1, len(choices) + 1, dtype="float64") ** 2
        return choices[self.rng.choice(len(choices), p=weights / weights.sum())]

    def add(self, name, expr, value):
        self.ops.append(name)
        self.values.append((expr, value))


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
    mod = tvm.IRModule.from_expr(func)
    target = "llvm -mcpu=" + tvm.target.codegen.llvm_get_system_cpu()
    with tvm.transform.PassContext(opt_level=3):
        factory = relay.build(mod, target=target)
    m = graph_executor.GraphModule(factory["default"](tvm.cpu()))
    m.set_input("data", g.input_value)
    m.run()
    for i, w in enumerate(want):
        w = w.numpy()
        got = m.get_output(i).numpy()
        assert got.shape == w.shape, (seed, g.ops)
        err = np.max(np.abs(got - w)) / max(np.max(np.abs(w)), 1e-6)
        assert err < 1e-4, "seed %d output %d: relative error %.3g after %s" % (seed, i, err, " -> ".join(g.ops))
