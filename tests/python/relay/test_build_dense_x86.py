# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.build for "cpu" targets takes topi.x86's float32 GEMMs for nn.dense, nn.matmul and
nn.batch_matmul: which implementation the strategy picks, the kernels relay.build produced, and
the numbers (against numpy) with the elementwise ops fused after them."""
import numpy as np
import pytest

import tvm
from tvm import relay, te, topi
from tvm.contrib import graph_executor
from tvm.relay.op import strategy as op_strategy
from tvm.relay.op.strategy import x86_gemm
from tvm.target import codegen

HOST = f"llvm -mcpu={codegen.llvm_get_system_cpu()}"
rng = np.random.default_rng(3)


def rand(*shape):
    return rng.uniform(-1, 1, size=shape).astype("float32")


def check(got, want, depth):
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6 * max(depth, 1) ** 0.5)


def build_run(body, inputs, params=None, target=HOST):
    """relay.build the function of `body` over the free vars; run on inputs (name -> array).
    Returns (output, the source of the lowered kernels)."""
    func = relay.Function(relay.analysis.free_vars(body), body)
    mod = tvm.IRModule.from_expr(func)
    with tvm.transform.PassContext(opt_level=3):
        lib = relay.build(mod, target, params=params)
    m = graph_executor.GraphModule(lib["default"](tvm.cpu()))
    for name, value in inputs.items():
        m.set_input(name, value)
    m.run()
    return m.get_output(0).numpy(), lowered_text(mod, target, params)


def lowered_text(mod, target, params):
    """The TIR of every kernel relay.build lowers for mod (what the strategy picked shows in its buffers)."""
    from tvm.relay.backend.graph_executor_codegen import GraphExecutorCodegen
    from tvm.relay import build_module

    target = tvm.target.Target(target)
    with tvm.transform.PassContext(opt_level=3), target:
        mod = build_module._as_module(mod, params)  # pylint: disable=protected-access
        mod = tvm.transform.Sequential(build_module._pass_list())(mod)  # pylint: disable=protected-access
        _, lowered, _ = GraphExecutorCodegen(mod, target).codegen(mod, mod_name="default")
    return "\n".join(str(m) for m in lowered.values())


def best_name(call_body, target=HOST):
    """The name of the implementation the strategy of call_body's op ranks first for target."""
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(
        relay.Function(relay.analysis.free_vars(call_body), call_body)))
    call = mod["main"].body
    inputs = [te.placeholder([int(d) for d in a.checked_type.shape], a.checked_type.dtype) for a in call.args]
    fstrategy = {"nn.dense": op_strategy.dense_strategy, "nn.batch_matmul": op_strategy.batch_matmul_strategy,
                 "nn.matmul": op_strategy.matmul_strategy}[call.op.name]
    with tvm.target.Target(target):
        return fstrategy(call.attrs, inputs, call.checked_type, tvm.target.Target(target)).best().name


@pytest.mark.parametrize("m,k,n,expect", [
    (128, 768, 768, "dense_pack.x86"), (1, 512, 1000, "dense_nopack.x86"), (7, 97, 33, "dense_pack.x86"),
    (x86_gemm.DENSE_NOPACK_MAX_ROWS, 16, 16, "dense_nopack.x86")])
def test_dense_strategy_pick(m, k, n, expect):
    x, w = relay.var("x", shape=(m, k)), relay.var("w", shape=(n, k))
    assert best_name(relay.nn.dense(x, w)) == expect
    assert best_name(relay.nn.dense(x, w), target="llvm") == expect


def test_strategy_falls_back_for_other_dtypes():
    x, w = relay.var("x", shape=(4, 8), dtype="int32"), relay.var("w", shape=(6, 8), dtype="int32")
    assert best_name(relay.nn.dense(x, w)) == "dense.generic"
    a, b = relay.var("a", shape=(2, 4, 8), dtype="float64"), relay.var("b", shape=(2, 6, 8), dtype="float64")
    assert best_name(relay.nn.batch_matmul(a, b)) == "batch_matmul.generic"


