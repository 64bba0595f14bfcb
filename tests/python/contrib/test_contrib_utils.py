# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.contrib.utils: temporary folders and helpers."""
import gc
import os
import pathlib

import pytest

from tvm.contrib import utils


def test_tempdir_relpath_listdir_remove():
    temp = utils.tempdir()
    assert isinstance(temp, utils.TempDirectory)
    path = temp.relpath("a.txt")
    assert os.path.dirname(path) == temp.temp_dir
    with open(path, "w") as f:
        f.write("x")
    assert temp.listdir() == ["a.txt"]
    assert temp / "a.txt" == pathlib.Path(path)
    folder = temp.temp_dir
    temp.remove()
    assert not os.path.exists(folder)
    temp.remove()  # twice is harmless
    with pytest.raises(RuntimeError, match="was removed"):
        temp.relpath("b")


def test_tempdir_removed_when_collected():
    temp = utils.tempdir()
    folder = temp.temp_dir
    del temp
    gc.collect()
    assert not os.path.exists(folder)


def test_tempdir_context_manager():
    with utils.tempdir() as temp:
        folder = temp.temp_dir
        assert os.path.isdir(folder)
    assert not os.path.exists(folder)


def test_custom_path_and_keep_for_debug(tmp_path):
    temp = utils.tempdir(custom_path=str(tmp_path / "mine"))
    assert temp.temp_dir == str(tmp_path / "mine") and os.path.isdir(temp.temp_dir)
    temp.remove()
    assert not os.path.exists(tmp_path / "mine")

    with utils.TempDirectory.set_keep_for_debug():
        kept = utils.tempdir()
    folder = kept.temp_dir
    assert "tvm-debug-mode-tempdirs" in folder
    kept.remove()
    assert os.path.isdir(folder)  # kept for inspection
    os.rmdir(folder)


def test_truediv_rejects_other_types():
    temp = utils.tempdir()
    with pytest.raises(TypeError, match="must supply str or pathlib.Path"):
        temp / 3


def test_is_source_path_and_which(tmp_path):
    assert utils.is_source_path("kernel.cc")
    assert not utils.is_source_path("int f() { return 1; }\n")
    assert utils.which("sh") is not None
    assert utils.which("no-such-program-xyz") is None


def test_filelock(tmp_path):
    lock = utils.filelock(str(tmp_path / "lock"))
    lock.release()
    lock.release()
