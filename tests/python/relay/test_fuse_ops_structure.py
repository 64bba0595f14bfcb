# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""FuseOps: the exact fused graph for small programs, built by hand and compared
with tvm.ir.structural_equal after InferType."""
import pytest

import tvm
from tvm import relay
from tvm.relay import transform


def fuse(func, fuse_opt_level=-1, opt_level=2, config=None):
    mod = tvm.IRModule.from_expr(func)
    with tvm.transform.PassContext(opt_level=opt_level, config=config or {}):
        mod = transform.InferType()(mod)
        mod = transform.FuseOps(fuse_opt_level)(mod)
    return mod["main"]


def typed(func):
    return transform.InferType()(tvm.IRModule.from_expr(func))["main"]


def primitive(params, body):
    return relay.Function(params, body).with_attr("Primitive", tvm.tir.IntImm("int32", 1))


def assert_fused(actual, expected_func):
    tvm.ir.assert_structural_equal(actual, typed(expected_func))


def test_conv2d_bias_relu_is_one_kernel():
    x = relay.var("x", shape=(1, 3, 8, 8))
    w = relay.var("w", shape=(4, 3, 3, 3))
    b = relay.var("b", shape=(4,))
    out = relay.nn.relu(relay.nn.bias_add(relay.nn.conv2d(x, w, padding=(1, 1)), b))
    actual = fuse(relay.Function([x, w, b], out))

    p0 = relay.var("p0", shape=(1, 3, 8, 8))
    p1 = relay.var("p1", shape=(4, 3, 3, 3))
    p2 = relay.var("p2", shape=(4,))
    f = primitive([p0, p1, p2], relay.nn.relu(relay.nn.bias_add(relay.nn.conv2d(p0, p1, padding=(1, 1)), p2)))
    x = relay.var("x", shape=(1, 3, 8, 8))
    w = relay.var("w", shape=(4, 3, 3, 3))
    b = relay.var("b", shape=(4,))
    assert_fused(actual, relay.Function([x, w, b], relay.Call(f, [x, w, b])))
    # The parameters are fresh variables named as TVM names them.
    fused = actual.body.op
    assert [p.name_hint for p in fused.params] == ["p0", "p1", "p2"]
    assert isinstance(fused.attrs["Primitive"], tvm.tir.IntImm)
    assert fused.attrs["Primitive"].dtype == "int32" and int(fused.attrs["Primitive"]) == 1


def test_elementwise_chain_keeps_scalar_constant_inside():
    x = relay.var("x", shape=(4, 5))
    out = relay.nn.relu(relay.sqrt(relay.exp(relay.add(x, relay.const(2.0)))))
    actual = fuse(relay.Function([x], out))

    p0 = relay.var("p0", shape=(4, 5))
    f = primitive([p0], relay.nn.relu(relay.sqrt(relay.exp(relay.add(p0, relay.const(2.0))))))
    x = relay.var("x", shape=(4, 5))
    assert_fused(actual, relay.Function([x], relay.Call(f, [x])))


def test_tensor_constant_becomes_an_argument_unless_link_params():
    x = relay.var("x", shape=(2, 3))
    c = relay.const([[1.0, 2.0, 3.0]] * 2)
    out = relay.exp(relay.multiply(x, c))
    actual = fuse(relay.Function([x], out))
    p0 = relay.var("p0", shape=(2, 3))
    p1 = relay.var("p1", shape=(2, 3))
    f = primitive([p0, p1], relay.exp(relay.multiply(p0, p1)))
    x = relay.var("x", shape=(2, 3))
    assert_fused(actual, relay.Function([x], relay.Call(f, [x, c])))

    x = relay.var("x", shape=(2, 3))
    linked = fuse(relay.Function([x], relay.exp(relay.multiply(x, c))), config={"relay.FuseOps.link_params": True})
    p0 = relay.var("p0", shape=(2, 3))
    f = primitive([p0], relay.exp(relay.multiply(p0, c)))
    x = relay.var("x", shape=(2, 3))
    assert_fused(linked, relay.Function([x], relay.Call(f, [x])))


def test_reduction_takes_its_elementwise_inputs_not_injective_ones():
    # transpose (injective) stays apart; add fuses into sum; exp after the sum is its own kernel.
    x = relay.var("x", shape=(4, 6))
    t = relay.transpose(x)
    s = relay.sum(relay.add(t, relay.const(1.0)), axis=1)
    out = relay.exp(s)
    actual = fuse(relay.Function([x], out))

    p0 = relay.var("p0", shape=(4, 6))
    f_t = primitive([p0], relay.transpose(p0))
    p0 = relay.var("p0", shape=(6, 4))
    f_s = primitive([p0], relay.sum(relay.add(p0, relay.const(1.0)), axis=1))
    p0 = relay.var("p0", shape=(6,))
    f_e = primitive([p0], relay.exp(p0))
    x = relay.var("x", shape=(4, 6))
    body = relay.Call(f_e, [relay.Call(f_s, [relay.Call(f_t, [x])])])
    assert_fused(actual, relay.Function([x], body))


def test_reduction_fuses_broadcast_inputs_from_two_tensors():
    x = relay.var("x", shape=(3, 4))
    y = relay.var("y", shape=(4,))
    out = relay.max(relay.multiply(relay.exp(x), y), axis=0)
    actual = fuse(relay.Function([x, y], out))
    p0 = relay.var("p0", shape=(3, 4))
    p1 = relay.var("p1", shape=(4,))
    f = primitive([p0, p1], relay.max(relay.multiply(relay.exp(p0), p1), axis=0))
    x = relay.var("x", shape=(3, 4))
    y = relay.var("y", shape=(4,))
    assert_fused(actual, relay.Function([x, y], relay.Call(f, [x, y])))


def elementwise_diamond(x):
    e = relay.exp(x)
    return relay.add(relay.sqrt(e), relay.negative(e))


def test_elementwise_diamond_is_one_kernel():
    x = relay.var("x", shape=(8,))
    actual = fuse(relay.Function([x], elementwise_diamond(x)))
    p0 = relay.var("p0", shape=(8,))
    f = primitive([p0], elementwise_diamond(p0))
    x = relay.var("x", shape=(8,))
    assert_fused(actual, relay.Function([x], relay.Call(f, [x])))


def test_conv2d_takes_a_diamond_that_joins_again():
    def body(x, w):
        c = relay.nn.conv2d(x, w)
        return relay.add(relay.nn.relu(c), relay.exp(c))

    x = relay.var("x", shape=(1, 2, 5, 5))
    w = relay.var("w", shape=(2, 2, 1, 1))
    actual = fuse(relay.Function([x, w], body(x, w)))
    p0 = relay.var("p0", shape=(1, 2, 5, 5))
    p1 = relay.var("p1", shape=(2, 2, 1, 1))
    f = primitive([p0, p1], body(p0, p1))
    x = relay.var("x", shape=(1, 2, 5, 5))
    w = relay.var("w", shape=(2, 2, 1, 1))
    assert_fused(actual, relay.Function([x, w], relay.Call(f, [x, w])))


def test_diamond_through_an_opaque_op_does_not_fuse_across_it():
    # exp's two users meet at add, but one path goes through cumsum (opaque): exp stays alone.
    x = relay.var("x", shape=(2, 4))
    e = relay.exp(x)
    out = relay.add(relay.cumsum(e, axis=1), relay.sqrt(e))
    actual = fuse(relay.Function([x], out))

    p0 = relay.var("p0", shape=(2, 4))
    f_exp = primitive([p0], relay.exp(p0))
    p0 = relay.var("p0", shape=(2, 4))
    f_cumsum = primitive([p0], relay.cumsum(p0, axis=1))
    # Parameters are numbered in the order the rewrite meets them: sqrt's input first.
    p0 = relay.var("p0", shape=(2, 4))
    p1 = relay.var("p1", shape=(2, 4))
    f_add = primitive([p0, p1], relay.add(p1, relay.sqrt(p0)))
    x = relay.var("x", shape=(2, 4))
    e = relay.Call(f_exp, [x])
    assert_fused(actual, relay.Function([x], relay.Call(f_add, [e, relay.Call(f_cumsum, [e])])))


def test_concatenate_takes_its_tuple_and_the_tuple_fields():
    x = relay.var("x", shape=(2, 3))
    y = relay.var("y", shape=(2, 5))
    out = relay.exp(relay.concatenate([relay.add(x, relay.const(1.0)), relay.negative(y)], axis=1))
    actual = fuse(relay.Function([x, y], out))
    p0 = relay.var("p0", shape=(2, 3))
    p1 = relay.var("p1", shape=(2, 5))
    f = primitive([p0, p1], relay.exp(relay.concatenate([relay.add(p0, relay.const(1.0)), relay.negative(p1)], axis=1)))
    x = relay.var("x", shape=(2, 3))
    y = relay.var("y", shape=(2, 5))
    assert_fused(actual, relay.Function([x, y], relay.Call(f, [x, y])))


def test_tuple_result_stays_outside_the_kernels():
    x = relay.var("x", shape=(3,))
    out = relay.Tuple([relay.exp(x), relay.negative(x)])
    actual = fuse(relay.Function([x], out))
    p0 = relay.var("p0", shape=(3,))
    f_exp = primitive([p0], relay.exp(p0))
    p0 = relay.var("p0", shape=(3,))
    f_neg = primitive([p0], relay.negative(p0))
    x = relay.var("x", shape=(3,))
    assert_fused(actual, relay.Function([x], relay.Tuple([relay.Call(f_exp, [x]), relay.Call(f_neg, [x])])))


def test_multiple_outputs_kernel_returns_a_tuple_and_users_project_it():
    # split has two outputs; each feeds an opaque op, so split is a kernel returning a tuple.
    x = relay.var("x", shape=(4, 6))
    parts = relay.split(x, 2, axis=1)
    out = relay.Tuple([relay.nn.softmax(parts[0]), relay.nn.softmax(parts[1])])
    actual = fuse(relay.Function([x], out))

    p0 = relay.var("p0", shape=(4, 6))
    f_split = primitive([p0], relay.split(p0, 2, axis=1).astuple())
    p0 = relay.var("p0", shape=(4, 3))
    f_sm0 = primitive([p0], relay.nn.softmax(p0))
    p0 = relay.var("p0", shape=(4, 3))
    f_sm1 = primitive([p0], relay.nn.softmax(p0))
    x = relay.var("x", shape=(4, 6))
    s = relay.Call(f_split, [x])
    expected = relay.Tuple([relay.Call(f_sm0, [relay.TupleGetItem(s, 0)]), relay.Call(f_sm1, [relay.TupleGetItem(s, 1)])])
    assert_fused(actual, relay.Function([x], expected))


def test_split_fields_fused_into_their_elementwise_users():
    def body(x):
        parts = relay.split(x, 3, axis=1)
        return relay.add(relay.multiply(relay.sigmoid(parts[0]), relay.tanh(parts[1])), relay.exp(parts[2]))

    x = relay.var("x", shape=(2, 9))
    actual = fuse(relay.Function([x], body(x)))
    p0 = relay.var("p0", shape=(2, 9))
    f = primitive([p0], body(p0))
    x = relay.var("x", shape=(2, 9))
    assert_fused(actual, relay.Function([x], relay.Call(f, [x])))


def test_fuse_opt_level_0_puts_every_op_alone():
    x = relay.var("x", shape=(4,))
    out = relay.negative(relay.exp(relay.add(x, relay.const(1.0))))
    # Even the scalar constant is a group of its own: it is passed in.
    p0 = relay.var("p0", shape=(4,))
    p1 = relay.var("p1", shape=())
    body = relay.Call(primitive([p0, p1], relay.add(p0, p1)), [relay.var("x", shape=(4,)), relay.const(1.0)])
    xe = body.args[0]
    for make in (relay.exp, relay.negative):
        p0 = relay.var("p0", shape=(4,))
        body = relay.Call(primitive([p0], make(p0)), [body])
    expected = relay.Function([xe], body)

    assert_fused(fuse(relay.Function([x], out), fuse_opt_level=0), expected)
    # fuse_opt_level=-1 reads the PassContext's opt_level.
    assert_fused(fuse(relay.Function([x], out), opt_level=0), expected)


def test_opaque_op_is_alone_between_elementwise_ops():
    x = relay.var("x", shape=(2, 3))
    out = relay.exp(relay.cumsum(relay.exp(x), axis=1))
    actual = fuse(relay.Function([x], out))
    body = relay.var("x", shape=(2, 3))
    xe = body
    for make in (relay.exp, lambda t: relay.cumsum(t, axis=1), relay.exp):
        p0 = relay.var("p0", shape=(2, 3))
        body = relay.Call(primitive([p0], make(p0)), [body])
    assert_fused(actual, relay.Function([xe], body))


def test_stop_fusion_splits_a_chain_and_disappears():
    x = relay.var("x", shape=(5,))
    out = relay.exp(relay.annotation.stop_fusion(relay.add(x, relay.const(1.0))))
    actual = fuse(relay.Function([x], out))
    p0 = relay.var("p0", shape=(5,))
    f1 = primitive([p0], relay.add(p0, relay.const(1.0)))
    p0 = relay.var("p0", shape=(5,))
    f2 = primitive([p0], relay.exp(p0))
    x = relay.var("x", shape=(5,))
    assert_fused(actual, relay.Function([x], relay.Call(f2, [relay.Call(f1, [x])])))


def test_max_depth_bounds_the_group_size():
    def chain(x, n):
        for _ in range(n):
            x = relay.negative(x)
        return x

    x = relay.var("x", shape=(3,))
    actual = fuse(relay.Function([x], chain(x, 7)), config={"relay.FuseOps.max_depth": 3})
    xe = relay.var("x", shape=(3,))
    body = xe
    for n in (3, 3, 1):
        p0 = relay.var("p0", shape=(3,))
        body = relay.Call(primitive([p0], chain(p0, n)), [body])
    assert_fused(actual, relay.Function([xe], body))


def test_control_flow_and_lets_are_not_fused_through():
    x = relay.var("x", shape=(), dtype="float32")
    v = relay.var("v")
    cond = relay.greater(x, relay.const(0.0))
    out = relay.Let(v, relay.exp(x), relay.If(cond, relay.negative(v), relay.sqrt(v)))
    actual = fuse(relay.Function([x], out))

    p0 = relay.var("p0", shape=())
    f_exp = primitive([p0], relay.exp(p0))
    p0 = relay.var("p0", shape=())
    f_gt = primitive([p0], relay.greater(p0, relay.const(0.0)))
    p0 = relay.var("p0", shape=())
    f_neg = primitive([p0], relay.negative(p0))
    p0 = relay.var("p0", shape=())
    f_sqrt = primitive([p0], relay.sqrt(p0))
    x = relay.var("x", shape=())
    v = relay.var("v", shape=())
    expected = relay.Let(
        v, relay.Call(f_exp, [x]),
        relay.If(relay.Call(f_gt, [x]), relay.Call(f_neg, [v]), relay.Call(f_sqrt, [v])))
    assert_fused(actual, relay.Function([x], expected))


def test_input_module_is_unchanged_and_fusing_twice_changes_nothing():
    x = relay.var("x", shape=(4,))
    mod = transform.InferType()(tvm.IRModule.from_expr(relay.Function([x], relay.exp(relay.negative(x)))))
    before_text = mod.astext()
    once = transform.FuseOps()(mod)
    assert mod.astext() == before_text
    twice = transform.FuseOps()(once)
    tvm.ir.assert_structural_equal(once, twice)
    # The result is typed.
    assert once["main"].body.checked_type == relay.TensorType((4,), "float32")


def test_primitive_functions_in_the_module_are_skipped():
    p = relay.var("p", shape=(2,))
    prim = primitive([p], relay.exp(relay.negative(p)))
    mod = tvm.IRModule()
    gv = relay.GlobalVar("already_fused")
    mod[gv] = prim
    x = relay.var("x", shape=(2,))
    mod["main"] = relay.Function([x], relay.exp(x))
    out = transform.FuseOps()(transform.InferType()(mod))
    tvm.ir.assert_structural_equal(out[gv], transform.InferType()(mod)[gv])


def test_fuse_ops_is_a_function_pass_named_fuse_ops():
    p = transform.FuseOps()
    assert isinstance(p, transform.FunctionPass)
    assert p.info.name == "FuseOps" and p.info.opt_level == 0
    assert list(p.info.required) == ["InferType"]


def test_untyped_program_is_reported():
    x = relay.var("x", shape=(2,))
    mod = tvm.IRModule.from_expr(relay.Function([x], relay.exp(x)))
    # Called directly (Sequential would run the required InferType first).
    with pytest.raises(tvm.error.TVMError, match="InferType"):
        transform.FuseOps()(mod)


def test_bad_max_depth_is_reported():
    x = relay.var("x", shape=(2,))
    with pytest.raises(tvm.error.TVMError, match="max_depth"):
        fuse(relay.Function([x], relay.exp(x)), config={"relay.FuseOps.max_depth": 0})


def test_kernel_argument_limit_splits_a_wide_sum():
    # Targets that bound a kernel's arguments (max_function_args, e.g. OpenCL) stop
    # a group from taking more inputs than fit: with 5 arguments (one is the output),
    # the first kernel sums four branches and the rest come one at a time.
    def branch(v):
        return relay.exp(relay.add(v, relay.const(1.0)))

    n = 6
    xs = [relay.var("x%d" % i, shape=(10, 20)) for i in range(n)]
    acc = branch(xs[0])
    for v in xs[1:]:
        acc = relay.add(acc, branch(v))
    func = typed(relay.Function(xs, acc))
    fuse_with_limits = tvm.get_global_func("testing.relay.FuseOpsWithLimits")
    actual = typed(fuse_with_limits(func, 2, 256, 5, False))

    ps = [relay.var("p%d" % i, shape=(10, 20)) for i in range(4)]
    body = branch(ps[0])
    for p in ps[1:]:
        body = relay.add(body, branch(p))
    xs = [relay.var("x%d" % i, shape=(10, 20)) for i in range(n)]
    acc = relay.Call(primitive(ps, body), xs[:4])
    for v in xs[4:]:
        p0 = relay.var("p0", shape=(10, 20))
        b = relay.Call(primitive([p0], branch(p0)), [v])
        a0, a1 = relay.var("p0", shape=(10, 20)), relay.var("p1", shape=(10, 20))
        acc = relay.Call(primitive([a0, a1], relay.add(a0, a1)), [acc, b])
    assert_fused(actual, relay.Function(xs, acc))

    # No limit (0): everything is one kernel.
    whole = typed(fuse_with_limits(func, 2, 256, 0, False))
    assert sum(1 for _ in _primitive_calls(whole)) == 1


def _primitive_calls(func):
    found = []
    relay.analysis.post_order_visit(
        func, lambda e: found.append(e) if isinstance(e, relay.Call) and isinstance(e.op, relay.Function) else None)
    return found


def test_function_pass_skips_functions_for_an_external_compiler():
    x = relay.var("x", shape=(2,))
    ext = relay.Function([x], relay.exp(x)).with_attr("Compiler", "ccompiler")
    y = relay.var("y", shape=(2,))
    mod = tvm.IRModule({"ext": ext, "main": relay.Function([y], y)})
    seen = []

    @relay.transform.function_pass(opt_level=0)
    def record(func, mod, ctx):
        seen.append(func)
        return func

    out = record(mod)
    assert len(seen) == 1 and seen[0].params[0].name_hint == "y"
    assert str(out["ext"].attrs["Compiler"]) == "ccompiler"
