# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Test support for TOPI: schedule dispatch by target and numpy references of the operators."""
from .common import (dispatch, get_injective_schedule, get_reduce_schedule, get_broadcast_schedule,
                     get_elemwise_schedule, compare_numpy_tvm, get_conv2d_nchw_implement)
from .transform_python import (gather_python, gather_nd_python, strided_slice_python, strided_set_python,
                               sequence_mask, one_hot, matrix_set_diag, slice_axis_python)
