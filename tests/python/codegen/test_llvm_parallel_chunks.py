# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Parallel loops hand out contiguous chunks from a shared counter (codegen_llvm.cc,
EmitParallelFor): every iteration runs exactly once whatever the extent, the loop's start,
the nesting inside serial loops (the counter restarts at each launch) or an error."""
import numpy as np
import pytest

import tvm
from tvm import te


@pytest.mark.parametrize("n", [1, 2, 3, 7, 16, 17, 100, 1001, 4099])
def test_every_iteration_runs_once(n):
    a = te.placeholder((n,), name="a", dtype="int32")
    b = te.compute((n,), lambda i: a[i] * 3 + 1, name="b")
    s = te.create_schedule(b.op)
    s[b].parallel(b.op.axis[0])
    f = tvm.build(s, [a, b], "llvm")
    x = np.arange(n, dtype="int32")
    out = tvm.nd.array(np.full(n, -7, "int32"))
    f(tvm.nd.array(x), out)
    np.testing.assert_array_equal(out.numpy(), x * 3 + 1)


def test_parallel_loop_inside_a_serial_loop_restarts_its_chunks():
    # 13 launches of one parallel loop: each must run all its rows.
    a = te.placeholder((13, 37), name="a")
    b = te.compute((13, 37), lambda i, j: a[i, j] + 1.0, name="b")
    s = te.create_schedule(b.op)
    s[b].parallel(b.op.axis[1])
    f = tvm.build(s, [a, b], "llvm")
    x = np.random.default_rng(0).standard_normal((13, 37)).astype("float32")
    out = tvm.nd.empty((13, 37))
    f(tvm.nd.array(x), out)
    np.testing.assert_array_equal(out.numpy(), x + 1.0)


def test_accumulation_into_disjoint_rows_is_exact():
    # A reduction per parallel row: the result does not depend on which task ran the row.
    a = te.placeholder((64, 300), name="a")
    k = te.reduce_axis((0, 300), name="k")
    b = te.compute((64,), lambda i: te.sum(a[i, k], axis=k), name="b")
    s = te.create_schedule(b.op)
    s[b].parallel(b.op.axis[0])
    f = tvm.build(s, [a, b], "llvm")
    x = np.random.default_rng(1).standard_normal((64, 300)).astype("float32")
    outs = []
    for _ in range(5):
        out = tvm.nd.empty((64,))
        f(tvm.nd.array(x), out)
        outs.append(out.numpy())
    for o in outs[1:]:
        np.testing.assert_array_equal(o, outs[0])
    np.testing.assert_allclose(outs[0], x.astype("float64").sum(1), rtol=1e-5)


@pytest.mark.parametrize("threads", ["3", "7"])
def test_other_thread_counts(threads, tmp_path):
    # The pool's size is fixed when it starts: run the checks in a fresh process.
    import os
    import subprocess
    import sys

    script = tmp_path / "chunks.py"
    script.write_text(
        "import numpy as np, tvm\n"
        "from tvm import te\n"
        "for n in (1, 5, 21, 56, 57, 999):\n"
        "    a = te.placeholder((n,), name='a', dtype='int32')\n"
        "    b = te.compute((n,), lambda i: a[i] + 5, name='b')\n"
        "    s = te.create_schedule(b.op)\n"
        "    s[b].parallel(b.op.axis[0])\n"
        "    f = tvm.build(s, [a, b], 'llvm')\n"
        "    out = tvm.nd.array(np.zeros(n, 'int32'))\n"
        "    f(tvm.nd.array(np.arange(n, dtype='int32')), out)\n"
        "    assert (out.numpy() == np.arange(n) + 5).all(), n\n"
        "print('ok')\n")
    env = dict(os.environ, TVM_NUM_THREADS=threads)
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
