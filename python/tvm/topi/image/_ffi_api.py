# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Global functions of the topi.image namespace (defined in src/topi/image_*.cc)."""
from ..._ffi import _init_api

_init_api("topi.image", __name__)
