# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""count_layers: the depth of a network counted in chosen operators."""
import tvm
from tvm.ir import Op
from .. import expr as _expr
from .. import function as _function
from .analysis import post_order_visit


def _children(node):
    """The sub-expressions whose values flow into `node`."""
    if isinstance(node, _expr.Call):
        return [node.op] + list(node.args)
    if isinstance(node, _expr.Tuple):
        return list(node.fields)
    if isinstance(node, _expr.TupleGetItem):
        return [node.tuple_value]
    if isinstance(node, _expr.Let):
        return [node.value, node.body]
    if isinstance(node, _expr.If):
        return [node.cond, node.true_branch, node.false_branch]
    if isinstance(node, _function.Function):
        return [node.body]
    if isinstance(node, (_expr.RefCreate, _expr.RefRead)):
        return [node.value if isinstance(node, _expr.RefCreate) else node.ref]
    if isinstance(node, _expr.RefWrite):
        return [node.ref, node.value]
    return []


def count_layers(expr, valid_ops):
    """The most calls of operators named in `valid_ops` on one path through `expr`
    (an expression, a function, or a module's main): parallel branches count once,
    so a ResNet-18 counts 18 with valid_ops=["nn.conv2d", "nn.dense"]."""
    if isinstance(expr, tvm.ir.IRModule):
        expr = expr["main"]
    wanted = set()
    for name in valid_ops:
        wanted.add(Op.get(name))  # an unknown name raises, naming it
    order = []
    post_order_visit(expr, order.append)
    # A let-bound variable carries its value's depth to where it is used.
    bound = {node.var: node.value for node in order if isinstance(node, _expr.Let)}
    depth = {}

    def depth_of(node):
        return depth.get(bound[node], 0) if node in bound else depth.get(node, 0)

    # The order is post-order: a node's inputs (and a variable's value) come before it.
    for node in order:
        below = max((depth_of(c) for c in _children(node)), default=0)
        own = 1 if isinstance(node, _expr.Call) and node.op in wanted else 0
        depth[node] = below + own
    return depth_of(expr)
