"""Fixtures for the packaging tests: they work on a finished CMake build."""

import os
import pathlib
import shutil
import subprocess

import pytest


@pytest.fixture(scope="session")
def build_dir():
    """The CMake build folder (TVM_LIBRARY_PATH, as ctest and scripts/common.sh set it)."""
    value = os.environ.get("TVM_LIBRARY_PATH")
    if not value:
        pytest.skip("TVM_LIBRARY_PATH is not set: run through ctest or scripts/test.sh, "
                    "or point it at the CMake build folder")
    path = pathlib.Path(value)
    if not (path / "CMakeCache.txt").is_file():
        pytest.skip(f"TVM_LIBRARY_PATH={value} is not a CMake build folder (no CMakeCache.txt)")
    return path


def cmake_cache_value(build_dir, name):
    """The value of `name` in the build's CMakeCache.txt, or None."""
    for line in (build_dir / "CMakeCache.txt").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and key.split(":", 1)[0] == name:
            return value
    return None


def run_checked(cmd, **kwargs):
    """Run `cmd`; on failure, fail the test with its output."""
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600,
                          **kwargs)
    if proc.returncode != 0:
        pytest.fail(f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n"
                    f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def install_prefix(build_dir, tmp_path_factory):
    """A fresh `cmake --install` of the build, shared by the tests that build against it."""
    if shutil.which("cmake") is None:
        pytest.skip("cmake is not installed")
    prefix = tmp_path_factory.mktemp("install") / "prefix"
    run_checked(["cmake", "--install", build_dir, "--prefix", prefix])
    return prefix


def cmake_configure_args(src, build, prefix):
    """Configure `src` into `build` against the install in `prefix` only (no package registries)."""
    args = ["cmake", "-S", src, "-B", build, f"-DCMAKE_PREFIX_PATH={prefix}", "-DCMAKE_BUILD_TYPE=Release",
            "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF", "-DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF"]
    if shutil.which("ninja"):
        args += ["-G", "Ninja"]
    return args
