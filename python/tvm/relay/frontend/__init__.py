# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Frontends: models from other frameworks into Relay."""
from .onnx import from_onnx
from .pytorch import from_pytorch
