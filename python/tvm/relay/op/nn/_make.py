# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Call builders of the relay.nn operators (C++ functions relay.op.nn._make.*)."""
from ...._ffi import _init_api

_init_api("relay.op.nn._make", __name__)
