# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""ONNX frontend: `from_onnx(model)` turns an ONNX ModelProto into a Relay module.

Design:
- One converter class per ONNX operator (`OnnxOpConverter` subclasses). A class
  holds `_impl_vN` methods; for a model of opset K the converter used is the
  `_impl_vN` with the largest N <= K, so an operator whose semantics changed
  between opsets gets one method per change.
- Before anything is converted every node is checked, so that one error lists
  every unsupported operator of the model (node names, nearest supported names).
- Static where possible: a node whose inputs are all constants is evaluated at
  import (the debug executor), so Shape -> Gather -> Concat -> Reshape chains
  leave static shapes behind, which Relay's static operators need.
- Dynamic otherwise: a symbolic input dimension (dim_param, or relay.Any() /
  None / -1 / a name in `shape=`) is relay.Any(); shape tensors computed at run
  time become the dyn.* operators, and data-dependent output counts
  (NonMaxSuppression, Unique, NonZero, Compress) are slices to a computed count.
  Such modules run on the Relay VM (relay.vm.compile / create_executor("vm")).
- Spans (unless PassContext config "relay.frontend.fill_span" is off): the expressions a
  node's converter creates get the node's name as their span (an unnamed node is called
  "<op_type>_<n>", n counting the unnamed nodes of that type in conversion order, as TVM
  does); a graph input, parameter or initializer gets "<first consumer>.<value name>".
