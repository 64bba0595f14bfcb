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


def test_weight_layout_transform_oihw_to_oihw16i16o():
    w = _v("w", (64, 64, 3, 3))
    prim = _lower([w], relay.layout_transform(w, "OIHW", "OIHW16i16o"), HASWELL)
    # (4, 4, 3, 3, 16) rows of 16 output channels: two 8-lane vectors a row.
    assert _loops(prim) == [("ax0_ax1_fused_ax2_fused_ax3_fused_ax4_fused", 2304, PARALLEL), ("ax5_outer", 2, SERIAL)]


def test_blocked_to_plain_layout_transform_short_rows_take_the_generic_schedule():
    x = _v("x", (1, 32, 7, 7, 16))
    prim = _lower([x], relay.layout_transform(x, "NCHW16c", "NCHW"), HASWELL)
    # Rows of 7 hold no whole vector: everything fused, cut into 8-lane vectors.
    assert _loops(prim) == [("ax0_ax1_fused_ax2_fused_ax3_fused_outer", 3136, PARALLEL)]


def test_symbolic_reshape_inside_a_fused_kernel_reads_the_input_extent():
    x = _v("x", (relay.Any(), 8, 4))
    body = relay.exp(relay.reshape(relay.add(x, relay.const(1.0)), (-1, 4, 8)))
    prim = _lower([x], body, HASWELL)
    assert _loops(prim)[0][0::2] == ("ax0_ax1_ax2_fused_outer_fused", PARALLEL)


TRANSFORMS = {
    "bias_add": (lambda x: relay.nn.bias_add(x, relay.const(np.arange(8, dtype="float32"))),
                 lambda a: a + np.arange(8, dtype="float32").reshape(8, 1, 1)),
    "relu": (relay.nn.relu, lambda a: np.maximum(a, 0)),
    "leaky_relu": (lambda x: relay.nn.leaky_relu(x, 0.2), lambda a: np.where(a > 0, a, 0.2 * a)),
    "clip": (lambda x: relay.clip(x, -0.5, 0.7), lambda a: np.clip(a, -0.5, 0.7)),
    "reshape": (lambda x: relay.reshape(x, (2, -1, 6)), lambda a: a.reshape(2, -1, 6)),
    "transpose": (lambda x: relay.transpose(x, (0, 3, 1, 2)), lambda a: a.transpose(0, 3, 1, 2)),
    "batch_flatten": (relay.nn.batch_flatten, lambda a: a.reshape(a.shape[0], -1)),
    "layout_transform": (lambda x: relay.layout_transform(x, "NCHW", "NCHW4c"),
                         lambda a: a.reshape(2, 2, 4, 5, 6).transpose(0, 1, 3, 4, 2)),
    "strided_slice": (lambda x: relay.strided_slice(x, [0, 1, 0, 5], [2, 7, 5, 0], [1, 2, 1, -2]),
                      lambda a: a[0:2, 1:7:2, 0:5, 5:0:-2]),
    "pad": (lambda x: relay.nn.pad(x, ((0, 0), (0, 0), (1, 2), (2, 1)), pad_value=relay.const(-3.0)),
            lambda a: np.pad(a, ((0, 0), (0, 0), (1, 2), (2, 1)), constant_values=-3.0)),
    "pad_reflect": (lambda x: relay.nn.pad(x, ((0, 0), (0, 0), (1, 2), (2, 1)), pad_mode="reflect"),
                    lambda a: np.pad(a, ((0, 0), (0, 0), (1, 2), (2, 1)), mode="reflect")),
    "squeeze_expand": (lambda x: relay.squeeze(relay.expand_dims(x, 1, 2), [1]),
                       lambda a: a.reshape(2, 1, 8, 5, 6)),
    "reverse": (lambda x: relay.reverse(x, 2), lambda a: a[:, :, ::-1]),
    "concatenate": (lambda x: relay.concatenate([x, relay.negative(x)], 1), lambda a: np.concatenate([a, -a], 1)),
    "where": (lambda x: relay.where(relay.greater(x, relay.const(0.0)), x, relay.zeros_like(x)),
              lambda a: np.where(a > 0, a, 0)),
    "cast": (lambda x: relay.cast(relay.cast(x, "int32"), "float32"), lambda a: a.astype("int32").astype("float32")),
    "ones_like": (lambda x: relay.add(x, relay.ones_like(x)), lambda a: a + 1),
    "full": (lambda x: relay.add(x, relay.full(relay.const(2.5), (2, 8, 5, 6), "float32")), lambda a: a + 2.5),
}


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_transform_and_nn_numbers(name):
    a = (np.random.default_rng(3).standard_normal((2, 8, 5, 6)) * 3).astype("float32")
    make, ref = TRANSFORMS[name]
    x = _v("x", a.shape)
    out = _run(relay.Function([x], make(x)), [a])
    np.testing.assert_allclose(out, ref(a), rtol=1e-6, atol=1e-6)


