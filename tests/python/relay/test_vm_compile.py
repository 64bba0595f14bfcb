# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The Relay VM against numpy: fused operator graphs, tuples, If, recursion, closures, ADTs."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay.loops import while_loop
from tvm.relay.prelude import Prelude
from tvm.runtime import vm as vm_rt
from tvm.runtime.container import ADT


def run_vm(mod, *args):
    exe = relay.vm.compile(mod, target="llvm")
    return vm_rt.VirtualMachine(exe, tvm.cpu()).invoke("main", *args)


def to_list(value):
    if isinstance(value, tvm.nd.NDArray):
        return [value.numpy().tolist()]
    out = []
    for field in value:
        out += to_list(field)
    return out


def test_fused_conv_dense_graph():
    rng = np.random.default_rng(0)
    data = relay.var("data", shape=(1, 3, 8, 8))
    w = relay.var("w", shape=(4, 3, 3, 3))
    b = relay.var("b", shape=(4,))
    dw = relay.var("dw", shape=(10, 4 * 6 * 6))
    y = relay.nn.relu(relay.nn.bias_add(relay.nn.conv2d(data, w, kernel_size=(3, 3), channels=4), b))
    y = relay.nn.dense(relay.reshape(y, (1, -1)), dw)
    mod = tvm.IRModule.from_expr(relay.Function([data, w, b, dw], relay.nn.softmax(y)))
    params = {"w": rng.standard_normal((4, 3, 3, 3)).astype("float32"),
              "b": rng.standard_normal(4).astype("float32"),
              "dw": rng.standard_normal((10, 144)).astype("float32") * 0.1}
    exe = relay.vm.compile(mod, "llvm", params=params)
    assert exe.get_function_params("main") == ["data"]
    assert any(name.startswith("vm_mod_fused_nn_conv2d") for name in exe.primitive_ops)
    x = rng.standard_normal((1, 3, 8, 8)).astype("float32")
    out = vm_rt.VirtualMachine(exe, tvm.cpu()).run(x).numpy()

    torch = pytest.importorskip("torch")
    t = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(params["w"]), torch.from_numpy(params["b"]))
    t = torch.relu(t).reshape(1, -1) @ torch.from_numpy(params["dw"]).T
    np.testing.assert_allclose(out, torch.softmax(t, dim=1).numpy(), rtol=1e-5, atol=1e-6)


def test_tuples_in_and_out():
    t = relay.var("t", type_annotation=relay.TupleType([relay.TensorType((2, 3)), relay.TensorType((2, 3))]))
    a, b = relay.TupleGetItem(t, 0), relay.TupleGetItem(t, 1)
    nested = relay.Tuple([relay.Tuple([a + b, a * b]), relay.concatenate([a, b], axis=0)])
    mod = tvm.IRModule.from_expr(relay.Function([t], nested))
    x = np.arange(6, dtype="float32").reshape(2, 3)
    y = np.ones((2, 3), "float32") * 2
    out = run_vm(mod, (x, y))
    assert isinstance(out, ADT) and len(out) == 2 and out.tag == 0
    np.testing.assert_array_equal(out[0][0].numpy(), x + y)
    np.testing.assert_array_equal(out[0][1].numpy(), x * y)
    np.testing.assert_array_equal(out[1].numpy(), np.concatenate([x, y]))


def test_split_returns_a_tuple_from_one_kernel():
    x = relay.var("x", shape=(6, 2))
    mod = tvm.IRModule.from_expr(relay.Function([x], relay.split(x, 3).astuple()))
    data = np.arange(12, dtype="float32").reshape(6, 2)
    out = run_vm(mod, data)
    for got, want in zip(out, np.split(data, 3)):
        np.testing.assert_array_equal(got.numpy(), want)


def test_if_picks_a_branch():
    c = relay.var("c", shape=(), dtype="bool")
    x = relay.var("x", shape=(3,))
    mod = tvm.IRModule.from_expr(relay.Function([c, x], relay.If(c, x * relay.const(2.0), x - relay.const(1.0))))
    data = np.array([1, 2, 3], "float32")
    exe = relay.vm.compile(mod, "llvm")
    vm = vm_rt.VirtualMachine(exe, tvm.cpu())
    np.testing.assert_array_equal(vm.run(True, data).numpy(), data * 2)
    np.testing.assert_array_equal(vm.run(False, data).numpy(), data - 1)
    # A value computed before the If is shared by both branches; one computed in a branch is not.
    assert exe.bytecode.count("if ") == 1


