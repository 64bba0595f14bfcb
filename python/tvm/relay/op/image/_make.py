# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Call builders of the image operators (C++ functions relay.op.image._make.*)."""
from ...._ffi import _init_api

_init_api("relay.op.image._make", __name__)
