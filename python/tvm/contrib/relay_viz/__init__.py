# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Drawing Relay programs (TVM's tvm.contrib.relay_viz).

    viz = relay_viz.RelayVisualizer(mod, plotter=relay_viz.DotPlotter())
    viz.render("resnet")          # writes resnet.dot (Graphviz); `dot -Tsvg resnet.dot` draws it

Each global function is one graph: a node per variable, constant, operator call,
tuple and projection, edges from operands to users. A call of a fused (Primitive)
function, as after FuseOps or in relay.build's optimised module, is drawn as a
cluster holding the operators fused into it, so the fused graph reads at a glance.
DotPlotter writes Graphviz text itself (no graphviz package needed); TermPlotter
(the default) returns an indented text listing.
"""
from ... import ir as _ir
from ...relay import expr as _expr
from ...relay import function as _function
from ...relay.adt import Constructor as _Constructor


class _Graph:
    """Nodes (id, label, kind) and edges (src id, dst id) of one function, with clusters."""

    def __init__(self, name):
        self.name = name
        self.nodes = []  # (id, label, kind, cluster or None)
        self.edges = []
        self.clusters = {}  # cluster id -> label

    def add(self, label, kind, cluster=None):
        node_id = len(self.nodes)
        self.nodes.append((node_id, label, kind, cluster))
        return node_id


def _type_text(expr):
    try:
        return str(expr.checked_type)
    except (ValueError, AttributeError):
        return ""


def _call_label(call):
    op = call.op
    if isinstance(op, _ir.Op):
        return op.name
    if isinstance(op, _ir.GlobalVar):
        return "@" + op.name_hint
    if isinstance(op, _Constructor):
        return op.name_hint
    if isinstance(op, _function.Function):
        return "fn"
    return type(op).__name__


def _is_primitive(func):
    attrs = func.attrs
    return attrs is not None and "Primitive" in attrs.keys() and int(attrs["Primitive"]) == 1


class DotVizParser:
    """Turns a Relay function into a _Graph (no recursion over the expression)."""

    def parse(self, name, func):
        graph = _Graph(name)
        ids = {}
        for param in func.params:
            ids[param] = graph.add(f"%{param.name_hint}\n{_type_text(param)}", "var")
        self._walk(graph, func.body, ids, None)
        return graph

    def _children(self, node):
        if isinstance(node, _expr.Call):
            args = list(node.args)
            if isinstance(node.op, _function.Function) and not _is_primitive(node.op):
                args.append(node.op)
            return args
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
        return []

    def _walk(self, graph, root, ids, cluster):
        stack = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if node in ids:
                continue
            children = self._children(node)
            if not expanded and children:
                stack.append((node, True))
                stack.extend((c, False) for c in reversed(children) if c not in ids)
                continue
            ids[node] = self._add(graph, node, ids, cluster)

    def _add(self, graph, node, ids, cluster):
        if isinstance(node, _expr.Var):
            return graph.add(f"%{node.name_hint}\n{_type_text(node)}", "var", cluster)
        if isinstance(node, _expr.Constant):
            return graph.add(f"const {tuple(node.data.shape)} {node.data.dtype}", "const", cluster)
        if isinstance(node, _ir.GlobalVar):
            return graph.add("@" + node.name_hint, "global", cluster)
        if isinstance(node, _expr.Call) and isinstance(node.op, _function.Function) and _is_primitive(node.op):
            return self._add_fused(graph, node, ids, cluster)
        if isinstance(node, _expr.Call):
            me = graph.add(f"{_call_label(node)}\n{_type_text(node)}", "call", cluster)
        elif isinstance(node, _expr.Tuple):
            me = graph.add("tuple", "tuple", cluster)
        elif isinstance(node, _expr.TupleGetItem):
            me = graph.add(f".{node.index}", "get", cluster)
        elif isinstance(node, _expr.Let):
            me = graph.add(f"let %{node.var.name_hint}", "let", cluster)
        elif isinstance(node, _expr.If):
            me = graph.add("if", "if", cluster)
        elif isinstance(node, _function.Function):
            me = graph.add("fn", "function", cluster)
        else:
            me = graph.add(type(node).__name__, "other", cluster)
        for child in self._children(node):
            graph.edges.append((ids[child], me))
        return me

    def _add_fused(self, graph, call, ids, cluster):
        func = call.op
        ops = []
        inner = {}
        cluster_id = len(graph.clusters)
        for param, arg in zip(func.params, call.args):
            inner[param] = ids[arg]  # an operand's edge goes straight to the fused ops that read it
        self._walk(graph, func.body, inner, cluster_id)
        for node in inner:
            if isinstance(node, _expr.Call) and isinstance(node.op, _ir.Op):
                ops.append(node.op.name)
        graph.clusters[cluster_id] = "fused: " + " + ".join(ops)
        return inner[func.body]


class TermPlotter:
    """Plots as indented text: render() returns the listing (and writes it when given a file name)."""

    def plot(self, graphs):
        lines = []
        for graph in graphs:
            lines.append(f"@{graph.name}")
            for node_id, label, _, cluster in graph.nodes:
                users = [str(d) for s, d in graph.edges if s == node_id]
                where = f" [{graph.clusters[cluster]}]" if cluster is not None else ""
                flat = label.replace("\n", " : ")
                lines.append(f"  {node_id}: {flat}{where}" + (f" -> {', '.join(users)}" if users else ""))
        return "\n".join(lines)


class DotPlotter:
    """Plots as Graphviz dot text, one digraph per function, fused functions as clusters."""

    _SHAPES = {"var": "ellipse", "const": "note", "global": "ellipse", "call": "box", "tuple": "box",
               "get": "box", "let": "diamond", "if": "diamond", "function": "box", "other": "box"}

    def plot(self, graphs):
        out = []
        for graph in graphs:
            out.append(f"digraph {_quote(graph.name)} {{")
            out.append("  rankdir=TB;")
            for cluster, label in graph.clusters.items():
                out.append(f"  subgraph cluster_{cluster} {{")
                out.append(f"    label={_quote(label)}; style=rounded; color=blue;")
                for node_id, text, kind, node_cluster in graph.nodes:
                    if node_cluster == cluster:
                        out.append(f"    n{node_id} [label={_quote(text)}, shape={self._SHAPES[kind]}];")
                out.append("  }")
            for node_id, text, kind, node_cluster in graph.nodes:
                if node_cluster is None:
                    out.append(f"  n{node_id} [label={_quote(text)}, shape={self._SHAPES[kind]}];")
            for src, dst in graph.edges:
                out.append(f"  n{src} -> n{dst};")
            out.append("}")
        return "\n".join(out) + "\n"


def _quote(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class RelayVisualizer:
    """Draws the Relay functions of a module (or one expression) with a plotter.

    relay_mod: an IRModule or a relay Function; relay_param: accepted for TVM's
    signature (parameters bound to constants show as constants already);
    plotter: DotPlotter() or TermPlotter() (the default); parser: a DotVizParser.
    """

    def __init__(self, relay_mod, relay_param=None, plotter=None, parser=None):  # pylint: disable=unused-argument
        if isinstance(relay_mod, _function.Function):
            relay_mod = _ir.IRModule.from_expr(relay_mod)
        if not isinstance(relay_mod, _ir.IRModule):
            raise TypeError(f"RelayVisualizer: expected an IRModule or a relay.Function, got "
                            f"{type(relay_mod).__name__}")
        self._plotter = plotter if plotter is not None else TermPlotter()
        parser = parser if parser is not None else DotVizParser()
        self._graphs = []
        for gvar in sorted(relay_mod.get_global_vars(), key=lambda g: g.name_hint):
            func = relay_mod[gvar]
            if isinstance(func, _function.Function):
                self._graphs.append(parser.parse(gvar.name_hint, func))

    def render(self, filename=None):
        """The plot as text; written to `filename` (".dot" appended for DotPlotter) when given."""
        text = self._plotter.plot(self._graphs)
        if filename is not None:
            if isinstance(self._plotter, DotPlotter) and not str(filename).endswith(".dot"):
                filename = str(filename) + ".dot"
            with open(filename, "w") as f:
                f.write(text)
        return text
