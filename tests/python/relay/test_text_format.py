# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The Relay text format: print -> parse -> structurally equal -> print gives the same text."""
import re
import time

import numpy as np
import pytest

import tvm
from tvm import relay, te
from tvm.ir import make_dict_attrs

SEMVER = '#[version = "0.0.5"]\n'
EXP = tvm.ir.Op.get("tir.exp")
LOG = tvm.ir.Op.get("tir.log")


def strip_spans(text):
    """The text without the spans the parser records (printed in the comments, as TVM does)."""
    return re.sub(r" span=[^\s*]+", "", text).replace(" /* */", "")


def roundtrip(node):
    """Print, parse back, check structural equality and that printing again gives the same text."""
    text = node.astext()
    if isinstance(node, tvm.IRModule):
        back = tvm.parser.parse(text)
        # The parser type-checks a module (InferType, as TVM's does): compare with the typed module,
        # and check that printing is stable from the typed text on.
        expected = relay.transform.InferType()(node)
        again = back.astext()
        assert strip_spans(tvm.parser.parse(again).astext()) == strip_spans(again)
    else:
        back = tvm.parser.parse_expr(text)
        expected = node
        assert strip_spans(back.astext()) == strip_spans(text)
    tvm.ir.assert_structural_equal(back, expected, map_free_vars=True)
    return text


def test_scalars_print_inline():
    cases = [
        (relay.const(42, "int16"), "42i16"),
        (relay.const(42, "int32"), "42"),
        (relay.const(-42, "int64"), "-42i64"),
        (relay.const(7, "uint8"), "7u8"),
        (relay.const(3.0, "float16"), "3f16"),
        (relay.const(3.0, "float32"), "3f"),
        (relay.const(3.0, "float64"), "3f64"),
        (relay.const(0.1, "float32"), "0.1f"),
        (relay.const(1e11, "float32"), "1e+11f"),
        (relay.const(True, "bool"), "True"),
    ]
    for expr, text in cases:
        assert roundtrip(expr) == SEMVER + text


def test_scalar_precision_survives():
    # Shortest text that reads back as the same float: no digits lost.
    for v in [1.0 / 3, 123456.789, 1e-7, -2.5e-20]:
        roundtrip(relay.const(v, "float32"))
        roundtrip(relay.const(v, "float64"))


def test_parse_literals():
    def scalar(text):
        c = tvm.parser.parse_expr(text)
        return c.data.numpy().item(), c.data.dtype

    assert scalar("-05") == (-5, "int32")
    assert scalar("2147483648") == (2147483648, "int64")
    assert scalar("-42i16") == (-42, "int16")
    assert scalar("1e-1f")[1] == "float32"
    assert scalar("1.5") == (1.5, "float32")
    assert scalar("3f16") == (3.0, "float16")
    assert scalar("False") == (False, "bool")


def test_literal_out_of_range():
    with pytest.raises(tvm.error.DiagnosticError, match="does not fit in int16"):
        tvm.parser.parse_expr("32768i16")
    with pytest.raises(tvm.error.DiagnosticError, match="does not fit in int32"):
        tvm.parser.parse_expr("2147483648i32")


def test_every_expression_construct():
    n = te.size_var("n")
    x = relay.var("x", relay.TensorType((n, 3, relay.Any()), "float32"))
    y = relay.var("y")
    c = relay.var("c", "bool")
    r = relay.var("r", relay.RefType(relay.TensorType((), "float32")))
    e = relay.Call(EXP, [x])
    shared = relay.Call(LOG, [e])
    tup = relay.Tuple([shared, shared, relay.Tuple([]), relay.Tuple([y])])
    # (A node shared by both branches of an If prints inside each branch and parses back as two
    # nodes, which graph equality tells apart: the printer does not hoist it yet.)
    branch = relay.If(c, relay.TupleGetItem(tup, 0), relay.Call(EXP, [y]))
    v = relay.var("v")
    body = relay.Let(v, branch, relay.Tuple([v, relay.RefRead(r), relay.RefWrite(r, relay.const(1.0)), relay.RefCreate(y)]))
    f = relay.Function([x, y, c, r], body)
    text = roundtrip(f)
    assert "meta[tir.SizeVar][0]" in text
    assert "Tensor[(meta[tir.SizeVar][0], 3, ?), float32]" in text
    assert "%c: bool" in text and "ref(float32)" in text
    assert "if (%c) {" in text and "} else {" in text
    assert "ref_read(%r)" in text and "ref_write(%r, 1f)" in text and "ref(%y)" in text
    assert "let %v = " in text


