"""Loop-IR expression classes and the Python operators that build them."""

import pytest

import tvm
from tvm import tir


def _int_var(name="x", dtype="int32"):
    return tir.Var(name, dtype)


def test_var_and_size_var():
    x = tir.Var("x", "int64")
    assert isinstance(x, tir.Var)
    assert x.name_hint == "x"
    assert x.dtype == "int64"
    n = tir.SizeVar("n", "int32")
    assert isinstance(n, tir.SizeVar) and isinstance(n, tir.Var)
    assert n.dtype == "int32"


def test_var_with_pointer_type():
    data = tir.Var("A", tvm.ir.PointerType(tvm.ir.PrimType("float32"), "shared"))
    assert data.dtype == "handle"
    assert data.type_annotation.storage_scope == "shared"


@pytest.mark.parametrize(
    "build, node_type",
    [
        (lambda x, y: x + y, tir.Add),
        (lambda x, y: x - y, tir.Sub),
        (lambda x, y: x * y, tir.Mul),
        (lambda x, y: x // y, tir.FloorDiv),
        (lambda x, y: x % y, tir.FloorMod),
        (lambda x, y: x < y, tir.LT),
        (lambda x, y: x <= y, tir.LE),
        (lambda x, y: x > y, tir.GT),
        (lambda x, y: x >= y, tir.GE),
        (lambda x, y: tir.min(x, y), tir.Min),
        (lambda x, y: tir.max(x, y), tir.Max),
        (lambda x, y: tir.truncdiv(x, y), tir.Div),
        (lambda x, y: tir.truncmod(x, y), tir.Mod),
    ],
)
def test_binary_operators_build_nodes(build, node_type):
    x, y = _int_var("x"), _int_var("y")
    e = build(x, y)
    assert isinstance(e, node_type)
    assert e.a.same_as(x) and e.b.same_as(y)
    expected = "bool" if isinstance(e, tir.CmpExpr) else "int32"
    assert e.dtype == expected


def test_reflected_operators_with_python_numbers():
    x = _int_var()
    e = 3 - x
    assert isinstance(e, tir.Sub)
    assert isinstance(e.a, tir.IntImm) and e.a.value == 3
    assert isinstance(2 * x, tir.Mul)
    assert isinstance(10 // x, tir.FloorDiv)
    assert isinstance(10 % x, tir.FloorMod)


def test_float_division_and_power():
    f = tir.Var("f", "float32")
    assert isinstance(f / 2.0, tir.Div)
    assert (f / 2.0).dtype == "float32"
    p = f**2.0
    assert isinstance(p, tir.Call) and p.op.name == "tir.pow"
    assert isinstance(1.0 / f, tir.Div)


def test_integer_true_division_is_an_error():
    x = _int_var()
    with pytest.raises(tvm.error.TVMError) as info:
        x / 2
    assert "floordiv" in str(info.value) and "truncdiv" in str(info.value)
    assert isinstance(info.value, TypeError)
    with pytest.raises(tvm.error.TVMError):
        7 / x


def test_unary_minus():
    x = _int_var()
    e = -x
    assert isinstance(e, tir.Sub)
    assert e.a.value == 0 and e.b.same_as(x)
    assert (-tir.const(3)).value == -3
    assert (-tir.const(2.5)).value == -2.5


def test_bitwise_operators():
    x, y = _int_var("x"), _int_var("y")
    for e, name in [
        (x & y, "tir.bitwise_and"),
        (x | y, "tir.bitwise_or"),
        (x ^ y, "tir.bitwise_xor"),
        (~x, "tir.bitwise_not"),
        (x << y, "tir.shift_left"),
        (x >> y, "tir.shift_right"),
    ]:
        assert isinstance(e, tir.Call)
        assert e.op.name == name
        assert e.dtype == "int32"
    assert (tir.const(6) & 3).value == 2
    assert (tir.const(1) << 4).value == 16


def test_bool_and_or_invert_are_logical():
    x = _int_var()
    c = (x > 1) & (x < 5)
    assert isinstance(c, tir.And)
    assert isinstance((x > 1) | (x < 5), tir.Or)
    assert isinstance(~(x > 1), tir.Not)


def test_equality_is_lazy_and_identity_in_bool():
    x, y = _int_var("x"), _int_var("y")
    eq = x == y
    assert isinstance(eq, tir.EqualOp)
    assert not bool(eq)
    assert bool(x == x)
    assert bool(x != y) and not bool(x != x)
    # Used as an expression it is an EQ / NE node.
    node = tir.Select(x == y, x, y)
    assert isinstance(node.condition, tir.EQ)
    assert isinstance(tir.Select(x != y, x, y).condition, tir.NE)
    assert (x == y).dtype == "bool"
    assert isinstance(x.equal(y), tir.EQ)
    # Variables work as dictionary keys and in lists.
    table = {x: 1, y: 2}
    assert table[x] == 1 and table[y] == 2
    assert x in [y, x]


def test_symbolic_bool_raises():
    x = _int_var()
    with pytest.raises(ValueError) as info:
        if x > 1:
            pass
    assert "tvm.tir.all" in str(info.value)
    with pytest.raises(ValueError):
        not (x < 2)


def test_int_imm_behaviour():
    c = tir.const(5)
    assert isinstance(c, tir.IntImm) and isinstance(c, tvm.ir.IntImm)
    assert int(c) == 5
    assert [10, 20, 30, 40, 50, 60][c] == 60
    assert c == 5 and c != 4
    assert bool(tir.const(1)) and not bool(tir.const(0))
    assert hash(c) == hash(tir.const(5))
    assert tir.IntImm("int64", 7).dtype == "int64"
    f = tir.const(1.5)
    assert isinstance(f, tir.FloatImm) and isinstance(f, tvm.ir.FloatImm)
    assert float(f) == 1.5
    assert tir.FloatImm("float16", 0.5).dtype == "float16"


def test_astype():
    x = _int_var()
    e = x.astype("float32")
    assert isinstance(e, tir.Cast) and e.dtype == "float32"
    assert x.astype("int32").same_as(x)
    assert tir.const(3).astype("float32").value == 3.0


def test_node_constructors():
    x, y = _int_var("x"), _int_var("y")
    assert isinstance(tir.Add(x, y), tir.Add)
    assert isinstance(tir.Not(x > y), tir.Not)
    assert tir.Cast("float32", x).dtype == "float32"
    s = tir.Select(x > y, x, y)
    assert s.true_value.same_as(x)
    r = tir.Ramp(x, 1, 4)
    assert r.dtype == "int32x4" and r.lanes == 4
    b = tir.Broadcast(x, 8)
    assert b.dtype == "int32x8"
    let = tir.Let(y, x + 1, y * 2)
    assert isinstance(let, tir.Let) and let.var.same_as(y)
    shuffle = tir.Shuffle([r], [3, 2, 1, 0])
    assert shuffle.dtype == "int32x4"
    assert tir.StringImm("hello").value == "hello"
    assert tir.StringImm("hello") == "hello"
    assert isinstance(tir.Any(), tir.Any)


def test_call_constructor():
    x = tir.Var("x", "float32")
    c = tir.Call("float32", "tir.exp", [x])
    assert c.op.same_as(tvm.ir.Op.get("tir.exp"))
    ext = tir.Call("int32", "tir.call_extern", ["my_func", x])
    assert isinstance(ext.args[0], tir.StringImm)
    with pytest.raises(ValueError):
        tir.Call("float32", "exp", [x])


def test_iter_var():
    iv = tir.IterVar((0, 16), "i", tir.IterVar.DataPar)
    assert iv.var.name_hint == "i"
    assert iv.dom.extent.value == 16
    assert iv.iter_type == tir.IterVar.DataPar
    k = tir.IterVar(tvm.ir.Range(0, 8), tir.Var("k", "int32"), tir.IterVar.CommReduce)
    assert k.iter_type == 2
    # An IterVar stands for its variable in arithmetic.
    e = iv + 1
    assert isinstance(e, tir.Add) and e.a.same_as(iv.var)
    assert isinstance(iv * k, tir.Mul)
    t = tir.IterVar(None, "threadIdx.x", tir.IterVar.ThreadIndex, "threadIdx.x")
    assert t.thread_tag == "threadIdx.x"
    assert (tir.IterVar.DataPar, tir.IterVar.ThreadIndex, tir.IterVar.CommReduce, tir.IterVar.Ordered) == (0, 1, 2, 3)
    assert (tir.IterVar.DimInfo, tir.IterVar.Unrolled, tir.IterVar.Vectorized) == (4, 5, 6)
    assert (tir.IterVar.Parallelized, tir.IterVar.Tensorized) == (7, 8)


def test_buffer_load_and_store():
    A = tir.decl_buffer((4, 8), "float32", name="A")
    assert A.scope() == "global"
    i, j = _int_var("i"), _int_var("j")
    load = A[i, j]
    assert isinstance(load, tir.BufferLoad) and load.dtype == "float32"
    assert isinstance(tir.BufferLoad(A, [i, j]) + 1.0, tir.Add)
    store = tir.BufferStore(A, load * 2.0, [i, j])
    assert isinstance(store, tir.BufferStore)
    shared = tir.decl_buffer((16,), "int8", name="S", scope="shared")
    assert shared.scope() == "shared"
    assert shared.data.dtype == "handle"


def test_statements_and_primfunc():
    A = tir.decl_buffer((16,), "float32", name="A")
    B = tir.decl_buffer((16,), "float32", name="B")
    i = _int_var("i")
    body = tir.BufferStore(B, A[i] + 1.0, [i])
    loop = tir.For(i, 0, 16, tir.ForKind.SERIAL, body)
    assert isinstance(loop, tir.For)
    assert loop.kind == 0
    seq = tir.stmt_seq(loop, tir.Evaluate(0))
    assert isinstance(seq, tir.SeqStmt) and len(seq) == 2
    assert len(tir.stmt_list(seq)) == 2
    func = tir.PrimFunc([A, B], loop)
    assert len(func.params) == 2
    assert func.buffer_map[func.params[0]].same_as(A)
    func2 = func.with_attr("global_symbol", "add_one")
    assert func2.attrs["global_symbol"] == "add_one"
    assert tir.ForKind.VECTORIZED == 2 and tir.ForKind.THREAD_BINDING == 4


def test_comm_reducer_builds_reduce():
    A = tir.decl_buffer((16,), "float32", name="A")
    k = tir.IterVar((0, 16), "k", tir.IterVar.CommReduce)
    mysum = tir.comm_reducer(lambda x, y: x + y, lambda t: tir.const(0, dtype=t), name="mysum")
    r = mysum(A[k.var], axis=k)
    assert isinstance(r, tir.Reduce)
    assert r.dtype == "float32"
    assert len(r.axis) == 1 and r.axis[0].same_as(k)
    assert isinstance(r.combiner.result[0], tir.Add)
    assert r.combiner.identity_element[0].value == 0.0
    assert r.value_index == 0
    # Called on values it combines them directly.
    x, y, z = _int_var("x"), _int_var("y"), _int_var("z")
    assert isinstance(mysum(x, y), tir.Add)
    assert isinstance(mysum(x, y, z), tir.Add)


def test_comm_reducer_with_condition_and_init():
    A = tir.decl_buffer((16,), "float32", name="A")
    k = tir.IterVar((0, 16), "k", tir.IterVar.CommReduce)
    r = tir.max(A[k.var], axis=k, where=k.var > 2, init=tir.const(-1.0, "float32"))
    assert isinstance(r, tir.Reduce)
    assert isinstance(r.condition, tir.GT)
    assert r.init[0].value == -1.0
    # The identity of max is the lowest float32.
    assert r.combiner.identity_element[0].value < -3e38


def test_tuple_comm_reducer():
    idx = tir.decl_buffer((16,), "int32", name="idx")
    val = tir.decl_buffer((16,), "float32", name="val")
    k = tir.IterVar((0, 16), "k", tir.IterVar.CommReduce)

    def fcombine(x, y):
        lhs = tir.Select(x[1] >= y[1], x[0], y[0])
        rhs = tir.Select(x[1] >= y[1], x[1], y[1])
        return lhs, rhs

    def fidentity(t0, t1):
        return tir.const(-1, t0), tir.min_value(t1)

    argmax = tir.comm_reducer(fcombine, fidentity, name="argmax")
    r0, r1 = argmax((idx[k.var], val[k.var]), axis=k)
    assert isinstance(r0, tir.Reduce) and isinstance(r1, tir.Reduce)
    assert r0.value_index == 0 and r1.value_index == 1
    assert r0.dtype == "int32" and r1.dtype == "float32"
    assert len(r0.combiner.lhs) == 2
