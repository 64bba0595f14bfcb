# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Target's helpers of TVM v0.14: canonicalisation, export, attribute properties."""
import pytest

import tvm
from tvm.target import Target


def test_canon_target_and_host():
    assert Target.canon_target(None) is None
    t = Target("llvm")
    assert Target.canon_target(t) is t
    assert str(Target.canon_target("llvm -mcpu=generic")) == str(Target("llvm -mcpu=generic"))
    target, host = Target.canon_target_and_host("cuda", "llvm")
    assert target.kind.name == "cuda" and host.kind.name == "llvm"
    assert target.host.kind.name == "llvm"
    assert Target.canon_target_and_host(None) == (None, None)
    with pytest.raises(ValueError, match="without a target"):
        Target.canon_target_and_host(None, "llvm")


def test_canon_multi_target():
    assert Target.canon_multi_target(None) is None
    assert [t.kind.name for t in Target.canon_multi_target("llvm")] == ["llvm"]
    assert [t.kind.name for t in Target.canon_multi_target(["llvm", "cuda"])] == ["llvm", "cuda"]
    # The legacy {device type: target} form: keys are ignored.
    assert [t.kind.name for t in Target.canon_multi_target({1: "llvm", 2: "cuda"})] == ["llvm", "cuda"]
    with_host = Target.canon_multi_target_and_host(["cuda"], "llvm")
    assert with_host[0].host.kind.name == "llvm"
    mapping, host = Target.canon_target_map_and_host({"cuda": "mod"}, "llvm")
    (target, value), = mapping.items()
    assert target.kind.name == "cuda" and target.host.kind.name == "llvm" and value == "mod"
    assert host.kind.name == "llvm"


def test_target_or_current():
    with pytest.raises(ValueError, match="Target is not set"):
        Target.target_or_current(None)
    with Target("llvm") as t:
        assert Target.target_or_current(None).same_as(t)
    other = Target("llvm -mcpu=generic")
    assert Target.target_or_current(other) is other


def test_export_and_properties():
    t = Target("cuda -arch=sm_80", host="llvm")
    exported = t.export()
    assert exported["kind"] == "cuda" and exported["keys"] == ["cuda", "gpu"]
    assert exported["arch"] == "sm_80" and exported["host"]["kind"] == "llvm"
    assert t.supports_integer_dot_product
    assert not Target("cuda -arch=sm_50").supports_integer_dot_product
    assert not t.supports_cooperative_matrix
    assert t.max_function_args == 0 and t.l2_cache_size_bytes == 0 and t.vtcm_capacity == 0
    with pytest.raises(AttributeError, match="max_block_size_x"):
        t.max_block_size_x
