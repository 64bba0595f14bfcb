# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Call builders of the dyn.* operators (C++ functions relay.op.dyn._make.*)."""
from ...._ffi import _init_api

_init_api("relay.op.dyn._make", __name__)
