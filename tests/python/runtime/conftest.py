"""Shared fixtures for the runtime tests (NDArray, DLPack, packed functions, modules)."""

import ctypes
import os
import pathlib

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]


def _cuda_gpu_present():
    """Whether a CUDA driver with at least one GPU is usable, asked of the driver directly.

    This does not go through tvm, so that the device tests can compare tvm's answer with it.
    """
    try:
        lib = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return False
    try:
        if lib.cuInit(0) != 0:
            return False
        count = ctypes.c_int(0)
        if lib.cuDeviceGetCount(ctypes.byref(count)) != 0:
            return False
        return count.value > 0
    except AttributeError:
        return False


@pytest.fixture(scope="session")
def gpu_present():
    return _cuda_gpu_present()


@pytest.fixture(scope="session")
def subprocess_env():
    """The environment a child `python -c ...` needs to import this tvm (PYTHONPATH, TVM_LIBRARY_PATH)."""
    env = dict(os.environ)
    python_dir = str(REPO_ROOT / "python")
    existing = env.get("PYTHONPATH")
    env["PYTHONPATH"] = python_dir + (os.pathsep + existing if existing else "")
    if "TVM_LIBRARY_PATH" not in env and (REPO_ROOT / "build").is_dir():
        env["TVM_LIBRARY_PATH"] = str(REPO_ROOT / "build")
    return env
