# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""x86 schedules. The generic schedules already parallelise and vectorise for CPU targets,
so the injective and reduction ones are those."""
from ..generic.injective import (schedule_injective, schedule_injective_from_existing, schedule_elemwise,
                                 schedule_broadcast, schedule_concatenate, schedule_reduce)
from .conv2d import conv2d_nchw, schedule_conv2d_nchw, conv2d_tile, packed_kernel_layout
from .depthwise_conv2d import depthwise_conv2d_nchw, schedule_depthwise_conv2d_nchw
from . import conv2d_alter_op  # noqa: F401 (registers nn.conv2d's layout alteration for cpu)
