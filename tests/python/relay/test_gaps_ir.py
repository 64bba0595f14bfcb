# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""IR gaps found by TVM v0.14's tests: Var.vid, graph-node structural equality,
pattern variables as binders, InferType filling annotations, the parser
type-checking, spans in the text, IRModule._add, nat.rly/gradient.rly and
constructor tags."""
import pytest

import tvm
from tvm import relay
from tvm.relay.prelude import Prelude


def sequal(a, b, map_free_vars=False):
    """Equality both ways, and the hash agreeing with it."""
    ab = tvm.ir.structural_equal(a, b, map_free_vars)
    assert ab == tvm.ir.structural_equal(b, a, map_free_vars)
    same_hash = tvm.ir.structural_hash(a, map_free_vars) == tvm.ir.structural_hash(b, map_free_vars)
    assert ab == same_hash
    return ab


# ----------------------------------------------------------------- Var.vid


def test_var_has_an_id_with_its_name():
    x = relay.var("x", shape=(2,))
    assert isinstance(x.vid, relay.base.Id)
    assert x.vid.name_hint == "x" and x.name_hint == "x"
    assert not x.vid.same_as(relay.var("x", shape=(2,)).vid)
    with pytest.raises(RuntimeError, match="no constructor"):
        relay.base.Id()


def test_vid_is_the_identity_in_structural_equality():
    # Names do not matter, the binding does: fn(%a) { %a } equals fn(%b) { %b }.
    a, b = relay.var("a", "float32"), relay.var("b", "float32")
    assert sequal(relay.Function([a], a), relay.Function([b], b))
    # Two different free variables are not equal unless free variables are mapped.
    assert not sequal(a, relay.var("a", "float32"))
    assert sequal(a, relay.var("other", "float32"), map_free_vars=True)
    # x + y never equals x + x.
    x, y = relay.var("x", "float32"), relay.var("y", "float32")
    assert not sequal(relay.Function([x, y], x + y), relay.Function([x, y], x + x))


def test_function_attrs_keyed_by_vid_or_var():
    def make(key_of):
        x = relay.var("x", shape=(10,), dtype="float32")
        return relay.Function([x], x).with_attr("dict", {key_of(x): 1})

    assert sequal(make(lambda v: v.vid), make(lambda v: v.vid))
    assert sequal(make(lambda v: v), make(lambda v: v))


# ------------------------------------------------------------ graph nodes


def test_shared_node_differs_from_two_copies():
    x = relay.var("x", "float32")
    y0 = relay.add(x, x)
    shared = relay.add(y0, y0)
    y1 = relay.add(x, x)
    shared_again = relay.add(y1, y1)
    copies = relay.add(relay.add(x, x), relay.add(x, x))
    assert sequal(shared, shared_again)
    assert not sequal(shared, copies)
    assert sequal(copies, relay.add(relay.add(x, x), relay.add(x, x)))
    # The difference is explained.
    with pytest.raises(ValueError, match="shared"):
        tvm.ir.assert_structural_equal(shared, copies)


def test_sharing_inside_functions_and_tuples():
    def fn(share):
        p = relay.var("p", shape=(3,))
        e = relay.exp(p)
        t = relay.Tuple([e, e] if share else [e, relay.exp(p)])
        return relay.Function([p], t)

    assert sequal(fn(True), fn(True))
    assert sequal(fn(False), fn(False))
    assert not sequal(fn(True), fn(False))


def test_empty_tuples_are_values_not_graph_nodes():
    unit = relay.Tuple([])
    assert sequal(relay.Tuple([unit, unit]), relay.Tuple([relay.Tuple([]), relay.Tuple([])]))


def test_graph_equality_on_a_deep_chain():
    x = relay.var("x", shape=(1,))
    a, b = x, x
    for _ in range(20000):
        a = relay.negative(a)
        b = relay.negative(b)
    assert sequal(a, b)


# ------------------------------------------------------ pattern variables


def test_pattern_variables_are_binders():
    p = Prelude(tvm.IRModule())

    def match(name_a, name_b):
        u, v = relay.Var(name_a), relay.Var(name_b)
        clause = relay.Clause(relay.PatternConstructor(p.cons, [relay.PatternVar(u), relay.PatternVar(v)]), p.cons(u, v))
        return relay.Match(p.nil(), [clause, relay.Clause(relay.PatternWildcard(), p.nil())])

    assert sequal(match("x", "y"), match("z", "a"))
    # A clause using its variables the other way round is a different program.
    u, v = relay.Var("x"), relay.Var("y")
    swapped = relay.Match(
        p.nil(),
        [
            relay.Clause(relay.PatternConstructor(p.cons, [relay.PatternVar(u), relay.PatternVar(v)]), p.cons(v, u)),
            relay.Clause(relay.PatternWildcard(), p.nil()),
        ],
    )
    assert not sequal(match("x", "y"), swapped)


def test_tuple_pattern_variables_are_binders():
    def match():
        a, b = relay.Var("a"), relay.Var("b")
        clause = relay.Clause(relay.PatternTuple([relay.PatternVar(a), relay.PatternVar(b)]), a + b)
        return relay.Match(relay.Tuple([relay.const(1), relay.const(2)]), [clause])

    assert sequal(match(), match())


# ---------------------------------------------------- InferType annotations


def test_infer_type_fills_missing_annotations_keeping_the_vid():
    # @f's parameter gets its type from the call in @main.
    x = relay.var("x")
    f = relay.Function([x], relay.add(x, x))
    w = relay.var("w", shape=(4, 3))
    mod = tvm.IRModule()
    f_gv = relay.GlobalVar("f")
    mod[f_gv] = f
    mod["main"] = relay.Function([w], relay.Call(f_gv, [w]))
    out = relay.transform.InferType()(mod)
    tensor = relay.TensorType((4, 3), "float32")
    new_f = out["f"]
    new_x = new_f.params[0]
    assert new_x.type_annotation == tensor
    assert new_x.vid.same_as(x.vid) and not new_x.same_as(x)
    assert new_x.checked_type == tensor
    # Every use refers to the annotated copy.
    assert new_f.body.args[0].same_as(new_x) and new_f.body.args[1].same_as(new_x)
    assert new_f.ret_type == tensor and out["main"].ret_type == tensor
    assert new_f.body.checked_type == tensor
    # The caller's function and module are left as they were.
    assert x.type_annotation is None and f.ret_type is None
    assert mod["f"].same_as(f)


def test_infer_type_fills_let_and_pattern_variables():
    p = Prelude(tvm.IRModule())
    rest = relay.Var("rest")
    head = relay.Var("head")
    xs = relay.Var("xs", p.l(relay.scalar_type("int32")))
    unit = relay.Var("u")
    body = relay.Let(
        unit,
        relay.Tuple([]),
        relay.Match(
            xs,
            [
                relay.Clause(relay.PatternConstructor(p.cons, [relay.PatternVar(head), relay.PatternVar(rest)]), head),
                relay.Clause(relay.PatternWildcard(), relay.const(0)),
            ],
        ),
    )
    p.mod["first_or_zero"] = relay.Function([xs], body)
    fn = relay.transform.InferType()(p.mod)["first_or_zero"]
    assert fn.body.var.type_annotation == relay.TupleType([])
    clause = fn.body.body.clauses[0]
    h, r = (q.var for q in clause.lhs.patterns)
    assert h.type_annotation == relay.scalar_type("int32")
    assert r.type_annotation == p.l(relay.scalar_type("int32"))
    assert clause.rhs.same_as(h)
    assert fn.ret_type == relay.scalar_type("int32")


def test_infer_type_leaves_fully_annotated_functions_alone():
    x = relay.var("x", shape=(2,))
    fn = relay.Function([x], relay.exp(x), relay.TensorType((2,), "float32"))
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(fn))
    assert mod["main"].same_as(fn)


# ------------------------------------------------------------ the parser


def test_parsed_module_is_type_checked_and_annotated():
    mod = tvm.relay.parse(
        """
        #[version = "0.0.5"]
        def @main(%x: Tensor[(2, 3), float32]) {
          let %y = exp(%x);
          %y
        }
        """
    )
    fn = mod["main"]
    assert fn.body.var.type_annotation == relay.TensorType((2, 3), "float32")
    assert fn.ret_type == relay.TensorType((2, 3), "float32")
    assert fn.body.checked_type == relay.TensorType((2, 3), "float32")


def test_parsing_an_ill_typed_module_names_the_error():
    with pytest.raises(tvm.error.DiagnosticError, match="nn.dense"):
        tvm.relay.parse(
            """
            #[version = "0.0.5"]
            def @main(%x: Tensor[(2, 10), float32], %w: Tensor[(5, 11), float32]) {
              nn.dense(%x, %w)
            }
            """
        )


def test_constructor_call_type_args_after_parsing():
    mod = tvm.relay.parse(
        """
        #[version = "0.0.5"]
        type Box[T] { B(T), }
        def @f(%x: int32) { B(%x) }
        """
    )
    assert [str(t) for t in mod["f"].body.type_args] == ["int32"]


# ------------------------------------------------------------ spans in text


def test_spans_are_printed_and_skipped_when_read():
    x = relay.var("x", shape=(3, 2))
    call = relay.add(x, relay.const(1.0))
    call = relay.Call(call.op, call.args, call.attrs, call.type_args, relay.Span(relay.SourceName("Add0"), 3, 3, 7, 9))
    fn = relay.Function([x], relay.add(call, call))
    text = fn.astext()
    assert "/* span=Add0:3:7 */" in text
    back = tvm.relay.parse_expr(text)
    assert tvm.ir.structural_equal(back, fn, map_free_vars=True)
    # With a type, both go in one comment.
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(fn))
    assert "/* ty=Tensor[(3, 2), float32] span=Add0:3:7 */" in mod.astext()


def test_parsed_text_prints_its_spans():
    mod = tvm.relay.parse('#[version = "0.0.5"]\ndef @main(%x: float32) {\n  add(%x, %x)\n}\n', "my_source")
    text = mod.astext()
    assert "span=my_source:3:" in text
    assert tvm.ir.structural_equal(tvm.relay.parse(text), mod)


# ---------------------------------------------------------------- modules


def test_module_add():
    x = relay.var("x", "float32")
    mod = tvm.IRModule.from_expr(relay.Function([x], x))
    gv = mod.get_global_var("main")
    y = relay.var("y", "float32")
    mod._add("main", relay.Function([y], y + y), True)
    assert mod.get_global_var("main").same_as(gv)
    assert isinstance(mod["main"].body, relay.Call)
    with pytest.raises(ValueError, match="already has a function named 'main'"):
        mod._add("main", relay.Function([y], y), False)
    mod._add("other", relay.Function([y], y))
    assert "other" in mod


def test_constructor_tags():
    mods = []
    for _ in range(2):
        p = Prelude(tvm.IRModule())
        p.mod.import_from_std("nat.rly")
        mods.append(p.mod)
    for name in ["List", "Option", "Tree", "nat"]:
        ctors0 = mods[0].get_type(name)[1:]
        ctors1 = mods[1].get_type(name)[1:]
        for i, (c0, c1) in enumerate(zip(ctors0, ctors1)):
            assert c0.tag == c1.tag and c0.tag & 0xFFFFFF == i and c0.tag >> 24 != 0
            assert mods[1].get_constructor(c0.tag).same_as(c1)
    # Different types of one module do not share tags here.
    tags = [c.tag for n in ["List", "Option", "Tree", "nat"] for c in mods[0].get_type(n)[1:]]
    assert len(set(tags)) == len(tags)


def _nat(p, n):
    _, zero, succ = p.mod.get_type("nat")
    e = zero()
    for _ in range(n):
        e = succ(e)
    return e


def _count(v):
    n = 0
    while v.constructor.name_hint == "succ":
        n += 1
        v = v.fields[0]
    return n


def _to_py(v):
    out = []
    while v.constructor.name_hint == "Cons":
        out.append(int(v.fields[0].numpy()))
        v = v.fields[1]
    return out


def test_nat_functions_run():
    p = Prelude(tvm.IRModule())
    p.mod.import_from_std("nat.rly")
    mod = relay.transform.InferType()(p.mod)
    ex = relay.create_executor("debug", mod=mod)
    g = mod.get_global_var
    assert _count(ex.evaluate(g("nat_add")(_nat(p, 2), _nat(p, 3)))) == 5
    assert _count(ex.evaluate(g("nat_double")(_nat(p, 3)))) == 6
    lst = p.nil()
    for v in reversed([10, 20, 30]):
        lst = p.cons(relay.const(v), lst)
    assert int(ex.evaluate(g("nat_nth")(lst, _nat(p, 2))).numpy()) == 30
    assert _to_py(ex.evaluate(g("nat_update")(lst, _nat(p, 1), relay.const(99)))) == [10, 99, 30]
    x = relay.var("x", "int32")
    add_two = relay.Function([x], x + relay.const(2))
    assert int(ex.evaluate(relay.Call(g("nat_iterate")(add_two, _nat(p, 4)), [relay.const(1)])).numpy()) == 9


def test_gradient_std_file():
    mod = tvm.IRModule()
    mod.import_from_std("gradient.rly")
    grad_cell = mod.get_global_type_var("GradCell")
    assert [c.name_hint for c in mod[grad_cell].constructors] == ["Raw", "One", "Zero"]
    _, raw, one, zero = mod.get_type("GradCell")
    ex = relay.create_executor("debug", mod=mod)
    a, b = relay.var("a", "float32"), relay.var("b", "float32")
    mul = relay.Function([a, b], a * b)
    add = relay.Function([a, b], a + b)
    const_fn = lambda v: relay.Function([], relay.const(v))  # noqa: E731
    g = mod.get_global_var
    got = ex.evaluate(g("FromGradCell")(g("MultiplyGradCell")(mul, raw(relay.const(3.0)), raw(relay.const(4.0)))))
    assert float(got.numpy()) == 12.0
    # One * r is r without multiplying; Zero + r is r.
    got = ex.evaluate(g("FromGradCell")(g("MultiplyGradCell")(mul, one(const_fn(1.0)), raw(relay.const(5.0)))))
    assert float(got.numpy()) == 5.0
    got = ex.evaluate(g("FromGradCell")(g("AddGradCell")(add, zero(const_fn(0.0)), raw(relay.const(7.0)))))
    assert float(got.numpy()) == 7.0


# -------------------------------------------------- match exhaustiveness


def _list_patterns(p):
    w = relay.PatternWildcard

    def cons(head, tail):
        return relay.PatternConstructor(p.cons, [head, tail])

    nil = relay.PatternConstructor(p.nil, [])
    return w, cons, nil


def _text(pattern):
    if isinstance(pattern, relay.PatternWildcard):
        return "_"
    if isinstance(pattern, relay.PatternTuple):
        return "(" + ", ".join(_text(q) for q in pattern.patterns) + ")"
    inner = ", ".join(_text(q) for q in pattern.patterns)
    return pattern.constructor.name_hint + (f"({inner})" if inner else "")


def test_unmatched_cases_of_lists():
    p = Prelude(tvm.IRModule())
    w, cons, nil = _list_patterns(p)
    v = relay.Var("v")

    def left(*patterns):
        match = relay.Match(v, [relay.Clause(q, v) for q in patterns])
        return sorted(_text(q) for q in relay.analysis.unmatched_cases(match, p.mod))

    assert left() == ["_"]
    assert left(w()) == [] and left(relay.PatternVar(relay.Var("x"))) == []
    assert left(nil) == ["Cons(_, _)"]
    assert left(cons(w(), cons(w(), w()))) == ["Cons(_, Nil)", "Nil"]
    # lengths 1, 0 and >= 3: only length 2 is missing.
    assert left(cons(w(), nil), nil, cons(w(), cons(w(), cons(w(), w())))) == ["Cons(_, Cons(_, Nil))"]
    assert left(cons(w(), nil), nil, cons(w(), cons(w(), w()))) == []


def test_unmatched_cases_of_tuples_and_nesting():
    p = Prelude(tvm.IRModule())
    w, cons, nil = _list_patterns(p)
    v = relay.Var("v")
    both = relay.PatternTuple([nil, nil])
    match = relay.Match(v, [relay.Clause(both, v)])
    assert sorted(_text(q) for q in relay.analysis.unmatched_cases(match, p.mod)) == [
        "(Cons(_, _), _)",
        "(Nil, Cons(_, _))",
    ]
    with pytest.raises(TypeError, match="relay.Match"):
        relay.analysis.unmatched_cases(v)
    # Without the module the constructors of List are unknown.
    with pytest.raises(ValueError, match="does not define the type of constructor Nil of type List"):
        relay.analysis.unmatched_cases(relay.Match(v, [relay.Clause(nil, v)]))


def test_complete_match_must_be_exhaustive():
    text = """
        #[version = "0.0.5"]
        type L { C(int32, L), N, }
        def @f(%%l: L) -> int {
          %s (%%l) {
            C(_, N) => 1,
            N => 0,
          }
        }
    """
    with pytest.raises(tvm.error.DiagnosticError, match=r"match is not exhaustive: no clause handles C\(_, C\(_, _\)\)"):
        tvm.relay.parse(text % "match")
    # A partial match (match?) is accepted; "int" is int32 as in TVM.
    mod = tvm.relay.parse(text % "match?")
    assert mod["f"].ret_type == relay.scalar_type("int32")
