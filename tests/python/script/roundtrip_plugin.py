# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""pytest plugin (-p roundtrip_plugin): every module tvm.lower returns, and the
host passes' output after it, must survive script() -> tvm.script.from_source.

Prints `roundtrip: <ok> <failed>` at the end of the session, with each failure.
"""
import tvm
import tvm.script
from tvm.driver import build_module

_lower = build_module.lower
_counts = {"ok": 0, "failed": 0}
_failures = []


def _check(mod, stage):
    text = mod.script()
    try:
        tvm.ir.assert_structural_equal(mod, tvm.script.from_source(text))
        _counts["ok"] += 1
    except Exception as err:  # pylint: disable=broad-except
        _counts["failed"] += 1
        _failures.append(f"[{stage}] {str(err)[:800]}")


def _checked_lower(*args, **kwargs):
    mod = _lower(*args, **kwargs)
    if isinstance(mod, tvm.IRModule):
        _check(mod, "lowered")
        try:
            host = tvm.tir.transform.MakePackedAPI()(mod)
        except Exception:  # pylint: disable=broad-except
            return mod  # not a host program (e.g. GPU kernels)
        _check(host, "MakePackedAPI")
        host = tvm.tir.transform.LowerTVMBuiltin()(host)
        _check(host, "LowerTVMBuiltin")
        host = tvm.tir.transform.LowerIntrin()(host)
        _check(host, "LowerIntrin")
    return mod


build_module.lower = _checked_lower
tvm.lower = _checked_lower
tvm.driver.lower = _checked_lower


def pytest_sessionfinish(session, exitstatus):
    for failure in _failures:
        print(failure)
    print(f"roundtrip: {_counts['ok']} {_counts['failed']}")
