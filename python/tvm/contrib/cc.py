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


def cross_compiler(compile_func, options=None, output_format=None, get_target_triple=None, add_files=None):
    """A function for export_library(fcompile=...) that links with another compiler.

    compile_func is a compiler command ("aarch64-linux-gnu-g++") or a function like
    create_shared; options and add_files are added to every link.

        mod.export_library("x.so", fcompile=cc.cross_compiler("aarch64-linux-gnu-g++"))
    """
    base_options = list(options or [])
    extra_files = [os.fspath(f) for f in (add_files or [])]

    def _link(output, objects, options=None, **kwargs):
        objects = [objects] if isinstance(objects, str) else list(objects)
        all_options = base_options + list(options or [])
        if isinstance(compile_func, str):
            create_shared(output, objects + extra_files, all_options, cc=compile_func, **kwargs)
        else:
            compile_func(output, objects + extra_files, all_options, **kwargs)

    _link.output_format = output_format or getattr(compile_func, "output_format", "so")
    if get_target_triple is not None:
        _link.get_target_triple = get_target_triple
    return _link
