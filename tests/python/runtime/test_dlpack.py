"""DLPack exchange with numpy and PyTorch: zero-copy both ways, alignment, strides, lifetime."""

import gc
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tvm

torch = pytest.importorskip("torch")
from torch.utils import dlpack as torch_dlpack  # noqa: E402


def _churn():
    """Free and reuse memory so that a dangling pointer would read garbage."""
    gc.collect()
    junk = [np.full(4096, -12345, dtype="int64") for _ in range(16)]
    junk += [torch.full((4096,), -777.0) for _ in range(16)]
    return junk


# ---------------------------------------------------------------------------
# numpy


def test_numpy_from_tvm_is_zero_copy():
    arr = tvm.nd.array(np.arange(12, dtype="float32").reshape(3, 4))
    view = np.from_dlpack(arr)
    assert view.ctypes.data == arr.data_ptr
    assert view.shape == (3, 4)
    assert view.dtype == np.float32
    np.testing.assert_array_equal(view, np.arange(12, dtype="float32").reshape(3, 4))
    # Writes through tvm are seen by numpy.
    arr.copyfrom(np.full((3, 4), 2.5, dtype="float32"))
    np.testing.assert_array_equal(view, np.full((3, 4), 2.5, dtype="float32"))


def test_numpy_from_tvm_zero_dim():
    arr = tvm.nd.array(np.array(-9.5, dtype="float64"))
    view = np.from_dlpack(arr)
    assert view.shape == ()
    assert view.ctypes.data == arr.data_ptr
    assert view == -9.5


@pytest.mark.parametrize("dtype", ["float64", "float16", "int8", "uint8", "int32", "int64", "uint16"])
def test_tvm_from_numpy_is_zero_copy(dtype):
    x = (np.arange(24) % 7).astype(dtype).reshape(2, 3, 4)
    arr = tvm.nd.from_dlpack(x)
    assert isinstance(arr, tvm.nd.NDArray)
    assert arr.data_ptr == x.ctypes.data
    assert arr.dtype == dtype
    assert arr.shape == (2, 3, 4)
    np.testing.assert_array_equal(arr.numpy(), x)
    # numpy writes are seen by tvm ...
    x[1, 2, 3] = 5
    assert arr.numpy()[1, 2, 3] == 5
    # ... and tvm writes by numpy.
    arr.copyfrom(np.ones((2, 3, 4), dtype=dtype))
    np.testing.assert_array_equal(x, np.ones((2, 3, 4), dtype=dtype))


def test_tvm_from_numpy_capsule():
    x = np.arange(5, dtype="int32")
    arr = tvm.nd.from_dlpack(x.__dlpack__())
    assert arr.data_ptr == x.ctypes.data
    np.testing.assert_array_equal(arr.numpy(), x)


def test_from_dlpack_of_ndarray_is_identity():
    arr = tvm.nd.array(np.arange(3, dtype="float32"))
    again = tvm.nd.from_dlpack(arr)
    assert again.data_ptr == arr.data_ptr


def test_unaligned_numpy_is_accepted_without_copy():
    base = np.arange(17, dtype="float32")
    x = base[1:]
    assert x.ctypes.data % 64 != 0
    arr = tvm.nd.from_dlpack(x)
    assert arr.data_ptr == x.ctypes.data
    assert arr.shape == (16,)
    np.testing.assert_array_equal(arr.numpy(), np.arange(1, 17, dtype="float32"))
    base[5] = 100.0
    assert arr.numpy()[4] == 100.0


def test_numpy_producer_deleted_first():
    x = np.arange(1000, dtype="int64") * 3
    arr = tvm.nd.from_dlpack(x)
    ptr = x.ctypes.data
    del x
    junk = _churn()
    assert arr.data_ptr == ptr
    np.testing.assert_array_equal(arr.numpy(), np.arange(1000, dtype="int64") * 3)
    del junk


def test_tvm_producer_deleted_first_numpy_view_survives():
    arr = tvm.nd.array(np.arange(100, dtype="float32"))
    view = np.from_dlpack(arr)
    del arr
    junk = _churn()
    np.testing.assert_array_equal(view, np.arange(100, dtype="float32"))
    del junk


# ---------------------------------------------------------------------------
# torch


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.float16, torch.int8, torch.uint8,
                                   torch.int16, torch.int32, torch.int64])
def test_tvm_from_torch_is_zero_copy(dtype):
    t = (torch.arange(12) % 5).to(dtype).reshape(3, 4)
    arr = tvm.nd.from_dlpack(t)
    assert arr.data_ptr == t.data_ptr()
    assert arr.dtype == str(t.dtype).replace("torch.", "")
    assert arr.shape == (3, 4)
    np.testing.assert_array_equal(arr.numpy(), t.numpy())
    t[2, 3] = 4
    assert arr.numpy()[2, 3] == 4
    arr.copyfrom(np.zeros((3, 4), dtype=arr.dtype))
    assert int(t.abs().sum()) == 0