def test_types():
    a = relay.TypeVar("A")
    b = relay.TypeVar("B")
    a2 = relay.TypeVar("A")
    ft = relay.FuncType([a2, relay.TupleType([b, relay.TensorType((2,), "int64")])], a2, [a2, b])
    x = relay.var("x", a)
    g = relay.var("g", ft)
    h = relay.var("h", relay.TupleType([relay.TensorType((1,), "float16")]))
    i = relay.var("i", relay.IncompleteType())
    f = relay.Function([x, g, h, i], x, a, [a])
    text = roundtrip(f)
    assert "fn [A](%x: A, %g: fn [A1, B](A1, (B, Tensor[(2), int64])) -> A1, %h: (Tensor[(1), float16],), %i: ?) -> A {" in text


def test_shared_nodes_print_once():
    x = relay.var("x", shape=(3, 2))
    z = relay.Call(EXP, [x])
    z = relay.Call(LOG, [relay.Tuple([z, z])])
    assert roundtrip(relay.Function([x], z)) == SEMVER + (
        "fn (%x: Tensor[(3, 2), float32]) {\n"
        "  %0 = tir.exp(%x);\n"
        "  %1 = (%0, %0);\n"
        "  tir.log(%1)\n"
        "}"
    )


def test_node_shared_by_both_if_branches_prints_once_above_the_if():
    x, c = relay.var("x", shape=(2,)), relay.var("c", shape=(), dtype="bool")
    s = relay.exp(x)
    t = relay.sqrt(x)  # used by one branch only (twice): stays inside it
    f = relay.Function([x, c], relay.If(c, relay.add(s, relay.add(t, t)), relay.multiply(s, s)))
    text = roundtrip(tvm.IRModule.from_expr(f))
    assert strip_spans(text) == SEMVER + (
        "def @main(%x: Tensor[(2), float32], %c: bool) {\n"
        "  %0 = exp(%x);\n"
        "  if (%c) {\n"
        "    %1 = sqrt(%x);\n"
        "    %2 = add(%1, %1);\n"
        "    add(%0, %2)\n"
        "  } else {\n"
        "    multiply(%0, %0)\n"
        "  }\n"
        "}\n"
    )


def test_if_branches_keep_shared_nodes_that_use_their_own_variables():
    # exp(%a) uses a variable each branch binds for itself (%a is let-bound in the true
    # branch; the fn's %y is its own): those stay inside, and the round trip still holds.
    x, c = relay.var("x", shape=(2,)), relay.var("c", shape=(), dtype="bool")
    y = relay.var("y", shape=(2,))
    fn = relay.Function([y], relay.exp(y))  # shared, binds its own parameter: hoisted whole
    a = relay.var("a", shape=(2,))
    inner = relay.exp(a)
    true_b = relay.Let(a, relay.negative(x), relay.add(inner, relay.Call(fn, [x])))
    false_b = relay.Call(fn, [relay.abs(x)])
    text = roundtrip(tvm.IRModule.from_expr(relay.Function([x, c], relay.If(c, true_b, false_b))))
    hoisted, _, branches = strip_spans(text).partition("if (%c)")
    assert "fn (%y" in hoisted and "let %a" in branches and "exp(%a)" in branches


