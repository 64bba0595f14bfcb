# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Relay's passes (TVM's relay.transform)."""
from .transform import *  # noqa: F401,F403
