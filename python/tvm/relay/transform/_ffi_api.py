# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The C++ passes registered under relay._transform."""
from ..._ffi import _init_api

_init_api("relay._transform", __name__)
