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
