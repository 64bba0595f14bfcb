"""The deployable runtime must not pull in LLVM; the compiler library must."""

import shutil
import subprocess

import pytest

from conftest import cmake_cache_value


def needed_libraries(path):
    """The DT_NEEDED entries of an ELF shared library, from `readelf -d`."""
    if shutil.which("readelf") is None:
        pytest.skip("readelf is not installed (binutils)")
    if not path.is_file():
        pytest.fail(f"{path} does not exist; build the project first")
    out = subprocess.run(["readelf", "-d", str(path)], check=True, capture_output=True,
                         text=True).stdout
    needed = []
    for line in out.splitlines():
        if "(NEEDED)" in line and "[" in line:
            needed.append(line[line.index("[") + 1:line.rindex("]")])
    return needed


def test_runtime_does_not_link_llvm(build_dir):
    needed = needed_libraries(build_dir / "lib" / "libtvm_runtime.so")
    llvm = [name for name in needed if "llvm" in name.lower()]
    assert not llvm, f"libtvm_runtime.so must not depend on LLVM, but needs {llvm}"


def test_compiler_links_llvm_and_runtime(build_dir):
    needed = needed_libraries(build_dir / "lib" / "libtvm.so")
    assert any(name.startswith("libtvm_runtime") for name in needed), (
        f"libtvm.so should link libtvm_runtime.so; it needs {needed}")
    if (cmake_cache_value(build_dir, "USE_LLVM") or "ON").upper() in ("OFF", "0", "FALSE", "NO"):
        pytest.skip("built with USE_LLVM=OFF")
    assert any("llvm" in name.lower() for name in needed), (
        f"libtvm.so should link the shared libLLVM; it needs {needed}")
