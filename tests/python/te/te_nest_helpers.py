# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""A compact, stable text of a lowered loop nest, for exact comparisons in tests.

    for i_outer in parallel(32):
      allocate C_global float32[1024] global
      for j_inner in vectorized(8):
        C[i_outer * 8 + j_inner] = A[...] + 1.0f

One line per statement, two spaces per level; loop kinds, vector lanes
(Ramp indices print as T.Ramp(base, stride, lanes)), allocation sizes and
guards are all visible, buffer declarations are not.
"""
import re

import tvm
from tvm import tir

_KIND = {0: "range", 1: "parallel", 2: "vectorized", 3: "unroll", 4: "thread_binding"}


def _e(expr):
    return str(expr)


def _index(i):
    if isinstance(i, tir.Ramp) and int(getattr(i.stride, "value", 0)) == 1:
        return f"{_e(i.base)}:{_e(i.base + i.lanes)}"
    return _e(i)


def _indices(indices):
    return ", ".join(_index(i) for i in indices)


def _name(text):
    return re.sub(r"[^0-9A-Za-z_]", "_", text)


def _buffer(buf):
    """A buffer's name; name@storage when it lives in another allocation (StorageRewrite reuse)."""
    name, data = _name(buf.name), _name(buf.data.name_hint)
    return name if name == data or data == name + "_1" else f"{name}@{data}"


def loop_nest(node):
    """The text of a lowered module (its only function), PrimFunc or statement."""
    if isinstance(node, tvm.IRModule):
        funcs = list(node.functions.values()) if hasattr(node, "functions") else None
        if funcs is None:
            funcs = [node[gv] for gv in node.get_global_vars()]
        assert len(funcs) == 1, "expected one function"
        node = funcs[0]
    if isinstance(node, tir.PrimFunc):
        node = node.body
    lines = []

    def visit(s, depth):
        pad = "  " * depth
        if isinstance(s, tir.SeqStmt):
            for x in s.seq:
                visit(x, depth)
        elif isinstance(s, tir.For):
            kind = _KIND[int(s.kind)]
            rng = _e(s.extent) if int(getattr(s.min, "value", -1)) == 0 else f"{_e(s.min)}, {_e(s.min + s.extent)}"
            lines.append(f"{pad}for {_name(s.loop_var.name_hint)} in {kind}({rng}):")
            visit(s.body, depth + 1)
        elif isinstance(s, tir.Allocate):
            scope = s.buffer_var.type_annotation.storage_scope or "global"
            lines.append(f"{pad}allocate {_name(s.buffer_var.name_hint)} {s.dtype}[{_indices(s.extents)}] {scope}")
            visit(s.body, depth)
        elif isinstance(s, tir.DeclBuffer):
            visit(s.body, depth)
        elif isinstance(s, tir.AttrStmt):
            if s.attr_key in ("thread_extent", "virtual_thread"):
                lines.append(f"{pad}launch {s.node.thread_tag} = {_e(s.value)}")
            else:
                node = s.node
                if isinstance(node, tir.IterVar):
                    name = node.var.name_hint
                elif isinstance(node, tir.Var):
                    name = node.name if isinstance(node, tir.Buffer) else node.name_hint
                elif isinstance(node, tir.Buffer):
                    name = node.name if isinstance(node, tir.Buffer) else node.name_hint
                else:
                    name = type(node).__name__
                lines.append(f"{pad}attr {_name(name)} {s.attr_key} = {_e(s.value)}")
            visit(s.body, depth)
        elif isinstance(s, tir.IfThenElse):
            lines.append(f"{pad}if {_e(s.condition)}:")
            visit(s.then_case, depth + 1)
            if s.else_case is not None:
                lines.append(f"{pad}else:")
                visit(s.else_case, depth + 1)
        elif isinstance(s, tir.BufferStore):
            lines.append(f"{pad}{_buffer(s.buffer)}[{_indices(s.indices)}] = {_e(s.value)}")
        elif isinstance(s, tir.ProducerStore):
            lines.append(f"{pad}{s.producer.name}[{_indices(s.indices)}] = {_e(s.value)}")
        elif isinstance(s, tir.BufferRealize):
            region = ", ".join(f"{_e(r.min)}:{_e(r.min + r.extent)}" for r in s.bounds)
            lines.append(f"{pad}realize {_name(s.buffer.name)}[{region}] {s.buffer.scope()}")
            visit(s.body, depth)
        elif isinstance(s, tir.ProducerRealize):
            region = ", ".join(f"{_e(r.min)}:{_e(r.min + r.extent)}" for r in s.bounds)
            lines.append(f"{pad}realize {s.producer.name}[{region}] {s.storage_scope or 'global'}")
            visit(s.body, depth)
        elif isinstance(s, tir.LetStmt):
            lines.append(f"{pad}let {_name(s.var.name_hint)} = {_e(s.value)}")
            visit(s.body, depth)
        elif isinstance(s, tir.Evaluate):
            lines.append(f"{pad}{_e(s.value)}")
        elif isinstance(s, tir.AssertStmt):
            lines.append(f"{pad}assert {_e(s.condition)}")
            visit(s.body, depth)
        else:
            lines.append(f"{pad}{s}")

    visit(node, 0)
    return "\n".join(lines)


def lower_nest(s, args):
    """tvm.lower(simple_mode=True) of a schedule, as loop_nest text."""
    return loop_nest(tvm.lower(s, args, simple_mode=True))


def dedent(text):
    """Strip the common indentation and surrounding blank lines of an expected nest."""
    import textwrap  # pylint: disable=import-outside-toplevel

    return textwrap.dedent(text).strip("\n")
