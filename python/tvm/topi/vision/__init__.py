# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Detection operators (tvm.topi.vision, TVM v0.14's names)."""
from . import ssd
from . import rcnn
from .nms import get_valid_counts, non_max_suppression, all_class_non_max_suppression
from .rcnn import roi_align_nchw, roi_align_nhwc, roi_pool_nchw, proposal
