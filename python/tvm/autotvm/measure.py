# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""What a measurement was given and what it found (the fields of a tuning record)."""
import enum
from collections import namedtuple


class MeasureInput(namedtuple("MeasureInput", ["target", "task", "config"])):
    """A configuration of a task, measured on a target."""


class MeasureResult(namedtuple("MeasureResult", ["costs", "error_no", "all_cost", "timestamp"])):
    """The run times in seconds (costs), an error number (0: none), the whole
    measurement's time and when it finished (seconds since the epoch)."""


class MeasureErrorNo(enum.IntEnum):
    """Why a measurement failed (the error_no of a MeasureResult)."""

    NO_ERROR = 0
    INSTANTIATION_ERROR = 1
    COMPILE_HOST = 2
    COMPILE_DEVICE = 3
    RUNTIME_DEVICE = 4
    WRONG_ANSWER = 5
    BUILD_TIMEOUT = 6
    RUN_TIMEOUT = 7
    UNKNOWN_ERROR = 8
