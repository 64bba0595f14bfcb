"""Packed functions: the global registry, argument conversion through C++, callbacks, errors."""

import itertools

import numpy as np
import pytest

import tvm
from tvm import _ffi

_counter = itertools.count()


def _unique(name):
    """A registry name no other test uses (the registry is process-global)."""
    return f"testing.packed_func.{name}.{next(_counter)}"


@pytest.fixture
def echo():
    """A Python identity function registered globally and looked up again (so calls go through C++)."""
    name = _unique("echo")
    tvm.register_func(name, lambda x: x)
    yield tvm.get_global_func(name)
    _ffi.remove_global_func(name)


# ---------------------------------------------------------------------------
# registration


def test_register_func_as_decorator_with_name():
    name = _unique("decorated")

    @tvm.register_func(name)
    def add(a, b):
        return a + b

    # The decorator gives the Python function back unchanged.
    assert add(1, 2) == 3
    f = tvm.get_global_func(name)
    assert isinstance(f, tvm.runtime.PackedFunc)
    assert f(20, 22) == 42
    assert f(1.5, 2.25) == 3.75


def test_register_func_as_bare_decorator_uses_function_name():
    @tvm.register_func
    def testing_packed_func_bare_decorator(x):
        return x * 3

    try:
        assert tvm.get_global_func("testing_packed_func_bare_decorator")(14) == 42
    finally:
        _ffi.remove_global_func("testing_packed_func_bare_decorator")


def test_register_func_with_explicit_function():
    name = _unique("explicit")

    def concat(a, b):
        return a + "-" + b

    assert tvm.register_func(name, concat) is concat
    assert tvm.get_global_func(name)("ab", "cd") == "ab-cd"


def test_register_existing_packed_func_under_new_name():
    original = _unique("original")
    alias = _unique("alias")
    tvm.register_func(original, lambda x: x + 100)
    tvm.register_func(alias, tvm.get_global_func(original))
    assert tvm.get_global_func(alias)(1) == 101


def test_registered_names_are_listed():
    name = _unique("listed")
    tvm.register_func(name, lambda: 0)
    names = _ffi.list_global_func_names()
    assert name in names
    # C++ globals are listed too.
    assert "runtime.ArrayGetItem" in names


def test_remove_global_func():
    name = _unique("removed")
    tvm.register_func(name, lambda: 1)
    assert tvm.get_global_func(name)() == 1
    _ffi.remove_global_func(name)
    assert tvm.get_global_func(name, allow_missing=True) is None
    assert name not in _ffi.list_global_func_names()


def test_reregistration_without_override_raises():
    name = _unique("once")
    tvm.register_func(name, lambda: "first")
    with pytest.raises(ValueError) as info:
        tvm.register_func(name, lambda: "second")
    assert name in str(info.value)
    assert isinstance(info.value, tvm.error.TVMError)
    # The first registration is untouched.
    assert tvm.get_global_func(name)() == "first"


def test_reregistration_with_override_replaces():
    name = _unique("override")
    tvm.register_func(name, lambda: "first")
    old = tvm.get_global_func(name)
    tvm.register_func(name, lambda: "second", override=True)
    assert tvm.get_global_func(name)() == "second"
    # A handle looked up earlier keeps calling the function it was given.
    assert old() == "first"

    @tvm.register_func(name, override=True)
    def third():
        return "third"

    assert tvm.get_global_func(name)() == "third"


def test_get_global_func_missing_raises_value_error_naming_it():
    with pytest.raises(ValueError) as info:
        tvm.get_global_func("no.such")
    assert "no.such" in str(info.value)
    assert isinstance(info.value, tvm.error.TVMError)


def test_get_global_func_allow_missing_returns_none():
    assert tvm.get_global_func("no.such", allow_missing=True) is None


# ---------------------------------------------------------------------------
# values through C++


@pytest.mark.parametrize("value", [0, 1, -7, 2**40, -(2**63), 2**63 - 1])
def test_int_round_trip(echo, value):
    result = echo(value)
    assert type(result) is int
    assert result == value


@pytest.mark.parametrize("value", [0.0, 1.5, -2.25, 1e300, float("inf")])
def test_float_round_trip(echo, value):
    result = echo(value)
    assert type(result) is float
    assert result == value


def test_nan_round_trip(echo):
    assert np.isnan(echo(float("nan")))


@pytest.mark.parametrize("value", ["", "hello", "with space and\nnewline", "ünïcödé 中文"])
def test_str_round_trip(echo, value):
    result = echo(value)
    assert type(result) is str
    assert result == value


def test_bytes_round_trip(echo):
    data = b"ab\x00cd\xff"
    result = echo(data)
    assert isinstance(result, bytes)
    assert result == data


def test_bool_round_trip(echo):
    assert echo(True) == 1 and bool(echo(True)) is True
    assert echo(False) == 0 and bool(echo(False)) is False


