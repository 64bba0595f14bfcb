# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The helpers of tvm.testing: comparisons, targets, features and parameters."""
import functools
import os
import platform
import sys

import numpy as np
import pytest

import tvm

__all__ = [
    "assert_allclose",
    "assert_prim_expr_equal",
    "device_enabled",
    "enabled_targets",
    "Feature",
    "parametrize_targets",
    "exclude_targets",
    "known_failing_targets",
    "parameter",
    "parameters",
    "fixture",
    "main",
    "slow",
    "skip_if_32bit",
    "requires_package",
    "xfail_parameterizations",
    "skip_parameterizations",
]

# ---------------------------------------------------------------------------
# Comparisons


def assert_allclose(actual, desired, rtol=1e-7, atol=1e-7):
    """Like numpy.testing.assert_allclose, but the shapes must match exactly
    (numpy would broadcast a (4,) result against a (1, 4) reference)."""
    actual = np.asanyarray(actual)
    desired = np.asanyarray(desired)
    np.testing.assert_allclose(actual.shape, desired.shape)
    np.testing.assert_allclose(actual, desired, rtol=rtol, atol=atol, verbose=True)


def assert_prim_expr_equal(lhs, rhs):
    """Assert that two integer expressions simplify to the same expression."""
    analyzer = tvm.arith.Analyzer()
    difference = analyzer.simplify(lhs - rhs)
    if not (isinstance(difference, tvm.tir.IntImm) and difference.value == 0):
        raise ValueError(f"{lhs} and {rhs} are not equal")


# ---------------------------------------------------------------------------
# Targets

# What a test parametrised over "target" runs on when TVM_TEST_TARGETS is not
# set: every kind TVM's own suite lists; those without hardware are skipped.
DEFAULT_TEST_TARGETS = [
    "llvm",
    "cuda",
    "nvptx",
    "vulkan -from_device=0",
    "opencl",
    "opencl -device=mali,aocl_sw_emu",
    "opencl -device=intel_graphics",
    "metal",
    "rocm",
    "hexagon",
]


def _test_target_names():
    names = os.environ.get("TVM_TEST_TARGETS", "")
    if not names.strip():
        return list(DEFAULT_TEST_TARGETS)
    return [name.strip() for name in names.split(";") if name.strip()]


def _target_kind(target):
    if isinstance(target, tvm.target.Target):
        return target.kind.name
    if isinstance(target, dict):
        return target["kind"]
    return str(target).split()[0]


def _kind_compiles(kind):
    """Whether this build can generate code for the target kind."""
    if kind in ("llvm", "c"):
        return tvm.runtime.enabled(kind)
    return tvm.get_global_func(f"target.build.{kind}", allow_missing=True) is not None


def device_enabled(target):
    """Whether tests for `target` (a string, a Target or its kind) can compile and run here."""
    kind = _target_kind(target)
    if not _kind_compiles(kind):
        return False
    if kind in ("llvm", "c"):
        return True
    try:
        return tvm.device(kind, 0).exist
    except Exception:  # a device type this runtime does not know
        return False


def _get_targets(target_names=None):
    """[{"target": str, "kind": str, "is_enabled": bool, "is_runnable": bool}, ...]."""
    names = _test_target_names() if target_names is None else list(target_names)
    targets = []
    for name in names:
        kind = _target_kind(name)
        enabled = _kind_compiles(kind)
        targets.append(
            {
                "target": name,
                "kind": kind,
                "is_enabled": enabled,
                "is_runnable": enabled and device_enabled(name),
            }
        )
    return targets


def enabled_targets():
    """[(target string, device)] for every test target that can run here."""
    return [(t["target"], tvm.device(t["kind"], 0)) for t in _get_targets() if t["is_runnable"]]


# ---------------------------------------------------------------------------
# Features: decorators/markers that skip a test when the build or the machine
# lacks what it needs.


def _cpu_has(*features):
    flags = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = line
                    break
    except OSError:
        return False
    present = set(flags.split())
    return all(feature in present for feature in features)


