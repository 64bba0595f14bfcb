# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.transform.DynamicToStatic: dyn.* calls whose shape arguments fold to constants become
the static operators. Each case compares the result with the expected static graph (structural
equality) and, where it runs, the values with numpy through the graph executor."""
import time

import numpy as np
import pytest

import tvm
import tvm.testing
from tvm import relay
from tvm.relay import transform
from tvm.relay.build_module import bind_params_by_name


def dts(func, params=None):
    mod = tvm.IRModule.from_expr(func)
    if params:
        mod["main"] = bind_params_by_name(mod["main"], params)
    return transform.DynamicToStatic()(mod)


def typed(func):
    return transform.InferType()(tvm.IRModule.from_expr(func))


def assert_becomes(before, expected, params=None):
    """DynamicToStatic of before (params bound first) is structurally the expected function
    (whose parameters bound in before are dropped likewise)."""
    after = dts(before, params)
    if params:
        expected = bind_params_by_name(expected, params)
    expected = typed(expected)
    assert tvm.ir.structural_equal(after["main"], expected["main"], map_free_vars=True), \
        f"got\n{after['main']}\nexpected\n{expected['main']}"
    return after


def graph_run(mod, *args):
    lib = relay.build(mod, target="llvm")
    m = tvm.contrib.graph_executor.GraphModule(lib["default"](tvm.cpu()))
    for i, a in enumerate(args):
        m.set_input(i, a)
    m.run()
    return [m.get_output(i).numpy() for i in range(m.get_num_outputs())]


def test_reshape_from_shape_of():
    x, y = relay.var("x", shape=(2, 3, 4)), relay.var("y", shape=(8, 3))
    after = assert_becomes(relay.Function([x, y], relay.reshape(x, relay.shape_of(y))),
                           relay.Function([x, y], relay.reshape(x, [8, 3])))
    assert after["main"].ret_type == relay.TensorType((8, 3), "float32")
    data = np.random.uniform(size=(2, 3, 4)).astype("float32")
    np.testing.assert_array_equal(graph_run(after, data, np.zeros((8, 3), "float32"))[0], data.reshape(8, 3))


def test_chain_reaches_a_fixed_point():
    """Each reshape's shape is the shape of an earlier dynamic one: later rounds see them static."""
    x, y = relay.var("x", shape=(2, 3, 4)), relay.var("y", shape=(4, 6))
    z1 = relay.reshape(x, relay.shape_of(y))
    z2 = relay.reshape(z1, relay.shape_of(x))
    z3 = relay.reshape(z2, relay.shape_of(z1))
    z4 = relay.tile(z3, relay.shape_of(relay.strided_slice(relay.shape_of(z2), relay.const([1]), relay.shape_of(z1))))
    e1 = relay.reshape(x, [4, 6])
    e2 = relay.reshape(e1, [2, 3, 4])
    e3 = relay.reshape(e2, [4, 6])
    expected = relay.tile(e3, [2])
    after = assert_becomes(relay.Function([x, y], z4), relay.Function([x, y], expected))
    data = np.random.uniform(size=(2, 3, 4)).astype("float32")
    np.testing.assert_array_equal(graph_run(after, data, np.zeros((4, 6), "float32"))[0],
                                  np.tile(data.reshape(4, 6), 2))


def test_shape_arithmetic_folds_first():
    """newshape = concat(shape_of(y)[0:1], [-1]) is constant once FoldConstant evaluates it."""
    x, y = relay.var("x", shape=(6, 4)), relay.var("y", shape=(3, 5))
    first = relay.strided_slice(relay.shape_of(y, "int64"), [0], [1])
    newshape = relay.concatenate([first, relay.const([-1], "int64")], 0)
    assert_becomes(relay.Function([x, y], relay.reshape(x, newshape)), relay.Function([x, y], relay.reshape(x, [3, -1])))


