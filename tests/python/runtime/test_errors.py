"""Bad input gives clear Python exceptions that are also tvm.error.TVMError."""

import numpy as np
import pytest

import tvm
from tvm import _ffi


def _assert_tvm_error(exc_info, python_type, *fragments):
    err = exc_info.value
    assert isinstance(err, python_type), type(err).__mro__
    assert isinstance(err, tvm.error.TVMError), type(err).__mro__
    assert isinstance(err, tvm.TVMError)
    for fragment in fragments:
        assert fragment in str(err), f"{fragment!r} not in {str(err)!r}"


@pytest.fixture(scope="module")
def count_args():
    name = "testing.errors.count_args"
    tvm.register_func(name, lambda *args: len(args), override=True)
    yield tvm.get_global_func(name)
    _ffi.remove_global_func(name)


def test_error_classes_are_tvm_errors():
    assert issubclass(tvm.error.TVMError, RuntimeError)
    assert tvm.TVMError is tvm.error.TVMError
    assert issubclass(tvm.error.InternalError, tvm.error.TVMError)
    assert issubclass(tvm.error.OpError, tvm.error.TVMError)
    assert issubclass(tvm.error.OpNotImplemented, tvm.error.OpError)
    assert issubclass(tvm.error.OpNotImplemented, NotImplementedError)
    assert issubclass(tvm.error.OpAttributeRequired, AttributeError)
    assert issubclass(tvm.error.OpAttributeInvalid, AttributeError)


def test_register_error_maps_cpp_kind_to_class():
    @tvm.error.register_error
    class TestingCustomKindError(tvm.error.TVMError):
        pass

    name = "testing.errors.raise_custom_kind"

    def raiser():
        raise TestingCustomKindError("custom kind detail")

    tvm.register_func(name, raiser, override=True)
    try:
        # The Python exception crosses C++ as kind "TestingCustomKindError" and comes back as the class.
        with pytest.raises(TestingCustomKindError, match="custom kind detail"):
            tvm.get_global_func(name)()
    finally:
        _ffi.remove_global_func(name)


def test_wrong_dtype_string_in_empty():
    with pytest.raises(ValueError) as info:
        tvm.nd.empty((2,), "flaot32")
    _assert_tvm_error(info, ValueError, "flaot32")


def test_wrong_dtype_string_in_array():
    with pytest.raises(ValueError) as info:
        tvm.nd.array([1.0, 2.0], dtype="flaot32")
    _assert_tvm_error(info, ValueError, "flaot32")


@pytest.mark.parametrize("dtype", ["int3x", "floaty", "float32x"])
def test_malformed_dtype_strings(dtype):
    with pytest.raises(ValueError) as info:
        tvm.runtime.DataType(dtype)
    _assert_tvm_error(info, ValueError, f"'{dtype}'")


def test_valid_dtype_strings_parse():
    dt = tvm.runtime.DataType("int8x4")
    assert (dt.type_code, dt.bits, dt.lanes) == (0, 8, 4)
    assert dt == "int8x4"
    f = tvm.runtime.DataType("float16")
    assert (f.type_code, f.bits, f.lanes) == (2, 16, 1)
    # "" is void, like "void" (TVM's spelling for calls that return nothing).
    for void in ("", "void"):
        v = tvm.runtime.DataType(void)
        assert (v.type_code, v.bits, v.lanes) == (3, 0, 0)


def test_negative_shape_names_the_shape():
    with pytest.raises(ValueError) as info:
        tvm.nd.empty((2, -3), "float32")
    _assert_tvm_error(info, ValueError, "-3", "(2, -3)")


def test_non_integer_shape_is_a_type_error():
    with pytest.raises(TypeError) as info:
        tvm.nd.empty(("a", 2))
    _assert_tvm_error(info, TypeError, "'a'")


def test_unknown_function_name():
    with pytest.raises(ValueError) as info:
        tvm.get_global_func("testing.errors.this_function_does_not_exist")
    _assert_tvm_error(info, ValueError, "testing.errors.this_function_does_not_exist")


