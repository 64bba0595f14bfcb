# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""CompareBeforeAfter: before/after tests of loop-IR transforms written as TVMScript.

    class TestRemoveIf(tvm.testing.CompareBeforeAfter):
        transform = tvm.tir.transform.Simplify()

        def before(A: T.Buffer(1, "int32")):
            if True:
                A[0] = 42
            else:
                A[0] = 5

        def expected(A: T.Buffer(1, "int32")):
            A[0] = 42

The subclass gets a `test_compare` test: `transform` applied to `before` must
equal `expected` structurally, or, when `expected` is an exception class,
raise it. `before` / `expected` (or `Before` / `Expected`) may be an
undecorated TVMScript function (parsed when the test runs, so a script error
fails that test only), a PrimFunc, a class of such functions (an IRModule),
a method returning one, or a pytest fixture. `transform` may be a Pass, a
method returning one, or a fixture.
"""
import inspect
import textwrap

import pytest

import tvm


def _is_fixture(obj):
    return hasattr(obj, "_pytestfixturefunction") or type(obj).__name__ == "FixtureFunctionDefinition"


def _is_method(func):
    try:
        return "self" in inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False


def _parse_undecorated(func):
    """The PrimFunc of an undecorated TVMScript function (its source, decorated here)."""
    source = "@T.prim_func\n" + textwrap.dedent(inspect.getsource(func))
    return tvm.script.from_source(source)


class CompareBeforeAfter:
    """Base class of before/after transform tests (see the module docstring)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for names, normalize in ((("before", "Before"), cls._ir_fixture), (("expected", "Expected"), cls._expected_fixture)):
            given = [name for name in names if name in cls.__dict__]
            if len(given) > 1:
                raise TypeError(f"{cls.__name__}: define only one of {names[0]} / {names[1]}")
            if given:
                setattr(cls, names[0], normalize(cls.__dict__[given[0]]))
        if "transform" in cls.__dict__:
            cls.transform = cls._transform_fixture(cls.__dict__["transform"])

    @classmethod
    def _ir_fixture(cls, value):
        if _is_fixture(value):
            return value
        if isinstance(value, (tvm.tir.PrimFunc, tvm.IRModule)):

            def make(self):
                return value

        elif inspect.isclass(value):

            def make(self):
                functions = {}
                for name, member in value.__dict__.items():
                    if name.startswith("_"):
                        continue
                    func = member if isinstance(member, tvm.tir.PrimFunc) else _parse_undecorated(member)
                    functions[name] = func.with_attr("global_symbol", name)
                return tvm.IRModule(functions)

        elif _is_method(value):

            def make(self):
                return value(self)

        else:

            def make(self):
                return _parse_undecorated(value)

        return pytest.fixture(make)

    @classmethod
    def _expected_fixture(cls, value):
        if inspect.isclass(value) and issubclass(value, Exception):

            def make(self):
                return value

            return pytest.fixture(make)
        return cls._ir_fixture(value)

    @classmethod
    def _transform_fixture(cls, value):
        def on_ir(module_pass):
            def run(obj):
                if isinstance(obj, tvm.IRModule):
                    return module_pass(obj)
                if isinstance(obj, tvm.tir.PrimFunc):
                    return module_pass(tvm.IRModule({"main": obj}))["main"]
                raise TypeError(f"a transform applies to an IRModule or a PrimFunc, not {type(obj).__name__}")

            return run

        if _is_fixture(value):
            cls._transform_fixture_orig = value

            def make(self, _transform_fixture_orig):
                return on_ir(_transform_fixture_orig)

        elif isinstance(value, tvm.ir.transform.Pass):

            def make(self):
                return on_ir(value)

        elif _is_method(value):

            def make(self):
                return on_ir(value(self))

        else:
            raise TypeError("transform must be a tvm.ir.transform.Pass, a method returning one, or a fixture")
        return pytest.fixture(make)

    def test_compare(self, before, expected, transform):
        """transform(before) equals expected (or raises it)."""
        if inspect.isclass(expected) and issubclass(expected, Exception):
            with pytest.raises(expected):
                after = transform(before)
                pytest.fail(
                    f"expected {expected.__name__}, but the transform succeeded:\n"
                    f"before:\n{before.script()}\nafter:\n{after.script()}"
                )
            return
        after = transform(before)
        if isinstance(after, tvm.tir.PrimFunc) and isinstance(expected, tvm.tir.PrimFunc):
            # The functions are named before / expected: their symbols do not count.
            after = after.with_attr("global_symbol", "main")
            expected = expected.with_attr("global_symbol", "main")
        try:
            tvm.ir.assert_structural_equal(after, expected)
        except ValueError as err:
            raise ValueError(
                f"{err}\nbefore:\n{before.script()}\nexpected:\n{expected.script()}\nafter:\n{after.script()}"
            ) from None
