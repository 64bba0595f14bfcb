"""Constant folding, type promotion and the operator functions of tvm.tir."""

import math

import pytest

import tvm
from tvm import tir


def _var(dtype, name="x"):
    return tir.Var(name, dtype)


def _value(e):
    assert isinstance(e, (tir.IntImm, tir.FloatImm)), f"not folded: {e!r}"
    return e.value


# ---------------------------------------------------------------------------
# const


@pytest.mark.parametrize(
    "value, dtype",
    [
        (1, "int32"),
        (-(2**31), "int32"),
        (2**31, "int64"),
        (-(2**31) - 1, "int64"),
        (1.5, "float32"),
        (True, "bool"),
        (False, "bool"),
    ],
)
def test_const_infers_dtype(value, dtype):
    c = tir.const(value)
    assert c.dtype == dtype
    assert c.value == value


def test_const_with_dtype():
    assert tir.const(3, "float32").value == 3.0
    assert isinstance(tir.const(3, "float32"), tir.FloatImm)
    assert tir.const(2.7, "int32").value == 2
    assert tir.const(1, "bool").dtype == "bool"
    assert tir.const(255, "uint8").value == 255
    assert tir.const(0.5, "float16").dtype == "float16"
    assert tir.const(1.0, "bfloat16").dtype == "bfloat16"
    v = tir.const(1, "float32x4")
    assert isinstance(v, tir.Broadcast) and v.dtype == "float32x4"
    with pytest.raises(ValueError):
        tir.const(300, "int8")


def test_large_uint64_const():
    c = tir.const(2**64 - 1, "uint64")
    assert isinstance(c, tir.Call) and c.op.name == "tir.large_uint_imm"
    assert c.dtype == "uint64"


# ---------------------------------------------------------------------------
# folding


