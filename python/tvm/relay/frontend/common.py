# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What the frontends share: giving converted expressions the span of their model node.

A converter turns one model node (a TorchScript node, an ONNX node) into a few new Relay
expressions built on top of the expressions it was given. `set_span(result, name)` gives every
new expression without a span the span `name` (a Span at line 0 of a source called `name`);
it stops at expressions that already have one, so the inputs the converter was given (which
carry their own nodes' spans) are left alone and keep their identity. Type errors then name
the model node: InferType reports "... (at aten::_convolution_0)".

Under `PassContext(config={"relay.frontend.fill_span": False})` (tvm.testing.disable_span_filling)
set_span returns what it is given, so the module is the same but without spans.
"""
from ... import ir as _ir
from ...ir import transform as _ir_transform
from .. import expr as _expr
from .. import function as _function

__all__ = ["set_span", "span_filling_enabled", "make_span", "StrAttrsDict", "infer_type"]


def span_filling_enabled():
    """Whether the current PassContext lets frontends fill spans ("relay.frontend.fill_span", default on)."""
    value = _ir_transform.PassContext.current().config.get("relay.frontend.fill_span", True)
    try:
        return bool(int(value))
    except (TypeError, ValueError):
        return bool(value)


def make_span(source):
    """A Span for `source`: a Span as is, a name (str or bytes) as the span of a source so called."""
    if isinstance(source, _ir.Span):
        return source
    if isinstance(source, bytes):
        source = source.decode("utf-8")
    if isinstance(source, str):
        return _ir.Span(_ir.SourceName(source), 0, 0, 0, 0)
    raise TypeError("set_span: the span must be a Span or a source name (str), got %s" % type(source).__name__)


def _has_span(expr):
    return getattr(expr, "span", None) is not None


def _children(expr):
    if isinstance(expr, _expr.Call):
        return list(expr.args) + ([expr.op] if isinstance(expr.op, _expr.RelayExpr) else [])
    if isinstance(expr, _expr.Tuple):
        return list(expr.fields)
    if isinstance(expr, _expr.TupleGetItem):
        return [expr.tuple_value]
    if isinstance(expr, _expr.Let):
        return [expr.var, expr.value, expr.body]
    if isinstance(expr, _expr.If):
        return [expr.cond, expr.true_branch, expr.false_branch]
    if isinstance(expr, _function.Function):
        return list(expr.params) + [expr.body]
    if isinstance(expr, _expr.RefCreate):
        return [expr.value]
    if isinstance(expr, _expr.RefRead):
        return [expr.ref]
    if isinstance(expr, _expr.RefWrite):
        return [expr.ref, expr.value]
    return []


def _rebuild(expr, new, span):
    """expr with its children replaced by their new versions and the span set."""
    if isinstance(expr, _expr.Call):
        op = new(expr.op) if isinstance(expr.op, _expr.RelayExpr) else expr.op
        return _expr.CallWithFields(expr, op, [new(a) for a in expr.args], expr.attrs, expr.type_args, None, span)
    if isinstance(expr, _expr.Var):
        return _expr.VarWithFields(expr, expr.vid, expr.type_annotation, None, span)
    if isinstance(expr, _expr.Constant):
        return _expr.ConstantWithFields(expr, expr.data, None, span)
    if isinstance(expr, _expr.Tuple):
        return _expr.TupleWithFields(expr, [new(f) for f in expr.fields], None, span)
    if isinstance(expr, _expr.TupleGetItem):
        return _expr.TupleGetItemWithFields(expr, new(expr.tuple_value), expr.index, None, span)
    if isinstance(expr, _expr.Let):
        return _expr.LetWithFields(expr, new(expr.var), new(expr.value), new(expr.body), None, span)
    if isinstance(expr, _expr.If):
        return _expr.IfWithFields(expr, new(expr.cond), new(expr.true_branch), new(expr.false_branch), None, span)
    if isinstance(expr, _function.Function):
        return _function.FunctionWithFields(
            expr, [new(p) for p in expr.params], new(expr.body), expr.ret_type, expr.type_params, expr.attrs,
            None, span)
    if isinstance(expr, _expr.RefCreate):
        return _expr.RefCreateWithFields(expr, new(expr.value), None, span)
    if isinstance(expr, _expr.RefRead):
        return _expr.RefReadWithFields(expr, new(expr.ref), None, span)
    if isinstance(expr, _expr.RefWrite):
        return _expr.RefWriteWithFields(expr, new(expr.ref), new(expr.value), None, span)
    return expr  # operators, global variables, match: kept as they are


class SpanFiller:
    """Fills one span into expressions, memoised across the results of one converter (so a
    sub-expression two outputs share stays shared), walking with an explicit stack. `memo` maps
    each expression met to its version with the span (a frontend that caches facts about
    expressions, such as their types, can carry them over)."""

    def __init__(self, span):
        self.span = make_span(span)
        self.memo = {}

    def expr(self, root):
        memo = self.memo
        if root in memo:
            return memo[root]
        stack = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if node in memo:
                continue
            if _has_span(node) or not isinstance(node, _expr.RelayExpr):
                memo[node] = node  # already placed (an input of the converter), or not an expression
                continue
            kids = _children(node)
            if not ready and any(k not in memo for k in kids):
                stack.append((node, True))
                stack.extend((k, False) for k in reversed(kids) if k not in memo)
                continue
            memo[node] = _rebuild(node, memo.__getitem__, self.span)
        return memo[root]

    def fill(self, value):
        if isinstance(value, _expr.TupleWrapper):
            return _expr.TupleWrapper(self.expr(value.tuple_value), value.size)
        if isinstance(value, _expr.RelayExpr):
            return self.expr(value)
        if isinstance(value, list):
            # In place: a frontend may share one list between several values (TorchScript's
            # aten::append mutates the list its other users see), so its identity must stay.
            for i, item in enumerate(value):
                value[i] = self.fill(item)
            return value
        if isinstance(value, tuple):
            return tuple(self.fill(v) for v in value)
        # Python numbers, numpy arrays, None, framework values: nothing to place.
        return value


def set_span(sym, span):
    """Give every expression in sym that has no span yet the span `span` (a Span, or a source name).

    sym: an expression, a TupleWrapper, or a (nested) list/tuple of them (other items are returned
    as they are; a list is filled in place and returned). The walk stops at expressions that already have a span, so the inputs a converter
    was given keep theirs. Does nothing when the PassContext config "relay.frontend.fill_span" is off.

        x = set_span(relay.var("x", shape=(1, 4)), "x_var")
        y = set_span(relay.nn.relu(x), "relu_0")   # relu gets span relu_0; x keeps x_var
    """
    if not span_filling_enabled():
        return sym
    return SpanFiller(span).fill(sym)


def infer_type(node, mod=None):
    """node with its types inferred: a Function comes back as the typed function, any other
    expression as the typed body of a function over its free variables. The global functions of
    mod, if given, are visible to it."""
    from .. import transform as _transform  # pylint: disable=import-outside-toplevel

    new_mod = _ir.IRModule.from_expr(node)
    if mod is not None:
        new_mod.update(mod)
    entry = _transform.InferType()(new_mod)["main"]
    return entry if isinstance(node, _function.Function) else entry.body


_REQUIRED = object()


def _numbers(text, kind):
    """The numbers of "(1, 2)", "[1,2]" or "1,2" as kind (an int field may read "None" or "?": None)."""
    items = [t.strip() for t in str(text).strip().strip("()[]").split(",")]
    out = []
    for item in items:
        if not item:
            continue
        if kind is int and not item.lstrip("-").isdigit():
            out.append(None)  # an unknown dimension
        else:
            out.append(kind(item))
    return tuple(out)


class StrAttrsDict:
    """Attributes a framework gives as strings ({"kernel": "(3, 3)", "no_bias": "True"}), read as
    typed values. A missing key returns `default`, or raises AttributeError when none is given."""

    def __init__(self, attrs):
        self.attrs = attrs

    def has_attr(self, key):
        return key in self.attrs

    def _get(self, key, default, parse):
        if key in self.attrs:
            return parse(self.attrs[key])
        if default is _REQUIRED:
            raise AttributeError("Required attribute %s not found." % key)
        return default

    def get_float(self, key, default=_REQUIRED):
        return self._get(key, default, float)

    def get_int(self, key, default=_REQUIRED):
        return self._get(key, default, lambda v: None if v == "None" else int(v))

    def get_str(self, key, default=_REQUIRED):
        return self._get(key, default, lambda v: v)

    def get_int_tuple(self, key, default=_REQUIRED):
        return self._get(key, default, lambda v: _numbers(v, int))

    def get_float_tuple(self, key, default=_REQUIRED):
        return self._get(key, default, lambda v: _numbers(v, float))

    def get_int_list(self, key, default=_REQUIRED):
        return self._get(key, default, lambda v: _numbers(v, int))

    def get_tuple_tuple_int(self, key, default=_REQUIRED):
        def parse(value):
            # "((1, 2), (3, 4))": split after each inner closing bracket.
            groups = str(value).strip()[1:-1].replace("[", "(").replace("]", ")").split(")")
            return tuple(_numbers(g.strip(", ("), int) for g in groups if g.strip(", ("))

        return self._get(key, default, parse)

    def get_bool(self, key, default=_REQUIRED):
        return self._get(key, default, lambda v: str(v).strip().lower() in ("true", "1", "t", "y", "yes"))
