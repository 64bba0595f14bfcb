# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Helpers for tests of TVM and of projects built on it (TVM v0.14's tvm.testing).

    import tvm.testing

    @tvm.testing.parametrize_targets("llvm")
    def test_add(target, dev):
        ...
        tvm.testing.assert_allclose(out.numpy(), expected, rtol=1e-5)

A test folder enables the `target`/`dev` parametrisation with a conftest.py
holding ``pytest_plugins = ["tvm.testing.plugin"]``.
"""
from .utils import *  # noqa: F401,F403
from .utils import _get_targets  # noqa: F401
