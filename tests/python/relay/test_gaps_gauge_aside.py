# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""scripts/tvm_gauge.py --aside-executors: cases parametrised with the graph
executor or the VM are deselected and counted per file."""
import os
import subprocess
import sys

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts", "tvm_gauge.py")

# A stand-in for TVM's tests/python/relay: the marker file plus one file of
# cases, two of three executor kinds to set aside and one case without the parameter.
FAKE_LEVEL1 = """
import pytest

@pytest.mark.parametrize("executor_kind", ["graph", "vm", "debug"])
@pytest.mark.parametrize("n", [1, 2])
def test_run(executor_kind, n):
    assert n > 0

def test_plain():
    pass

def test_broken():
    assert False
"""


def run_gauge(tmp_path, *options):
    relay_dir = tmp_path / "tests" / "python" / "relay"
    relay_dir.mkdir(parents=True)
    (relay_dir / "test_op_level1.py").write_text(FAKE_LEVEL1)
    command = [sys.executable, SCRIPT, "--suite", "relay", *options, str(tmp_path), "test_op_level1.py"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()]


def test_aside_executors_deselects_graph_and_vm(tmp_path):
    header, line, total = run_gauge(tmp_path, "--aside-executors", "graph,vm")
    assert header[-1] == "aside"
    # name, pass, fail, err, skip, xfail, %, aside: 2 debug cases + test_plain pass, test_broken fails.
    assert line == ["test_op_level1.py", "3", "1", "0", "0", "0", "75.0", "4"]
    assert total[-1] == "4"


def test_aside_executors_vm_only(tmp_path):
    # relay.build exists: the graph cases count again.
    _, line, _ = run_gauge(tmp_path, "--aside-executors", "vm")
    assert line == ["test_op_level1.py", "5", "1", "0", "0", "0", "83.3", "2"]


def test_without_the_flag_everything_counts(tmp_path):
    header, line, _ = run_gauge(tmp_path)
    assert header[-1] == "%"
    assert line == ["test_op_level1.py", "7", "1", "0", "0", "0", "87.5"]
