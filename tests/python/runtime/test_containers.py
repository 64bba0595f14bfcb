"""tvm.runtime.convert and the runtime containers Array and Map."""

import pytest

import tvm
from tvm.runtime.container import Array, Map

convert = tvm.runtime.convert


def _py(value):
    """Back to plain Python values: IntImm/FloatImm -> number, Array -> list, Map -> dict."""
    if isinstance(value, Array):
        return [_py(v) for v in value]
    if isinstance(value, Map):
        return {_py(k): _py(v) for k, v in value.items()}
    if isinstance(value, (tvm.IntImm, tvm.FloatImm)):
        return value.value
    return value


# ---------------------------------------------------------------------------
# convert


def test_convert_list_gives_array():
    arr = convert([1, 2, 3])
    assert isinstance(arr, Array)
    assert len(arr) == 3
    assert _py(arr) == [1, 2, 3]


def test_convert_ints_and_floats_become_imm():
    arr = convert([7, 2.5, True])
    assert isinstance(arr[0], tvm.IntImm)
    assert arr[0].value == 7
    assert arr[0].dtype == "int32"
    assert isinstance(arr[1], tvm.FloatImm)
    assert arr[1].value == 2.5
    assert arr[1].dtype == "float32"
    assert arr[2].dtype == "bool"
    assert arr[2].value == 1


def test_convert_tuple_gives_array():
    assert _py(convert((4, 5))) == [4, 5]


def test_convert_empty_containers():
    empty_list = convert([])
    assert isinstance(empty_list, Array)
    assert len(empty_list) == 0
    assert list(empty_list) == []
    empty_dict = convert({})
    assert isinstance(empty_dict, Map)
    assert len(empty_dict) == 0
    assert empty_dict.items() == []


def test_convert_nested():
    value = convert([1, [2, [3, [4]]], {"k": [5, {"inner": "deep"}]}])
    assert _py(value) == [1, [2, [3, [4]]], {"k": [5, {"inner": "deep"}]}]
    assert value[1][1][1][0].value == 4
    assert value[2]["k"][1]["inner"] == "deep"


def test_convert_str_gives_str():
    value = convert("hello")
    assert type(value) is str
    assert value == "hello"


def test_convert_none():
    assert convert(None) is None


def test_convert_object_is_identity():
    arr = convert([1, 2])
    assert convert(arr).same_as(arr)


def test_convert_callable_gives_packed_func():
    f = convert(lambda a, b: a * b)
    assert isinstance(f, tvm.runtime.PackedFunc)
    assert f(6, 7) == 42


# ---------------------------------------------------------------------------
# Array


def test_array_indexing_and_negative_index():
    arr = convert([10, 20, 30, 40])
    assert arr[0].value == 10
    assert arr[3].value == 40
    assert arr[-1].value == 40
    assert arr[-4].value == 10


@pytest.mark.parametrize("index", [4, 100, -5])
def test_array_index_out_of_range(index):
    arr = convert([10, 20, 30, 40])
    with pytest.raises(IndexError) as info:
        arr[index]
    assert str(index) in str(info.value)


def test_array_slicing():
    arr = convert([0, 1, 2, 3, 4, 5])
    assert _py(arr[1:4]) == [1, 2, 3]
    assert _py(arr[::2]) == [0, 2, 4]
    assert _py(arr[::-1]) == [5, 4, 3, 2, 1, 0]
    assert _py(arr[10:]) == []


def test_array_iteration_in_order():
    arr = convert([3, 1, 4, 1, 5, 9, 2, 6])
    assert [x.value for x in arr] == [3, 1, 4, 1, 5, 9, 2, 6]
    # Iterating twice gives the same sequence (the array is immutable).
    assert [x.value for x in arr] == [x.value for x in arr]


def test_array_of_strings_gives_str():
    arr = convert(["alpha", "beta", ""])
    items = list(arr)
    assert items == ["alpha", "beta", ""]
    assert all(type(x) is str for x in items)


def test_array_mixed_element_types():
    arr = convert([1, "two", [3], {"four": 4}])
    assert isinstance(arr[0], tvm.IntImm)
    assert type(arr[1]) is str
    assert isinstance(arr[2], Array)
    assert isinstance(arr[3], Map)


