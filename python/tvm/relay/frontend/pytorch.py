# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""TorchScript (torch.jit.trace / torch.jit.script) into Relay.

How the import works:

- The graph is copied and inlined (method calls of submodules become their
  bodies), then its nodes are visited once, in order. Every TorchScript value
  maps to one of: a Relay expression (tensors), a Python value (ints, floats,
  lists, dtypes, devices, None; a static `x.size(0)` is a Python int), a
  torch.Tensor constant, or a module reference (`self.conv1`).
- Input dimensions given as relay.Any() (or None, -1) stay dynamic: the size of
  such a dimension is a 0-d int64 expression computed at run time, and the
  converters that take sizes (view/reshape, linear, bmm) build the dynamic
  forms; the module then runs on the Relay VM (relay.vm.compile).
- A node whose inputs are all Python values or torch constants is evaluated
  by torch itself (a one-node TorchScript function), so shape arithmetic,
  `torch.arange(n)`, `torch.ones(...)` and friends fold exactly as torch
  computes them. Other nodes go through a converter of this file (or of the
  user's custom_convert_map).
- Parameters and buffers reached through prim::GetAttr become free variables
  named by their attribute path ("layer1.0.conv1.weight"), returned in params.
- Operators without a converter are collected, not raised one by one: the
  import carries on past them and finally raises one OpNotImplemented listing
  every such node with its source location and the nearest supported names.
- Spans (unless PassContext config "relay.frontend.fill_span" is off): every node gets a
  source name "<kind>_<n>" ("aten::_convolution_0": the n-th node of that kind, TVM's
  numbering), and the expressions its converter creates get that span. A graph input or
  parameter gets the span "<first consumer>.<name>" ("aten::_convolution_0.input0",
  "aten::_convolution_0.weight": the attribute's last component).
- prim::If and prim::Loop are resolved at import when their condition and
  trip count are static (scripted `if self.training`, loops over a constant
  range are unrolled); otherwise the import stops with an error naming the
  node, since the graph executor runs data-flow graphs only.
"""
import difflib

import numpy as np

from ... import nd as _nd
from ... import ir as _ir
from ...error import OpNotImplemented
from .. import expr as _expr
from .. import function as _function
from .. import op as _op
from .. import ty as _ty
from ..transform import InferTypeLocal
from .common import SpanFiller, set_span, span_filling_enabled
from .pytorch_utils import SCALAR_TYPES, torch_dtype_to_str, source_location, scalar_name_to_dtype

__all__ = ["from_pytorch"]


class _ModuleRef:
    """A submodule (or the root module) reached through prim::GetAttr."""

    def __init__(self, obj, path):
        self.obj = obj
        self.path = path


class _Poison:
    """The value of an output of an operator that could not be converted."""


_POISON = _Poison()
_NO_DEFAULT = object()

# Nodes never evaluated by torch at import even when their inputs are static: they are random.
_NONDETERMINISTIC = {
    "aten::rand", "aten::randn", "aten::rand_like", "aten::randn_like", "aten::randint", "aten::randint_like",
    "aten::randperm", "aten::normal", "aten::bernoulli", "aten::bernoulli_", "aten::uniform_", "aten::normal_",
    "aten::multinomial",
    # Uninitialised memory: converted to zeros instead of folding whatever torch's allocator held.
    "aten::empty", "aten::empty_like", "aten::new_empty",
}


def _is_expr(value):
    return isinstance(value, _expr.RelayExpr)


def _contains_expr(value):
    if _is_expr(value) or isinstance(value, (_ModuleRef, _Poison)):
        return True
    if isinstance(value, (list, tuple)):
        return any(_contains_expr(v) for v in value)
    return False


def _contains_poison(value):
    if isinstance(value, _Poison):
        return True
    if isinstance(value, (list, tuple)):
        return any(_contains_poison(v) for v in value)
    return False


class PyTorchOpConverter:
    """Converts the nodes of one inlined TorchScript graph into Relay."""

    def __init__(self, torch, default_dtype, custom_convert_map, use_parser_friendly_name):
        self.torch = torch
        self.default_dtype = default_dtype
        self.custom_convert_map = dict(custom_convert_map or {})
        self.use_parser_friendly_name = use_parser_friendly_name
        self.values = {}  # torch Value -> converted value
        self.params = {}  # param name -> (relay Var, numpy array)
        self.param_order = []
        self.unsupported = []  # (kind, location) of nodes without a converter
        self.types = {}
        self.source_names = {}  # torch Node -> its span's source name ("aten::relu_0")
        self.param_leaf = {}  # parameter Var -> its attribute's name ("weight"), for its span
        self.tagged_vars = {}  # graph input / parameter Var -> its copy with a span
        self.dim_exprs = {}  # (tensor expression, axis) -> its run-time extent (dim_expr)
        self.convert_map = self._build_convert_map()

    # ------------------------------------------------------------------ types and shapes
    def infer_type(self, expr):
        """The type of expr. Each new node is inferred on its own, with its arguments replaced by
        variables of their known types, so importing n operators costs O(n), not O(n^2)."""
        found = self.types.get(expr)
        if found is not None:
            return found
        stack = [(expr, False)]
        while stack:
            node, ready = stack.pop()
            if node in self.types:
                continue
            children = self._children(node)
            if not ready and children is not None:
                stack.append((node, True))
                stack.extend((c, False) for c in children if c not in self.types)
                continue
            self.types[node] = self._infer_one(node)
        return self.types[expr]

    @staticmethod
    def _children(node):
        if isinstance(node, _expr.Call) and isinstance(node.op, _ir.Op):
            return list(node.args)
        if isinstance(node, _expr.Tuple):
            return list(node.fields)
        if isinstance(node, _expr.TupleGetItem):
            return [node.tuple_value]
        return None  # inferred whole (variables, constants, anything else)

    def _infer_one(self, node):
        if isinstance(node, _expr.Tuple):
            return _ty.TupleType([self.types[f] for f in node.fields])
        if isinstance(node, _expr.TupleGetItem):
            return self.types[node.tuple_value].fields[node.index]
        if isinstance(node, _expr.Call) and isinstance(node.op, _ir.Op):
            args = [_expr.var("arg%d" % i, self.types[a]) for i, a in enumerate(node.args)]
            return InferTypeLocal(_expr.Call(node.op, args, node.attrs, node.type_args))
        return InferTypeLocal(node)

    def shape_of(self, value):
        if isinstance(value, self.torch.Tensor):
            return tuple(value.shape)
        if not _is_expr(value):
            return ()
        ttype = self.infer_type(value)
        if not isinstance(ttype, _ty.TensorType):
            raise ValueError("expected a tensor, got a value of type %s" % ttype)
        # a dynamic dimension (relay.Any()) is None: converters that need its value use
        # dim_expr() (the run-time shape); the others fail with an error naming the node
        return tuple(int(d) if hasattr(d, "value") else None for d in ttype.shape)

    def dim_expr(self, value, axis):
        """One dimension of a tensor: a Python int when static, else a 0-d int64 expression."""
        dim = self.shape_of(value)[axis]
        if dim is not None:
            return dim
        # one expression per (tensor, axis), so scripted shape comparisons see the same size
        key = (value, axis)
        found = self.dim_exprs.get(key)
        if found is None:
            found = _op.take(_op.shape_of(value, "int64"), _expr.const(axis, "int64"))
            self.dim_exprs[key] = found
        return found

    def shape_arg(self, dims):
        """A reshape target from a list of ints and 0-d expressions (sizes computed at run time):
        a list of ints when static; with one unknown entry, that entry becomes -1 (a static
        reshape keeps its kernels and the other extents in its type); otherwise a 1-D int64
        tensor (dyn.reshape)."""
        dims = list(dims)
        unknown = [i for i, d in enumerate(dims) if _is_expr(d)]
        if not unknown:
            return [int(d) for d in dims]
        if len(unknown) == 1 and -1 not in dims:
            return [-1 if i == unknown[0] else int(d) for i, d in enumerate(dims)]
        parts = []
        for d in dims:
            if _is_expr(d):
                d = _op.reshape(_op.cast(d, "int64") if self.dtype_of(d) != "int64" else d, [1])
            else:
                d = _expr.const(np.array([int(d)], "int64"), "int64")
            parts.append(d)
        return _op.concatenate(parts, 0)

    def _is_tensor(self, value):
        try:
            return isinstance(self.infer_type(value), _ty.TensorType)
        except Exception:  # pylint: disable=broad-except
            return False

    def dtype_of(self, value):
        if _is_expr(value):
            ttype = self.infer_type(value)
            return str(ttype.dtype) if isinstance(ttype, _ty.TensorType) else "tuple"
        if isinstance(value, self.torch.Tensor):
            return torch_dtype_to_str(value.dtype)
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, int):
            return "int64"
        if isinstance(value, float):
            return "float32"
        return "none"

    def rank(self, value):
        return len(self.shape_of(value))

    def as_expr(self, value, dtype=None):
        """A Relay expression for value; Python scalars and torch tensors become constants."""
        if _is_expr(value):
            if dtype is not None and self.dtype_of(value) != dtype:
                return _op.cast(value, dtype)
            return value
        if isinstance(value, self.torch.Tensor):
            array = value.detach().cpu().numpy()
            return _expr.const(array, dtype or str(array.dtype))
        if isinstance(value, (bool, int, float)):
            if dtype is None:
                dtype = self.dtype_of(value)
            return _expr.const(np.array(value).astype(dtype), dtype)
        if isinstance(value, np.ndarray):
            return _expr.const(value.astype(dtype) if dtype else value, dtype or str(value.dtype))
        if isinstance(value, (list, tuple)) and all(isinstance(v, (bool, int, float)) for v in value):
            array = np.array(value)
            dtype = dtype or ("float32" if array.dtype.kind == "f" else "int64" if array.dtype.kind == "i" else None)
            return _expr.const(array.astype(dtype), dtype)
        if isinstance(value, (list, tuple)) and value and all(_is_expr(v) for v in value):
            return _expr.Tuple(list(value))
        if hasattr(value, "unsupported_reason"):
            raise OpNotImplemented(value.unsupported_reason)
        raise ValueError("cannot use %r as a tensor" % (value,))

    def result_type(self, *values):
        """torch's type promotion for the operands (0-d tensors and scalars count less)."""
        torch = self.torch
        proxies = []
        for value in values:
            if _is_expr(value):
                dtype = getattr(torch, self.dtype_of(value))
                proxies.append(torch.empty((0,) if self.rank(value) else (), dtype=dtype))
            elif isinstance(value, torch.Tensor):
                proxies.append(value)
            elif isinstance(value, (bool, int, float)):
                proxies.append(value)
        result = proxies[0] if len(proxies) == 1 else None
        if result is None:
            result = proxies[0]
            dtype = None
            for other in proxies[1:]:
                dtype = torch.result_type(result, other)
                # Fold pairwise: the combined operand keeps the larger dimensionality.
                dims = max(getattr(result, "dim", lambda: 0)(), getattr(other, "dim", lambda: 0)())
                result = torch.empty((0,) if dims else (), dtype=dtype)
            return torch_dtype_to_str(dtype)
        if isinstance(result, torch.Tensor):
            return torch_dtype_to_str(result.dtype)
        return self.dtype_of(result)

    def promote(self, *values):
        dtype = self.result_type(*values)
        return [self.as_expr(v, dtype) for v in values], dtype

    # ------------------------------------------------------------------ graph walk
    def convert_graph(self, graph, input_vars, root_module):
        graph_inputs = list(graph.inputs())
        start = 0
        if root_module is not None and graph_inputs and graph_inputs[0].type().kind() == "ClassType":
            self.values[graph_inputs[0]] = _ModuleRef(root_module, "")
            start = 1
        user_inputs = graph_inputs[start:]
        defaults = self._defaults(root_module, len(user_inputs))
        if len(input_vars) < len(user_inputs) and all(d is not _NO_DEFAULT for d in defaults[len(input_vars):]):
            # Trailing arguments the user did not give take their defaults (scripted `mask=None`).
            for value, default in zip(user_inputs[len(input_vars):], defaults[len(input_vars):]):
                self.values[value] = default
            user_inputs = user_inputs[: len(input_vars)]
        if len(user_inputs) != len(input_vars):
            raise ValueError(
                "from_pytorch: the model takes %d inputs (%s) but input_infos gives %d"
                % (len(user_inputs), ", ".join(v.debugName() for v in user_inputs), len(input_vars)))
        for value, var in zip(user_inputs, input_vars):
            self.values[value] = var
        self.source_names = source_names(graph, self.use_parser_friendly_name)
        self.convert_block(graph.nodes())
        if self.unsupported:
            raise OpNotImplemented(self._unsupported_message())
        outputs = [self.values[v] for v in graph.return_node().inputs()]
        return outputs[0] if len(outputs) == 1 else list(outputs)

    @staticmethod
    def _defaults(root_module, count):
        """Default values of forward's arguments (scripted modules have a schema), else _NO_DEFAULT."""
        try:
            arguments = list(root_module.forward.schema.arguments)[1:]
        except AttributeError:
            return [_NO_DEFAULT] * count
        result = [a.default_value if a.has_default_value() else _NO_DEFAULT for a in arguments]
        return (result + [_NO_DEFAULT] * count)[:count]

    def _unsupported_message(self):
        supported = sorted(set(self.convert_map) | set(self.custom_convert_map) | set(_PRIM_STATIC))
        kinds = sorted({kind for kind, _ in self.unsupported})
        lines = ["The following PyTorch operators are not supported by the Relay frontend (%d node%s, %d operator%s):"
                 % (len(self.unsupported), "s" if len(self.unsupported) != 1 else "", len(kinds),
                    "s" if len(kinds) != 1 else "")]
        for kind in kinds:
            # In-place spellings (aten::relu_) are aliases: suggest them only for an in-place name.
            names = [n for n in supported if kind.endswith("_") or not n.endswith("_")]
            near = difflib.get_close_matches(kind, names, n=3, cutoff=0.6)
            where = [loc for k, loc in self.unsupported if k == kind]
            lines.append("  %s (nearest supported: %s)" % (kind, ", ".join(near) if near else "none"))
            for loc in where:
                lines.append("    at %s" % loc)
        lines.append("Pass a converter for them in custom_convert_map={op_name: fn(inputs, input_types)}.")
        return "\n".join(lines)

    def convert_block(self, nodes):
        for node in nodes:
            self.convert_node(node)

    def convert_node(self, node):
        kind = node.kind()
        outputs = list(node.outputs())
        if kind == "prim::If":
            self._convert_if(node)
            return
        if kind == "prim::Loop":
            self._convert_loop(node)
            return
        inputs = [self.values.get(v, _POISON) for v in node.inputs()]
        if kind == "prim::Constant":
            # Tensor constants must stay tensors (toIValue turns a 0-d one into a number).
            has_tensor = node.hasAttribute("value") and node.kindOf("value") == "t"
            self._set_outputs(node, [node.t("value") if has_tensor else outputs[0].toIValue()])
            return
        if kind == "prim::GetAttr":
            self._set_outputs(node, [self._get_attr(inputs[0], node.s("name"))])
            return
        if kind == "prim::RaiseException":
            raise RuntimeError("the model raises an exception at import (%s): %s"
                               % (source_location(node), inputs[0] if inputs else ""))
        if any(_contains_poison(v) for v in inputs):
            # Downstream of an unsupported operator: only report it if it has no converter either.
            if kind not in self.convert_map and kind not in self.custom_convert_map and kind not in _PRIM_STATIC:
                self._record_unsupported(node)
            self._set_outputs(node, [_POISON] * len(outputs))
            return
        source = self.source_names.get(node, kind)
        if kind in self.custom_convert_map:
            inputs = self._place_inputs(node, source)
            result = self.custom_convert_map[kind](inputs, [self.dtype_of(v) for v in inputs])
            self._set_result(node, self._with_span(result, source))
            return
        if kind in _PRIM_STATIC:
            inputs = self._place_inputs(node, source)
            self._set_result(node, self._with_span(_PRIM_STATIC[kind](self, node, inputs), source))
            return
        if not any(_contains_expr(v) for v in inputs) and kind not in _NONDETERMINISTIC:
            folded = self._fold(node, inputs)
            if folded is not None:
                self._set_outputs(node, folded)
                return
        if kind in self.convert_map:
            self.current_node = node
            inputs = self._place_inputs(node, source)
            try:
                result = self.convert_map[kind](inputs, node)
            except OpNotImplemented as err:
                raise OpNotImplemented("%s at %s: %s" % (kind, source_location(node), err)) from None
            except (ValueError, TypeError, IndexError) as err:
                dynamic = [self.shape_of(v) for v in inputs if _is_expr(v) and self._is_tensor(v)
                           and None in self.shape_of(v)]
                if dynamic:
                    raise OpNotImplemented(
                        "%s at %s: its converter needs static shapes here, but an input has the dynamic shape %s "
                        "(%s)" % (kind, source_location(node),
                                  tuple("?" if d is None else d for d in dynamic[0]), err)) from None
                raise type(err)("%s at %s: %s" % (kind, source_location(node), err)) from None
            self._set_result(node, self._with_span(result, source))
            return
        self._record_unsupported(node)
        self._set_outputs(node, [_POISON] * len(outputs))

    def _place_inputs(self, node, source):
        """The node's inputs, graph inputs and parameters among them given the span
        "<source>.<name>" when they have none yet (so their first consumer names them, as TVM does)."""
        if not span_filling_enabled():
            return [self.values.get(v, _POISON) for v in node.inputs()]
        sep = "_" if self.use_parser_friendly_name else "."
        for value in node.inputs():
            expr = self.values.get(value)
            if not isinstance(expr, (_expr.Var, _expr.Constant)) or expr.span is not None:
                continue
            if isinstance(expr, _expr.Var):
                placed = self.tagged_vars.get(expr)
                if placed is None:
                    leaf = self.param_leaf.get(expr, expr.name_hint)
                    name = expr.name_hint if expr.name_hint.startswith(source) else source + sep + leaf
                    placed = set_span(expr, name)
                    self.tagged_vars[expr] = placed
            else:
                placed = set_span(expr, source)
            self.values[value] = placed
        return [self.values.get(v, _POISON) for v in node.inputs()]

    def _with_span(self, result, source):
        """result with the node's span on every expression the converter created; the types already
        inferred for them carry over to their copies (so the next converters do not infer them again)."""
        if not span_filling_enabled():
            return result
        filler = SpanFiller(source)
        result = filler.fill(result)
        types = self.types
        for old, new in filler.memo.items():
            if new is not old and old in types:
                types[new] = types[old]
        return result

    def placed_var(self, var):
        """var as the converted graph uses it (its copy with a span, once a node consumed it)."""
        return self.tagged_vars.get(var, var)

    def _record_unsupported(self, node):
        self.unsupported.append((node.kind(), source_location(node)))

    def _set_result(self, node, result):
        outputs = list(node.outputs())
        if len(outputs) == 1:
            self._set_outputs(node, [result])
            return
        if isinstance(result, _expr.TupleWrapper):
            result = [result[i] for i in range(len(outputs))]
        elif _is_expr(result) and len(outputs) > 1:
            result = [_expr.TupleGetItem(result, i) for i in range(len(outputs))]
        if len(result) != len(outputs):
            raise ValueError("the converter of %s gave %d outputs, the node has %d"
                             % (node.kind(), len(result), len(outputs)))
        self._set_outputs(node, list(result))

    def _set_outputs(self, node, values):
        for out, value in zip(node.outputs(), values):
            self.values[out] = value

    def _fold(self, node, inputs):
        """Evaluate one node with torch (its inputs are all static)."""
        torch = self.torch
        try:
            graph = torch._C.Graph()
            mapping = {}
            for value in node.inputs():
                new = graph.addInput()
                new.setType(value.type())
                mapping[value] = new
            clone = graph.createClone(node, lambda v: mapping[v])
            graph.insertNode(clone)
            for out in clone.outputs():
                graph.registerOutput(out)
            function = torch._C._create_function_from_graph("relay_fold", graph)
            result = function(*inputs)
        except Exception:  # pylint: disable=broad-except
            return None  # not evaluable in isolation; a converter (or the error list) takes over
        count = len(list(node.outputs()))
        if count == 1:
            return [result]
        return list(result)

    def _get_attr(self, owner, name):
        if not isinstance(owner, _ModuleRef):
            raise ValueError("prim::GetAttr %r on a value that is not a module" % name)
        value = getattr(owner.obj, name)
        path = name if not owner.path else owner.path + "." + name
        if isinstance(value, self.torch.Tensor):
            return self._param(path, value)
        if isinstance(value, self.torch.nn.Module) or hasattr(value, "_c"):
            return _ModuleRef(value, path)
        return value

    def _param(self, path, tensor):
        name = path.replace(".", "_") if self.use_parser_friendly_name else path
        if name not in self.params:
            array = tensor.detach().cpu().numpy()
            var = _expr.var(name, shape=array.shape, dtype=str(array.dtype))
            self.param_leaf[var] = path.rsplit(".", 1)[-1]
            self.params[name] = (var, array)
            self.param_order.append(name)
        return self.params[name][0]

    # ------------------------------------------------------------------ control flow
    def _convert_if(self, node):
        cond = self.values.get(next(node.inputs()), _POISON)
        if isinstance(cond, _Poison):
            self._set_outputs(node, [_POISON] * len(list(node.outputs())))
            return
        if isinstance(cond, self.torch.Tensor) and cond.numel() == 1:
            cond = bool(cond.item())
        if not isinstance(cond, bool):
            raise OpNotImplemented(
                "prim::If at %s: its condition depends on tensor values computed by the model, so it cannot be "
                "imported as a data-flow graph; trace the model with torch.jit.trace for the input you mean, "
                "or make the condition static" % source_location(node))
        block = list(node.blocks())[0 if cond else 1]
        self.convert_block(block.nodes())
        self._set_outputs(node, [self.values[v] for v in block.returnNode().inputs()])

    def _convert_loop(self, node):
        inputs = [self.values.get(v, _POISON) for v in node.inputs()]
        trip_count, cond, carried = inputs[0], inputs[1], inputs[2:]
        block = list(node.blocks())[0]
        static = lambda v: isinstance(v, (int, bool)) or (isinstance(v, self.torch.Tensor) and v.numel() == 1)
        if not (static(trip_count) and static(cond)):
            raise OpNotImplemented(
                "prim::Loop at %s: its trip count or condition depends on tensor values computed by the model, "
                "so it cannot be imported as a data-flow graph" % source_location(node))
        trip_count = int(trip_count)
        if trip_count > 100000:
            raise OpNotImplemented("prim::Loop at %s: %d iterations are too many to unroll"
                                   % (source_location(node), trip_count))
        block_inputs = list(block.inputs())
        block_outputs = list(block.returnNode().inputs())
        index = 0
        while bool(cond) and index < trip_count:
            self.values[block_inputs[0]] = index
            for value, carry in zip(block_inputs[1:], carried):
                self.values[value] = carry
            self.convert_block(block.nodes())
            cond = self.values[block_outputs[0]]
            if not static(cond):
                raise OpNotImplemented("prim::Loop at %s: its condition depends on tensor values computed by the "
                                       "model" % source_location(node))
            carried = [self.values[v] for v in block_outputs[1:]]
            index += 1
        self._set_outputs(node, carried)

    # ------------------------------------------------------------------ the converters
    def _build_convert_map(self):
        from . import pytorch_ops  # pylint: disable=import-outside-toplevel

        return pytorch_ops.build_convert_map(self)


def _prim_list_construct(conv, node, inputs):
    return list(inputs)


def _prim_tuple_construct(conv, node, inputs):
    return tuple(inputs)


def _prim_unpack(conv, node, inputs):
    value = inputs[0]
    count = len(list(node.outputs()))
    if _is_expr(value):
        ttype = conv.infer_type(value)
        if isinstance(ttype, _ty.TupleType):
            return [_expr.TupleGetItem(value, i) for i in range(count)]
        return [_op.squeeze(x, [0]) for x in _expr.TupleWrapper(_op.split(value, count, 0), count)]
    if isinstance(value, conv.torch.Tensor):
        return list(value.unbind(0))
    return list(value)


def _prim_index(conv, node, inputs):
    container, index = inputs
    if _is_expr(container):
        if isinstance(conv.infer_type(container), _ty.TupleType):
            return _expr.TupleGetItem(container, int(index))
        return _op.take(container, conv.as_expr(index, "int64"), axis=0)
    return container[int(index)]


def _prim_dict_construct(conv, node, inputs):
    # Dict outputs (torchvision segmentation models) come out as a tuple of the values, in order.
    return tuple(inputs[1::2])


def _list_append(conv, node, inputs):
    # Lists are shared Python objects, so appending in place is what the graph's aliasing means
    # (list comprehensions in scripted code build their result this way).
    inputs[0].append(inputs[1])
    return inputs[0]


def _prim_identity(conv, node, inputs):
    return inputs[0]


def _prim_len(conv, node, inputs):
    value = inputs[0]
    if _is_expr(value):
        ttype = conv.infer_type(value)
        if isinstance(ttype, _ty.TupleType):
            return len(ttype.fields)
        return conv.shape_of(value)[0]
    return len(value)


def _prim_getitem(conv, node, inputs):
    container, index = inputs
    if isinstance(container, (list, tuple)):
        return container[int(index)]
    return _prim_index(conv, node, inputs)


def _prim_dtype(conv, node, inputs):
    dtype = conv.dtype_of(inputs[0])
    return {v: k for k, v in SCALAR_TYPES.items()}[dtype]


def _prim_device(conv, node, inputs):
    return conv.torch.device("cpu")


def _prim_is(conv, node, inputs):
    same = inputs[0] is inputs[1] or (inputs[0] is None and inputs[1] is None)
    return same if node.kind() == "aten::__is__" else not same


def _prim_unchecked_cast(conv, node, inputs):
    return inputs[0]


def _prim_uninitialized(conv, node, inputs):
    return None


def _prim_shape(conv, node, inputs):
    return list(conv.shape_of(inputs[0]))


# prim:: and list/tuple operators; they handle Relay values themselves (no torch folding).
_PRIM_STATIC = {
    "prim::ListConstruct": _prim_list_construct,
    "prim::TupleConstruct": _prim_tuple_construct,
    "prim::ListUnpack": _prim_unpack,
    "prim::TupleUnpack": _prim_unpack,
    "prim::TupleIndex": _prim_index,
    "prim::DictConstruct": _prim_dict_construct,
    "aten::len": _prim_len,
    "aten::__getitem__": _prim_getitem,
    "prim::dtype": _prim_dtype,
    "prim::device": _prim_device,
    "aten::__is__": _prim_is,
    "aten::__isnot__": _prim_is,
    "prim::unchecked_cast": _prim_unchecked_cast,
    "prim::Uninitialized": _prim_uninitialized,
    "prim::shape": _prim_shape,
    "aten::detach": _prim_identity,
    "aten::warn": lambda conv, node, inputs: None,
    "prim::data": _prim_identity,
    "aten::append": _list_append,
    "prim::is_nested": lambda conv, node, inputs: False,  # Relay tensors are never nested tensors
    "prim::is_cuda": lambda conv, node, inputs: False,
    "prim::requires_grad": lambda conv, node, inputs: False,
}


def _graph_input_dtypes(graph, root):
    """The dtype torch recorded for each user input of the graph (traced graphs know them), or None."""
    inputs = list(graph.inputs())
    if root is not None and inputs and inputs[0].type().kind() == "ClassType":
        inputs = inputs[1:]
    result = []
    for value in inputs:
        dtype = None
        try:
            scalar = value.type().scalarType()
            if scalar is not None:
                dtype = torch_dtype_to_str(getattr(_torch_module(), scalar_name_to_dtype(scalar)))
        except (AttributeError, RuntimeError):
            dtype = None
        result.append(dtype)
    return result


def _torch_module():
    import torch  # pylint: disable=import-outside-toplevel

    return torch


def _input_vars(input_infos, default_dtype, graph_dtypes=()):
    if isinstance(input_infos, dict):
        input_infos = list(input_infos.items())
    result = []
    for index, info in enumerate(input_infos):
        if not isinstance(info, (list, tuple)) or len(info) != 2 or not isinstance(info[0], str):
            raise ValueError("from_pytorch: input_infos[%d] is %r; expected (name, shape) or (name, (shape, dtype))"
                             % (index, info))
        name, spec = info
        # Without a dtype: the one torch recorded for this input (traced graphs), else default_dtype.
        dtype = (graph_dtypes[index] if index < len(graph_dtypes) else None) or default_dtype
        if isinstance(spec, (list, tuple)) and len(spec) == 2 and isinstance(spec[1], str):
            spec, dtype = spec
        try:
            if isinstance(spec, str):
                raise TypeError("a string")
            shape = [_input_dim(d) for d in spec]
        except (TypeError, ValueError):
            raise ValueError("from_pytorch: input %r has shape %r; expected a list of ints (relay.Any(), None or -1 "
                             "for a dimension known at run time)" % (name, spec)) from None
        result.append(_expr.var(name, shape=shape, dtype=dtype))
    return result


def _input_dim(d):
    from ... import tir  # pylint: disable=import-outside-toplevel

    if d is None or isinstance(d, (tir.Any, str)) or (isinstance(d, int) and d == -1):
        return _ty.Any()
    if isinstance(d, float):
        raise TypeError("a float dimension")
    value = int(d)
    if value < 0:
        raise ValueError("a negative dimension")
    return value


def _flatten_outputs(value):
    """The model's outputs as a flat list of Relay expressions (nested tuples and lists flattened)."""
    stack = [value]
    flat = []
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(reversed(list(item)))
        else:
            flat.append(item)
    return flat


def source_names(graph, use_parser_friendly_name=False):
    """The span source name of every node of the (inlined) graph: "<kind>_<n>", n counting the nodes of
    that kind, as TVM numbers them: a block's nodes are numbered together (prim::Constant included,
    prim::GetAttr and nodes without outputs left out), then the blocks of its prim::If / prim::Loop
    nodes, in order, each the same way. With use_parser_friendly_name, ':' and '.' become '_'
    ("aten__relu_0"), so the text parser reads the names back."""
    counters = {}
    names = {}
    pending = [list(graph.nodes())]  # node lists still to number, the next one last
    while pending:
        nodes = pending.pop()
        nested = []
        for node in nodes:
            kind = node.kind()
            if kind == "prim::GetAttr" or node.outputsSize() == 0:
                continue
            index = counters.get(kind, 0)
            counters[kind] = index + 1
            name = "%s_%d" % (kind, index)
            if use_parser_friendly_name:
                name = name.replace(":", "_").replace(".", "_")
            names[node] = name
            nested.extend(list(block.nodes()) for block in node.blocks())
        pending.extend(reversed(nested))
    return names


def _export_renamed_graph(graph, folder):
    """Name every node's outputs after the node's span ("aten::_convolution_0_0" is the first output of
    aten::_convolution_0) and write the graph to folder/tvm_exported_c_graph_<time>.txt, so the spans
    of the Relay module and the graph text can be matched."""
    import os  # pylint: disable=import-outside-toplevel
    import time  # pylint: disable=import-outside-toplevel

    for node, name in source_names(graph).items():
        for i, out in enumerate(node.outputs()):
            out.setDebugName("%s_%d" % (name, i))
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "tvm_exported_c_graph_%s.txt" % time.strftime("%Y%m%d_%H%M%S"))
    with open(path, "w") as out:
        out.write(str(graph))
    return path


def from_pytorch(script_module, input_infos, custom_convert_map=None, default_dtype="float32",
                 use_parser_friendly_name=False, keep_quantized_weight=False, export_renamed_c_graph_path=None):
    """Import a TorchScript module (torch.jit.trace or torch.jit.script) into Relay.

    Parameters
    ----------
    script_module : torch.jit.TopLevelTracedModule or torch.jit.ScriptModule (or a traced function)
    input_infos : list of (name, shape) or (name, (shape, dtype)), one per model input, in order.
        The Relay inputs get these names.
    custom_convert_map : dict of op name ("aten::foo") -> fn(inputs, input_types) returning a Relay expression.
    default_dtype : the dtype of inputs given without one.
    use_parser_friendly_name : parameter names with "_" instead of "." (so the text format parses them).
    keep_quantized_weight : accepted for compatibility; quantized operators are not converted.
    export_renamed_c_graph_path : a folder: the inlined graph, its values named after their operators
        ("aten::_convolution_0"), is written there as tvm_exported_c_graph_<time>.txt.

    Returns
    -------
    (tvm.IRModule, dict of str -> tvm.nd.NDArray)
    """
    import torch  # pylint: disable=import-outside-toplevel

    del keep_quantized_weight
    if not hasattr(script_module, "graph"):
        raise TypeError("from_pytorch expects a TorchScript module (torch.jit.trace or torch.jit.script), got %s"
                        % type(script_module).__name__)
    graph = script_module.graph.copy()
    torch._C._jit_pass_inline(graph)
    if export_renamed_c_graph_path is not None:
        _export_renamed_graph(graph, export_renamed_c_graph_path)
    root = script_module if isinstance(script_module, torch.nn.Module) else None
    input_vars = _input_vars(input_infos, default_dtype, _graph_input_dtypes(graph, root))
    names = [v.name_hint for v in input_vars]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError("from_pytorch: input names must be distinct, %s repeats" % ", ".join(duplicates))
    converter = PyTorchOpConverter(torch, default_dtype, custom_convert_map, use_parser_friendly_name)
    with torch.no_grad():
        result = converter.convert_graph(graph, input_vars, root)
    outputs = [converter.as_expr(v) for v in _flatten_outputs(result)]
    body = outputs[0] if len(outputs) == 1 and not isinstance(result, (list, tuple)) else _expr.Tuple(outputs)
    if root is not None:
        # Parameters in the module's state_dict order (then any other tensor attributes), as users list them.
        keys = [k.replace(".", "_") if use_parser_friendly_name else k for k in root.state_dict(keep_vars=True)]
        rank = {k: i for i, k in enumerate(keys)}
        converter.param_order.sort(key=lambda n: rank.get(n, len(rank)))
    param_vars = [converter.params[name][0] for name in converter.param_order]
    func_params = [converter.placed_var(v) for v in input_vars + param_vars]
    func = _function.Function(func_params, body)
    mod = _ir.IRModule.from_expr(func)
    params = {name: _nd.array(converter.params[name][1]) for name in converter.param_order}
    return mod, params