def test_recursive_sum_loop():
    mod = tvm.IRModule()
    sum_up = relay.GlobalVar("sum_up")
    i = relay.var("i", shape=(), dtype="int32")
    acc = relay.var("acc", shape=(), dtype="int32")
    body = relay.If(relay.equal(i, relay.const(0, "int32")), acc,
                    sum_up(relay.subtract(i, relay.const(1, "int32")), relay.add(acc, i)))
    mod[sum_up] = relay.Function([i, acc], body)
    n = relay.var("n", shape=(), dtype="int32")
    mod["main"] = relay.Function([n], sum_up(n, relay.const(0, "int32")))
    # 20000 nested calls: frames live on the VM's heap stack, not the C++ stack.
    for value in (0, 1, 10, 20000):
        assert int(run_vm(mod, np.array(value, "int32")).numpy()) == value * (value + 1) // 2


def test_while_loop_with_a_captured_variable():
    x = relay.var("x", shape=(), dtype="int32")
    i = relay.var("i", shape=(), dtype="int32")
    s = relay.var("s", shape=(), dtype="int32")
    loop = while_loop(lambda i, s: i < relay.const(10, "int32"), [i, s],
                      lambda i, s: [i + relay.const(1, "int32"), s + x * i])
    result = relay.TupleGetItem(loop(relay.const(0, "int32"), relay.const(0, "int32")), 1)
    mod = tvm.IRModule.from_expr(relay.Function([x], result))
    assert int(run_vm(mod, np.array(3, "int32")).numpy()) == 3 * 45


def test_closures_capture_values():
    x = relay.var("x", shape=())
    y = relay.var("y", shape=())
    add_y = relay.Function([x], x + y)           # captures y
    make_adder = relay.Function([y], add_y)
    mod = tvm.IRModule()
    mod["main"] = relay.Function([], relay.Call(relay.Call(make_adder, [relay.const(1.5)]), [relay.const(2.0)]))
    assert float(run_vm(mod).numpy()) == 3.5


def test_closure_returned_and_called_twice():
    a = relay.var("a", shape=(2,))
    v = relay.var("v", shape=(2,))
    f = relay.var("f")
    scale = relay.Function([v], v * a)
    body = relay.Let(f, scale, relay.Tuple([relay.Call(f, [a]), relay.Call(f, [a + a])]))
    mod = tvm.IRModule.from_expr(relay.Function([a], body))
    data = np.array([2, 3], "float32")
    out = run_vm(mod, data)
    np.testing.assert_array_equal(out[0].numpy(), data * data)
    np.testing.assert_array_equal(out[1].numpy(), 2 * data * data)


def _list(p, values, dtype="int32"):
    result = p.nil()
    for v in reversed(values):
        result = p.cons(relay.const(v, dtype), result)
    return result


def test_prelude_list_length_and_map():
    mod = tvm.IRModule()
    p = Prelude(mod)
    values = [4, 1, 7, 3]
    mod["main"] = relay.Function([], p.length(_list(p, values)))
    assert int(run_vm(mod).numpy()) == len(values)

    z = relay.var("z", shape=(), dtype="int32")
    double = relay.Function([z], z * relay.const(2, "int32"))
    mod["main"] = relay.Function([], p.map(double, _list(p, values)))
    out = run_vm(mod)
    assert isinstance(out, ADT)
    assert to_list(out) == [2 * v for v in values]


