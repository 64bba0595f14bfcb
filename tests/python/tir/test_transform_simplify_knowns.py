# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Simplify with what conditions and lets make known: comparisons between
variables (directly or transitively), most restrictive forms, lets kept in
the code, buffer shapes, and facts about memory that the body overwrites."""
import itertools
import random

import pytest

import tvm
from tvm import tir
from tvm.script import tir as T

OPTIONS = [
    "transitively_prove_inequalities",
    "convert_boolean_to_and_of_ors",
    "apply_constraints_to_boolean_branches",
]
KNOWNS = ["propagate_knowns_to_prove_conditional", "propagate_knowns_to_simplify_expressions"]


def _simplify(func, **options):
    config = {"tir.Simplify": {name: options.get(name, False) for name in OPTIONS + KNOWNS}}
    with tvm.transform.PassContext(config=config):
        return tvm.tir.transform.Simplify()(tvm.IRModule({"main": func}))["main"]


def _eval(e, env):
    """Python value of an integer/boolean TIR expression."""
    if isinstance(e, (tir.IntImm,)):
        return int(e.value)
    if isinstance(e, tir.Var):
        return env[e.name]
    if isinstance(e, tir.Not):
        return int(not _eval(e.a, env))
    if isinstance(e, tir.And):
        return int(bool(_eval(e.a, env)) and bool(_eval(e.b, env)))
    if isinstance(e, tir.Or):
        return int(bool(_eval(e.a, env)) or bool(_eval(e.b, env)))
    ops = {
        tir.Add: lambda a, b: a + b,
        tir.Sub: lambda a, b: a - b,
        tir.Mul: lambda a, b: a * b,
        tir.FloorDiv: lambda a, b: a // b,
        tir.FloorMod: lambda a, b: a % b,
        tir.Min: min,
        tir.Max: max,
        tir.LT: lambda a, b: int(a < b),
        tir.LE: lambda a, b: int(a <= b),
        tir.GT: lambda a, b: int(a > b),
        tir.GE: lambda a, b: int(a >= b),
        tir.EQ: lambda a, b: int(a == b),
        tir.NE: lambda a, b: int(a != b),
    }
    return ops[type(e)](_eval(e.a, env), _eval(e.b, env))


def _guarded(priors, postulate):
    """if priors: A[0] = postulate, over parameters i, j, k."""
    A = tir.decl_buffer((1,), "bool", name="A")
    body = tir.IfThenElse(priors, tir.BufferStore(A, postulate, [0]), None)
    return tir.PrimFunc([A], body)


def _check(before, expected, **options):
    after = _simplify(before, **options)
    tvm.ir.assert_structural_equal(after.with_attr("global_symbol", "expected"), expected)


def _stored(func):
    return func.body.then_case.value


i, j, k = (tir.Var(name, "int32") for name in "ijk")


@pytest.mark.parametrize(
    "priors, postulate, transitive, expected",
    [
        # A known comparison of the two sides, with constant offsets.
        (i < j, i < j + 1, False, True),
        (i < j, j <= i - 2, False, False),
        (i <= j + 5, i <= j + 6, False, True),
        # Chains need the option.
        (tir.all(i < j, j < k), i < k, True, True),
        (tir.all(i < j, j < k), i < k, False, None),
        (tir.all(i < j + 5, j < k + 7), i < k + 11, True, True),
        (tir.all(i < j + 5, j < k + 7), i < k + 10, True, None),
        (tir.all(i == j, j != k), i != k, True, True),
        (tir.all(i == j, j < k), k <= i, True, False),
        (tir.all(i <= j, j <= k, k <= i), i == k, True, True),
    ],
)
def test_known_comparisons(priors, postulate, transitive, expected):
    out = _stored(_simplify(_guarded(priors, postulate), transitively_prove_inequalities=transitive))
    if expected is None:
        assert not isinstance(out, tir.IntImm), out
    else:
        assert isinstance(out, tir.IntImm) and bool(out.value) == expected, out


@pytest.mark.parametrize(
    "priors, before, after",
    [
        (i <= 0, tir.LE(tir.IntImm("int32", 0), i), i == 0),
        (i <= 0, i != 0, i < 0),
        (i != 0, i <= 0, i < 0),
        (i != 0, tir.LE(tir.IntImm("int32", 0), i), tir.LT(tir.IntImm("int32", 0), i)),
        (i <= j, j <= i, j == i),
        (i <= j, i != j, i < j),
        (i != j, i <= j, i < j),
    ],
)
def test_most_restrictive_form(priors, before, after):
    out = _stored(_simplify(_guarded(priors, before)))
    tvm.ir.assert_structural_equal(out, after)


def _random_comparison(rng, names):
    a, b = rng.sample(names, 2)
    va, vb = tir.Var(a, "int32"), tir.Var(b, "int32")
    lhs = va + rng.randint(-2, 2) if rng.random() < 0.5 else va
    rhs = vb + rng.randint(-2, 2) if rng.random() < 0.5 else vb
    op = rng.choice([tir.LT, tir.LE, tir.GT, tir.GE, tir.EQ, tir.NE])
    return op(lhs, rhs)


def _rename(e, variables):
    return tir.stmt_functor.substitute(e, {v: variables[v.name] for v in _vars_of(e)})


def _vars_of(e):
    found = []
    tir.stmt_functor.post_order_visit(e, lambda n: found.append(n) if isinstance(n, tir.Var) else None)
    return found


@pytest.mark.parametrize("seed", range(3))
def test_random_known_comparisons_keep_the_value(seed):
    """The simplified postulate equals the original wherever the priors hold."""
    rng = random.Random(seed)
    names = ["i", "j", "k"]
    for _ in range(60):
        variables = {name: tir.Var(name, "int32") for name in names}
        priors = tir.all(*[_rename(_random_comparison(rng, names), variables) for _ in range(rng.randint(1, 3))])
        postulate = _rename(_random_comparison(rng, names), variables)
        A = tir.decl_buffer((1,), "bool", name="A")
        func = tir.PrimFunc([A], tir.IfThenElse(priors, tir.BufferStore(A, postulate, [0]), None))
        out = _simplify(func, transitively_prove_inequalities=True).body
        if isinstance(out, tir.IfThenElse):
            cond, value = out.condition, out.then_case.value
        elif isinstance(out, tir.BufferStore):
            cond, value = tir.IntImm("bool", 1), out.value
        else:  # the priors contradict: no store is left
            cond, value = tir.IntImm("bool", 0), None
        for vi, vj, vk in itertools.product(range(-3, 4), repeat=3):
            env = {"i": vi, "j": vj, "k": vk}
            holds = _eval(priors, env)
            assert _eval(cond, env) == holds, (priors, cond, env)
            if holds:
                assert _eval(value, env) == _eval(postulate, env), (priors, postulate, value, env)


def test_condition_on_memory_the_branch_overwrites_is_not_assumed():
    @T.prim_func
    def before(A: T.Buffer((1,), "int32"), n: T.int32):
        if A[0] == n:
            A[0] = A[0] + 1
            if A[0] == n:
                A[0] = 0

    tvm.ir.assert_structural_equal(_simplify(before), before)


def test_condition_on_memory_the_branch_only_reads_is_assumed():
    @T.prim_func
    def before(A: T.Buffer((1,), "int32"), B: T.Buffer((1,), "int32"), n: T.int32):
        if A[0] < n:
            B[0] = 1
            if A[0] < n:
                B[0] = 2

    @T.prim_func
    def expected(A: T.Buffer((1,), "int32"), B: T.Buffer((1,), "int32"), n: T.int32):
        if A[0] < n:
            B[0] = 1
            B[0] = 2

    _check(before, expected)


def test_condition_on_memory_whose_pointer_escapes_is_not_assumed():
    @T.prim_func
    def before(A: T.Buffer((1,), "int32"), n: T.int32):
        if A[0] == n:
            T.evaluate(T.call_extern("int32", "touch", A.data))
            if A[0] == n:
                A[0] = 0

    tvm.ir.assert_structural_equal(_simplify(before), before)


def test_kept_let_proves_a_condition():
    @T.prim_func
    def before(A: T.Buffer(4, "bool")):
        for i in T.serial(4):
            condition = i < 3
            if condition or i >= 3:
                A[i] = condition

    @T.prim_func
    def expected(A: T.Buffer(4, "bool")):
        for i in T.serial(4):
            condition = i < 3
            A[i] = condition

    _check(before, expected)


def test_boolean_let_is_true_inside_its_if():
    @T.prim_func
    def before(A: T.Buffer(4, "bool")):
        for i in T.serial(4):
            condition = i < 3
            if condition:
                if condition:
                    A[i] = condition

    @T.prim_func
    def expected(A: T.Buffer(4, "bool")):
        for i in T.serial(4):
            condition = i < 3
            if condition:
                A[i] = True

    _check(before, expected)


def test_let_of_pure_index_arithmetic_is_inlined_but_a_load_is_not():
    @T.prim_func
    def before(A: T.Buffer(16, "int32"), B: T.Buffer(16, "int32")):
        for i in T.serial(8):
            x = i * 2 + 1
            y = A[i]
            B[x] = y

    @T.prim_func
    def expected(A: T.Buffer(16, "int32"), B: T.Buffer(16, "int32")):
        for i in T.serial(8):
            y = A[i]
            B[i * 2 + 1] = y

    _check(before, expected)


def test_index_stays_a_variable_inside_an_equality_guard():
    @T.prim_func
    def before(A: T.Buffer(16, "float32")):
        for i in T.serial(16):
            if i == 5:
                if i < 7:
                    A[i] = 0.0

    @T.prim_func
    def expected(A: T.Buffer(16, "float32")):
        for i in T.serial(16):
            if i == 5:
                A[i] = 0.0

    _check(before, expected)


def test_ceil_log2_of_a_constant_folds():
    @T.prim_func
    def before(A: T.Buffer(4, "int32")):
        A[0] = T.cast(T.ceil(T.log2(T.float64(14))), "int32")
        A[1] = T.cast(T.ceil(T.log2(T.float64(16))), "int32")
        A[2] = T.cast(T.ceil(T.log2(T.float64(17))), "int32")
        A[3] = T.cast(T.ceil(T.float64(2.5)), "int32")

    out = _simplify(before).body
    assert [s.value.value for s in out.seq] == [4, 4, 5, 3]


def test_ceil_log2_bounds():
    ana = tvm.arith.Analyzer()
    n = tir.Var("n", "int32")
    ana.update(n, tvm.arith.ConstIntBound(1025, 2048))
    e = tir.Cast("int32", tir.ceil(tir.log2(tir.Cast("float64", n))))
    b = ana.const_int_bound(e)
    assert (b.min_value, b.max_value) == (11, 11)
    # Every value of the range lands in the bounds (the target computes the same way).
    import math

    for lo, hi in [(1, 1), (1, 9), (3, 1000), (1023, 1025)]:
        ana.update(n, tvm.arith.ConstIntBound(lo, hi), override=True)
        b = ana.const_int_bound(e)
        for v in range(lo, hi + 1):
            assert b.min_value <= math.ceil(math.log2(float(v))) <= b.max_value
    # n may be zero or negative: log2 gives -inf or NaN, no bounds are claimed.
    ana.update(n, tvm.arith.ConstIntBound(0, 9), override=True)
    assert ana.const_int_bound(e).min_value < -(2**30)


def test_buffer_shape_is_not_negative():
    @T.prim_func
    def before(a: T.handle):
        n = T.int64()
        A = T.match_buffer(a, (n * 32 + 1 - 2,), "float32")
        A[T.min(T.int64(1), n)] = T.float32(0)

    out = _simplify(before)
    assert isinstance(out.body.indices[0], tir.IntImm) and out.body.indices[0].value == 1


def _random_boolean(rng, variables, depth):
    if depth == 0 or rng.random() < 0.3:
        a = rng.choice(variables)
        c = rng.randint(-3, 3)
        rhs = rng.choice([tir.IntImm("int32", c), rng.choice(variables) + c])
        return rng.choice([tir.LT, tir.LE, tir.EQ, tir.NE, tir.GT, tir.GE])(a, rhs)
    op = rng.choice([tir.And, tir.Or, tir.And, tir.Or, tir.Not])
    if op is tir.Not:
        return tir.Not(_random_boolean(rng, variables, depth - 1))
    return op(_random_boolean(rng, variables, depth - 1), _random_boolean(rng, variables, depth - 1))


@pytest.mark.parametrize(
    "options",
    [
        {"convert_boolean_to_and_of_ors": True},
        {"apply_constraints_to_boolean_branches": True},
        {"apply_constraints_to_boolean_branches": True, "transitively_prove_inequalities": True},
        dict.fromkeys(OPTIONS, True),
    ],
)
def test_random_boolean_extensions_keep_the_value(options):
    rng = random.Random(7)
    i, j = tir.Var("i", "int32"), tir.Var("j", "int32")
    for _ in range(150):
        expr = _random_boolean(rng, [i, j], 3)
        A = tir.decl_buffer((1,), "bool", name="A")
        out = _simplify(tir.PrimFunc([A], tir.BufferStore(A, expr, [0])), **options).body.value
        for vi, vj in itertools.product(range(-5, 6), repeat=2):
            env = {"i": vi, "j": vj}
            assert bool(_eval(out, env)) == bool(_eval(expr, env)), (expr, out, env)


def test_and_of_ors():
    @T.prim_func
    def before(A: T.Buffer(4, "bool")):
        T.evaluate((A[0] or A[1]) and (A[1] or (A[0] and A[2] and A[3])))

    @T.prim_func
    def expected(A: T.Buffer(4, "bool")):
        T.evaluate((A[0] or A[1]) and (A[1] or A[2]) and (A[1] or A[3]))

    _check(before, expected, convert_boolean_to_and_of_ors=True)
    # Off: left as written.
    tvm.ir.assert_structural_equal(_simplify(before), before)


def test_and_of_ors_merges_clauses_that_differ_in_one_atom():
    @T.prim_func
    def before(A: T.Buffer(1, "bool"), i: T.int32, j: T.int32, k: T.int32):
        A[0] = (i == 0 or j == 10 or k == 20) and (j == 10 or k != 30 or i == 0)

    @T.prim_func
    def expected(A: T.Buffer(1, "bool"), i: T.int32, j: T.int32, k: T.int32):
        A[0] = j == 10 or k == 20 or i == 0

    _check(before, expected, convert_boolean_to_and_of_ors=True)


def test_and_of_ors_keeps_calls_with_effects():
    @T.prim_func
    def before(A: T.Buffer(1, "bool")):
        A[0] = T.call_extern("bool", "f") or (A[0] and T.call_extern("bool", "g"))

    tvm.ir.assert_structural_equal(_simplify(before, convert_boolean_to_and_of_ors=True), before)


def test_boolean_branches_under_each_other():
    @T.prim_func
    def before(A: T.Buffer(2, "bool"), n: T.int32, m: T.int32):
        A[0] = n < m + 10 and n < m + 5
        A[1] = n < m + 5 or n < m + 10

    @T.prim_func
    def expected(A: T.Buffer(2, "bool"), n: T.int32, m: T.int32):
        A[0] = n < m + 5
        A[1] = n < m + 10

    _check(before, expected, apply_constraints_to_boolean_branches=True, transitively_prove_inequalities=True)


# ---------------------------------------------------------------------------
# Known buffer contents: exact results, and random programs run before and after.


def test_known_value_proves_a_condition_until_overwritten():
    @T.prim_func
    def before(A: T.Buffer(16, "int32")):
        for i in T.serial(16):
            T.evaluate(T.assume(A[i] == 0))
        for i in T.serial(16):
            if A[i] == 0:
                A[i] = 17
            if i == 0:
                A[i] = 5
            if A[i] == 0:
                A[i] = 42

    @T.prim_func
    def expected(A: T.Buffer(16, "int32")):
        for i in T.serial(16):
            T.evaluate(T.assume(A[i] == 0))
        for i in T.serial(16):
            A[i] = 17
            if i == 0:
                A[i] = 5
            if A[i] == 0:
                A[i] = 42

    _check(before, expected, propagate_knowns_to_prove_conditional=True)


def test_known_value_of_a_loop_dependent_element_is_not_used():
    @T.prim_func
    def before(A: T.Buffer(16, "int32"), B: T.Buffer(1, "int32")):
        B[0] = 0
        for i in T.serial(16):
            if B[0] < 10:
                B[0] = A[i] * 2 + B[0]
            else:
                B[0] = A[i] + B[0]

    tvm.ir.assert_structural_equal(_simplify(before, propagate_knowns_to_prove_conditional=True), before)


def test_known_value_is_forgotten_when_the_pointer_escapes():
    @T.prim_func
    def before(A: T.Buffer(1, "int32")):
        A[0] = 0
        T.evaluate(T.call_extern("int32", "touch", A.data))
        if A[0] == 0:
            A[0] = 42

    tvm.ir.assert_structural_equal(_simplify(before, propagate_knowns_to_prove_conditional=True), before)


def test_known_values_replace_loads_only_when_asked():
    @T.prim_func
    def before(A: T.Buffer(1, "int32"), B: T.Buffer(1, "int32")):
        A[0] = 5
        B[0] = A[0] + 7

    @T.prim_func
    def expected(A: T.Buffer(1, "int32"), B: T.Buffer(1, "int32")):
        A[0] = 5
        B[0] = 12

    tvm.ir.assert_structural_equal(_simplify(before, propagate_knowns_to_prove_conditional=True), before)
    _check(before, expected, propagate_knowns_to_simplify_expressions=True)


class _Interpreter:
    """Runs the statements random programs are made of."""

    def __init__(self, memory):
        self.memory = memory  # data var -> list

    def expr(self, e, env):
        if isinstance(e, tir.IntImm):
            return int(e.value)
        if isinstance(e, tir.Var):
            return env[e]
        if isinstance(e, tir.BufferLoad):
            return self.memory[e.buffer.data][self.index(e.indices[0], env)]
        if isinstance(e, tir.Not):
            return int(not self.expr(e.a, env))
        if isinstance(e, tir.And):
            return int(bool(self.expr(e.a, env)) and bool(self.expr(e.b, env)))
        if isinstance(e, tir.Or):
            return int(bool(self.expr(e.a, env)) or bool(self.expr(e.b, env)))
        if isinstance(e, tir.Select):
            return self.expr(e.true_value, env) if self.expr(e.condition, env) else self.expr(e.false_value, env)
        ops = {
            tir.Add: lambda a, b: a + b,
            tir.Sub: lambda a, b: a - b,
            tir.Mul: lambda a, b: a * b,
            tir.Min: min,
            tir.Max: max,
            tir.FloorDiv: lambda a, b: a // b,
            tir.FloorMod: lambda a, b: a % b,
            tir.LT: lambda a, b: int(a < b),
            tir.LE: lambda a, b: int(a <= b),
            tir.GT: lambda a, b: int(a > b),
            tir.GE: lambda a, b: int(a >= b),
            tir.EQ: lambda a, b: int(a == b),
            tir.NE: lambda a, b: int(a != b),
        }
        return ops[type(e)](self.expr(e.a, env), self.expr(e.b, env))

    def index(self, e, env):
        i = self.expr(e, env)
        if not 0 <= i < _ProgramGenerator.SIZE:
            raise IndexError("index %d out of bounds" % i)
        return i

    def stmt(self, s, env):
        if isinstance(s, tir.SeqStmt):
            for x in s.seq:
                self.stmt(x, env)
        elif isinstance(s, tir.For):
            lo, n = self.expr(s.min, env), self.expr(s.extent, env)
            for v in range(lo, lo + n):
                self.stmt(s.body, {**env, s.loop_var: v})
        elif isinstance(s, tir.IfThenElse):
            if self.expr(s.condition, env):
                self.stmt(s.then_case, env)
            elif s.else_case is not None:
                self.stmt(s.else_case, env)
        elif isinstance(s, tir.BufferStore):
            self.memory[s.buffer.data][self.index(s.indices[0], env)] = self.expr(s.value, env)
        elif isinstance(s, tir.LetStmt):
            self.stmt(s.body, {**env, s.var: self.expr(s.value, env)})
        elif isinstance(s, tir.Evaluate):
            pass
        else:
            raise TypeError(type(s))


class _ProgramGenerator:
    SIZE = 6

    def __init__(self, rng, buffers):
        self.rng = rng
        self.buffers = buffers

    def index(self, loop_vars):
        if loop_vars and self.rng.random() < 0.6:
            v = self.rng.choice(loop_vars)
            return v if self.rng.random() < 0.7 else tir.FloorMod(v + self.rng.randint(1, 3), self.SIZE)
        return tir.IntImm("int32", self.rng.randint(0, self.SIZE - 1))

    def value(self, loop_vars, depth=0):
        r = self.rng.random()
        if r < 0.3 or depth > 1:
            return tir.IntImm("int32", self.rng.randint(0, 2))
        if r < 0.45 and loop_vars:
            return self.rng.choice(loop_vars)
        if r < 0.8:
            return tir.BufferLoad(self.rng.choice(self.buffers), [self.index(loop_vars)])
        return tir.Add(self.value(loop_vars, depth + 1), self.value(loop_vars, depth + 1))

    def condition(self, loop_vars):
        op = self.rng.choice([tir.EQ, tir.NE, tir.LT, tir.LE])
        if self.rng.random() < 0.6:
            load = tir.BufferLoad(self.rng.choice(self.buffers), [self.index(loop_vars)])
            cond = op(load, tir.IntImm("int32", self.rng.randint(0, 2)))
        else:
            cond = op(self.value(loop_vars), self.value(loop_vars))
        if self.rng.random() < 0.2:
            cond = tir.Or(cond, op(self.value(loop_vars), self.value(loop_vars)))
        return cond

    def stmt(self, loop_vars, depth):
        r = self.rng.random()
        if depth >= 3 or r < 0.45:
            buf = self.rng.choice(self.buffers)
            return tir.BufferStore(buf, self.value(loop_vars), [self.index(loop_vars)])
        if r < 0.75:
            then_case = self.seq(loop_vars, depth + 1)
            else_case = self.seq(loop_vars, depth + 1) if self.rng.random() < 0.5 else None
            return tir.IfThenElse(self.condition(loop_vars), then_case, else_case)
        v = tir.Var("i%d" % depth, "int32")
        return tir.For(v, 0, self.rng.randint(1, self.SIZE), tir.ForKind.SERIAL, self.seq(loop_vars + [v], depth + 1))

    def seq(self, loop_vars, depth):
        stmts = [self.stmt(loop_vars, depth) for _ in range(self.rng.randint(1, 3))]
        return stmts[0] if len(stmts) == 1 else tir.SeqStmt(stmts)


@pytest.mark.parametrize(
    "options",
    [
        {"propagate_knowns_to_prove_conditional": True},
        {"propagate_knowns_to_simplify_expressions": True},
        dict.fromkeys(OPTIONS + KNOWNS, True),
    ],
)
def test_random_programs_compute_the_same_with_known_values(options):
    rng = random.Random(2024)
    changed = 0
    for _ in range(120):
        A = tir.decl_buffer((_ProgramGenerator.SIZE,), "int32", name="A")
        B = tir.decl_buffer((_ProgramGenerator.SIZE,), "int32", name="B")
        body = _ProgramGenerator(rng, [A, B]).seq([], 0)
        func = tir.PrimFunc([A, B], body)
        config = {"tir.Simplify": options}
        with tvm.transform.PassContext(config=config):
            after = tvm.tir.transform.Simplify()(tvm.IRModule({"main": func}))["main"]
        plain = tvm.tir.transform.Simplify()(tvm.IRModule({"main": func}))["main"]
        changed += not tvm.ir.structural_equal(after, plain)
        for _ in range(6):
            start = {A.data: [rng.randint(-2, 3) for _ in range(6)], B.data: [rng.randint(-2, 3) for _ in range(6)]}
            want = {k: list(v) for k, v in start.items()}
            _Interpreter(want).stmt(func.body, {})
            got = {k: list(v) for k, v in start.items()}
            _Interpreter(got).stmt(after.body, {})
            assert got == want, (func, after, start)
    assert changed > 5  # the known values were used


def test_boolean_branches_do_not_move_a_load_out_of_bounds():
    # Under i != 2 the right side is true, so the left matters only at i == 2, where
    # (i + 3) % 6 is i + 3; but both sides are evaluated, and B[i + 3] reads past the end.
    @T.prim_func
    def before(A: T.Buffer(6, "bool"), B: T.Buffer(6, "int32")):
        for i in T.serial(6):
            A[i] = B[(i + 3) % 6] != 2 or i != 2

    after = _simplify(before, apply_constraints_to_boolean_branches=True)
    load = after.body.body.value.a.a
    assert isinstance(load, tir.BufferLoad) and isinstance(load.indices[0], tir.FloorMod), after


def test_select_does_not_move_a_load_out_of_bounds():
    # Both values of a select are evaluated: B[(i + 3) % 6] must not become B[i + 3]
    # under i == 2, which reads past the end for i >= 3.
    ana = tvm.arith.Analyzer()
    i = tir.Var("i", "int32")
    ana.bind(i, tvm.ir.Range(0, 6))
    B = tir.decl_buffer((6,), "int32", name="B")
    out = ana.simplify(tir.Select(i == 2, B[tir.floormod(i + 3, 6)], 0))
    assert isinstance(out.true_value.indices[0], tir.FloorMod), out
    # Without memory reads the condition is still used.
    out = ana.simplify(tir.Select(i == 2, tir.floormod(i + 3, 6), 0))
    assert isinstance(out.true_value, tir.Add), out
