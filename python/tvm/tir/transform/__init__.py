# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Passes over the loop IR (one C++ file each in src/tir/transforms/)."""
from .transform import *  # noqa: F401,F403
from .transform import PrimFuncPass, prim_func_pass
