# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The dynamic operators dyn.*: shape-like arguments (a new shape, reps, begin/end,
k, a size, scales, padding) are tensors, known only when the program runs. Call
builders in _make (relay.reshape(x, expr) and friends dispatch to them), computes,
schedules and shape functions in _transform, _algorithm, image and nn."""
from . import _make  # noqa: F401
from . import _transform  # noqa: F401
from . import _algorithm  # noqa: F401
from . import image  # noqa: F401
from . import nn  # noqa: F401
