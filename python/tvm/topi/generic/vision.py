# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Generic schedules of the detection, deformable convolution and dilation operators.

The detection operators are extern loop nests (their loops are fixed when they are
built), so their schedule only inlines the injective stages feeding them; the
deformable convolution and dilation are reductions and take the nn default."""
from .injective import schedule_extern
from ..nn.schedules import default_schedule as _nn_default

__all__ = ["schedule_get_valid_counts", "schedule_nms", "schedule_multibox_transform_loc", "schedule_roi_align",
           "schedule_roi_pool", "schedule_proposal", "schedule_deformable_conv2d_nchw",
           "schedule_deformable_conv2d_nhwc", "schedule_dilation2d_nchw", "schedule_dilation2d_nhwc"]

schedule_get_valid_counts = schedule_extern
schedule_nms = schedule_extern
schedule_multibox_transform_loc = schedule_extern
schedule_roi_align = schedule_extern
schedule_roi_pool = schedule_extern
schedule_proposal = schedule_extern


def schedule_deformable_conv2d_nchw(outs):
    """The nn default schedule: sampling gathered once, output loops parallel."""
    return _nn_default(outs)


schedule_deformable_conv2d_nhwc = schedule_deformable_conv2d_nchw
schedule_dilation2d_nchw = schedule_deformable_conv2d_nchw
schedule_dilation2d_nhwc = schedule_deformable_conv2d_nchw
