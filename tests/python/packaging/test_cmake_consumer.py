"""Install the build into a fresh prefix and build a downstream C++ program
(tests/cmake_consumer) against it with find_package(tvm)."""

import pathlib

from conftest import cmake_configure_args, run_checked

CONSUMER_SRC = pathlib.Path(__file__).resolve().parents[2] / "cmake_consumer"


def test_find_package_and_link_runtime(install_prefix, tmp_path):
    prefix = install_prefix

    configs = list(prefix.glob("lib*/**/cmake/tvm/tvmConfig.cmake"))
    assert configs, f"no tvmConfig.cmake installed under {prefix}"
    assert list(prefix.glob("include/tvm/runtime/packed_func.h")), "headers not installed"

    consumer_build = tmp_path / "consumer-build"
    run_checked(cmake_configure_args(CONSUMER_SRC, consumer_build, prefix))

    # The package must come from the fresh prefix, not from anywhere else.
    cache = (consumer_build / "CMakeCache.txt").read_text()
    tvm_dir = next((line.split("=", 1)[1] for line in cache.splitlines()
                    if line.startswith("tvm_DIR:")), "")
    assert pathlib.Path(tvm_dir).resolve().is_relative_to(prefix.resolve()), (
        f"find_package(tvm) used {tvm_dir}, not the install in {prefix}")

    run_checked(["cmake", "--build", consumer_build])
    proc = run_checked([consumer_build / "consumer"])
    assert proc.stdout.strip().splitlines()[-1:] == ["OK"], proc.stdout
