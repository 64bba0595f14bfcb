# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The helpers of tvm.testing: comparisons, targets, features and parameters."""
import copy
import functools
import inspect
import logging
import os
import pickle
import platform
import sys
import textwrap

import numpy as np
import pytest

import tvm

__all__ = [
    "assert_allclose",
    "assert_prim_expr_equal",
    "check_numerical_grads",
    "check_bool_expr_is_true",
    "check_int_constraints_trans_consistency",
    "CompareBeforeAfter",
    "DEFAULT_TEST_TARGETS",
    "SKIP_SLOW_TESTS",
    "IS_IN_CI",
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
    """Assert that two integer expressions are provably equal (ValueError if not)."""
    if not tvm.arith.Analyzer().can_prove_equal(lhs, rhs):
        raise ValueError(f"{lhs} and {rhs} are not equal")


def check_numerical_grads(function, input_values, grad_values, function_value=None, delta=1e-3,
                          atol=1e-2, rtol=0.1):
    """Check gradients computed some other way against finite differences.

    function takes the inputs (positionally for a list, by name for a dict)
    and returns a scalar; input_values and grad_values are numpy arrays (a
    list, or a dict by name). Each partial derivative is first estimated by a
    forward difference; where that disagrees with the given gradient, by a
    central difference, then by a five-point stencil. The gradient of one
    input passes when the distance between the two is at most
    atol * sqrt(size) + rtol * |numerical gradient|; otherwise AssertionError
    names the input and the first positions that differ.
    """
    if isinstance(input_values, dict):
        names = list(input_values)
        call = lambda values: function(**values)  # noqa: E731
        grads = dict(grad_values)
    else:
        names = [str(i) for i in range(len(input_values))]
        input_values = dict(zip(names, input_values))
        call = lambda values: function(*(values[n] for n in names))  # noqa: E731
        grads = dict(zip(names, grad_values))
    input_values = {n: np.asarray(v) for n, v in input_values.items()}
    base = call(input_values) if function_value is None else function_value

    def shifted(name, j, step):
        value = input_values[name].astype(np.float64 if input_values[name].dtype.kind != "f"
                                          else input_values[name].dtype, copy=True)
        value.reshape(-1)[j] += step
        return (call({**input_values, name: value}) - base) / step

    for name, grad in grads.items():
        grad = np.asarray(grad)
        if name not in input_values:
            raise ValueError(f"check_numerical_grads: a gradient is given for unknown input {name!r}")
        if grad.shape != input_values[name].shape:
            raise AssertionError(
                f"Gradient wrt '{name}' has unexpected shape {grad.shape}, "
                f"expected {input_values[name].shape}"
            )
        numeric = np.zeros(grad.shape, dtype=np.float64)
        wrong = []
        for j in range(grad.size):
            expected = grad.reshape(-1)[j]

            def close(value):
                return abs(value - expected) < atol + rtol * abs(value)

            estimate = shifted(name, j, delta)
            if not close(estimate):
                estimate = (estimate + shifted(name, j, -delta)) / 2
                if not close(estimate):
                    half = (shifted(name, j, delta / 2) + shifted(name, j, -delta / 2)) / 2
                    estimate = (4 * half - estimate) / 3
            if not close(estimate):
                wrong.append(np.unravel_index(j, grad.shape))
            numeric.reshape(-1)[j] = estimate

        dist = np.sqrt(np.sum((numeric - grad) ** 2))
        norm = np.sqrt(np.sum(numeric**2))
        if not (np.isfinite(dist) and np.isfinite(norm)):
            raise ValueError(
                f"NaN or infinity detected during numerical gradient checking wrt '{name}'\n"
                f"analytical grad = {grad}\n numerical grad = {numeric}\n"
            )
        sqrt_n = np.sqrt(float(max(grad.size, 1)))
        if dist > atol * sqrt_n + rtol * norm:
            percent = int(100 * len(wrong) / max(grad.size, 1))
            raise AssertionError(
                f"Analytical and numerical grads wrt '{name}' differ too much\n"
                f"analytical grad = {grad}\n numerical grad = {numeric}\n"
                f"{percent}% of elements differ, first 10 of wrong positions: {wrong[:10]}\n"
                f"distance > atol*sqrt(n) + rtol*grad_norm\n"
                f"distance {dist} > {atol}*{sqrt_n} + {rtol}*{norm}"
            )
        logging.info("Numerical grad test wrt '%s' of shape %s passes, dist = %f", name, grad.shape, dist)


def check_bool_expr_is_true(bool_expr, vranges, cond=None):
    """Assert that `bool_expr` holds (where `cond` holds) for every value of
    the free variables in their ranges ({Var: Range}), by compiling it over
    the whole grid and running it. AssertionError gives a counterexample."""
    if cond is not None:
        bool_expr = tvm.tir.Or(tvm.tir.Not(cond), bool_expr)
    variables = list(vranges.items())

    def body(*indices):
        vmap = {var: index + rng.min for (var, rng), index in zip(variables, indices)}
        return tvm.tir.stmt_functor.substitute(bool_expr, vmap)

    shape = [rng.extent for _, rng in variables]
    result = tvm.te.compute(shape, body, name="bool_expr_grid")
    func = tvm.build(tvm.te.create_schedule(result.op), [result])
    out = tvm.nd.empty([int(e) for e in shape], result.dtype)
    func(out)
    values = out.numpy()
    if not np.all(values):
        indices = np.argwhere(values == 0)[0]
        example = sorted(
            (str(var), int(i) + int(rng.min)) for (var, rng), i in zip(variables, indices)
        )
        example = ", ".join(f"{name} = {value}" for name, value in example)
        simplified = tvm.arith.Analyzer().simplify(bool_expr)
        raise AssertionError(f"Expression {simplified}\nis not true on {vranges}\nCounterexample: {example}")


def check_int_constraints_trans_consistency(constraints_trans, vranges=None):
    """Assert that an arith.IntConstraintsTransform maps solutions to solutions
    both ways: at every point of one system's ranges where its relations hold,
    the mapped point lies in the other system's ranges, satisfies its
    relations, and maps back to the same point. vranges ({Var: Range}) gives
    the ranges of parameters that are in neither system's variables."""
    vranges = dict(vranges or {})
    true = tvm.tir.const(1, "bool")

    def conjunction(conds):
        return functools.reduce(tvm.tir.And, conds, true)

    def one_way(source, target, forward, backward):
        ana = tvm.arith.Analyzer()
        substitute = tvm.tir.stmt_functor.substitute
        conds = []
        for var in source.variables:
            if var in forward:
                conds.append(var == ana.simplify(substitute(forward[var], backward)))
        conds.extend(substitute(rel, backward) for rel in target.relations)
        for var in target.variables:
            if var in target.ranges:
                rng = target.ranges[var]
                inside = tvm.tir.And(var >= rng.min, var < rng.min + rng.extent)
                conds.append(substitute(inside, backward))
        grid = dict(vranges)
        grid.update(source.ranges.items())
        check_bool_expr_is_true(
            ana.simplify(conjunction(conds)), grid, cond=conjunction(source.relations)
        )

    one_way(constraints_trans.src, constraints_trans.dst, constraints_trans.src_to_dst, constraints_trans.dst_to_src)
    one_way(constraints_trans.dst, constraints_trans.src, constraints_trans.dst_to_src, constraints_trans.src_to_dst)


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


def _kind_runnable(kind):
    """Whether code for the kind can run here (its device exists)."""
    if not _kind_compiles(kind):
        return False
    if kind in ("llvm", "c"):
        return True
    try:
        return tvm.device(kind, 0).exist
    except Exception:  # a device type this runtime does not know
        return False


def _get_targets(target_names=None):
    """[{"target", "target_kind", "is_enabled", "is_runnable"}] for the test
    targets (TVM_TEST_TARGETS or the default list). When none can run here,
    llvm alone (with a warning), as TVM's suite does."""
    names = _test_target_names() if target_names is None else list(target_names)
    targets = []
    for name in names:
        kind = _target_kind(name)
        enabled = _kind_compiles(kind)
        targets.append(
            {
                "target": name,
                "target_kind": kind,
                "kind": kind,
                "is_enabled": enabled,
                "is_runnable": enabled and _kind_runnable(kind),
            }
        )
    if targets and not any(t["is_runnable"] for t in targets) and names != ["llvm"]:
        if _kind_runnable("llvm"):
            logging.warning("None of the test targets %s can run here; using llvm", names)
            return _get_targets(["llvm"])
    return targets


def device_enabled(target):
    """Whether tests for `target` run here: its kind is among the test targets
    (TVM_TEST_TARGETS) and can compile and run on this machine."""
    kind = _target_kind(target)
    return any(t["target_kind"] == kind and t["is_runnable"] for t in _get_targets())


def enabled_targets():
    """[(target string, device)] for every test target that can run here."""
    return [(t["target"], tvm.device(t["target_kind"], 0)) for t in _get_targets() if t["is_runnable"]]


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
    _all_features = _registry  # TVM's name for the registry

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
        if self.target_kind_enabled:
            kind = _target_kind(self.target_kind_enabled)
            if not _kind_compiles(kind):
                return f"{self.long_name} is not enabled in this build"
            if all(_target_kind(t) != kind for t in _test_target_names()):
                return f"{kind} tests disabled by the TVM_TEST_TARGETS environment variable"
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
        if self.target_kind_hardware and not _kind_runnable(_target_kind(self.target_kind_hardware)):
            return f"no {self.target_kind_hardware} device here"
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
        # The markers of the parent features first, then this feature's.
        marks = []
        for parent in self._parents():
            marks.extend(m for m in parent.marks("optional") if m not in marks)
        marks.append(getattr(pytest.mark, self.name))
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

    def _register_marker(self, config):
        config.addinivalue_line("markers", f"{self.name}: Mark a test as using {self.long_name}")

    @classmethod
    def require(cls, name, support_required="compile-and-run"):
        """The decorator of the feature called `name`: `@Feature.require("cuda")`."""
        if name not in cls._registry:
            raise KeyError(f"unknown feature {name!r}; known: {', '.join(sorted(cls._registry))}")
        return cls._registry[name](support_required=support_required)


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

SKIP_SLOW_TESTS = os.getenv("SKIP_SLOW_TESTS", "").lower() in {"true", "1", "yes"}
IS_IN_CI = os.getenv("CI", "") == "true"

slow = pytest.mark.skipif(SKIP_SLOW_TESTS, reason="SKIP_SLOW_TESTS is set")

skip_if_wheel_test = pytest.mark.skipif(
    os.getenv("WHEEL_TEST", "").lower() in {"true", "1", "yes"}, reason="skipped in wheel tests"
)
__all__.append("skip_if_wheel_test")


def _compose(func, marks):
    for mark in reversed(marks):
        func = mark(func)
    return func


def skip_if_32bit(reason):
    """Skip the test on a 32-bit platform."""
    mark = pytest.mark.skipif("32bit" in platform.architecture()[0], reason=reason)
    return lambda func: mark(func)


def requires_package(*packages):
    """Skip the test unless every Python package named can be imported."""
    import importlib.util

    def importable(name):
        try:
            return importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            return False

    marks = [pytest.mark.skipif(not importable(p), reason=f"Cannot import '{p}'") for p in packages]
    return lambda func: _compose(func, marks)


def requires_nvcc_version(major_version, minor_version=0, release_version=0):
    """Skip unless CUDA can run here and nvcc is at least this version."""
    wanted = (major_version, minor_version, release_version)
    have = _nvcc_version()
    marks = [
        pytest.mark.skipif(have < wanted, reason=f"Requires NVCC >= {'.'.join(map(str, wanted))}"),
        *requires_cuda.marks(),
    ]
    return lambda func: _compose(func, marks)


def _nvcc_version():
    import re
    import shutil
    import subprocess

    nvcc = shutil.which("nvcc")
    if nvcc is None:
        return (0, 0, 0)
    out = subprocess.run([nvcc, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"release (\d+)\.(\d+)(?:, V\d+\.\d+\.(\d+))?", out)
    if not match:
        return (0, 0, 0)
    return tuple(int(g or 0) for g in match.groups())


def requires_cuda_compute_version(major_version, minor_version=0):
    """Skip unless a CUDA device of at least this compute capability is here."""
    wanted = (major_version, minor_version)
    have = (0, 0)
    try:
        dev = tvm.cuda(0)
        if dev.exist:
            have = tuple(int(x) for x in str(dev.compute_version).split("."))
    except Exception:  # no CUDA runtime: requires_cuda skips the test as well
        pass
    marks = [
        pytest.mark.skipif(
            have < wanted,
            reason=f"Requires CUDA compute >= {'.'.join(map(str, wanted))}, "
            f"but have {'.'.join(map(str, have))}",
        ),
        *requires_cuda.marks(),
    ]
    return lambda func: _compose(func, marks)


def is_ampere_or_newer():
    """Whether CUDA device 0 has compute capability 8 or more."""
    try:
        dev = tvm.cuda(0)
        return bool(dev.exist) and int(str(dev.compute_version).split(".")[0]) >= 8
    except Exception:
        return False


__all__ += ["requires_nvcc_version", "requires_cuda_compute_version", "is_ampere_or_newer"]

# The feature each target kind needs, for marking parametrisations over targets.
_KIND_FEATURES = {
    "llvm": "llvm", "cuda": "cuda", "nvptx": "nvptx", "rocm": "rocm", "vulkan": "vulkan",
    "metal": "metal", "opencl": "opencl", "hexagon": "hexagon",
}


def _target_marks(target):
    """The marks of one parametrisation over `target`: the feature marker of its
    kind, and a skip where it cannot compile or run here."""
    kind = _target_kind(target)
    libs = []
    if isinstance(target, str) and "-libs=" in target:
        libs = target.split("-libs=", 1)[1].split()[0].split(",")
    if kind == "cuda" and "cudnn" in libs:
        return requires_cudnn.marks()
    if kind == "cuda" and "cublas" in libs:
        return requires_cublas.marks()
    if kind in _KIND_FEATURES:
        return Feature._registry[_KIND_FEATURES[kind]].marks()
    if not _kind_compiles(kind):
        return [pytest.mark.skipif(True, reason=f"target kind {kind!r} is not enabled in this build")]
    if not _kind_runnable(kind):
        return [pytest.mark.skipif(True, reason=f"no {kind} device here")]
    return []


def parametrize_targets(*args):
    """Run the test once per target named: `@parametrize_targets("llvm", "cuda")`.

    The test takes `target` (the string) and, if it wants, `dev`. Targets that
    cannot run here are skipped (with the tvm.testing plugin). Bare
    `@parametrize_targets` leaves the test to the plugin, which parametrises
    every test taking `target` over all test targets."""
    if len(args) == 1 and callable(args[0]):
        return args[0]
    return pytest.mark.parametrize("target", list(args), scope="session")


def exclude_targets(*args):
    """Leave the named target kinds out of the automatic target parametrisation."""

    def decorator(func):
        func.tvm_excluded_targets = args
        return func

    return decorator


def known_failing_targets(*args):
    """Expect failure on the named target kinds (the test still runs)."""

    def decorator(func):
        func.tvm_known_failing_targets = args
        return func

    return decorator


# ---------------------------------------------------------------------------
# Parameters and fixtures


def parameter(*values, ids=None, by_dict=None):
    """A fixture that parametrises every test using it (define it at module or
    class level):

        size = tvm.testing.parameter(1, 16, 1024)
        shape = tvm.testing.parameter(by_dict={"small": (4,), "large": (1024,)})
        def test_x(size, shape): ...    # 6 tests
    """
    if by_dict is not None:
        if values or ids:
            raise RuntimeError("parameter: by_dict cannot be combined with values or ids")
        ids = list(by_dict.keys())
        values = list(by_dict.values())

    # *_cls: as a class attribute, pytest passes the test instance first.
    @pytest.fixture(params=list(values), ids=ids)
    def as_fixture(*_cls, request):
        return request.param

    return as_fixture


_parametrize_group = 0


def parameters(*value_sets, ids=None):
    """Several fixtures parametrised together (one test per value set, not the
    product):

        shape, dtype = tvm.testing.parameters(((4,), "float32"), ((8, 8), "int8"))
    """
    global _parametrize_group
    group = _parametrize_group
    _parametrize_group += 1
    value_sets = [tuple(v) for v in value_sets]
    if any(len(v) != len(value_sets[0]) for v in value_sets):
        raise ValueError(
            f"parameters: every value set must have the same length, got {[len(v) for v in value_sets]}"
        )

    outputs = []
    for column in zip(*value_sets):

        def fixture_func(*_cls, request):
            return request.param

        fixture_func.parametrize_group = group
        fixture_func.parametrize_values = column
        fixture_func.parametrize_ids = ids
        outputs.append(pytest.fixture(fixture_func))
    return outputs


def fixture(func=None, *, cache_return_value=False):
    """A pytest fixture (function scope). With cache_return_value=True its
    function runs once per distinct set of arguments (parameters it depends
    on), each test gets a deep copy, and the cache is dropped after the last
    test that uses it (needs the tvm.testing plugin, which counts the uses).
    TVM_TEST_DISABLE_CACHE=1 turns caching off."""
    disabled = bool(int(os.environ.get("TVM_TEST_DISABLE_CACHE", "0")))

    def wrap(f):
        if cache_return_value and not disabled:
            f = _fixture_cache(f)
        return pytest.fixture(f, scope="function")

    return wrap if func is None else wrap(func)


def _cache_key(args, kwargs):
    key = (args, tuple(sorted(kwargs.items())))
    try:
        hash(key)
        return key
    except TypeError:
        pass
    try:
        return pickle.dumps(key)
    except Exception as err:
        raise TypeError(
            "tvm.testing.fixture(cache_return_value=True): the fixture's arguments must be "
            f"hashable or picklable to be cached, got {args!r} {kwargs!r}"
        ) from err


def _fixture_cache(func):
    cache = {}
    # Set by the plugin at collection: how many tests use the fixture.
    num_tests_use_this_fixture = [0]
    num_times_used = [0]

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if num_tests_use_this_fixture[0] == 0:
            raise RuntimeError(
                "Fixture use count is 0. This can occur if tvm.testing.plugin isn't registered: "
                "add `pytest_plugins = ['tvm.testing.plugin']` to your conftest.py"
            )
        try:
            key = _cache_key(args, kwargs)
            if key not in cache:
                cache[key] = func(*args, **kwargs)
            try:
                value = copy.deepcopy(cache[key])
            except Exception as err:
                raise TypeError(
                    f"cannot copy the cached value of fixture {func.__name__} "
                    f"(a {type(cache[key]).__name__}) for the next test"
                ) from err
            yield value
        finally:
            num_times_used[0] += 1
            if num_times_used[0] >= num_tests_use_this_fixture[0]:
                cache.clear()

    wrapper.num_tests_use_this_fixture = num_tests_use_this_fixture
    return wrapper


def _mark_parameterizations(*params, marker_fn, reason):
    params = set(params)

    def decorator(func):
        func.tvm_parameterization_marks = getattr(func, "tvm_parameterization_marks", []) + [
            (params, marker_fn, reason)
        ]
        return func

    return decorator


def xfail_parameterizations(*xfail_params, reason):
    """Expect failure (without running) for the parametrisations whose id is
    one of these: `@xfail_parameterizations("llvm-float16", reason=...)`."""
    return _mark_parameterizations(
        *xfail_params, marker_fn=lambda reason: pytest.mark.xfail(run=False, reason=reason), reason=reason
    )


def skip_parameterizations(*skip_params, reason):
    """Skip the parametrisations whose id is one of these."""
    return _mark_parameterizations(
        *skip_params, marker_fn=lambda reason: pytest.mark.skip(reason=reason), reason=reason
    )


def main():
    """Run the calling test file: `if __name__ == "__main__": tvm.testing.main()`."""
    test_file = inspect.getsourcefile(sys._getframe(1))
    sys.exit(pytest.main([test_file] + sys.argv[1:]))


def identity_after(x, sleep):
    """x, after sleeping `sleep` seconds (for tests of timeouts and pools)."""
    import time

    if sleep:
        time.sleep(sleep)
    return x


def terminate_self():
    """End this process at once (for tests of worker failures)."""
    os._exit(1)


__all__ += ["identity_after", "terminate_self"]


# ---------------------------------------------------------------------------
# Before/after tests of transforms


def _is_fixture(obj):
    return hasattr(obj, "_pytestfixturefunction") or type(obj).__name__ == "FixtureFunctionDefinition"


def _takes_self(func):
    try:
        return "self" in inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False


def _parse_tvmscript(func, wrap_module=False):
    """The PrimFunc (or, for a class, IRModule) written as undecorated TVMScript."""
    try:
        from tvm import script  # noqa: F401 (the parser is optional)
        from_source = script.from_source
    except (ImportError, AttributeError) as err:
        raise TypeError(
            f"CompareBeforeAfter: {getattr(func, '__name__', func)!r} is undecorated TVMScript, "
            "which needs tvm.script.from_source; decorate it with @T.prim_func or give a PrimFunc"
        ) from err
    decorator = "@I.ir_module\n" if wrap_module else "@T.prim_func\n"
    source = decorator + textwrap.dedent(inspect.getsource(func))
    extra_vars = dict(getattr(func, "__globals__", {}) or vars(sys.modules.get(func.__module__, object())))
    try:
        return from_source(source, extra_vars=extra_vars)
    except TypeError:
        return from_source(source)


def _ir_provider(cls, value):
    """A function (self) -> PrimFunc/IRModule/other for a before/expected member."""
    if isinstance(value, (tvm.tir.PrimFunc, tvm.IRModule)):
        return lambda self: value
    if isinstance(value, staticmethod):
        value = value.__func__
        return lambda self: value()
    if inspect.isclass(value):
        if issubclass(value, BaseException):
            return lambda self: value
        return lambda self: _class_to_module(value)
    if callable(value):
        if _takes_self(value):
            return lambda self: value(self)
        try:
            takes_args = len(inspect.signature(value).parameters) > 0
        except (TypeError, ValueError):
            takes_args = False
        if takes_args:
            # def before(A: T.Buffer(...)): ...  -- TVMScript without the decorator.
            return lambda self: _parse_tvmscript(value)

        if _returns_value(value):
            return lambda self: value()
        return lambda self: _parse_tvmscript(value)
    raise TypeError(
        f"{cls.__name__}: before/expected must be a PrimFunc, an IRModule, an exception class, "
        f"a function returning one, or TVMScript; got {type(value).__name__}"
    )


def _returns_value(func):
    """Whether `func` (without parameters) builds its IR and returns it, rather
    than being a TVMScript body (which has no `return <value>`)."""
    import ast

    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return True
    body = tree.body[0] if tree.body else None
    if not isinstance(body, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return True
    # Only the function's own returns count, not those of nested functions.
    stack = list(body.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return) and node.value is not None:
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _class_to_module(klass):
    funcs = {}
    for name, member in vars(klass).items():
        if name.startswith("_"):
            continue
        if isinstance(member, staticmethod):
            member = member.__func__
        if isinstance(member, tvm.ir.BaseFunc):
            funcs[name] = member.with_attr("global_symbol", name)
        elif callable(member):
            funcs[name] = _parse_tvmscript(member).with_attr("global_symbol", name)
    return tvm.IRModule(funcs)


def _script_of(obj, name):
    try:
        return obj.script(name=name)
    except Exception:  # the printer may not take a name
        return repr(obj)


class CompareBeforeAfter:
    """Tests of a transform as class members: `before`, `transform` and
    `expected`. The class gets a test, test_compare, that applies transform to
    before and compares with expected (structural equality), or, when expected
    is an exception class, checks that the transform raises it.

        class TestRemoveIf(tvm.testing.CompareBeforeAfter):
            transform = tvm.tir.transform.Simplify()

            @T.prim_func
            def before(A: T.Buffer(1, "int32")):
                if True:
                    A[0] = 42

            @T.prim_func
            def expected(A: T.Buffer(1, "int32")):
                A[0] = 42

    before/expected (also spelled Before/Expected) may be a PrimFunc, an
    IRModule, a method or staticmethod returning one, a pytest fixture, a class
    of functions (an IRModule), or undecorated TVMScript (parsed when the test
    runs, so a parse error fails only that test). expected may also be an
    exception class (or a method/fixture returning one). transform is a Pass,
    a method returning a Pass (or any function of an IRModule), or a fixture.
    A PrimFunc is transformed as the function "main" of a module.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for names, target in ((("before", "Before"), "before"), (("expected", "Expected"), "expected")):
            given = [n for n in names if n in cls.__dict__]
            if len(given) > 1:
                raise TypeError(f"{cls.__name__} defines both {given[0]} and {given[1]}")
            if given:
                value = cls.__dict__[given[0]]
                setattr(cls, target, value if _is_fixture(value) else pytest.fixture(_named(_ir_provider(cls, value), target)))
        if "transform" in cls.__dict__:
            cls.transform = cls._normalize_transform(cls.__dict__["transform"])

    @classmethod
    def _normalize_transform(cls, transform):
        def as_function(module_transform):
            def apply(obj):
                if isinstance(obj, tvm.IRModule):
                    return module_transform(obj)
                if isinstance(obj, tvm.tir.PrimFunc):
                    return module_transform(tvm.IRModule({"main": obj}))["main"]
                raise TypeError(f"Expected IRModule or PrimFunc, but received {type(obj)}")

            return apply

        if _is_fixture(transform):
            cls._transform_orig = transform

            def provide(self, _transform_orig):
                return as_function(_transform_orig)

        elif isinstance(transform, tvm.ir.transform.Pass):

            def provide(self):
                return as_function(transform)

        elif isinstance(transform, staticmethod) or (callable(transform) and not _takes_self(transform)):
            func = transform.__func__ if isinstance(transform, staticmethod) else transform

            def provide(self):
                made = func()
                return as_function(made)

        elif callable(transform):

            def provide(self):
                return as_function(transform(self))

        else:
            raise TypeError(
                f"{cls.__name__}.transform must be a tvm.ir.transform.Pass, a method returning one, "
                f"or a fixture; got {type(transform).__name__}"
            )
        return pytest.fixture(_named(provide, "transform"))

    def test_compare(self, before, expected, transform):
        """Apply the transform to `before` and compare with `expected`."""
        if inspect.isclass(expected) and issubclass(expected, BaseException):
            with pytest.raises(expected):
                after = transform(before)
                pytest.fail(
                    f"Expected {expected.__name__} to be raised from transformation, instead received:\n"
                    f"{_script_of(before, 'before')}\n{_script_of(after, 'after')}"
                )
            return
        if not isinstance(expected, (tvm.tir.PrimFunc, tvm.IRModule)):
            raise TypeError(
                "tvm.testing.CompareBeforeAfter requires `expected` to be an exception class, "
                f"a tvm.tir.PrimFunc or an IRModule; received {type(expected)}."
            )
        after = transform(before)
        if isinstance(after, tvm.tir.PrimFunc) and isinstance(expected, tvm.tir.PrimFunc):
            # The symbol each was declared with is not part of the comparison.
            after = after.with_attr("global_symbol", "main")
            expected = expected.with_attr("global_symbol", "main")
        try:
            tvm.ir.assert_structural_equal(after, expected)
        except ValueError as err:
            raise ValueError(
                "TIR after transformation did not match expected:\n"
                f"{_script_of(before, 'before')}\n{_script_of(after, 'after')}\n"
                f"{_script_of(expected, 'expected')}\n{err}"
            ) from err


def _named(func, name):
    func.__name__ = name
    func.__qualname__ = name
    return func


class _control_span_filling:
    """A PassContext setting "relay.frontend.fill_span" (whether frontends give Relay nodes spans)."""

    def __init__(self, on=True):
        self._pass_ctx = tvm.transform.PassContext(config={"relay.frontend.fill_span": on})

    def __enter__(self):
        self._pass_ctx.__enter__()
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self._pass_ctx.__exit__(exc_type, exc_val, exc_tb)


class enable_span_filling(_control_span_filling):
    """Frontends fill the span of every node they create (the default)."""

    def __init__(self):
        super().__init__(True)


class disable_span_filling(_control_span_filling):
    """Frontends leave spans empty."""

    def __init__(self):
        super().__init__(False)


__all__ += ["enable_span_filling", "disable_span_filling"]
