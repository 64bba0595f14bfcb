# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Call builders of dyn.nn.* (C++ functions relay.op.dyn.nn._make.*)."""
from ....._ffi import _init_api

_init_api("relay.op.dyn.nn._make", __name__)
