# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Parameter initialisers for the model zoo and `create_workload`, which turns a
network function into (module, parameters)."""
import numpy as np

import tvm
from tvm import relay


class Initializer:
    """Fills a parameter array in place, choosing the rule by the end of its name:
    `...weight` (the subclass's rule), `...bias`/`...beta`/`...mean` (zeros),
    `...gamma`/`...var` (ones)."""

    # (suffix, method name), tried in order; the first suffix the name ends with wins.
    _RULES = (
        ("weight", "_init_weight"),
        ("bias", "_init_bias"),
        ("gamma", "_init_gamma"),
        ("beta", "_init_beta"),
        ("mean", "_init_mean"),
        ("var", "_init_var"),
    )

    def __init__(self, **kwargs):
        self._kwargs = kwargs

    def __call__(self, desc, arr):
        """Initialise numpy array `arr` in place for the parameter named `desc`."""
        for suffix, method in self._RULES:
            if desc.endswith(suffix):
                getattr(self, method)(desc, arr)
                return
        self._init_default(desc, arr)

    def _init_bias(self, _, arr):
        arr[:] = 0.0

    def _init_gamma(self, _, arr):
        arr[:] = 1.0

    def _init_beta(self, _, arr):
        arr[:] = 0.0

    def _init_mean(self, _, arr):
        arr[:] = 0.0

    def _init_var(self, _, arr):
        arr[:] = 1.0

    def _init_weight(self, name, arr):
        raise NotImplementedError(
            f"{type(self).__name__} does not say how to initialise weight {name!r}: "
            "subclasses override _init_weight"
        )

    def _init_default(self, name, _):
        raise ValueError(
            f"no initialisation rule for parameter {name!r}: a parameter's name must end "
            "with 'weight', 'bias', 'gamma' (ones), 'beta' (zeros), 'mean' (zeros) or "
            "'var' (ones)"
        )


class Xavier(Initializer):
    """Glorot/Xavier initialisation of weights: uniform in [-s, s] with
    s = sqrt(magnitude / factor), where factor is the fan-in, the fan-out or their
    mean (`factor_type` 'in', 'out', 'avg'); fans count the kernel window."""

    def __init__(self, rnd_type="uniform", factor_type="avg", magnitude=3):
        super().__init__(rnd_type=rnd_type, factor_type=factor_type, magnitude=magnitude)
        if rnd_type != "uniform":
            raise ValueError(f"Xavier: unknown rnd_type {rnd_type!r}; only 'uniform' is supported")
        if factor_type not in ("avg", "in", "out"):
            raise ValueError(
                f"Xavier: unknown factor_type {factor_type!r}; expected 'avg', 'in' or 'out'"
            )
        self.rnd_type = rnd_type
        self.factor_type = factor_type
        self.magnitude = float(magnitude)

    def _init_weight(self, name, arr):
        shape = arr.shape
        if len(shape) < 2:
            raise ValueError(
                f"Xavier: weight {name!r} has shape {tuple(shape)}; it needs at least 2 "
                "dimensions (output, input, window...)"
            )
        window = float(np.prod(shape[2:])) if len(shape) > 2 else 1.0
        fan_in, fan_out = shape[1] * window, shape[0] * window
        factor = {"avg": (fan_in + fan_out) / 2.0, "in": fan_in, "out": fan_out}[self.factor_type]
        # A depthwise kernel connects each output to one input channel only: its
        # fan is the window alone, which keeps such weights from shrinking to ~0.
        if "depthwise" in name:
            factor = window
        scale = np.sqrt(self.magnitude / factor)
        arr[:] = np.random.uniform(-scale, scale, size=shape)


class Constant(Initializer):
    """Every weight element is 1 / (number of elements), so each weight sums to 1."""

    def _init_weight(self, name, arr):
        arr[:] = 1.0 / max(int(np.prod(arr.shape)), 1)


def create_workload(net, initializer=None, seed=0):
    """Type-check network `net` (a relay.Function, or an expression whose free variables
    become the parameters, as IRModule.from_expr makes it) in a module and initialise every
    parameter but `data` with `initializer` (Xavier by default) from numpy's random
    generator seeded with `seed`, so the same seed gives the same parameters.

    Returns (mod, params): the typed tvm.IRModule and a dict from parameter name to
    tvm.nd.NDArray on the CPU."""
    if not isinstance(net, relay.Expr):
        raise TypeError(f"create_workload: net must be a relay.Function or expression, got {type(net).__name__}")
    mod = tvm.IRModule.from_expr(net)
    mod = relay.transform.InferType()(mod)
    initializer = initializer if initializer is not None else Xavier()
    # Seed the global generator (not a private one) so that user initializers that
    # draw from np.random are deterministic too.
    np.random.seed(seed)
    params = {}
    for param in mod["main"].params:
        name = param.name_hint
        if name == "data":
            continue
        ty = param.checked_type
        if not isinstance(ty, relay.TensorType):
            raise TypeError(
                f"create_workload: parameter {name!r} has type {ty}; only tensor parameters "
                "can be initialised"
            )
        value = np.zeros(ty.concrete_shape, dtype=ty.dtype)
        initializer(name, value)
        params[name] = tvm.nd.array(value, device=tvm.cpu(0))
    return mod, params
