# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Image operators: relay.image.*."""
from .image import *  # noqa: F401,F403
from . import _image  # noqa: F401 (computes and schedules)
