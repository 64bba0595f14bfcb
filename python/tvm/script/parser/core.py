# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The TVMScript parser: Python source (read with `ast`) to loop IR.

The parser walks the statements of a decorated function and builds IR
through the `T` namespace (parser/tir.py) and its frame builder
(parser/builder.py). Expressions are evaluated as Python, with the names
of the function's globals and closure, plus the script's own variables;
comparisons and `and`/`or`/`not` on IR expressions build IR nodes instead
of asking Python for a bool:

    i < n and A[i] > 0.0      ->  And(LT(i, n), GT(A[i], 0.0))

Errors name the file, line and column of the user's source.
"""
import ast
import builtins
import inspect
import linecache
import operator
import sys
import textwrap
import threading

from ... import ir as _ir
from ... import tir as _tir
from ...error import DiagnosticError, TVMError
from ...runtime.container import convert
from . import tir as T
from .builder import Builder, Frame, building, current_builder

# ---------------------------------------------------------------------------
# Source and diagnostics


class Source:
    """The text of a script and where it sits in its file."""

    def __init__(self, text, filename="<str>", start_line=1, full_lines=None):
        lines = text.splitlines()
        first = next((line for line in lines if line.strip()), "")
        self.indent = len(first) - len(first.lstrip())
        self.text = textwrap.dedent(text)
        self.filename = filename
        self.start_line = start_line
        self.lines = full_lines if full_lines is not None else text.splitlines()
        self.lines_start = 1 if full_lines is not None else start_line

    @staticmethod
    def of(obj):
        """The source of a function or class."""
        try:
            lines, start = inspect.getsourcelines(obj)
        except (OSError, TypeError) as err:
            raise DiagnosticError(f"cannot read the source of {getattr(obj, '__name__', obj)!r}: {err}") from None
        filename = inspect.getsourcefile(obj) or "<unknown>"
        full = linecache.getlines(filename)
        return Source("".join(lines), filename, start, full if full else None)

    def as_ast(self):
        try:
            return ast.parse(self.text)
        except SyntaxError as err:
            line = self.start_line + (err.lineno or 1) - 1
            col = (err.offset or 1) + self.indent
            raise DiagnosticError(f"{self.filename}:{line}:{col}: error: {err.msg}") from None

    def position(self, node):
        """(line, column), 1-based, of node in the file."""
        line = self.start_line + getattr(node, "lineno", 1) - 1
        col = getattr(node, "col_offset", 0) + self.indent + 1
        return line, col

    def format(self, node, message):
        line, col = self.position(node)
        text = f"{self.filename}:{line}:{col}: error: {message}"
        index = line - self.lines_start
        if 0 <= index < len(self.lines):
            code = self.lines[index].rstrip("\n")
            width = 1
            end_line = getattr(node, "end_lineno", None)
            end_col = getattr(node, "end_col_offset", None)
            if end_line == getattr(node, "lineno", None) and end_col is not None:
                width = max(1, end_col - node.col_offset)
            text += f"\n  {code}\n  {' ' * (col - 1)}{'^' * width}"
        return text


def _message_of(err):
    """The user-facing line(s) of an exception raised while building IR."""
    if isinstance(err, TVMError):
        lines = [line for line in str(err).split("\n") if line.strip()]
        # A C++ error carries a trace of frames; its message is the last line.
        return lines[-1] if lines else type(err).__name__
    if isinstance(err, KeyError):
        return f"KeyError: {err}"
    return f"{type(err).__name__}: {err}" if not isinstance(err, (ValueError, TypeError)) else str(err)


# ---------------------------------------------------------------------------
# Operators that build IR


def _is_ir_expr(value):
    return isinstance(value, (_ir.PrimExpr, _tir.IterVar))


def _as_expr(value):
    if isinstance(value, _tir.IterVar):
        return value.var
    return value


def _lanes(value):
    from ...runtime import DataType  # pylint: disable=import-outside-toplevel

    return DataType(str(value.dtype)).lanes


def _broadcast_operands(a, b):
    """Make two comparison operands IR expressions of matching lanes (a number takes the other's type)."""
    from ...runtime import DataType  # pylint: disable=import-outside-toplevel

    def scalar_type(dtype):
        text = str(dtype)
        return text.split("x")[0] if DataType(text).lanes > 1 else text

    def lift(num, other):
        if isinstance(num, bool):
            return _tir.IntImm("bool", num)
        if isinstance(num, int):
            if _is_ir_expr(other):
                code = DataType(str(other.dtype)).type_code
                if code in (0, 1):  # int, uint
                    return _tir.IntImm(scalar_type(other.dtype), num)
                if code == 2:
                    return _tir.FloatImm(scalar_type(other.dtype), num)
            if isinstance(other, float):
                return _tir.FloatImm("float32", num)
            return _tir.IntImm("int32" if -(2**31) <= num < 2**31 else "int64", num)
        if isinstance(num, float):
            if _is_ir_expr(other) and DataType(str(other.dtype)).type_code == 2:
                return _tir.FloatImm(scalar_type(other.dtype), num)
            return _tir.FloatImm("float32", num)
        return num

    a, b = _as_expr(a), _as_expr(b)
    a = lift(a, b)
    b = lift(b, a)
    if not (_is_ir_expr(a) and _is_ir_expr(b)):
        raise TypeError(f"cannot compare {type(a).__name__} with {type(b).__name__}")
    la, lb = _lanes(a), _lanes(b)
    if la != lb:
        if la == 1:
            a = _tir.Broadcast(a, lb)
        elif lb == 1:
            b = _tir.Broadcast(b, la)
        else:
            raise TypeError(f"cannot compare vectors of {la} and {lb} lanes")
    return a, b


_COMPARE_NODES = {
    ast.Eq: _tir.EQ,
    ast.NotEq: _tir.NE,
    ast.Lt: _tir.LT,
    ast.LtE: _tir.LE,
    ast.Gt: _tir.GT,
    ast.GtE: _tir.GE,
}
_PY_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_PY_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
    ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
    ast.BitAnd: operator.and_,
    ast.MatMult: operator.matmul,
}


