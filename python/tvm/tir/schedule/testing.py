# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Comparison helpers for tests of loop-IR transforms (TVM v0.14's tvm.tir.schedule.testing)."""
from ...ir import assert_structural_equal


def assert_structural_equal_ignore_global_symbol(func1, func2, *args, **kwargs):
    """Assert func1 and func2 are structurally equal, whatever their global_symbol attributes say."""
    assert_structural_equal(
        func1.with_attr("global_symbol", "main"), func2.with_attr("global_symbol", "main"), *args, **kwargs
    )
