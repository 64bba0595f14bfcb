"""`pip install .` builds the package with CMake (scikit-build-core) and the
installed package imports and works outside the source tree."""

import os
import pathlib
import subprocess
import sys

import pytest

from conftest import cmake_cache_value

REPO = pathlib.Path(__file__).resolve().parents[3]


def test_pip_install_into_venv(tmp_path):
    venv = tmp_path / "venv"
    # Debian's interpreter with its numpy, as the README describes.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    pip = venv / "bin" / "pip"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TVM_LIBRARY_PATH")}
    # The regular build's compilers, so ccache sees the same compiler names (Python's sysconfig
    # would name x86_64-linux-gnu-g++) and serves its objects.
    regular = os.environ.get("TVM_LIBRARY_PATH")
    if regular and (pathlib.Path(regular) / "CMakeCache.txt").is_file():
        for var, key in (("CC", "CMAKE_C_COMPILER"), ("CXX", "CMAKE_CXX_COMPILER")):
            value = cmake_cache_value(pathlib.Path(regular), key)
            if value and var not in env:
                env[var] = value
    # A build folder beside build/ (not a fresh temporary one), so ccache serves the objects the
    # regular build compiled (CMakeLists.txt makes ccache's paths relative to the source tree).
    build_dir = REPO / "build-pip-test"
    result = subprocess.run([str(pip), "install", "--no-deps", "-q", f"--config-settings=build-dir={build_dir}",
                             str(REPO)], env=env, capture_output=True, text=True, timeout=1200)
    if result.returncode != 0 and ("Could not find a version" in result.stderr or
                                   "Failed to establish a new connection" in result.stderr):
        pytest.skip("the build requirements cannot be fetched from PyPI here: " + result.stderr[-300:])
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    check = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import tvm, numpy as np; a = tvm.nd.array(np.arange(4, dtype='float32'));"
         "print(tvm.__file__); print(tvm._ffi.base.LIB_PATH); print(a.numpy().sum())"],
        env=env, cwd=str(tmp_path), capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr
    lines = check.stdout.split()
    site = str(venv)
    assert lines[0].startswith(site), lines  # the installed package, not the source tree
    assert lines[1].startswith(site), lines  # and its own compiled core
    assert float(lines[2]) == 6.0
