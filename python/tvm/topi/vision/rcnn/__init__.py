# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Two-stage detector operators (tvm.topi.vision.rcnn)."""
from .roi_align import roi_align, roi_align_nchw, roi_align_nhwc
from .roi_pool import roi_pool_nchw
from .proposal import proposal