def test_array_of_ndarrays_keeps_identity():
    import numpy as np

    a = tvm.nd.array(np.arange(3, dtype="float32"))
    b = tvm.nd.array(np.ones(2, dtype="int8"))
    arr = convert([a, b])
    assert arr[0].same_as(a)
    assert arr[1].same_as(b)
    np.testing.assert_array_equal(arr[1].numpy(), np.ones(2, dtype="int8"))


def test_array_large():
    arr = convert(list(range(1000)))
    assert len(arr) == 1000
    assert arr[999].value == 999
    assert arr[-1000].value == 0
    assert sum(x.value for x in arr) == sum(range(1000))


def test_array_equality_is_identity_and_structural_equal_compares_values():
    a = convert([1, 2])
    assert a == a
    assert a != convert([1, 2])
    assert tvm.ir.structural_equal(a, convert([1, 2]))
    assert not tvm.ir.structural_equal(a, convert([1, 3]))


def test_array_passed_to_cpp():
    size = tvm.get_global_func("runtime.ArraySize")
    assert size(convert([1, 2, 3])) == 3
    # A Python list is converted on the way.
    assert size([1, 2, 3, 4]) == 4


# ---------------------------------------------------------------------------
# Map


def test_map_lookup():
    m = convert({"a": 1, "b": "text", "c": [1, 2]})
    assert isinstance(m, Map)
    assert len(m) == 3
    assert m["a"].value == 1
    assert m["b"] == "text"
    assert type(m["b"]) is str
    assert _py(m["c"]) == [1, 2]


def test_map_contains():
    m = convert({"present": 0})
    assert "present" in m
    assert "absent" not in m


def test_map_missing_key_raises_key_error():
    m = convert({"a": 1})
    with pytest.raises(KeyError) as info:
        m["zzz"]
    assert "zzz" in str(info.value)


def test_map_get_with_default():
    m = convert({"a": 1})
    assert m.get("a").value == 1
    assert m.get("b") is None
    assert m.get("b", 42) == 42


def test_map_items_follow_insertion_order():
    keys = ["zeta", "alpha", "mu", "beta", "omega", "gamma"]
    m = convert({k: i for i, k in enumerate(keys)})
    assert m.keys() == keys
    assert [v.value for v in m.values()] == list(range(len(keys)))
    assert [(k, v.value) for k, v in m.items()] == list(zip(keys, range(len(keys))))
    assert list(m) == keys


def test_map_string_keys_and_values_are_str():
    m = convert({"k1": "v1", "k2": "v2"})
    for key, value in m.items():
        assert type(key) is str
        assert type(value) is str
    assert dict(m.items()) == {"k1": "v1", "k2": "v2"}


def test_map_with_int_keys_items():
    m = convert({1: "one", 2: "two"})
    assert [(k.value, v) for k, v in m.items()] == [(1, "one"), (2, "two")]


def test_map_nested():
    m = convert({"outer": {"inner": {"leaf": 3}}})
    assert m["outer"]["inner"]["leaf"].value == 3
    assert _py(m) == {"outer": {"inner": {"leaf": 3}}}


def test_map_round_trip_through_cpp():
    name = "testing.containers.echo"
    tvm.register_func(name, lambda x: x, override=True)
    try:
        echo = tvm.get_global_func(name)
        result = echo({"x": [1, 2], "y": "why"})
        assert isinstance(result, Map)
        assert _py(result) == {"x": [1, 2], "y": "why"}
        assert result.keys() == ["x", "y"]
    finally:
        tvm._ffi.remove_global_func(name)


def test_map_size_from_cpp():
    size = tvm.get_global_func("runtime.MapSize")
    assert size(convert({"a": 1, "b": 2})) == 2
    assert size({"a": 1, "b": 2, "c": 3}) == 3


def test_shape_tuple():
    import pickle

    shape = tvm.runtime.ShapeTuple([3, -1, 0, 7])
    assert len(shape) == 4 and list(shape) == [3, -1, 0, 7]
    assert shape[-1] == 7 and shape[1:3] == [-1, 0]
    assert shape == [3, -1, 0, 7] and shape == (3, -1, 0, 7) and shape == tvm.runtime.ShapeTuple((3, -1, 0, 7))
    assert shape != (3, -1, 0) and shape != [3, -1, 0, 8]
    assert repr(tvm.runtime.ShapeTuple([5])) == "(5,)"
    again = pickle.loads(pickle.dumps(shape))
    assert isinstance(again, tvm.runtime.ShapeTuple) and again == shape
    with pytest.raises(IndexError, match="ShapeTuple index 4 out of range for size 4"):
        shape[4]
