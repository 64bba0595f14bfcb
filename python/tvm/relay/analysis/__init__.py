# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Analyses of Relay expressions: variables, well-formedness, normal forms."""
from .analysis import *  # noqa: F401,F403
from . import feature
from .feature import Feature


from .count_layers import count_layers  # noqa: F401,E402
