# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The tvm.testing pytest plugin, run on small test files with pytester:
the parametrised ids and the outcome of each."""
import textwrap

import pytest

import tvm
import tvm.testing

CONFTEST = 'pytest_plugins = ["tvm.testing.plugin"]\n'


@pytest.fixture
def run(pytester, monkeypatch):
    """run(source, *pytest_args, targets=...): {test id: outcome} of running
    `source` with TVM_TEST_TARGETS=targets, and pytester's result."""

    def runner(source, *args, targets="llvm;cuda"):
        monkeypatch.setenv("TVM_TEST_TARGETS", targets)
        return _outcomes(pytester, source, *args)

    return runner


def _outcomes(pytester, source, *args):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_sample=textwrap.dedent(source))
    result = pytester.runpytest("-p", "no:cacheprovider", "-rA", *args)
    outcomes = {}
    for report in result.reprec.getreports("pytest_runtest_logreport"):
        name = report.nodeid.split("::", 1)[1]
        if report.when == "call" or (report.when == "setup" and not report.passed):
            if hasattr(report, "wasxfail"):
                outcomes[name] = "xfailed" if report.skipped else "xpassed"
            else:
                outcomes[name] = report.outcome
    return outcomes, result


# Whether this machine could run a CUDA parametrisation (no CUDA code
# generator in this build, so normally not).
CUDA = "passed" if tvm.testing.device_enabled("cuda") else "skipped"


def test_target_and_dev_parametrisation(run):
    outcomes, _ = run(
        """
        import tvm

        def test_auto(target, dev):
            assert dev.device_type == tvm.device(target.split()[0]).device_type

        def test_no_target():
            pass
        """,
    )
    assert outcomes == {"test_auto[llvm]": "passed", "test_auto[cuda]": CUDA, "test_no_target": "passed"}


def test_default_targets_without_env(pytester, monkeypatch):
    monkeypatch.delenv("TVM_TEST_TARGETS", raising=False)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_sample="def test_auto(target):\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--collect-only", "-q")
    ids = [line.split("::")[1] for line in result.outlines if "::" in line]
    assert ids == [f"test_auto[{t}]" for t in tvm.testing.utils.DEFAULT_TEST_TARGETS]


def test_parametrize_targets_explicit_and_bare(run):
    outcomes, _ = run(
        """
        import tvm.testing

        @tvm.testing.parametrize_targets("llvm", "llvm -mcpu=generic", "nvptx")
        def test_explicit(target, dev):
            pass

        @tvm.testing.parametrize_targets
        def test_bare(target):
            pass
        """,
    )
    assert outcomes == {
        "test_explicit[llvm]": "passed",
        "test_explicit[llvm -mcpu=generic]": "passed",
        "test_explicit[nvptx]": "skipped",
        "test_bare[llvm]": "passed",
        "test_bare[cuda]": CUDA,
    }


def test_pytest_parametrize_over_target_gets_skip_marks(run):
    outcomes, _ = run(
        """
        import pytest

        @pytest.mark.parametrize("target,n", [("llvm", 1), ("rocm", 2), pytest.param("llvm", 3, id="three")])
        def test_pairs(target, n):
            pass
        """,
    )
    assert outcomes == {"test_pairs[llvm-1]": "passed", "test_pairs[rocm-2]": "skipped", "test_pairs[three]": "passed"}


def test_tuple_of_targets_is_an_error(run):
    _, result = run(
        """
        import pytest

        @pytest.mark.parametrize("target", ("llvm", "cuda"))
        def test_tuple(target):
            pass
        """,
    )
    result.stdout.fnmatch_lines(["*parametrized over target with a tuple*"])


def test_exclude_and_known_failing_targets(run):
    outcomes, _ = run(
        """
        import tvm.testing

        @tvm.testing.exclude_targets("cuda")
        def test_excluded(target):
            pass

        @tvm.testing.known_failing_targets("llvm")
        def test_failing(target):
            assert False

        @tvm.testing.known_failing_targets("llvm")
        @tvm.testing.parametrize_targets("llvm")
        def test_failing_explicit(target):
            assert False
        """,
    )
    assert outcomes == {
        "test_excluded[llvm]": "passed",
        "test_failing[llvm]": "xfailed",
        "test_failing[cuda]": CUDA,
        "test_failing_explicit[llvm]": "xfailed",
    }


