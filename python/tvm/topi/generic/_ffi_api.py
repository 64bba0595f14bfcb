# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Global functions of the topi.generic namespace (the C++ schedules)."""
from ..._ffi import _init_api

_init_api("topi.generic", __name__)
