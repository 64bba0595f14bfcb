# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Call the system compiler to link object files (tvm.contrib.cc)."""
import os
import shutil
import subprocess


def _compiler(cc=None):
    cc = cc or os.environ.get("CXX") or shutil.which("g++") or shutil.which("c++") or shutil.which("cc")
    if cc is None:
        raise RuntimeError("no C/C++ compiler found to link the library (install g++ or set CXX)")
    return cc


def create_shared(output, objects, options=None, cc=None, cwd=None, ccache_env=None):
    """Link `objects` into the shared library `output`."""
    if isinstance(objects, str):
        objects = [objects]
    cmd = [_compiler(cc), "-shared", "-fPIC", "-o", os.fspath(output)] + [os.fspath(o) for o in objects]
    cmd += list(options or [])
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    if result.returncode != 0:
        raise RuntimeError("linking failed:\n" + " ".join(cmd) + "\n" + result.stdout + result.stderr)


def create_executable(output, objects, options=None, cc=None, cwd=None, ccache_env=None):
    """Link `objects` into the executable `output`."""
    if isinstance(objects, str):
        objects = [objects]
    cmd = [_compiler(cc), "-o", os.fspath(output)] + [os.fspath(o) for o in objects] + list(options or [])
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    if result.returncode != 0:
        raise RuntimeError("linking failed:\n" + " ".join(cmd) + "\n" + result.stdout + result.stderr)


create_shared.output_format = "so"