def test_prelude_foldr_with_constructor_and_option_match():
    mod = tvm.IRModule()
    p = Prelude(mod)
    # foldr(Cons, Nil, l) copies the list: a constructor passed as a function value.
    mod["main"] = relay.Function([], p.foldr(p.cons, p.nil(), _list(p, [1, 2, 3])))
    assert to_list(run_vm(mod)) == [1, 2, 3]

    opt = relay.var("opt")
    v = relay.var("v", shape=(), dtype="int32")
    unwrap = relay.Match(opt, [relay.Clause(relay.PatternConstructor(p.some, [relay.PatternVar(v)]), v),
                               relay.Clause(relay.PatternConstructor(p.none, []), relay.const(-1, "int32"))])
    f = relay.GlobalVar("unwrap")
    mod[f] = relay.Function([opt], unwrap)
    mod["main"] = relay.Function([], relay.Tuple([f(p.some(relay.const(9, "int32"))), f(p.none())]))
    out = run_vm(mod)
    assert [int(out[0].numpy()), int(out[1].numpy())] == [9, -1]


def test_match_without_a_fitting_clause_fails_cleanly():
    mod = tvm.IRModule()
    p = Prelude(mod)
    mod["main"] = relay.Function([], p.hd(p.nil()))  # hd of an empty list: no clause fits
    with pytest.raises(tvm.error.TVMError, match="no clause"):
        run_vm(mod)


def test_invoke_stateful_set_input_and_outputs():
    x = relay.var("x", shape=(2,))
    y = relay.var("y", shape=(2,))
    mod = tvm.IRModule.from_expr(relay.Function([x, y], relay.Tuple([x + y, x - y])))
    vm = vm_rt.VirtualMachine(relay.vm.compile(mod, "llvm"), tvm.cpu())
    a, b = np.array([1, 2], "float32"), np.array([5, 7], "float32")
    vm.set_input("main", y=b, x=a)
    vm.invoke_stateful("main")
    outs = vm.get_outputs()
    np.testing.assert_array_equal(outs[0].numpy(), a + b)
    np.testing.assert_array_equal(outs[1].numpy(), a - b)
    assert vm.get_input_index("y") == 1 and vm.get_input_index("nope") == -1
    result = vm.benchmark(tvm.cpu(), a, b, repeat=2, number=2)
    assert len(result.results) == 2 and result.mean > 0


def test_create_executor_vm_evaluate():
    x = relay.var("x", shape=(3,))
    func = relay.Function([x], relay.nn.relu(x) + relay.const(1.0))
    data = np.array([-1, 0, 2], "float32")
    out = relay.create_executor("vm", mod=tvm.IRModule(), device=tvm.cpu(), target="llvm").evaluate(func)(data)
    np.testing.assert_array_equal(out.numpy(), np.maximum(data, 0) + 1)


def test_wrong_arguments_are_clear_errors():
    x = relay.var("x", shape=(2,))
    mod = tvm.IRModule.from_expr(relay.Function([x], x + x))
    vm = vm_rt.VirtualMachine(relay.vm.compile(mod, "llvm"), tvm.cpu())
    with pytest.raises(TypeError, match="takes 1 arguments, 2 given"):
        vm.run(np.zeros(2, "float32"), np.zeros(2, "float32"))
    with pytest.raises(tvm.error.TVMError, match="no function 'nope'"):
        vm.invoke("nope")
    with pytest.raises(ValueError, match="shape"):
        vm.run(np.zeros(3, "float32"))  # the kernel checks its argument's shape


def test_long_chain_compiles_without_deep_recursion():
    x = relay.var("x", shape=(1,))
    y = x
    for _ in range(3000):
        y = relay.negative(y)
    mod = tvm.IRModule.from_expr(relay.Function([x], y))
    with tvm.transform.PassContext(opt_level=0):  # no fusion: one kernel call per operator
        exe = relay.vm.compile(mod, "llvm")
    assert len(exe.primitive_ops) == 1  # one kernel, shared by every call
    out = vm_rt.VirtualMachine(exe, tvm.cpu()).run(np.array([2.0], "float32"))
    assert float(out.numpy()[0]) == 2.0


