# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The debug executor: evaluates a Relay program node by node.

Each operator call is compiled on first use through its compute (the op's
FTVMCompute, a TOPI function) into an LLVM kernel for the exact input types
of the call, and the kernel is cached by (operator, attributes, input types).
Nothing is fused or optimised: the point is a reference that runs any
well-typed program, to check the compiled paths against. A program that
FuseOps already fused runs too: a call of a Primitive=1 function is an
ordinary closure call whose body runs op by op.

Dataflow (calls, tuples, projections) and let-chains are evaluated with an
explicit stack, so a chain of 100,000 operators runs without recursion;
only calls of Relay functions (closures) nest.
"""
import numpy as np

from ... import ir as _ir
from ... import runtime as _runtime
from ... import te as _te
from ...runtime import ndarray as _nd
from .. import expr as _expr
from .. import function as _function
from .. import ty as _ty
from .. import adt as _adt


class RefValue:
    """The value of relay.RefCreate: a mutable cell."""

    def __init__(self, value):
        self.value = value


class TupleValue(tuple):
    """The value of a tuple: index it for the fields (as TVM's ADT)."""

    @property
    def fields(self):
        return list(self)


class ConstructorValue:
    """A value of an algebraic data type: the constructor's tag and the fields it was given."""

    def __init__(self, tag, fields, constructor):
        self.tag = tag
        self.fields = list(fields)
        self.constructor = constructor

    def __repr__(self):
        return "%s(%s)" % (self.constructor.name_hint, ", ".join(repr(f) for f in self.fields))


def _same_constructor(a, b):
    # Text read back makes new Constructor objects: the type's name and the tag identify one.
    return a.same_as(b) or (a.tag == b.tag and a.belong_to.name_hint == b.belong_to.name_hint)


def _match(pattern, value):
    """The variables `pattern` binds when `value` matches it, else None (an explicit stack)."""
    bound = {}
    stack = [(pattern, value)]
    while stack:
        pat, val = stack.pop()
        if isinstance(pat, _adt.PatternWildcard):
            continue
        if isinstance(pat, _adt.PatternVar):
            bound[pat.var] = val
        elif isinstance(pat, _adt.PatternConstructor):
            if not isinstance(val, ConstructorValue) or not _same_constructor(pat.constructor, val.constructor):
                return None
            stack.extend(zip(pat.patterns, val.fields))
        elif isinstance(pat, _adt.PatternTuple):
            stack.extend(zip(pat.patterns, val))
        else:
            raise NotImplementedError("the debug executor cannot match a %s" % type(pat).__name__)
    return bound


class Closure:
    """A Relay function with the environment it was created in."""

    def __init__(self, func, env):
        self.func = func
        self.env = env


def _as_value(arg):
    if isinstance(arg, (_runtime.ndarray.NDArray, Closure, RefValue, TupleValue, ConstructorValue)):
        return arg
    if isinstance(arg, (tuple, list)):
        return TupleValue(_as_value(a) for a in arg)
    if isinstance(arg, (np.ndarray, np.generic, int, float, bool)):
        return _nd.array(np.asarray(arg))
    raise TypeError("cannot pass a %s to a Relay function" % type(arg).__name__)


def _as_argument(param, arg):
    """arg as a value for param: numpy data converts to the parameter's dtype (as the graph
    executor's set_input does); a tensor whose dtype or static shape disagrees is an error."""
    ptype = param.type_annotation
    if not isinstance(ptype, _ty.TensorType):
        return _as_value(arg)
    if isinstance(arg, (np.ndarray, np.generic, int, float, bool)):
        arg = _nd.array(np.asarray(arg, dtype=ptype.dtype))
    value = _as_value(arg)
    if isinstance(value, _runtime.ndarray.NDArray):
        shape_ok = len(value.shape) == len(ptype.shape) and all(
            not isinstance(d, _ir.IntImm) or int(d) == n
            for d, n in zip(ptype.shape, value.shape))
        if value.dtype != ptype.dtype or not shape_ok:
            raise TypeError("parameter %s is a Tensor[%s, %s], but the argument given is a Tensor[%s, %s]" % (
                param.name_hint, tuple(ptype.shape), ptype.dtype, tuple(value.shape), value.dtype))
    return value


def _concrete_type(value):
    if isinstance(value, _runtime.ndarray.NDArray):
        return _ty.TensorType(list(value.shape), value.dtype)
    if isinstance(value, TupleValue):
        return _ty.TupleType([_concrete_type(v) for v in value])
    raise TypeError("an operator argument must be a tensor or a tuple of tensors, got %s" % type(value).__name__)


def _flatten(value, out):
    if isinstance(value, TupleValue):
        for v in value:
            _flatten(v, out)
    else:
        out.append(value)
    return out


def _signature(value):
    """A hashable description of a value's type, read without building types."""
    if isinstance(value, _runtime.ndarray.NDArray):
        info = value._info()  # pylint: disable=protected-access
        return (tuple(info[1]), str(info[2]))
    if isinstance(value, TupleValue):
        return tuple(_signature(v) for v in value)
    raise TypeError("an operator argument must be a tensor or a tuple of tensors, got %s" % type(value).__name__)


def _has_any(out_type):
    """Whether a (tuple of) tensor type(s) has a relay.Any() dimension."""
    from ...tir import Any  # pylint: disable=import-outside-toplevel

    fields = out_type.fields if isinstance(out_type, _ty.TupleType) else [out_type]
    return any(isinstance(d, Any) for f in fields for d in f.shape)


def _topi_identity(tensor):
    from ... import topi  # pylint: disable=import-outside-toplevel

    return topi.identity(tensor)


class _KernelCache:
    """Compiled kernels, one per (operator, attributes, input types)."""

    def __init__(self, target, device):
        self.target = target
        self.device = device
        self.entries = {}
        self.out_types = {}  # (op, attrs, input types) -> (inferred output type or None, has Any dims)
        self.shape_funcs = {}
        self.attrs_keys = {}  # attrs object -> structural hash (+ the object, for equality)

    def _attrs_key(self, attrs):
        if attrs is None:
            return None
        key = self.attrs_keys.get(attrs)
        if key is None:
            key = self.attrs_keys[attrs] = _ir.structural_hash(attrs)
        return key

    def get(self, op, attrs, type_args, args):
        key = (op.name, self._attrs_key(attrs), tuple(_signature(a) for a in args))
        known = self.out_types.get(key)
        if known is None:
            # The output type for these input types, once per signature, for operators with a
            # shape function: when it has Any dims (dyn.* ops), the shape function gives each
            # call's shape, and the kernel is built for it.
            out_type = None
            if op.get_attr("FShapeFunc") is not None:
                out_type = self._infer_out_type(op, attrs, type_args, [_concrete_type(a) for a in args])
            known = self.out_types[key] = (out_type, out_type is not None and _has_any(out_type))
        out_type, dynamic = known
        if dynamic:
            out_type = self._dynamic_out_type(key, op, attrs, out_type, args)
            key = key + (str(out_type),)
        for other_attrs, kernel in self.entries.get(key, []):
            if other_attrs is attrs or _ir.structural_equal(other_attrs, attrs):
                return kernel
        kernel = self.build(op, attrs, type_args, [_concrete_type(a) for a in args], out_type)
        self.entries.setdefault(key, []).append((attrs, kernel))
        return kernel

    def _infer_out_type(self, op, attrs, type_args, arg_types):
        from .. import transform  # pylint: disable=import-outside-toplevel

        params = [_expr.var("p%d" % i, t) for i, t in enumerate(arg_types)]
        probe = _function.Function(params, _expr.Call(op, params, attrs, type_args))
        probe_mod = transform.InferType()(_ir.IRModule.from_expr(probe))
        return probe_mod["main"].body.checked_type

    def _dynamic_out_type(self, key, op, attrs, inferred, args):
        """The call's output type with the shapes its shape function computes from args."""
        from ... import driver  # pylint: disable=import-outside-toplevel

        fields = inferred.fields if isinstance(inferred, _ty.TupleType) else [inferred]
        flat = []
        for a in args:
            _flatten(a, flat)
        dependent = [bool(v) for v in op.get_attr("TShapeDataDependent")]
        entry = self.shape_funcs.get(key)
        if entry is None:
            inputs, by_value = [], []
            for i, value in enumerate(flat):
                by_value.append(dependent[i] if len(dependent) > 1 else dependent[0])
                if by_value[-1]:
                    inputs.append(_te.placeholder(list(value.shape), value.dtype, name="in%d" % i))
                else:
                    inputs.append(_te.placeholder([len(value.shape)], "int64", name="in%d_shape" % i))
            outs = list(op.get_attr("FShapeFunc")(attrs, inputs, [len(f.shape) for f in fields]))
            sch = _te.create_schedule([o.op for o in outs])
            func = driver.build(sch, inputs + outs, target="llvm", name="relay_shape_" + op.name.replace(".", "_"))
            entry = self.shape_funcs[key] = (func, by_value, [len(f.shape) for f in fields])
        func, by_value, ndims = entry
        cpu = _runtime.cpu(0)
        values = []
        for value, read in zip(flat, by_value):
            # Shape functions run on the CPU: the values they read, or the shapes, are copied there.
            values.append(_nd.array(value.numpy() if read else np.array(value.shape, dtype="int64"), cpu))
        shapes = [_nd.empty((n,), "int64", cpu) for n in ndims]
        func(*values, *shapes)
        concrete = [_ty.TensorType([int(d) for d in shape.numpy()], f.dtype) for shape, f in zip(shapes, fields)]
        return _ty.TupleType(concrete) if isinstance(inferred, _ty.TupleType) else concrete[0]

    def build(self, op, attrs, type_args, arg_types, out_type=None):
        from ... import driver  # pylint: disable=import-outside-toplevel

        compute = op.get_attr("FTVMCompute")
        if compute is None:
            raise NotImplementedError(
                "operator %s has no compute (FTVMCompute): the debug executor cannot run it" % op.name
            )
        # The output type for these exact input types (the program's may hold Any).
        if out_type is None:
            out_type = self._infer_out_type(op, attrs, type_args, arg_types)

        placeholders = []
        for i, t in enumerate(arg_types):
            fields = t.fields if isinstance(t, _ty.TupleType) else [t]
            for j, f in enumerate(fields):
                placeholders.append(_te.placeholder([int(d) for d in f.shape], f.dtype, name="in%d_%d" % (i, j)))
        outs = list(compute(attrs, placeholders, out_type))
        # An output that is an input (batch_norm's moving statistics) still needs a buffer of its own.
        outs = [_topi_identity(o) if any(o.same_as(p) for p in placeholders) else o for o in outs]
        schedule = op.get_attr("FTVMSchedule")
        if schedule is not None:
            sch = schedule(attrs, outs, self.target)
        else:
            sch = _te.create_schedule([o.op for o in outs])
        args = placeholders + outs
        # A prefix keeps kernel symbols apart from the C functions they call (relay.tan's
        # float64 kernel would otherwise be the symbol "tan" and call itself).
        func = driver.build(sch, args, target=self.target, name="relay_op_" + op.name.replace(".", "_"))
        out_types = out_type.fields if isinstance(out_type, _ty.TupleType) else [out_type]
        out_shapes = [([int(d) for d in t.shape], t.dtype) for t in out_types]
        return func, out_shapes, isinstance(out_type, _ty.TupleType)


class Interpreter:
    """Evaluates the functions of an IRModule on a device."""

    def __init__(self, mod, device, target):
        from .. import transform  # pylint: disable=import-outside-toplevel

        self.mod = transform.InferType()(mod) if mod is not None else _ir.IRModule()
        self.device = device
        self.target = target
        self.kernels = _KernelCache(target, device)
        self._calls = {}  # call node -> (op, attrs, type_args), read once

    # ---- the executor interface --------------------------------------------
    def evaluate(self, expr=None, binds=None):
        """The value of expr (a function value is returned as a callable), or
        of the module's main function when expr is None."""
        from .. import transform  # pylint: disable=import-outside-toplevel

        if binds:
            expr = _expr.bind(expr, {k: _expr.const(v) if not isinstance(v, _ir.RelayExpr) else v for k, v in binds.items()})
        if expr is None:
            func = self.mod["main"]
            return self._callable(Closure(func, {}))
        if isinstance(expr, _ir.GlobalVar):
            return self._callable(Closure(self.mod[expr], {}))
        if isinstance(expr, _function.Function):
            mod = _ir.IRModule(dict(self.mod.functions), dict(self.mod.type_definitions))
            mod["main"] = expr
            self.mod = transform.InferType()(mod)
            return self._callable(Closure(self.mod["main"], {}))
        # Any other expression: type it inside the module, then run it.
        mod = _ir.IRModule(dict(self.mod.functions), dict(self.mod.type_definitions))
        mod["__eval_expr__"] = _function.Function([], expr)
        self.mod = transform.InferType()(mod)
        return self._to_python(self._eval(self.mod["__eval_expr__"].body, {}))

    def _callable(self, closure):
        def run(*args, **kwargs):
            params = closure.func.params
            values = list(args)
            if kwargs:
                names = [p.name_hint for p in params]
                for name, v in kwargs.items():
                    if name not in names:
                        raise TypeError("the function has no parameter %r (it has %s)" % (name, names))
                    idx = names.index(name)
                    while len(values) <= idx:
                        values.append(None)
                    values[idx] = v
            if len(values) != len(params):
                raise TypeError("the function takes %d arguments, %d given" % (len(params), len(values)))
            return self._to_python(self._apply(closure, [_as_argument(p, v) for p, v in zip(params, values)]))

        return run

    def _to_python(self, value):
        if isinstance(value, Closure):
            return self._callable(value)
        return value

    # ---- evaluation ---------------------------------------------------------
    def _apply(self, closure, args):
        func = closure.func
        if len(args) != len(func.params):
            raise TypeError("function takes %d arguments, %d given" % (len(func.params), len(args)))
        env = dict(closure.env)
        for p, a in zip(func.params, args):
            env[p] = a
        return self._eval(func.body, env)

    def _eval(self, root, env):
        """Evaluate root with an explicit stack over its dataflow nodes."""
        memo = {}
        stack = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if node in memo:
                continue
            if isinstance(node, _expr.Var):
                if node not in env:
                    raise ValueError("variable %s is used but not bound" % node.name_hint)
                memo[node] = env[node]
                continue
            if isinstance(node, _expr.Constant):
                memo[node] = node.data
                continue
            if isinstance(node, _ir.GlobalVar):
                memo[node] = Closure(self.mod[node], {})
                continue
            if isinstance(node, _function.Function):
                memo[node] = Closure(node, env)
                continue
            if isinstance(node, (_ir.Op, _adt.Constructor)):
                memo[node] = node
                continue
            if isinstance(node, _adt.Match):
                data = self._eval(node.data, env)
                for clause in node.clauses:
                    bound = _match(clause.lhs, data)
                    if bound is not None:
                        local = dict(env)
                        local.update(bound)
                        memo[node] = self._eval(clause.rhs, local)
                        break
                else:
                    raise ValueError("match: no clause matches the value %r" % (data,))
                continue
            if isinstance(node, _expr.Let):
                # let chains: bind in order without recursion, then the body.
                body = node
                local = env
                while isinstance(body, _expr.Let):
                    local = dict(local)
                    value = self._eval(body.value, local)
                    local[body.var] = value
                    body = body.body
                memo[node] = self._eval(body, local)
                continue
            if isinstance(node, _expr.If):
                cond = self._eval(node.cond, env)
                branch = node.true_branch if bool(cond.numpy()) else node.false_branch
                memo[node] = self._eval(branch, env)
                continue
            children = self._children(node)
            if not expanded:
                stack.append((node, True))
                for c in reversed(children):
                    if c not in memo:
                        stack.append((c, False))
                continue
            memo[node] = self._compute(node, [memo[c] for c in children])
        return memo[root]

    @staticmethod
    def _children(node):
        if isinstance(node, _expr.Call):
            return [node.op] + list(node.args)
        if isinstance(node, _expr.Tuple):
            return list(node.fields)
        if isinstance(node, _expr.TupleGetItem):
            return [node.tuple_value]
        if isinstance(node, _expr.RefCreate):
            return [node.value]
        if isinstance(node, _expr.RefRead):
            return [node.ref]
        if isinstance(node, _expr.RefWrite):
            return [node.ref, node.value]
        raise NotImplementedError("the debug executor cannot evaluate a %s" % type(node).__name__)

    def _compute(self, node, values):
        if isinstance(node, _expr.Tuple):
            return TupleValue(values)
        if isinstance(node, _expr.TupleGetItem):
            return values[0][node.index]
        if isinstance(node, _expr.RefCreate):
            return RefValue(values[0])
        if isinstance(node, _expr.RefRead):
            return values[0].value
        if isinstance(node, _expr.RefWrite):
            values[0].value = values[1]
            return TupleValue([])
        callee, args = values[0], values[1:]
        if isinstance(callee, _adt.Constructor):
            return ConstructorValue(callee.tag, args, callee)
        if isinstance(callee, Closure):
            return self._apply(callee, args)
        return self._call_op(node, args)

    def _call_op(self, call, args):
        info = self._calls.get(call)
        if info is None:
            info = self._calls[call] = (call.op, call.attrs, call.type_args)
        func, out_types, is_tuple = self.kernels.get(info[0], info[1], info[2], args)
        inputs = []
        for a in args:
            _flatten(a, inputs)
        outs = [_nd.empty(shape, dtype, self.device) for shape, dtype in out_types]
        func(*inputs, *outs)
        return TupleValue(outs) if is_tuple else outs[0]
