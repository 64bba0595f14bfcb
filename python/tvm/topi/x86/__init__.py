# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""x86 schedules. Injective ops whose innermost axis holds whole vectors run rows in parallel and
vectors within a row (others keep the generic schedule); reductions and softmax have their own
(vector partial results)."""
from ..generic.injective import (schedule_injective_from_existing, schedule_elemwise, schedule_broadcast,
                                 schedule_concatenate)
from .injective import schedule_injective
# int8 on the dot-product instructions (pmaddubsw / vpdpbusd)
from .tensor_intrin import is_int8_hw_support
from .dense_int8 import dense_int8, schedule_dense_int8, batch_matmul_int8_compute, schedule_batch_matmul_int8
from .conv2d_int8 import conv2d_nchw_int8, schedule_conv2d_nchw_int8
from .dense import dense_pack, schedule_dense_pack, dense_nopack, schedule_dense_nopack
from .dense import matmul_pack, schedule_matmul_pack
from .batch_matmul import batch_matmul, schedule_batch_matmul
from . import gemm, utils
from . import dense_alter_op
# float32 convolutions
from .conv2d import conv2d_nchw, schedule_conv2d_nchw, conv2d_tile, packed_kernel_layout
from .depthwise_conv2d import depthwise_conv2d_nchw, schedule_depthwise_conv2d_nchw
from . import conv2d_alter_op  # noqa: F401 (registers nn.conv2d's layout alteration for cpu)
# blocked NCHW[x]c convolutions (the layouts AlterOpLayout propagates)
from .conv2d_nchwc import (conv2d_NCHWc, schedule_conv2d_NCHWc, depthwise_conv2d_NCHWc,
                           schedule_depthwise_conv2d_NCHWc)
from .conv2d_winograd import conv2d_winograd_NCHWc, schedule_conv2d_winograd_NCHWc, winograd_tile_size
from .pooling import schedule_pool
# transformer operators: softmax and row reductions (mean, variance, layer_norm's parts) in vectors
from .softmax import softmax, schedule_softmax, supports as softmax_supports
from .reduction import schedule_reduce