def test_missing_library_file(tmp_path):
    path = tmp_path / "missing_lib.so"
    with pytest.raises(FileNotFoundError) as info:
        tvm.runtime.load_module(str(path))
    _assert_tvm_error(info, FileNotFoundError, str(path))
    assert isinstance(info.value, OSError)


def test_unconvertible_argument_names_index_0(count_args):
    with pytest.raises(TypeError) as info:
        count_args(object())
    _assert_tvm_error(info, TypeError, "argument 0", "object")


def test_unconvertible_argument_names_index_2(count_args):
    with pytest.raises(TypeError) as info:
        count_args(1, "ok", object())
    _assert_tvm_error(info, TypeError, "argument 2")


def test_unconvertible_value_nested_in_container(count_args):
    with pytest.raises(TypeError) as info:
        count_args([1, object()])
    _assert_tvm_error(info, TypeError, "argument 0")
    with pytest.raises(TypeError) as info:
        count_args(0, {"key": object()})
    _assert_tvm_error(info, TypeError, "argument 1")


def test_set_argument_names_its_type(count_args):
    with pytest.raises(TypeError) as info:
        count_args(1, {1, 2})
    _assert_tvm_error(info, TypeError, "argument 1", "set")


def test_function_still_works_after_conversion_error(count_args):
    with pytest.raises(TypeError):
        count_args(object())
    assert count_args(1, 2, 3) == 3


def test_cpp_typed_function_wrong_argument_count():
    size = tvm.get_global_func("runtime.ArraySize")
    with pytest.raises(TypeError) as info:
        size()
    _assert_tvm_error(info, TypeError, "runtime.ArraySize", "1", "0")


def test_cpp_typed_function_wrong_argument_type():
    size = tvm.get_global_func("runtime.ArraySize")
    with pytest.raises(TypeError) as info:
        size("not an array")
    _assert_tvm_error(info, TypeError, "runtime.ArraySize", "argument 0", "Array", "str")


def test_convert_unconvertible_object():
    with pytest.raises(TypeError) as info:
        tvm.runtime.convert(object())
    _assert_tvm_error(info, TypeError, "object")


def test_object_dtype_numpy_array_is_rejected():
    with pytest.raises(ValueError) as info:
        tvm.nd.array(np.array([1, "a"], dtype=object))
    _assert_tvm_error(info, ValueError, "object")


def test_copy_shape_mismatch_between_ndarrays():
    src = tvm.nd.empty((6,), "float32")
    dst = tvm.nd.empty((5,), "float32")
    with pytest.raises(ValueError) as info:
        src.copyto(dst)
    _assert_tvm_error(info, ValueError, "(6,)", "(5,)")


def test_error_message_has_no_cpp_noise():
    with pytest.raises(ValueError) as info:
        tvm.nd.empty((2,), "flaot32")
    message = str(info.value)
    # A user-facing error names the problem; no C++ frames or source locations by default.
    assert ".cc:" not in message
    assert "Stack trace" not in message


# ---------------------------------------------------------------------------
# integers that do not fit in int64: an OverflowError that names the argument, wherever they are


def test_too_large_int_argument(count_args):
    with pytest.raises(OverflowError) as info:
        count_args(1, 2**70)
    _assert_tvm_error(info, OverflowError, "argument 1", str(2**70))


def test_too_large_int_inside_list_argument(count_args):
    with pytest.raises(OverflowError) as info:
        count_args([1, 2**70])
    _assert_tvm_error(info, OverflowError, "argument 0")


def test_too_large_numpy_unsigned_argument(count_args):
    with pytest.raises(OverflowError) as info:
        count_args(np.uint64(2**64 - 1))
    _assert_tvm_error(info, OverflowError, "argument 0")


def test_convert_too_large_int():
    with pytest.raises(OverflowError) as info:
        tvm.runtime.convert([2**70])
    _assert_tvm_error(info, OverflowError, str(2**70))
