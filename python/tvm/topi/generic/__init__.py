# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Generic schedules: what every target can run (src/topi/schedule.cc)."""
from .injective import *
from .default import default_schedule

try:  # the nn schedules, where that part of TOPI is present
    from .nn import *  # noqa: F401,F403
except ImportError:  # pragma: no cover
    pass

try:  # the detection / deformable / dilation schedules, where those parts of TOPI are present
    from .vision import *  # noqa: F401,F403
except ImportError:  # pragma: no cover
    pass
