# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Algebraic data types: nodes, type inference, text round trip, debug executor."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay.prelude import Prelude


def _list_module():
    mod = tvm.IRModule()
    a = relay.TypeVar("A")
    lst = relay.GlobalTypeVar("List")
    cons = relay.Constructor("Cons", [a, lst(a)], lst)
    nil = relay.Constructor("Nil", [], lst)
    mod[lst] = relay.TypeData(lst, [a], [cons, nil])
    return mod, lst, cons, nil


def _length_func(lst, cons, nil):
    b = relay.TypeVar("B")
    xs = relay.Var("xs", lst(b))
    rest = relay.Var("rest")
    gv = relay.GlobalVar("length")
    body = relay.Match(
        xs,
        [
            relay.Clause(
                relay.PatternConstructor(cons, [relay.PatternWildcard(), relay.PatternVar(rest)]),
                relay.add(relay.const(1), relay.Call(gv, [rest])),
            ),
            relay.Clause(relay.PatternConstructor(nil, []), relay.const(0)),
        ],
    )
    return gv, relay.Function([xs], body, relay.scalar_type("int32"), [b])


def test_nodes_and_module():
    mod, lst, cons, nil = _list_module()
    # Tags: the index among the type's constructors under a non-zero top byte from the type's name.
    assert nil.tag - cons.tag == 1 and cons.tag >> 24 != 0 and cons.tag & 0xFFFFFF == 0
    assert cons.belong_to.same_as(lst)
    assert mod.get_global_type_var("List").same_as(lst)
    assert mod[lst].constructors[0].same_as(cons)
    assert mod.get_constructor(nil.tag).same_as(nil)
    assert mod.get_type("List")[1].same_as(cons)
    with pytest.raises(ValueError, match="no type named 'Tree'"):
        mod.get_global_type_var("Tree")
    xs = relay.var("xs", lst(relay.scalar_type("int32")))
    short = relay.Match(xs, [relay.Clause(relay.PatternConstructor(cons, [relay.PatternWildcard()]), relay.const(0))])
    mod["short"] = relay.Function([xs], short)
    with pytest.raises(tvm.error.DiagnosticError, match="constructor Cons has 2 fields, the pattern gives 1"):
        relay.transform.InferType()(mod)
    x = relay.var("x")
    m = relay.Match(x, [relay.Clause(relay.PatternVar(x), x)], complete=False)
    assert not m.complete and m.clauses[0].lhs.var.same_as(x)


def test_constructor_and_match_types():
    mod, lst, cons, nil = _list_module()
    gv, fn = _length_func(lst, cons, nil)
    mod[gv] = fn
    mod["main"] = relay.Function([], relay.Call(gv, [cons(relay.const(1.5), nil())]))
    mod = relay.transform.InferType()(mod)
    assert str(mod["main"].checked_type) == "fn () -> int32"
    b = mod["length"].type_params[0]
    tvm.ir.assert_structural_equal(
        mod["length"].checked_type, relay.FuncType([lst(b)], relay.scalar_type("int32"), [b])
    )
    rest = mod["length"].body.clauses[0].lhs.patterns[1].var
    assert str(rest.checked_type) == "List[B]"


def test_wrong_field_type_names_constructor():
    mod, lst, cons, nil = _list_module()
    mod["main"] = relay.Function([], cons(relay.const(1), cons(relay.const(1.0), nil())))
    with pytest.raises(tvm.error.DiagnosticError, match="argument 1 of constructor Cons has the wrong type"):
        relay.transform.InferType()(mod)


def test_clause_bodies_must_agree():
    mod, lst, cons, nil = _list_module()
    xs = relay.var("xs", lst(relay.scalar_type("float32")))
    h = relay.var("h")
    body = relay.Match(
        xs,
        [
            relay.Clause(relay.PatternConstructor(cons, [relay.PatternVar(h), relay.PatternWildcard()]), h),
            relay.Clause(relay.PatternWildcard(), relay.const(0)),
        ],
    )
    mod["main"] = relay.Function([xs], body)
    with pytest.raises(tvm.error.DiagnosticError, match="clause 1 of match"):
        relay.transform.InferType()(mod)


def test_tuple_pattern_types():
    x = relay.var("x", relay.TupleType([relay.scalar_type("int32"), relay.scalar_type("float32")]))
    a, b = relay.var("a"), relay.var("b")
    body = relay.Match(x, [relay.Clause(relay.PatternTuple([relay.PatternVar(a), relay.PatternVar(b)]), relay.Tuple([b, a]))])
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([x], body)))
    assert str(mod["main"].checked_type.ret_type) == "(float32, int32)"


LIST_TEXT = """#[version = "0.0.5"]
type List[A] {
  Cons(A, List[A]),
  Nil,
}

extern type Opaque[T]

def @length[A](%xs: List[A]) -> int32 {
  match (%xs) {
    Cons(_, %rest: List[A]) => {
      1 + @length(%rest)
    },
    Nil => 0,
  }
}

def @head_or[A](%xs: List[A], %d: A) -> A {
  match? (%xs) {
    Cons(%h, _) => %h,
    _ => %d,
  }
}

def @main() -> int32 {
  @length(Cons(1f, Cons(2f, Nil)))
}
"""


