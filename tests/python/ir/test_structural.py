"""tvm.ir.structural_equal / structural_hash / assert_structural_equal."""

import numpy as np
import pytest

import tvm
from tvm import ir


def convert(value):
    return tvm.runtime.convert(value)


def check_equal(a, b, map_free_vars=False):
    assert ir.structural_equal(a, b, map_free_vars)
    assert ir.structural_equal(b, a, map_free_vars)
    assert ir.structural_hash(a, map_free_vars) == ir.structural_hash(b, map_free_vars)
    ir.assert_structural_equal(a, b, map_free_vars)
    assert ir.get_first_structural_mismatch(a, b, map_free_vars) is None


def check_not_equal(a, b, map_free_vars=False):
    assert not ir.structural_equal(a, b, map_free_vars)
    assert not ir.structural_equal(b, a, map_free_vars)
    with pytest.raises(ValueError):
        ir.assert_structural_equal(a, b, map_free_vars)
    assert ir.get_first_structural_mismatch(a, b, map_free_vars) is not None


def test_containers_of_immediates():
    check_equal(convert([1, 2, [3, "x"]]), convert([1, 2, [3, "x"]]))
    check_not_equal(convert([1, 2]), convert([2, 1]))
    check_not_equal(convert([1, 2]), convert([1, 2, 3]))
    check_not_equal(convert([1]), convert(["1"]))
    check_equal(convert({"a": 1, "b": [2]}), convert({"a": 1, "b": [2]}))


def test_map_key_order_is_irrelevant():
    a = convert({"x": 1, "y": 2, "z": 3})
    b = convert({"z": 3, "x": 1, "y": 2})
    check_equal(a, b)
    check_not_equal(a, convert({"x": 1, "y": 2, "z": 4}))
    check_not_equal(a, convert({"x": 1, "y": 2, "w": 3}))


def test_dtype_matters():
    check_equal(tvm.IntImm("int32", 3), tvm.IntImm("int32", 3))
    check_not_equal(tvm.IntImm("int32", 3), tvm.IntImm("int64", 3))
    check_not_equal(tvm.IntImm("int32", 3), tvm.IntImm("int32", 4))
    check_not_equal(tvm.FloatImm("float32", 1.0), tvm.FloatImm("float64", 1.0))
    check_not_equal(tvm.IntImm("int32", 1), tvm.FloatImm("float32", 1.0))


def test_hash_differs_for_different_constants():
    hashes = {ir.structural_hash(tvm.IntImm("int32", v)) for v in range(20)}
    assert len(hashes) == 20
    assert ir.structural_hash(convert([1, 2])) != ir.structural_hash(convert([2, 1]))
    assert isinstance(ir.structural_hash(convert([1])), int)


def test_hash_is_deterministic():
    value = convert({"a": [1, 2.5, "s"], "b": tvm.ir.Range(0, 4)})
    assert ir.structural_hash(value) == ir.structural_hash(value)
    assert ir.structural_hash(value) == ir.structural_hash(ir.load_json(ir.save_json(value)))


def test_ranges_and_attrs():
    check_equal(tvm.ir.Range(0, 8), tvm.ir.Range(0, 8))
    check_not_equal(tvm.ir.Range(0, 8), tvm.ir.Range(1, 8))
    a = tvm.ir.make_dict_attrs({"k": 1, "s": "v"})
    b = tvm.ir.make_dict_attrs({"s": "v", "k": 1})
    check_equal(a, b)
    check_not_equal(a, tvm.ir.make_dict_attrs({"k": 2, "s": "v"}))


def test_global_vars_are_free_variables():
    x = tvm.ir.GlobalVar("x")
    y = tvm.ir.GlobalVar("x")
    check_equal(x, x)
    check_not_equal(x, y)
    check_equal(x, y, map_free_vars=True)
    # Mapping must stay consistent: [x, y] vs [x, x] cannot pair y with x again.
    check_not_equal(convert([x, y]), convert([x, x]), map_free_vars=True)
    check_equal(convert([x, y]), convert([y, x]), map_free_vars=True)


def test_ndarrays_compare_by_content():
    a = tvm.nd.array(np.arange(6, dtype="float32"))
    b = tvm.nd.array(np.arange(6, dtype="float32"))
    c = tvm.nd.array(np.arange(6, dtype="float32") + 1)
    check_equal(a, b)
    check_not_equal(a, c)
    assert ir.structural_hash(a) != ir.structural_hash(c)
    check_not_equal(a, tvm.nd.array(np.arange(6, dtype="int32")))


def test_ops_are_singletons():
    tvm.ir.register_op("test_structural.op_a")
    tvm.ir.register_op("test_structural.op_b")
    a = tvm.ir.Op.get("test_structural.op_a")
    check_equal(a, tvm.ir.Op.get("test_structural.op_a"))
    check_not_equal(a, tvm.ir.Op.get("test_structural.op_b"))


def test_ir_modules():
    a = tvm.IRModule().with_attr("target", "llvm")
    b = tvm.IRModule().with_attr("target", "llvm")
    check_equal(a, b)
    check_not_equal(a, tvm.IRModule().with_attr("target", "cuda"))
    check_not_equal(a, tvm.IRModule())


def test_assert_message_names_the_difference():
    lhs = convert({"outer": [1, 2, {"inner": 5}]})
    rhs = convert({"outer": [1, 2, {"inner": 6}]})
    with pytest.raises(ValueError) as info:
        ir.assert_structural_equal(lhs, rhs)
    message = str(info.value)
    assert '["outer"][2]["inner"]' in message
    assert "5" in message and "6" in message
    assert isinstance(info.value, tvm.error.TVMError)
    mismatch = ir.get_first_structural_mismatch(lhs, rhs)
    assert '["outer"][2]["inner"]' in mismatch


def test_assert_message_for_length_difference():
    with pytest.raises(ValueError, match="length"):
        ir.assert_structural_equal(convert([1, 2]), convert([1, 2, 3]))


def test_make_node_builds_dict_attrs():
    attrs = tvm.ir.make_node("DictAttrs", Primitive=1, Compiler="ext")
    assert isinstance(attrs, tvm.ir.DictAttrs)
    assert int(attrs["Primitive"]) == 1 and str(attrs["Compiler"]) == "ext"
