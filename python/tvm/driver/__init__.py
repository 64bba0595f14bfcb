# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Entry points from user programs to lowered (and built) modules."""
from .build_module import lower, schedule_to_module
from . import build_module
from .build_target import build