def test_nested_ifs_share_with_the_enclosing_scope():
    x, c = relay.var("x", shape=(2,)), relay.var("c", shape=(), dtype="bool")
    s = relay.exp(x)
    inner = relay.If(c, relay.add(s, x), relay.subtract(s, x))
    f = relay.Function([x, c], relay.If(c, relay.multiply(inner, s), relay.abs(s)))
    text = strip_spans(roundtrip(tvm.IRModule.from_expr(f)))
    assert text.count("exp(%x)") == 1 and text.index("exp(%x)") < text.index("if (%c)")


def test_shared_reference_reads_stay_in_the_branches():
    # Hoisting ref_read above the if would move it before the true branch's ref_write.
    c = relay.var("c", shape=(), dtype="bool")
    r = relay.var("r", relay.RefType(relay.TensorType((), "float32")))
    read = relay.RefRead(r)
    true_b = relay.Let(relay.var("w"), relay.RefWrite(r, relay.const(1.0)), read)
    text = strip_spans(relay.Function([r, c], relay.If(c, true_b, read)).astext())
    assert text.count("ref_read(%r)") == 2


def test_call_node_order():
    x = relay.var("x")
    y = relay.var("y")
    prog = relay.Call(relay.Function([x], x), [relay.Call(relay.Function([y], y), [relay.const(1)])])
    assert roundtrip(prog) == SEMVER + (
        "%0 = fn (%y) {\n  %y\n};\n%1 = %0(1);\n%2 = fn (%x) {\n  %x\n};\n%2(%1)"
    )


def test_let_inlining():
    tup = relay.Tuple([relay.const(0), relay.const(0)])
    x = relay.var("x")
    assert roundtrip(relay.Let(x, tup, tup)) == SEMVER + "%0 = (0, 0);\nlet %x = %0;\n%0"
    assert roundtrip(relay.Let(x, tup, x)) == SEMVER + "let %x = (0, 0);\n%x"


def test_let_in_argument_position_and_recursive_let():
    x = relay.var("x")
    y = relay.var("y")
    inner = relay.Let(y, relay.Call(EXP, [x]), y)
    roundtrip(relay.Function([x], relay.Call(LOG, [inner])))
    f = relay.var("f")
    a = relay.var("a")
    rec = relay.Function([a], relay.Call(f, [a]))
    roundtrip(relay.Let(f, rec, relay.Call(f, [relay.const(1.0)])))


def test_variable_names():
    v1 = relay.var("1")
    assert "%v1" in roundtrip(v1)
    a = relay.var("base/x")
    b = relay.var("x.y-z")
    text = roundtrip(relay.Tuple([a, b, relay.var("base/x")]))
    assert "%base/x" in text and "%base/x1" in text and "%x_y_z" in text


def test_free_vars():
    x = relay.var("x", shape=(2,))
    text = roundtrip(relay.Call(EXP, [x]))
    assert text == SEMVER + "free_var %x: Tensor[(2), float32];\ntir.exp(%x)"


def test_function_attributes():
    x = relay.var("x")
    f = relay.Function([x], x)
    f = f.with_attr("Primitive", tvm.tir.IntImm("int32", 1))
    f = f.with_attr("Compiler", "ccompiler")
    f = f.with_attr("TestAttribute", None)
    f = f.with_attr("Sizes", [1, 2])
    text = roundtrip(f)
    assert "Primitive=1" in text and 'Compiler="ccompiler"' in text and "TestAttribute=None" in text
    assert "Sizes=[1, 2]" in text


def test_module_with_global_calls():
    x = relay.var("x", shape=(4,))
    fa = relay.GlobalVar("a")
    fb = relay.GlobalVar("b")
    mod = tvm.IRModule()
    y = relay.var("y", shape=(4,))
    mod[fb] = relay.Function([y], relay.Call(fa, [y]))
    z = relay.var("z", shape=(4,))
    mod[fa] = relay.Function([z], relay.exp(z), relay.TensorType((4,), "float32"))
    text = roundtrip(mod)
    assert text == SEMVER + (
        "def @a(%z: Tensor[(4), float32]) -> Tensor[(4), float32] {\n"
        "  exp(%z)\n"
        "}\n"
        "\n"
        "def @b(%y: Tensor[(4), float32]) {\n"
        "  @a(%y)\n"
        "}\n"
    )
    assert "def @b" in str(mod)
    back = tvm.parser.parse(text)
    assert back["b"].body.op.same_as(back.get_global_var("a"))


