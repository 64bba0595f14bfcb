"""relay.transform.CanonicalizeCast: an upcast read by several elementwise/broadcast operators is
repeated per reader; the exact graphs, and the numbers against numpy."""
import numpy as np

import tvm
from tvm import relay


def canonicalize(func):
    seq = tvm.transform.Sequential([relay.transform.InferType(), relay.transform.CanonicalizeCast(),
                                    relay.transform.InferType()])
    with tvm.transform.PassContext(opt_level=3):
        return seq(tvm.IRModule.from_expr(func))


def typed(func):
    return relay.transform.InferType()(tvm.IRModule.from_expr(func))["main"]


def test_upcast_repeated_for_each_elementwise_reader():
    x = relay.var("x", shape=(2, 8), dtype="int8")
    b1 = relay.var("b1", shape=(8,), dtype="int32")
    b2 = relay.var("b2", shape=(8,), dtype="int32")
    m = relay.max(x, axis=[0], keepdims=True)
    c = relay.cast(m, "int32")
    func = relay.Function([x, b1, b2], relay.multiply(relay.add(c, b1), relay.subtract(c, b2)))
    got = canonicalize(func)
    c2 = relay.cast(m, "int32")
    want = relay.Function([x, b1, b2], relay.multiply(relay.add(c, b1), relay.subtract(c2, b2)))
    tvm.ir.assert_structural_equal(got["main"], typed(want))

    rng = np.random.default_rng(0)
    args = [rng.integers(-100, 100, size=(2, 8)).astype("int8"), rng.integers(-5, 5, size=8).astype("int32"),
            rng.integers(-5, 5, size=8).astype("int32")]
    out = relay.create_executor("graph", mod=got, target="llvm").evaluate()(*args).numpy()
    ref = args[0].max(axis=0, keepdims=True).astype("int32")
    np.testing.assert_array_equal(out, (ref + args[1]) * (ref - args[2]))


def test_downcasts_and_other_readers_share_the_cast():
    x = relay.var("x", shape=(2, 8), dtype="float32")
    down = relay.cast(x, "float16")
    func = relay.Function([x], relay.Tuple([relay.add(down, down), relay.negative(down)]))
    tvm.ir.assert_structural_equal(canonicalize(func)["main"], typed(func))

    y = relay.var("y", shape=(2, 8), dtype="int8")
    up = relay.cast(y, "int32")
    # sum is a reduction: it keeps reading the shared cast; the second elementwise reader copies.
    func = relay.Function([y], relay.Tuple([relay.sum(up), relay.negative(up), relay.abs(up)]))
    got = canonicalize(func)["main"]
    want = relay.Function([y], relay.Tuple([relay.sum(up), relay.negative(up), relay.abs(relay.cast(y, "int32"))]))
    tvm.ir.assert_structural_equal(got, typed(want))
