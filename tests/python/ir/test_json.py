"""tvm.ir.save_json / load_json: round trips of containers and IR nodes, and errors."""

import json

import numpy as np
import pytest

import tvm
from tvm import ir


def roundtrip(value):
    text = ir.save_json(value)
    assert isinstance(text, str)
    return ir.load_json(text)


def test_save_json_is_json_with_version():
    text = ir.save_json(tvm.runtime.convert([1, 2]))
    doc = json.loads(text)
    assert set(doc) >= {"root", "nodes", "attrs"}
    assert doc["attrs"]["tvm_version"] == tvm.__version__
    assert doc["nodes"][0]["type_key"] == ""


def test_roundtrip_of_converted_list():
    value = tvm.runtime.convert([1, "two", 3.5, [4, [5]], {"k": "v", "n": 6}])
    back = roundtrip(value)
    assert isinstance(back, tvm.ir.Array)
    assert not back.same_as(value)
    assert len(back) == 5
    assert int(back[0]) == 1
    assert back[1] == "two"
    assert float(back[2]) == 3.5
    assert int(back[3][1][0]) == 5
    assert back[4]["k"] == "v"
    assert int(back[4]["n"]) == 6
    assert ir.structural_equal(value, back)
    # Saving again gives the same text.
    assert ir.save_json(back) == ir.save_json(value)


def test_roundtrip_of_empty_containers():
    assert len(roundtrip(tvm.runtime.convert([]))) == 0
    assert len(roundtrip(tvm.runtime.convert({}))) == 0


def test_map_keeps_insertion_order():
    value = tvm.runtime.convert({"zeta": 1, "alpha": 2, "mid": 3})
    back = roundtrip(value)
    assert list(back.keys()) == ["zeta", "alpha", "mid"]


def test_roundtrip_intimm_keeps_dtype_and_value():
    for dtype, value in [("int32", -7), ("int64", 1 << 40), ("int8", 127), ("uint8", 255), ("bool", 1)]:
        imm = tvm.IntImm(dtype, value)
        back = roundtrip(imm)
        assert isinstance(back, tvm.ir.IntImm)
        assert back.dtype == dtype
        assert back.value == value
        assert ir.structural_equal(imm, back)


def test_roundtrip_floatimm_is_exact():
    for dtype, value in [("float32", 0.5), ("float64", 0.1), ("float64", -1e300), ("float16", 2.0)]:
        back = roundtrip(tvm.FloatImm(dtype, value))
        assert isinstance(back, tvm.ir.FloatImm)
        assert back.dtype == dtype
        assert back.value == value


def test_roundtrip_range():
    r = tvm.ir.Range(2, 10)
    back = roundtrip(r)
    assert isinstance(back, tvm.ir.Range)
    assert int(back.min) == 2
    assert int(back.extent) == 8
    assert ir.structural_equal(r, back)
    r2 = tvm.ir.Range.from_min_extent(3, 4)
    assert int(roundtrip(r2).extent) == 4


def test_roundtrip_global_var():
    gv = tvm.ir.GlobalVar("main")
    back = roundtrip(gv)
    assert isinstance(back, tvm.ir.GlobalVar)
    assert back.name_hint == "main"
    assert not back.same_as(gv)
    # A GlobalVar is a variable: equal to another only when free vars may be mapped.
    assert not ir.structural_equal(gv, back)
    assert ir.structural_equal(gv, back, map_free_vars=True)


def test_shared_nodes_stay_shared():
    gv = tvm.ir.GlobalVar("f")
    other = tvm.ir.GlobalVar("f")
    back = roundtrip(tvm.runtime.convert([gv, other, gv]))
    assert back[0].same_as(back[2])
    assert not back[0].same_as(back[1])


def test_roundtrip_dict_attrs():
    attrs = tvm.ir.make_dict_attrs({"name": "conv", "groups": 2, "strides": [1, 2]})
    back = roundtrip(attrs)
    assert isinstance(back, tvm.ir.DictAttrs)
    assert back["name"] == "conv"
    assert int(back["groups"]) == 2
    assert [int(x) for x in back["strides"]] == [1, 2]
    assert ir.structural_equal(attrs, back)


def test_roundtrip_ir_module_with_attrs():
    mod = tvm.IRModule().with_attr("executor", "graph").with_attr("version", tvm.runtime.convert(3))
    back = roundtrip(mod)
    assert isinstance(back, tvm.IRModule)
    assert back.attrs["executor"] == "graph"
    assert int(back.attrs["version"]) == 3
    assert len(back.functions) == 0
    assert ir.structural_equal(mod, back)
    assert ir.structural_hash(mod) == ir.structural_hash(back)


def test_roundtrip_ndarray():
    data = np.arange(12, dtype="float32").reshape(3, 4) * 0.25 - 1
    arr = tvm.nd.array(data)
    back = roundtrip(tvm.runtime.convert({"w": arr}))
    loaded = back["w"]
    assert isinstance(loaded, tvm.nd.NDArray)
    np.testing.assert_array_equal(loaded.numpy(), data)
    assert loaded.dtype == "float32"


def test_roundtrip_op():
    tvm.ir.register_op("test_json.my_op")
    op = tvm.ir.Op.get("test_json.my_op")
    back = roundtrip(op)
    assert back.same_as(op)


def test_pickle_uses_json():
    import pickle

    value = tvm.runtime.convert({"a": [1, 2], "b": "c"})
    back = pickle.loads(pickle.dumps(value))
    assert ir.structural_equal(value, back)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json at all",
        "{",
        "[1, 2]",
        "{}",
        '{"root": 1}',
        '{"root": 3, "nodes": [{"type_key": ""}]}',
    ],
)
def test_malformed_json_raises_value_error(text):
    with pytest.raises(ValueError) as info:
        ir.load_json(text)
    assert isinstance(info.value, tvm.error.TVMError)
    assert len(str(info.value)) > 10


def test_unknown_type_key_is_named():
    text = json.dumps(
        {"root": 1, "nodes": [{"type_key": ""}, {"type_key": "test_json.NoSuchType", "attrs": {}}]}
    )
    with pytest.raises(ValueError, match="test_json.NoSuchType"):
        ir.load_json(text)


def test_bad_field_value_is_named():
    text = json.dumps(
        {
            "root": 1,
            "nodes": [{"type_key": ""}, {"type_key": "IntImm", "attrs": {"dtype": "int32", "value": "seven"}}],
        }
    )
    with pytest.raises(ValueError, match="seven"):
        ir.load_json(text)
