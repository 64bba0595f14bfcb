# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Neural-network operators as tensor expressions (tvm.topi.nn).

The compute definitions are C++ (src/topi/nn_*.cc); these wrappers take
TVM's Python signatures, normalise padding, strides and layouts, and call them.
"""
from .elemwise import relu, leaky_relu, prelu, pad, mirror_pad, dilate
from .dense import dense, matmul, batch_matmul, dense_alter_layout
from .conv import (conv, conv1d, conv1d_ncw, conv1d_nwc, group_conv1d_ncw, group_conv1d_nwc, conv2d,
                   conv2d_nchw, conv2d_nhwc, conv2d_hwcn, group_conv2d_nchw, group_conv2d_nhwc,
                   depthwise_conv2d_nchw, depthwise_conv2d_nhwc, conv3d_ncdhw, conv3d_ndhwc, conv1d_transpose_ncw,
                   conv2d_transpose_nchw, group_conv2d_transpose_nchw, conv3d_transpose_ncdhw, conv_transpose,
                   conv2d_alter_layout)
from .pooling import pool_grad, pool1d, pool2d, pool3d, global_pool, adaptive_pool, adaptive_pool1d, adaptive_pool3d
from .softmax import softmax, fast_softmax, log_softmax
from .utils import get_pad_tuple, get_pad_tuple1d, get_pad_tuple3d, get_pad_tuple_generic
from . import schedules
from .norm import (batch_norm, layer_norm, rms_norm, instance_norm, group_norm, lrn, l2_normalize, flatten, batch_flatten,
                   depth_to_space, space_to_depth, space_to_batch_nd, batch_to_space_nd)
from .upsampling import upsampling, upsampling3d
from .loss import nll_loss
from .deformable_conv2d import deformable_conv2d_nchw, deformable_conv2d_nhwc
from .bitserial_dense import bitserial_dense, bitpack, bitserial_conv2d
from .correlation import correlation_nchw
from .conv2d_nchwc import conv2d_NCHWc, depthwise_conv2d_NCHWc
from .conv2d_winograd import conv2d_winograd_weight_transform, conv2d_winograd_nchw_without_weight_transform
