# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Dispatch contexts: which configuration a template uses for a (target, workload).

Contexts nest as `with` blocks; DispatchContext.current is the innermost.
A context that knows nothing about a workload asks the one around it; the
outermost is a FallbackContext, which answers with a FallbackConfigEntity.

    with autotvm.apply_history_best("tuning.log"):
        ...   # templates query DispatchContext.current.query(target, workload)
"""
import logging
import os

import numpy as np

from .space import FallbackConfigEntity

logger = logging.getLogger("autotvm")


class DispatchContext:
    """Base of the dispatch contexts: subclasses implement _query_inside (None: not known here)."""

    current = None

    def __init__(self):
        self._old_ctx = DispatchContext.current

    def query(self, target, workload):
        """The configuration for workload on target, from this context or the ones around it."""
        cfg = self._query_inside(target, workload)
        if cfg is None and self._old_ctx is not None:
            cfg = self._old_ctx.query(target, workload)
        return cfg

    def update(self, target, workload, cfg):
        """Record cfg as the configuration of workload on target (a pass that replaces an
        operator keeps the chosen schedule for the new one)."""
        raise NotImplementedError(f"{type(self).__name__} does not record configurations")

    def _query_inside(self, target, workload):
        raise NotImplementedError(f"{type(self).__name__} must implement _query_inside(target, workload)")

    def __enter__(self):
        self._old_ctx = DispatchContext.current
        DispatchContext.current = self
        return self

    def __exit__(self, ptype, value, trace):
        DispatchContext.current = self._old_ctx


class ApplyConfig(DispatchContext):
    """Use one configuration for every workload (to build what a measurement runs)."""

    def __init__(self, config):
        super().__init__()
        self._config = config
        self.workload = None

    def _query_inside(self, target, workload):
        self.workload = workload
        return self._config

    def update(self, target, workload, cfg):
        self._config = cfg


class ApplyFixedConfig(DispatchContext):
    """Use the fallback configuration of the named schedules (tasks: their names)."""

    def __init__(self, tasks, schedule_names):
        super().__init__()
        names = [schedule_names] if isinstance(schedule_names, str) else list(schedule_names)
        self._schedule_names = names
        self._tasks = tasks
        self.workload = None

    def _query_inside(self, target, workload):
        if not workload or workload[0] not in self._schedule_names:
            raise ValueError(
                f"apply_fixed_config: workload {workload[0] if workload else workload!r} is not one of "
                f"the schedules {self._schedule_names}"
            )
        self.workload = workload
        cfg = FallbackConfigEntity()
        cfg.is_fallback = False
        return cfg

    def update(self, target, workload, cfg):
        self.workload = workload


def _target_keys(target):
    from ...target import Target  # pylint: disable=import-outside-toplevel

    if target is None:
        raise RuntimeError(
            "autotvm: a tuned configuration is looked up by target; call inside `with tvm.target.Target(...)`"
        )
    if isinstance(target, str):
        target = Target(target)
    return list(target.keys)


class ApplyHistoryBest(DispatchContext):
    """The fastest configuration found for each (target key, workload) in tuning records.

    records: a log file name (or a list of them), an open file, or (MeasureInput,
    MeasureResult) pairs. Failed measurements are ignored.
    """

    def __init__(self, records):
        super().__init__()
        self.best_by_targetkey = {}
        self._best_cost = {}
        if records:
            self.load(records)

    def load(self, records):
        """Add records (see the class) and keep the fastest per (target key, workload)."""
        from .. import record  # pylint: disable=import-outside-toplevel

        if isinstance(records, (str, bytes, os.PathLike)):
            records = record.load_from_file(records)
        elif hasattr(records, "read"):
            records = record.load_from_buffer(records)
        elif isinstance(records, (list, tuple)) and records and isinstance(records[0], (str, os.PathLike)):
            records = [pair for path in records for pair in record.load_from_file(path)]
        count = 0
        for inp, res in records:
            count += 1
            if res.error_no != 0:
                continue
            cost = float(np.mean(res.costs))
            for key in _target_keys(inp.target):
                entry = (key, inp.task.workload)
                if entry not in self._best_cost or cost < self._best_cost[entry]:
                    self._best_cost[entry] = cost
                    self.best_by_targetkey[entry] = (inp, res)
        logger.debug("autotvm: loaded %d records, %d best configurations", count, len(self.best_by_targetkey))

    def _query_inside(self, target, workload):
        for key in _target_keys(target):
            entry = (key, workload)
            if entry in self.best_by_targetkey:
                return self.best_by_targetkey[entry][0].config
        return None

    def update(self, target, workload, cfg):
        from ..measure import MeasureInput, MeasureResult  # pylint: disable=import-outside-toplevel
        from .task import Task  # pylint: disable=import-outside-toplevel

        task = Task(workload[0], list(workload[1:]))
        task.workload = workload
        for key in _target_keys(target):
            entry = (key, workload)
            self.best_by_targetkey[entry] = (MeasureInput(target, task, cfg), MeasureResult((0.0,), 0, 0.0, 0))
            self._best_cost[entry] = 0.0


class FallbackContext(DispatchContext):
    """The outermost context: a FallbackConfigEntity per (target, workload), remembered in
    `memory` so that what a schedule sets on it stays."""

    def __init__(self):
        super().__init__()
        self.memory = {}
        self.silent = False

    def _query_inside(self, target, workload):
        key = (str(target), workload)
        if key not in self.memory:
            if not self.silent:
                logger.debug("autotvm: no tuned configuration for %s on %s; using the fallback", workload, target)
            self.memory[key] = FallbackConfigEntity()
        return self.memory[key]

    def clear_cache(self, target, workload):
        """Forget the configuration of workload on target."""
        self.memory.pop((str(target), workload), None)

    def update(self, target, workload, cfg):
        self.memory[(str(target), workload)] = cfg


DispatchContext.current = FallbackContext()