class Feature:
    """A capability a test may require: `@requires_x`, `@requires_x(support_required=...)`
    or `pytest.mark.<name>`.

    support_required "compile-and-run" (default) skips when the feature cannot
    run here; "compile-only" skips when it cannot even compile; "optional"
    only marks the test.
    """

    _registry = {}

    def __init__(self, name, long_name=None, cmake_flag=None, compile_time_check=None,
                 run_time_check=None, target_kind_enabled=None, target_kind_hardware=None,
                 parent_features=None):
        self.name = name
        self.long_name = long_name or name
        self.cmake_flag = cmake_flag
        self.compile_time_check = compile_time_check
        self.run_time_check = run_time_check
        self.target_kind_enabled = target_kind_enabled
        self.target_kind_hardware = target_kind_hardware
        if parent_features is None:
            parent_features = []
        elif isinstance(parent_features, str):
            parent_features = [parent_features]
        self.parent_features = parent_features
        Feature._registry[name] = self

    def _parents(self):
        return [Feature._registry[name] for name in self.parent_features if name in Feature._registry]

    def _compile_reason(self):
        """None when the feature can compile here, else why not."""
        for parent in self._parents():
            reason = parent._compile_reason()
            if reason:
                return reason
        if self.target_kind_enabled and not _kind_compiles(_target_kind(self.target_kind_enabled)):
            return f"{self.long_name} is not enabled in this build"
        if self.compile_time_check is not None:
            result = self.compile_time_check()
            if result is not True:
                return result if isinstance(result, str) else f"{self.long_name} is not available"
        return None

    def _run_reason(self):
        """None when the feature can run here, else why not."""
        reason = self._compile_reason()
        if reason:
            return reason
        for parent in self._parents():
            reason = parent._run_reason()
            if reason:
                return reason
        if self.target_kind_hardware and not device_enabled(self.target_kind_hardware):
            return f"no {self.long_name} device here"
        if self.run_time_check is not None:
            result = self.run_time_check()
            if result is not True:
                return result if isinstance(result, str) else f"{self.long_name} cannot run here"
        return None

    def marks(self, support_required="compile-and-run"):
        """The pytest marks for a test that needs this feature."""
        if support_required not in ("compile-and-run", "compile-only", "optional"):
            raise ValueError(
                f"support_required must be 'compile-and-run', 'compile-only' or 'optional', "
                f"not {support_required!r}"
            )
        marks = [getattr(pytest.mark, self.name)]
        for parent in self._parents():
            marks.extend(m for m in parent.marks("optional") if m not in marks)
        if support_required == "compile-and-run":
            reason = self._run_reason()
        elif support_required == "compile-only":
            reason = self._compile_reason()
        else:
            reason = None
        if reason:
            marks.append(pytest.mark.skipif(True, reason=reason))
        return marks

    def __call__(self, func=None, *, support_required="compile-and-run"):
        marks = self.marks(support_required=support_required)

        def wrap(f):
            for mark in reversed(marks):
                f = mark(f)
            return f

        return wrap if func is None else wrap(func)


def _any_gpu_exists():
    for kind in ("cuda", "rocm", "opencl", "metal", "vulkan"):
        try:
            if tvm.device(kind, 0).exist:
                return True
        except Exception:
            pass
    return "no GPU here"


requires_llvm = Feature("llvm", "LLVM", cmake_flag="USE_LLVM", target_kind_enabled="llvm")
requires_gpu = Feature("gpu", run_time_check=_any_gpu_exists)
uses_gpu = requires_gpu(support_required="optional")
requires_x86 = Feature("x86", "x86 Architecture",
                       run_time_check=lambda: platform.machine() in ("x86_64", "i386", "AMD64")
                       or "not an x86 machine")
requires_cuda = Feature("cuda", "CUDA", cmake_flag="USE_CUDA", target_kind_enabled="cuda",
                        target_kind_hardware="cuda", parent_features="gpu")
requires_cudagraph = Feature("cudagraph", "CUDA Graph", parent_features="cuda",
                             run_time_check=lambda: "CUDA graphs are not supported")
requires_tensorcore = Feature("tensorcore", "NVIDIA Tensor Core", parent_features="cuda",
                              run_time_check=lambda: "tensor core support is not checked here")
requires_cudnn = Feature("cudnn", "cuDNN", cmake_flag="USE_CUDNN", parent_features="cuda",
                         compile_time_check=lambda: "cuDNN is not built in")
requires_cublas = Feature("cublas", "cuBLAS", cmake_flag="USE_CUBLAS", parent_features="cuda",
                          compile_time_check=lambda: "cuBLAS is not built in")
requires_nvptx = Feature("nvptx", "NVPTX", target_kind_enabled="nvptx",
                         target_kind_hardware="cuda", parent_features="gpu")