def test_batch_matmul_and_matmul_strategy_pick():
    a, b = relay.var("a", shape=(12, 128, 64)), relay.var("b", shape=(12, 128, 64))
    assert best_name(relay.nn.batch_matmul(a, b)) == "batch_matmul.x86"
    a, b = relay.var("a", shape=(5, 7)), relay.var("b", shape=(7, 3))
    assert best_name(relay.nn.matmul(a, b)) == "matmul_pack.x86"


@pytest.mark.parametrize("m,k,n", [(1, 1, 17), (1, 512, 1000), (3, 13, 5), (13, 97, 33), (64, 64, 48)])
def test_dense_bias_relu(m, k, n):
    """relu(bias_add(dense)) with a constant weight and bias (params bound): one fused kernel."""
    x = relay.var("x", shape=(m, k))
    w, b = rand(n, k), rand(n)
    body = relay.nn.relu(relay.nn.bias_add(relay.nn.dense(x, relay.const(w)), relay.const(b)))
    xd = rand(m, k)
    out, text = build_run(body, {"x": xd})
    check(out, np.maximum(xd.astype("float64") @ w.T + b, 0), k)
    picked = "T_dense_nopack" if m <= x86_gemm.DENSE_NOPACK_MAX_ROWS else "T_dense_pack"
    assert picked in text
    # One kernel: bias_add and relu are computed in the dense kernel's loops (the weight is packed
    # at compile time, nn.contrib_dense_pack, where it has whole vector panels and enough rows).
    assert text.count("@T.prim_func") == 1
    lanes = topi.x86.utils.get_simd_32bit_lanes(tvm.target.Target(HOST))
    prepacked = m > x86_gemm.DENSE_NOPACK_MAX_ROWS and n % lanes == 0
    kernel = "nn_contrib_dense_pack" if prepacked else "nn_dense"
    assert f"def tvmgen_default_fused_{kernel}_nn_bias_add_nn_relu(" in text


def test_dense_params_and_gelu_residual():
    """BERT's FFN shape pattern: dense + bias, gelu's chain, then a residual add, weights as params."""
    m, k, n = 16, 48, 64
    x, r = relay.var("x", shape=(m, k)), relay.var("r", shape=(m, n))
    w, b = relay.var("w", shape=(n, k)), relay.var("b", shape=(n,))
    y = relay.nn.bias_add(relay.nn.dense(x, w), b)
    gelu = y * (relay.erf(y * relay.const(0.7071067811865476)) * relay.const(0.5) + relay.const(0.5))
    body = gelu + r
    wd, bd, xd, rd = rand(n, k), rand(n), rand(m, k), rand(m, n)
    out, text = build_run(body, {"x": xd, "r": rd}, params={"w": wd, "b": bd})
    from math import erf

    yd = xd.astype("float64") @ wd.T + bd
    check(out, yd * (np.vectorize(erf)(yd * 0.7071067811865476) * 0.5 + 0.5) + rd, k)
    assert "def tvmgen_default_fused_nn_contrib_dense_pack_nn_bias_add_" in text


def test_dense_three_dimensional_data_and_reshape():
    """The transformer's (batch, seq, d) dense, reshaped into heads after."""
    x = relay.var("x", shape=(2, 10, 24))
    w = rand(32, 24)
    body = relay.reshape(relay.nn.dense(x, relay.const(w)), (2, 10, 4, 8))
    xd = rand(2, 10, 24)
    out, text = build_run(body, {"x": xd})
    check(out, (xd.astype("float64") @ w.T).reshape(2, 10, 4, 8), 24)
    assert "T_dense_pack" in text


