# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Neural-network operators: relay.nn.*."""
from .nn import *  # noqa: F401,F403
from . import _nn  # noqa: F401 (computes and schedules)
