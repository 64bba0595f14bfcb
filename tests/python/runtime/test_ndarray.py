"""tvm.nd.NDArray: creation from numpy, exact round trips, metadata, copies, views, alignment."""

import gc

import numpy as np
import pytest

import tvm

ALL_DTYPES = ["float32", "float64", "float16", "int8", "uint8", "int32", "int64", "bool"]


def _sample(dtype, shape=(3, 5), seed=0):
    """Values that exercise the whole range of `dtype` (signs, fractions, extremes)."""
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    if dtype.startswith("float"):
        return (rng.standard_normal(shape) * 100).astype(dtype)
    info = np.iinfo(dtype)
    values = rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    flat = values.reshape(-1)
    flat[0], flat[-1] = info.min, info.max
    return values


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_array_round_trip_is_exact(dtype):
    x = _sample(dtype)
    arr = tvm.nd.array(x)
    out = arr.numpy()
    assert out.dtype == x.dtype
    assert out.shape == x.shape
    # Bit-exact, not just close: compare the raw bytes.
    assert out.tobytes() == x.tobytes()
    np.testing.assert_array_equal(out, x)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_array_metadata(dtype):
    x = _sample(dtype, shape=(2, 3, 4))
    arr = tvm.nd.array(x)
    assert arr.shape == (2, 3, 4)
    assert isinstance(arr.shape, tuple)
    assert arr.dtype == dtype
    assert arr.ndim == 3
    assert arr.size == 24
    assert arr.device == tvm.cpu(0)
    assert arr.device.device_type == 1 and arr.device.device_id == 0


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_empty_then_copyfrom(dtype):
    arr = tvm.nd.empty((4, 6), dtype)
    assert arr.shape == (4, 6)
    assert arr.dtype == dtype
    x = _sample(dtype, shape=(4, 6), seed=3)
    assert arr.copyfrom(x) is arr
    np.testing.assert_array_equal(arr.numpy(), x)


def test_empty_defaults_to_float32_on_cpu():
    arr = tvm.nd.empty((5,))
    assert arr.dtype == "float32"
    assert arr.device == tvm.cpu(0)
    assert arr.shape == (5,)


def test_empty_accepts_int_shape_and_numpy_dtype():
    arr = tvm.nd.empty(7, np.int16)
    assert arr.shape == (7,)
    assert arr.dtype == "int16"


def test_array_from_list_infers_dtype_like_numpy():
    ints = tvm.nd.array([1, 2, 3])
    assert ints.dtype == "int64"
    np.testing.assert_array_equal(ints.numpy(), np.array([1, 2, 3], dtype="int64"))
    floats = tvm.nd.array([[1.5, -2.0], [0.25, 8.0]])
    assert floats.dtype == "float64"
    assert floats.shape == (2, 2)
    np.testing.assert_array_equal(floats.numpy(), np.array([[1.5, -2.0], [0.25, 8.0]]))


def test_array_with_explicit_dtype_converts():
    arr = tvm.nd.array(np.array([1.7, -2.2, 3.9]), dtype="int32")
    assert arr.dtype == "int32"
    np.testing.assert_array_equal(arr.numpy(), np.array([1, -2, 3], dtype="int32"))
    half = tvm.nd.array([1, 2, 2049], dtype="float16")
    np.testing.assert_array_equal(half.numpy(), np.array([1, 2, 2049], dtype="float16"))


def test_array_from_ndarray_copies():
    src = tvm.nd.array(np.arange(6, dtype="float32"))
    same = tvm.nd.array(src)
    assert same.data_ptr != src.data_ptr
    np.testing.assert_array_equal(same.numpy(), np.arange(6, dtype="float32"))
    converted = tvm.nd.array(src, dtype="int32")
    assert converted.dtype == "int32"
    np.testing.assert_array_equal(converted.numpy(), np.arange(6, dtype="int32"))


def test_array_from_non_contiguous_numpy():
    x = np.arange(24, dtype="int32").reshape(4, 6)
    view = x.T[::2]  # non-contiguous, negative-free strides
    arr = tvm.nd.array(view)
    assert arr.shape == view.shape
    np.testing.assert_array_equal(arr.numpy(), view)


def test_array_is_a_copy_of_numpy():
    x = np.arange(4, dtype="float64")
    arr = tvm.nd.array(x)
    x[:] = -1
    np.testing.assert_array_equal(arr.numpy(), np.arange(4, dtype="float64"))
    out = arr.numpy()
    out[:] = 7
    np.testing.assert_array_equal(arr.numpy(), np.arange(4, dtype="float64"))


