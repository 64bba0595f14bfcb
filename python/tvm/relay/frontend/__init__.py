# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Frontends: models from other frameworks into Relay."""
from .pytorch import from_pytorch