def test_runtime_shapes_stay_dynamic():
    x, s = relay.var("x", shape=(2, 3)), relay.var("s", shape=(2,), dtype="int64")
    func = relay.Function([x, s], relay.reshape(x, s))
    after = dts(func)
    assert tvm.ir.structural_equal(after["main"], typed(func)["main"])
    assert after["main"].body.op.name == "dyn.reshape"


def _params(**values):
    return {k: np.array(v) for k, v in values.items()}


def test_each_operator_becomes_static():
    x = relay.var("x", shape=(1, 3, 4, 1))
    a = relay.var("a", shape=(2,), dtype="int64")
    assert_becomes(relay.Function([x, a], relay.squeeze(x, a)), relay.Function([x, a], relay.squeeze(x, [0, 3])),
                   _params(a=np.array([0, 3], "int64")))
    ax = relay.var("ax", shape=(), dtype="int32")
    assert_becomes(relay.Function([x, ax], relay.expand_dims(x, ax, 2)),
                   relay.Function([x, ax], relay.expand_dims(x, -1, 2)), _params(ax=np.array(-1, "int32")))
    r = relay.var("r", shape=(2,), dtype="int32")
    assert_becomes(relay.Function([x, r], relay.tile(x, r)), relay.Function([x, r], relay.tile(x, [2, 3])),
                   _params(r=np.array([2, 3], "int32")))
    s = relay.var("s", shape=(4,), dtype="int64")
    assert_becomes(relay.Function([x, s], relay.broadcast_to(x, s)),
                   relay.Function([x, s], relay.broadcast_to(x, [2, 3, 4, 5])),
                   _params(s=np.array([2, 3, 4, 5], "int64")))
    shp = relay.var("shp", shape=(2,), dtype="int32")
    for op in (relay.zeros, relay.ones):
        assert_becomes(relay.Function([shp], op(shp, "int8")), relay.Function([shp], op([3, 2], "int8")),
                       _params(shp=np.array([3, 2], "int32")))
    v = relay.var("v", shape=(), dtype="float32")
    assert_becomes(relay.Function([v, shp], relay.full(v, shp, "float32")),
                   relay.Function([v, shp], relay.full(v, [3, 2], "float32")), _params(shp=np.array([3, 2], "int32")))
    idx = relay.var("idx", shape=(3,), dtype="int32")
    d = relay.var("d", shape=(), dtype="int32")
    on, off = relay.const(1.0), relay.const(0.0)
    assert_becomes(relay.Function([idx, d], relay.one_hot(idx, on, off, d, 0, "float32")),
                   relay.Function([idx, d], relay.one_hot(idx, on, off, 5, 0, "float32")), _params(d=np.array(5, "int32")))
    k = relay.var("k", shape=(), dtype="int32")
    data = relay.var("data", shape=(4, 9))
    assert_becomes(relay.Function([data, k], relay.topk(data, k, 1, "values", True, "int64")),
                   relay.Function([data, k], relay.topk(data, 3, 1, "values", True, "int64")),
                   _params(k=np.array(3, "int32")))
    osh = relay.var("osh", shape=(2,), dtype="int64")
    vals = relay.var("vals", shape=(2,))
    ind = relay.var("ind", shape=(2, 2), dtype="int32")
    dflt = relay.const(0.5)
    assert_becomes(relay.Function([ind, vals, osh], relay.sparse_to_dense(ind, osh, vals, dflt)),
                   relay.Function([ind, vals, osh], relay.sparse_to_dense(ind, [3, 4], vals, dflt)),
                   _params(osh=np.array([3, 4], "int64")))