"""
import difflib

import numpy as np

from ... import error as _error
from ... import ir as _ir
from ... import tir as _tir
from .. import analysis as _analysis
from .. import expr as _expr
from .. import function as _function
from .. import transform as _transform
from .. import ty as _ty
from ..build_module import create_executor
from . import onnx_ops as _ops
from .common import SpanFiller, set_span, span_filling_enabled
from .onnx_ops import _np_const

__all__ = ["from_onnx", "GraphProto", "OnnxOpConverter"]

OnnxOpConverter = _ops.OnnxOpConverter

# ONNX TensorProto.DataType -> numpy/Relay dtype name.
_ONNX_DTYPES = {
    1: "float32", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32", 7: "int64",
    8: "string", 9: "bool", 10: "float16", 11: "float64", 12: "uint32", 13: "uint64",
    14: "complex64", 15: "complex128", 16: "bfloat16",
}


def onnx_dtype(code):
    """The Relay dtype of an ONNX element type code (a clear error for unsupported ones)."""
    name = _ONNX_DTYPES.get(int(code))
    if name == "bfloat16":
        return "uint16"  # bfloat16 tensors are carried as their 16-bit patterns (see Cast)
    if name is None or name in ("string", "complex64", "complex128"):
        raise _error.OpAttributeUnImplemented(
            "ONNX element type %s (%s) is not supported by the Relay frontend" % (code, name or "unknown")
        )
    return name


def _import_onnx():
    try:
        import onnx  # pylint: disable=import-outside-toplevel
        import onnx.numpy_helper  # noqa: F401  (not imported by onnx itself)
    except ImportError as err:  # pragma: no cover - onnx is installed where the frontend is used
        raise ImportError("from_onnx needs the onnx package") from err
    return onnx


def _dim(d, name, axis):
    """One dimension of a shape the user gave: an int, or dynamic (relay.Any(), None, -1 or a
    symbolic name)."""
    if d is None or isinstance(d, (str, _tir.Any)) or (isinstance(d, int) and d == -1):
        return _ty.Any()
    try:
        if isinstance(d, float) or (hasattr(d, "dtype") and str(d.dtype).startswith("float")):
            raise TypeError("a float")
        value = int(d)
    except (TypeError, ValueError) as err:
        raise TypeError("shape of graph input %r: axis %d is %r, not an int, None, -1, a name or relay.Any()"
                        % (name, axis, d)) from err
    if value < -1:
        raise ValueError("shape of graph input %r: axis %d is %d" % (name, axis, value))
    return _ty.Any() if value == -1 else value


def _attr_value(onnx, a):
    """A python value of one AttributeProto."""
    t = a.type
    A = onnx.AttributeProto
    if t == A.FLOAT:
        return float(a.f)
    if t == A.INT:
        return int(a.i)
    if t == A.STRING:
        return a.s.decode("utf-8", "replace")
    if t == A.TENSOR:
        return onnx.numpy_helper.to_array(a.t)
    if t == A.GRAPH:
        return a.g
    if t == A.FLOATS:
        return [float(x) for x in a.floats]
    if t == A.INTS:
        return [int(x) for x in a.ints]
    if t == A.STRINGS:
        return [s.decode("utf-8", "replace") for s in a.strings]
    if t == A.TENSORS:
        return [onnx.numpy_helper.to_array(x) for x in a.tensors]
    if t == A.GRAPHS:
        return list(a.graphs)
    raise _error.OpAttributeInvalid("attribute %r has an unsupported type %d" % (a.name, t))


class GraphProto:
    """Converts one ONNX graph into Relay, node by node (nodes come topologically sorted)."""

    def __init__(self, shape, dtype, freeze_params=True, convert_config=None):
        self._shape = dict(shape) if shape else {}
        self._dtype = dtype
        self._freeze_params = freeze_params
        self.convert_config = dict(convert_config or {})
        self._nodes = {}  # value name -> Relay expression
        self._params = {}  # parameter name -> numpy array (freeze_params=False)
        self._inputs = []
        self.opset = None
        self._executor = None
        self._types = {}  # expression -> (expression, its inferred type)
        self.current_node = None
        self.bf16 = set()  # names of the values that hold bfloat16 bit patterns
        self._source_names = {}  # id(node) -> (node, its span's source name); the node is kept alive
        self._op_type_count = {}  # op_type -> unnamed nodes of that type named so far
        self._placed = {}  # graph input / parameter / initializer expression -> its copy with a span

    # ---- helpers the converters use -------------------------------------------------
    def _known_type(self, e):
        t = getattr(e, "_checked_type_", None)
        if t is None:
            hit = self._types.get(e)
            t = hit[1] if hit is not None else None
        return t

    def _detach(self, expr):
        """A copy of expr's untyped top in which every sub-expression of known type is a fresh
        variable of that type: inferring it costs the new part only, so importing stays linear
        in the graph size (an explicit stack, no recursion)."""
        memo = {}
        stack = [expr]
        while stack:
            e = stack[-1]
            if e in memo:
                stack.pop()
                continue
            if isinstance(e, (_expr.Constant, _expr.Var)) or not isinstance(e, (_expr.Call, _expr.Tuple, _expr.TupleGetItem)):
                memo[e] = e
                stack.pop()
                continue
            t = self._known_type(e) if e is not expr else None
            if t is not None:
                memo[e] = _expr.var("typed", type_annotation=t)
                stack.pop()
                continue
            if isinstance(e, _expr.Call):
                kids = list(e.args)
            elif isinstance(e, _expr.Tuple):
                kids = list(e.fields)
            else:
                kids = [e.tuple_value]
            pending = [k for k in kids if k not in memo]
            if pending:
                stack.extend(pending)
                continue
            if isinstance(e, _expr.Call):
                memo[e] = _expr.Call(e.op, [memo[k] for k in kids], e.attrs, e.type_args)
            elif isinstance(e, _expr.Tuple):
                memo[e] = _expr.Tuple([memo[k] for k in kids])
            else:
                memo[e] = _expr.TupleGetItem(memo[kids[0]], e.index)
            stack.pop()
        return memo[expr]

    def infer_type(self, expr):
        """The checked type of expr (inferred now, outside any module; results are cached)."""
        t = self._known_type(expr)
        if t is not None:
            return t
        t = _transform.InferTypeLocal(self._detach(expr))
        self._types[expr] = (expr, t)  # the key is kept alive with its type
        return t

    def dims(self, expr):
        """The shape of expr: an int per static dimension, None per dynamic one (relay.Any())."""
        ty = self.infer_type(expr)
        if not isinstance(ty, _ty.TensorType):
            raise _error.OpError("%s: expected a tensor, got %s" % (self._where(), ty))
        return tuple(int(d) if isinstance(d, (int, _ir.IntImm)) or hasattr(d, "value") else None
                     for d in ty.shape)

    def rank(self, expr):
        return len(self.dims(expr))

    def is_dynamic(self, expr):
        return any(d is None for d in self.dims(expr))

    def infer_shape(self, expr):
        """The static shape of expr as a tuple of ints (an error naming the node when a dimension
        is dynamic: converters that handle dynamic shapes use dims() and shape_of())."""
        out = self.dims(expr)
        if any(d is None for d in out):
            raise _error.OpError(
                "%s: this converter needs the static shape of its input, which is %s (dynamic dimensions "
                "are ?)" % (self._where(), tuple("?" if d is None else d for d in out)))
        return out

    def shape_of(self, expr, dtype="int64"):
        """expr's shape as a 1-D tensor: a constant when static, else computed at run time."""
        dims = self.dims(expr)
        if all(d is not None for d in dims):
            return _np_const(np.array(dims, dtype=dtype))
        from .. import op as _op  # pylint: disable=import-outside-toplevel

        return _op.shape_of(expr, dtype)

    def dim(self, expr, axis, dtype="int64"):
        """One dimension of expr as a scalar expression (a constant when static)."""
        d = self.dims(expr)[axis]
        if d is not None:
            return _np_const(np.array(d, dtype=dtype))
        from .. import op as _op  # pylint: disable=import-outside-toplevel

        return _op.take(_op.shape_of(expr, dtype), _np_const(np.array(axis, "int64")))

    def infer_dtype(self, expr):
        return str(self.infer_type(expr).dtype)

    def evaluate(self, expr):
        """Evaluate an expression without free variables (parameters are bound first)."""
        free = _analysis.free_vars(expr)
        if free:
            binds = {}
            for v in free:
                if v.name_hint not in self._params:
                    raise _error.OpError(
                        "%s: needs the value of a computed tensor at import, but it depends on the "
                        "graph input %r (Relay's operators here take static attributes)" % (self._where(), v.name_hint)
                    )
                binds[v] = _np_const(self._params[v.name_hint])
            expr = _expr.bind(expr, binds)
        if self._executor is None:
            self._executor = create_executor("debug", mod=_ir.IRModule(), target="llvm")
        return self._executor.evaluate(expr)

    def value(self, expr):
        """The numpy value of a constant-like expression (a Constant, or computable at import)."""
        if isinstance(expr, _expr.Constant):
            return expr.data.numpy()
        if isinstance(expr, _expr.Var) and expr.name_hint in self._params:
            return self._params[expr.name_hint]
        out = self.evaluate(expr)
        return out.numpy()

    def is_const(self, expr):
        return isinstance(expr, _expr.Constant) or (isinstance(expr, _expr.Var) and expr.name_hint in self._params)

    def _where(self):
        n = self.current_node
        if n is None:
            return "from_onnx"
        return "%s node %r" % (n.op_type, n.name or (n.output[0] if n.output else ""))

    # ---- the conversion -------------------------------------------------------------
    def _input_var(self, onnx, vi):
        name = vi.name
        tt = vi.type.tensor_type
        if name in self._shape:
            given = self._shape[name]
            if not isinstance(given, (list, tuple)) and hasattr(given, "__len__"):
                given = list(given)
            shape = [_dim(d, name, i) for i, d in enumerate(given)]
        else:
            if not vi.type.HasField("tensor_type"):
                raise _error.OpAttributeUnImplemented(
                    "graph input %r is not a tensor (%s); only tensor inputs are supported"
                    % (name, vi.type.WhichOneof("value"))
                )
            # A symbolic dimension (dim_param, or none given) stays dynamic: relay.Any().
            shape = []
            for d in tt.shape.dim:
                if d.HasField("dim_value") and d.dim_value >= 0:
                    shape.append(int(d.dim_value))
                else:
                    shape.append(_ty.Any())
        if tt.elem_type == 16:
            self.bf16.add(name)
        if isinstance(self._dtype, dict) and name in self._dtype:
            dtype = self._dtype[name]
        elif tt.elem_type:
            dtype = onnx_dtype(tt.elem_type)
        else:
            dtype = self._dtype if isinstance(self._dtype, str) else "float32"
        return _expr.var(name, shape=shape, dtype=dtype)

    def check_ops(self, graph, opset):
        """Raise one error listing every node whose operator (at this opset) has no converter."""
        convert_map = _ops.convert_map()
        missing = []
        stack = [graph]
        while stack:
            g = stack.pop()
            for node in g.node:
                for a in node.attribute:  # the bodies of If/Loop/Scan are checked too
                    if a.HasField("g"):
                        stack.append(a.g)
                    stack.extend(a.graphs)
                key = node.op_type if node.domain in ("", "ai.onnx") else node.domain + "." + node.op_type
                conv = convert_map.get(key)
                reason = None
                if conv is None:
                    reason = "not supported"
                else:
                    try:
                        conv.get_converter(opset)
                    except NotImplementedError:
                        reason = "no converter for opset %d (versions %s)" % (opset, conv.versions())
                if reason:
                    others = [k for k in convert_map if k != key]
                    near = difflib.get_close_matches(node.op_type, others, n=3, cutoff=0.5)
                    missing.append((key, node.name or (node.output[0] if node.output else "?"), reason, near))
        if missing:
            ops = sorted({m[0] for m in missing})
            lines = [
                "the ONNX model uses %d unsupported operator(s): %s" % (len(ops), ", ".join(ops))
            ]
            for key, name, reason, near in missing:
                hint = " (nearest supported: %s)" % ", ".join(near) if near else ""
                lines.append("  %s in node %r: %s%s" % (key, name, reason, hint))
            raise _error.OpNotImplemented("\n".join(lines))

    def from_onnx(self, graph, opset, onnx):
        self.opset = opset
        self.check_ops(graph, opset)
        # initializers: parameters
        init_names = set()
        for init in graph.initializer:
            if not init.name:
                raise ValueError("an initializer of the ONNX graph has no name")
            try:
                arr = onnx.numpy_helper.to_array(init)
            except Exception as err:  # malformed raw data: a clear error naming the tensor
                raise ValueError("initializer %r cannot be read: %s" % (init.name, err)) from err
            onnx_dtype(init.data_type)
            if init.data_type == 16:
                self.bf16.add(init.name)
            init_names.add(init.name)
            if self._freeze_params:
                self._nodes[init.name] = _np_const(arr)
            else:
                self._params[init.name] = arr
                self._nodes[init.name] = _expr.var(init.name, shape=arr.shape, dtype=str(arr.dtype))
        for vi in graph.input:
            if vi.name in init_names:
                continue
            v = self._input_var(onnx, vi)
            self._inputs.append(v)
            self._nodes[vi.name] = v
        self._onnx = onnx
        self.convert_nodes(graph.node)
        self.current_node = None
        outputs = []
        for o in graph.output:
            if o.name not in self._nodes:
                raise ValueError("graph output %r is not produced by any node" % o.name)
            outputs.append(self._nodes[o.name])
        body = outputs[0] if len(outputs) == 1 else _expr.Tuple(outputs)
        free = _analysis.free_vars(body)
        params_vars = [v for v in free if v.name_hint in self._params]
        inputs = [self._placed.get(v, v) for v in self._inputs]
        func = _function.Function(inputs + params_vars, body)
        mod = _ir.IRModule.from_expr(func)
        params = {}
        if self._params:
            from ...runtime import ndarray as _nd  # pylint: disable=import-outside-toplevel

            used = {v.name_hint for v in params_vars}
            params = {k: _nd.array(v) for k, v in self._params.items() if k in used}
        return _transform.InferType()(mod), params

    def source_name(self, node):
        """The node's span name: its name, or "<op_type>_<n>" for an unnamed node (numbered when first
        converted; a subgraph converted again keeps its names)."""
        hit = self._source_names.get(id(node))
        if hit is not None:
            return hit[1]
        name = node.name
        if not name:
            index = self._op_type_count.get(node.op_type, -1) + 1
            self._op_type_count[node.op_type] = index
            name = "%s_%d" % (node.op_type, index)
        self._source_names[id(node)] = (node, name)
        return name

    def _place_inputs(self, node, source):
        """Give the graph inputs, parameters and initializers the node reads the span
        "<source>.<value name>" if none of its nodes did yet (the first consumer names them)."""
        if not span_filling_enabled():
            return
        for name in node.input:
            expr = self._nodes.get(name) if name else None
            if not isinstance(expr, (_expr.Var, _expr.Constant)) or expr.span is not None:
                continue
            placed = self._placed.get(expr)
            if placed is None:
                placed = set_span(expr, source + "." + name)
                self._placed[expr] = placed
            self._nodes[name] = placed

    def _with_span(self, outs, source):
        """outs with the node's span on every expression its converter created; types inferred for
        them carry over to their copies (so later nodes do not infer them again)."""
        if not span_filling_enabled():
            return outs
        filler = SpanFiller(source)
        outs = filler.fill(outs)
        for old, new in filler.memo.items():
            hit = self._types.get(old) if new is not old else None
            if hit is not None:
                self._types[new] = (new, hit[1])
        return outs

    def convert_nodes(self, nodes):
        """Convert nodes in order, binding their outputs by name in the current scope."""
        convert_map = _ops.convert_map()
        for node in nodes:
            self.current_node = node
            key = node.op_type if node.domain in ("", "ai.onnx") else node.domain + "." + node.op_type
            source = self.source_name(node)
            self._place_inputs(node, source)
            inputs = []
            for name in node.input:
                if name == "":
                    inputs.append(None)
                elif name not in self._nodes:
                    raise ValueError(
                        "%s uses %r, which no initializer, graph input or earlier node defines"
                        % (self._where(), name)
                    )
                else:
                    inputs.append(self._nodes[name])
            attrs = {a.name: _attr_value(self._onnx, a) for a in node.attribute}
            conv = convert_map[key].get_converter(self.opset)
            try:
                out = conv(inputs, attrs, self)
            except (_error.TVMError, ValueError, NotImplementedError, TypeError, IndexError, KeyError) as err:
                if isinstance(err, _error.OpError) and self._where() in str(err):
                    raise
                cls = type(err) if isinstance(err, _error.TVMError) else _error.OpError
                new = cls("%s: %s" % (self._where(), err))
                if hasattr(err, "input_names"):
                    new.input_names = err.input_names
                raise new from err
            outs = self._split_outputs(out, len(node.output))
            outs = self._with_span(self._fold(node, inputs, outs), source)
            for name, o in zip(node.output, outs):
                if name and o is not None:
                    self._nodes[name] = o

    def run_subgraph(self, graph, bindings):
        """Convert a subgraph (If/Loop/Scan body) in a scope that sees the enclosing values and
        `bindings` (its inputs by name); returns its outputs' expressions."""
        saved_nodes, saved_node = self._nodes, self.current_node
        self._nodes = dict(saved_nodes)
        try:
            for init in graph.initializer:
                self._nodes[init.name] = _np_const(self._onnx.numpy_helper.to_array(init))
            self._nodes.update(bindings)
            self.convert_nodes(graph.node)
            outs = []
            for o in graph.output:
                if o.name not in self._nodes:
                    raise ValueError("subgraph output %r is not produced by any node" % o.name)
                outs.append(self._nodes[o.name])
            return outs
        finally:
            self._nodes, self.current_node = saved_nodes, saved_node

    def _split_outputs(self, out, n):
        if isinstance(out, _expr.TupleWrapper):
            return [out[i] for i in range(len(out))]
        if isinstance(out, (list, tuple)):
            return list(out)
        if n > 1:
            ty = None
            try:
                ty = self.infer_type(out)
            except Exception:  # pylint: disable=broad-except
                pass
            if isinstance(ty, _ty.TupleType):
                return [_expr.TupleGetItem(out, i) for i in range(len(ty.fields))]
        return [out]

    _NO_FOLD = {"RandomUniformLike", "RandomNormalLike", "RandomUniform", "RandomNormal", "Bernoulli"}

    def _fold(self, node, inputs, outs):
        """Evaluate nodes whose inputs are all constants (shape arithmetic becomes static)."""
        if node.op_type in self._NO_FOLD:
            return outs
        if any(i is not None and not isinstance(i, _expr.Constant) for i in inputs):
            return outs
        folded = []
        for o in outs:
            if o is None or isinstance(o, _expr.Constant):
                folded.append(o)
                continue
            if _analysis.free_vars(o):
                folded.append(o)
                continue
            try:
                val = self.evaluate(o)
            except Exception:  # pylint: disable=broad-except
                folded.append(o)  # left to run at run time
                continue
            if hasattr(val, "numpy"):
                folded.append(_np_const(val.numpy()))
            else:
                folded.append(o)
        return folded


