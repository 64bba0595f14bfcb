"""Fixtures for the packaging tests: they work on a finished CMake build."""

import os
import pathlib

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