def test_metadata_constants():
    data = np.arange(6, dtype="float32").reshape(2, 3)
    c = relay.const(data)
    x = relay.var("x", shape=(2, 3))
    f = relay.Function([x], relay.Tuple([c, c, relay.Call(EXP, [x])]))
    text = roundtrip(f)
    assert "meta[relay.Constant][0]" in text and "#[metadata]" in text
    assert "meta[relay.Constant][1]" not in text  # one table entry for the shared constant
    back = tvm.parser.parse_expr(text)
    np.testing.assert_array_equal(back.body.fields[0].data.numpy(), data)
    # Without the section the text still names the constant but cannot be parsed back.
    no_meta = f.astext(show_meta_data=False)
    assert "meta[relay.Constant][0]" in no_meta and "#[metadata]" not in no_meta
    assert "type_key" not in str(f)
    with pytest.raises(tvm.error.DiagnosticError, match=r"meta\[relay.Constant\]"):
        tvm.parser.parse_expr(no_meta)


def test_init_meta_table():
    c = relay.const(np.ones((2, 2), "float32"))
    mod = tvm.parser.parse(SEMVER + "def @main() { meta[relay.Constant][0] }", init_meta_table={"relay.Constant": [c]})
    np.testing.assert_array_equal(mod["main"].body.data.numpy(), np.ones((2, 2)))


def test_call_dict_attrs():
    x = relay.var("x")
    call = relay.Call(EXP, [x], make_dict_attrs({"axis": 2, "name": "n", "scale": 0.5}))
    text = roundtrip(relay.Function([x], call))
    assert 'tir.exp(%x, axis=2, name="n", scale=0.5f, attrs_type_key="DictAttrs")' in text


def test_comments_and_whitespace_are_skipped():
    mod = tvm.parser.parse(
        SEMVER
        + """
// a line comment
def @main(%x: float32 /* an annotation */) {
  /* nested /* block */ comment */
  exp(%x)  // trailing
}
"""
    )
    assert mod["main"].body.op.same_as(tvm.ir.Op.get("exp"))


def test_spans_on_every_node():
    mod = tvm.parser.parse(
        SEMVER + "def @main(%x: float32) {\n  %0 = exp(%x);\n  let %y = (%0, %0);\n  %y.1\n}\n"
    )
    f = mod["main"]
    assert (f.span.line, f.span.column) == (2, 1)
    let = f.body
    assert (let.span.line, let.span.column) == (4, 3)
    assert (let.value.span.line, let.value.span.column) == (4, 12)
    assert (let.value.fields[0].span.line, let.value.fields[0].span.column) == (3, 8)
    assert (let.body.span.line, let.body.span.column) == (5, 3)
    assert (f.params[0].span.line, f.params[0].span.column) == (2, 11)
    assert f.span.source_name.name == "from_string"


def error_of(text, parse=tvm.parser.parse):
    with pytest.raises(tvm.error.DiagnosticError) as info:
        parse(text)
    return str(info.value)


def test_error_unknown_operator_names_line_and_column():
    msg = error_of(SEMVER + "def @main(%x) {\n  nn.nonexistent(%x)\n}\n")
    assert "from_string:3:3: error: unknown operator 'nn.nonexistent'" in msg
    assert "  nn.nonexistent(%x)\n    ^" in msg


def test_error_unbound_variable_and_undefined_global():
    assert "3:11: error: unbound variable %y" in error_of(SEMVER + "def @main(%x) {\n  tir.log(%y)\n}\n")
    assert "@f is used but never defined" in error_of(SEMVER + "def @main(%x) {\n  @f(%x)\n}\n")