def test_asnumpy_alias():
    x = _sample("float32")
    np.testing.assert_array_equal(tvm.nd.array(x).asnumpy(), x)


def test_zero_dim_array():
    arr = tvm.nd.array(np.float32(3.25))
    assert arr.shape == ()
    assert arr.ndim == 0
    assert arr.size == 1
    out = arr.numpy()
    assert out.shape == ()
    assert out.dtype == np.float32
    assert out == np.float32(3.25)

    scalar_i8 = tvm.nd.array(np.array(-7, dtype="int8"))
    assert scalar_i8.dtype == "int8"
    assert scalar_i8.numpy() == -7

    empty0 = tvm.nd.empty((), "int64")
    empty0.copyfrom(np.array(123456789012, dtype="int64"))
    assert empty0.numpy() == 123456789012


@pytest.mark.parametrize("shape", [(0,), (2, 0), (0, 3, 4)])
def test_zero_size_arrays(shape):
    arr = tvm.nd.empty(shape, "float32")
    assert arr.shape == shape
    assert arr.size == 0
    out = arr.numpy()
    assert out.shape == shape
    assert out.dtype == np.float32

    from_np = tvm.nd.array(np.zeros(shape, dtype="int32"))
    assert from_np.shape == shape
    assert from_np.dtype == "int32"
    assert from_np.numpy().shape == shape
    # Copies between zero-size arrays are no-ops, not errors.
    arr.copyfrom(np.zeros(shape, dtype="float32"))
    arr.copyto(tvm.nd.empty(shape, "float32"))


def test_copyfrom_numpy_converts_dtype():
    arr = tvm.nd.empty((3,), "int32")
    arr.copyfrom(np.array([1.9, -1.9, 5.0], dtype="float64"))
    np.testing.assert_array_equal(arr.numpy(), np.array([1, -1, 5], dtype="int32"))


def test_copyfrom_list():
    arr = tvm.nd.empty((2, 2), "float64")
    arr.copyfrom([[1.0, 2.0], [3.0, 4.5]])
    np.testing.assert_array_equal(arr.numpy(), np.array([[1.0, 2.0], [3.0, 4.5]]))


def test_copyfrom_ndarray():
    src = tvm.nd.array(_sample("float64", shape=(3, 4)))
    dst = tvm.nd.empty((3, 4), "float64")
    assert dst.copyfrom(src) is dst
    np.testing.assert_array_equal(dst.numpy(), src.numpy())
    assert dst.data_ptr != src.data_ptr


def test_copyto_ndarray_and_device():
    x = _sample("int32", shape=(5, 2))
    src = tvm.nd.array(x)

    dst = tvm.nd.empty((5, 2), "int32")
    assert src.copyto(dst) is dst
    np.testing.assert_array_equal(dst.numpy(), x)

    moved = src.copyto(tvm.cpu(0))
    assert isinstance(moved, tvm.nd.NDArray)
    assert moved.device == tvm.cpu(0)
    assert moved.dtype == "int32"
    assert moved.shape == (5, 2)
    assert moved.data_ptr != src.data_ptr
    np.testing.assert_array_equal(moved.numpy(), x)
    # A real copy: changing the source afterwards leaves the copy alone.
    src.copyfrom(np.zeros((5, 2), dtype="int32"))
    np.testing.assert_array_equal(moved.numpy(), x)


def test_copyto_rejects_other_targets():
    arr = tvm.nd.array(np.zeros(3, dtype="float32"))
    with pytest.raises(TypeError, match="str"):
        arr.copyto("cpu")


def test_setitem_whole_array():
    arr = tvm.nd.empty((2, 3), "float32")
    values = np.arange(6, dtype="float32").reshape(2, 3) * 1.5
    arr[:] = values
    np.testing.assert_array_equal(arr.numpy(), values)

    other = tvm.nd.array(np.full((2, 3), -4.0, dtype="float32"))
    arr[:] = other
    np.testing.assert_array_equal(arr.numpy(), np.full((2, 3), -4.0, dtype="float32"))
    # Assignment copies: the source stays independent.
    other.copyfrom(np.zeros((2, 3), dtype="float32"))
    np.testing.assert_array_equal(arr.numpy(), np.full((2, 3), -4.0, dtype="float32"))


def test_setitem_partial_slice_is_rejected():
    arr = tvm.nd.array(np.zeros(4, dtype="float32"))
    with pytest.raises(ValueError):
        arr[1:] = np.ones(3, dtype="float32")
    np.testing.assert_array_equal(arr.numpy(), np.zeros(4, dtype="float32"))


