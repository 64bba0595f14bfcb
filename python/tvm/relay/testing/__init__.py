# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Helpers for Relay tests (TVM's relay.testing)."""
import tvm
from tvm import relay
from tvm.relay import transform


def run_opt_pass(expr, opt_pass, import_prelude=False):  # pylint: disable=unused-argument
    """Type `expr` in a module, then run `opt_pass` (a pass or a list of passes, each
    called directly as TVM's helper does, whatever the PassContext's opt_level); the
    result: the main function, or its body when `expr` was not a function."""
    passes = opt_pass if isinstance(opt_pass, (list, tuple)) else [opt_pass]

    def run(mod):
        mod = transform.InferType()(mod)
        for p in passes:
            mod = p(mod)
        return mod

    if isinstance(expr, tvm.IRModule):
        return run(expr)
    if isinstance(expr, relay.Function):
        return run(tvm.IRModule.from_expr(expr))["main"]
    # An expression outside a function: a function of its free variables.
    mod = run(tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(expr), expr)))
    return mod["main"].body


def run_infer_type(expr):
    """`expr` with its types inferred (the main function when given a module)."""
    if isinstance(expr, tvm.IRModule):
        return transform.InferType()(expr)
    return run_opt_pass(expr, transform.InferType())


def check_grad(func, inputs=None, test_inputs=None, eps=1e-6, atol=1e-5, rtol=1e-3, scale=None, mean=0,
               mode="higher_order", target_devices=None, executor_kind="debug"):  # pylint: disable=unused-argument
    """Compare the gradient pass with numerical gradients (TVM's signature). The gradient
    pass does not exist yet: calling this raises NotImplementedError naming it."""
    raise NotImplementedError(
        "relay.testing.check_grad needs the gradient pass (relay.transform.gradient), which is not built yet"
    )


# The model zoo (TVM's relay.testing workloads): each module's get_workload returns
# (mod, params) with parameters drawn from a seeded generator.
from . import init  # noqa: E402
from . import layers  # noqa: E402
from . import mlp  # noqa: E402
from . import resnet  # noqa: E402
from . import dcgan  # noqa: E402
from . import mobilenet  # noqa: E402
from . import lstm  # noqa: E402
from . import inception_v3  # noqa: E402
from . import squeezenet  # noqa: E402
from . import vgg  # noqa: E402
from . import densenet  # noqa: E402
from . import synthetic  # noqa: E402
from .init import create_workload  # noqa: E402
from . import dqn  # noqa: E402
from . import resnet_3d  # noqa: E402
from . import temp_op_attr  # noqa: E402
from tvm.testing import enabled_targets  # noqa: E402,F401 (TVM re-exports it here)


def rand(dtype, *shape):
    """A tvm.nd.NDArray of `shape` filled from numpy's uniform [0, 1) generator."""
    import numpy as np  # pylint: disable=import-outside-toplevel

    return tvm.nd.array(np.random.rand(*shape).astype(dtype))


def count_ops(expr):
    """How many times each operator is called in `expr`: a collections.Counter from
    operator name to count (each call node counted once)."""
    import collections  # pylint: disable=import-outside-toplevel

    counter = collections.Counter()

    def visit(node):
        if isinstance(node, relay.Call) and isinstance(node.op, tvm.ir.Op):
            counter[node.op.name] += 1

    relay.analysis.post_order_visit(expr, visit)
    return counter