def test_torch_from_tvm_is_zero_copy():
    arr = tvm.nd.array(np.arange(6, dtype="float32").reshape(2, 3))
    t = torch_dlpack.from_dlpack(arr.to_dlpack())
    assert t.data_ptr() == arr.data_ptr
    assert tuple(t.shape) == (2, 3)
    assert t.dtype == torch.float32
    assert torch.equal(t, torch.arange(6, dtype=torch.float32).reshape(2, 3))
    t[0, 1] = -3.0
    assert arr.numpy()[0, 1] == -3.0
    arr.copyfrom(np.full((2, 3), 8.0, dtype="float32"))
    assert torch.equal(t, torch.full((2, 3), 8.0))


def test_torch_from_tvm_via_dunder_dlpack():
    arr = tvm.nd.array(np.arange(4, dtype="int32"))
    t = torch_dlpack.from_dlpack(arr)
    assert t.data_ptr() == arr.data_ptr
    assert t.tolist() == [0, 1, 2, 3]


def test_torch_round_trip_keeps_pointer():
    t = torch.linspace(-1, 1, 9)
    arr = tvm.nd.from_dlpack(t)
    back = torch_dlpack.from_dlpack(arr.to_dlpack())
    assert back.data_ptr() == t.data_ptr() == arr.data_ptr
    assert torch.equal(back, t)


def test_unaligned_torch_slice_keeps_exact_pointer():
    base = torch.arange(20, dtype=torch.float32)
    sliced = base[3:]
    assert sliced.data_ptr() % 64 != 0
    arr = tvm.nd.from_dlpack(sliced)
    assert arr.data_ptr == sliced.data_ptr()
    np.testing.assert_array_equal(arr.numpy(), np.arange(3, 20, dtype="float32"))
    base[10] = -1.0
    assert arr.numpy()[7] == -1.0


def test_torch_2d_slice_with_offset_and_strides():
    base = torch.arange(30, dtype=torch.float64).reshape(5, 6)
    window = base[1:4, 2:5]
    arr = tvm.nd.from_dlpack(window)
    assert arr.data_ptr == window.data_ptr()
    assert arr.shape == (3, 3)
    np.testing.assert_array_equal(arr.numpy(), window.numpy())
    # Writing through tvm touches only the window.
    arr.copyfrom(np.arange(100, 109, dtype="float64").reshape(3, 3))
    expected = np.arange(30, dtype="float64").reshape(5, 6)
    expected[1:4, 2:5] = np.arange(100, 109).reshape(3, 3)
    np.testing.assert_array_equal(base.numpy(), expected)


def test_non_contiguous_torch_tensor_keeps_strides():
    t = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    transposed = t.t()
    arr = tvm.nd.from_dlpack(transposed)
    assert arr.data_ptr == transposed.data_ptr()
    assert arr.shape == (4, 3)
    assert arr.strides == (1, 4)
    np.testing.assert_array_equal(arr.numpy(), t.numpy().T)
    # A compact copy made by tvm has the right (transposed) values too.
    compact = tvm.nd.array(arr)
    assert compact.strides is None
    np.testing.assert_array_equal(compact.numpy(), t.numpy().T)
    # And the strides survive the way back to torch.
    back = torch_dlpack.from_dlpack(arr.to_dlpack())
    assert back.stride() == transposed.stride()
    assert torch.equal(back, transposed)


def test_copyfrom_into_strided_torch_view():
    t = torch.zeros(3, 4)
    arr = tvm.nd.from_dlpack(t.t())
    src = np.arange(12, dtype="float32").reshape(4, 3)
    arr.copyfrom(src)
    np.testing.assert_array_equal(t.numpy(), src.T)


def test_torch_producer_deleted_first():
    t = torch.arange(1000, dtype=torch.int32) * 7
    ptr = t.data_ptr()
    arr = tvm.nd.from_dlpack(t)
    del t
    junk = _churn()
    assert arr.data_ptr == ptr
    np.testing.assert_array_equal(arr.numpy(), np.arange(1000, dtype="int32") * 7)
    del junk


def test_tvm_producer_deleted_first_torch_survives():
    arr = tvm.nd.array(np.arange(256, dtype="float64") / 4)
    t = torch_dlpack.from_dlpack(arr.to_dlpack())
    del arr
    junk = _churn()
    assert torch.equal(t, torch.arange(256, dtype=torch.float64) / 4)
    del junk


def test_chain_torch_tvm_torch_lifetime():
    t = torch.arange(64, dtype=torch.float32)
    arr = tvm.nd.from_dlpack(t)
    again = torch_dlpack.from_dlpack(arr.to_dlpack())
    del t, arr
    junk = _churn()
    assert torch.equal(again, torch.arange(64, dtype=torch.float32))
    del junk


# ---------------------------------------------------------------------------
# capsules


def test_tvm_capsule_consumed_once_by_tvm():
    arr = tvm.nd.array(np.arange(3, dtype="float32"))
    capsule = arr.to_dlpack()
    first = tvm.nd.from_dlpack(capsule)
    assert first.data_ptr == arr.data_ptr
    with pytest.raises(ValueError) as info:
        tvm.nd.from_dlpack(capsule)
    assert "capsule" in str(info.value).lower()
    assert isinstance(info.value, tvm.error.TVMError)