def test_copyfrom_wrong_shape_names_both_shapes():
    arr = tvm.nd.empty((3, 4), "float32")
    with pytest.raises(ValueError) as info:
        arr.copyfrom(np.zeros((4, 3), dtype="float32"))
    message = str(info.value)
    assert "(4, 3)" in message
    assert "(3, 4)" in message
    assert isinstance(info.value, tvm.error.TVMError)


def test_copyfrom_ndarray_wrong_shape_names_both_shapes():
    arr = tvm.nd.empty((3, 4), "float32")
    with pytest.raises(ValueError) as info:
        arr.copyfrom(tvm.nd.empty((2, 6), "float32"))
    assert "(2, 6)" in str(info.value)
    assert "(3, 4)" in str(info.value)


def test_copyfrom_ndarray_wrong_dtype_raises():
    arr = tvm.nd.empty((3,), "float32")
    with pytest.raises(tvm.error.TVMError) as info:
        arr.copyfrom(tvm.nd.empty((3,), "float64"))
    assert "float64" in str(info.value)
    assert "float32" in str(info.value)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int8", "uint8", "int64"])
@pytest.mark.parametrize("shape", [(1,), (3,), (7, 3), (13, 1, 5), (0,), ()])
def test_tvm_allocations_are_64_byte_aligned(dtype, shape):
    # Allocate several in a row: a bump allocator with 16-byte alignment would show up quickly.
    arrays = [tvm.nd.empty(shape, dtype) for _ in range(4)]
    arrays.append(tvm.nd.array(np.zeros(shape, dtype=dtype)))
    for arr in arrays:
        assert arr.data_ptr % 64 == 0, hex(arr.data_ptr)
        assert arr.is_aligned()
        assert arr.is_aligned(64)
        assert arr.is_aligned(32)


def test_is_aligned_false_for_offset_view():
    # A DLPack view into numpy at a 4-byte offset from a 64-byte boundary cannot be 64-aligned.
    buffer = np.zeros(32, dtype="float32")
    start = (-buffer.ctypes.data % 64) // 4  # first element on a 64-byte boundary
    shifted = buffer[start + 1:start + 17]
    arr = tvm.nd.from_dlpack(shifted)
    assert arr.data_ptr % 64 == 4
    assert not arr.is_aligned()
    assert arr.is_aligned(4)


def test_create_view_shares_memory():
    base = tvm.nd.array(np.arange(12, dtype="float32"))
    view = base._create_view((2, 3))
    assert isinstance(view, tvm.nd.NDArray)
    assert view.shape == (2, 3)
    assert view.dtype == "float32"
    assert view.data_ptr == base.data_ptr
    np.testing.assert_array_equal(view.numpy(), np.arange(6, dtype="float32").reshape(2, 3))

    # Writes through the view land in the base array, and the other way round.
    view.copyfrom(np.full((2, 3), -1.0, dtype="float32"))
    expected = np.arange(12, dtype="float32")
    expected[:6] = -1.0
    np.testing.assert_array_equal(base.numpy(), expected)

    base.copyfrom(np.full(12, 5.0, dtype="float32"))
    np.testing.assert_array_equal(view.numpy(), np.full((2, 3), 5.0, dtype="float32"))


def test_create_view_keeps_base_alive():
    base = tvm.nd.array(np.arange(10, dtype="int64") * 3)
    view = base._create_view((4,))
    del base
    gc.collect()
    # Allocate a few arrays so freed memory would likely be reused.
    junk = [tvm.nd.array(np.full(10, 99, dtype="int64")) for _ in range(8)]
    np.testing.assert_array_equal(view.numpy(), np.array([0, 3, 6, 9], dtype="int64"))
    del junk


def test_create_view_larger_than_base_raises():
    base = tvm.nd.empty((2, 3), "float32")
    with pytest.raises(ValueError) as info:
        base._create_view((5, 5))
    assert "(5, 5)" in str(info.value)


def test_repr_and_str_show_values():
    arr = tvm.nd.array(np.array([1.5, 2.5], dtype="float32"))
    assert "1.5" in str(arr) and "2.5" in str(arr)
    assert "cpu(0)" in repr(arr)
    assert "(2,)" in repr(arr)


def test_ndarray_survives_gc_and_many_allocations():
    arrays = [tvm.nd.array(np.full((16,), i, dtype="int32")) for i in range(200)]
    gc.collect()
    for i, arr in enumerate(arrays):
        assert arr.numpy()[0] == i and arr.numpy()[-1] == i
