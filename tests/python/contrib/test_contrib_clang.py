# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.contrib.clang: C to LLVM IR with the clang of the linked LLVM."""
import os

import pytest

import tvm
from tvm.contrib import clang

pytestmark = pytest.mark.skipif(not clang.find_clang(required=False), reason="no clang installed")


def test_find_clang_prefers_linked_llvm_version():
    found = clang.find_clang()
    major = tvm.target.codegen.llvm_version_major()
    versioned = [p for p in found if os.path.basename(p) == f"clang-{major}"]
    if versioned:
        assert found[0] == versioned[0]


def test_create_llvm_from_source_string():
    ir = clang.create_llvm("int add_one(int x) { return x + 1; }", options=["-O2"])
    assert "define" in ir and "add_one" in ir
    assert "add nsw i32" in ir


def test_create_llvm_from_file_and_output(tmp_path):
    src = tmp_path / "k.c"
    src.write_text("float twice(float x) { return 2.0f * x; }\n")
    out = tmp_path / "k.ll"
    ir = clang.create_llvm([str(src)], output=str(out), options=["-O1"])
    assert out.read_text() == ir
    assert "@twice" in ir and "fmul" in ir


def test_compile_error_is_reported():
    with pytest.raises(RuntimeError, match="Compilation error"):
        clang.create_llvm("int broken( { }")
