# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Global functions of the topi.nn namespace (defined in src/topi/nn_*.cc)."""
from ..._ffi import _init_api

_init_api("topi.nn", __name__)