requires_opencl = Feature("opencl", "OpenCL", target_kind_enabled="opencl",
                          target_kind_hardware="opencl", parent_features="gpu")
requires_rocm = Feature("rocm", "ROCm", target_kind_enabled="rocm",
                        target_kind_hardware="rocm", parent_features="gpu")
requires_matrixcore = Feature("matrixcore", "AMD Matrix Core", parent_features="rocm")
requires_metal = Feature("metal", "Metal", target_kind_enabled="metal",
                         target_kind_hardware="metal", parent_features="gpu")
requires_vulkan = Feature("vulkan", "Vulkan", target_kind_enabled="vulkan",
                          target_kind_hardware="vulkan", parent_features="gpu")
requires_openclml = Feature("OpenCLML", "CLML", compile_time_check=lambda: "CLML is not built in")


def _not_built(long_name):
    return lambda: f"{long_name} is not built in"


requires_micro = Feature("micro", "MicroTVM", compile_time_check=_not_built("MicroTVM"))
requires_cutlass = Feature("cutlass", "CUTLASS", compile_time_check=_not_built("CUTLASS"))
requires_rpc = Feature("rpc", "RPC", compile_time_check=_not_built("RPC"))
requires_ethosn = Feature("ethosn", "Arm(R) Ethos(TM)-N", compile_time_check=_not_built("Ethos-N"))
requires_ethosu = Feature("ethosu", "Arm(R) Ethos(TM)-U", compile_time_check=_not_built("Ethos-U"))
requires_libtorch = Feature("libtorch", "LibTorch", compile_time_check=_not_built("LibTorch"))
requires_hexagon = Feature("hexagon", "Hexagon", compile_time_check=_not_built("Hexagon"))
requires_cmsisnn = Feature("cmsisnn", "CMSIS NN", compile_time_check=_not_built("CMSIS NN"))
requires_corstone300 = Feature("corstone300", "Corstone-300",
                               compile_time_check=_not_built("Corstone-300"))
requires_vitis_ai = Feature("vitis_ai", "Vitis AI", compile_time_check=_not_built("Vitis AI"))
requires_arm_dot = Feature("arm_dot", "ARM dot product",
                           run_time_check=lambda: platform.machine() == "aarch64"
                           and _cpu_has("asimddp") or "no ARM dot product here")
requires_x86_vnni = Feature("x86_vnni", "x86 VNNI Extensions", parent_features="llvm",
                            run_time_check=lambda: _cpu_has("avx512_vnni")
                            or "no AVX-512 VNNI here")
requires_x86_avx512 = Feature("x86_avx512", "x86 AVX512 Extensions", parent_features="llvm",
                              run_time_check=lambda: _cpu_has("avx512f", "avx512bw", "avx512dq")
                              or "no AVX-512 here")
requires_x86_amx = Feature("x86_amx", "x86 AMX Extensions", parent_features="llvm",
                           run_time_check=lambda: _cpu_has("amx_tile", "amx_int8")
                           or "no AMX here")

__all__ += [name for name in list(globals()) if name.startswith("requires_")] + ["uses_gpu"]

slow = pytest.mark.skipif(
    os.environ.get("SKIP_SLOW_TESTS", "") not in ("", "0"),
    reason="SKIP_SLOW_TESTS is set",
)

skip_if_wheel_test = pytest.mark.skipif(
    os.environ.get("WHEEL_TEST") is not None, reason="skipped in wheel tests"
)
__all__.append("skip_if_wheel_test")


def skip_if_32bit(reason):
    """Skip the test on a 32-bit platform."""

    def decorator(func):
        return pytest.mark.skipif(sys.maxsize <= 2**32, reason=reason)(func)

    return decorator


def requires_package(*packages):
    """Skip the test unless every Python package named can be imported."""
    import importlib.util

    missing = [p for p in packages if importlib.util.find_spec(p) is None]
    mark = pytest.mark.skipif(bool(missing), reason=f"missing Python packages: {', '.join(missing)}")

    def decorator(func):
        return mark(func)

    return decorator


def _target_marks(target):
    """Marks that skip a parametrisation over `target` where it cannot run."""
    kind = _target_kind(target)
    if not _kind_compiles(kind):
        return [pytest.mark.skipif(True, reason=f"target kind {kind!r} is not enabled in this build")]
    if not device_enabled(target):
        return [pytest.mark.skipif(True, reason=f"no {kind} device here")]
    return []


