# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Relay operators."""
from .reduce import *  # noqa: F401,F403
from .transform import *  # noqa: F401,F403
from . import nn
from . import image
from . import op_attrs
