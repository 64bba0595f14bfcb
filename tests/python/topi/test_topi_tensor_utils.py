# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.topi.utils and tvm.topi.tag."""
import pytest

import tvm
from tvm import te, topi
from tvm.topi import utils


def test_const_helpers():
    n = te.var("n")
    assert utils.get_const_tuple((2, tvm.tir.const(3), tvm.tir.const(2) * 4, n)) == (2, 3, 8, n)
    assert utils.get_const_int(tvm.tir.const(5) + 2) == 7
    assert utils.get_const_float(tvm.tir.const(1.5, "float32")) == 1.5
    assert utils.equal_const_int(tvm.tir.const(0), 0) and not utils.equal_const_int(n, 0)
    with pytest.raises(ValueError, match="expected a constant integer"):
        utils.get_const_int(n + 1)
    assert utils.prod([2, 3, 4]) == 24 and utils.ceil_div(7, 2) == 4
    assert utils.is_empty_shape((3, 0)) and not utils.is_empty_shape((3, 1))
    assert utils.get_shape((3, 2, 32, 48, 16), "NCHW16c", "NC16cWH") == (3, 2, 16, 48, 32)


def test_ravel_unravel():
    shape = (3, 4, 5)
    for flat in (0, 7, 59):
        idx = utils.unravel_index(tvm.tir.const(flat), shape)
        idx = [int(utils.simplify(i).value) for i in idx]
        assert idx == [flat // 20, flat // 5 % 4, flat % 5]
        assert utils.ravel_index(idx, shape) == flat  # plain ints stay ints


def test_traverse_inline_and_tags():
    A = te.placeholder((4, 4), name="A")
    B = topi.exp(A)
    C = topi.sum(B, axis=1)
    D = topi.add(C, 1.0)
    s = te.create_schedule(D.op)
    seen = []
    utils.traverse_inline(s, D.op, lambda op: seen.append(op.tag))
    assert seen == ["comm_reduce", "elemwise"]  # the reduction reached from the output, producers first
    assert topi.tag.is_broadcast("elemwise") and topi.tag.is_injective("broadcast")
    assert not topi.tag.is_injective("comm_reduce")