def test_error_attributes():
    msg = error_of(SEMVER + "def @main(%x) {\n  tir.exp(%x, axis=1)\n}\n")
    assert "3:15: error: operator 'tir.exp' takes no attributes, got 'axis'" in msg


def test_error_syntax():
    msg = error_of(SEMVER + "def @main(%x) {\n  (%x, %x\n}\n")
    assert "4:1: error: expected ')', got '}'" in msg
    assert "expected an expression" in error_of("(1, ", tvm.parser.parse_expr)
    assert "never closed" in error_of(SEMVER + "/* open")
    assert "unknown type 'floaty32'" in error_of(SEMVER + "def @main(%x: floaty32) { %x }")


def test_long_chain_is_not_recursive():
    x = relay.var("x", shape=(3, 2))
    z = x
    for _ in range(100000):
        z = relay.Call(EXP, [z])
    f = relay.Function([x], z)
    start = time.time()
    text = f.astext()
    assert text.count("tir.exp(") == 100000
    back = tvm.parser.parse_expr(text)
    # (tvm.ir.structural_equal recurses per node, so the chain is compared by walking it.)
    assert strip_spans(back.astext()) == text
    node, depth = back.body, 0
    while isinstance(node, relay.Call):
        assert node.op.same_as(EXP)
        node, depth = node.args[0], depth + 1
    assert depth == 100000 and node.same_as(back.params[0])
    assert time.time() - start < 60


def test_module_repr():
    x = relay.var("x", "float32")
    mod = tvm.IRModule({"myf": relay.Function([x], relay.Call(EXP, [x]))})
    assert str(mod) == SEMVER + "def @myf(%x: float32) {\n  tir.exp(%x)\n}\n"
    assert repr(relay.Call(EXP, [x])) == "free_var %x: float32;\ntir.exp(%x)"
    # A module of PrimFuncs keeps printing TVMScript.
    a = te.placeholder((4,), name="a")
    b = te.compute((4,), lambda i: a[i] + 1, name="b")
    lowered = tvm.lower(te.create_schedule(b.op), [a, b])
    assert "T.prim_func" in str(lowered) and "#[version" not in str(lowered)


def test_type_repr():
    n = te.size_var("n")
    assert repr(relay.TensorType((n, 3, relay.Any()), "float32")) == "Tensor[(n, 3, ?), float32]"
    assert repr(relay.TensorType((), "int64")) == "int64"
    assert repr(relay.TupleType([relay.TensorType((1,), "float16")])) == "(Tensor[(1), float16],)"
    a = relay.TypeVar("A")
    assert repr(relay.FuncType([a], relay.RefType(a), [a])) == "fn [A](A) -> ref(A)"
    assert repr(relay.IncompleteType()) == "?"


def test_mixed_module_prim_func_in_metadata():
    a = te.placeholder((4,), name="a")
    b = te.compute((4,), lambda i: a[i] + 1, name="b")
    prim = tvm.lower(te.create_schedule(b.op), [a, b])["main"]
    x = relay.var("x", shape=(4,))
    mod = tvm.IRModule({"main": relay.Function([x], relay.exp(x)), "prim": prim})
    text = mod.astext()
    assert "def @prim = meta[tir.PrimFunc][0];" in text
    back = tvm.parser.parse(text)
    tvm.ir.assert_structural_equal(back, relay.transform.InferType()(mod))  # the parser type-checks


def test_inferred_types_print_as_comments():
    x = relay.var("x", "float32")
    y = relay.var("y", "float32")
    z = relay.add(x, y)
    z = relay.add(z, z)
    mod = relay.transform.InferType()(tvm.IRModule({"myf": relay.Function([x, y], z)}))
    text = mod.astext()
    assert "%0 = add(%x, %y) /* ty=float32 */;" in text
    assert "add(%0, %0) /* ty=float32 */" in text and "add(%0, %0) /* ty=float32 */" in str(mod)
    # The comments are skipped by the parser; the inferred type arguments of
    # operator calls are not part of structural equality (as in TVM).
    tvm.ir.assert_structural_equal(tvm.parser.parse(text), mod)