def test_none_round_trip(echo):
    assert echo(None) is None


def test_numpy_scalars_become_numbers(echo):
    assert echo(np.int8(-3)) == -3
    assert echo(np.uint16(65535)) == 65535
    assert echo(np.float32(0.5)) == 0.5
    assert echo(np.float64(-1e-5)) == -1e-5


def test_list_round_trip(echo):
    result = echo([1, 2.5, "three", [4, 5]])
    assert isinstance(result, tvm.runtime.container.Array)
    assert len(result) == 4
    assert result[0].value == 1
    assert result[1].value == 2.5
    assert result[2] == "three"
    assert [x.value for x in result[3]] == [4, 5]


def test_tuple_becomes_array(echo):
    result = echo((7, 8))
    assert isinstance(result, tvm.runtime.container.Array)
    assert [x.value for x in result] == [7, 8]


def test_dict_round_trip(echo):
    result = echo({"a": 1, "b": "text", "c": [1, 2]})
    assert isinstance(result, tvm.runtime.container.Map)
    assert len(result) == 3
    assert result["a"].value == 1
    assert result["b"] == "text"
    assert [x.value for x in result["c"]] == [1, 2]


def test_ndarray_round_trip_is_same_object(echo):
    arr = tvm.nd.array(np.arange(6, dtype="float32").reshape(2, 3))
    result = echo(arr)
    assert isinstance(result, tvm.nd.NDArray)
    assert result.same_as(arr)
    assert result.data_ptr == arr.data_ptr
    np.testing.assert_array_equal(result.numpy(), np.arange(6, dtype="float32").reshape(2, 3))


def test_numpy_argument_arrives_as_ndarray_without_copy():
    seen = {}
    name = _unique("numpy_arg")

    def capture(x):
        seen["x"] = x
        return x.shape[0]

    tvm.register_func(name, capture)
    data = np.arange(5, dtype="float64")
    assert tvm.get_global_func(name)(data) == 5
    assert isinstance(seen["x"], tvm.nd.NDArray)
    assert seen["x"].data_ptr == data.ctypes.data


@pytest.mark.parametrize("dev", [tvm.cpu(0), tvm.cpu(3), tvm.cuda(0), tvm.cuda(2)], ids=repr)
def test_device_round_trip(echo, dev):
    result = echo(dev)
    assert isinstance(result, tvm.runtime.Device)
    assert result == dev
    assert result.device_type == dev.device_type
    assert result.device_id == dev.device_id


def test_packed_func_round_trip(echo):
    inner = tvm.get_global_func("runtime.ArraySize")
    result = echo(inner)
    assert isinstance(result, tvm.runtime.PackedFunc)
    assert result(tvm.runtime.convert([1, 2, 3])) == 3


def test_many_arguments():
    name = _unique("sum")
    tvm.register_func(name, lambda *args: sum(args))
    assert tvm.get_global_func(name)(*range(100)) == sum(range(100))


def test_argument_types_seen_by_python():
    name = _unique("types")
    tvm.register_func(name, lambda *args: ",".join(type(a).__name__ for a in args))
    arr = tvm.nd.array(np.zeros(2, dtype="float32"))
    got = tvm.get_global_func(name)(1, 2.0, "s", None, arr, tvm.cpu(0))
    assert got == "int,float,str,NoneType,NDArray,Device"


def test_returning_numpy_array_gives_ndarray():
    name = _unique("ret_numpy")
    tvm.register_func(name, lambda: np.array([1.5, -2.5], dtype="float32"))
    result = tvm.get_global_func(name)()
    assert isinstance(result, tvm.nd.NDArray)
    assert result.dtype == "float32"
    np.testing.assert_array_equal(result.numpy(), np.array([1.5, -2.5], dtype="float32"))


def test_int_too_large_raises_overflow_naming_argument(echo):
    with pytest.raises(OverflowError) as info:
        echo(2**70)
    assert "argument 0" in str(info.value)
    assert isinstance(info.value, tvm.error.TVMError)


# ---------------------------------------------------------------------------
# callbacks


def test_python_callback_called_from_cpp():
    name = _unique("apply")

    @tvm.register_func(name)
    def apply(f, x):
        # `f` reached this function through C++: it is a PackedFunc wrapping the lambda.
        assert isinstance(f, tvm.runtime.PackedFunc)
        return f(x) + 1

    apply_cpp = tvm.get_global_func(name)
    assert apply_cpp(lambda v: v * 10, 4) == 41
    with pytest.raises(TypeError):
        # "AB" + 1 fails inside the registered function and comes back as a TypeError.
        apply_cpp(lambda s: s.upper(), "ab")


