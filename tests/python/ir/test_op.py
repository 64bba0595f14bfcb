"""tvm.ir.Op: registering operators from Python, attributes, and lookup errors."""

import pytest

import tvm
from tvm.ir import Op


def test_register_op_and_get():
    op = tvm.ir.register_op("test_op.py_add", "adds things")
    assert isinstance(op, Op)
    assert op.name == "test_op.py_add"
    assert op.description == "adds things"
    assert Op.get("test_op.py_add").same_as(op)
    assert "test_op.py_add" in Op.list_op_names()
    # Registering again returns the same operator.
    assert tvm.ir.register_op("test_op.py_add").same_as(op)


def test_unknown_op_raises_attribute_error_naming_it():
    with pytest.raises(AttributeError) as info:
        Op.get("test_op.definitely_not_registered")
    assert "test_op.definitely_not_registered" in str(info.value)
    assert isinstance(info.value, tvm.error.TVMError)


def test_op_cannot_be_constructed_directly():
    with pytest.raises(RuntimeError):
        Op()


def test_set_and_get_attr():
    op = tvm.ir.register_op("test_op.attrs")
    assert op.get_attr("TTestPyPattern") is None
    assert not op.has_attr("TTestPyPattern")
    op.set_attr("TTestPyPattern", 4)
    assert op.get_attr("TTestPyPattern") == 4
    assert op.has_attr("TTestPyPattern")
    op.set_attr("TTestPyName", "elemwise")
    assert op.get_attr("TTestPyName") == "elemwise"
    # Attributes belong to one operator.
    other = tvm.ir.register_op("test_op.attrs_other")
    assert other.get_attr("TTestPyPattern") is None


def test_attr_priority_levels():
    op = tvm.ir.register_op("test_op.levels")
    op.set_attr("TTestPyLevel", 1, plevel=5)
    op.set_attr("TTestPyLevel", 2, plevel=20)
    assert op.get_attr("TTestPyLevel") == 2
    op.set_attr("TTestPyLevel", 3, plevel=10)  # lower: ignored
    assert op.get_attr("TTestPyLevel") == 2
    with pytest.raises(ValueError, match="TTestPyLevel"):
        op.set_attr("TTestPyLevel", 4, plevel=20)
    assert op.get_attr("TTestPyLevel") == 2


def test_reset_attr():
    op = tvm.ir.register_op("test_op.reset")
    op.set_attr("TTestPyReset", 7)
    op.reset_attr("TTestPyReset")
    assert op.get_attr("TTestPyReset") is None
    assert not op.has_attr("TTestPyReset")
    op.set_attr("TTestPyReset", 8, plevel=1)
    assert op.get_attr("TTestPyReset") == 8


def test_register_op_attr_with_value_and_as_decorator():
    tvm.ir.register_op("test_op.decorated")
    tvm.ir.register_op_attr("test_op.decorated", "TTestPyValue", 42)
    assert Op.get("test_op.decorated").get_attr("TTestPyValue") == 42

    @tvm.ir.register_op_attr("test_op.decorated", "FTestPyCompute")
    def compute(x):
        return x * 3

    assert compute(2) == 6  # the decorator returns the function itself
    f = Op.get("test_op.decorated").get_attr("FTestPyCompute")
    assert f is not None
    assert f(5) == 15


def test_register_op_attr_on_unknown_op_names_it():
    with pytest.raises(AttributeError, match="test_op.never_registered"):
        tvm.ir.register_op_attr("test_op.never_registered", "TTestPyX", 1)


def test_op_fields_and_repr():
    op = tvm.ir.register_op("test_op.fields", "described")
    assert op.num_inputs == -1
    assert op.support_level == 10
    assert len(op.arguments) == 0
    assert "test_op.fields" in repr(op)


def test_op_equality_is_identity():
    a = Op.get(tvm.ir.register_op("test_op.eq_a").name)
    b = tvm.ir.register_op("test_op.eq_b")
    assert a == Op.get("test_op.eq_a")
    assert a != b
    assert hash(a) == hash(Op.get("test_op.eq_a"))
