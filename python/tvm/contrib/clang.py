# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Compile C/C++ to LLVM IR with the system's clang (tvm.contrib.clang).

The clang of the LLVM this build links (Debian: clang-19, from scripts/setup.sh)
is preferred, so the IR it writes can be linked into modules we generate.
"""
import subprocess

from . import utils


def find_clang(required=True):
    """Paths of the clang executables found, best match first: clang-<major>
    of the linked LLVM, then plain clang. Raises RuntimeError when none is
    found and `required`."""
    from ..target import codegen

    names = []
    major = codegen.llvm_version_major(allow_none=True)
    if major is not None:
        names += [f"clang-{major}.0", f"clang-{major}"]
    names += ["clang", "clang.exe"]
    found = []
    for name in names:
        path = utils.which(name)
        if path and path not in found:
            found.append(path)
    if not found and required:
        raise RuntimeError(f"cannot find clang; looked for {', '.join(names)} on PATH")
    return found


def create_llvm(inputs, output=None, options=None, cc=None):
    """Compile C/C++ sources to LLVM text IR and return it.

    inputs: source file paths or source code strings (one or a list);
    output: where to write the .ll (default: a temporary file);
    options: extra compiler arguments; cc: the clang to use.
    """
    cc = cc or find_clang()[0]
    temp = utils.tempdir()
    output = output or temp.relpath("output.ll")
    if isinstance(inputs, str):
        inputs = [inputs]
    files = []
    for i, source in enumerate(inputs):
        if utils.is_source_path(source):
            files.append(source)
        else:
            path = temp.relpath(f"input{i}.cc")
            with open(path, "w") as f:
                f.write(source)
            files.append(path)
    cmd = [cc, "-S", "-emit-llvm"] + list(options or []) + ["-o", output] + files
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise RuntimeError(
            "Compilation error:\n" + " ".join(cmd) + "\n" + result.stdout.decode(errors="replace")
        )
    with open(output) as f:
        return f.read()
