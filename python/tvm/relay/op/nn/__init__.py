# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Neural-network operators: relay.nn.*."""
from .nn import *  # noqa: F401,F403
from . import _nn  # noqa: F401 (computes and schedules)
# TVM's relay.nn also answers to the expression class its module imports (relay.nn.Constant).
from ...expr import Constant  # noqa: F401,E402
