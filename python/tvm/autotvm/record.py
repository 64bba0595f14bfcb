# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Tuning records: one JSON object a line, in TVM v0.14's format (log version 0.2).

    {"input": [target, task_name, task_args, task_kwargs],
     "config": {"index": i, "code_hash": h, "entity": [[knob, code, value], ...]},
     "result": [[costs...], error_no, all_cost, timestamp],
     "version": 0.2, "tvm_version": "..."}

Lines of log version 0.1 (keys "i", "r", "v") are skipped with a warning, as
TVM v0.14 does.
"""
import json
import logging

import numpy as np

from .measure import MeasureInput, MeasureResult
from .task.space import ConfigEntity
from .task.task import Task

AUTOTVM_LOG_VERSION = 0.2
logger = logging.getLogger("autotvm")
_warned_old_version = False


def _hashable(x):
    # JSON lists become tuples so that workloads can be dictionary keys.
    if isinstance(x, list):
        return tuple(_hashable(a) for a in x)
    return x


def encode(inp, result, protocol="json"):
    """One log line for a measurement."""
    from .. import __version__  # pylint: disable=import-outside-toplevel

    if protocol != "json":
        raise ValueError(f"autotvm records: only the 'json' protocol is supported, got {protocol!r}")
    costs = list(result.costs) if result.error_no == 0 else [1e9]
    return json.dumps(
        {
            "input": [str(inp.target), inp.task.name, inp.task.args, inp.task.kwargs],
            "config": inp.config.to_json_dict(),
            "result": [costs, int(result.error_no), result.all_cost, result.timestamp],
            "version": AUTOTVM_LOG_VERSION,
            "tvm_version": __version__,
        }
    )


def decode(row, protocol="json"):
    """(MeasureInput, MeasureResult) of a log line, or None for a line of log version 0.1."""
    from ..target import Target  # pylint: disable=import-outside-toplevel

    global _warned_old_version  # pylint: disable=global-statement
    if protocol != "json":
        raise ValueError(f"autotvm records: only the 'json' protocol is supported, got {protocol!r}")
    try:
        obj = json.loads(row)
    except json.JSONDecodeError as err:
        raise ValueError(f"autotvm records: not a JSON line ({err}): {row[:120]!r}") from None
    if obj.get("v") == 0.1:
        if not _warned_old_version:
            logger.warning("autotvm: records of log version 0.1 are no longer read; they are skipped")
            _warned_old_version = True
        return None
    if "input" not in obj or "config" not in obj or "result" not in obj:
        raise ValueError(f"autotvm records: a line needs 'input', 'config' and 'result': {row[:120]!r}")
    target, task_name, task_args, _ = obj["input"]
    task = Task(str(task_name), _hashable(task_args))
    config = ConfigEntity.from_json_dict(obj["config"])
    result = MeasureResult(*[tuple(x) if isinstance(x, list) else x for x in obj["result"]])
    config.cost = float(np.mean(result.costs))
    return MeasureInput(Target(str(target)), task, config), result


def load_from_buffer(file):
    """Yield the (MeasureInput, MeasureResult) of each record line of an open file."""
    for row in file:
        row = row.strip()
        if row and not row.startswith("#"):
            pair = decode(row)
            if pair is not None:
                yield pair


def load_from_file(filepath):
    """Yield the (MeasureInput, MeasureResult) of each record line of a log file."""
    with open(filepath) as f:
        yield from load_from_buffer(f)
