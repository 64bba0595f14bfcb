"""tvm.target.Target: parsing, attributes, keys, scopes, host detection."""
import pytest

import tvm
from tvm.target import Target


def test_llvm_target_string_attributes():
    t = Target("llvm -mtriple=x86_64-linux-gnu -mcpu=skylake-avx512 -mattr=+avx512f,+fma -num-cores=2")
    assert t.kind.name == "llvm"
    assert list(t.keys) == ["cpu"]
    assert t.mcpu == "skylake-avx512"
    assert t.mtriple == "x86_64-linux-gnu"
    assert t.mattr == ["+avx512f", "+fma"]
    assert t.num_cores == 2
    text = str(t)
    assert text.startswith("llvm -keys=cpu")
    assert "-mcpu=skylake-avx512" in text and "-num-cores=2" in text
    # The text form parses back to the same target.
    assert str(Target(text)) == text


def test_tvm_014_target_strings_keep_working():
    for s in ["llvm", "llvm -mcpu=skylake-avx512", "llvm -mcpu=core-avx2 -opt-level=3", "cuda", "cuda -arch=sm_80",
              "llvm -device=arm_cpu -mtriple=aarch64-linux-gnu"]:
        t = Target(s)
        assert t.kind.name == s.split()[0]
    assert list(Target("cuda").keys) == ["cuda", "gpu"]
    assert Target("cuda").max_num_threads == 1024
    assert Target("cuda").thread_warp_size == 32
    assert list(Target("llvm -device=arm_cpu").keys) == ["arm_cpu", "cpu"]


def test_native_cpu_resolves_to_host():
    t = Target("llvm -mcpu=native")
    host_cpu = tvm.get_global_func("target.llvm_get_system_cpu")()
    assert t.mcpu == host_cpu and t.mcpu != "native"
    enabled = [f for f in tvm.get_global_func("target.llvm_get_system_features")() if f.startswith("+")]
    assert set(enabled) <= set(t.mattr)


def test_bad_targets_raise_clear_errors():
    with pytest.raises(ValueError, match="unknown target kind 'lvm'"):
        Target("lvm")
    with pytest.raises(ValueError, match="no option '-mcpuu'"):
        Target("llvm -mcpuu=x")
    with pytest.raises(ValueError, match="expects an integer"):
        Target("llvm -num-cores=two")


def test_target_scope_and_host():
    assert Target.current() is None
    with Target("llvm -mcpu=skylake-avx512") as t:
        assert Target.current().same_as(t)
        with Target("cuda") as inner:
            assert Target.current().same_as(inner)
        assert Target.current().same_as(t)
    assert Target.current() is None
    cuda = Target("cuda", host="llvm -mcpu=skylake-avx512")
    assert cuda.host.mcpu == "skylake-avx512"
    assert Target("cuda").get_host().kind.name == "llvm"
    assert Target("llvm").get_host().kind.name == "llvm"
