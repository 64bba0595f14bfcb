# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""structural_equal / structural_hash on IR deeper than a thread's stack
allows recursing through (a chain of 100,000 Relay calls)."""
import tvm
from tvm import relay


def _chain(n, op=relay.add):
    x = relay.var("x", shape=(1,))
    y = x
    for _ in range(n):
        y = op(y, y)
    return relay.Function([x], y)


def test_deep_chains_compare_and_hash():
    a, b = _chain(100000), _chain(100000)
    assert tvm.ir.structural_equal(a, b)
    assert tvm.ir.structural_hash(a) == tvm.ir.structural_hash(b)
    assert not tvm.ir.structural_equal(a, _chain(99999))
    # A difference at the bottom of the chain is found, and named.
    c = _chain(100000, relay.subtract)
    assert not tvm.ir.structural_equal(a, c)
    diff = tvm.ir.get_first_structural_mismatch(a, c)
    assert diff is not None
    tvm.ir.assert_structural_equal(a, b)


def test_shallow_ir_is_unchanged():
    assert tvm.ir.structural_equal(_chain(10), _chain(10))
    assert not tvm.ir.structural_equal(_chain(10), _chain(11))
    assert tvm.ir.structural_hash(_chain(10)) != tvm.ir.structural_hash(_chain(11))


def test_deep_chain_json_round_trip():
    a = _chain(100000)
    b = tvm.ir.load_json(tvm.ir.save_json(a))
    assert tvm.ir.structural_equal(a, b)