@pytest.mark.parametrize("transpose_a", [False, True])
@pytest.mark.parametrize("transpose_b", [False, True])
@pytest.mark.parametrize("batch_a,batch_b", [(4, 4), (1, 4), (4, 1)])
def test_batch_matmul(transpose_a, transpose_b, batch_a, batch_b):
    m, k, n = 10, 17, 19
    a_shape = (batch_a, k, m) if transpose_a else (batch_a, m, k)
    b_shape = (batch_b, n, k) if transpose_b else (batch_b, k, n)
    a, b = relay.var("a", shape=a_shape), relay.var("b", shape=b_shape)
    body = relay.nn.batch_matmul(a, b, transpose_a=transpose_a, transpose_b=transpose_b) * relay.const(0.125)
    ad, bd = rand(*a_shape), rand(*b_shape)
    out, text = build_run(body, {"a": ad, "b": bd})
    a64 = np.swapaxes(ad, 1, 2) if transpose_a else ad
    b64 = np.swapaxes(bd, 1, 2) if transpose_b else bd
    check(out, np.matmul(a64.astype("float64"), b64) * 0.125, k)
    assert "T_batch_matmul_pack" in text


@pytest.mark.parametrize("transpose_a,transpose_b", [(False, False), (True, True)])
def test_matmul(transpose_a, transpose_b):
    m, k, n = 9, 31, 20
    a_shape = (k, m) if transpose_a else (m, k)
    b_shape = (n, k) if transpose_b else (k, n)
    a, b = relay.var("a", shape=a_shape), relay.var("b", shape=b_shape)
    body = relay.nn.relu(relay.nn.matmul(a, b, transpose_a=transpose_a, transpose_b=transpose_b))
    ad, bd = rand(*a_shape), rand(*b_shape)
    out, text = build_run(body, {"a": ad, "b": bd})
    want = (ad.T if transpose_a else ad).astype("float64") @ (bd.T if transpose_b else bd)
    check(out, np.maximum(want, 0), k)
    assert "T_matmul_pack" in text


def test_generic_target_build_still_works():
    """"llvm" (4-lane SSE tiles) gives the same numbers."""
    x = relay.var("x", shape=(6, 20))
    w = rand(40, 20)
    xd = rand(6, 20)
    out, text = build_run(relay.nn.dense(x, relay.const(w)), {"x": xd}, target="llvm")
    check(out, xd.astype("float64") @ w.T, 20)
    assert "T_dense_pack" in text


# ---------------------------------------------------------------- weights packed at compile time


def _dense_module(m, k, n, weight):
    x = relay.var("x", shape=(m, k))
    body = relay.nn.relu(relay.nn.bias_add(relay.nn.dense(x, weight), relay.const(rand(n))))
    return tvm.IRModule.from_expr(relay.Function(relay.analysis.free_vars(body), body))


def _alter(mod, target=HOST, opt_level=3):
    seq = tvm.transform.Sequential([relay.transform.InferType(), relay.transform.AlterOpLayout(),
                                    relay.transform.FoldConstant()])
    with tvm.transform.PassContext(opt_level=opt_level), tvm.target.Target(target):
        return seq(mod)


def _calls(expr):
    names = []
    relay.analysis.post_order_visit(expr, lambda e: names.append(e.op.name) if isinstance(e, relay.Call) else None)
    return names


def test_contrib_dense_pack_type():
    x = relay.var("x", shape=(2, 5, 24))
    w = relay.var("w", shape=(3, 24, 16))
    mod = relay.transform.InferType()(tvm.IRModule.from_expr(relay.Function([x, w], relay.nn.contrib_dense_pack(
        x, w, "NC16n"))))
    assert mod["main"].body.checked_type == relay.TensorType((2, 5, 48), "float32")
    assert mod["main"].body.attrs.weight_layout == "NC16n"
    bad = relay.Function([x, relay.var("v", shape=(3, 23, 16))],
                         relay.nn.contrib_dense_pack(x, relay.var("v", shape=(3, 23, 16))))
    with pytest.raises(Exception, match=r"\(3, 23, 16\)"):
        relay.transform.InferType()(tvm.IRModule.from_expr(bad))


