# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""CUDA-specific operator helpers (the CUDA schedules themselves come with the CUDA strategy)."""
from . import conv3d_winograd