def test_tvm_capsule_consumed_once_by_torch():
    arr = tvm.nd.array(np.arange(3, dtype="float32"))
    capsule = arr.to_dlpack()
    t = torch_dlpack.from_dlpack(capsule)
    assert t.data_ptr() == arr.data_ptr
    with pytest.raises(Exception):
        torch_dlpack.from_dlpack(capsule)
    with pytest.raises(ValueError):
        tvm.nd.from_dlpack(capsule)


def test_torch_capsule_consumed_once_by_tvm():
    t = torch.arange(5, dtype=torch.int64)
    capsule = torch_dlpack.to_dlpack(t)
    arr = tvm.nd.from_dlpack(capsule)
    assert arr.data_ptr == t.data_ptr()
    with pytest.raises(ValueError):
        tvm.nd.from_dlpack(capsule)
    np.testing.assert_array_equal(arr.numpy(), np.arange(5))


def test_unconsumed_capsule_is_released_cleanly():
    arr = tvm.nd.array(np.arange(8, dtype="int16"))
    for _ in range(50):
        capsule = arr.to_dlpack()
        del capsule
    gc.collect()
    np.testing.assert_array_equal(arr.numpy(), np.arange(8, dtype="int16"))


def test_from_dlpack_rejects_non_capsule():
    with pytest.raises(ValueError):
        tvm.nd.from_dlpack(12345)


# ---------------------------------------------------------------------------
# import order of torch and tvm in a fresh interpreter

_ROUND_TRIP = textwrap.dedent(
    """
    import numpy as np
    t = torch.arange(10, dtype=torch.float32) * 2
    arr = tvm.nd.from_dlpack(t)
    assert arr.data_ptr == t.data_ptr(), "tvm copied the torch tensor"
    back = torch.utils.dlpack.from_dlpack(arr.to_dlpack())
    assert back.data_ptr() == t.data_ptr(), "torch copied the tvm array"
    owned = tvm.nd.array(np.arange(4, dtype="float32"))
    t2 = torch.utils.dlpack.from_dlpack(owned.to_dlpack())
    t2 += 1
    assert owned.numpy().tolist() == [1.0, 2.0, 3.0, 4.0]
    assert arr.numpy().tolist() == [float(2 * i) for i in range(10)]
    print("OK")
    """
)


@pytest.mark.parametrize("imports", ["import torch\nimport torch.utils.dlpack\nimport tvm\n",
                                     "import tvm\nimport torch\nimport torch.utils.dlpack\n"],
                         ids=["torch_first", "tvm_first"])
def test_import_order_with_torch(imports, subprocess_env):
    result = subprocess.run([sys.executable, "-c", imports + _ROUND_TRIP], env=subprocess_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "OK"


# ---------------------------------------------------------------------------
# more stride patterns


def test_numpy_step_slice_keeps_strides():
    x = np.arange(24, dtype="float32").reshape(4, 6)[:, ::2]
    arr = tvm.nd.from_dlpack(x)
    assert arr.data_ptr == x.ctypes.data
    assert arr.strides == (6, 2)
    np.testing.assert_array_equal(arr.numpy(), x)
    # numpy and torch see the same strided view again.
    np.testing.assert_array_equal(np.from_dlpack(arr), x)
    assert torch.equal(torch_dlpack.from_dlpack(arr.to_dlpack()), torch.from_numpy(np.ascontiguousarray(x)))


def test_numpy_negative_strides():
    x = np.arange(24, dtype="int32").reshape(4, 6)[::-1, 1::2]
    arr = tvm.nd.from_dlpack(x)
    assert arr.data_ptr == x.ctypes.data
    assert arr.strides == (-6, 2)
    np.testing.assert_array_equal(arr.numpy(), x)


def test_numpy_transpose():
    x = np.arange(6, dtype="int64").reshape(2, 3).T
    arr = tvm.nd.from_dlpack(x)
    assert arr.strides == (1, 3)
    np.testing.assert_array_equal(arr.numpy(), x)


def test_torch_broadcast_zero_stride():
    t = torch.arange(3, dtype=torch.float32).expand(4, 3)
    arr = tvm.nd.from_dlpack(t)
    assert arr.data_ptr == t.data_ptr()
    assert arr.strides == (0, 1)
    np.testing.assert_array_equal(arr.numpy(), np.tile(np.arange(3, dtype="float32"), (4, 1)))


def test_copy_from_strided_into_compact():
    x = np.arange(24, dtype="float64").reshape(4, 6)[::-1, ::3]
    dst = tvm.nd.empty(x.shape, "float64")
    dst.copyfrom(tvm.nd.from_dlpack(x))
    np.testing.assert_array_equal(dst.numpy(), x)


def test_create_view_of_strided_array_is_rejected():
    arr = tvm.nd.from_dlpack(torch.arange(12, dtype=torch.float32).reshape(3, 4).t())
    with pytest.raises(ValueError, match="compact"):
        arr._create_view((2,))