def _opset_of(model):
    for imp in model.opset_import:
        if imp.domain in ("", "ai.onnx"):
            return int(imp.version)
    return None


def _export_renamed_model(onnx, model, graph_proto, folder):
    """Save a copy of model whose unnamed nodes carry the names their spans got ("MatMul_0") to
    folder/tvm_exported_model_<time>.onnx, so the spans can be found in the model."""
    import os  # pylint: disable=import-outside-toplevel
    import time  # pylint: disable=import-outside-toplevel

    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    stack = [(model.graph, copy.graph)]
    while stack:
        original, renamed = stack.pop()
        for node, new_node in zip(original.node, renamed.node):
            hit = graph_proto._source_names.get(id(node))  # pylint: disable=protected-access
            if hit is not None and hit[0] is node:
                new_node.name = hit[1]
            for attr, new_attr in zip(node.attribute, new_node.attribute):
                if attr.HasField("g"):
                    stack.append((attr.g, new_attr.g))
                stack.extend(zip(attr.graphs, new_attr.graphs))
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "tvm_exported_model_%s.onnx" % time.strftime("%Y%m%d_%H%M%S"))
    onnx.save(copy, path)
    return path


def from_onnx(model, shape=None, dtype="float32", opset=None, freeze_params=True, convert_config=None,
              export_node_renamed_model_path=None):
    """Convert an ONNX model into a Relay module.

    model: an onnx.ModelProto (or a path to a .onnx file, or the bytes of one).
    shape: dict input name -> shape, for inputs whose shape the model leaves symbolic.
    dtype: str or dict input name -> dtype, for inputs whose type the model leaves open.
    opset: override the model's opset (default: the model's ai.onnx opset).
    freeze_params: initializers become constants (True) or parameters returned in params.
    convert_config: dict of options (unused keys are ignored).
    export_node_renamed_model_path: a folder: a copy of the model whose unnamed nodes carry the names
        their spans got ("MatMul_0") is saved there as tvm_exported_model_<time>.onnx.

    Returns (tvm.IRModule, dict name -> tvm.nd.NDArray).
    """
    onnx = _import_onnx()
    if isinstance(model, (bytes, bytearray)):
        model = _parse_model_bytes(onnx, bytes(model), "<bytes>")
    elif isinstance(model, str):
        try:
            with open(model, "rb") as f:
                data = f.read()
        except OSError as err:
            raise ValueError("cannot read the ONNX file %r: %s" % (model, err)) from err
        model = _parse_model_bytes(onnx, data, model)
    if not isinstance(model, onnx.ModelProto):
        raise TypeError("from_onnx expects an onnx.ModelProto, got %s" % type(model).__name__)
    if not model.HasField("graph"):
        raise ValueError("the ONNX model has no graph (an empty or truncated file?)")
    if opset is None:
        opset = _opset_of(model)
        if opset is None:  # only other domains imported: their operators are reported unsupported
            opset = 17
    g = GraphProto(shape, dtype, freeze_params, convert_config)
    result = g.from_onnx(model.graph, int(opset), onnx)
    if export_node_renamed_model_path is not None:
        _export_renamed_model(onnx, model, g, export_node_renamed_model_path)
    return result


def _parse_model_bytes(onnx, data, where):
    model = onnx.ModelProto()
    try:
        model.ParseFromString(data)
    except Exception as err:  # protobuf's DecodeError: truncated or not an ONNX file
        raise ValueError("%s is not a valid ONNX model (truncated or not a protobuf): %s" % (where, err)) from err
    if not model.HasField("graph"):
        raise ValueError("%s is not a valid ONNX model: it has no graph" % where)
    return model