def test_parameter_module_and_class_attributes(run):
    outcomes, _ = run(
        """
        import tvm.testing

        size = tvm.testing.parameter(1, 16)
        dtype = tvm.testing.parameter("float32", "int8", ids=["f", "i"])
        shape = tvm.testing.parameter(by_dict={"small": (2,), "big": (64, 64)})

        def test_product(size, dtype):
            assert size in (1, 16) and dtype in ("float32", "int8")

        def test_by_dict(shape):
            assert shape in [(2,), (64, 64)]

        class TestInClass:
            n = tvm.testing.parameter(3, 5)

            def test_n(self, n, size):
                assert n in (3, 5)
        """,
        targets="llvm",
    )
    assert outcomes == {
        "test_product[1-f]": "passed",
        "test_product[1-i]": "passed",
        "test_product[16-f]": "passed",
        "test_product[16-i]": "passed",
        "test_by_dict[small]": "passed",
        "test_by_dict[big]": "passed",
        "TestInClass::test_n[3-1]": "passed",
        "TestInClass::test_n[3-16]": "passed",
        "TestInClass::test_n[5-1]": "passed",
        "TestInClass::test_n[5-16]": "passed",
    }


def test_parameters_are_correlated(run):
    outcomes, _ = run(
        """
        import tvm.testing

        shape, dtype = tvm.testing.parameters(((4,), "float32"), ((8, 8), "int8"))
        m, n = tvm.testing.parameters((1, 2), (3, 4), ids=["first", "second"])

        def test_pairs(shape, dtype):
            assert (shape, dtype) in [((4,), "float32"), ((8, 8), "int8")]

        def test_one_of_group(n):
            assert n in (2, 4)

        def test_named(m, n):
            assert n == m + 1
        """,
        targets="llvm",
    )
    assert outcomes == {
        "test_pairs[shape0-float32]": "passed",
        "test_pairs[shape1-int8]": "passed",
        "test_one_of_group[first]": "passed",
        "test_one_of_group[second]": "passed",
        "test_named[first]": "passed",
        "test_named[second]": "passed",
    }


def test_target_parameter_fixture_is_kept(run):
    outcomes, _ = run(
        """
        import tvm.testing

        target = tvm.testing.parameter("llvm")

        def test_x(target, dev):
            assert target == "llvm"
        """,
    )
    assert outcomes == {"test_x[llvm]": "passed"}


def test_cached_fixture_runs_once_per_parameter(run):
    outcomes, _ = run(
        """
        import tvm.testing

        CALLS = []
        size = tvm.testing.parameter(1, 2)

        @tvm.testing.fixture(cache_return_value=True)
        def data(size):
            CALLS.append(size)
            return [size] * size

        @tvm.testing.fixture
        def plain(size):
            CALLS.append(-size)
            return size

        def test_a(data, plain, size):
            assert data == [size] * size
            data.append("changed")  # each test gets its own copy

        def test_b(data, plain, size):
            assert data == [size] * size

        def test_calls():
            assert sorted(c for c in CALLS if c > 0) == [1, 2]
            assert len([c for c in CALLS if c < 0]) == 4
        """,
        targets="llvm",
    )
    assert outcomes == {
        "test_a[1]": "passed",
        "test_a[2]": "passed",
        "test_b[1]": "passed",
        "test_b[2]": "passed",
        "test_calls": "passed",
    }


def test_xfail_and_skip_parameterizations(run):
    outcomes, _ = run(
        """
        import tvm.testing

        size = tvm.testing.parameter(1, 2, 3)

        @tvm.testing.xfail_parameterizations("2", reason="two")
        @tvm.testing.skip_parameterizations("3", reason="three")
        def test_size(size):
            assert size == 1
        """,
        targets="llvm",
    )
    assert outcomes == {"test_size[1]": "passed", "test_size[2]": "xfailed", "test_size[3]": "skipped"}


def test_feature_markers_registered_and_selectable(run):
    outcomes, result = run(
        """
        import tvm.testing

        @tvm.testing.requires_llvm
        def test_llvm():
            pass

        @tvm.testing.requires_cuda
        def test_cuda():
            pass

        @tvm.testing.uses_gpu
        def test_uses_gpu():
            pass

        @tvm.testing.requires_package("numpy", "no_such_package_xyz")
        def test_package():
            pass
        """,
        "--strict-markers",
        "-m",
        "llvm or gpu or not gpu",
    )
    assert outcomes == {
        "test_llvm": "passed",
        "test_cuda": CUDA,
        "test_uses_gpu": "passed",
        "test_package": "skipped",
    }
    result.stdout.fnmatch_lines(["*Cannot import 'no_such_package_xyz'*"])
