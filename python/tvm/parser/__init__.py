# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Reading the Relay text format (what ``astext()`` and ``print(mod)`` write).

parse(text) gives an IRModule, parse_expr(text) an expression; every node the
parser makes carries a Span with its line and column, and syntax errors raise
tvm.error.DiagnosticError naming the line and column.
"""
from .._ffi import _init_api
from ..runtime.container import convert

_init_api("parser", __name__)


def parse(source, source_name="from_string", init_module=None, init_meta_table=None):
    """Parse a module in the Relay text format (``#[version = "0.0.5"]`` then ``def @f(...)``).

    init_module: functions to start from (the text may call them);
    init_meta_table: {type_key: [objects]} that ``meta[type_key][i]`` refers to, besides
    the text's own ``#[metadata]`` section.
    """
    meta = convert({k: list(v) for k, v in init_meta_table.items()}) if init_meta_table else None
    return ParseModuleInContext(source_name, source, init_module, meta)  # pylint: disable=undefined-variable


def parse_expr(source, source_name="string"):
    """Parse one expression (bindings allowed before it); unknown %names become free variables."""
    return ParseExpr(source_name, source)  # pylint: disable=undefined-variable


def fromtext(source, source_name="from_string"):
    """The old name of parse."""
    return parse(source, source_name)


def SpanCheck():  # pylint: disable=invalid-name
    """A pass checking that every Relay expression of the module carries a span (as the
    parser and AnnotateSpans leave them); a DiagnosticError names the first without one."""
    from ..ir.transform import module_pass  # pylint: disable=import-outside-toplevel
    from ..relay.analysis import post_order_visit  # pylint: disable=import-outside-toplevel
    from ..error import DiagnosticError  # pylint: disable=import-outside-toplevel
    from ..ir import Op, GlobalVar  # pylint: disable=import-outside-toplevel

    def check(mod, ctx):  # pylint: disable=unused-argument
        for gvar, func in mod.functions.items():
            missing = []

            def visit(expr, missing=missing):
                if not missing and not isinstance(expr, (Op, GlobalVar)) and getattr(expr, "span", None) is None:
                    missing.append(expr)

            post_order_visit(func, visit)
            if missing:
                raise DiagnosticError(f"SpanCheck: in {gvar.name_hint}, an expression has no span: "
                                      f"{type(missing[0]).__name__}")
        return mod

    return module_pass(check, opt_level=0, name="SpanCheck")
