# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The LLVM code generator builds a module of independent kernels in parts on several
threads (src/target/llvm/llvm_parallel_build.h): the result must not depend on the thread
count (same object bytes, same exported library), must run, and a kernel that fails names
itself."""
import os

import numpy as np
import pytest

import tvm
from tvm import relay, te
from tvm.contrib import graph_executor


def _with_build_threads(n, fn):
    old = os.environ.get("TVM_BUILD_THREADS")
    os.environ["TVM_BUILD_THREADS"] = str(n)
    try:
        return fn()
    finally:
        if old is None:
            del os.environ["TVM_BUILD_THREADS"]
        else:
            os.environ["TVM_BUILD_THREADS"] = old


def _kernel(name, scale, n=64, bind=False):
    a = te.placeholder((n,), name="A")
    b = te.compute((n,), lambda i: a[i] * scale + float(n), name="B")
    s = te.create_schedule(b.op)
    if bind:
        s[b].bind(s[b].op.axis[0], te.thread_axis("threadIdx.x"))
    return tvm.lower(s, [a, b], name=name)


def _mlp():
    """A small network with distinct kernels (dense, bias+relu, softmax, a reduction, a conv)."""
    rng = np.random.default_rng(0)
    x = relay.var("x", shape=(1, 3, 16, 16))
    w = relay.const(rng.standard_normal((8, 3, 3, 3)).astype("float32"))
    y = relay.nn.relu(relay.nn.conv2d(x, w, padding=(1, 1)))
    y = relay.reshape(relay.mean(y, axis=[2], keepdims=False), (8, 16))
    d = relay.const(rng.standard_normal((24, 16)).astype("float32"))
    y = relay.nn.relu(relay.nn.bias_add(relay.nn.dense(y, d), relay.const(np.ones(24, "float32"))))
    y = relay.nn.softmax(y)
    return tvm.IRModule.from_expr(relay.Function([x], y))


def _build_mlp():
    with tvm.transform.PassContext(opt_level=3):
        return relay.build(_mlp(), target="llvm")


def test_object_bytes_do_not_depend_on_the_thread_count(tmp_path):
    mods = [_kernel(f"k{i}", float(i + 1)) for i in range(40)]  # more kernels than parts (32)
    serial = _with_build_threads(1, lambda: tvm.build(mods, target="llvm"))
    parallel = _with_build_threads(4, lambda: tvm.build(mods, target="llvm"))
    serial.save(str(tmp_path / "serial.o"))
    parallel.save(str(tmp_path / "parallel.o"))
    assert (tmp_path / "serial.o").read_bytes() == (tmp_path / "parallel.o").read_bytes()
    assert serial.get_source() == parallel.get_source()
    # The IR text lists the definitions in the order of their names, whatever the parts.
    text = parallel.get_source()
    names = sorted(f"k{i}" for i in range(40))
    positions = [text.index(f"define dllexport i32 @{n}(") if f"define dllexport i32 @{n}(" in text
                 else text.index(f"@{n}(") for n in names]
    assert positions == sorted(positions)


def test_every_kernel_of_a_split_module_runs():
    mods = [_kernel(f"k{i}", float(i + 1)) for i in range(40)]
    lib = tvm.build(mods, target="llvm")
    a = np.arange(64, dtype="float32")
    for i in (0, 1, 31, 32, 39):
        out = tvm.nd.empty((64,))
        lib[f"k{i}"](tvm.nd.array(a), out)
        np.testing.assert_array_equal(out.numpy(), a * np.float32(i + 1) + np.float32(64))
    assert sorted(lib.get_function("get_func_names")()) == sorted(f"k{i}" for i in range(40))


def test_parallel_export_is_byte_identical_to_serial(tmp_path):
    serial = _with_build_threads(1, _build_mlp)
    parallel = _with_build_threads(3, _build_mlp)
    again = _build_mlp()
    serial.export_library(str(tmp_path / "serial.so"))
    parallel.export_library(str(tmp_path / "parallel.so"))
    again.export_library(str(tmp_path / "again.so"))
    data = (tmp_path / "serial.so").read_bytes()
    assert data == (tmp_path / "parallel.so").read_bytes()
    assert data == (tmp_path / "again.so").read_bytes()


def test_exported_split_module_matches_the_jit(tmp_path):
    factory = _build_mlp()
    x = np.random.default_rng(1).standard_normal((1, 3, 16, 16)).astype("float32")
    jit = graph_executor.GraphModule(factory["default"](tvm.cpu()))
    jit.set_input("x", x)
    jit.run()
    path = str(tmp_path / "mlp.so")
    factory.export_library(path)
    loaded = graph_executor.GraphModule(tvm.runtime.load_module(path)["default"](tvm.cpu()))
    loaded.set_input("x", x)
    loaded.run()
    np.testing.assert_array_equal(jit.get_output(0).numpy(), loaded.get_output(0).numpy())
    # And the interpreter agrees (a different compile path for every operator).
    ref = relay.create_executor("debug", mod=_mlp(), target="llvm").evaluate()(x).numpy()
    np.testing.assert_allclose(jit.get_output(0).numpy(), ref, rtol=1e-5, atol=1e-6)


def test_a_single_function_module_keeps_its_entry():
    lib = tvm.build(_kernel("only", 2.0), target="llvm")
    a = np.ones(64, "float32")
    out = tvm.nd.empty((64,))
    lib(tvm.nd.array(a), out)  # the module's main is its only function
    np.testing.assert_array_equal(out.numpy(), np.full(64, 66.0, "float32"))


def test_a_split_module_has_no_implicit_entry():
    lib = tvm.build([_kernel("first", 1.0), _kernel("second", 2.0)], target="llvm")
    with pytest.raises(AttributeError):
        lib.get_function("__tvm_main__")


@pytest.mark.parametrize("threads", [1, 4])
def test_error_names_the_failing_kernel(threads):
    mods = [_kernel(f"fine_{i}", 1.0) for i in range(6)] + [_kernel("gpu_kernel", 1.0, bind=True)]
    with pytest.raises(ValueError, match="in 'gpu_kernel': a GPU thread binding"):
        _with_build_threads(threads, lambda: tvm.build(mods, target="llvm"))


def test_the_first_failure_by_name_is_reported():
    # Two failing kernels: the error does not depend on which thread finished first.
    mods = [_kernel("b_bad", 1.0, bind=True), _kernel("a_bad", 1.0, bind=True)] + \
        [_kernel(f"ok_{i}", 1.0) for i in range(5)]
    for threads in (1, 2, 8):
        with pytest.raises(ValueError, match="in 'a_bad'"):
            _with_build_threads(threads, lambda: tvm.build(mods, target="llvm"))