def _row_parts(tasks, out_h):
    parts, threads = 1, max(1, int(tvm.runtime.num_threads()))
    while tasks * parts < 4 * threads and parts * 2 <= out_h:
        parts *= 2
    return parts


def test_blocked_max_pool_rows_in_parallel_window_unrolled_in_vectors():
    x = _v("x", (1, 4, 112, 112, 16))
    prim = _lower([x], relay.nn.max_pool2d(x, (3, 3), (2, 2), padding=(1, 1), layout="NCHW16c"), HASWELL)
    parts = _row_parts(4, 56)
    loops = _loops(prim)
    # Tasks of (batch, channel block, row group), each padding the input rows it reads, then
    # rows x columns x two 8-lane halves of the 16-channel block (the 3x3 window unrolled).
    assert loops[0] == ("ax0_ax1_fused_ax2_outer_fused", 4 * parts, PARALLEL)
    assert [l[0] for l in loops[1:]] == ["ax2", "ax3", "ax2_inner", "ax3", "ax4_outer"]
    assert loops[-1][1:] == (2, SERIAL) and loops[-3][1] == 56 // parts


def test_blocked_avg_pool_sums_in_a_register_avx512():
    x = _v("x", (1, 8, 28, 28, 8))
    prim = _lower([x], relay.nn.avg_pool2d(x, (2, 2), (2, 2), layout="NCHW8c"), AVX512)
    parts = _row_parts(8, 14)
    assert _loops(prim) == [("ax0_ax1_fused_ax2_outer_fused", 8 * parts, PARALLEL),
                            ("ax2_inner", 14 // parts, SERIAL), ("ax3", 14, SERIAL)]


def test_adaptive_and_global_pools_take_the_default_nn_schedule():
    x = _v("x", (1, 32, 7, 7, 16))
    prim = _lower([x], relay.nn.adaptive_avg_pool2d(x, (1, 1), layout="NCHW16c"), HASWELL)
    assert _loops(prim) == [("ax0_ax1_fused", 32, PARALLEL), ("rv0", 7, SERIAL), ("rv1", 7, SERIAL),
                            ("ax0_ax1_fused", 32, PARALLEL), ("ax4", 16, SERIAL)]
    y = _v("y", (1, 512, 7, 7))
    prim = _lower([y], relay.nn.global_avg_pool2d(y), HASWELL)
    assert _loops(prim)[0] == ("ax0_ax1_fused", 512, PARALLEL)


def test_plain_layout_pool_on_cpu_takes_the_default_nn_schedule():
    x = _v("x", (1, 64, 112, 112))
    prim = _lower([x], relay.nn.max_pool2d(x, (3, 3), (2, 2), padding=(1, 1)), HASWELL)
    loops = _loops(prim)
    assert loops[0] == ("ax0_ax1_fused", 64, PARALLEL)


def _np_pool(a, k, s, pad, kind, include_pad=False):
    n, c, h, w = a.shape
    fill = -np.inf if kind == "max" else 0.0
    p = np.pad(a, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=fill)
    ones = np.pad(np.ones((h, w)), ((pad, pad), (pad, pad)))
    oh, ow = (h + 2 * pad - k) // s + 1, (w + 2 * pad - k) // s + 1
    out = np.empty((n, c, oh, ow), "float32")
    for i in range(oh):
        for j in range(ow):
            win = p[:, :, i * s:i * s + k, j * s:j * s + k]
            if kind == "max":
                out[:, :, i, j] = win.max((2, 3))
            else:
                count = k * k if include_pad else ones[i * s:i * s + k, j * s:j * s + k].sum()
                out[:, :, i, j] = win.sum((2, 3)) / count
    return out


def _to_nchwc(a, block):
    n, c, h, w = a.shape
    return np.ascontiguousarray(a.reshape(n, c // block, block, h, w).transpose(0, 1, 3, 4, 2))


@pytest.mark.parametrize("layout", ["NCHW", "NCHW16c", "NCHW8c"])
@pytest.mark.parametrize("kind,include_pad", [("max", False), ("avg", False), ("avg", True)])
def test_pool_numbers(layout, kind, include_pad):
    a = np.random.default_rng(4).standard_normal((1, 32, 15, 15)).astype("float32")
    ref = _np_pool(a, 3, 2, 1, kind, include_pad)
    block = int(layout[4:-1]) if len(layout) > 4 else 0
    data = _to_nchwc(a, block) if block else a
    x = _v("x", data.shape)
    if kind == "max":
        y = relay.nn.max_pool2d(x, (3, 3), (2, 2), padding=(1, 1), layout=layout)
    else:
        y = relay.nn.avg_pool2d(x, (3, 3), (2, 2), padding=(1, 1), layout=layout, count_include_pad=include_pad)
    out = _run(relay.Function([x], relay.nn.relu(y)), [data], HASWELL if _host_has("avx2") else "llvm")
    np.testing.assert_allclose(out, _to_nchwc(np.maximum(ref, 0), block) if block else np.maximum(ref, 0),
                               rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("layout", ["NCHW", "NCHW16c"])
def test_adaptive_and_global_pool_numbers(layout):
    a = np.random.default_rng(5).standard_normal((1, 32, 7, 7)).astype("float32")
    block = 16 if layout != "NCHW" else 0
    data = _to_nchwc(a, block) if block else a
    x = _v("x", data.shape)
    for make, ref in [(lambda t: relay.nn.adaptive_avg_pool2d(t, (1, 1), layout=layout), a.mean((2, 3), keepdims=True)),
                      (lambda t: relay.nn.global_max_pool2d(t, layout=layout), a.max((2, 3), keepdims=True))]:
        out = _run(relay.Function([x], make(x)), [data])
        np.testing.assert_allclose(out, _to_nchwc(ref, block) if block else ref, rtol=1e-6, atol=1e-6)


def _host_has(feature):
    get = getattr(tvm.target.codegen, "llvm_get_system_features", None)
    return get is not None and f"+{feature}" in set(get())


def _classifier(rows=1, k=512, n=1000):
    x, w, b = _v("x", (rows, k)), _v("w", (n, k)), _v("b", (n,))
    return [x, w, b], relay.nn.bias_add(relay.nn.dense(x, w), b)


@pytest.mark.parametrize("target,lanes", [(HASWELL, 8), (AVX512, 16)])
def test_classifier_dense_nopack_loop_nest(target, lanes):
    prim = _lower(*_classifier(), target)
    # Blocks of 8 output columns in parallel; per column, lanes partial sums over k / lanes steps
    # (vectorised), then the lanes added and the bias with them.
    assert _loops(prim) == [("ax1_outer", 125, PARALLEL), ("ko", 512 // lanes, SERIAL), ("i1", 8, SERIAL),
                            ("lane", lanes, SERIAL), ("ax1_inner", 8, SERIAL)]


class _CppDenseStrategy:
    """Swap the C++ nn.dense strategy in for Python's (which wins in a Python process)."""

    def __enter__(self):
        self.op = tvm.ir.Op.get("nn.dense")
        self.python = self.op.get_attr("FTVMStrategy")
        self.op.reset_attr("FTVMStrategy")
        self.op.set_attr("FTVMStrategy", tvm.get_global_func("relay.op.strategy.dense_cpp"), 10)
        return self

    def __exit__(self, *args):
        self.op.reset_attr("FTVMStrategy")
        self.op.set_attr("FTVMStrategy", self.python, 10)


@pytest.mark.parametrize("target", ["llvm", HASWELL, AVX512, "cuda"])
@pytest.mark.parametrize("rows,k,n", [(1, 512, 1000), (1, 2048, 1000), (4, 64, 10), (1, 100, 7)])
def test_cpp_dense_strategy_lowers_as_pythons_for_few_rows(target, rows, k, n):
    params, body = _classifier(rows, k, n)
    python = _lower(params, body, target)
    with _CppDenseStrategy():
        cpp = _lower(*_classifier(rows, k, n), target)
    assert str(python) == str(cpp)


def test_cpp_dense_strategy_offers_pythons_implementations():
    """dense.generic, dense_pack.x86 (15) for float32 with a static weight, dense_nopack.x86 (20)
    for a few rows; the generic one only off "cpu" targets and for a symbolic weight."""
    strategy = tvm.get_global_func("relay.op.strategy.dense_cpp")
    many = strategy(None, [te.placeholder((8, 64)), te.placeholder((16, 64))], relay.TensorType((8, 16)),
                    tvm.target.Target(HASWELL))
    assert [(i.name, i.plevel) for i in many.implementations] == [("dense.generic", 10), ("dense_pack.x86", 15)]
    small = strategy(None, [te.placeholder((1, 64)), te.placeholder((16, 64))], relay.TensorType((1, 16)),
                     tvm.target.Target(HASWELL))
    assert [(i.name, i.plevel) for i in small.implementations] == [("dense.generic", 10), ("dense_pack.x86", 15),
                                                                   ("dense_nopack.x86", 20)]
    rows = te.var("n", "int64")
    symbolic = strategy(None, [te.placeholder((rows, 64)), te.placeholder((16, 64))],
                        relay.TensorType((relay.Any(), 16)), tvm.target.Target(HASWELL))
    assert [i.name for i in symbolic.implementations] == ["dense.generic", "dense_pack.x86"]
    weight = strategy(None, [te.placeholder((8, 64)), te.placeholder((te.var("m"), 64))],
                      relay.TensorType((8, relay.Any())), tvm.target.Target(HASWELL))
    assert [i.name for i in weight.implementations] == ["dense.generic"]
    gpu = strategy(None, [te.placeholder((1, 64)), te.placeholder((16, 64))], relay.TensorType((1, 16)),
                   tvm.target.Target("cuda"))
    assert [i.name for i in gpu.implementations] == ["dense.generic"]


@pytest.mark.parametrize("target", ["llvm", HASWELL, AVX512])
@pytest.mark.parametrize("shape,n", [((128, 64), 192), ((16, 1, 64), 128), ((2, 16, 64), 64), ((13, 100), 40)])
def test_cpp_dense_strategy_lowers_as_pythons_for_many_rows(target, shape, n):
    def make():
        x, w, b = _v("x", shape), _v("w", (n, shape[-1])), _v("b", (n,))
        return [x, w, b], relay.nn.relu(relay.nn.bias_add(relay.nn.dense(x, w), b, axis=-1))

    python = _lower(*make(), target)
    with _CppDenseStrategy():
        cpp = _lower(*make(), target)
    assert str(python) == str(cpp) and "T_dense_pack" in str(cpp)


def _prepacked_dense(rows, n, k, nr):
    x, w = _v("x", (rows, k)), _v("w", (n // nr, k, nr))
    return [x, w], relay.nn.relu(relay.nn.contrib_dense_pack(x, w, f"NC{nr}n", n))


@pytest.mark.parametrize("target,nr", [("llvm", 16), (HASWELL, 32), (AVX512, 64), (AVX512, 96)])
def test_cpp_dense_pack_strategy_lowers_as_pythons(target, nr):
    python = _lower(*_prepacked_dense(24, 192, 200, nr), target)
    with _CppStrategy("nn.contrib_dense_pack", "relay.op.strategy.dense_pack_cpp"):
        cpp = _lower(*_prepacked_dense(24, 192, 200, nr), target)
    assert str(python) == str(cpp)


def _alter(shape, n, const_weight=True, target=HASWELL):
    x = _v("x", shape)
    w = relay.const(np.zeros((n, shape[-1]), "float32")) if const_weight else _v("w", (n, shape[-1]))
    mod = tvm.IRModule.from_expr(relay.Function([x] if const_weight else [x, w], relay.nn.dense(x, w)))
    with tvm.target.Target(target), tvm.transform.PassContext(opt_level=3):
        mod = relay.transform.InferType()(mod)
        mod = relay.transform.AlterOpLayout()(mod)
    return mod["main"].body


def test_cpp_dense_alteration_packs_a_constant_weight():
    """nn.dense's FTVMAlterOpLayout (C++, which Python's "cpu" dense_alter_layout calls): a constant
    weight of a dense of more than 4 rows becomes nn.contrib_dense_pack of its panels."""
    from tvm.topi.x86 import gemm  # pylint: disable=import-outside-toplevel

    with tvm.target.Target(HASWELL):
        layout = f"NC{gemm.panel_width(128, 192, 64)}n"
    assert layout == "NC24n"  # 4 x 24 tiles (3 vectors of 8) divide 128 x 192
    body = _alter((128, 64), 192)
    assert body.op.name == "nn.contrib_dense_pack" and body.attrs.weight_layout == layout
    assert body.args[1].op.name == "layout_transform" and body.args[1].attrs.dst_layout == layout
    assert _alter((128, 64), 192, target=AVX512).attrs.weight_layout == "NC96n"  # 4 x 96 (6 vectors of 16)
    assert _alter((relay.Any(), 64), 192).op.name == "nn.contrib_dense_pack"  # symbolic rows
    for kept in [_alter((4, 64), 192), _alter((128, 64), 192, const_weight=False), _alter((128, 64), 100),
                 _alter((128, 64), 192, target="cuda")]:
        assert kept.op.name == "nn.dense"
    # The C++ registration (plevel 5, what a process without Python uses) alters the same way.
    attrs = relay.nn.dense(relay.var("a"), relay.var("b")).attrs
    w = relay.const(np.zeros((192, 64), "float32"))
    with tvm.target.Target(HASWELL):
        cpp = tvm.get_global_func("relay.op.x86.dense_alter_layout")(
            attrs, [relay.var("x", shape=(128, 64)), w], [te.placeholder((128, 64)), te.placeholder((192, 64))],
            relay.TensorType((128, 192)))
    assert cpp.op.name == "nn.contrib_dense_pack" and cpp.attrs.weight_layout == layout


@pytest.mark.parametrize("rows,k,n", [(1, 512, 1000), (3, 100, 7), (2, 30, 33)])
def test_dense_nopack_numbers(rows, k, n):
    rng = np.random.default_rng(6)
    a = rng.standard_normal((rows, k)).astype("float32")
    w = rng.standard_normal((n, k)).astype("float32")
    b = rng.standard_normal((n,)).astype("float32")
    params, body = _classifier(rows, k, n)
    ref = np.maximum(a.astype("float64") @ w.T.astype("float64") + b, 0)
    for swap in (False, True):
        if swap:
            with _CppDenseStrategy():
                out = _run(relay.Function(params, relay.nn.relu(body)), [a, w, b])
        else:
            out = _run(relay.Function(params, relay.nn.relu(body)), [a, w, b])
        np.testing.assert_allclose(out, ref, rtol=2e-5, atol=2e-5)


def test_python_dense_nopack_is_the_cpp_one():
    x, w = te.placeholder((1, 64), name="x"), te.placeholder((10, 64), name="w")
    with tvm.target.Target(HASWELL):
        y = topi.x86.dense_nopack(x, w)
        s = topi.x86.schedule_dense_nopack([y])
    text = str(tvm.lower(s, [x, w, y], simple_mode=True))
    assert "T_dense_nopack_lanes" in text and y.op.tag == "dense_nopack"
    with pytest.raises(tvm.error.TVMError, match="disagree on the reduction length"):
        topi.x86.dense_nopack(x, te.placeholder((10, 63), name="w2"))


class _CppStrategy:
    """Swap the C++ strategy of `op_name` in for Python's (which wins in a Python process)."""

    def __init__(self, op_name, global_name):
        self.op_name, self.global_name = op_name, global_name

    def __enter__(self):
        self.op = tvm.ir.Op.get(self.op_name)
        self.python = self.op.get_attr("FTVMStrategy")
        self.op.reset_attr("FTVMStrategy")
        self.op.set_attr("FTVMStrategy", tvm.get_global_func(self.global_name), 10)
        return self

    def __exit__(self, *args):
        self.op.reset_attr("FTVMStrategy")
        self.op.set_attr("FTVMStrategy", self.python, 10)


@pytest.mark.parametrize("target", ["llvm", HASWELL, AVX512, "cuda"])
@pytest.mark.parametrize("shape,axis,fuse_cast", [((1, 1000), -1, False), ((8, 96, 96), -1, False), ((5, 33), 1, True),
                                                  ((1000,), 0, False), ((4, 24), 0, False)])
def test_cpp_softmax_strategy_lowers_as_pythons(target, shape, axis, fuse_cast):
    def make():
        x = _v("x", shape)
        y = relay.nn.softmax(x, axis=axis)
        return [x], relay.cast(y, "float16") if fuse_cast else y

    python = _lower(*make(), target)
    with _CppStrategy("nn.softmax", "relay.op.strategy.softmax_cpp"):
        cpp = _lower(*make(), target)
    assert str(python) == str(cpp)


def test_softmax_x86_loop_nest():
    x = _v("x", (4, 1000))
    prim = _lower([x], relay.nn.softmax(x), HASWELL)
    # Rows in parallel; per row: 125 blocks of 8 running maxima, the 8 lanes reduced, exp into
    # a row buffer of 125 vectors, 125 blocks of partial sums, the lanes summed, the normalised row.
    assert _loops(prim) == [("i0", 4, PARALLEL), ("b", 125, SERIAL), ("lm", 8, SERIAL), ("ax1_outer", 125, SERIAL),
                            ("b2", 125, SERIAL), ("ls", 8, SERIAL), ("i1_outer", 125, SERIAL)]


@pytest.mark.parametrize("shape", [(2, 1000), (3, 33), (7,)])
def test_softmax_numbers_with_the_cpp_strategy(shape):
    a = (np.random.default_rng(7).standard_normal(shape) * 4).astype("float32")
    x = _v("x", shape)
    with _CppStrategy("nn.softmax", "relay.op.strategy.softmax_cpp"):
        out = _run(relay.Function([x], relay.nn.softmax(x)), [a])
    e = np.exp(a.astype("float64") - a.max(-1, keepdims=True))
    np.testing.assert_allclose(out, e / e.sum(-1, keepdims=True), rtol=2e-6, atol=1e-7)


# ---------------------------------------------------------------- reductions (C++ computes, x86 schedule)


def test_mean_rows_parallel_vector_partials():
    """layer_norm's mean over 64 on AVX2: the 16 rows in parallel, 8 partial sums in a vector."""
    x = _v("x", (16, 64))
    prim = _lower([x], relay.mean(x, axis=[1], keepdims=True), HASWELL)
    assert _loops(prim) == [("ax0_ax1_fused", 16, PARALLEL), ("k1_outer", 8, SERIAL), ("k1_inner_v", 8, SERIAL)]


def test_variance_and_sum_epilogue_vector_partials():
    x, m = _v("x", (16, 64)), _v("m", (16, 1))
    prim = _lower([x, m], relay.variance(x, axis=[1], keepdims=True, with_mean=m), HASWELL)
    assert _loops(prim)[0] == ("ax0_ax1_fused", 16, PARALLEL) and ("k1_inner_v", 8, SERIAL) in _loops(prim)
    prim = _lower([x], relay.sqrt(relay.sum(x, axis=[1])), AVX512)
    assert _loops(prim) == [("ax0", 16, PARALLEL), ("k1_outer", 4, SERIAL), ("k1_inner_v", 16, SERIAL)]


def test_argmax_takes_the_generic_reduction_schedule():
    x = _v("x", (16, 64))
    assert _loops(_lower([x], relay.argmax(x, axis=[1]), AVX512)) == [("ax0", 16, SERIAL), ("k1", 64, SERIAL)]


@pytest.mark.parametrize("name", ["sum", "mean", "max", "min", "prod", "argmax", "argmin", "variance"])
@pytest.mark.parametrize("axis,keepdims,exclude", [([1], False, False), ([0, 2], True, False), ([1], False, True),
                                                    (None, False, False)])
def test_reduce_numbers(name, axis, keepdims, exclude):
    a = np.random.default_rng(3).uniform(0.5, 1.5, (3, 35, 4)).astype("float32")
    x = _v("x", a.shape)
    axes = tuple(range(3)) if axis is None else tuple(axis)
    if exclude:
        axes = tuple(i for i in range(3) if i not in axes)
    if name == "variance":
        out = _run(relay.Function([x], relay.variance(x, axis, keepdims, exclude)), [a])
        want = a.astype("float64").var(axis=axes, keepdims=keepdims)
    elif name in ("argmax", "argmin"):
        if len(axes) != 1:
            pytest.skip("numpy's argmax takes one axis")
        out = _run(relay.Function([x], getattr(relay, name)(x, axis, keepdims, exclude)), [a])
        want = getattr(np, name)(a, axis=axes[0])
        want = np.expand_dims(want, axes[0]) if keepdims else want
    else:
        out = _run(relay.Function([x], getattr(relay, name)(x, axis, keepdims, exclude)), [a])
        want = getattr(np, {"min": "amin", "max": "amax"}.get(name, name))(a.astype("float64"), axis=axes,
                                                                          keepdims=keepdims)
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-6)
    assert out.shape == np.shape(want)


# ---------------------------------------------------------------- the packed GEMM (batch_matmul, matmul)


def _attention_scores(batch, rows, cols, depth, ta=False, tb=True, symbolic=False):
    b = relay.Any() if symbolic else batch
    q = _v("q", (b, depth, rows) if ta else (b, rows, depth))
    k = _v("k", (b, cols, depth) if tb else (b, depth, cols))
    return [q, k], relay.multiply(relay.nn.batch_matmul(q, k, transpose_a=ta, transpose_b=tb), relay.const(0.125))


@pytest.mark.parametrize("target", ["llvm", HASWELL, AVX512, "cuda"])
@pytest.mark.parametrize("batch,rows,cols,depth,ta,tb", [(12, 128, 128, 64, False, True), (4, 16, 16, 16, False, False),
                                                         (3, 13, 40, 100, True, True), (1, 7, 24, 97, False, True)])
def test_cpp_batch_matmul_strategy_lowers_as_pythons(target, batch, rows, cols, depth, ta, tb):
    python = _lower(*_attention_scores(batch, rows, cols, depth, ta, tb), target)
    with _CppStrategy("nn.batch_matmul", "relay.op.strategy.batch_matmul_cpp"):
        cpp = _lower(*_attention_scores(batch, rows, cols, depth, ta, tb), target)
    assert str(python) == str(cpp)


def test_cpp_gemm_strategies_offer_pythons_implementations():
    target = tvm.target.Target(HASWELL)
    bmm = tvm.get_global_func("relay.op.strategy.batch_matmul_cpp")(
        relay.op.nn.nn._make.batch_matmul(relay.var("a"), relay.var("b"), "", False, True).attrs,
        [te.placeholder((2, 8, 16)), te.placeholder((2, 4, 16))], relay.TensorType((2, 8, 4)), target)
    assert [(i.name, i.plevel) for i in bmm.implementations] == [("batch_matmul.generic", 10), ("batch_matmul.x86", 15)]
    # An int8 call Python's strategy gives batch_matmul_int8.x86 (registered from Python only) is an
    # error naming it, not another kernel; one it does not (transpose_b false) keeps the generic one.
    int8_args = [te.placeholder((2, 8, 16), "int8"), te.placeholder((2, 4, 16), "int8")]
    with pytest.raises(NotImplementedError, match="batch_matmul_int8.x86, which is registered from Python"):
        tvm.get_global_func("relay.op.strategy.batch_matmul_cpp")(
            relay.op.nn.nn._make.batch_matmul(relay.var("a"), relay.var("b"), "int32", False, True).attrs, int8_args,
            relay.TensorType((2, 8, 4), "int32"), target)
    i8 = tvm.get_global_func("relay.op.strategy.batch_matmul_cpp")(
        relay.op.nn.nn._make.batch_matmul(relay.var("a"), relay.var("b"), "int32", False, False).attrs,
        [te.placeholder((2, 8, 16), "int8"), te.placeholder((2, 16, 4), "int8")], relay.TensorType((2, 8, 4), "int32"),
        target)
    assert [i.name for i in i8.implementations] == ["batch_matmul.generic"]
    with pytest.raises(NotImplementedError, match="dense_int8.x86"):
        tvm.get_global_func("relay.op.strategy.dense_cpp")(
            None, [te.placeholder((8, 64), "uint8"), te.placeholder((16, 64), "int8")],
            relay.TensorType((8, 16), "int32"), target)
    mm_attrs = relay.nn.matmul(relay.var("a"), relay.var("b")).attrs
    mm = tvm.get_global_func("relay.op.strategy.matmul_cpp")(
        mm_attrs, [te.placeholder((8, 16)), te.placeholder((16, 4))], relay.TensorType((8, 4)), target)
    assert [(i.name, i.plevel) for i in mm.implementations] == [("matmul.generic", 10), ("matmul_pack.x86", 15)]
    sym = tvm.get_global_func("relay.op.strategy.matmul_cpp")(
        mm_attrs, [te.placeholder((8, 16)), te.placeholder((16, te.var("n")))], relay.TensorType((8, 4)), target)
    assert [i.name for i in sym.implementations] == ["matmul.generic"]


@pytest.mark.parametrize("symbolic", [False, True])
def test_batch_matmul_numbers_with_the_cpp_strategy(symbolic):
    rng = np.random.default_rng(7)
    q = rng.standard_normal((4, 24, 20)).astype("float32")
    k = rng.standard_normal((4, 36, 20)).astype("float32")
    params, body = _attention_scores(4, 24, 36, 20, symbolic=symbolic)
    want = np.einsum("bik,bjk->bij", q.astype("float64"), k.astype("float64")) * 0.125
    with _CppStrategy("nn.batch_matmul", "relay.op.strategy.batch_matmul_cpp"):
        if symbolic:
            mod = tvm.IRModule.from_expr(relay.Function(params, body))
            with tvm.transform.PassContext(opt_level=3):
                exe = relay.vm.compile(mod, target=HASWELL if _host_has("avx2") else "llvm")
            out = tvm.runtime.vm.VirtualMachine(exe, tvm.cpu()).invoke("main", q, k).numpy()
        else:
            out = _run(relay.Function(params, body), [q, k])
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)


def test_cpp_matmul_strategy_lowers_as_pythons():
    def make():
        a, b = _v("a", (48, 20)), _v("b", (48, 32))  # (transpose_b alone would make nn.dense)
        return [a, b], relay.nn.relu(relay.nn.matmul(a, b, transpose_a=True))

    python = _lower(*make(), HASWELL)
    with _CppStrategy("nn.matmul", "relay.op.strategy.matmul_cpp"):
        cpp = _lower(*make(), HASWELL)
    assert str(python) == str(cpp) and "T_matmul_pack" in str(cpp)


@pytest.mark.parametrize("axis,center,scale", [(-1, True, True), (1, False, False), (0, True, False)])
def test_layer_norm_cpp_compute_numbers(axis, center, scale):
    """nn.layer_norm's own compute (C++; relay.build's SimplifyInference expands the op instead)."""
    rng = np.random.default_rng(8)
    a = rng.standard_normal((4, 6, 32)).astype("float32")
    n = a.shape[axis]
    g, b = rng.standard_normal(n).astype("float32"), rng.standard_normal(n).astype("float32")
    x, gv, bv = _v("x", a.shape), _v("g", (n,)), _v("b", (n,))
    func = relay.Function([x, gv, bv], relay.nn.layer_norm(x, gv, bv, axis=axis, center=center, scale=scale))
    assert "T_layer_norm" in str(_lower(func.params, func.body, HASWELL))
    out = relay.create_executor("debug", mod=tvm.IRModule.from_expr(func), target="llvm").evaluate()(a, g, b).numpy()
    d = a.astype("float64")
    mean, var = d.mean(axis=axis, keepdims=True), d.var(axis=axis, keepdims=True)
    shape = [1] * 3
    shape[axis] = n
    want = (d - mean) / np.sqrt(var + 1e-5) * (g.reshape(shape) if scale else 1) + (b.reshape(shape) if center else 0)
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)
