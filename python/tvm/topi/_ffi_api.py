# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Global functions of the topi namespace (the C++ operators)."""
from .._ffi import _init_api

_init_api("topi", __name__)
