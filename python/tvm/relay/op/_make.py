# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Constructors of operator calls registered in C++ as relay.op._make.<name>."""
from ..._ffi import _init_api

_init_api("relay.op._make", __name__)
