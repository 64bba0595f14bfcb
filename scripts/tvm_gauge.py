#!/usr/bin/env python3
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Run TVM v0.14's own unit tests, unmodified, against this project's package.

The tests are not part of this project: point the script at a checkout of
apache/tvm at tag v0.14.0 (or at its tests/python/unittest folder). The test
files are copied to a temporary folder next to a conftest.py that loads
tvm.testing's pytest plugin, as TVM's own root conftest does, and run there
with the interpreter given (default: this one), so whichever `tvm` that
interpreter imports is what is measured: a pip-installed package, or the
source tree through PYTHONPATH/TVM_LIBRARY_PATH.

    scripts/tvm_gauge.py /path/to/tvm                       # the files of issue 15
    scripts/tvm_gauge.py /path/to/tvm 'test_arith_*.py'     # some files
    scripts/tvm_gauge.py /path/to/tvm --python .venv/bin/python
    scripts/tvm_gauge.py --suite relay /path/to/tvm 'test_op_level1.py'   # tests/python/relay (options first)
    scripts/tvm_gauge.py --suite relay --aside-executors vm /path/to/tvm 'test_op_level*.py'

--aside-executors KINDS (comma-separated, e.g. vm or graph,vm) sets aside
(deselects) the cases parametrised with those executor_kind values: issue 16
counts them once the executor exists (graph: relay.build; vm: the Relay VM).
The per-file line says how many were set aside.
    scripts/tvm_gauge.py --suite frontend /path/to/tvm 'pytorch/test_forward.py'   # a subfolder's file

Prints one line per file (passed, failed, errors, skipped, xfailed) and the
total; exits 0 whatever the tests do.
"""
import argparse
import fnmatch
import json
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

# The loop-IR passes this project has: their TVM tests are part of the gauge.
PASSES = [
    "convert_ssa", "flatten_buffer", "hoist_if", "inject_double_buffer",
    "inject_virtual_thread", "instrument_bound_checkers", "loop_partition",
    "lower_intrin", "lower_opaque_block", "lower_tvm_builtin", "make_packed_api",
    "pointer_value_type_rewrite", "remove_no_op", "rewrite_unsafe_select", "simplify",
    "storage_flatten", "storage_rewrite", "unroll_loop", "vectorize",
]
DEFAULT_PATTERNS = ["test_arith_*.py", "test_te_*.py", "test_target_codegen_llvm.py"] + [
    f"test_tir_transform_{p}.py" for p in PASSES
]


# A file that each suite's folder holds, to recognise it.
SUITE_MARKERS = {
    "unittest": "test_arith_simplify.py",
    "relay": "test_op_level1.py",
    "topi": "test_topi_math.py",
    "frontend": os.path.join("onnx", "test_forward.py"),
}


def find_suite_dir(path, suite):
    marker = SUITE_MARKERS[suite]
    for candidate in (path, os.path.join(path, "tests", "python", suite)):
        if os.path.isfile(os.path.join(candidate, marker)):
            return candidate
    sys.exit(f"no TVM {suite} tests found under {path!r} (expected tests/python/{suite})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tvm", help="apache/tvm checkout (v0.14.0) or its tests/python/unittest")
    parser.add_argument("patterns", nargs="*", help="test file patterns (default: issue 15's set)")
    parser.add_argument("--python", default=sys.executable, help="interpreter to run pytest with")
    parser.add_argument("--suite", default="unittest", choices=sorted(SUITE_MARKERS),
                        help="which folder of tests/python (default: unittest)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--aside-executors", metavar="KINDS", default=None,
                        help="set aside the cases parametrised with these executor_kind values (e.g. vm or graph,vm)")
    parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="after --: extra pytest arguments")
    args = parser.parse_args()

    source = find_suite_dir(args.tvm, args.suite)
    if not args.patterns and args.suite != "unittest":
        sys.exit(f"give the test file patterns to run from the {args.suite} suite")
    patterns = args.patterns or DEFAULT_PATTERNS
    # A pattern may name a subfolder (--suite frontend 'pytorch/test_forward.py'): those files are
    # copied flat, by their base names.
    paths = sorted({os.path.relpath(f, source) for p in patterns if "/" in p
                    for f in glob.glob(os.path.join(source, p))} |
                   {f for f in os.listdir(source) if any(fnmatch.fnmatch(f, p) for p in patterns if "/" not in p)})
    files = [os.path.basename(f) for f in paths]
    if not files:
        sys.exit(f"no test files match {patterns}")

    work = tempfile.mkdtemp(prefix="tvm-gauge-")
    try:
        for path in paths:
            shutil.copy(os.path.join(source, path), work)
        # The relay tests import helpers from their folder's utils package (`from utils import ref_funcs`).
        if os.path.isdir(os.path.join(source, "utils")):
            shutil.copytree(os.path.join(source, "utils"), os.path.join(work, "utils"))
        aside_report = os.path.join(work, "aside.json")
        # The frontend tests import the relay suite's helpers as `relay.utils` (tests/python on sys.path).
        relay_utils = os.path.join(os.path.dirname(source), "relay", "utils")
        if args.suite == "frontend" and os.path.isdir(relay_utils):
            shutil.copytree(relay_utils, os.path.join(work, "relay", "utils"))
        with open(os.path.join(work, "conftest.py"), "w") as f:
            f.write('pytest_plugins = ["tvm.testing.plugin"]\n')
            if args.aside_executors:
                kinds = tuple(k.strip() for k in args.aside_executors.split(",") if k.strip())
                f.write(ASIDE_CONFTEST.format(report=aside_report, kinds=kinds))
        report = os.path.join(work, "report.xml")
        extra = [a for a in args.pytest_args if a != "--"]
        command = [args.python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "--continue-on-collection-errors", f"--junitxml={report}"] + extra + files
        subprocess.run(command, cwd=work, env=_absolute_paths_env(), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        if not os.path.isfile(report):
            sys.exit(f"pytest wrote no report; try: cd {work} && {' '.join(command)} (with --keep)")
        aside = None
        if args.aside_executors:
            aside = {}
            if os.path.isfile(aside_report):
                with open(aside_report) as f:
                    aside = json.load(f)
        print_counts(report, files, aside)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


# Appended to the generated conftest.py by --aside-executors: deselects the
# cases whose executor_kind parameter is one of the given kinds and records how many
# per file (pytest reports deselected items nowhere in the junit XML).
ASIDE_CONFTEST = """
import collections as _collections
import json as _json
import os as _os

