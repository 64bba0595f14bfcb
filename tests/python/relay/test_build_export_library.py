# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""export_library's default path (C++, tvm/driver/export_library.h): the same bytes every time,
no temporary folder name inside, and clear errors (no compiler, a failing link, a missing
folder, a module loaded from a library)."""
import os

import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.contrib import graph_executor


def _factory(opt_level=2):
    x = relay.var("x", shape=(2, 8))
    w = relay.var("w", shape=(4, 8))
    func = relay.Function([x, w], relay.nn.relu(relay.nn.dense(x, w)))
    params = {"w": np.linspace(-1, 1, 32, dtype="float32").reshape(4, 8)}
    with tvm.transform.PassContext(opt_level=opt_level):
        return relay.build(tvm.IRModule.from_expr(func), "llvm", params=params), params


def test_two_exports_are_the_same_bytes_without_the_temp_folder(tmp_path):
    factory, params = _factory()
    a, b = tmp_path / "a.so", tmp_path / "b.so"
    factory.export_library(str(a))
    os.makedirs(tmp_path / "ws")
    factory.export_library(str(b), workspace_dir=str(tmp_path / "ws"))
    data = a.read_bytes()
    assert data == b.read_bytes()
    assert b"tvm-export-" not in data and str(tmp_path).encode() not in data
    assert os.listdir(tmp_path / "ws") == []  # the temporary folder is gone
    gmod = graph_executor.GraphModule(tvm.runtime.load_module(str(a))["default"](tvm.cpu()))
    x = np.arange(16, dtype="float32").reshape(2, 8)
    gmod.set_input("x", x)
    gmod.run()
    np.testing.assert_allclose(gmod.get_output(0).numpy(), np.maximum(x @ params["w"].T, 0), rtol=1e-5)


def test_relay_build_is_deterministic_across_builds(tmp_path):
    paths = []
    for i in range(2):
        factory, _ = _factory(opt_level=3)
        paths.append(tmp_path / f"{i}.so")
        factory.export_library(str(paths[-1]))
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_missing_compiler_is_a_clear_error(tmp_path, monkeypatch):
    factory, _ = _factory()
    monkeypatch.setenv("CXX", str(tmp_path / "no-such-g++"))
    with pytest.raises(RuntimeError, match="no-such-g\\+\\+' \\(the CXX environment variable\\) is not found"):
        factory.export_library(str(tmp_path / "x.so"))


def test_link_failure_shows_the_command_and_its_output(tmp_path, monkeypatch):
    factory, _ = _factory()
    fake = tmp_path / "fake-cc"
    fake.write_text("#!/bin/sh\necho 'fake-cc: cannot link today' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CXX", str(fake))
    with pytest.raises(RuntimeError, match="linking failed:\n.*fake-cc -shared -fPIC -o .*x.so lib1.*devc.S\n"
                                           "fake-cc: cannot link today"):
        factory.export_library(str(tmp_path / "x.so"))
    assert not (tmp_path / "x.so").exists()


def test_unwritable_paths_are_clear_errors(tmp_path):
    factory, _ = _factory()
    with pytest.raises(ValueError, match="cannot write '.*no/such/x.so': the folder '.*no/such' does not exist"):
        factory.export_library(str(tmp_path / "no" / "such" / "x.so"))
    with pytest.raises(ValueError, match="it is a folder"):
        factory.export_library(str(tmp_path))
    with pytest.raises(ValueError, match="the workspace folder '.*nowhere' does not exist"):
        factory.export_library(str(tmp_path / "x.so"), workspace_dir=str(tmp_path / "nowhere"))


def test_a_loaded_library_cannot_be_exported_again(tmp_path):
    factory, _ = _factory()
    factory.export_library(str(tmp_path / "x.so"))
    loaded = tvm.runtime.load_module(str(tmp_path / "x.so"))
    with pytest.raises(ValueError, match="cannot re-export a module loaded from a shared library"):
        loaded.export_library(str(tmp_path / "y.so"))


def test_fcompile_keeps_the_python_path(tmp_path):
    """fcompile / options still go through tvm.contrib.cc (Python)."""
    from tvm.contrib import cc  # pylint: disable=import-outside-toplevel

    factory, _ = _factory()
    calls = []

    def fcompile(output, objects, options=None, **kwargs):
        calls.append(list(objects))
        cc.create_shared(output, objects, options, **kwargs)

    factory.export_library(str(tmp_path / "x.so"), fcompile=fcompile)
    assert len(calls) == 1 and calls[0][-1].endswith("devc.S")
    assert tvm.runtime.load_module(str(tmp_path / "x.so"))["default"] is not None
