# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Detection operators: relay.vision.*."""
from .vision import *  # noqa: F401,F403
from . import _vision  # noqa: F401 (computes and schedules)
