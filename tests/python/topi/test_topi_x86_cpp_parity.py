# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The operators whose computes and schedules moved to C++ (so a C++ program can compile a
model with no Python in the process): the loop nests the op registry's FTVMCompute +
FTVMSchedule give through the TE compiler, checked exactly for representative ResNet-18 /
MobileNet cases on several targets, and their numbers against numpy."""
import numpy as np
import pytest

import tvm
from tvm import relay, te, topi
from tvm.relay.backend import te_compiler
from tvm.tir import stmt_functor

HASWELL = "llvm -mcpu=haswell"  # AVX2: 8 float32 lanes
AVX512 = "llvm -mcpu=skylake-avx512"  # 16 float32 lanes


def _lower(params, body, target):
    func = relay.Function(params, body)
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(func))
    func = mod["main"].with_attr("Primitive", tvm.tir.IntImm("int32", 1))
    tgt = tvm.target.Target(target, host="llvm") if target.startswith("cuda") else tvm.target.Target(target)
    _, lowered, _ = te_compiler.lower(func, tgt)
    (prim,) = [f for _, f in lowered.functions.items()]
    return prim


def _loops(prim):
    """(loop variable, extent, kind) of every loop, outermost first."""
    out = []

    def visit(node):
        if isinstance(node, tvm.tir.For):
            out.append((node.loop_var.name.replace(".", "_"), int(node.extent) if isinstance(node.extent, tvm.tir.IntImm) else str(
                node.extent), int(node.kind)))

    stmt_functor.pre_order_visit(prim.body, lambda n: (visit(n), True)[1])
    return out


SERIAL, PARALLEL, VECTORIZED, UNROLLED, THREAD = 0, 1, 2, 3, 4


def _v(name, shape, dtype="float32"):
    return relay.var(name, shape=shape, dtype=dtype)


def test_residual_add_relu_rows_parallel_vectors_within_a_row():
    x, y = _v("x", (1, 64, 56, 56)), _v("y", (1, 64, 56, 56))
    prim = _lower([x, y], relay.nn.relu(relay.add(x, y)), HASWELL)
    # x86 injective: rows (1*64*56) in parallel, 56 = 7 vectors of 8 inside a row
    # (the vector loop itself is turned into ramps by VectorizeLoop).
    assert _loops(prim) == [("ax0_ax1_fused_ax2_fused", 3584, PARALLEL), ("ax3_outer", 7, SERIAL)]


def test_blocked_add_avx512_uses_16_lanes():
    x, y = _v("x", (1, 4, 56, 56, 16)), _v("y", (1, 4, 56, 56, 16))
    prim = _lower([x, y], relay.add(x, y), AVX512)
    # One 16-lane vector a row: the loop of extent 1 around it is gone.
    assert _loops(prim) == [("ax0_ax1_fused_ax2_fused_ax3_fused", 224 * 56, PARALLEL)]
    assert "ax0_ax1_fused_ax2_fused_ax3_fused * 16 + 16]" in str(prim)


def test_short_inner_axis_takes_the_generic_schedule():
    x, b = _v("x", (3, 5)), _v("b", (5,))
    prim = _lower([x, b], relay.subtract(x, b), HASWELL)
    # 15 elements: one fused serial loop (too small to parallelise or vectorise).
    assert _loops(prim) == [("ax0_ax1_fused", 15, SERIAL)]


def test_symbolic_rows_take_the_generic_schedule():
    x, b = _v("x", (relay.Any(), 64)), _v("b", (64,))
    prim = _lower([x, b], relay.add(x, b), HASWELL)
    loops = _loops(prim)
    assert [k for _, _, k in loops][0] == PARALLEL
    assert any(isinstance(e, str) for _, e, _ in loops)  # the relay.Any() extent stays symbolic


def test_cuda_binds_blocks_and_threads():
    x, y = _v("x", (1, 64, 56, 56)), _v("y", (1, 64, 56, 56))
    prim = _lower([x, y], relay.nn.relu(relay.add(x, y)), "cuda")
    text = str(prim)
    assert "blockIdx.x" in text and "threadIdx.x" in text
    assert not any(k == PARALLEL for _, _, k in _loops(prim))


def test_python_x86_schedule_injective_is_the_cpp_one():
    a = te.placeholder((16, 64), name="a")
    b = topi.exp(a)
    with tvm.target.Target(HASWELL):
        s = topi.x86.schedule_injective([b])
    cpp = tvm.get_global_func("topi.x86.schedule_injective")(tvm.target.Target(HASWELL), [b])
    assert tvm.ir.structural_equal(tvm.lower(s, [a, b]), tvm.lower(cpp, [a, b]))


UNARY = {"exp": np.exp, "sigmoid": lambda a: 1 / (1 + np.exp(-a)), "tanh": np.tanh, "negative": np.negative,
         "abs": np.abs, "floor": np.floor, "sqrt": lambda a: np.sqrt(np.abs(a)), "copy": np.copy}
BINARY = {"add": np.add, "subtract": np.subtract, "multiply": np.multiply, "maximum": np.maximum,
          "minimum": np.minimum, "divide": np.divide, "power": lambda a, b: np.power(np.abs(a), b)}


def _run(func, inputs, target="llvm"):
    from tvm.contrib import graph_executor

    with tvm.transform.PassContext(opt_level=3):
        lib = relay.build(tvm.IRModule.from_expr(func), target=target)
    m = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    for i, a in enumerate(inputs):
        m.set_input(i, a)
    m.run()
    return m.get_output(0).numpy()


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_numbers(name):
    a = np.random.default_rng(1).standard_normal((8, 40)).astype("float32")
    x = _v("x", a.shape)
    arg = relay.abs(x) if name == "sqrt" else x
    out = _run(relay.Function([x], getattr(relay, name)(arg)), [a])
    np.testing.assert_allclose(out, UNARY[name](a), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_broadcast_numbers(name):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((4, 3, 40)).astype("float32")
    b = (rng.standard_normal((3, 1)) + 3).astype("float32")
    x, y = _v("x", a.shape), _v("y", b.shape)
    arg = relay.abs(x) if name == "power" else x
    out = _run(relay.Function([x, y], getattr(relay, name)(arg, y)), [a, b])
    np.testing.assert_allclose(out, BINARY[name](a, b), rtol=2e-6, atol=1e-6)
