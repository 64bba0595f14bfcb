# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Tuning tasks, their configuration spaces and the dispatch of chosen configurations."""
from .dispatcher import (
    ApplyConfig,
    ApplyFixedConfig,
    ApplyHistoryBest,
    DispatchContext,
    FallbackContext,
)
from .space import (
    AnnotateEntity,
    ConfigEntity,
    ConfigSpace,
    FallbackConfigEntity,
    OtherOptionEntity,
    ReorderEntity,
    SplitEntity,
)
from .task import Task, args_to_workload
