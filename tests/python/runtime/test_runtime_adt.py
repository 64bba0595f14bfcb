# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.runtime.container.ADT: tag and fields cross the FFI and read back."""
import numpy as np
import pytest

import tvm
from tvm.runtime import container


def test_tuple_object_fields():
    arr = tvm.nd.array(np.arange(4, dtype="float32"))
    t = container.tuple_object([arr, tvm.runtime.convert("x")])
    assert isinstance(t, container.ADT)
    assert t.tag == 0 and len(t) == 2
    np.testing.assert_array_equal(t[0].numpy(), np.arange(4, dtype="float32"))
    assert t[1] == "x" and t[-1] == "x"
    assert [type(f) for f in t] == [tvm.nd.NDArray, str]
    assert len(t[0:1]) == 1
    assert len(container.tuple_object()) == 0


def test_tagged_value_and_nesting():
    inner = container.tuple_object([tvm.nd.array(np.ones(2, "int32"))])
    v = container.ADT(3, [inner, tvm.runtime.convert([1, 2])])
    assert v.tag == 3
    assert isinstance(v[0], container.ADT) and v[0][0].numpy().tolist() == [1, 1]
    assert [int(i) for i in v[1]] == [1, 2]
    assert repr(v).startswith("ADT(tag=3, fields=[ADT(tag=0")


def test_index_errors():
    t = container.tuple_object([tvm.runtime.convert(1)])
    with pytest.raises(IndexError, match="ADT field index 1 out of range for 1 fields"):
        t[1]  # pylint: disable=pointless-statement
    with pytest.raises(TypeError, match="runtime.GetADTSize expects an ADT, got Array"):
        tvm.get_global_func("runtime.GetADTSize")(tvm.runtime.convert([1]))
