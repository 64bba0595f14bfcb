# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Global functions of the arith namespace."""
from .._ffi import _init_api

_init_api("arith", __name__)
