# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Call builders of the annotation operators (C++ functions relay.op.annotation._make.*)."""
from ...._ffi import _init_api

_init_api("relay.op.annotation._make", __name__)
