# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Locate and load the compiled core (tvm._core).

Search order: next to this package (an installed wheel), the folder named by
TVM_LIBRARY_PATH (a CMake build folder), then build/ at the top of the source
tree. The extension links libtvm.so and libtvm_runtime.so by rpath.
"""
import importlib.machinery
import importlib.util
import os
import sys

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _candidate_dirs():
    yield _PACKAGE_DIR
    env = os.environ.get("TVM_LIBRARY_PATH")
    if env:
        for path in env.split(os.pathsep):
            yield os.path.join(path, "python", "tvm")
            yield path
    source_root = os.path.dirname(os.path.dirname(_PACKAGE_DIR))
    yield os.path.join(source_root, "build", "python", "tvm")


def find_core():
    """Return the path of the _core extension module."""
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    searched = []
    for folder in _candidate_dirs():
        for suffix in suffixes:
            path = os.path.join(folder, "_core" + suffix)
            searched.append(path)
            if os.path.isfile(path):
                return path
    raise ImportError(
        "cannot find the compiled TVM core (_core extension). Build it with scripts/demo.sh "
        "or cmake, or set TVM_LIBRARY_PATH to the build folder. Searched:\n  " + "\n  ".join(searched)
    )


def _load_core():
    if "tvm._core" in sys.modules:
        return sys.modules["tvm._core"]
    path = find_core()
    spec = importlib.util.spec_from_file_location("tvm._core", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["tvm._core"] = module
    spec.loader.exec_module(module)
    return module


_core = _load_core()
LIB_PATH = _core.__file__


# TVM code catches tvm._ffi.base.TVMError.
from ..error import TVMError  # noqa: E402,F401 (tvm.error imports nothing of tvm)

string_types = (str,)


def py_str(x):
    """Decode bytes (from the FFI) to str, as TVM's helper of that name."""
    return bytes(x).decode("utf-8")