def test_slices_and_image_operators_become_static():
    x = relay.var("x", shape=(3, 4, 3))
    b, e, s = (relay.var(n, shape=(3,), dtype="int64") for n in ("b", "e", "s"))
    before = relay.Function([x, b, e, s], relay.strided_slice(x, b, e, s))
    after = dts(before, _params(b=np.array([1, -1, 0], "int64"), e=np.array([3, -5, 3], "int64"),
                                s=np.array([1, -1, 2], "int64")))
    body = after["main"].body
    assert body.op.name == "strided_slice"
    assert [int(v) for v in body.attrs.begin] == [1, 3, 0]  # the wrapper normalised the negative begin
    assert [int(v) for v in body.attrs.end] == [3, -5, 3] and [int(v) for v in body.attrs.strides] == [1, -1, 2]
    data = np.random.uniform(size=(3, 4, 3)).astype("float32")
    np.testing.assert_array_equal(graph_run(after, data)[0], data[1:3, -1:-5:-1, 0:3:2])

    img = relay.var("img", shape=(1, 2, 4, 4))
    size = relay.var("size", shape=(2,), dtype="float32")
    before = relay.Function([img, size], relay.image.resize2d(img, size, None, "NCHW", "nearest_neighbor",
                                                              "asymmetric", "floor"))
    expected = relay.Function([img, size], relay.image.resize2d(img, (8, 6), None, "NCHW", "nearest_neighbor",
                                                                "asymmetric", "floor"))
    assert_becomes(before, expected, _params(size=np.array([8, 6], "float32")))

    pw = relay.var("pw", shape=(4, 2), dtype="int32")
    widths = [[0, 0], [1, 1], [2, 0], [0, 3]]
    after = assert_becomes(relay.Function([img, pw], relay.nn.pad(img, pw, 1.5, "constant")),
                           relay.Function([img, pw], relay.nn.pad(img, widths, 1.5, "constant")),
                           _params(pw=np.array(widths, "int32")))
    data = np.random.uniform(size=(1, 2, 4, 4)).astype("float32")
    np.testing.assert_array_equal(graph_run(after, data)[0], np.pad(data, widths, constant_values=1.5))

    sh, sw = relay.var("sh", shape=(), dtype="float64"), relay.var("sw", shape=(), dtype="float64")
    assert_becomes(relay.Function([img, sh, sw], relay.nn.upsampling(img, sh, sw)),
                   relay.Function([img, sh, sw], relay.nn.upsampling(img, 2.0, 3.0)),
                   _params(sh=np.array(2.0), sw=np.array(3.0)))
    vol = relay.var("vol", shape=(1, 1, 2, 2, 2))
    sd = relay.var("sd", shape=(), dtype="float64")
    assert_becomes(relay.Function([vol, sd, sh, sw], relay.nn.upsampling3d(vol, sd, sh, sw)),
                   relay.Function([vol, sd, sh, sw], relay.nn.upsampling3d(vol, 2.0, 1.0, 3.0)),
                   _params(sd=np.array(2.0), sh=np.array(1.0), sw=np.array(3.0)))


def test_topk_numeric_after_pass():
    x = relay.var("x", shape=(5, 12))
    k = relay.var("k", shape=(), dtype="int32")
    after = dts(relay.Function([x, k], relay.topk(x, k, -1, "both", False, "int64").astuple()),
                _params(k=np.array(4, "int32")))
    assert after["main"].body.op.name == "topk"
    data = np.random.uniform(size=(5, 12)).astype("float32")
    values, indices = graph_run(after, data)
    order = np.argsort(-data, axis=-1, kind="stable")[:, :4]
    np.testing.assert_array_equal(indices, order)
    np.testing.assert_array_equal(values, np.take_along_axis(data, order, axis=-1))


def test_same_values_as_the_dynamic_program():
    """The debug executor runs the dyn program (shape functions); the graph executor the static one."""
    x, y, w = relay.var("x", shape=(2, 6)), relay.var("y", shape=(3, 4)), relay.var("w", shape=(2, 1))
    z = relay.tile(relay.reshape(x, relay.shape_of(y)), relay.shape_of(w))
    func = relay.Function([x, y, w], z)
    data = np.random.uniform(size=(2, 6)).astype("float32")
    args = [data, np.zeros((3, 4), "float32"), np.zeros((2, 1), "float32")]
    dynamic = relay.create_executor("debug", mod=tvm.IRModule.from_expr(func), target="llvm").evaluate()(*args)
    static = dts(func)
    assert "dyn." not in static["main"].astext()
    np.testing.assert_array_equal(graph_run(static, *args)[0], dynamic.numpy())
    np.testing.assert_array_equal(dynamic.numpy(), np.tile(data.reshape(3, 4), (2, 1)))


