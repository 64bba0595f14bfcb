# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What the random-graph tests share: a Relay graph grown beside the torch tensors it stands for,
and the check of its opt_level 3 build for this CPU against them."""
import numpy as np
import torch

import tvm
from tvm import relay
from tvm.contrib import graph_executor


class GraphBuilder:
    """Relay expressions grown beside the torch tensors they stand for, from one input."""

    def __init__(self, rng, input_shape):
        self.rng = rng
        self.input_shape = tuple(input_shape)
        self.input_value = rng.standard_normal(self.input_shape).astype("float32")
        self.input = relay.var("data", shape=self.input_shape)
        self.values = [(self.input, torch.from_numpy(self.input_value))]
        self.ops = []

    def const(self, shape, scale=1.0, positive=False):
        v = self.rng.standard_normal(shape).astype("float32") * np.float32(scale)
        if positive:
            v = np.abs(v) + np.float32(0.5)
        return relay.const(v), torch.from_numpy(v)

    def pick(self, predicate=lambda t: True):
        """A value satisfying predicate (None if none does), preferring recent ones so graphs
        grow deep, while older ones still start branches."""
        choices = [v for v in self.values if predicate(v[1])]
        if not choices:
            return None
        weights = np.arange(1, len(choices) + 1, dtype="float64") ** 2
        return choices[self.rng.choice(len(choices), p=weights / weights.sum())]

    def add(self, name, expr, value):
        self.ops.append(name)
        self.values.append((expr, value))


def check_against_torch(seed, g, func, want):
    """Build func at opt_level 3 for this CPU, run it on g's input and compare every output with
    the torch tensors in `want` (relative to the largest magnitude)."""
    target = "llvm -mcpu=" + tvm.target.codegen.llvm_get_system_cpu()
    with tvm.transform.PassContext(opt_level=3):
        factory = relay.build(tvm.IRModule.from_expr(func), target=target)
    m = graph_executor.GraphModule(factory["default"](tvm.cpu()))
    m.set_input("data", g.input_value)
    m.run()
    for i, w in enumerate(want):
        w = w.numpy()
        got = m.get_output(i).numpy()
        assert got.shape == w.shape, (seed, g.ops)
        err = np.max(np.abs(got - w)) / max(np.max(np.abs(w)), 1e-6)
        assert err < 1e-4, "seed %d output %d: relative error %.3g after %s" % (seed, i, err, " -> ".join(g.ops))
