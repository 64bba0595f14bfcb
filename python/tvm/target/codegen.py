# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What the code generators of this build know: the LLVM version, intrinsics
and the host CPU (tvm.target.codegen)."""
from .._ffi.registry import get_global_func


def _llvm_func(name, allow_missing=False):
    func = get_global_func(f"target.{name}", allow_missing=True)
    if func is None and not allow_missing:
        raise RuntimeError(f"{name}: this build of TVM has no LLVM code generator")
    return func


def build_module(mod, target):
    """Generate code for an IRModule that went through the host passes
    (MakePackedAPI, ...): a runtime.Module."""
    from .target import Target

    target = Target(target) if not isinstance(target, Target) else target
    return get_global_func(f"target.build.{target.kind.name}")(mod, target)


def llvm_version_major(allow_none=False):
    """The major version of the LLVM this build links (None, with allow_none,
    when it has no LLVM)."""
    func = _llvm_func("llvm_version_major", allow_missing=allow_none)
    return None if func is None else int(func())


def llvm_lookup_intrinsic_id(name):
    """LLVM's number for the intrinsic `name` ("llvm.ctpop"); 0 when unknown."""
    return int(_llvm_func("llvm_lookup_intrinsic_id")(name))


def llvm_get_intrinsic_name(intrin_id):
    """The name of LLVM intrinsic number `intrin_id` (without overload suffixes)."""
    return _llvm_func("llvm_get_intrinsic_name")(int(intrin_id))


def llvm_get_system_triple():
    """The triple LLVM generates code for by default (the host's)."""
    return _llvm_func("llvm_get_system_triple")()


def llvm_get_system_cpu():
    """The host CPU as LLVM names it ("znver4", "sapphirerapids", ...)."""
    return _llvm_func("llvm_get_system_cpu")()


def llvm_get_system_features():
    """The host CPU's features, "+name" or "-name", as LLVM sees them."""
    return list(_llvm_func("llvm_get_system_features")())


def _feature_list(cpu_features, caller):
    if isinstance(cpu_features, str):
        return [cpu_features]
    if isinstance(cpu_features, (list, tuple)) or type(cpu_features).__name__ == "Array":
        return [str(f) for f in cpu_features]
    raise TypeError(f"{caller}: cpu_features must be a feature name or a list of them, got {cpu_features!r}")


def _feature_target(target, caller):
    from .target import Target  # pylint: disable=import-outside-toplevel

    if target is None or isinstance(target, Target):
        return target
    if isinstance(target, str):
        return Target(target)
    raise TypeError(f"{caller}: target must be a tvm.target.Target, a string or None, got {target!r}")


def llvm_get_cpu_features(target=None):
    """The CPU features LLVM enables for an llvm target's -mtriple, -mcpu and -mattr
    (implied ones included), sorted. target=None: the current target (`with target:`),
    else plain "llvm"."""
    target = _feature_target(target, "llvm_get_cpu_features")
    return [str(f) for f in _llvm_func("llvm_get_cpu_features")(target)]


def llvm_cpu_has_features(cpu_features, target=None):
    """Whether the llvm target enables every one of cpu_features (a name such as "avx512vnni",
    or a list of names, as LLVM spells them). A name LLVM does not know counts as absent."""
    target = _feature_target(target, "llvm_cpu_has_features")
    has = _llvm_func("llvm_cpu_has_feature")
    return all(bool(has(f, target)) for f in _feature_list(cpu_features, "llvm_cpu_has_features"))


def target_has_features(cpu_features, target=None):
    """Like llvm_cpu_has_features for any target: False for targets that are not llvm (cuda, ...)."""
    target = _feature_target(target, "target_has_features")
    has = _llvm_func("target_has_feature", allow_missing=True)
    if has is None:
        return False
    return all(bool(has(f, target)) for f in _feature_list(cpu_features, "target_has_features"))