def test_operator_attributes():
    x = relay.var("x", shape=(2, 3))
    e = relay.clip(relay.cast(x, "float16"), 0.1, 6.0)
    text = roundtrip(e)
    assert 'cast(%x, dtype="float16")' in text and "clip(%0, a_min=0.1f, a_max=6f)" in text
    back = tvm.parser.parse_expr(text)
    assert back.attrs.a_min == 0.1  # the double, not a float32 rounding of it
    msg = error_of(SEMVER + "def @main(%x) {\n  cast(%x, dtype=\"int8\", scale=2)\n}\n")
    assert "3:26: error: operator 'cast' has no attribute 'scale'" in msg


def test_deep_nesting_is_an_error_not_a_crash():
    text = "tir.exp(" * 5000 + "1f" + ")" * 5000
    msg = error_of(text, tvm.parser.parse_expr)
    assert "nested more than 2000 levels deep" in msg
    # Printed text never nests calls: the same chain built as IR prints and parses.
    z = relay.const(1.0)
    for _ in range(5000):
        z = relay.Call(EXP, [z])
    assert strip_spans(tvm.parser.parse_expr(z.astext()).astext()) == z.astext()


def test_from_expr_and_constant_type_comments():
    c = relay.const(1)
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(relay.add(c, c)))
    text = mod.astext()
    assert "add(1 /* ty=int32 */, 1 /* ty=int32 */) /* ty=int32 */" in text
    tvm.ir.assert_structural_equal(tvm.parser.parse(text), mod)
    x = relay.var("x", "float32")
    assert list(tvm.IRModule.from_expr(relay.add(x, x))["main"].params)[0].same_as(x)


def test_non_finite_attributes():
    x = relay.var("x", shape=(3, 4))
    e = relay.clip(x, -np.inf, np.inf)
    text = roundtrip(e)
    assert "clip(%x, a_min=-inff, a_max=inff)" in text
    f = relay.Function([x], x).with_attr("nan", tvm.tir.FloatImm("float64", float("nan")))
    assert "nan=nanf64" in f.astext()
    assert np.isnan(tvm.parser.parse_expr(f.astext()).attrs["nan"].value)


def test_annotate_spans():
    x = relay.var("x", shape=(3, 4))
    mod = tvm.IRModule.from_expr(relay.Function([x], relay.exp(relay.clip(x, -np.inf, 1.0))))
    out = relay.transform.AnnotateSpans()(mod)
    tvm.ir.assert_structural_equal(out, relay.transform.InferType()(mod))
    body = out["main"].body
    assert body.span.source_name.name == "GeneratedSource"
    assert (body.span.line, body.args[0].span.line) == (4, 3)


def test_nn_operators_print_as_tvm():
    n = te.size_var("n")
    x = relay.var("x", shape=(n, 10, 224, 224))
    w = relay.var("w")
    z = relay.nn.conv2d(x, w, kernel_size=(3, 3), padding=(1, 1), channels=2)
    f = relay.Function([x, w], relay.nn.softmax(relay.nn.relu(z), axis=1))
    text = roundtrip(f)
    assert "%0 = nn.conv2d(%x, %w, padding=[1, 1, 1, 1], channels=2, kernel_size=[3, 3]);" in text
    assert "nn.softmax(%1, axis=1)" in text
    assert "meta[tir.SizeVar][0]" in str(f) and "type_key" not in str(f)
    msg = error_of(SEMVER + "def @main(%x, %w) {\n  nn.conv2d(%x, %w, stride=[2, 2])\n}\n")
    assert "3:21: error: operator 'nn.conv2d' has no attribute 'stride'" in msg and "strides" in msg
