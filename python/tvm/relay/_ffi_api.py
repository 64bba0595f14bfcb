# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The C++ functions registered under relay.ir."""
from .._ffi import _init_api

_init_api("relay.ir", __name__)
