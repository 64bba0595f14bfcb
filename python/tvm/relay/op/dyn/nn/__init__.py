# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""dyn.nn.*: pad and upsampling whose padding or scales are tensors."""
from . import _make  # noqa: F401
from . import _nn  # noqa: F401