_ASIDE_EXECUTORS = {kinds!r}


def pytest_collection_modifyitems(config, items):
    kept, aside = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        params = callspec.params if callspec is not None else {{}}
        (aside if params.get("executor_kind") in _ASIDE_EXECUTORS else kept).append(item)
    counts = _collections.Counter(_os.path.basename(str(item.fspath)) for item in aside)
    with open({report!r}, "w") as f:
        _json.dump(counts, f)
    if aside:
        config.hook.pytest_deselected(items=aside)
        items[:] = kept
"""


def _absolute_paths_env():
    # pytest runs in the temporary folder: relative PYTHONPATH/TVM_LIBRARY_PATH
    # entries (PYTHONPATH=python) must not change meaning there.
    env = dict(os.environ)
    for name in ("PYTHONPATH", "TVM_LIBRARY_PATH"):
        if env.get(name):
            env[name] = os.pathsep.join(os.path.abspath(p) if p else p for p in env[name].split(os.pathsep))
    return env


def print_counts(report, files, aside=None):
    counts = {name: {"passed": 0, "failed": 0, "error": 0, "skipped": 0, "xfailed": 0} for name in files}
    for case in ET.parse(report).getroot().iter("testcase"):
        module = case.get("classname", "").split(".")[0] + ".py"
        if module not in counts:
            # A file that failed to import reports one case named after the file.
            name = case.get("name", "").replace("/", ".")
            module = next((f for f in files if name in (f, f[:-3])), None)
            if module is None:
                continue
        kinds = {child.tag for child in case}
        skipped = case.find("skipped")
        if "failure" in kinds:
            outcome = "failed"
        elif "error" in kinds:
            outcome = "error"
        elif skipped is not None:
            outcome = "xfailed" if skipped.get("type") == "pytest.xfail" else "skipped"
        else:
            outcome = "passed"
        counts[module][outcome] += 1
    total = {k: 0 for k in ("passed", "failed", "error", "skipped", "xfailed")}
    # With --aside-executors, a last column: the cases set aside (not in the counts or the %).
    aside_head = f" {'aside':>6}" if aside is not None else ""
    print(f"{'file':58} {'pass':>5} {'fail':>5} {'err':>5} {'skip':>5} {'xfail':>5}  {'%':>5}{aside_head}")
    aside_total = 0
    for name in files:
        c = counts[name]
        for k in total:
            total[k] += c[k]
        column = ""
        if aside is not None:
            aside_total += aside.get(name, 0)
            column = f" {aside.get(name, 0):6}"
        print(f"{name:58} {c['passed']:5} {c['failed']:5} {c['error']:5} {c['skipped']:5} {c['xfailed']:5}  {percent(c):>5}{column}")
    column = f" {aside_total:6}" if aside is not None else ""
    print(f"{'total':58} {total['passed']:5} {total['failed']:5} {total['error']:5} {total['skipped']:5} {total['xfailed']:5}  {percent(total):>5}{column}")


def percent(c):
    collected = sum(c.values())
    return f"{100.0 * c['passed'] / collected:.1f}" if collected else "-"


if __name__ == "__main__":
    main()
