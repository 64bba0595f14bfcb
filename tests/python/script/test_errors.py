# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Parse errors name the file, line and column of the user's source, and what is wrong."""
import inspect
import os

import pytest

import tvm
from tvm.error import DiagnosticError
from tvm.script import tir as T

HERE = os.path.abspath(__file__)


def _line_of(func, marker):
    """The file line of the first source line of func containing marker."""
    lines, start = inspect.getsourcelines(func)
    for offset, line in enumerate(lines):
        if marker in line:
            return start + offset, line.index(marker) + 1
    raise AssertionError(marker)


def _parse_error(func):
    with pytest.raises(DiagnosticError) as info:
        T.prim_func(func)
    return str(info.value)


def test_undefined_name_points_at_it():
    def bad(A: T.Buffer((4,), "float32")):
        A[0] = undefined_value + 1.0  # noqa: F821

    message = _parse_error(bad)
    line, col = _line_of(bad, "undefined_value")
    assert message.startswith(f"{HERE}:{line}:{col}: error: Undefined variable: undefined_value")
    # The source line and a caret under the name follow.
    assert "A[0] = undefined_value + 1.0" in message
    assert "^" * len("undefined_value") in message


def test_block_tensorir_is_refused_by_name():
    def bad(A: T.Buffer((4,), "float32")):
        for i in range(4):
            with T.block("B"):
                A[i] = 0.0

    message = _parse_error(bad)
    line, col = _line_of(bad, 'T.block("B")')
    assert f"{HERE}:{line}:{col}: error:" in message
    assert "T.block: block-based TensorIR is not supported by this project; write loops over buffers" in message


@pytest.mark.parametrize("construct", ["T.axis.spatial(4, i)", "T.reads(A[i])", "T.writes(A[i])", "T.where(i < 2)"])
def test_other_block_constructs_are_refused(construct):
    text = f"""
@T.prim_func
def f(A: T.Buffer((4,), "float32")):
    for i in range(4):
        {construct}
"""
    with pytest.raises(DiagnosticError) as info:
        tvm.script.from_source(text)
    name = construct.split("(")[0]
    assert f"<str>:5:9: error: {name}: block-based TensorIR is not supported" in str(info.value)


def test_loop_over_a_python_list_is_an_error():
    def bad(A: T.Buffer((4,), "float32")):
        for i in [1, 2]:
            A[i] = 0.0

    message = _parse_error(bad)
    line, col = _line_of(bad, "[1, 2]")
    assert f"{HERE}:{line}:{col}: error: Expect the for loop to be one of the following" in message


def test_store_of_mismatched_lanes():
    def bad(A: T.Buffer((8,), "float32")):
        A[0:4] = T.Broadcast(T.float32(1), 8)

    message = _parse_error(bad)
    assert "cannot store a float32x8 value into A[...] of type float32x4" in message


def test_error_inside_nested_call_reports_the_call():
    def bad(A: T.Buffer((4,), "float32")):
        A[0] = T.exp(T.int32(1))

    message = _parse_error(bad)
    line, col = _line_of(bad, "T.exp(")
    assert f"{HERE}:{line}:{col}: error:" in message
    assert "exp needs a float argument" in message


@pytest.mark.parametrize(
    "body, expected",
    [
        ("return 1", "Return is not allowed."),
        ("x = y = 1", "Consequential assignments"),
        ("import os", "Import statements are not supported in TVMScript"),
        ("def g():\n        pass", "a function cannot be defined inside a T.prim_func"),
        ("n: T.int32", "n: a let binding needs a value"),
    ],
)
def test_unsupported_statements(body, expected):
    text = f"""
@T.prim_func
def f(A: T.Buffer((4,), "float32")):
    {body}
"""
    with pytest.raises(DiagnosticError) as info:
        tvm.script.from_source(text)
    assert "<str>:4:5: error: " + expected in str(info.value)


def test_missing_annotation():
    with pytest.raises(DiagnosticError, match=r"<str>:3:7: error: Type annotation required for function parameters"):
        tvm.script.from_source("\n@T.prim_func\ndef f(a):\n    T.evaluate(0)\n")


def test_syntax_error_position():
    with pytest.raises(DiagnosticError, match=r"<str>:4:"):
        tvm.script.from_source("\n@T.prim_func\ndef f(a: T.int32):\n    x = = 1\n")


def test_match_buffer_of_a_non_parameter():
    text = """
@T.prim_func
def f(a: T.handle):
    n = T.int32()
    A = T.match_buffer(n, (4,))
"""
    with pytest.raises(DiagnosticError, match="T.match_buffer: the first argument must be a parameter"):
        tvm.script.from_source(text)


def test_macro_with_a_positional_argument_is_refused():
    with pytest.raises(ValueError, match="Invalid use of T.macro"):

        @T.macro(True)
        def bad():
            T.evaluate(0)