def _target_params(names):
    return [pytest.param(name, marks=_target_marks(name), id=name) for name in names]


def parametrize_targets(*args):
    """Run the test once per target: `@parametrize_targets("llvm", "cuda")`; bare
    `@parametrize_targets` means every test target. The test takes `target` (a
    string) and, if it wants, `dev`."""

    def wrap(targets):
        def decorator(func):
            return pytest.mark.parametrize("target", _target_params(targets), scope="session")(func)

        return decorator

    if len(args) == 1 and callable(args[0]):
        return wrap(_test_target_names())(args[0])
    return wrap(args)


def exclude_targets(*args):
    """Leave the named targets out of the automatic target parametrisation."""

    def decorator(func):
        func.tvm_excluded_targets = list(args)
        return func

    return decorator


def known_failing_targets(*args):
    """Run the named targets as expected failures in the automatic parametrisation."""

    def decorator(func):
        func.tvm_known_failing_targets = list(args)
        return func

    return decorator


# ---------------------------------------------------------------------------
# Parameters and fixtures


def parameter(*values, ids=None, by_dict=None):
    """A module-level fixture that parametrises every test using it:

        size = tvm.testing.parameter(1, 16, 1024)
        def test_x(size): ...
    """
    if by_dict is not None:
        if values or ids:
            raise RuntimeError("parameter: by_dict cannot be combined with values or ids")
        ids = list(by_dict.keys())
        values = list(by_dict.values())
    values = [pytest.param(*v.values, marks=v.marks, id=v.id) if hasattr(v, "marks") and hasattr(v, "values")
              else v for v in values]

    # *_self: the fixture may be a class attribute, then pytest binds it as a method.
    @pytest.fixture(params=values, ids=ids)
    def as_fixture(*_self, request):
        return request.param

    return as_fixture


_parametrize_group = 0


def parameters(*value_sets, ids=None):
    """Several fixtures parametrised together (correlated):

        shape, dtype = tvm.testing.parameters(((4,), "float32"), ((8, 8), "int8"))
    """
    global _parametrize_group
    _parametrize_group += 1
    group = _parametrize_group
    value_sets = [tuple(v) for v in value_sets]
    count = len(value_sets[0]) if value_sets else 0
    if any(len(v) != count for v in value_sets):
        raise ValueError("parameters: every value set must have the same length")

    outputs = []
    for position in range(count):

        def fixture_func(*_self, request):
            return request.param

        fixture_func.parametrize_group = group
        fixture_func.parametrize_values = value_sets
        fixture_func.parametrize_ids = ids
        fixture_func.parametrize_position = position
        outputs.append(pytest.fixture(fixture_func))
    return outputs


def fixture(func=None, *, cache_return_value=False):
    """A pytest fixture; with cache_return_value=True its value is computed once
    per distinct set of parameters and deep-copied for each test."""

    def wrap(f):
        if not cache_return_value:
            return pytest.fixture(f)
        cache = {}
        import copy
        import inspect

        names = list(inspect.signature(f).parameters)

        @functools.wraps(f)
        def cached(*args, **kwargs):
            bound = inspect.signature(f).bind(*args, **kwargs)
            try:
                key = repr(sorted(bound.arguments.items()))
            except Exception:
                return f(*args, **kwargs)
            if key not in cache:
                cache[key] = f(*args, **kwargs)
            try:
                return copy.deepcopy(cache[key])
            except Exception:
                return cache[key]

        del names
        return pytest.fixture(cached)

    return wrap if func is None else wrap(func)


def _mark_parameterizations(*params, marker_fn, reason):
    params = set(str(p) for p in params)

    def decorator(func):
        func.tvm_parameterization_marks = getattr(func, "tvm_parameterization_marks", []) + [
            (params, marker_fn(reason=reason))
        ]
        return func

    return decorator


def xfail_parameterizations(*xfail_params, reason):
    """Expect failure for the parametrisations whose id contains these values."""
    return _mark_parameterizations(*xfail_params, marker_fn=pytest.mark.xfail, reason=reason)


def skip_parameterizations(*skip_params, reason):
    """Skip the parametrisations whose id contains these values."""
    return _mark_parameterizations(*skip_params, marker_fn=pytest.mark.skip, reason=reason)


def main():
    """Run the calling test file's tests: `if __name__ == "__main__": tvm.testing.main()`."""
    test_file = sys.modules["__main__"].__file__
    sys.exit(pytest.main([test_file] + sys.argv[1:]))
