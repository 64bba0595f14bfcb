# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Visitors and mutators of Relay expressions written in Python.

Subclass ExprVisitor (walks every node once) or ExprMutator (rebuilds a node
only when a child changed; an unchanged graph comes back as the very same
object) and override the visit_* methods of the node kinds of interest.
Results are memoised per node, so a node shared by several parents is
visited once.

Depth: the visit_* methods call self.visit on their children, which is
recursion. So that a chain of 100,000 calls does not hit Python's recursion
limit, once the recursion is deeper than DEEP_WALK_DEPTH, visit() first walks
the sub-graph below with an explicit stack, children before parents in the
order the default visit_* methods use, so the recursive calls find their
children memoised. Default visitors see the same order either way; an
override that skips children or carries context down (scopes) sees the
children of deep nodes visited first. Function bodies are never pre-walked,
so functions nested inside each other hundreds deep still recurse (Python
raises RecursionError; the C++ visitors and relay.analysis have no such limit).
"""
from .._ffi.registry import get_global_func
from ..ir import Op
from .expr import Call, Let, Var, GlobalVar, If, Tuple, TupleGetItem, Constant, RefCreate, RefRead, RefWrite
from .function import Function

DEEP_WALK_DEPTH = 150


# Array element access without the per-call registry lookup (this walk reads
# every child of every node).
_array_size = get_global_func("runtime.ArraySize")
_array_get = get_global_func("runtime.ArrayGetItem")


def _items(array):
    return [_array_get(array, i) for i in range(_array_size(array))]


def _children(expr):
    """The children the default visitor visits, in order (Function bodies excluded)."""
    kind = type(expr)
    if kind is Call:
        return [expr.op] + _items(expr.args)
    if kind is Tuple:
        return _items(expr.fields)
    if kind is TupleGetItem:
        return [expr.tuple_value]
    if kind is Let:
        return [expr.var, expr.value, expr.body]
    if kind is If:
        return [expr.cond, expr.true_branch, expr.false_branch]
    if kind is RefCreate:
        return [expr.value]
    if kind is RefRead:
        return [expr.ref]
    if kind is RefWrite:
        return [expr.ref, expr.value]
    return []


# The method each node class dispatches to (subclasses found through isinstance).
_METHOD_OF = [
    (Function, "visit_function"),
    (Call, "visit_call"),
    (Let, "visit_let"),
    (Var, "visit_var"),
    (GlobalVar, "visit_global_var"),
    (If, "visit_if"),
    (Tuple, "visit_tuple"),
    (TupleGetItem, "visit_tuple_getitem"),
    (Constant, "visit_constant"),
    (Op, "visit_op"),
    (RefCreate, "visit_ref_create"),
    (RefRead, "visit_ref_read"),
    (RefWrite, "visit_ref_write"),
]
_METHOD_BY_CLASS = dict(_METHOD_OF)


class ExprFunctor:
    """Dispatch on the kind of a Relay expression, with memoisation.

    Every visit_* raises NotImplementedError here: ExprVisitor and
    ExprMutator give the defaults.
    """

    def __init__(self):
        self.memo_map = {}
        self._depth = 0
        self._walked = None  # the node the pre-walk is visiting: its children are done

    def visit(self, expr):
        """Apply the functor to an expression (once per node)."""
        if expr in self.memo_map:
            return self.memo_map[expr]
        if self._depth >= DEEP_WALK_DEPTH and expr is not self._walked:
            self._prewalk_below(expr)
        self._depth += 1
        try:
            res = self._dispatch(expr)
        finally:
            self._depth -= 1
        self.memo_map[expr] = res
        return res

    def _prewalk_below(self, root):
        # Post order with an explicit stack over what lies below root, each
        # node through self.visit (its children being done, it goes no deeper).
        stack = [[root, False]]
        memo = self.memo_map
        while stack:
            node, expanded = stack[-1]
            if expanded:
                stack.pop()
                if stack:  # not the root
                    saved, self._walked = self._walked, node
                    try:
                        self.visit(node)
                    finally:
                        self._walked = saved
                continue
            if len(stack) > 1 and node in memo:
                stack.pop()
                continue
            stack[-1][1] = True
            for child in reversed(_children(node)):
                if child not in memo:
                    stack.append([child, False])

    def _dispatch(self, expr):
        name = _METHOD_BY_CLASS.get(type(expr))
        if name is None:
            name = next((m for cls, m in _METHOD_OF if isinstance(expr, cls)), None)
            if name is None:
                raise TypeError(
                    f"{type(self).__name__}.visit: not a Relay expression: {type(expr).__name__} {expr!r}"
                )
        return getattr(self, name)(expr)

    def visit_function(self, _):
        raise NotImplementedError()

    def visit_let(self, _):
        raise NotImplementedError()

    def visit_call(self, _):
        raise NotImplementedError()

    def visit_var(self, _):
        raise NotImplementedError()

    def visit_type(self, typ):
        return typ

    def visit_if(self, _):
        raise NotImplementedError()

    def visit_tuple(self, _):
        raise NotImplementedError()

    def visit_tuple_getitem(self, _):
        raise NotImplementedError()

    def visit_global_var(self, _):
        raise NotImplementedError()

    def visit_op(self, _):
        raise NotImplementedError()

    def visit_constant(self, _):
        raise NotImplementedError()

    def visit_ref_create(self, _):
        raise NotImplementedError()

    def visit_ref_write(self, _):
        raise NotImplementedError()

    def visit_ref_read(self, _):
        raise NotImplementedError()


class ExprVisitor(ExprFunctor):
    """Visits every node once; override a visit_* and call the base to keep walking."""

    def visit_tuple(self, tup):
        for x in _items(tup.fields):
            self.visit(x)

    def visit_call(self, call):
        self.visit(call.op)
        for a in _items(call.args):
            self.visit(a)

    def visit_var(self, var):
        pass

    def visit_let(self, let):
        self.visit(let.var)
        self.visit(let.value)
        self.visit(let.body)

    def visit_function(self, fn):
        for x in _items(fn.params):
            self.visit(x)
        self.visit(fn.body)

    def visit_if(self, i):
        self.visit(i.cond)
        self.visit(i.true_branch)
        self.visit(i.false_branch)

    def visit_global_var(self, gv):
        pass

    def visit_op(self, op):
        pass

    def visit_constant(self, const):
        pass

    def visit_ref_create(self, r):
        self.visit(r.value)

    def visit_ref_read(self, r):
        self.visit(r.ref)

    def visit_ref_write(self, r):
        self.visit(r.ref)
        self.visit(r.value)

    def visit_tuple_getitem(self, t):
        self.visit(t.tuple_value)


def _same(new, old):
    return len(new) == len(old) and all(a.same_as(b) for a, b in zip(new, old))


class ExprMutator(ExprFunctor):
    """Rebuilds an expression bottom-up; a node whose children come back
    unchanged is returned as is (the same object)."""

    def visit_function(self, fn):
        params = _items(fn.params)
        new_params = [self.visit(x) for x in params]
        new_body = self.visit(fn.body)
        if _same(new_params, params) and new_body.same_as(fn.body):
            return fn
        return Function(new_params, new_body, fn.ret_type, fn.type_params, fn.attrs, fn.span)

    def visit_let(self, let):
        new_var = self.visit(let.var)
        new_val = self.visit(let.value)
        new_body = self.visit(let.body)
        if new_var.same_as(let.var) and new_val.same_as(let.value) and new_body.same_as(let.body):
            return let
        return Let(new_var, new_val, new_body, let.span)

    def visit_call(self, call):
        new_fn = self.visit(call.op)
        args = _items(call.args)
        new_args = [self.visit(arg) for arg in args]
        if new_fn.same_as(call.op) and _same(new_args, args):
            return call
        return Call(new_fn, new_args, call.attrs, call.type_args, call.span)

    def visit_var(self, var):
        return var

    def visit_global_id(self, global_var):
        return global_var

    def visit_if(self, ite):
        new_cond = self.visit(ite.cond)
        new_true_branch = self.visit(ite.true_branch)
        new_false_branch = self.visit(ite.false_branch)
        if (
            new_cond.same_as(ite.cond)
            and new_true_branch.same_as(ite.true_branch)
            and new_false_branch.same_as(ite.false_branch)
        ):
            return ite
        return If(new_cond, new_true_branch, new_false_branch, ite.span)

    def visit_tuple(self, tup):
        fields = _items(tup.fields)
        new_fields = [self.visit(field) for field in fields]
        if _same(new_fields, fields):
            return tup
        return Tuple(new_fields, tup.span)

    def visit_tuple_getitem(self, op):
        new_tuple_value = self.visit(op.tuple_value)
        if new_tuple_value.same_as(op.tuple_value):
            return op
        return TupleGetItem(new_tuple_value, op.index, op.span)

    def visit_global_var(self, gvar):
        return gvar

    def visit_op(self, op):
        return op

    def visit_constant(self, const):
        return const

    def visit_ref_create(self, r):
        new_value = self.visit(r.value)
        if new_value.same_as(r.value):
            return r
        return RefCreate(new_value, r.span)

    def visit_ref_write(self, r):
        new_ref = self.visit(r.ref)
        new_value = self.visit(r.value)
        if new_ref.same_as(r.ref) and new_value.same_as(r.value):
            return r
        return RefWrite(new_ref, new_value, r.span)

    def visit_ref_read(self, r):
        new_ref = self.visit(r.ref)
        if new_ref.same_as(r.ref):
            return r
        return RefRead(new_ref, r.span)