@pytest.mark.parametrize(
    "build, expected",
    [
        (lambda: tir.const(2) + 3, 5),
        (lambda: tir.const(2) - 7, -5),
        (lambda: tir.const(6) * 7, 42),
        (lambda: tir.truncdiv(-7, 2), -3),
        (lambda: tir.truncmod(-7, 2), -1),
        (lambda: tir.floordiv(-7, 2), -4),
        (lambda: tir.floormod(-7, 2), 1),
        (lambda: tir.floordiv(7, -2), -4),
        (lambda: tir.floormod(7, -2), -1),
        (lambda: tir.const(-7) // 2, -4),
        (lambda: tir.const(-7) % 2, 1),
        (lambda: tir.indexdiv(9, 4), 2),
        (lambda: tir.indexmod(9, 4), 1),
        (lambda: tir.ceildiv(9, 4), 3),
        (lambda: tir.ceildiv(8, 4), 2),
        (lambda: tir.min(3, 9), 3),
        (lambda: tir.max(3, 9), 9),
    ],
)
def test_integer_folding(build, expected):
    e = build()
    assert isinstance(e, tir.IntImm)
    assert e.value == expected


def test_folded_result_wraps_to_width():
    big = tir.const(127, "int8")
    assert (big + tir.const(1, "int8")).value == -128
    assert (tir.const(200, "uint8") + tir.const(100, "uint8")).value == 44


@pytest.mark.parametrize(
    "build, expected",
    [
        (lambda: tir.const(1.5) + 2.0, 3.5),
        (lambda: tir.const(1.5) - 2.0, -0.5),
        (lambda: tir.const(1.5) * 2.0, 3.0),
        (lambda: tir.const(3.0) / 2.0, 1.5),
        (lambda: tir.min(tir.const(1.5), 2.5), 1.5),
        (lambda: tir.max(tir.const(1.5), 2.5), 2.5),
        (lambda: tir.floor(tir.const(1.5)), 1.0),
        (lambda: tir.ceil(tir.const(1.5)), 2.0),
        (lambda: tir.trunc(tir.const(-1.5)), -1.0),
        (lambda: tir.round(tir.const(2.5)), 3.0),
        (lambda: tir.nearbyint(tir.const(2.5)), 2.0),
        (lambda: tir.abs(tir.const(-2.5)), 2.5),
        (lambda: tir.power(tir.const(2.0), 3.0), 8.0),
        (lambda: tir.fmod(tir.const(7.0), 3.0), 1.0),
    ],
)
def test_float_folding(build, expected):
    e = build()
    assert isinstance(e, tir.FloatImm)
    assert e.value == expected


@pytest.mark.parametrize(
    "build, expected",
    [
        (lambda: tir.const(1) < 2, True),
        (lambda: tir.const(2) <= 2, True),
        (lambda: tir.const(1) > 2, False),
        (lambda: tir.const(2) >= 3, False),
        (lambda: tir.const(2).equal(2), True),
        (lambda: tir.const(1.5) < 2.5, True),
        (lambda: tir.all(tir.const(True), tir.const(False)), False),
        (lambda: tir.any(tir.const(True), tir.const(False)), True),
        (lambda: ~tir.const(True), False),
    ],
)
def test_comparison_and_logic_folding(build, expected):
    e = build()
    assert isinstance(e, tir.IntImm)
    assert e.dtype == "bool"
    assert bool(e.value) is expected


def test_identities():
    x = _var("int32")
    f = _var("float32", "f")
    assert (x + 0).same_as(x)
    assert (0 + x).same_as(x)
    assert (x - 0).same_as(x)
    assert (x * 1).same_as(x)
    assert (1 * x).same_as(x)
    zero = x * 0
    assert isinstance(zero, tir.IntImm) and zero.value == 0 and zero.dtype == "int32"
    assert isinstance(0 * x, tir.IntImm)
    assert tir.truncdiv(x, 1).same_as(x)
    assert tir.floordiv(x, 1).same_as(x)
    assert _value(tir.floormod(x, 1)) == 0
    assert _value(tir.truncmod(x, 1)) == 0
    assert (f / 1.0).same_as(f)
    assert (f + 0.0).same_as(f)
    # x * 0.0 is not 0 for floats (inf * 0 is nan).
    assert isinstance(f * 0.0, tir.Mul)


def test_logical_identities():
    c = _var("int32") > 1
    assert tir.all(tir.const(True), c).same_as(c)
    assert tir.all(c, tir.const(True)).same_as(c)
    assert _value(tir.all(tir.const(False), c)) == 0
    assert tir.any(tir.const(False), c).same_as(c)
    assert _value(tir.any(c, tir.const(True))) == 1
    assert isinstance(tir.all(c, c), tir.And)
    assert isinstance(tir.any(c, c, c), tir.Or)


def test_ceildiv_by_constant():
    x = _var("int32")
    e = tir.ceildiv(x, 4)
    assert isinstance(e, tir.FloorDiv)
    assert isinstance(e.a, tir.Add) and e.a.b.value == 3 and e.b.value == 4
    assert tir.ceildiv(x, 1).same_as(x)


def test_no_folding_for_symbols():
    x = _var("int32")
    assert isinstance(x + 1, tir.Add)
    assert isinstance(x - x, tir.Sub)


# ---------------------------------------------------------------------------
# type promotion


@pytest.mark.parametrize(
    "a_dtype, b_dtype, expected",
    [
        ("int32", "int64", "int64"),
        ("int64", "int32", "int64"),
        ("int8", "int16", "int16"),
        ("uint8", "uint32", "uint32"),
        ("int32", "uint8", "int32"),
        ("uint32", "int8", "int32"),
        ("uint64", "int32", "int64"),
        ("int32", "float32", "float32"),
        ("float16", "int64", "float16"),
        ("uint8", "float64", "float64"),
        ("float16", "float32", "float32"),
        ("float32", "float64", "float64"),
        ("bool", "int32", "int32"),
        ("int8", "bool", "int8"),
    ],
)
def test_binary_promotion(a_dtype, b_dtype, expected):
    a, b = _var(a_dtype, "a"), _var(b_dtype, "b")
    e = a + b
    assert e.dtype == expected
    assert e.a.dtype == expected and e.b.dtype == expected
    if a_dtype != expected:
        assert isinstance(e.a, tir.Cast)
    if b_dtype != expected:
        assert isinstance(e.b, tir.Cast)


def test_literals_take_the_other_type():
    assert (_var("int64") + 1).dtype == "int64"
    assert (_var("int8") + 1).dtype == "int8"
    assert (1 + _var("int8")).dtype == "int8"
    assert (_var("uint8") * 2).dtype == "uint8"
    assert (_var("int16") < 3).b.dtype == "int16"
    assert (_var("float16") * 0.5).dtype == "float16"
    assert (_var("float64") + 1.5).dtype == "float64"
    assert (_var("float16") + 1).dtype == "float16"
    e = _var("int64") + 1
    assert isinstance(e.b, tir.IntImm) and e.b.dtype == "int64"


def test_literal_that_does_not_fit_widens():
    e = _var("int8") + 1000
    assert e.dtype == "int32"
    assert isinstance(e.a, tir.Cast)
    assert (_var("uint8") - (-1)).dtype == "int32"


def test_int_with_float_literal():
    e = _var("int32") * 0.5
    assert e.dtype == "float32"
    assert isinstance(e.a, tir.Cast)


def test_scalar_broadcasts_to_vector():
    v = tir.Ramp(_var("int32"), 1, 4)
    e = v + 1
    assert e.dtype == "int32x4"
    assert isinstance(e.b, tir.Broadcast)
    f = tir.Broadcast(_var("float32", "f"), 8) * _var("float32", "g")
    assert f.dtype == "float32x8"
    with pytest.raises(TypeError):
        tir.Ramp(_var("int32"), 1, 4) + tir.Ramp(_var("int32"), 1, 8)


def test_handle_operands_do_not_mix():
    with pytest.raises(TypeError):
        _var("handle", "h") + _var("int32")


# ---------------------------------------------------------------------------
# errors


@pytest.mark.parametrize(
    "build",
    [
        lambda x: tir.truncdiv(x, 0),
        lambda x: tir.truncmod(x, 0),
        lambda x: tir.floordiv(x, 0),
        lambda x: tir.floormod(x, 0),
        lambda x: x // 0,
        lambda x: x % 0,
        lambda x: tir.const(4) // 0,
    ],
)
def test_division_by_constant_zero(build):
    with pytest.raises(ZeroDivisionError) as info:
        build(_var("int32"))
    assert isinstance(info.value, tvm.error.TVMError)
    assert "division by zero" in str(info.value)


def test_float_division_by_zero():
    with pytest.raises(ZeroDivisionError):
        _var("float32") / 0.0


def test_div_of_integers_points_to_floordiv():
    x = _var("int32")
    with pytest.raises(TypeError) as info:
        tir.generic.divide(x, 2)
    assert "floordiv" in str(info.value)
    # tir.div keeps C semantics for integers (a Div node), as in TVM.
    assert isinstance(tir.div(x, 2), tir.Div)
    assert isinstance(tir.div(_var("float32"), 2.0), tir.Div)


@pytest.mark.parametrize("func", [tir.exp, tir.log, tir.sqrt, tir.tanh, tir.sigmoid, tir.sin, tir.erf])
def test_transcendental_needs_float(func):
    with pytest.raises(TypeError) as info:
        func(_var("int32"))
    assert func.__name__ in str(info.value)
    assert isinstance(info.value, tvm.error.TVMError)


def test_pow_and_fmod_need_floats():
    with pytest.raises(TypeError):
        _var("int32") ** 2
    with pytest.raises(TypeError):
        tir.fmod(_var("int32"), 2)


def test_bitwise_needs_integers():
    with pytest.raises(TypeError):
        _var("float32") & 1
    with pytest.raises(TypeError):
        ~_var("float32")
    with pytest.raises(ValueError):
        _var("int32") << 40


def test_logical_needs_booleans():
    with pytest.raises(TypeError):
        tir.all(_var("int32"), _var("int32") > 1)


def test_truncdiv_needs_integers():
    with pytest.raises(TypeError):
        tir.truncdiv(_var("float32"), 2.0)


def test_infinity_of_int_is_an_error():
    with pytest.raises(TypeError):
        tir.infinity("int32")


# ---------------------------------------------------------------------------
# math and selection


def test_math_intrinsics_build_calls():
    f = _var("float32", "f")
    for func, name in [
        (tir.exp, "tir.exp"),
        (tir.log, "tir.log"),
        (tir.sqrt, "tir.sqrt"),
        (tir.rsqrt, "tir.rsqrt"),
        (tir.tanh, "tir.tanh"),
        (tir.sigmoid, "tir.sigmoid"),
        (tir.erf, "tir.erf"),
        (tir.cos, "tir.cos"),
        (tir.log1p, "tir.log1p"),
        (tir.floor, "tir.floor"),
        (tir.ceil, "tir.ceil"),
        (tir.round, "tir.round"),
        (tir.nearbyint, "tir.nearbyint"),
        (tir.trunc, "tir.trunc"),
        (tir.abs, "tir.fabs"),
    ]:
        e = func(f)
        assert isinstance(e, tir.Call), name
        assert e.op.name == name
        assert e.dtype == "float32"
    assert tir.atan2(f, 1.0).op.name == "tir.atan2"
    assert tir.exp(_var("float16")).dtype == "float16"


def test_rounding_leaves_integers_unchanged():
    x = _var("int32")
    for func in (tir.floor, tir.ceil, tir.round, tir.nearbyint, tir.trunc):
        assert func(x).same_as(x)


def test_abs_of_integer_is_a_select():
    x = _var("int32")
    e = tir.abs(x)
    assert isinstance(e, tir.Select)
    assert _value(tir.abs(tir.const(-3))) == 3
    assert tir.abs(_var("uint8")).dtype == "uint8"


def test_isnan_isinf_isfinite():
    f = _var("float32", "f")
    nan = tir.isnan(f)
    assert isinstance(nan, tir.Call) and nan.op.name == "tir.isnan" and nan.dtype == "bool"
    assert tir.isinf(f).dtype == "bool"
    assert tir.isfinite(f).dtype == "bool"
    assert _value(tir.isnan(_var("int32"))) == 0
    assert _value(tir.isinf(_var("int32"))) == 0
    assert _value(tir.isfinite(_var("int32"))) == 1
    assert _value(tir.isnan(tir.const(float("nan")))) == 1
    assert _value(tir.isinf(tir.const(float("inf")))) == 1
    assert _value(tir.isfinite(tir.const(1.0))) == 1


def test_if_then_else():
    x, y = _var("int32"), _var("int32", "y")
    e = tir.if_then_else(x > 0, x, y)
    assert isinstance(e, tir.Call) and e.op.name == "tir.if_then_else"
    assert e.dtype == "int32"
    assert tir.if_then_else(tir.const(True), x, y).same_as(x)
    assert tir.if_then_else(tir.const(False), x, y).same_as(y)
    assert tir.if_then_else(x > 0, _var("int64", "z"), 1).dtype == "int64"
    with pytest.raises(TypeError):
        tir.if_then_else(x, x, y)


def test_likely():
    c = _var("int32") < 4
    e = tir.likely(c)
    assert isinstance(e, tir.Call) and e.op.name == "tir.likely"
    assert _value(tir.likely(tir.const(True))) == 1


def test_min_max_values():
    assert _value(tir.max_value("int8")) == 127
    assert _value(tir.min_value("int8")) == -128
    assert _value(tir.max_value("int32")) == 2**31 - 1
    assert _value(tir.min_value("int64")) == -(2**63)
    assert _value(tir.max_value("uint8")) == 255
    assert _value(tir.min_value("uint16")) == 0
    assert _value(tir.max_value("float16")) == 65504.0
    assert _value(tir.max_value("float32")) == pytest.approx(3.4028234663852886e38)
    assert _value(tir.min_value("float64")) == -1.7976931348623157e308
    assert _value(tir.max_value("bfloat16")) == pytest.approx(3.3895313892515355e38)
    assert _value(tir.max_value("bool")) == 1
    assert math.isinf(_value(tir.infinity("float32")))
    assert tir.max_value("uint64").op.name == "tir.large_uint_imm"


def test_reinterpret_and_cast():
    f = _var("float32", "f")
    r = tir.reinterpret("int32", f)
    assert isinstance(r, tir.Call) and r.op.name == "tir.reinterpret" and r.dtype == "int32"
    with pytest.raises(TypeError):
        tir.reinterpret("int64", f)
    assert tir.generic.cast(tir.const(3.7), "int32").value == 3
    assert tir.generic.cast(tir.const(-1), "uint8").value == 255
    b = tir.generic.cast(tir.Broadcast(_var("int32"), 4), "float32x4")
    assert isinstance(b, tir.Broadcast) and isinstance(b.value, tir.Cast)


def test_q_multiply_shift():
    x = _var("int32")
    e = tir.q_multiply_shift(x, 1 << 30, 31, 1)
    assert isinstance(e, tir.Call) and e.op.name == "tir.q_multiply_shift" and e.dtype == "int32"


def test_builtin_calls():
    x = _var("int32")
    packed = tir.call_packed("my.func", x)
    assert packed.op.name == "tir.tvm_call_packed" and isinstance(packed.args[0], tir.StringImm)
    ext = tir.call_extern("float32", "expf", _var("float32", "f"))
    assert ext.op.name == "tir.call_extern" and ext.args[0].value == "expf"
    pure = tir.call_pure_extern("float32", "sqrtf", _var("float32", "f"))
    assert pure.op.name == "tir.call_pure_extern"
    intrin = tir.call_intrin("int32", "tir.popcount", x)
    assert intrin.op.name == "tir.popcount"
    assert tir.ret(x).op.name == "tir.ret"
    assert tir.tvm_storage_sync("shared").args[0].value == "shared"


def test_builtin_effect_kinds():
    kind = tvm.get_global_func("tir.GetCallEffectKind")
    op = tvm.ir.Op.get
    assert kind(op("tir.exp")) == tir.CallEffectKind.Pure
    assert kind(op("tir.if_then_else")) == tir.CallEffectKind.Pure
    assert kind(op("tir.likely")) == tir.CallEffectKind.ExprAnnotation
    assert kind(op("tir.call_extern")) == tir.CallEffectKind.Opaque
    assert kind(op("tir.tvm_call_packed")) == tir.CallEffectKind.Opaque
    assert kind(op("tir.tvm_struct_get")) == tir.CallEffectKind.ReadState
    assert kind(op("tir.tvm_struct_set")) == tir.CallEffectKind.UpdateState
    assert kind(op("tir.ret")) == tir.CallEffectKind.ControlJump
    assert op("tir.exp").num_inputs == 1
    assert op("tir.atan2").num_inputs == 2
    assert op("tir.exp").get_attr("TScriptPrinterName") == "exp"


def test_min_max_reducers_combine_values():
    x, y, z = _var("int32"), _var("int32", "y"), _var("int32", "z")
    assert isinstance(tir.min(x, y), tir.Min)
    assert isinstance(tir.max(x, y, z), tir.Max)
    assert isinstance(tir.sum(x, y), tir.Add)


def test_range_with_symbolic_bounds_uses_tir_sub():
    n = _var("int32", "n")
    r = tvm.ir.Range(1, n)
    assert isinstance(r.extent, tir.Sub)
