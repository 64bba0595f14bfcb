# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.testing.CompareBeforeAfter with PrimFuncs, IRModules, functions and
fixtures, run through pytester: outcome of each generated test."""
import textwrap

import pytest

PRELUDE = '''
import pytest
import tvm
import tvm.testing
from tvm import tir


def store_func(value, condition=None):
    """f(A: int32[1]): A[0] = value (under `if condition` when given)."""
    A = tir.decl_buffer((1,), "int32", name="A")
    body = tir.BufferStore(A, tir.const(value, "int32"), [0])
    if condition is not None:
        body = tir.IfThenElse(condition, body, None)
    return tir.PrimFunc([A], body, buffer_map=None).with_attr("global_symbol", "f")
'''


@pytest.fixture
def run(pytester):
    def runner(body):
        pytester.makeconftest('pytest_plugins = ["tvm.testing.plugin"]\n')
        pytester.makepyfile(test_cmp=PRELUDE + textwrap.dedent(body))
        result = pytester.runpytest("-p", "no:cacheprovider", "-rA")
        outcomes = {}
        for report in result.reprec.getreports("pytest_runtest_logreport"):
            if report.when == "call" or not report.passed:
                outcomes[report.nodeid.split("::", 1)[1]] = report.outcome
        return outcomes, result

    return runner


def test_primfuncs_and_pass(run):
    outcomes, _ = run(
        """
        class TestRemoveTrueBranch(tvm.testing.CompareBeforeAfter):
            transform = tvm.tir.transform.Simplify()
            before = store_func(42, condition=tir.const(True, "bool"))
            expected = store_func(42)

        class TestWrongExpectation(tvm.testing.CompareBeforeAfter):
            transform = tvm.tir.transform.Simplify()
            before = store_func(42, condition=tir.const(True, "bool"))
            expected = store_func(7)
        """
    )
    assert outcomes == {
        "TestRemoveTrueBranch::test_compare": "passed",
        "TestWrongExpectation::test_compare": "failed",
    }


def test_mismatch_message_shows_the_ir(run):
    _, result = run(
        """
        class TestWrong(tvm.testing.CompareBeforeAfter):
            transform = tvm.tir.transform.Simplify()
            before = store_func(1)
            expected = store_func(2)
        """
    )
    result.stdout.fnmatch_lines(["*TIR after transformation did not match expected*"])


def test_methods_staticmethods_and_capitalised_names(run):
    outcomes, _ = run(
        """
        class Base(tvm.testing.CompareBeforeAfter):
            value = 5

            def transform(self):
                return tvm.tir.transform.Simplify()

        class TestMethods(Base):
            def before(self):
                return store_func(self.value, condition=tir.const(True, "bool"))

            def expected(self):
                return store_func(self.value)

        class TestStatic(Base):
            @staticmethod
            def Before():
                return store_func(3)

            @staticmethod
            def Expected():
                return store_func(3)

        class TestModule(Base):
            before = tvm.IRModule({"main": store_func(1, condition=tir.const(True, "bool"))})
            expected = tvm.IRModule({"main": store_func(1)})

        class TestPlainFunction(Base):
            def before():
                return store_func(9)

            expected = store_func(9)
        """
    )
    assert outcomes == {
        "TestMethods::test_compare": "passed",
        "TestStatic::test_compare": "passed",
        "TestModule::test_compare": "passed",
        "TestPlainFunction::test_compare": "passed",
    }


def test_expected_exception(run):
    outcomes, result = run(
        """
        def failing_pass(mod):
            raise ValueError("cannot transform")

        def passing_pass(mod):
            return mod

        class TestRaises(tvm.testing.CompareBeforeAfter):
            transform = staticmethod(lambda: failing_pass)
            before = store_func(1)
            expected = ValueError

        class TestRaisesWrongKind(tvm.testing.CompareBeforeAfter):
            transform = staticmethod(lambda: failing_pass)
            before = store_func(1)
            expected = KeyError

        class TestDoesNotRaise(tvm.testing.CompareBeforeAfter):
            transform = staticmethod(lambda: passing_pass)
            before = store_func(1)
            expected = ValueError
        """
    )
    assert outcomes == {
        "TestRaises::test_compare": "passed",
        "TestRaisesWrongKind::test_compare": "failed",
        "TestDoesNotRaise::test_compare": "failed",
    }
    result.stdout.fnmatch_lines(["*Expected ValueError to be raised from transformation*"])


def test_fixtures_and_parameters(run):
    outcomes, _ = run(
        """
        class TestParametrised(tvm.testing.CompareBeforeAfter):
            value = tvm.testing.parameter(1, 2)

            @tvm.testing.fixture
            def transform(self):
                return tvm.tir.transform.Simplify()

            @tvm.testing.fixture
            def before(self, value):
                return store_func(value, condition=tir.const(True, "bool"))

            @tvm.testing.fixture
            def expected(self, value):
                return store_func(value)
        """
    )
    assert outcomes == {
        "TestParametrised::test_compare[1]": "passed",
        "TestParametrised::test_compare[2]": "passed",
    }


def test_undecorated_tvmscript_goes_to_the_parser(run, monkeypatch):
    # Undecorated TVMScript is parsed when the test runs, through
    # tvm.script.from_source; a stand-in parser records what it was given.
    # (pytester restores sys.modules; tvm.script is restored here.)
    import tvm

    monkeypatch.setattr(tvm, "script", getattr(tvm, "script", None), raising=False)
    outcomes, _ = run(
        """
        import sys
        import types

        SOURCES = []

        def fake_from_source(text, extra_vars=None):
            SOURCES.append(text)
            return store_func(4)

        T = types.SimpleNamespace(Buffer=lambda *args: None)  # for the annotations only
        script = types.ModuleType("tvm.script")
        script.from_source = fake_from_source
        sys.modules["tvm.script"] = script
        tvm.script = script

        class TestScript(tvm.testing.CompareBeforeAfter):
            transform = tvm.tir.transform.Simplify()

            def before(A: T.Buffer(1, "int32")):
                A[0] = 4

            expected = store_func(4)

        def test_source_was_parsed():
            assert SOURCES and SOURCES[0].startswith("@T.prim_func\\ndef before(A")
        """
    )
    assert outcomes == {"TestScript::test_compare": "passed", "test_source_was_parsed": "passed"}


def test_bad_members_are_reported(run):
    _, result = run(
        """
        class TestBadTransform(tvm.testing.CompareBeforeAfter):
            transform = 3
            before = store_func(1)
            expected = store_func(1)
        """
    )
    result.stdout.fnmatch_lines(["*transform must be a tvm.ir.transform.Pass*"])
