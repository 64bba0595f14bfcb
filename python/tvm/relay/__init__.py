# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Relay is not built yet: only the backend configuration that tvm.build takes
(tvm.relay.backend.Runtime) exists so far."""
from . import backend