def _logical(op, a, b):
    """a and/or b: an IR node when either side is an IR expression."""
    if not (_is_ir_expr(a) or _is_ir_expr(b)):
        return (a and b) if op is ast.And else (a or b)
    a = _tir.IntImm("bool", a) if isinstance(a, bool) else _as_expr(a)
    b = _tir.IntImm("bool", b) if isinstance(b, bool) else _as_expr(b)
    if _lanes(a) > 1 or _lanes(b) > 1:
        return (a & b) if op is ast.And else (a | b)
    return _tir.And(a, b) if op is ast.And else _tir.Or(a, b)


# ---------------------------------------------------------------------------
# The parser

_current = threading.local()


class _ModuleNamespace:
    """The class name inside an @I.ir_module: Module.f is the GlobalVar of function f."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        raise AttributeError(f"Cannot find the function `{attr}` in the IRModule {self._name}")


class Parser:
    """Parses one script (a function, a class, or source text)."""

    def __init__(self, source, global_vars):
        self.source = source
        self.globals = global_vars
        self.scopes = [{}]
        self.builder = Builder()
        self.function_ret_dtypes = {}
        # The decorator the object handed to parse_object was called with, for
        # a function that is parsed without one written (T.prim_func(f)).
        self.undecorated = None

    # --- errors ------------------------------------------------------------

    def error(self, node, message):
        err = DiagnosticError(self.source.format(node, message))
        err.located = True
        raise err from None

    def _wrap(self, node, func, *args):
        try:
            return func(*args)
        except DiagnosticError as err:
            if getattr(err, "located", False):
                raise
            self.error(node, str(err))  # raised by a T.* helper: give it the position
            raise
        except RecursionError:
            raise
        except Exception as err:  # pylint: disable=broad-except
            self.error(node, _message_of(err))
            raise

    # --- names -------------------------------------------------------------

    def lookup(self, name, node):
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        if name in self.globals:
            return self.globals[name]
        if hasattr(builtins, name):
            return getattr(builtins, name)
        self.error(node, f"Undefined variable: {name}")
        return None

    def bind(self, name, value):
        self.scopes[-1][name] = value

    def known(self, value):
        """Whether value is already bound to some name of the script."""
        for scope in self.scopes:
            for bound in scope.values():
                if isinstance(bound, _tir.Var) and bound.same_as(value):
                    return True
        return False

    class _Scope:
        def __init__(self, parser):
            self.parser = parser

        def __enter__(self):
            self.parser.scopes.append({})

        def __exit__(self, *args):
            self.parser.scopes.pop()

    def scope(self):
        return Parser._Scope(self)

    def namespace(self):
        """All names visible now, for evaluating a Python construct as a whole."""
        names = dict(self.globals)
        for scope in self.scopes:
            names.update(scope)
        return names

    # --- expressions -------------------------------------------------------

    def eval(self, node):
        method = getattr(self, "_eval_" + type(node).__name__, None)
        if method is None:
            return self._wrap(node, self._eval_python, node)
        return self._wrap(node, method, node)

    def _eval_python(self, node):
        expr = ast.Expression(body=node)
        ast.fix_missing_locations(expr)
        code = compile(expr, self.source.filename, "eval")
        return eval(code, self.namespace())  # pylint: disable=eval-used

    def _eval_Constant(self, node):
        return node.value

    def _eval_Name(self, node):
        return self.lookup(node.id, node)

    def _eval_Attribute(self, node):
        value = self.eval(node.value)
        return getattr(value, node.attr)

    def _eval_Starred(self, node):
        return self.eval(node.value)

    def _eval_elements(self, elts):
        result = []
        for elt in elts:
            if isinstance(elt, ast.Starred):
                result.extend(self.eval(elt.value))
            else:
                result.append(self.eval(elt))
        return result

    def _eval_Tuple(self, node):
        return tuple(self._eval_elements(node.elts))

    def _eval_List(self, node):
        return self._eval_elements(node.elts)

    def _eval_Set(self, node):
        return set(self._eval_elements(node.elts))

    def _eval_Dict(self, node):
        result = {}
        for key, value in zip(node.keys, node.values):
            if key is None:
                result.update(self.eval(value))
            else:
                result[self.eval(key)] = self.eval(value)
        return result

    def _eval_Slice(self, node):
        lower = self.eval(node.lower) if node.lower is not None else None
        upper = self.eval(node.upper) if node.upper is not None else None
        step = self.eval(node.step) if node.step is not None else None
        return slice(lower, upper, step)

    def _eval_Index(self, node):  # Python < 3.9
        return self.eval(node.value)

    def _eval_IfExp(self, node):
        test = self.eval(node.test)
        if _is_ir_expr(test):
            raise TypeError(
                "a conditional expression cannot test an IR value; use T.if_then_else(cond, a, b) or T.Select"
            )
        return self.eval(node.body) if test else self.eval(node.orelse)

    def _eval_BinOp(self, node):
        left = self.eval(node.left)
        right = self.eval(node.right)
        return _PY_BINARY[type(node.op)](_as_expr(left), _as_expr(right))

    def _eval_UnaryOp(self, node):
        operand = self.eval(node.operand)
        if isinstance(node.op, ast.Not):
            if _is_ir_expr(operand):
                return _tir.Not(_as_expr(operand))
            return not operand
        operand = _as_expr(operand)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return +operand
        return ~operand

    def _eval_Compare(self, node):
        value = self.eval(node.left)
        for op, right_node in zip(node.ops, node.comparators):
            right = self.eval(right_node)
            node_type = _COMPARE_NODES.get(type(op))
            if node_type is not None and (_is_ir_expr(value) or _is_ir_expr(right)):
                value = node_type(*_broadcast_operands(value, right))
            else:
                value = _PY_COMPARE[type(op)](value, right)
        return value

    def _eval_BoolOp(self, node):
        value = self.eval(node.values[0])
        for item in node.values[1:]:
            value = _logical(type(node.op), value, self.eval(item))
        return value

    def _eval_Subscript(self, node, region=False):
        value = self.eval(node.value)
        index_node = node.slice
        if isinstance(index_node, ast.Tuple):
            indices = self._eval_elements(index_node.elts)
        else:
            indices = self.eval(index_node)
            # A buffer indexed by a tuple or list of indices (A[iters]) takes them all.
            is_many = isinstance(value, _tir.Buffer) and isinstance(indices, (tuple, list, _ir.Array))
            indices = list(indices) if is_many else [indices]
        if isinstance(value, _tir.Buffer):
            if region:
                return T.buffer_region(value, indices)
            return _tir.BufferLoad(value, [T._index_of(value, i, index) for i, index in enumerate(indices)])
        if isinstance(index_node, ast.Tuple):
            return value[tuple(indices)]
        return value[indices[0]]

    def _eval_Call(self, node):
        func = self.eval(node.func)
        region_args = func in (T.realize, T.prefetch)
        args = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                args.extend(self.eval(arg.value))
            elif region_args and isinstance(arg, ast.Subscript):
                args.append(self._wrap(arg, self._eval_Subscript, arg, True))
            else:
                args.append(self.eval(arg))
        kwargs = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                kwargs.update(self.eval(keyword.value))
            else:
                kwargs[keyword.arg] = self.eval(keyword.value)
        if isinstance(func, _ir.GlobalVar):
            if kwargs:
                raise TypeError(f"a call of {func.name_hint} takes positional arguments only")
            dtype = self.function_ret_dtypes.get(func.name_hint, "void")
            return _tir.Call(dtype, func, [_as_expr(a) for a in args])
        return func(*args, **kwargs)

    # --- statements --------------------------------------------------------

    def visit_body(self, stmts):
        for stmt in stmts:
            self.visit(stmt)

    def visit(self, node):
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            self.error(node, f"{type(node).__name__} statements are not supported in TVMScript")
        self._wrap(node, method, node)

    def visit_Pass(self, node):
        pass

    def visit_Expr(self, node):
        value = self.eval(node.value)
        if value is None or isinstance(value, str):
            return  # statement helpers add themselves; strings are docstrings
        if isinstance(value, Frame):
            self.builder.push(value, implicit=True)
        elif isinstance(value, _ir.PrimExpr):
            T.evaluate(value)
        elif isinstance(value, (bool, int)):
            T.evaluate(_tir.const(value))
        else:
            self.error(node, f"a statement evaluated to a {type(value).__name__}, which is not IR")

    def _bind_target(self, target, value, bind_one):
        """Assign value to a Name / Tuple target, calling bind_one(name, value, node) per name."""
        if isinstance(target, ast.Name):
            self.bind(target.id, bind_one(target.id, value, target))
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = list(value.value if isinstance(value, T.meta_var) else value)
            starred = [i for i, elt in enumerate(target.elts) if isinstance(elt, ast.Starred)]
            if len(starred) > 1:
                self.error(target, "only one starred name is allowed in an assignment")
            if starred:
                # a, *rest, b = values: the starred name takes what the others leave.
                k = starred[0]
                after = len(target.elts) - k - 1
                if len(values) < len(target.elts) - 1:
                    self.error(target, f"cannot unpack {len(values)} values into {len(target.elts) - 1}+ names")
                middle = values[k : len(values) - after]
                values = values[:k] + [middle] + values[len(values) - after :]
                elts = target.elts[:k] + [target.elts[k].value] + target.elts[k + 1 :]
            else:
                elts = target.elts
            if len(values) != len(elts):
                self.error(target, f"cannot unpack {len(values)} values into {len(elts)} names")
            for elt, item in zip(elts, values):
                self._bind_target(elt, T.meta_var(item) if isinstance(value, T.meta_var) else item, bind_one)
        else:
            self.error(target, "can only assign to names, tuples of names, or buffer elements")

    def _bind_loop_var(self, name, value, node):
        if isinstance(value, (list, tuple)):
            # `for iters in T.grid(...)`: one name for all the loop variables.
            for i, item in enumerate(value):
                self._bind_loop_var(f"{name}_{i}", item, node)
            return list(value)
        if not isinstance(value, _tir.Var):
            self.error(node, f"cannot bind a loop variable to {type(value).__name__}")
        T._name(value, name)
        return value

    def _bind_assign(self, name, value, node):
        if isinstance(value, T.meta_var):
            return value.value
        if isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                self._bind_assign(f"{name}_{i}", item, node)
            return value
        if isinstance(value, Frame):
            value = self.builder.push(value, implicit=True)
            if isinstance(value, (_tir.Var, _tir.Buffer)):
                T._name(value, name)
            return value
        if isinstance(value, (_tir.Buffer, _tir.IterVar)) or (isinstance(value, _tir.Var) and not self.known(value)):
            T._name(value, name)
            return value
        if isinstance(value, (_ir.PrimExpr, bool, int, float)):
            frame = T.LetStmt(value)
            var = self.builder.push(frame, implicit=True)
            T._name(var, name)
            return var
        return value  # another Python value (a dtype string, a function): for the parser only

    def visit_Assign(self, node):
        if len(node.targets) != 1:
            self.error(node, "Consequential assignments like 'a = b = c' are not supported.")
        target = node.targets[0]
        value = self.eval(node.value)
        if isinstance(target, ast.Subscript):
            self._store(target, value)
        else:
            self._bind_target(target, value, self._bind_assign)

    def _store(self, target, value):
        buf = self.eval(target.value)
        if isinstance(target.slice, ast.Tuple):
            indices = self._eval_elements(target.slice.elts)
        else:
            indices = self.eval(target.slice)
            indices = list(indices) if isinstance(indices, (tuple, list, _ir.Array)) else [indices]
        if not isinstance(buf, _tir.Buffer):
            self.error(target.value, f"cannot store into a {type(buf).__name__}: only buffers can be assigned by index")
        self._wrap(target, T.buffer_store, buf, value, indices)

    def visit_AugAssign(self, node):
        target = node.target
        rhs = self.eval(node.value)
        load = ast.copy_location(ast.Subscript(target.value, target.slice, ast.Load()), target) if isinstance(
            target, ast.Subscript
        ) else ast.copy_location(ast.Name(target.id, ast.Load()), target) if isinstance(target, ast.Name) else None
        if load is None:
            self.error(target, "can only update names or buffer elements")
        current = self.eval(load)
        value = self._wrap(node, _PY_BINARY[type(node.op)], _as_expr(current), _as_expr(rhs))
        if isinstance(target, ast.Subscript):
            self._store(target, value)
        else:
            self._bind_target(target, value, self._bind_assign)

    def visit_AnnAssign(self, node):
        annotation = self.eval(node.annotation)
        if callable(annotation) and not isinstance(annotation, _tir.Var):
            annotation = self._wrap(node.annotation, annotation)
        if not isinstance(annotation, _tir.Var):
            self.error(node.annotation, "the annotation of a let binding must be a type such as T.int32")
        if node.value is None:
            self.error(node, f"{getattr(node.target, 'id', 'the variable')}: a let binding needs a value")
        value = self.eval(node.value)
        if not isinstance(node.target, ast.Name):
            self.error(node.target, "only a name can be bound with an annotation")
        T._name(annotation, node.target.id)
        self.builder.push(T.LetFrame(annotation, convert(value)), implicit=True)
        self.bind(node.target.id, annotation)

    def visit_For(self, node):
        if node.orelse:
            self.error(node, "for ... else is not supported in TVMScript")
        frame = self.eval(node.iter)
        if not isinstance(frame, T.ForFrame):
            self.error(
                node.iter,
                "Expect the for loop to be one of the following: "
                "range, T.serial, T.grid, T.parallel, T.vectorized, T.unroll, T.thread_binding",
            )
        with self.scope():
            loop_vars = self.builder.push(frame)
            self._bind_target(node.target, loop_vars, self._bind_loop_var)
            self.visit_body(node.body)
            self.builder.pop(frame)

    def visit_While(self, node):
        if node.orelse:
            self.error(node, "while ... else is not supported in TVMScript")
        frame = T.While(self.eval(node.test))
        with self.scope():
            self.builder.push(frame)
            self.visit_body(node.body)
            self.builder.pop(frame)

    def visit_If(self, node):
        condition = self.eval(node.test)
        frame = T.If(condition)
        self.builder.push(frame)
        for branch, body in ((T.Then(), node.body), (T.Else(), node.orelse)):
            if branch is not None and body:
                with self.scope():
                    self.builder.push(branch)
                    self.visit_body(body)
                    self.builder.pop(branch)
        self.builder.pop(frame)

    def visit_With(self, node):
        frames = []
        with self.scope():
            for item in node.items:
                frame = self.eval(item.context_expr)
                if not isinstance(frame, Frame):
                    self.error(item.context_expr, "Invalid context expression in the with-statement.")
                value = self.builder.push(frame)
                frames.append(frame)
                if item.optional_vars is not None:
                    self._bind_target(item.optional_vars, value, self._bind_with)
            self.visit_body(node.body)
            for frame in reversed(frames):
                self.builder.pop(frame)

    def _bind_with(self, name, value, node):
        if isinstance(value, (_tir.Var, _tir.Buffer)):
            T._name(value, name)
            return value
        self.error(node, f"Do not know how to bind type: {type(value)} in with statement")
        return None

    def visit_Assert(self, node):
        condition = self.eval(node.test)
        message = self.eval(node.msg) if node.msg is not None else ""
        self.builder.push(T.Assert(condition, message), implicit=True)

    def visit_Return(self, node):
        self.error(node, "Return is not allowed.")

    def visit_FunctionDef(self, node):
        if self.builder.frames:
            self.error(node, "a function cannot be defined inside a T.prim_func")
        return self.parse_function(node)

    def visit_ClassDef(self, node):
        self.error(node, "a class is only allowed as an @I.ir_module")

    # --- functions and modules ---------------------------------------------

    def _decorator_of(self, node):
        if not node.decorator_list:
            if self.undecorated is not None:
                return self.undecorated, self.undecorated.dispatch_token
            self.error(node, "Function must be decorated")
        decorator = self.eval(node.decorator_list[-1])
        token = getattr(decorator, "dispatch_token", None)
        if token is None:
            self.error(node.decorator_list[-1], "The parser does not understand the decorator")
        return decorator, token

    def parse_function(self, node):
        decorator, token = self._decorator_of(node)
        if token != "tir":
            self.error(node.decorator_list[-1], "only @T.prim_func functions can be parsed here")
        args = node.args
        for unsupported, what in (
            (args.vararg, "*args"),
            (args.kwarg, "**kwargs"),
            (args.kwonlyargs, "keyword-only parameters"),
            (args.defaults, "default values"),
            (getattr(args, "posonlyargs", None), "positional-only parameters"),
        ):
            if unsupported:
                self.error(node, f"{node.name}: {what} are not supported in a T.prim_func")
        frame = T.PrimFuncFrame(node.name, getattr(decorator, "private", False))
        with self.scope():
            self.bind("range", T.serial)
            self.builder.push(frame)
            for param in args.args:
                if param.annotation is None:
                    self.error(param, "Type annotation required for function parameters.")
                annotation = self.eval(param.annotation)
                if callable(annotation):
                    annotation = self._wrap(param.annotation, annotation)
                self.bind(param.arg, self._wrap(param, T.arg, param.arg, annotation))
            if node.returns is not None:
                ret = self.eval(node.returns)
                if callable(ret):
                    ret = self._wrap(node.returns, ret)
                if isinstance(ret, _ir.PrimExpr):
                    frame.ret_type = _ir.PrimType(str(ret.dtype))
                elif ret is not None:
                    frame.ret_type = ret
            self.visit_body(node.body)
            self.builder.pop(frame)
        return frame.func

    def parse_module(self, node):
        decorator, token = self._decorator_of(node) if node.decorator_list else (None, "ir")
        if token != "ir":
            self.error(node, "a class must be decorated with @I.ir_module")
        from . import ir as I  # pylint: disable=import-outside-toplevel

        module = I.ModuleFrame()
        namespace = _ModuleNamespace(node.name)
        with self.scope():
            self.bind(node.name, namespace)
            with I.module_building(module):
                for stmt in node.body:
                    if not isinstance(stmt, ast.FunctionDef):
                        self._module_statement(stmt)
            functions = [stmt for stmt in node.body if isinstance(stmt, ast.FunctionDef)]
            for stmt in functions:
                _, token = self._decorator_of(stmt)
                if token != "tir":
                    self.error(stmt, "only @T.prim_func functions can be part of an @I.ir_module here")
                gv = _ir.GlobalVar(stmt.name)
                setattr(namespace, stmt.name, gv)
                module.global_vars[stmt.name] = gv
                if stmt.returns is not None:
                    ret = self.eval(stmt.returns)
                    if callable(ret):
                        ret = ret()
                    if isinstance(ret, _ir.PrimExpr):
                        self.function_ret_dtypes[stmt.name] = str(ret.dtype)
            for stmt in functions:
                module.functions[stmt.name] = self.parse_function(stmt)
        return module.build()

    def _module_statement(self, stmt):
        if isinstance(stmt, ast.Expr):
            if isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                return  # docstring
            self.eval(stmt.value)
        elif isinstance(stmt, ast.Assign):
            value = self.eval(stmt.value)
            for target in stmt.targets:
                self._bind_target(target, value, lambda name, v, n: v)
        elif not isinstance(stmt, ast.Pass):
            self.error(stmt, f"{type(stmt).__name__} statements are not supported in an @I.ir_module class")

    def parse_tree(self, tree):
        """The IR of the first function or class of a parsed module."""
        for stmt in tree.body:
            if isinstance(stmt, ast.FunctionDef):
                return self.parse_function(stmt)
            if isinstance(stmt, ast.ClassDef):
                return self.parse_module(stmt)
        raise DiagnosticError(f"{self.source.filename}: no function or class to parse")

    def run(self, tree):
        with building(self.builder):
            stack = getattr(_current, "stack", None)
            if stack is None:
                stack = _current.stack = []
            stack.append(self)
            try:
                return self.parse_tree(tree)
            finally:
                stack.pop()


# ---------------------------------------------------------------------------
# Entry points


def _function_captures(func):
    names = dict(func.__globals__)
    try:
        names.update(inspect.getclosurevars(func).nonlocals)
    except (TypeError, ValueError):
        pass
    return names


def _class_captures(cls):
    names = {}
    for value in cls.__dict__.values():
        if inspect.isfunction(value):
            names.update(_function_captures(value))
    return names


def _default_names():
    from . import ir as I  # pylint: disable=import-outside-toplevel
    import tvm  # pylint: disable=import-outside-toplevel

    return {"T": T, "I": I, "tvm": tvm}


def parse_object(obj, extra_vars=None, caller_locals=None, decorator=None):
    """Parse a decorated Python function (PrimFunc) or class (IRModule).

    Names resolve as in the function: its globals, then the locals of the
    scope that decorates it (annotations such as T.Buffer((n,), dtype) are
    evaluated there), then its closure.
    """
    source = Source.of(obj)
    names = _default_names()
    captured = _class_captures(obj) if inspect.isclass(obj) else _function_captures(obj)
    closure = {k: v for k, v in captured.items() if k not in getattr(obj, "__globals__", {})}
    names.update(captured)
    if caller_locals:
        names.update(caller_locals)
    names.update(closure)
    if extra_vars:
        names.update(extra_vars)
    parser = Parser(source, names)
    if decorator is not None:
        parser.undecorated = decorator
    return parser.run(source.as_ast())


def from_source(text, extra_vars=None):
    """Parse TVMScript text (e.g. the output of script()): a PrimFunc or an IRModule.

    The names T, I and tvm are predefined; extra_vars adds more.
    """
    if not isinstance(text, str):
        raise TypeError(f"from_source expects a str, got {type(text).__name__}")
    source = Source(text)
    names = _default_names()
    if extra_vars:
        names.update(extra_vars)
    parser = Parser(source, names)
    return parser.run(source.as_ast())


def parse(program, extra_vars=None):
    """Parse a function, class or source text (tvm.script.parse)."""
    if isinstance(program, str):
        return from_source(program, extra_vars)
    return parse_object(program, extra_vars)


def current_parser():
    stack = getattr(_current, "stack", None)
    if not stack:
        raise DiagnosticError("a T.macro can only be used inside a parsed function")
    return stack[-1]


def expand_macro(macro, args, kwargs):
    """Paste the body of macro (a T.macro) at the statement being parsed."""
    parser = current_parser()
    if not hasattr(macro, "_tree"):
        source = Source.of(macro.func)
        tree = source.as_ast()
        definition = next(
            (stmt for stmt in tree.body if isinstance(stmt, ast.FunctionDef) and stmt.name == macro.func.__name__), None
        )
        if definition is None:
            raise DiagnosticError(f"cannot find the definition of the macro {macro.func.__name__}")
        macro._tree = (source, definition)  # pylint: disable=protected-access
    source, definition = macro._tree  # pylint: disable=protected-access
    binding = inspect.signature(macro.func).bind(*args, **kwargs)
    binding.apply_defaults()
    saved = (parser.source, parser.globals, parser.scopes)
    parser.source = source
    if macro.hygienic:
        parser.globals = _function_captures(macro.func)
        parser.globals.setdefault("T", T)
        parser.scopes = [{"range": T.serial}, dict(binding.arguments)]
    else:
        parser.scopes = parser.scopes + [dict(binding.arguments)]
    try:
        parser.visit_body(definition.body)
    finally:
        parser.source, parser.globals, parser.scopes = saved
    return None
