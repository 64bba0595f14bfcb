# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The C++ functions registered under relay.analysis."""
from ..._ffi import _init_api

_init_api("relay.analysis", __name__)
