# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Helpers for Relay tests (TVM's relay.testing)."""
import tvm
from tvm import relay
from tvm.relay import transform


def _as_module(expr):
    if isinstance(expr, tvm.IRModule):
        return expr, None
    if isinstance(expr, relay.Function):
        return tvm.IRModule.from_expr(expr), None
    return None, expr


def run_opt_pass(expr, opt_pass, import_prelude=False):  # pylint: disable=unused-argument
    """Run `opt_pass` (a pass or a list of passes) on `expr` in a module; the
    result: the main function, or its body when `expr` was not a function."""
    passes = opt_pass if isinstance(opt_pass, (list, tuple)) else [opt_pass]
    if isinstance(expr, tvm.IRModule):
        return transform.Sequential(passes)(expr)
    if isinstance(expr, relay.Function):
        mod = tvm.IRModule.from_expr(expr)
        mod = transform.Sequential(passes)(mod)
        return mod["main"]
    # An expression outside a function: a function of its free variables.
    params = _free_vars(expr)
    mod = tvm.IRModule.from_expr(relay.Function(params, expr))
    mod = transform.Sequential(passes)(mod)
    return mod["main"].body


def run_infer_type(expr):
    """`expr` with its types inferred (the main function when given a module)."""
    if isinstance(expr, tvm.IRModule):
        return transform.InferType()(expr)
    return run_opt_pass(expr, transform.InferType())


def _free_vars(expr):
    """The free variables of `expr` in first-use order (iterative walk)."""
    seen, bound, order = set(), set(), []
    stack = [expr]
    while stack:
        e = stack.pop()
        key = e.handle.address
        if key in seen:
            continue
        seen.add(key)
        if isinstance(e, relay.Var):
            order.append(e)
        elif isinstance(e, relay.Function):
            bound.update(p.handle.address for p in e.params)
            stack.append(e.body)
        elif isinstance(e, relay.Let):
            bound.add(e.var.handle.address)
            stack.extend([e.body, e.value])
        elif isinstance(e, relay.Call):
            stack.extend(reversed(list(e.args)))
            stack.append(e.op)
        elif isinstance(e, relay.Tuple):
            stack.extend(reversed(list(e.fields)))
        elif isinstance(e, relay.TupleGetItem):
            stack.append(e.tuple_value)
        elif isinstance(e, relay.If):
            stack.extend([e.false_branch, e.true_branch, e.cond])
        elif isinstance(e, relay.RefCreate):
            stack.append(e.value)
        elif isinstance(e, relay.RefRead):
            stack.append(e.ref)
        elif isinstance(e, relay.RefWrite):
            stack.extend([e.value, e.ref])
    return [v for v in order if v.handle.address not in bound]
