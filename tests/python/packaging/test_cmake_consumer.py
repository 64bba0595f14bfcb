"""Install the build into a fresh prefix and build a downstream C++ program
(tests/cmake_consumer) against it with find_package(tvm)."""

import pathlib
import shutil
import subprocess

import pytest

CONSUMER_SRC = pathlib.Path(__file__).resolve().parents[2] / "cmake_consumer"


def run(cmd, **kwargs):
    """Run `cmd`; on failure, fail the test with its output."""
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600,
                          **kwargs)
    if proc.returncode != 0:
        pytest.fail(f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n"
                    f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}")
    return proc


def test_find_package_and_link_runtime(build_dir, tmp_path):
    if shutil.which("cmake") is None:
        pytest.skip("cmake is not installed")
    prefix = tmp_path / "prefix"
    run(["cmake", "--install", build_dir, "--prefix", prefix])

    configs = list(prefix.glob("lib*/**/cmake/tvm/tvmConfig.cmake"))
    assert configs, f"no tvmConfig.cmake installed under {prefix}"
    assert list(prefix.glob("include/tvm/runtime/packed_func.h")), "headers not installed"

    consumer_build = tmp_path / "consumer-build"
    configure = ["cmake", "-S", CONSUMER_SRC, "-B", consumer_build,
                 f"-DCMAKE_PREFIX_PATH={prefix}",
                 "-DCMAKE_BUILD_TYPE=Release",
                 "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF",
                 "-DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF"]
    if shutil.which("ninja"):
        configure += ["-G", "Ninja"]
    run(configure)

    # The package must come from the fresh prefix, not from anywhere else.
    cache = (consumer_build / "CMakeCache.txt").read_text()
    tvm_dir = next((line.split("=", 1)[1] for line in cache.splitlines()
                    if line.startswith("tvm_DIR:")), "")
    assert pathlib.Path(tvm_dir).resolve().is_relative_to(prefix.resolve()), (
        f"find_package(tvm) used {tvm_dir}, not the install in {prefix}")

    run(["cmake", "--build", consumer_build])
    proc = run([consumer_build / "consumer"])
    assert proc.stdout.strip().splitlines()[-1:] == ["OK"], proc.stdout