def test_alter_op_layout_packs_a_constant_weight():
    """dense(x, W) -> contrib_dense_pack(x, layout_transform(W)); FoldConstant leaves a packed constant."""
    m, k, n = 32, 40, 64
    w = rand(n, k)
    after = _alter(_dense_module(m, k, n, relay.const(w)))
    body = after["main"].body
    assert _calls(body) == ["nn.contrib_dense_pack", "nn.bias_add", "nn.relu"]
    dense = body.args[0].args[0]
    layout = str(dense.attrs.weight_layout)
    nr = int(layout[2:-1])
    assert layout == f"NC{nr}n" and n % nr == 0 and nr % 16 == 0
    packed = dense.args[1]
    assert isinstance(packed, relay.Constant)
    np.testing.assert_array_equal(packed.data.numpy(), w.reshape(n // nr, nr, k).transpose(0, 2, 1))


@pytest.mark.parametrize("case", ["variable weight", "few rows", "odd units", "opt_level 2", "int32"])
def test_alter_op_layout_leaves_dense(case):
    m, k, n = {"few rows": (2, 8, 32), "odd units": (8, 8, 33)}.get(case, (8, 8, 32))
    if case == "variable weight":
        weight = relay.var("w", shape=(n, k))
    elif case == "int32":
        x = relay.var("x", shape=(m, k), dtype="int32")
        body = relay.nn.dense(x, relay.const(np.ones((n, k), "int32")))
        after = _alter(tvm.IRModule.from_expr(relay.Function([x], body)))
        assert _calls(after["main"].body) == ["nn.dense"]
        return
    else:
        weight = relay.const(rand(n, k))
    after = _alter(_dense_module(m, k, n, weight), opt_level=2 if case == "opt_level 2" else 3)
    assert _calls(after["main"].body) == ["nn.dense", "nn.bias_add", "nn.relu"]


def test_alter_op_layout_only_on_cpu_targets():
    after = _alter(_dense_module(8, 8, 32, relay.const(rand(32, 8))), target="cuda")
    assert _calls(after["main"].body)[0] == "nn.dense"


@pytest.mark.parametrize("m,k,n", [(128, 64, 96), (13, 97, 48), (7, 1, 16)])
def test_build_packs_the_weight_once(m, k, n):
    """relay.build with the weight a param: the kernel reads a pre-packed weight (no packing stage)
    and the numbers match."""
    x, w, b = relay.var("x", shape=(m, k)), relay.var("w", shape=(n, k)), relay.var("b", shape=(n,))
    body = relay.nn.relu(relay.nn.bias_add(relay.nn.dense(x, w), b))
    wd, bd, xd = rand(n, k), rand(n), rand(m, k)
    out, text = build_run(body, {"x": xd}, params={"w": wd, "b": bd})
    check(out, np.maximum(xd.astype("float64") @ wd.T + bd, 0), k)
    assert "def tvmgen_default_fused_nn_contrib_dense_pack_nn_bias_add_nn_relu(" in text
    assert "T_dense_pack_packed_b" not in text
    assert text.count("@T.prim_func") == 1  # the layout_transform was folded away


def test_alter_op_layout_long_chain():
    """100,000 operators after the dense: the pass walks them without recursion."""
    x = relay.var("x", shape=(8, 16))
    y = relay.nn.dense(x, relay.const(rand(32, 16)))
    for _ in range(100000):
        y = relay.nn.relu(y)
    after = _alter(tvm.IRModule.from_expr(relay.Function([x], y)))
    body, depth = after["main"].body, 0
    while isinstance(body, relay.Call) and body.op.name == "nn.relu":
        body, depth = body.args[0], depth + 1
    assert depth == 100000 and body.op.name == "nn.contrib_dense_pack"


def test_dense_sequence_first_batch_one():
    """(seq, 1, d) data with a constant weight: packed at compile time, rows flattened."""
    x = relay.var("x", shape=(24, 1, 32))
    w, b = rand(48, 32), rand(48)
    body = relay.nn.relu(relay.nn.bias_add(relay.nn.dense(x, relay.const(w)), relay.const(b), axis=-1))
    xd = rand(24, 1, 32)
    out, text = build_run(body, {"x": xd})
    check(out, np.maximum(xd.astype("float64") @ w.T + b, 0), 32)
    assert "nn_contrib_dense_pack" in text
