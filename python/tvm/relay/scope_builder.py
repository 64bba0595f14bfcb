# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""ScopeBuilder: write nested let and if expressions as straight-line code.

    sb = relay.ScopeBuilder()
    t1 = sb.let("t1", relay.log(x))
    with sb.if_scope(cond):
        sb.ret(t1)
    with sb.else_scope():
        sb.ret(x)
    expr = sb.get()      # let %t1 = log(%x); if (%cond) { %t1 } else { %x }
"""
from . import expr as _expr


class _Scope:
    def __init__(self):
        self.bindings = []  # (var, value) in order
        self.ret = None
        self.pending_if = None  # (cond, true_branch) waiting for its else scope


class _WithScope:
    def __init__(self, on_exit):
        self._on_exit = on_exit

    def __enter__(self):
        return None

    def __exit__(self, ptype, value, trace):
        if value is None:
            self._on_exit()
        return False


class ScopeBuilder:
    """Builds let bindings and if/else scopes into one expression (TVM's relay.ScopeBuilder)."""

    def __init__(self):
        self._scopes = [_Scope()]

    def let(self, var, value):
        """Bind `value` to `var` (a Var, a name, or a (name, type) pair); returns the variable."""
        if isinstance(var, (tuple, list)):
            if len(var) > 2:
                raise ValueError(f"ScopeBuilder.let: expected a (name, type) pair, got {len(var)} items")
            var = _expr.var(*var)
        elif isinstance(var, str):
            var = _expr.var(var)
        self._scopes[-1].bindings.append((var, value))
        return var

    def if_scope(self, cond):
        """A scope holding the true branch of `if (cond)`; an else_scope must follow."""
        self._scopes.append(_Scope())

        def on_exit():
            inner = self._scopes.pop()
            outer = self._scopes[-1]
            if outer.ret is not None:
                raise RuntimeError("ScopeBuilder: a value was returned before this if scope")
            outer.pending_if = (cond, self._close(inner))

        return _WithScope(on_exit)

    def else_scope(self):
        """A scope holding the false branch of the if scope just closed."""
        if self._scopes[-1].pending_if is None:
            raise RuntimeError("ScopeBuilder: else_scope must follow an if_scope")
        self._scopes.append(_Scope())

        def on_exit():
            inner = self._scopes.pop()
            outer = self._scopes[-1]
            cond, true_branch = outer.pending_if
            outer.pending_if = None
            outer.ret = _expr.If(cond, true_branch, self._close(inner))

        return _WithScope(on_exit)

    def type_of(self, expr):
        """The type annotation of a variable bound in an open scope."""
        if isinstance(expr, _expr.Var):
            return expr.type_annotation
        raise TypeError(f"ScopeBuilder.type_of: expected a variable, got {type(expr).__name__}")

    def ret(self, value):
        """The value of the current scope."""
        scope = self._scopes[-1]
        if scope.ret is not None:
            raise RuntimeError("ScopeBuilder: ret was called twice in one scope")
        scope.ret = value

    def get(self):
        """The whole expression (only at the outermost scope)."""
        if len(self._scopes) != 1:
            raise RuntimeError("ScopeBuilder.get: a scope is still open")
        return self._close(self._scopes[0])

    @staticmethod
    def _close(scope):
        if scope.pending_if is not None:
            raise RuntimeError("ScopeBuilder: an if scope has no else scope")
        if scope.ret is None:
            raise RuntimeError("ScopeBuilder: ret was not called in this scope")
        body = scope.ret
        for var, value in reversed(scope.bindings):
            body = _expr.Let(var, value, body)
        return body
