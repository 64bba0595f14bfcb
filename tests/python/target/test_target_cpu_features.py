# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.target.codegen.target_has_features / llvm_cpu_has_features / llvm_get_cpu_features:
what LLVM enables for a target's -mcpu and -mattr (implied features included)."""
import pytest

from tvm.target import Target, codegen, x86

INT8_FEATURES = ["sse2", "ssse3", "avx2", "avx512f", "avx512bw", "avx512vnni"]


@pytest.mark.parametrize(
    "target,expected",
    [
        ("llvm -mcpu=x86-64", ["sse2"]),
        ("llvm -mcpu=nehalem", ["sse2", "ssse3"]),
        ("llvm -mcpu=core-avx2", ["sse2", "ssse3", "avx2"]),
        ("llvm -mcpu=skylake-avx512", ["sse2", "ssse3", "avx2", "avx512f", "avx512bw"]),
        ("llvm -mcpu=cascadelake", INT8_FEATURES),
        # -mattr adds to the CPU's own features, with what they imply (avx512vnni needs avx512f).
        ("llvm -mcpu=x86-64 -mattr=+avx512vnni,+avx512bw", ["sse2", "ssse3", "avx2", "avx512f", "avx512bw",
                                                              "avx512vnni"]),
        # and takes them away.
        ("llvm -mcpu=cascadelake -mattr=-avx512vnni", ["sse2", "ssse3", "avx2", "avx512f", "avx512bw"]),
    ],
)
def test_features_of_x86_cpus(target, expected):
    t = Target(target)
    assert [f for f in INT8_FEATURES if codegen.target_has_features(f, t)] == expected
    assert [f for f in INT8_FEATURES if codegen.llvm_cpu_has_features(f, t)] == expected
    assert codegen.target_has_features(expected, t)
    listed = codegen.llvm_get_cpu_features(t)
    assert listed == sorted(listed)
    assert [f for f in INT8_FEATURES if f in listed] == expected


def test_feature_lists_need_all():
    t = Target("llvm -mcpu=skylake-avx512")
    assert codegen.target_has_features(["avx512bw", "avx512f"], t)
    assert not codegen.target_has_features(["avx512bw", "avx512vnni"], t)
    assert codegen.target_has_features(("avx2",), t)


def test_current_target_is_the_default():
    with Target("llvm -mcpu=cascadelake"):
        assert codegen.target_has_features("avx512vnni")
        assert x86.get_simd_32bit_lanes() == 16
    with Target("llvm -mcpu=core-avx2"):
        assert not codegen.target_has_features("avx512vnni")
        assert x86.get_simd_32bit_lanes() == 8
    with Target("llvm -mcpu=nehalem"):
        assert x86.get_simd_32bit_lanes() == 4
    # No current target: plain "llvm", LLVM's generic CPU for the default triple.
    assert codegen.target_has_features("avx512vnni") == codegen.target_has_features("avx512vnni", Target("llvm"))


def test_unknown_feature_names_are_absent():
    assert not codegen.target_has_features("no-such-feature", Target("llvm -mcpu=cascadelake"))
    assert not codegen.target_has_features(["avx2", "no-such-feature"], Target("llvm -mcpu=cascadelake"))


def test_other_architectures_and_kinds():
    arm = Target("llvm -mtriple=aarch64-linux-gnu")
    assert codegen.llvm_cpu_has_features("neon", arm)
    assert not codegen.target_has_features("avx2", arm)
    assert not codegen.target_has_features("avx2", Target("cuda"))
    with pytest.raises(ValueError, match="llvm_cpu_has_features: the target must be an llvm target"):
        codegen.llvm_cpu_has_features("avx2", Target("cuda"))
    with pytest.raises(TypeError, match="cpu_features must be"):
        codegen.target_has_features(3, Target("llvm"))


def test_target_strings_are_accepted():
    assert codegen.target_has_features("avx512vnni", "llvm -mcpu=cascadelake")
