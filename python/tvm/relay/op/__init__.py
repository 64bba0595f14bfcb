# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Relay's operators: the functions that build calls, and their registration."""
from .op import (
    get,
    register,
    register_compute,
    register_schedule,
    register_injective_schedule,
    register_broadcast_schedule,
    register_reduce_schedule,
    register_pattern,
    register_stateful,
    register_op_attr,
    register_strategy,
    register_gradient,
    register_alter_op_layout,
    register_convert_op_layout,
    register_infer_correct_layout,
    register_legalize,
    register_shape_func,
    OpPattern,
)
from .tensor import *  # noqa: F401,F403
from . import _make  # noqa: F401
from . import tensor  # noqa: F401
from .reduce import *  # noqa: F401,F403
from .transform import *  # noqa: F401,F403
from . import nn
from . import image
from . import vision
from . import annotation
from . import dyn  # noqa: F401 (the dyn.* operators' computes and shape functions)
from . import _tensor, _transform, _reduce  # noqa: F401 (computes and schedules)
from . import _indexing  # noqa: F401
from . import _sparse_fill  # noqa: F401
from . import _argwhere  # noqa: F401 (argwhere: compute and schedule)
from . import _transform_shape, _reduce_shape  # noqa: F401 (shape functions for the VM)
from .nn import _nn_shape  # noqa: F401
from .image import _image_shape  # noqa: F401
from .vision import _vision_shape  # noqa: F401
from . import op_attrs
from . import strategy
from .op import OpStrategy, OpImplementation