def test_if_on_a_constant_and_dynamic_rank():
    """As TVM's pass: the function need not type-check until constants fold (an if on a constant
    whose branches differ; a shape whose length is known only after a dynamic slice folds)."""
    x = relay.var("x", shape=(2, 2), dtype="int64")
    func = relay.Function([x], relay.If(relay.const(1), relay.reshape(x, [1, 4]), relay.reshape(x, (4, 1))))
    after = dts(func)
    assert tvm.ir.structural_equal(after["main"], typed(relay.Function([x], relay.reshape(x, [1, 4])))["main"])

    v = relay.var("v", shape=(), dtype="int32")
    y = relay.var("y", shape=(1, 2, 3), dtype="int64")
    shape = relay.shape_of(y)
    shape = relay.strided_slice(shape, [0], relay.shape_of(shape))
    after = dts(relay.Function([v, y], relay.full(v, shape, "int32")))
    assert after["main"].body.op.name == "full"
    assert after["main"].ret_type == relay.TensorType((1, 2, 3), "int32")


def test_bad_constant_shape_is_the_static_operators_error():
    x, y = relay.var("x", shape=(2, 3)), relay.var("y", shape=(4, 2))
    with pytest.raises(tvm.error.TVMError, match="reshape"):
        dts(relay.Function([x, y], relay.reshape(x, relay.shape_of(y))))


def test_pass_info_and_registration():
    p = transform.DynamicToStatic()
    assert p.info.name == "DynamicToStatic" and p.info.opt_level == 2
    assert tvm.get_global_func("relay._transform.DynamicToStatic") is not None
    x, y = relay.var("x", shape=(4,)), relay.var("y", shape=(2, 2))
    mod = tvm.IRModule.from_expr(relay.Function([x, y], relay.reshape(x, relay.shape_of(y))))
    with tvm.transform.PassContext(opt_level=1):
        kept = tvm.transform.Sequential([transform.InferType(), transform.DynamicToStatic()])(mod)
    assert kept["main"].body.op.name == "dyn.reshape"  # below its opt level the pass does not run
    with tvm.transform.PassContext(opt_level=2):
        done = tvm.transform.Sequential([transform.InferType(), transform.DynamicToStatic()])(mod)
    assert done["main"].body.op.name == "reshape"


def test_every_function_of_the_module():
    x = relay.var("x", shape=(3, 4))
    helper = relay.GlobalVar("helper")
    mod = tvm.IRModule()
    newshape = relay.multiply(relay.const([12], "int64"), relay.const([1], "int64"))
    mod[helper] = relay.Function([x], relay.reshape(x, newshape))
    y = relay.var("y", shape=(3, 4))
    mod["main"] = relay.Function([y], relay.Call(helper, [y]))
    out = transform.DynamicToStatic()(mod)
    assert out["helper"].body.op.name == "reshape"
    assert out["main"].ret_type == relay.TensorType((12,), "float32")


def test_long_chain():
    """A 100,000-operator chain before the dynamic call: no recursion per node."""
    x = relay.var("x", shape=(4, 5))
    y = x
    for _ in range(100000):
        y = relay.add(y, relay.const(1.0))
    z = relay.reshape(y, relay.shape_of(relay.var("s", shape=(20,))))
    func = relay.Function(relay.analysis.free_vars(z), z)
    start = time.time()
    after = dts(func)
    assert after["main"].body.op.name == "reshape"
    assert time.time() - start < 120


if __name__ == "__main__":
    tvm.testing.main()
