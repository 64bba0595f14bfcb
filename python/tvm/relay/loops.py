# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Loops in Relay, written as recursive functions (the VM runs them in constant stack)."""
from . import expr as _expr
from . import function as _function
from .scope_builder import ScopeBuilder


def _type_of(value):
    if isinstance(value, _expr.Var) and value.type_annotation is not None:
        return value.type_annotation
    from .. import ir  # pylint: disable=import-outside-toplevel
    from . import transform  # pylint: disable=import-outside-toplevel

    mod = transform.InferType()(ir.IRModule.from_expr(value))
    main = mod["main"]
    return main.checked_type if isinstance(value, _function.Function) else main.body.checked_type


def while_loop(cond, loop_vars, loop_bodies):
    """A loop as an expression: a function of the loop variables that, while
    cond(*vars) holds, calls itself on loop_bodies(*vars), and otherwise returns
    the variables as a tuple.

    cond: vars -> boolean scalar expression; loop_vars: the variables (their
    types give the parameters' types); loop_bodies: vars -> the next values.
    Call the result with the initial values: while_loop(...)(x0, acc0).
    """
    loop = _expr.var("while_loop")
    params = []
    for i, v in enumerate(loop_vars):
        name = v.name_hint if isinstance(v, _expr.Var) else "arg%d" % i
        params.append(_expr.var(name, type_annotation=_type_of(v)))
    sb = ScopeBuilder()
    with sb.if_scope(cond(*params)):
        sb.ret(_expr.Call(loop, list(loop_bodies(*params))))
    with sb.else_scope():
        sb.ret(_expr.Tuple(params))
    # The let binds the function to the name it calls itself by.
    return _expr.Let(loop, _function.Function(params, sb.get()), loop)
