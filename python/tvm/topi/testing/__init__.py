# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Test support for TOPI: schedule dispatch by target and numpy references of the operators."""
from .common import (dispatch, get_injective_schedule, get_reduce_schedule, get_broadcast_schedule,
                     get_elemwise_schedule, compare_numpy_tvm, run_op, get_conv2d_nchw_implement)
from .transform_python import (gather_python, gather_nd_python, strided_slice_python, strided_set_python,
                               sequence_mask, one_hot, matrix_set_diag, slice_axis_python)
from .nn_ref import (dilate_python, conv1d_ncw_python, group_conv1d_ncw_python, conv2d_nchw_python,
                     conv2d_nhwc_python, conv3d_ncdhw_python, conv3d_ndhwc_python, depthwise_conv2d_python_nchw,
                     depthwise_conv2d_python_nhwc, conv2d_transpose_nchw_python, conv2d_transpose_nhwc_python,
                     conv1d_transpose_ncw_python,
                     conv3d_transpose_ncdhw_python, dense, batch_matmul, softmax_python, log_softmax_python,
                     poolnd_python, adaptive_pool, batch_norm, layer_norm_python, instance_norm_python,
                     group_norm_python, lrn_python, l2_normalize_python, depth_to_space_python,
                     space_to_depth_python, resize1d_python, resize2d_python, resize3d_python,
                     crop_and_resize_python, affine_grid_python, grid_sample_python,
                     rms_norm_python, pool_grad_nchw, nll_loss)
from .vision_ref import (roi_align_nchw_python, roi_align_nhwc_python, roi_pool_nchw_python,
                         deformable_conv2d_nchw_python, deformable_conv2d_nhwc_python, reorg_python,
                         space_to_batch_nd_python, batch_to_space_nd_python, correlation_nchw_python)


def searchsorted_ref(sorted_sequence, values, right, out_dtype):
    """numpy's searchsorted along the innermost axis (a 1-D sequence serves values of any shape)."""
    import numpy as np  # pylint: disable=import-outside-toplevel

    side = "right" if right else "left"
    if sorted_sequence.ndim == 1:
        return np.searchsorted(sorted_sequence, values, side=side).astype(out_dtype)
    seq = sorted_sequence.reshape(-1, sorted_sequence.shape[-1])
    vals = values.reshape(-1, values.shape[-1])
    out = np.stack([np.searchsorted(s, v, side=side) for s, v in zip(seq, vals)])
    return out.reshape(values.shape).astype(out_dtype)
