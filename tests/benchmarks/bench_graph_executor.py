# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What the graph executor costs per operator.

Runs a chain of K element-wise kernels (y = relu(x + 1), 1-d float32 of N
elements) through the graph executor, and prints the time per operator next
to (a) the same kernel timed alone with time_evaluator, K times, and (b)
PyTorch eager running the same chain on a preallocated buffer (torch.add_ then
torch.relu_ in place). The ratio executor / kernel is the executor's overhead;
executor / torch compares with a framework's dispatch.

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_graph_executor.py [--ops K] [--size N]
"""
import argparse
import json
import time

import numpy as np

import tvm
from tvm import te
from tvm.contrib import graph_executor


def _kernel(n):
    x = te.placeholder((n,), name="x")
    y = te.compute((n,), lambda i: te.max(x[i] + 1.0, tvm.tir.const(0, "float32")), name="y")
    return tvm.build(te.create_schedule(y.op), [x, y], "llvm", name="add_relu")


def _chain_graph(k, n):
    nodes = [{"op": "null", "name": "x", "inputs": []}]
    for i in range(k):
        nodes.append({"op": "tvm_op", "name": f"op{i}", "inputs": [[i, 0, 0]],
                      "attrs": {"func_name": "add_relu", "num_inputs": "1", "num_outputs": "1",
                                "flatten_data": "0"}})
    # Two buffers ping-pong after the input, as a memory planner would assign them.
    storage = [0] + [1 + (i % 2) for i in range(k)]
    return json.dumps({"nodes": nodes, "arg_nodes": [0], "heads": [[k, 0, 0]],
                       "attrs": {"dltype": ["list_str", ["float32"] * (k + 1)],
                                 "storage_id": ["list_int", storage], "shape": ["list_shape", [[n]] * (k + 1)]}})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--size", type=int, default=256)
    args = parser.parse_args()
    k, n = args.ops, args.size
    lib = _kernel(n)
    m = graph_executor.create(_chain_graph(k, n), lib, tvm.cpu())
    x = np.random.default_rng(0).standard_normal(n).astype("float32")
    m.run(x=x)
    expect = x.copy()
    for _ in range(k):
        expect = np.maximum(expect + 1, 0)
    if not np.allclose(m.get_output(0).numpy(), expect, rtol=1e-5):
        print("WRONG RESULT from the graph executor; not timing")
        return
    per_op = m.benchmark(tvm.cpu(), repeat=5, number=20).median / k
    a, b = tvm.nd.array(x), tvm.nd.empty((n,))
    kernel = lib.time_evaluator("add_relu", tvm.cpu(), number=200, repeat=5)(a, b).median
    print(f"chain of {k} ops on {n} floats")
    print(f"  graph executor   {per_op * 1e9:9.1f} ns/op")
    print(f"  kernel alone     {kernel * 1e9:9.1f} ns/call   executor/kernel = {per_op / kernel:.2f}")
    try:
        import torch
    except ImportError:
        print("  torch: not installed (python3-torch)")
        return
    t = torch.from_numpy(x.copy())
    buf = torch.empty_like(t)

    def chain():
        buf.copy_(t)
        for _ in range(k):
            buf.add_(1.0).relu_()

    chain()
    samples = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(20):
            chain()
        samples.append((time.perf_counter() - t0) / 20 / k)
    torch_per_op = sorted(samples)[2]
    print(f"  torch eager      {torch_per_op * 1e9:9.1f} ns/op    executor/torch = {per_op / torch_per_op:.2f}")


if __name__ == "__main__":
    main()