def test_print_parse_round_trip():
    mod = tvm.parser.parse(LIST_TEXT)
    lst = mod.get_global_type_var("List")
    assert [c.name_hint for c in mod[lst].constructors] == ["Cons", "Nil"]
    assert len(mod[mod.get_global_type_var("Opaque")].constructors) == 0
    assert not mod["head_or"].body.complete and mod["length"].body.complete
    text = mod.astext()
    assert "type List[A] {" in text and "match? (%xs) {" in text and "extern type Opaque[T]" in text
    again = tvm.parser.parse(text)
    tvm.ir.assert_structural_equal(mod, again, map_free_vars=True)
    typed = relay.transform.InferType()(mod)
    tvm.ir.assert_structural_equal(typed, relay.transform.InferType()(tvm.parser.parse(typed.astext())), map_free_vars=True)


def test_parse_errors():
    with pytest.raises(tvm.error.DiagnosticError, match="unknown constructor 'Conz'"):
        tvm.parser.parse(LIST_TEXT.replace("Cons(%h, _)", "Conz(%h, _)"))
    with pytest.raises(tvm.error.DiagnosticError, match="the type List is defined twice"):
        tvm.parser.parse(LIST_TEXT.replace("extern type Opaque[T]", "type List[B] { Foo }"))


def _run(ex, expr):
    return ex.evaluate(expr)


def _to_py(v):
    out = []
    while v.constructor.name_hint == "Cons":
        out.append(v.fields[0].numpy().item())
        v = v.fields[1]
    return out


def _make_list(p, values, dtype):
    e = p.nil()
    for v in reversed(values):
        e = p.cons(relay.const(v, dtype), e)
    return e


def test_prelude_executor():
    p = Prelude(tvm.IRModule())
    mod = relay.transform.InferType()(p.mod)
    ex = relay.create_executor("debug", mod=mod)
    rng = np.random.default_rng(0)
    values = [float(v) for v in rng.standard_normal(7).astype("float32")]
    lst = _make_list(p, values, "float32")
    x = relay.var("x", "float32")
    double = relay.Function([x], x * relay.const(2.0))
    got = _to_py(_run(ex, p.map(double, lst)))
    np.testing.assert_allclose(got, [np.float32(v) * 2 for v in values], rtol=0, atol=0)
    assert int(_run(ex, p.length(lst)).numpy()) == 7
    a, b = relay.var("a", "float32"), relay.var("b", "float32")
    got = _run(ex, p.foldl(relay.Function([a, b], a - b), relay.const(0.0), lst)).numpy()
    expected = np.float32(0)
    for v in values:
        expected = np.float32(expected - np.float32(v))
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    got = _run(ex, p.foldr(relay.Function([a, b], a - b), relay.const(0.0), lst)).numpy()
    expected = np.float32(0)
    for v in reversed(values):
        expected = np.float32(np.float32(v) - expected)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    ints = _make_list(p, [3, 1, 4, 1, 5], "int32")
    assert int(_run(ex, p.sum(ints)).numpy()) == 14
    assert _to_py(_run(ex, p.rev(ints))) == [5, 1, 4, 1, 3]
    assert _to_py(_run(ex, p.concat(ints, _make_list(p, [9], "int32")))) == [3, 1, 4, 1, 5, 9]
    assert int(_run(ex, p.nth(ints, relay.const(2))).numpy()) == 4
    assert int(_run(ex, p.hd(ints)).numpy()) == 3 and _to_py(_run(ex, p.tl(ints))) == [1, 4, 1, 5]


def test_incomplete_match_fails_at_run_time():
    p = Prelude(tvm.IRModule())
    ex = relay.create_executor("debug", mod=relay.transform.InferType()(p.mod))
    with pytest.raises(ValueError, match="no clause matches"):
        _run(ex, p.hd(p.nil()))


def test_well_formed_match():
    mod, lst, cons, nil = _list_module()
    x = relay.var("x")
    once = relay.Match(nil(), [relay.Clause(relay.PatternVar(x), x)])
    twice = relay.Match(
        nil(),
        [relay.Clause(relay.PatternConstructor(cons, [relay.PatternVar(x), relay.PatternWildcard()]), x),
         relay.Clause(relay.PatternVar(x), x)],
    )
    assert relay.analysis.well_formed(once)
    assert not relay.analysis.well_formed(twice)
    outside = relay.Tuple([once, x])
    assert not relay.analysis.well_formed(outside)


def test_prelude_import_twice():
    mod = tvm.IRModule()
    Prelude(mod)
    n = len(mod.get_global_vars())
    Prelude(mod)
    assert len(mod.get_global_vars()) == n


if __name__ == "__main__":
    tvm.testing.main()