def test_callback_receives_converted_arguments():
    name = _unique("call_with")
    calls = []
    tvm.register_func(name, lambda f, *args: f(*args))

    def record(*args):
        calls.append(args)
        return len(args)

    arr = tvm.nd.array(np.ones(3, dtype="int32"))
    assert tvm.get_global_func(name)(record, 1, "x", arr) == 3
    (args,) = calls
    assert args[0] == 1
    assert args[1] == "x"
    assert isinstance(args[2], tvm.nd.NDArray) and args[2].same_as(arr)


def test_python_function_returning_a_closure():
    name = _unique("make_adder")
    tvm.register_func(name, lambda k: (lambda y: y + k))
    add10 = tvm.get_global_func(name)(10)
    assert isinstance(add10, tvm.runtime.PackedFunc)
    assert add10(5) == 15
    assert add10(-10) == 0


def test_cpp_global_calls_python_callback_many_times():
    # The callback is converted once and called repeatedly from C++ through another Python global.
    name = _unique("map")
    tvm.register_func(name, lambda f, n: [f(i) for i in range(n)])
    result = tvm.get_global_func(name)(lambda i: i * i, 6)
    assert [x.value for x in result] == [0, 1, 4, 9, 16, 25]


# ---------------------------------------------------------------------------
# exceptions across the boundary


def test_python_value_error_crosses_cpp():
    name = _unique("raises")

    def bad(x):
        raise ValueError(f"custom bad value {x}")

    tvm.register_func(name, bad)
    with pytest.raises(ValueError) as info:
        tvm.get_global_func(name)(7)
    assert "custom bad value 7" in str(info.value)
    assert isinstance(info.value, tvm.error.TVMError)


@pytest.mark.parametrize("exc, expected", [(TypeError, TypeError), (KeyError, KeyError),
                                           (IndexError, IndexError), (ZeroDivisionError, ZeroDivisionError),
                                           (NotImplementedError, NotImplementedError)])
def test_python_exception_kinds_are_kept(exc, expected):
    name = _unique("raises_kind")

    def bad():
        raise exc("marker-text-123")

    tvm.register_func(name, bad)
    with pytest.raises(expected) as info:
        tvm.get_global_func(name)()
    assert "marker-text-123" in str(info.value)
    assert isinstance(info.value, tvm.error.TVMError)


def test_python_exception_of_unknown_kind_becomes_tvm_error():
    name = _unique("raises_custom")

    class Custom(Exception):
        pass

    def bad():
        raise Custom("special failure")

    tvm.register_func(name, bad)
    with pytest.raises(tvm.error.TVMError) as info:
        tvm.get_global_func(name)()
    assert "special failure" in str(info.value)
    assert "Custom" in str(info.value)


def test_exception_in_callback_passed_through_cpp():
    name = _unique("apply_raising")
    tvm.register_func(name, lambda f: f())
    with pytest.raises(ZeroDivisionError):
        tvm.get_global_func(name)(lambda: 1 // 0)


def test_cpp_error_raises_tvm_error_and_index_error():
    get_item = tvm.get_global_func("runtime.ArrayGetItem")
    with pytest.raises(tvm.error.TVMError) as info:
        get_item(tvm.runtime.convert([1, 2]), 5)
    assert isinstance(info.value, IndexError)
    assert "5" in str(info.value)


def test_cpp_error_inside_python_inside_cpp():
    # C++ raises inside a Python function that C++ called: the kind survives both crossings.
    name = _unique("nested")

    def nested():
        return tvm.get_global_func("runtime.ArrayGetItem")(tvm.runtime.convert([1, 2]), 9)

    tvm.register_func(name, nested)
    with pytest.raises(IndexError) as info:
        tvm.get_global_func(name)()
    assert "9" in str(info.value)
    assert isinstance(info.value, tvm.error.TVMError)


def test_error_is_catchable_and_registry_still_works():
    name = _unique("after_error")
    tvm.register_func(name, lambda ok: 1 if ok else 1 // 0)
    f = tvm.get_global_func(name)
    for _ in range(3):
        with pytest.raises(ZeroDivisionError):
            f(False)
        assert f(True) == 1


# ---------------------------------------------------------------------------
# re-entrancy and threads


def test_recursion_through_cpp():
    name = _unique("fact")

    def fact(n):
        return 1 if n <= 1 else n * tvm.get_global_func(name)(n - 1)

    tvm.register_func(name, fact)
    assert tvm.get_global_func(name)(20) == 2432902008176640000


def test_concurrent_calls_from_python_threads():
    import threading

    name = _unique("square")
    tvm.register_func(name, lambda x: x * x)
    square = tvm.get_global_func(name)
    size = tvm.get_global_func("runtime.ArraySize")
    results, errors = {}, []

    def worker(k):
        try:
            total = 0
            for i in range(200):
                total += square(i + k)
                assert size([0] * (k + 1)) == k + 1
            results[k] = total
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert results == {k: sum((i + k) ** 2 for i in range(200)) for k in range(4)}
