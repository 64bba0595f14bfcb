"""tvm.runtime.Device: construction by name and code, equality, hashing, existence checks."""

import numpy as np
import pytest

import tvm


def test_cpu_device():
    dev = tvm.cpu(0)
    assert isinstance(dev, tvm.runtime.Device)
    assert dev.device_type == 1
    assert dev.device_id == 0
    assert tvm.cpu().device_id == 0
    assert tvm.cpu(3).device_id == 3


def test_cuda_device():
    dev = tvm.cuda(0)
    assert dev.device_type == 2
    assert dev.device_id == 0
    assert tvm.cuda(1).device_id == 1
    assert tvm.gpu(1) == tvm.cuda(1)


@pytest.mark.parametrize("name, type_code", [("cpu", 1), ("llvm", 1), ("c", 1), ("cuda", 2), ("gpu", 2),
                                             ("nvptx", 2), ("cuda_host", 3), ("opencl", 4), ("vulkan", 7),
                                             ("metal", 8), ("rocm", 10), ("ext_dev", 12)])
def test_device_from_name(name, type_code):
    dev = tvm.device(name)
    assert dev.device_type == type_code
    assert dev.device_id == 0


def test_device_llvm_is_cpu():
    assert tvm.device("llvm") == tvm.cpu(0)


def test_device_with_id():
    dev = tvm.device("cuda", 1)
    assert dev.device_type == 2
    assert dev.device_id == 1
    assert dev == tvm.cuda(1)
    assert tvm.device("cpu", 2) == tvm.cpu(2)


def test_device_from_type_code():
    assert tvm.device(2, 3) == tvm.cuda(3)
    assert tvm.device(1) == tvm.cpu(0)


def test_device_from_target_string_with_options():
    assert tvm.device("cuda -arch=sm_80") == tvm.cuda(0)
    assert tvm.device("llvm -mcpu=skylake") == tvm.cpu(0)


def test_device_of_a_device_is_itself():
    dev = tvm.cpu(4)
    assert tvm.device(dev) is dev


@pytest.mark.parametrize("make, type_code", [(tvm.cuda_host, 3), (tvm.opencl, 4), (tvm.vulkan, 7),
                                             (tvm.metal, 8), (tvm.rocm, 10), (tvm.ext_dev, 12)])
def test_other_device_constructors(make, type_code):
    dev = make(2)
    assert dev.device_type == type_code
    assert dev.device_id == 2


def test_cpu_exists():
    assert tvm.device("cpu").exist is True
    assert tvm.cpu(0).exist is True


def test_cuda_exist_matches_driver(gpu_present):
    exists = tvm.cuda(0).exist  # must not raise, GPU or not
    assert isinstance(exists, bool)
    if gpu_present:
        assert exists is True
    else:
        assert exists is False


def test_devices_without_runtime_do_not_exist():
    assert tvm.opencl(0).exist is False
    assert tvm.vulkan(0).exist is False


def test_empty_on_cuda_without_gpu_raises_mentioning_cuda(gpu_present):
    if gpu_present:
        pytest.skip("a CUDA GPU is present")
    with pytest.raises(tvm.error.TVMError) as info:
        tvm.nd.empty((2,), "float32", tvm.cuda(0))
    assert "CUDA" in str(info.value)
    with pytest.raises(tvm.error.TVMError, match="CUDA"):
        tvm.nd.array(np.zeros(3, dtype="float32"), device=tvm.cuda(0))


def test_empty_on_cuda_with_gpu(gpu_present):
    if not gpu_present:
        pytest.skip("no CUDA GPU")
    x = np.arange(10, dtype="float32")
    arr = tvm.nd.array(x, device=tvm.cuda(0))
    assert arr.device == tvm.cuda(0)
    np.testing.assert_array_equal(arr.numpy(), x)
    np.testing.assert_array_equal(arr.copyto(tvm.cpu(0)).numpy(), x)


def test_device_equality():
    assert tvm.cpu(0) == tvm.cpu(0)
    assert tvm.cpu(0) == tvm.device("cpu", 0)
    assert tvm.cpu(0) != tvm.cpu(1)
    assert tvm.cpu(0) != tvm.cuda(0)
    assert not (tvm.cpu(0) == tvm.cuda(0))
    assert tvm.cuda(0) != "cuda(0)"
    assert tvm.cpu(0) != 1


def test_device_hashing():
    assert hash(tvm.cpu(0)) == hash(tvm.device("llvm"))
    assert hash(tvm.cuda(1)) == hash(tvm.device("cuda", 1))
    devices = {tvm.cpu(0), tvm.device("cpu"), tvm.device("llvm", 0), tvm.cuda(0), tvm.cuda(1), tvm.device("cuda", 1)}
    assert devices == {tvm.cpu(0), tvm.cuda(0), tvm.cuda(1)}
    table = {tvm.cpu(0): "host", tvm.cuda(0): "gpu"}
    assert table[tvm.device("cpu")] == "host"
    assert table[tvm.device("cuda", 0)] == "gpu"


@pytest.mark.parametrize("dev, text", [(tvm.cpu(0), "cpu(0)"), (tvm.cpu(2), "cpu(2)"), (tvm.cuda(1), "cuda(1)"),
                                       (tvm.ext_dev(0), "ext_dev(0)"), (tvm.opencl(3), "opencl(3)")])
def test_device_repr(dev, text):
    assert repr(dev) == text
    assert str(dev) == text


def test_unknown_device_name_raises_value_error():
    with pytest.raises(ValueError) as info:
        tvm.device("nonsense")
    assert "nonsense" in str(info.value)
    assert isinstance(info.value, tvm.error.TVMError)


def test_unknown_device_code_and_negative_id_raise():
    with pytest.raises(ValueError, match="99"):
        tvm.device(99)
    with pytest.raises(ValueError, match="-1"):
        tvm.device("cpu", -1)


def test_cpu_sync_is_a_no_op():
    tvm.cpu(0).sync()
    arr = tvm.nd.array(np.ones(4, dtype="float32"))
    tvm.cpu(0).sync()
    np.testing.assert_array_equal(arr.numpy(), np.ones(4, dtype="float32"))


def test_unsupported_device_allocation_names_the_device():
    with pytest.raises(tvm.error.TVMError) as info:
        tvm.nd.empty((2,), "float32", tvm.opencl(0))
    assert "opencl" in str(info.value)
