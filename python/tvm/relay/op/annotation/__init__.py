# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Annotation operators (TVM's relay.annotation)."""
from .annotation import *  # noqa: F401,F403
