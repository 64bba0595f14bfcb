# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""AutoTVM: tuning records and the dispatch of tuned configurations.

What exists so far: configuration entities (task.space), the dispatch
contexts that choose a configuration for a (target, workload) pair
(task.dispatcher: FallbackContext, ApplyConfig, apply_history_best) and the
tuning-record format (record: TVM v0.14's JSON log lines). The operator
schedules of this project do not consult the dispatch context yet, and there
are no tuners or measurement yet (the autotvm issue): a tuned log can be
read, queried and written, not produced.
"""
from . import measure, record, task
from .measure import MeasureErrorNo, MeasureInput, MeasureResult
from .record import load_from_file
from .task import (
    ApplyConfig,
    ApplyFixedConfig as apply_fixed_config,
    ApplyHistoryBest as apply_history_best,
    ConfigEntity,
    ConfigSpace,
    DispatchContext,
    FallbackContext,
)
