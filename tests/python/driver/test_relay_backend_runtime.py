# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.relay.backend.Runtime: the runtime tvm.build compiles for, and its options."""
import numpy as np
import pytest

import tvm
from tvm import te
from tvm.relay.backend import Runtime


def test_options_are_checked_by_name():
    rt = Runtime("crt", {"system-lib": True})
    assert rt.name == "crt" and rt["system-lib"] is True and rt.get("missing", 3) == 3
    assert rt == Runtime("crt", {"system-lib": True}) and rt != Runtime("cpp")
    with pytest.raises(ValueError, match="unknown runtime 'c\\+\\+'"):
        Runtime("c++")
    with pytest.raises(ValueError, match="Runtime 'cpp': unknown option 'system_lib'"):
        Runtime("cpp", {"system_lib": True})
    with pytest.raises(TypeError, match="option 'system-lib' must be a bool"):
        Runtime("crt", {"system-lib": "yes"})


@pytest.mark.parametrize("runtime", [Runtime("cpp"), Runtime("crt", {"system-lib": True})])
def test_build_for_a_runtime_runs_and_saves(runtime, tmp_path):
    A = te.placeholder((32,), name="A")
    B = te.compute((32,), lambda i: A[i] * 2.0, name="B")
    f = tvm.build(te.create_schedule(B.op), [A, B], target="llvm", runtime=runtime, name="double")
    a = np.arange(32, dtype="float32")
    b = tvm.nd.empty((32,))
    f(tvm.nd.array(a), b)
    np.testing.assert_allclose(b.numpy(), a * 2)
    f.save(str(tmp_path / "double.o"))
    assert (tmp_path / "double.o").stat().st_size > 0