@pytest.mark.parametrize("memory_cfg", [None, "naive"])
def test_results_held_by_the_caller_are_not_reused(memory_cfg):
    x = relay.var("x", shape=(64,))
    mod = tvm.IRModule.from_expr(relay.Function([x], relay.Tuple([relay.exp(x), x * relay.const(3.0)])))
    vm = vm_rt.VirtualMachine(relay.vm.compile(mod, "llvm"), tvm.cpu(), memory_cfg=memory_cfg)
    inputs = [np.full(64, v, "float32") for v in (0.0, 1.0, 2.0, 3.0)]
    kept = [vm.run(a) for a in inputs]  # the pool may reuse an array only once nothing holds it
    for a, out in zip(inputs, kept):
        np.testing.assert_allclose(out[0].numpy(), np.exp(a), rtol=1e-6)
        np.testing.assert_allclose(out[1].numpy(), a * 3)
    for _ in range(3):  # dropped results are recycled: same answers
        np.testing.assert_allclose(vm.run(inputs[2])[1].numpy(), inputs[2] * 3)


def test_reshape_only_functions_are_views():
    x = relay.var("x", shape=(8, 16))
    y = relay.reverse_reshape(relay.reshape(x, [16, -1]), [-1, 4, 0])
    z = relay.squeeze(relay.expand_dims(y, 0), [0]) + relay.const(1.0)
    mod = tvm.IRModule.from_expr(relay.Function([x], relay.Tuple([y, z])))
    with tvm.transform.PassContext(opt_level=3):
        exe = relay.vm.compile(mod, "llvm")
    assert exe.bytecode.count("reshape_tensor") == 1  # the reshape pair is one fused function
    data = np.random.rand(8, 16).astype("float32")
    out = vm_rt.VirtualMachine(exe, tvm.cpu()).run(data)
    np.testing.assert_array_equal(out[0].numpy(), data.reshape(4, 4, 8))
    np.testing.assert_allclose(out[1].numpy(), data.reshape(4, 4, 8) + 1, rtol=1e-6)


def test_dead_arrays_are_reused_within_one_call():
    # 200 kernels each making a 4 MB array: released after their last read, the pool keeps
    # reusing two of them (800 MB otherwise). Measured in a fresh process (peak RSS).
    import subprocess
    import sys

    script = r"""
import resource, numpy as np, tvm
from tvm import relay
x = relay.var("x", shape=(1024, 1024))
y = x
for _ in range(200):
    y = relay.add(y, relay.const(1.0))
with tvm.transform.PassContext(opt_level=0):
    exe = relay.vm.compile(tvm.IRModule.from_expr(relay.Function([x], y)), "llvm")
vm = tvm.runtime.vm.VirtualMachine(exe, tvm.cpu())
data = np.zeros((1024, 1024), "float32")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = vm.run(data)
grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
assert float(out.numpy()[5, 7]) == 200.0
print(grew)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert float(out.stdout.strip().splitlines()[-1]) < 100, out.stdout


def test_a_million_cell_list_is_built_counted_and_freed():
    # 10^6 nested calls (VM frames on the heap) and a 10^6-cell Cons chain, freed by a
    # loop in the ADT destructor rather than 10^6 nested destructor calls.
    mod = tvm.IRModule()
    p = Prelude(mod)
    build = relay.GlobalVar("build")
    n = relay.var("n", shape=(), dtype="int32")
    mod[build] = relay.Function([n], relay.If(relay.equal(n, relay.const(0, "int32")), p.nil(),
                                             p.cons(n, build(n - relay.const(1, "int32")))))
    m = relay.var("m", shape=(), dtype="int32")
    mod["main"] = relay.Function([m], relay.Tuple([p.length(build(m)), build(m)]))
    out = run_vm(mod, np.array(1000000, "int32"))
    assert int(out[0].numpy()) == 1000000
    head = out[1]
    assert int(head[0].numpy()) == 1000000 and int(head[1][0].numpy()) == 999999
    del out, head


def test_unbounded_recursion_is_an_error():
    mod = tvm.IRModule()
    f = relay.GlobalVar("f")
    x = relay.var("x", shape=(), dtype="int32")
    mod[f] = relay.Function([x], f(x), ret_type=relay.TensorType((), "int32"))
    y = relay.var("y", shape=(), dtype="int32")
    mod["main"] = relay.Function([y], f(y))
    vm = vm_rt.VirtualMachine(relay.vm.compile(mod, "llvm"), tvm.cpu())
    with pytest.raises(tvm.error.TVMError, match="call depth exceeds .* frames"):
        vm.run(np.array(1, "int32"))
