# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Patterns over Relay dataflow graphs, with TVM's names: build a pattern with wildcard(),
is_op("nn.dense")(wildcard(), is_constant()), is_var, is_tuple, ..., `|` for alternatives and
has_attr/has_type/has_dtype/has_shape for conditions; pattern.match(expr) says whether expr
fits it.

This first version matches only (in Python; the recursion follows the pattern's depth,
which is small). Rewriting (rewrite, DFPatternCallback) and partitioning are not built yet.
"""
from ... import ir as _ir
from .. import expr as _expr
from .. import ty as _ty


class DFPattern:
    """A pattern; call it with argument patterns to make a call pattern."""

    def __call__(self, *args):
        return CallPattern(self, [_as_pattern(a) for a in args])

    def __or__(self, other):
        return AltPattern(self, _as_pattern(other))

    def has_attr(self, attrs):
        return AttrPattern(self, attrs)

    def has_type(self, ttype):
        return TypePattern(self, ttype)

    def has_dtype(self, dtype):
        return DataTypePattern(self, dtype)

    def has_shape(self, shape):
        return ShapePattern(self, shape)

    def match(self, expr):
        """Whether expr fits this pattern."""
        return self._match(expr, {})

    def _match(self, expr, memo):
        raise NotImplementedError

    def partition(self, expr, attrs=None, check=lambda x: True):
        raise NotImplementedError("dataflow_pattern: partition is not built yet")

    def dominates(self, parent, path=None):
        raise NotImplementedError("dataflow_pattern: dominator patterns are not built yet")


def _as_pattern(value):
    if isinstance(value, DFPattern):
        return value
    if isinstance(value, _ir.RelayExpr):
        return ExprPattern(value)
    raise TypeError("a pattern argument must be a DFPattern or a Relay expression, got %s" % type(value).__name__)


def _memo(fn):
    # A pattern node matched to an expression once keeps that answer (patterns are DAGs).
    def wrapped(self, expr, memo):
        key = (id(self), expr)
        if key not in memo:
            memo[key] = fn(self, expr, memo)
        return memo[key]

    return wrapped


class WildcardPattern(DFPattern):
    @_memo
    def _match(self, expr, memo):
        return True


class ExprPattern(DFPattern):
    def __init__(self, expr):
        self.expr = expr

    @_memo
    def _match(self, expr, memo):
        return expr.same_as(self.expr) if hasattr(expr, "same_as") else expr == self.expr


class VarPattern(DFPattern):
    def __init__(self, name_hint=""):
        self.name_hint = name_hint

    @_memo
    def _match(self, expr, memo):
        return isinstance(expr, _expr.Var) and (not self.name_hint or expr.name_hint == self.name_hint)


class ConstantPattern(DFPattern):
    @_memo
    def _match(self, expr, memo):
        return isinstance(expr, _expr.Constant)


class CallPattern(DFPattern):
    def __init__(self, op, args):
        self.op = op
        self.args = args

    @_memo
    def _match(self, expr, memo):
        if not isinstance(expr, _expr.Call) or not self.op._match(expr.op, memo):
            return False
        if self.args is None:
            return True
        return len(expr.args) == len(self.args) and all(p._match(a, memo) for p, a in zip(self.args, expr.args))


class OpPattern(DFPattern):
    def __init__(self, op_name):
        self.op = _ir.Op.get(op_name)

    @_memo
    def _match(self, expr, memo):
        return isinstance(expr, _ir.Op) and expr.same_as(self.op)


class TuplePattern(DFPattern):
    def __init__(self, fields):
        self.fields = None if fields is None else [_as_pattern(f) for f in fields]

    @_memo
    def _match(self, expr, memo):
        if not isinstance(expr, _expr.Tuple):
            return False
        if self.fields is None:
            return True
        return len(expr.fields) == len(self.fields) and all(p._match(f, memo) for p, f in zip(self.fields, expr.fields))


class TupleGetItemPattern(DFPattern):
    def __init__(self, tuple_value, index=None):
        self.tuple = _as_pattern(tuple_value)
        self.index = index

    @_memo
    def _match(self, expr, memo):
        return (isinstance(expr, _expr.TupleGetItem) and (self.index is None or expr.index == self.index)
                and self.tuple._match(expr.tuple_value, memo))


class AltPattern(DFPattern):
    def __init__(self, left, right):
        self.left = left
        self.right = right

    @_memo
    def _match(self, expr, memo):
        return self.left._match(expr, memo) or self.right._match(expr, memo)


def _checked_type(expr):
    try:
        return expr.checked_type
    except (ValueError, AttributeError, Exception):  # pylint: disable=broad-except
        return None


class TypePattern(DFPattern):
    def __init__(self, pattern, ttype):
        self.pattern = pattern
        self.type = ttype

    @_memo
    def _match(self, expr, memo):
        t = _checked_type(expr)
        return t is not None and _ir.structural_equal(t, self.type) and self.pattern._match(expr, memo)


class DataTypePattern(DFPattern):
    def __init__(self, pattern, dtype):
        self.pattern = pattern
        self.dtype = str(dtype)

    @_memo
    def _match(self, expr, memo):
        t = _checked_type(expr)
        return isinstance(t, _ty.TensorType) and t.dtype == self.dtype and self.pattern._match(expr, memo)


class ShapePattern(DFPattern):
    def __init__(self, pattern, shape):
        self.pattern = pattern
        self.shape = [int(s) for s in shape]

    @_memo
    def _match(self, expr, memo):
        t = _checked_type(expr)
        if not isinstance(t, _ty.TensorType) or len(t.shape) != len(self.shape):
            return False
        try:
            same = all(int(a) == b for a, b in zip(t.shape, self.shape))
        except TypeError:
            return False
        return same and self.pattern._match(expr, memo)


class AttrPattern(DFPattern):
    def __init__(self, pattern, attrs):
        self.pattern = pattern
        self.attrs = dict(attrs)

    @_memo
    def _match(self, expr, memo):
        if not self.pattern._match(expr, memo):
            return False
        if isinstance(expr, _ir.Op):
            holder = lambda k: expr.get_attr(k)  # noqa: E731
        elif isinstance(expr, _expr.Call) and expr.attrs is not None:
            holder = lambda k: getattr(expr.attrs, k, None)  # noqa: E731
        else:
            holder = lambda k: expr.attrs[k] if getattr(expr, "attrs", None) is not None and k in expr.attrs else None  # noqa: E731
        for key, want in self.attrs.items():
            got = holder(key)
            if got is None:
                return False
            if isinstance(want, (list, tuple)):
                if [_plain(x) for x in got] != [_plain(x) for x in want]:
                    return False
            elif _plain(got) != _plain(want):
                return False
        return True


def _plain(v):
    for conv in (int, float, str):
        try:
            if conv is str:
                return str(v)
            if hasattr(v, "value"):
                return conv(v.value)
            if isinstance(v, (int, float)):
                return v
        except (TypeError, ValueError):
            continue
    return v


def wildcard():
    return WildcardPattern()


def is_var(name=""):
    return VarPattern(name)


def is_constant():
    return ConstantPattern()


def is_expr(expr):
    return ExprPattern(expr)


def is_op(op_name):
    return OpPattern(op_name)


def is_tuple(fields):
    return TuplePattern(fields)


def is_tuple_get_item(tuple_value, index=None):
    return TupleGetItemPattern(tuple_value, index)


def has_type(ttype, pattern=None):
    return TypePattern(pattern or wildcard(), ttype)


def has_dtype(dtype, pattern=None):
    return DataTypePattern(pattern or wildcard(), dtype)


def has_shape(shape, pattern=None):
    return ShapePattern(pattern or wildcard(), shape)


def has_attr(attrs, pattern=None):
    return AttrPattern(pattern or wildcard(), attrs)


def match(pattern, expr):
    """Whether expr fits pattern."""
    return pattern.match(expr)
