# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Run the ONNX backend node tests through relay.frontend.from_onnx.

    PYTHONPATH=python TVM_LIBRARY_PATH=build /usr/bin/python3 tests/benchmarks/onnx_node_tests.py --jobs 2

Each case (a folder with model.onnx and test_data_set_0/{input,output}_N.pb) is
imported with the shapes of its test inputs (every input stays an input), run
with the graph executor when every shape in the module is static, else with the
Relay VM (shape tensors given at run time, data-dependent output counts such as
NonMaxSuppression's, Unique's, NonZero's), and compared with the expected outputs
(rtol 1e-3, atol 1e-4). Prints the pass count over all cases and over the cases
whose operators the frontend claims, and the failures grouped by cause.

When a converter still needs, at import, the value of a graph input (it raises
NeedsConstant: e.g. Split's split, a reduction's axes, which fix the output
rank), that input is bound to the test's value and the case is imported again.
Such cases are counted apart ("shape inputs bound"); "honest" passes are those
with every input given at run time.
"""
import argparse
import collections
import multiprocessing
import os
import re
import sys
import traceback

import numpy as np

ROOT = "/usr/share/libonnx-testdata/data/node"


def _load_pb(path):
    import onnx  # pylint: disable=import-outside-toplevel
    from onnx import numpy_helper  # pylint: disable=import-outside-toplevel

    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def _is_dynamic(mod):
    """Whether any expression of main has a type with a relay.Any() dimension."""
    from tvm import relay, tir  # pylint: disable=import-outside-toplevel

    found = []

    def has_any(t):
        if isinstance(t, relay.TensorType):
            return any(isinstance(d, tir.Any) for d in t.shape)
        if isinstance(t, relay.TupleType):
            return any(has_any(f) for f in t.fields)
        return False

    def visit(e):
        if not found and isinstance(e, (relay.Call, relay.Var, relay.Tuple, relay.TupleGetItem)):
            t = getattr(e, "_checked_type_", None)
            if t is not None and has_any(t):
                found.append(e)

    relay.analysis.post_order_visit(mod["main"], visit)
    return bool(found)


def _run(mod, params, inputs):
    """The outputs, and whether the VM ran them (dynamic shapes)."""
    from tvm import relay  # pylint: disable=import-outside-toplevel

    if _is_dynamic(mod):
        ex = relay.create_executor("vm", mod=mod, target="llvm", params=params)
        return ex.evaluate()(*inputs), True
    try:
        ex = relay.create_executor("graph", mod=mod, params=params)
    except NotImplementedError:
        ex = relay.create_executor("debug", mod=mod, params=params)
    out = ex.evaluate()(*inputs)
    return out, False


def _flatten(v):
    if hasattr(v, "numpy"):
        return [v.numpy()]
    from tvm.runtime.container import ADT  # pylint: disable=import-outside-toplevel

    if isinstance(v, (list, tuple, ADT)) or hasattr(v, "fields"):
        out = []
        for x in v:
            out.extend(_flatten(x))
        return out
    return [np.asarray(v)]


def run_case(case):
    """(case, status, cause, bound, vm) with status in pass/fail/unsupported."""
    import onnx  # pylint: disable=import-outside-toplevel
    from tvm.relay.frontend import onnx as fe  # pylint: disable=import-outside-toplevel
    from tvm.relay.frontend.onnx_ops import NeedsConstant  # pylint: disable=import-outside-toplevel
    import tvm.error  # pylint: disable=import-outside-toplevel

    d = os.path.join(ROOT, case)
    bound = []
    vm = False
    try:
        model = onnx.load(os.path.join(d, "model.onnx"))
        ds = os.path.join(d, "test_data_set_0")
        n_in = len([f for f in os.listdir(ds) if f.startswith("input_")])
        n_out = len([f for f in os.listdir(ds) if f.startswith("output_")])
        inits = {i.name for i in model.graph.initializer}
        in_names = [i.name for i in model.graph.input if i.name not in inits]
        values = {}
        for k in range(n_in):
            try:
                values[in_names[k]] = _load_pb(os.path.join(ds, "input_%d.pb" % k))
            except Exception:  # pylint: disable=broad-except
                pass  # a sequence or optional input: the import below says what is unsupported
        for _ in range(8):
            try:
                shapes = {n: v.shape for n, v in values.items() if n not in bound}
                mod, params = fe.from_onnx(model, shape=shapes)
                break
            except NeedsConstant as err:
                names = [n for n in getattr(err, "input_names", []) if n in values and n not in bound]
                if not names:
                    raise
                for n in names:
                    bound.append(n)
                    model.graph.initializer.append(onnx.numpy_helper.from_array(values[n], n))
                    for i, vi in enumerate(model.graph.input):
                        if vi.name == n:
                            del model.graph.input[i]
                            break
        missing = [n for n in in_names if n not in values]
        if missing:
            return case, "fail", "input %s is not a tensor" % missing[0], bound, vm
        expected = [_load_pb(os.path.join(ds, "output_%d.pb" % k)) for k in range(n_out)]
        inputs = [values[n] for n in in_names if n not in bound]
        out, vm = _run(mod, params, inputs)
        got = _flatten(out)
        if len(got) != len(expected):
            return case, "fail", "output count %d, expected %d" % (len(got), len(expected)), bound, vm
        for k, (a, b) in enumerate(zip(got, expected)):
            if a.shape != b.shape:
                return case, "fail", "output %d shape %s, expected %s" % (k, a.shape, b.shape), bound, vm
            if b.dtype.kind in "fc":
                ok = np.allclose(a, b, rtol=1e-3, atol=1e-4, equal_nan=True)
            else:
                ok = np.array_equal(a, b)
            if not ok:
                return case, "fail", "output %d values differ" % k, bound, vm
        return case, "pass", "", bound, vm
    except tvm.error.OpNotImplemented as err:
        first = str(err).splitlines()[0]
        return case, "unsupported", re.sub(r"\s+", " ", first), bound, vm
    except tvm.error.OpAttributeUnImplemented as err:  # a clear "not supported" for a type or attribute value
        return case, "unsupported-attr", str(err).splitlines()[0][:200], bound, vm
    except Exception as err:  # pylint: disable=broad-except
        msg = "%s: %s" % (type(err).__name__, str(err).strip().splitlines()[0] if str(err).strip() else "")
        if os.environ.get("ONNX_NODE_TRACE"):
            traceback.print_exc()
        return case, "fail", msg[:200], bound, vm


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--filter", default="", help="regex on case names")
    ap.add_argument("--verbose", action="store_true", help="print every case")
    args = ap.parse_args()
    cases = sorted(c for c in os.listdir(ROOT) if re.search(args.filter, c))
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs, maxtasksperchild=50) as pool:
            results = list(pool.imap_unordered(run_case, cases, chunksize=1))
    else:
        results = [run_case(c) for c in cases]
    results.sort()
    total = len(results)
    passed = [r for r in results if r[1] == "pass"]
    unsupported = [r for r in results if r[1] == "unsupported"]
    failed = [r for r in results if r[1] == "fail"]
    unsupported_attr = [r for r in results if r[1] == "unsupported-attr"]
    claimed = total - len(unsupported)
    if args.verbose:
        for r in results:
            print("%-60s %s%s%s %s" % (r[0], r[1], " (vm)" if r[4] else "", " (bound: %s)" % ",".join(r[3]) if r[3] else "", r[2]))
    causes = collections.defaultdict(list)
    for r in failed:
        causes[re.sub(r"'[^']*'|\d+", "_", r[2])[:120]].append(r[0])
    print("failures by cause:")
    for cause, names in sorted(causes.items(), key=lambda kv: -len(kv[1])):
        print("  %3d  %s" % (len(names), cause))
        print("        " + " ".join(names[:12]) + (" ..." if len(names) > 12 else ""))
    ops = collections.Counter()
    for r in unsupported:
        m = re.search(r"operator\(s\): (.*)", r[2])
        for o in (m.group(1).split(", ") if m else [r[2]]):
            ops[o] += 1
    print("unsupported operators (cases): " + ", ".join("%s (%d)" % kv for kv in ops.most_common()))
    print("unsupported types or attribute values (a clear error naming them):")
    for r in unsupported_attr:
        print("        %s: %s" % (r[0], r[2]))
    nbound = len([r for r in passed if r[3]])
    nvm = len([r for r in passed if r[4]])
    print("shape inputs bound as constants in %d passing cases" % nbound)
    print("run by the VM (dynamic shapes) in %d passing cases" % nvm)
    print("passed %d / %d node tests" % (len(passed), total))
    print("passed %d / %d node tests with every input given at run time (honest)" % (len(passed) - nbound, total))
    print("passed %d / %d of the cases whose operators the frontend claims" % (len(passed), claimed))
    print("passed %d / %d of those whose operators, types and attribute values it claims"
          % (len(passed), claimed - len(unsupported_attr)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
